"""Presenters: the catalogue shaped into page contexts. Templates only loop and print.

Every function here is pure: model in, plain data out. Labels for fields come
from the schemas' titles, so a field's Chinese name is written in one place.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..content.catalogue import find_office
from ..content.model import Basis, Duty, Institution, Power, Source, Town
from ..content.schema import SchemaSet
from ..content.summary import Overview, TownSummary
from ..content.validity import first_day_out
from . import urls
from .richtext import render_markdown

GENERAL_HOTLINE = "12345"
# The official order of the categories, for counts and ties (never raw code points).
POWER_TYPES = [
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政征收",
    "行政给付",
    "行政检查",
    "行政确认",
    "行政奖励",
    "行政裁决",
    "其他行政权力",
    "公共服务",
]
DUTY_KINDS = ["主体责任", "配合责任", "基本履职事项", "配合履职事项", "上级部门收回事项"]
INSTITUTION_KINDS = ["党政工作机构", "事业单位", "派驻机构", "其他"]
LIST_TITLES = {"powers": "赋权事项清单", "duties": "职责任务清单", "institutions": "机构设置"}
STATUS_IN_FORCE = "现行"


@dataclass(frozen=True)
class Page:
    """One HTML page to render: where, with which template, from which data."""

    url: str
    template: str
    title: str
    context: Mapping[str, Any]
    sample: bool = False  # built from sample data: the page shows a 示例数据 notice
    breadcrumbs: tuple[tuple[str, str], ...] = ()  # (title, url) from home down
    description: str = ""
    json_ld: Mapping[str, Any] | None = None
    search_record: Mapping[str, Any] | None = field(default=None)  # filters for the index


@dataclass(frozen=True)
class Labels:
    """Chinese field labels per content kind, from the schemas' titles.

    Nested fields are keyed by their dotted path without list indexes (``basis.law``);
    ``markdown`` holds the paths whose text is Markdown, ``booleans`` the true/false ones."""

    by_kind: Mapping[str, Mapping[str, str]]
    markdown: frozenset[tuple[str, str]] = frozenset()
    booleans: frozenset[tuple[str, str]] = frozenset()

    def __call__(self, kind: str, name: str) -> str:
        return self.by_kind[kind].get(name, name)

    def path(self, kind: str, path: tuple[str | int, ...]) -> str:
        """``("basis", 1, "law")`` → ``设定依据（第2项）·法律法规名称``; keys without a title
        keep their key, so nothing is ever hidden."""
        parts: list[str] = []
        names: list[str] = []
        for step in path:
            if isinstance(step, int):
                parts[-1] += f"（第{step + 1}项）"
                continue
            names.append(step)
            parts.append(self.by_kind.get(kind, {}).get(".".join(names), step))
        return "·".join(parts)

    def is_markdown(self, kind: str, path: tuple[str | int, ...]) -> bool:
        return (kind, ".".join(p for p in path if isinstance(p, str))) in self.markdown

    def is_boolean(self, kind: str, path: tuple[str | int, ...]) -> bool:
        return (kind, ".".join(p for p in path if isinstance(p, str))) in self.booleans


def build_labels(schemas: SchemaSet) -> Labels:
    by_kind: dict[str, dict[str, str]] = {}
    kinds: dict[str, set[tuple[str, str]]] = {"markdown": set(), "boolean": set()}
    for kind, key in (("powers", "powers"), ("duties", "duties"), ("institutions", "institutions")):
        item = schemas.resolve(schemas.schemas[kind]["properties"][key]["items"])
        by_kind[kind] = dict(_titles(schemas, item, "", kind, kinds))
    by_kind["town"] = dict(_titles(schemas, schemas.schemas["town"], "", "town", kinds))
    return Labels(by_kind, frozenset(kinds["markdown"]), frozenset(kinds["boolean"]))


def _titles(
    schemas: SchemaSet,
    node: Mapping[str, Any],
    prefix: str,
    kind: str,
    kinds: dict[str, set[tuple[str, str]]],
) -> Iterator[tuple[str, str]]:
    """(dotted path, title) of every property below ``node``, through lists and ``$ref``s."""
    node = schemas.resolve(node)
    while node.get("type") == "array" and "items" in node:
        node = schemas.resolve(node["items"])
    for name, child in node.get("properties", {}).items():
        path = f"{prefix}{name}"
        resolved = schemas.resolve(child)
        yield path, child.get("title") or resolved.get("title", name)
        if resolved.get("contentMediaType") == "text/markdown":
            kinds["markdown"].add((kind, path))
        if resolved.get("type") == "boolean":
            kinds["boolean"].add((kind, path))
        if prefix.count(".") < 4:  # the schemas nest a few levels; never loop on a cycle
            yield from _titles(schemas, resolved, path + ".", kind, kinds)


# -- small shared shapes -------------------------------------------------------------


def tel_href(phone: str) -> str:
    return "tel:" + phone.replace("-", "").replace(" ", "")


def source_view(source: Source) -> dict[str, Any]:
    return {
        "title": source.title,
        "document_number": source.document_number,
        "publisher": source.publisher,
        "url": source.url,
        "date": source.date,
        "note": source.note,
    }


def basis_text(basis: Basis) -> str:
    return basis.law + (basis.article or "")


def markdown_or_none(text: str | None) -> Markup | None:
    return render_markdown(text) if text else None


def office_card(town: Town, office_id: str) -> dict[str, Any]:
    """Where a citizen goes: the office's name, link, address, hours and phone."""
    office = find_office(town, office_id)
    if office is None:
        return {
            "name": office_id,
            "url": None,
            "address": None,
            "hours": None,
            "phone": None,
            "parent": None,
        }
    return {
        "name": office.name,
        "url": urls.item_url(town.slug, "institutions", office.id),
        "address": office.address,
        "hours": office.hours,
        "phone": office.phone,
        "parent": office.parent_department,
    }


