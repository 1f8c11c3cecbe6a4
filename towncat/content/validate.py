"""Checks across fields and files, after each file passed its schema.

Pure functions over loaded documents: they return problems and never raise on
bad data. Only documents that passed their schema are read here, so every value
has the type its schema promises.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from .files import LIST_KINDS, Document, problem_at
from .problems import Problem
from .thesaurus import validate_thesaurus

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Names that would clash with the site's own pages or with reserved file names on Windows.
RESERVED = frozenset(
    {
        "index",
        "feed",
        "changes",
        "data",
        "search",
        "assets",
        "all",
        "new",
        "edit",
        "con",
        "prn",
        "aux",
        "nul",
        "com1",
        "com2",
        "com3",
        "lpt1",
        "lpt2",
        "lpt3",
    }
)
_ITEM_KEYS = {"powers": "powers", "duties": "duties", "institutions": "institutions"}
_RANGE_FIELDS = (("effective_from", "effective_to"),)


def validate_catalogue(documents: list[Document]) -> list[Problem]:
    """Every problem that involves more than one field or file."""
    facts = [d for d in documents if d.kind not in LIST_KINDS]
    return validate_facts(facts) + validate_lists(
        [d for d in documents if d.kind in LIST_KINDS], facts
    )


def validate_facts(documents: list[Document]) -> list[Problem]:
    """Checks across ``region.yaml`` and every ``town.yaml``."""
    valid = [d for d in documents if d.valid]
    region = next((d for d in valid if d.kind == "region"), None)
    towns = [d for d in valid if d.kind == "town"]
    problems = list(_check_slugs(d for d in documents if d.kind == "town"))
    if region is not None:
        problems += _check_region(region)
        problems += _check_towns(region, towns)
    for doc in documents:
        if doc.kind == "thesaurus":
            problems += validate_thesaurus(doc)
    return problems


def validate_lists(documents: list[Document], facts: list[Document]) -> list[Problem]:
    """Checks within and across the list files of some towns, given every town's facts."""
    towns = [d for d in facts if d.valid and d.kind == "town"]
    lists = [d for d in documents if d.valid]
    slugs = {d.town for d in facts if d.kind == "town" and d.town}
    problems: list[Problem] = []
    institutions = {d.town: d for d in lists if d.kind == "institutions"}
    # a town whose institutions.yaml exists but is invalid: its references are not judged
    unjudged = {d.town for d in documents if d.kind == "institutions" and not d.valid}
    for doc in lists:
        problems += _check_ids(doc)
        problems += _check_dates(doc)
        problems += _check_replacements(doc)
        problems += _check_guides(doc)
        if doc.town not in unjudged:
            problems += _check_office_refs(doc, institutions.get(doc.town))
        if doc.kind == "institutions":
            problems += _check_covered_towns(doc, slugs)
    problems += _check_sources(towns, lists)
    problems += _check_contacts(lists, institutions)
    return problems


def _check_slugs(towns: Iterable[Document]) -> Iterator[Problem]:
    for doc in towns:
        slug = doc.town or ""
        folder = doc.source.rsplit("/", 1)[0]
        if not SLUG.match(slug):
            yield Problem(
                folder,
                0,
                0,
                "invalid-slug",
                "",
                f"文件夹名“{slug}”只能用小写英文字母、数字和单个连字符，如 maqiao",
            )
        elif slug in RESERVED:
            yield Problem(folder, 0, 0, "reserved-slug", "", f"文件夹名“{slug}”是保留字，请换一个")


def _check_region(region: Document) -> Iterator[Problem]:
    data = region.data
    seen: dict[str, set[str]] = {"code": set(), "name": set(), "slug": set()}
    for i, county in enumerate(data["counties"]):
        if not county["code"].startswith(data["code"][:4]):
            yield problem_at(
                region,
                ("counties", i, "code"),
                "code-county-mismatch",
                f"区县代码 {county['code']} 不属于 {data['name']}（{data['code']}）",
            )
        for key, values in seen.items():
            if county[key] in values:
                yield problem_at(
                    region,
                    ("counties", i, key),
                    "duplicate-id",
                    f"区县的 {key} “{county[key]}”重复",
                )
            values.add(county[key])
    ids: set[str] = set()
    for i, right in enumerate(data.get("town_rights", ())):
        if right["id"] in ids:
            yield problem_at(
                region, ("town_rights", i, "id"), "duplicate-id", f"编号 {right['id']} 重复"
            )
        ids.add(right["id"])


