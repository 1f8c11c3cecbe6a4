"""Checks across fields and files, after each file passed its schema.

Pure functions over loaded documents: they return problems and never raise on
bad data. Only documents that passed their schema are read here, so every value
has the type its schema promises.
"""

from __future__ import annotations

import difflib
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
_NBS = re.compile(r"[0-9]{12}")


def validate_catalogue(documents: list[Document]) -> list[Problem]:
    """Every problem that involves more than one field or file."""
    facts = [d for d in documents if d.kind not in LIST_KINDS]
    return validate_facts(facts) + validate_lists(
        [d for d in documents if d.kind in LIST_KINDS], facts
    )


def validate_facts(documents: list[Document]) -> list[Problem]:
    """Checks across ``region.yaml`` and every ``town.yaml``, on whatever could be read:
    a value with an error of its own is passed by, every other value is judged."""
    readable = [d for d in documents if d.readable()]
    region = next((d for d in readable if d.kind == "region"), None)
    towns = [d for d in readable if d.kind == "town"]
    problems = list(_check_slugs(d for d in documents if d.kind == "town"))
    if region is not None:
        problems += _check_region(region)
        problems += _check_towns(region, towns)
    for doc in documents:
        if doc.kind == "thesaurus":
            problems += validate_thesaurus(doc)
    return problems


def validate_lists(documents: list[Document], facts: list[Document]) -> list[Problem]:
    """Checks within and across the list files of some towns, given every town's facts.
    An error in one item never keeps another item from being checked."""
    towns = [d for d in facts if d.readable() and d.kind == "town"]
    lists = [d for d in documents if d.readable()]
    slugs = {d.town for d in facts if d.kind == "town" and d.town}
    problems: list[Problem] = []
    institutions = {d.town: d for d in lists if d.kind == "institutions"}
    # a town whose offices could not all be read: references to them are not judged
    unjudged = {d.town for d in documents if d.kind == "institutions" and not _offices_judgeable(d)}
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
        for code, message in _slug_problems(slug, "文件夹名"):
            yield Problem(folder, 0, 0, code, "", message)


def _slug_problems(slug: str, what: str) -> list[tuple[str, str]]:
    """The one rule for every name that becomes part of a URL: town folders, county slugs."""
    if not SLUG.match(slug):
        return [
            (
                "invalid-slug",
                f"{what}“{slug}”只能用小写英文字母、数字和单个连字符，如 maqiao",
            )
        ]
    if slug in RESERVED:
        return [("reserved-slug", f"{what}“{slug}”是保留字，请换一个")]
    return []


def _good_items(doc: Document, key: str) -> list[tuple[int, dict[str, Any]]]:
    """(index, item) of every mapping in the list ``key`` of ``doc``."""
    items = doc.data.get(key) if isinstance(doc.data, dict) else None
    if not isinstance(items, list) or not doc.ok((key,)):
        return []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)]


def _check_region(region: Document) -> Iterator[Problem]:
    data = region.data
    city_code = data.get("code")
    seen: dict[str, set[str]] = {"code": set(), "name": set(), "slug": set()}
    for i, county in _good_items(region, "counties"):
        code = county.get("code")
        if (
            region.good(city_code, ("code",))
            and region.good(code, ("counties", i, "code"))
            and not code.startswith(city_code[:4])
        ):
            yield problem_at(
                region,
                ("counties", i, "code"),
                "code-county-mismatch",
                f"区县代码 {code} 不属于 {data.get('name')}（{city_code}）",
            )
        slug = county.get("slug")
        if region.good(slug, ("counties", i, "slug")):
            for code_name, message in _slug_problems(slug, "区县网址名"):
                yield problem_at(region, ("counties", i, "slug"), code_name, message)
        for key, values in seen.items():
            value = county.get(key)
            if not region.good(value, ("counties", i, key)):
                continue
            if value in values:
                yield problem_at(
                    region,
                    ("counties", i, key),
                    "duplicate-id",
                    f"区县的 {key} “{value}”重复",
                )
            values.add(value)
    ids: set[str] = set()
    for i, right in _good_items(region, "town_rights"):
        right_id = right.get("id")
        if not region.good(right_id, ("town_rights", i, "id")):
            continue
        if right_id in ids:
            yield problem_at(
                region, ("town_rights", i, "id"), "duplicate-id", f"编号 {right_id} 重复"
            )
        ids.add(right_id)


