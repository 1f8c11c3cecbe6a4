"""Semantic diffs between two versions of a town, keyed by item id, not by text.

Pure functions over parsed data: an item that moves between files of the same
town is a move, not a delete and an add; whitespace and comments never show;
office ids are shown as the office names of their version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

LIST_KINDS = ("powers", "duties", "institutions")
OFFICE_FIELDS = frozenset({"handling_office", "lead_office"})
MAJOR_FIELDS = frozenset(
    {
        "basis",
        "handling_office",
        "lead_office",
        "status",
        "type",
        "list_kind",
        "effective_from",
        "effective_to",
        "kind",
        "original_department",
        "delegation_mode",
    }
)
TOWN_ITEM = "town"  # the pseudo-item that stands for town.yaml itself


@dataclass(frozen=True)
class TownVersion:
    """One town at one commit: its facts and every item, by id."""

    code: str
    slug: str
    name: str
    facts: Mapping[str, Any]
    items: Mapping[str, tuple[str, Mapping[str, Any]]]  # id -> (kind, data)
    offices: Mapping[str, str] = field(default_factory=dict)  # office id -> name


@dataclass(frozen=True)
class FieldDiff:
    field: str  # the top-level field
    old: str
    new: str
    path: tuple[str | int, ...] = ()  # the key path below ``field``: ("law",) of basis[1]

    @property
    def full_path(self) -> tuple[str | int, ...]:
        return (self.field, *self.path)


@dataclass(frozen=True)
class ItemDiff:
    kind: str  # powers, duties, institutions, or "town"
    item_id: str
    name: str
    action: str  # added, removed, changed, moved
    fields: tuple[FieldDiff, ...] = ()
    major: bool = True
    document_number: str | None = None
    effective_from: str | None = None
    data: Mapping[str, Any] | None = None  # the item's data after (or, if removed, before)
    old_kind: str | None = None  # for a move: the list it came from


def build_version(
    code: str, slug: str, facts: Mapping[str, Any], lists: Mapping[str, Mapping[str, Any]]
) -> TownVersion:
    """A version from the parsed files of one town (each list file's top-level mapping)."""
    items: dict[str, tuple[str, Mapping[str, Any]]] = {}
    for kind in LIST_KINDS:
        for item in _list_items(lists.get(kind), kind):
            items.setdefault(str(item["id"]), (kind, item))
    offices = {
        str(i["id"]): str(i.get("name", i["id"]))
        for i in _list_items(lists.get("institutions"), "institutions")
    }
    return TownVersion(code, slug, str(facts.get("name", slug)), facts, items, offices)


def _list_items(data: Mapping[str, Any] | None, kind: str) -> list[Mapping[str, Any]]:
    if not isinstance(data, Mapping) or not isinstance(data.get(kind), list):
        return []
    return [i for i in data[kind] if isinstance(i, Mapping) and isinstance(i.get("id"), str)]


def show(value: Any) -> str:
    """A value as one line of text for a change entry: never a raw key or ``True``."""
    if value is None:
        return "（无）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Mapping):
        if "law" in value:
            return f"{value['law']}{value.get('article') or ''}"
        if "title" in value and "count" not in value:
            number = value.get("document_number")
            return f"{value['title']}" + (f"（{number}）" if number else "")
        return "，".join(show(v) for v in value.values()) or "（无）"
    if isinstance(value, list):
        return "；".join(show(v) for v in value) or "（无）"
    return " ".join(str(value).split())


def _field_diffs(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    old_offices: Mapping[str, str],
    new_offices: Mapping[str, str],
) -> tuple[FieldDiff, ...]:
    diffs: list[FieldDiff] = []
    for name in sorted(set(old) | set(new), key=_field_order(old, new)):
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        if name in OFFICE_FIELDS:
            before = old_offices.get(str(before), before) if before is not None else None
            after = new_offices.get(str(after), after) if after is not None else None
        diffs += _value_diffs(name, (), before, after)
    return tuple(diffs)


def _value_diffs(
    field: str, path: tuple[str | int, ...], before: Any, after: Any
) -> list[FieldDiff]:
    """Nested values compared key by key and list item by list item; lists of plain values
    as what was taken out and what was put in."""
    if before == after:
        return []
    if isinstance(before, Mapping) or isinstance(after, Mapping):
        old = before if isinstance(before, Mapping) else {}
        new = after if isinstance(after, Mapping) else {}
        if (before is None or old) and (after is None or new):
            found = []
            for key in sorted(set(old) | set(new), key=_field_order(old, new)):
                found += _value_diffs(field, (*path, key), old.get(key), new.get(key))
            return found
    if (isinstance(before, list) and isinstance(after, list)) or before is None or after is None:
        old_list = before if isinstance(before, list) else []
        new_list = after if isinstance(after, list) else []
        if any(isinstance(v, Mapping) for v in (*old_list, *new_list)):
            found = []
            for index in range(max(len(old_list), len(new_list))):
                a = old_list[index] if index < len(old_list) else None
                b = new_list[index] if index < len(new_list) else None
                found += _value_diffs(field, (*path, index), a, b)
            return found
        if old_list or new_list:
            taken = [v for v in old_list if v not in new_list]
            added = [v for v in new_list if v not in old_list]
            if taken or added:  # else only the order changed: say so plainly
                return [FieldDiff(field, _joined(taken), _joined(added), path)]
            return [FieldDiff(field, show(old_list), show(new_list), path)]
    return [FieldDiff(field, show(before), show(after), path)]


def _joined(values: list[Any]) -> str:
    return "、".join(show(v) for v in values) or "（无）"


def _field_order(old: Mapping[str, Any], new: Mapping[str, Any]) -> Any:
    order = {k: i for i, k in enumerate([*new, *[k for k in old if k not in new]])}
    return lambda name: order[name]


def _dates(item: Mapping[str, Any]) -> tuple[str | None, str | None]:
    act = item.get("delegating_act")
    number = act.get("document_number") if isinstance(act, Mapping) else None
    effective = item.get("effective_from")
    return (str(number) if number else None, str(effective) if effective else None)


def _item_name(data: Mapping[str, Any], item_id: str) -> str:
    return str(data.get("name") or item_id)


def diff_versions(old: TownVersion | None, new: TownVersion | None) -> list[ItemDiff]:
    """What changed in a town between two versions, items in the order of the new version."""
    old_items = old.items if old else {}
    new_items = new.items if new else {}
    old_offices = old.offices if old else {}
    new_offices = new.offices if new else {}
    diffs: list[ItemDiff] = []
    if old is None and new is not None:
        diffs.append(ItemDiff(TOWN_ITEM, "", new.name, "added", data=new.facts))
    if new is None and old is not None:
        diffs.append(ItemDiff(TOWN_ITEM, "", old.name, "removed", data=old.facts))
    if old and new and old.facts != new.facts:
        fields = _field_diffs(old.facts, new.facts, {}, {})
        diffs.append(
            ItemDiff(TOWN_ITEM, "", new.name, "changed", fields, major=False, data=new.facts)
        )
    for item_id, (kind, data) in new_items.items():
        number, effective = _dates(data)
        if item_id not in old_items:
            diffs.append(
                ItemDiff(
                    kind,
                    item_id,
                    _item_name(data, item_id),
                    "added",
                    document_number=number,
                    effective_from=effective,
                    data=data,
                )
            )
            continue
        old_kind, old_data = old_items[item_id]
        if old_kind == kind and old_data == data:
            continue
        fields = _field_diffs(old_data, data, old_offices, new_offices)
        action = "moved" if old_kind != kind else "changed"
        major = action == "moved" or any(f.field in MAJOR_FIELDS for f in fields)
        diffs.append(
            ItemDiff(
                kind,
                item_id,
                _item_name(data, item_id),
                action,
                fields,
                major,
                number,
                effective,
                data,
                old_kind if action == "moved" else None,
            )
        )
    for item_id, (kind, data) in old_items.items():
        if item_id not in new_items:
            diffs.append(ItemDiff(kind, item_id, _item_name(data, item_id), "removed", data=data))
    return diffs