def _check_towns(region: Document, towns: list[Document]) -> Iterator[Problem]:
    counties = {c["name"]: c for c in region.data["counties"]}
    codes: dict[str, Document] = {}
    for doc in towns:
        data = doc.data
        code = data["code"]
        if code in codes:
            yield problem_at(
                doc,
                ("code",),
                "duplicate-town-code",
                f"区划代码 {code} 已被 {codes[code].source} 使用",
            )
        codes.setdefault(code, doc)
        county = counties.get(data["county"])
        if county is None:
            yield problem_at(
                doc,
                ("county",),
                "unknown-county",
                f"区县“{data['county']}”不在 region.yaml 中；可选：" + "、".join(counties),
            )
        elif not code.startswith(county["code"]):
            yield problem_at(
                doc,
                ("code",),
                "code-county-mismatch",
                f"区划代码 {code} 的前 6 位应为 {data['county']}的代码 {county['code']}",
            )
        yield from _check_code_kind(doc)
        if data["sample"] and not data.get("sample_note"):
            yield problem_at(
                doc,
                ("sample",),
                "sample-without-note",
                "示例镇街请用 sample_note 说明哪些内容是示例",
            )


def _check_code_kind(doc: Document) -> Iterator[Problem]:
    code, kind = doc.data["code"], doc.data["kind"]
    if not code.endswith("000"):
        yield problem_at(
            doc,
            ("code",),
            "invalid-nbs-code",
            f"乡级区划代码的最后 3 位应为 000，实际是 {code[-3:]}",
        )
    part = int(code[6:9])
    expected = "街道" if 1 <= part <= 99 else "镇" if 100 <= part <= 199 else None
    if expected is None:
        yield problem_at(
            doc,
            ("code",),
            "invalid-nbs-code",
            f"区划代码第 7–9 位 {code[6:9]} 不是镇街代码（001–099 街道，100–199 镇）",
        )
    elif expected != kind:
        yield problem_at(
            doc,
            ("kind",),
            "code-kind-mismatch",
            f"区划代码第 7–9 位是 {code[6:9]}，对应“{expected}”，但 kind 写的是“{kind}”",
        )


def _items(doc: Document) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = doc.data[_ITEM_KEYS[doc.kind]]
    return items


def _check_ids(doc: Document) -> Iterator[Problem]:
    key = _ITEM_KEYS[doc.kind]
    first: dict[str, int] = {}
    for i, item in enumerate(_items(doc)):
        item_id = item["id"]
        if item_id in RESERVED:
            yield problem_at(
                doc, (key, i, "id"), "reserved-id", f"编号“{item_id}”是保留字，请换一个"
            )
        if item_id in first:
            line = doc.parsed.position((key, first[item_id], "id"))[0]
            yield problem_at(
                doc,
                (key, i, "id"),
                "duplicate-id",
                f"编号 {item_id} 与第 {line} 行的事项重复；编号在本清单内必须唯一",
            )
        first.setdefault(item_id, i)


def _check_dates(doc: Document) -> Iterator[Problem]:
    key = _ITEM_KEYS[doc.kind]
    for i, item in enumerate(_items(doc)):
        for start, end in _RANGE_FIELDS:
            if start in item and end in item and item[end] < item[start]:
                yield problem_at(
                    doc,
                    (key, i, end),
                    "date-order",
                    f"{end} {item[end]} 早于 {start} {item[start]}",
                )