def _check_towns(region: Document, towns: list[Document]) -> Iterator[Problem]:
    counties = {
        c["name"]: c
        for i, c in _good_items(region, "counties")
        if region.good(c.get("name"), ("counties", i, "name"))
        and region.good(c.get("code"), ("counties", i, "code"))
    }
    codes: dict[str, Document] = {}
    for doc in towns:
        data = doc.data
        code = data.get("code")
        good_code = doc.good(code, ("code",)) and _NBS.fullmatch(code) is not None
        if good_code and code in codes:
            yield problem_at(
                doc,
                ("code",),
                "duplicate-town-code",
                f"区划代码 {code} 已被 {codes[code].source} 使用",
            )
        if good_code:
            codes.setdefault(code, doc)
        yield from _check_county(doc, counties, code if good_code else None)
        if good_code:
            yield from _check_code_kind(doc)
        sample = data.get("sample") is True and doc.ok(("sample",))
        if sample and not data.get("sample_note"):
            yield problem_at(
                doc,
                ("sample",),
                "sample-without-note",
                "示例镇街请用 sample_note 说明哪些内容是示例",
            )


def _check_county(
    doc: Document, counties: dict[str, dict[str, Any]], code: str | None
) -> Iterator[Problem]:
    name = doc.data.get("county")
    if not doc.good(name, ("county",)):
        return
    county = counties.get(name)
    if county is None:
        yield problem_at(
            doc,
            ("county",),
            "unknown-county",
            f"区县“{name}”不在 region.yaml 中；可选："
            + "、".join(counties)
            + suggest(name, counties),
        )
    elif code is not None and not code.startswith(county["code"]):
        yield problem_at(
            doc,
            ("code",),
            "code-county-mismatch",
            f"区划代码 {code} 的前 6 位应为 {name}的代码 {county['code']}",
        )


def suggest(written: str, known: Iterable[str]) -> str:
    """``；是否想写“x”？`` for the known value closest to ``written``, else ``""``."""
    close = difflib.get_close_matches(written, sorted(known), n=1, cutoff=0.6)
    return f"；是否想写“{close[0]}”？" if close else ""


def _check_code_kind(doc: Document) -> Iterator[Problem]:
    code, kind = doc.data["code"], doc.data.get("kind")
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
    elif doc.good(kind, ("kind",)) and expected != kind:
        yield problem_at(
            doc,
            ("kind",),
            "code-kind-mismatch",
            f"区划代码第 7–9 位是 {code[6:9]}，对应“{expected}”，但 kind 写的是“{kind}”",
        )


def _item_values(doc: Document, field: str) -> Iterator[tuple[int, str]]:
    """(index, value) of ``field`` in every item of ``doc`` where it is good text."""
    key = _ITEM_KEYS[doc.kind]
    for i, item in _good_items(doc, key):
        value = item.get(field)
        if doc.good(value, (key, i, field)):
            yield i, value


def _check_ids(doc: Document) -> Iterator[Problem]:
    key = _ITEM_KEYS[doc.kind]
    first: dict[str, int] = {}
    for i, item_id in _item_values(doc, "id"):
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
    for i, item in _good_items(doc, key):
        for start, end in _RANGE_FIELDS:
            begins, ends = item.get(start), item.get(end)
            if (
                doc.good(begins, (key, i, start))
                and doc.good(ends, (key, i, end))
                and ends < begins
            ):
                yield problem_at(
                    doc,
                    (key, i, end),
                    "date-order",
                    f"{end} {ends} 早于 {start} {begins}",
                )