def town_ref(town: Town) -> dict[str, Any]:
    return {
        "name": town.facts.name,
        "url": urls.town_url(town.slug),
        "kind": town.facts.kind,
        "county": town.facts.county,
        "slug": town.slug,
    }


def summary_ref(town: TownSummary) -> dict[str, Any]:
    """The same shape as ``town_ref``, from a town's summary, with its list counts."""
    return {
        "name": town.name,
        "url": urls.town_url(town.slug),
        "kind": town.kind,
        "county": town.county,
        "slug": town.slug,
        "code": town.code,
        "sample": town.sample,
        "counts": {"powers": town.powers, "duties": town.duties, "institutions": town.institutions},
    }


def town_title(title: str, town: Town) -> str:
    """A page title that names its town, so that tabs, bookmarks, screen readers and print
    headers tell 马桥镇's page for a matter from 金山镇's: ``title`` unless it names it."""
    name = town.facts.name
    return title if name in title else f"{title} - {name}"


def town_crumbs(overview: Overview, town: Town) -> tuple[tuple[str, str], ...]:
    county = overview.county(town.facts.county)
    return (
        ("首页", urls.HOME),
        (county.name, urls.county_url(county.slug)),
        (town.facts.name, urls.town_url(town.slug)),
    )


def list_counts(town: Town) -> dict[str, int | None]:
    return {
        "powers": len(town.powers.items) if town.powers else None,
        "duties": len(town.duties.items) if town.duties else None,
        "institutions": len(town.institutions.items) if town.institutions else None,
    }


def status_note(
    status: str, effective_from: str | None, effective_to: str | None, reason: str | None
) -> str | None:
    """A sentence for items that are not simply in force, else None."""
    if status == STATUS_IN_FORCE:
        return None
    if status == "待生效":
        return f"本事项尚未生效，生效日期：{effective_from or '未定'}。"
    when = f"自 {first_day_out(effective_to)} 起" if effective_to else ""
    why = f"原因：{reason}" if reason else ""
    return f"本事项{when}{status}。{why}".strip()


def count_values(
    values: Iterator[str] | list[str], order: list[str] | None = None
) -> list[tuple[str, int]]:
    """(value, count) pairs, in ``order`` when given, else by descending count then value."""
    counts = Counter(values)
    if order is not None:
        return [(v, counts[v]) for v in order if counts[v]]
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def power_rows(town: Town) -> list[dict[str, Any]]:
    rows = []
    for number, power in enumerate(town.powers.items if town.powers else (), start=1):
        office = office_card(town, power.handling_office)
        rows.append(
            {
                "number": number,
                "id": power.id,
                "name": power.name,
                "sub_item": power.sub_item,
                "type": power.type,
                "field": power.field or "",
                "office": office,
                "status": power.status,
                "url": urls.item_url(town.slug, "powers", power.id),
            }
        )
    return rows


def duty_rows(town: Town) -> list[dict[str, Any]]:
    rows = []
    for number, duty in enumerate(town.duties.items if town.duties else (), start=1):
        office = office_card(town, duty.lead_office)
        leads = [d.name for d in duty.county_departments if d.role == "主责"]
        rows.append(
            {
                "number": number,
                "id": duty.id,
                "name": duty.name,
                "list_kind": duty.list_kind,
                "field": duty.field or "",
                "office": office,
                "county_leads": leads,
                "status": duty.status,
                "url": urls.item_url(town.slug, "duties", duty.id),
            }
        )
    return rows


