"""Imported rows merged into a list file: existing ids kept, unchanged items kept as
written, new items given new ids, office names turned into office ids.

``merge_list`` is pure: it takes the current file's text (or None) and returns the new
text. An item whose data did not change keeps its exact text, so exporting a list and
importing it back changes no byte, and history sees only real edits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..content.loader import parse_yaml
from ..content.slips import split_lines
from ..content.yamltext import render_item
from .rows import Row, RowProblem

ID_PREFIXES = {
    "行政许可": "xk",
    "行政处罚": "cf",
    "行政强制": "qz",
    "行政征收": "zs",
    "行政给付": "gf",
    "行政检查": "jc",
    "行政确认": "qr",
    "行政奖励": "jl",
    "行政裁决": "cj",
    "其他行政权力": "qt",
    "公共服务": "fw",
    "主体责任": "zt",
    "配合责任": "ph",
}
OFFICE_FIELDS = {"powers": "handling_office", "duties": "lead_office"}


@dataclass(frozen=True)
class Merged:
    text: str
    items: list[dict[str, Any]]
    rows: dict[int, Row]  # item index → the row it came from
    kept: int  # items whose text is unchanged
    changed: int
    added: int
    removed: int


def office_ids(institutions: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Office id, name, short name and other names → office id."""
    names: dict[str, str] = {}
    for office in institutions:
        office_id = office.get("id")
        if not isinstance(office_id, str):
            continue
        names[office_id] = office_id
        for name in [office.get("name"), office.get("short_name"), *office.get("also_named", ())]:
            if isinstance(name, str):
                names.setdefault("".join(name.split()), office_id)
    return names


def resolve_offices(kind: str, rows: Sequence[Row], offices: Mapping[str, str]) -> list[RowProblem]:
    """Replace office names by ids in place; a name no office has is a problem."""
    field = OFFICE_FIELDS.get(kind)
    problems = []
    for row in rows:
        value = row.item.get(field or "")
        if field is None or not isinstance(value, str):
            continue
        office = offices.get("".join(value.split()))
        if office is None:
            known = "、".join(sorted({n for n in offices if not n.isascii()})) or "（无）"
            message = f"承办机构“{value}”在本镇 institutions.yaml 中找不到；已有：{known}"
            problems.append(
                RowProblem(row.sheet, row.number, row.columns.get((field,), 0), message)
            )
        else:
            row.item[field] = office
    return problems


def merge_list(kind: str, current: str | None, rows: Sequence[Row], header: str) -> Merged:
    """The list file with ``rows`` as its items. ``header`` is used when there is no file."""
    existing, spans, before, after = _split(kind, current)
    by_id = {item.get("id"): i for i, item in enumerate(existing) if isinstance(item, dict)}
    by_name = {_name_key(item): i for i, item in enumerate(existing) if isinstance(item, dict)}
    used: set[int] = set()
    taken = {str(item.get("id")) for item in existing if isinstance(item, dict)}
    items: list[dict[str, Any]] = []
    texts: list[str] = []
    origin: dict[int, Row] = {}
    kept = changed = added = 0
    for row in rows:
        imported = row.item
        match = by_id.get(imported.get("id")) if "id" in imported else None
        if match is None:
            match = by_name.get(_name_key(imported))
        if match is not None and match not in used:
            used.add(match)
            item = _updated(existing[match], imported, row)
            if _same(item, existing[match]):
                kept += 1
                texts.append(spans[match])
            else:
                changed += 1
                texts.append(render_item(item))
        else:
            item = dict(imported)
            if not isinstance(item.get("id"), str) or item["id"] in taken:
                item = {
                    "id": _new_id(kind, item, taken),
                    **{k: v for k, v in item.items() if k != "id"},
                }
            taken.add(item["id"])
            added += 1
            texts.append(render_item(item))
        origin[len(items)] = row
        items.append(item)
    removed = len(existing) - len(used)
    head = before if current is not None else header
    text = head + f"{kind}:\n" + "".join(texts) + after
    return Merged(text, items, origin, kept, changed, added, removed)


def _same(a: Any, b: Any) -> bool:
    """Equal as written: the file's unquoted ``5`` is the sheet's number 5."""
    return bool(_plain(a) == _plain(b))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int) else value


def _name_key(item: Mapping[str, Any]) -> tuple[str, str]:
    return ("".join(str(item.get("name", "")).split()), str(item.get("sub_item", "")))


def _updated(old: Mapping[str, Any], imported: Mapping[str, Any], row: Row) -> dict[str, Any]:
    """``old`` with the fields of the columns the sheet has set to the row's values
    (an empty cell removes the field); fields the sheet has no column for are kept."""
    item = {"id": old["id"]}
    covered = {path[0] for path in row.columns}
    for key, value in old.items():
        if key == "id":
            continue
        if key not in covered:
            item[key] = value
        elif key in imported:
            item[key] = _merge_object(value, imported[key], key, row)
    for key, value in imported.items():
        if key not in item and key != "id":
            item[key] = value
    return item


def _merge_object(old: Any, new: Any, key: str, row: Row) -> Any:
    """An object field whose sub-fields are columns: sub-fields without a column are kept."""
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return new
    covered = {path[1] for path in row.columns if len(path) > 1 and path[0] == key}
    merged = {k: new.get(k, v) for k, v in old.items() if k not in covered or k in new}
    merged.update({k: v for k, v in new.items() if k not in merged})
    return merged


def _new_id(kind: str, item: Mapping[str, Any], taken: set[str]) -> str:
    key = item.get("type") if kind == "powers" else item.get("list_kind")
    prefix = ID_PREFIXES.get(str(key), {"institutions": "org"}.get(kind, "item"))
    numbers = [int(m[1]) for t in taken if (m := re.fullmatch(rf"{prefix}-(\d{{1,6}})", t))]
    number = max(numbers, default=0) + 1
    while f"{prefix}-{number:04d}" in taken:
        number += 1
    return f"{prefix}-{number:04d}"


def _split(kind: str, text: str | None) -> tuple[list[dict[str, Any]], list[str], str, str]:
    """The current items, each item's text, and the text before and after the list."""
    if text is None:
        return [], [], "", ""
    parsed = parse_yaml(text, "-")
    value = parsed.value if isinstance(parsed.value, dict) else {}
    items = value.get(kind)
    if parsed.problems or not isinstance(items, list) or (kind,) not in parsed.key_positions:
        raise ValueError(f"{kind}.yaml 本身有问题，请先运行 check 修正后再导入")
    lines = split_lines(text)
    key_line = parsed.key_positions[(kind,)][0]
    starts = [parsed.positions[(kind, i)][0] for i in range(len(items))]
    end = len(lines)
    following = [line for (key,), (line, _) in _top_keys(parsed) if line > key_line]
    if following:
        end = min(following) - 1
    spans = []
    for i, start in enumerate(starts):
        stop = starts[i + 1] - 1 if i + 1 < len(starts) else end
        spans.append("".join(lines[start - 1 : stop]))
    before = "".join(lines[: key_line - 1])
    after = "".join(lines[end:])
    return items, spans, before, after


def _top_keys(parsed: Any) -> list[tuple[tuple[str], tuple[int, int]]]:
    return [(k, v) for k, v in parsed.key_positions.items() if len(k) == 1]