def _check_office_refs(doc: Document, offices: Document | None) -> Iterator[Problem]:
    field = {"powers": "handling_office", "duties": "lead_office"}.get(doc.kind)
    if field is None:
        return
    known = {o["id"] for o in _items(offices)} if offices else set()
    where = f"{offices.source}" if offices else "本镇 institutions.yaml（尚未建立）"
    for i, item in enumerate(_items(doc)):
        if item[field] not in known:
            yield problem_at(
                doc,
                (doc.kind, i, field),
                "unknown-office",
                f"承办机构编号“{item[field]}”在 {where} 中不存在",
            )


def _check_covered_towns(doc: Document, slugs: set[str]) -> Iterator[Problem]:
    for i, item in enumerate(_items(doc)):
        for j, slug in enumerate(item.get("covers_towns", ())):
            if slug not in slugs:
                yield problem_at(
                    doc,
                    ("institutions", i, "covers_towns", j),
                    "unknown-town",
                    f"镇街“{slug}”不存在（应为 content/towns/ 下的文件夹名）",
                )


def _check_sources(towns: list[Document], lists: list[Document]) -> Iterator[Problem]:
    official = {d.town for d in towns if not d.data["sample"]}  # only valid town files count
    for doc in lists:
        if doc.town not in official:
            continue
        if not doc.data.get("sources") and not doc.data.get("approval"):
            yield Problem(
                doc.source,
                1,
                1,
                "missing-sources",
                "",
                "非示例数据的清单应注明来源：请填写 approval 或 sources",
            )


def _check_contacts(
    lists: list[Document], institutions: dict[str | None, Document]
) -> Iterator[Problem]:
    """Warn where a citizen would find no phone for a power: neither the item nor its office."""
    for doc in lists:
        offices = institutions.get(doc.town)
        if doc.kind != "powers" or offices is None:
            continue
        by_id = {o["id"]: o for o in _items(offices)}
        for i, item in enumerate(_items(doc)):
            office = by_id.get(item["handling_office"])
            if office and not office.get("phone") and not item.get("phones"):
                yield problem_at(
                    doc,
                    ("powers", i, "handling_office"),
                    "no-contact",
                    f"承办机构 {office['name']} 没有电话，本事项也没有 phones",
                )


def _check_replacements(doc: Document) -> Iterator[Problem]:
    """``replaced_by`` names another item of the same list."""
    if doc.kind not in ("powers", "duties"):
        return
    ids = {item["id"] for item in _items(doc)}
    for i, item in enumerate(_items(doc)):
        target = item.get("replaced_by")
        if target is not None and (target not in ids or target == item["id"]):
            why = "就是本事项自己" if target == item["id"] else "在本清单中不存在"
            yield problem_at(
                doc,
                (doc.kind, i, "replaced_by"),
                "unknown-item",
                f"替代事项编号“{target}”{why}；请填写本清单中替代它的事项的编号",
            )


def _check_guides(doc: Document) -> Iterator[Problem]:
    """Steps numbered 1, 2, 3 … in order; an online-only guide has its link."""
    if doc.kind not in ("powers", "duties"):
        return
    for i, item in enumerate(_items(doc)):
        guide = item.get("guide")
        if guide is None:
            continue
        where = (doc.kind, i, "guide")
        for j, step in enumerate(guide.get("steps", ())):
            if step["order"] != j + 1:
                yield problem_at(
                    doc,
                    (*where, "steps", j, "order"),
                    "step-order",
                    f"第 {j + 1} 个环节的序号是 {step['order']}，应为 {j + 1}："
                    "环节按办理先后排列，序号从 1 起依次加 1",
                )
                break
        if "online_url" in guide:
            continue
        if guide.get("visits") == 0:
            yield problem_at(
                doc,
                (*where, "visits"),
                "online-without-link",
                "到现场 0 次即全程网上办理，请填写网上办理地址 online_url（https://）",
            )
        elif guide.get("modes") == ["网上办理"]:
            yield problem_at(
                doc,
                (*where, "modes"),
                "online-without-link",
                "办理方式只有网上办理，请填写网上办理地址 online_url（https://）",
            )