def _offices_judgeable(doc: Document) -> bool:
    """Whether every office of an ``institutions`` file was read with a good id."""
    if not doc.readable():
        return False
    items = doc.data.get("institutions")
    return isinstance(items, list) and len(list(_item_values(doc, "id"))) == len(items)


#: The field of each list's items that names an office of the town's institutions.yaml.
OFFICE_FIELDS = {"powers": "handling_office", "duties": "lead_office"}


def _check_office_refs(doc: Document, offices: Document | None) -> Iterator[Problem]:
    field = OFFICE_FIELDS.get(doc.kind)
    if field is None:
        return
    known = {office_id for _, office_id in _item_values(offices, "id")} if offices else set()
    where = f"{offices.source}" if offices else "本镇 institutions.yaml（尚未建立）"
    for i, office in _item_values(doc, field):
        if office not in known:
            yield problem_at(
                doc,
                (doc.kind, i, field),
                "unknown-office",
                f"承办机构编号“{office}”在 {where} 中不存在" + suggest(office, known),
            )


def _check_covered_towns(doc: Document, slugs: set[str]) -> Iterator[Problem]:
    for i, item in _good_items(doc, "institutions"):
        covers = item.get("covers_towns")
        if not isinstance(covers, list):
            continue
        for j, slug in enumerate(covers):
            path = ("institutions", i, "covers_towns", j)
            if doc.good(slug, path) and slug not in slugs:
                yield problem_at(
                    doc,
                    path,
                    "unknown-town",
                    f"镇街“{slug}”不存在（应为 content/towns/ 下的文件夹名）"
                    + suggest(slug, slugs),
                )


def _check_sources(towns: list[Document], lists: list[Document]) -> Iterator[Problem]:
    official = {d.town for d in towns if d.data.get("sample") is False and d.ok(("sample",))}
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
        by_id = {
            o["id"]: o
            for _, o in _good_items(offices, "institutions")
            if isinstance(o.get("id"), str)
        }
        for i, office_id in _item_values(doc, "handling_office"):
            office = by_id.get(office_id)
            item = doc.data["powers"][i]
            if office and not office.get("phone") and not item.get("phones"):
                yield problem_at(
                    doc,
                    ("powers", i, "handling_office"),
                    "no-contact",
                    f"承办机构 {office.get('name', office_id)} 没有电话，本事项也没有 phones",
                )


def _check_replacements(doc: Document) -> Iterator[Problem]:
    """``replaced_by`` names another item of the same list."""
    if doc.kind not in ("powers", "duties"):
        return
    ids = {item_id for _, item_id in _item_values(doc, "id")}
    for i, target in _item_values(doc, "replaced_by"):
        own = doc.data[doc.kind][i].get("id")
        if target not in ids or target == own:
            why = "就是本事项自己" if target == own else "在本清单中不存在"
            yield problem_at(
                doc,
                (doc.kind, i, "replaced_by"),
                "unknown-item",
                f"替代事项编号“{target}”{why}；请填写本清单中替代它的事项的编号",
            )


def _check_guides(doc: Document) -> Iterator[Problem]:
    """Steps numbered 1, 2, 3 … in order; an online-only guide has its link. Values with
    problems of their own are left to those problems."""
    if doc.kind not in ("powers", "duties"):
        return
    for i, item in _good_items(doc, doc.kind):
        guide = item.get("guide")
        where = (doc.kind, i, "guide")
        if not isinstance(guide, dict) or not doc.ok(where):
            continue
        steps = guide.get("steps", ())
        for j, step in enumerate(steps if isinstance(steps, list) else ()):
            order = step.get("order") if isinstance(step, dict) else None
            if not isinstance(order, int) or isinstance(order, bool):
                break
            if order != j + 1:
                yield problem_at(
                    doc,
                    (*where, "steps", j, "order"),
                    "step-order",
                    f"第 {j + 1} 个环节的序号是 {order}，应为 {j + 1}："
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