def institution_rows(town: Town) -> list[dict[str, Any]]:
    rows = []
    for number, office in enumerate(town.institutions.items if town.institutions else (), start=1):
        staffing = office.staffing
        rows.append(
            {
                "number": number,
                "id": office.id,
                "name": office.name,
                "kind": office.kind,
                "slot": office.slot or "",
                "parent": office.parent_department or "",
                "administrative": staffing.administrative if staffing else None,
                "institutional": staffing.institutional if staffing else None,
                "leadership": office.leadership.summary if office.leadership else None,
                "phone": office.phone,
                "url": urls.item_url(town.slug, "institutions", office.id),
            }
        )
    return rows


def handled_by(town: Town) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """For each office id, the rows of the powers and duties it handles (one pass)."""
    handles: dict[str, dict[str, list[dict[str, Any]]]] = {
        o.id: {"powers": [], "duties": []}
        for o in (town.institutions.items if town.institutions else ())
    }
    powers = town.powers.items if town.powers else ()
    duties = town.duties.items if town.duties else ()
    for row, power in zip(power_rows(town), powers, strict=True):
        if power.handling_office in handles:
            handles[power.handling_office]["powers"].append(row)
    for row, duty in zip(duty_rows(town), duties, strict=True):
        if duty.lead_office in handles:
            handles[duty.lead_office]["duties"].append(row)
    return handles


def power_fields(power: Power, labels: Labels) -> list[tuple[str, Any]]:
    """(label, value) rows for the summary list of a power page; empty values left out."""
    rows: list[tuple[str, Any]] = [
        (labels("powers", "code"), power.code),
        (labels("powers", "type"), power.type),
        (labels("powers", "sub_item"), power.sub_item),
        (labels("powers", "field"), power.field),
        (labels("powers", "implementing_body"), power.implementing_body),
        (labels("powers", "body_nature"), power.body_nature),
        (labels("powers", "level"), power.level),
        (labels("powers", "original_department"), power.original_department),
        (labels("powers", "delegation_mode"), power.delegation_mode),
        (labels("powers", "delegation_scope"), power.delegation_scope),
        (labels("powers", "applicants"), "、".join(power.applicants) or None),
        (
            labels("powers", "time_limit") + "（法定）",
            power.time_limit.legal if power.time_limit else None,
        ),
        (
            labels("powers", "time_limit") + "（承诺）",
            power.time_limit.promised if power.time_limit else None,
        ),
        (labels("powers", "fees"), power.fees),
        (labels("powers", "remedies"), power.remedies),
        (labels("powers", "status"), power.status),
        (labels("powers", "effective_from"), power.effective_from),
        (labels("powers", "effective_to"), power.effective_to),
        (labels("powers", "notes"), power.notes),
        ("编号", power.id),
    ]
    return [(label, value) for label, value in rows if value]


def duty_fields(duty: Duty, labels: Labels) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [
        (labels("duties", "list_kind"), duty.list_kind),
        (labels("duties", "field"), duty.field),
        (labels("duties", "responsible_role"), duty.responsible_role),
        (labels("duties", "status"), duty.status),
        (labels("duties", "effective_from"), duty.effective_from),
        (labels("duties", "effective_to"), duty.effective_to),
        (labels("duties", "notes"), duty.notes),
        ("编号", duty.id),
    ]
    return [(label, value) for label, value in rows if value]


def institution_fields(office: Institution, labels: Labels) -> list[tuple[str, Any]]:
    staffing = office.staffing
    posts = (
        "、".join(f"{p.title}{p.count}名" for p in office.leadership.posts)
        if office.leadership
        else ""
    )
    rows: list[tuple[str, Any]] = [
        (labels("institutions", "kind"), office.kind),
        (labels("institutions", "public_service_class"), office.public_service_class),
        (labels("institutions", "slot"), office.slot),
        (labels("institutions", "standard_slot"), office.standard_slot),
        (labels("institutions", "also_named"), "、".join(office.also_named) or None),
        (labels("institutions", "parent_department"), office.parent_department),
        (labels("institutions", "management"), office.management),
        ("行政编制", staffing.administrative if staffing else None),
        ("事业编制", staffing.institutional if staffing else None),
        ("其他编制", staffing.other if staffing else None),
        ("编制说明", staffing.note if staffing else None),
        (
            labels("institutions", "leadership"),
            office.leadership.summary if office.leadership else None,
        ),
        ("职位", posts or None),
        (labels("institutions", "established"), office.established),
        ("编号", office.id),
    ]
    return [(label, value) for label, value in rows if value not in (None, "")]
