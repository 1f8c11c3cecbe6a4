"""Every HTML page of the site, as ``Page`` values in a fixed order."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from ..config import Config
from ..content.model import Basis, Duty, Institution, Power, Town
from ..content.summary import Overview
from ..content.validity import first_day_out
from ..history.changes import TOWN_ITEM, TownVersion
from ..history.editions import EDITIONS, EditionRef, diff_editions
from ..history.replay import History
from . import jsonld, urls
from . import overview as overview_pages
from .citation import Citing, Subject, cite_view
from .guide import FormInfo, guide_search_text, guide_view
from .printing import with_colophon
from .timeline import (
    ACTIONS,
    KINDS,
    change_view,
    commit_groups,
    feed_url,
    field_rows,
    item_record,
    slug_of_code,
    timeline_url,
)
from .views import (
    DUTY_KINDS,
    GENERAL_HOTLINE,
    INSTITUTION_KINDS,
    LIST_TITLES,
    POWER_TYPES,
    Labels,
    Page,
    basis_text,
    count_values,
    duty_fields,
    duty_rows,
    handled_by,
    institution_fields,
    institution_rows,
    list_counts,
    markdown_or_none,
    office_card,
    power_fields,
    power_rows,
    source_view,
    status_note,
    summary_ref,
    town_crumbs,
    town_ref,
    town_title,
)


def build_pages(
    overview: Overview,
    config: Config,
    labels: Labels,
    history: History,
    *,
    bundles: Sequence[tuple[str, str]] = (),
) -> Iterator[Page]:
    """Home, counties and the city pages: every page that is not one town's own.
    ``bundles`` are the search index's bundles as (区县, path); none: search is off."""
    yield home_page(overview, history, labels)
    for county in overview.region.counties:
        yield county_page(overview, county.name, county.slug)
    yield changes_page(overview, history, labels)
    yield overview_pages.overview_page(overview)
    yield overview_pages.compare_page(overview)
    yield data_page(overview)
    yield search_page(overview, bundles)
    yield not_found_page()


def any_sample(overview: Overview) -> bool:
    return any(t.sample for t in overview.towns)


def headline(overview: Overview) -> dict[str, int]:
    towns = overview.towns
    return {
        "towns": len(towns),
        "streets": sum(1 for t in towns if t.kind == "街道"),
        "zhen": sum(1 for t in towns if t.kind == "镇"),
        "published": sum(1 for t in towns if t.has_lists),
        "powers": sum(t.powers or 0 for t in towns),
        "duties": sum(t.duties or 0 for t in towns),
        "institutions": sum(t.institutions or 0 for t in towns),
    }


def home_page(overview: Overview, history: History, labels: Labels) -> Page:
    counties = [
        {
            "name": c.name,
            "url": urls.county_url(c.slug),
            "towns": [summary_ref(t) for t in overview.towns_in(c.name)],
        }
        for c in overview.region.counties
    ]
    recent = commit_groups(history.changes, labels, slug_of_code(overview), limit=5)
    return Page(
        urls.HOME,
        "home.html",
        overview.region.name + "镇街权责清单",
        {"counties": counties, "figures": headline(overview), "recent": recent},
        sample=any_sample(overview),
        description=f"{overview.region.name}各镇街的赋权事项、职责任务和机构设置",
    )


def county_page(overview: Overview, name: str, slug: str) -> Page:
    towns = overview.towns_in(name)
    return Page(
        urls.county_url(slug),
        "county.html",
        name,
        {"towns": [summary_ref(t) for t in towns], "county": name},
        sample=any(t.sample for t in towns),
        breadcrumbs=(("首页", urls.HOME), (name, urls.county_url(slug))),
        description=f"{overview.region.name}{name}所辖镇街",
    )


def build_town_pages(
    overview: Overview,
    town: Town,
    config: Config,
    labels: Labels,
    history: History,
    citing: Citing | None = None,
    forms: Mapping[str, FormInfo] | None = None,
) -> Iterator[Page]:
    """One town's pages: the town, its timeline, lists, items (and the materials checklist
    of each item with a guide), offices, withdrawn items. ``forms``: type and size of
    each form file the guides name."""
    citing = citing or Citing(history, config.base_url)
    forms = forms or {}

    def record(item_id: str) -> dict[str, Any]:
        return item_record(history, town.facts.code, item_id, labels, town.slug)

    def cited(page: Page, item: tuple[str, str, str] | None = None, title: str = "") -> Page:
        """The page with its edition, 数据截至 date and citation (item: kind, id, name)."""
        if item is None:
            subject = Subject(title, page.url)
        else:
            kind, item_id, name = item
            subject = Subject(name, page.url, item_id, kind, LIST_TITLES[kind])
        view = cite_view(citing, town, subject)
        return replace(page, context={**page.context, "cite": view})

    def documented(page: Page) -> Page:  # list and item pages print as official documents
        cite = page.context["cite"]
        edition = cite["edition"] if cite["same"] else None
        return with_colophon(page, town, cite["as_of"], edition)

    def item(page: Page, kind: str, item_id: str, name: str) -> Page:
        catalogue = jsonld.catalogue_ld(
            town,
            LIST_TITLES[kind],
            urls.list_url(town.slug, kind),
            urls.town_url(town.slug),
            config.base_url,
        )
        page = with_record(page, record(item_id), catalogue)
        return documented(cited(page, (kind, item_id, name)))

    yield cited(town_page(overview, town, history, labels), title="权责清单")
    yield timeline_page(overview, town, history, labels)
    for kind in urls.LIST_KINDS:
        if getattr(town, kind) is not None:
            yield documented(cited(list_page(overview, town, kind), title=LIST_TITLES[kind]))
    for power in town.powers.items if town.powers else ():
        page = power_page(overview, town, power, config, labels, forms)
        yield item(page, "powers", power.id, power.name)
        if power.guide is not None:
            yield checklist_page(overview, town, "powers", power, page)
    for duty in town.duties.items if town.duties else ():
        page = duty_page(overview, town, duty, labels, forms)
        yield item(page, "duties", duty.id, duty.name)
        if duty.guide is not None:
            yield checklist_page(overview, town, "duties", duty, page)
    handles = handled_by(town)
    for office in town.institutions.items if town.institutions else ():
        page = office_page(overview, town, office, config, labels, handles[office.id])
        yield item(page, "institutions", office.id, office.name)
    yield from withdrawn_pages(overview, town, history, labels)


def with_record(
    page: Page, record: dict[str, Any], catalogue: dict[str, Any] | None = None
) -> Page:
    """The page with its item's change record; its JSON-LD gains the date of the item's
    last major change (when the history is complete), the list it belongs to and, for
    sample content, a disclaimer."""
    json_ld = page.json_ld
    if json_ld is not None:
        modified = record["updated"] if record["complete"] else None
        json_ld = jsonld.with_page_facts(
            json_ld, modified=modified, catalogue=catalogue, sample=page.sample
        )
    return replace(page, context={**page.context, "record": record}, json_ld=json_ld)


def timeline_page(overview: Overview, town: Town, history: History, labels: Labels) -> Page:
    groups = commit_groups(history.town(town.facts.code), labels, slug_of_code(overview))
    url = timeline_url(town.slug)
    return Page(
        url,
        "timeline.html",
        f"{town.facts.name}变更记录",
        {
            "town": town_ref(town),
            "groups": groups,
            "complete": history.complete,
            "feed": feed_url(town.slug),
        },
        sample=town.facts.sample,
        breadcrumbs=(*town_crumbs(overview, town), ("变更记录", url)),
        description=f"{town.facts.name}清单的全部变更记录",
    )


def withdrawn_pages(
    overview: Overview, town: Town, history: History, labels: Labels
) -> Iterator[Page]:
    """A page at the permanent URL of every item that was removed or moved to another list:
    it says when and why, or where the item is now."""
    current = {
        i.id for lst in (town.powers, town.duties, town.institutions) if lst for i in lst.items
    }
    yield from moved_pages(overview, town, history, labels, current)
    seen: set[str] = set()
    for change in reversed(history.town(town.facts.code)):
        diff = change.diff
        if diff.kind == TOWN_ITEM or diff.item_id in current or diff.item_id in seen:
            continue
        seen.add(diff.item_id)
        if diff.action != "removed":
            continue
        url = urls.item_url(town.slug, diff.kind, diff.item_id)
        data = diff.data or {}
        reason = data.get("withdrawn_reason")
        context = {
            "town": town_ref(town),
            "name": diff.name,
            "kind": diff.kind,
            "removed": change_view(change, labels, town.slug),
            "reason": str(reason) if reason else None,
            "record": item_record(history, town.facts.code, diff.item_id, labels, town.slug),
            "list_url": urls.list_url(town.slug, diff.kind),
        }
        yield Page(
            url,
            "withdrawn.html",
            town_title(f"{diff.name}（已删除）", town),
            context,
            sample=town.facts.sample,
            breadcrumbs=_item_crumbs(overview, town, diff.kind, diff.name, url),
            description=f"{town.facts.name}：本事项已从清单中删除",
        )


def moved_pages(
    overview: Overview, town: Town, history: History, labels: Labels, current: set[str]
) -> Iterator[Page]:
    kinds = {
        i.id: kind
        for kind in urls.LIST_KINDS
        if getattr(town, kind)
        for i in getattr(town, kind).items
    }
    done: set[tuple[str, str]] = set()
    for change in reversed(history.town(town.facts.code)):
        diff = change.diff
        old = (diff.old_kind or "", diff.item_id)
        if (
            diff.action != "moved"
            or diff.item_id not in current
            or old in done
            or kinds.get(diff.item_id) == diff.old_kind
            or diff.old_kind is None
        ):
            continue
        done.add(old)
        url = urls.item_url(town.slug, diff.old_kind, diff.item_id)
        context = {
            "town": town_ref(town),
            "name": diff.name,
            "moved": change_view(change, labels, town.slug),
            "new_url": urls.item_url(town.slug, kinds[diff.item_id], diff.item_id),
        }
        yield Page(
            url,
            "moved.html",
            town_title(f"{diff.name}（已移至其他清单）", town),
            context,
            sample=town.facts.sample,
            breadcrumbs=_item_crumbs(overview, town, diff.old_kind, diff.name, url),
            description=f"{town.facts.name}：本事项已移至其他清单",
        )


def changes_page(overview: Overview, history: History, labels: Labels) -> Page:
    groups = commit_groups(history.changes, labels, slug_of_code(overview), limit=100)
    return Page(
        urls.CHANGES,
        "changes.html",
        "最近变更",
        {"groups": groups, "complete": history.complete, "feed": feed_url(None)},
        sample=any_sample(overview),
        breadcrumbs=(("首页", urls.HOME), ("最近变更", urls.CHANGES)),
        description="全市镇街清单的最近变更",
    )


def town_page(overview: Overview, town: Town, history: History, labels: Labels) -> Page:
    facts = town.facts
    region = overview.region
    powers = town.powers.items if town.powers else ()
    duties = town.duties.items if town.duties else ()
    offices = town.institutions.items if town.institutions else ()
    lists = [
        {
            "kind": kind,
            "title": LIST_TITLES[kind],
            "url": urls.list_url(town.slug, kind),
            "count": count,
            "info": getattr(town, kind).info if count is not None else None,
        }
        for kind, count in list_counts(town).items()
    ]
    context = {
        "town": town_ref(town),
        "facts": facts,
        "authority": facts.authority or default_authority(facts.name, facts.kind),
        "summary": markdown_or_none(facts.summary),
        "sample_note": facts.sample_note,
        "service_center": facts.service_center,
        "edition": facts.edition,
        "designations": [
            {"name": d.name, "source": source_view(d.source) if d.source else None}
            for d in facts.designations
        ],
        "history": facts.history,
        "sources": [source_view(s) for s in facts.sources],
        "rights": [
            {"name": r.name, "description": markdown_or_none(r.description)}
            for r in region.town_rights
        ],
        "rights_source": source_view(region.town_rights_source)
        if region.town_rights_source
        else None,
        "lists": lists,
        "power_types": count_values([p.type for p in powers], POWER_TYPES),
        "duty_kinds": count_values([d.list_kind for d in duties], DUTY_KINDS),
        "institution_kinds": count_values([o.kind for o in offices], INSTITUTION_KINDS),
        "hotline": GENERAL_HOTLINE,
        "recent": commit_groups(history.town(facts.code), labels, slug_of_code(overview), limit=3),
        "timeline_url": timeline_url(town.slug),
    }
    return Page(
        urls.town_url(town.slug),
        "town.html",
        facts.name,
        context,
        sample=facts.sample,
        breadcrumbs=town_crumbs(overview, town),
        description=f"{facts.county}{facts.name}的赋权事项、职责任务和机构设置",
        json_ld=jsonld.town_ld(town, overview.region.name),
    )


def default_authority(name: str, kind: str) -> str:
    return name + ("办事处" if kind == "街道" else "人民政府")


def list_page(overview: Overview, town: Town, kind: str) -> Page:
    rows = {"powers": power_rows, "duties": duty_rows, "institutions": institution_rows}[kind](town)
    if kind != "institutions":  # the table's filter also matches what residents call them
        items = getattr(town, kind).items
        rows = [
            dict(row, terms=" ".join(said_as(item, thesaurus_phrases(overview, item))))
            for row, item in zip(rows, items, strict=True)
        ]
    filter_key = {"powers": "type", "duties": "list_kind", "institutions": "kind"}[kind]
    info = getattr(town, kind).info
    context = {
        "town": town_ref(town),
        "kind": kind,
        "rows": rows,
        "info": info,
        "note": markdown_or_none(info.note),
        "approval": source_view(info.approval) if info.approval else None,
        "filter_values": sorted({r[filter_key] for r in rows}),
        "office_values": sorted({r["office"]["name"] for r in rows})
        if kind != "institutions"
        else [],
    }
    title = f"{town.facts.name}{LIST_TITLES[kind]}"
    return Page(
        urls.list_url(town.slug, kind),
        f"list_{kind}.html",
        title,
        context,
        sample=town.facts.sample,
        breadcrumbs=(
            *town_crumbs(overview, town),
            (LIST_TITLES[kind], urls.list_url(town.slug, kind)),
        ),
        description=f"{town.facts.county}{town.facts.name}{LIST_TITLES[kind]}，共 {len(rows)} 项",
    )


def _item_crumbs(
    overview: Overview, town: Town, kind: str, title: str, url: str
) -> tuple[tuple[str, str], ...]:
    return (
        *town_crumbs(overview, town),
        (LIST_TITLES[kind], urls.list_url(town.slug, kind)),
        (title, url),
    )


SEARCH_KINDS = {"powers": "赋权事项", "duties": "职责", "institutions": "机构"}
NOT_IN_FORCE = "不再办理"
# An indexed word on items no longer in force, so that the search page can rank them last
# without loading the filter files (static/search.js WITHDRAWN_WORD).
WITHDRAWN_WORD = "kwithdrawn"


def _search_record(
    town: Town,
    kind: str,
    type_label: str,
    office: dict[str, Any],
    keywords: tuple[str, ...],
    phone: str | None = None,
    *,
    name: str = "",
    related: tuple[str, ...] = (),
    status: str = "现行",
    status_label: str = "现行",
    materials: str = "",
) -> dict[str, Any]:
    """Filters and result fields of one search record (an item or office page).
    ``related``: the thesaurus's phrases for the item, a low-weight field."""
    return {
        "county": town.facts.county,
        "town": town.facts.name,
        "kind": SEARCH_KINDS[kind],
        "type": type_label,
        "office": office["name"],
        "phone": phone or office["phone"],
        "keywords": " ".join(keywords),
        "related": " ".join(related),
        "materials": materials,
        # the 状态 filter: items no longer in force share one value
        "status": NOT_IN_FORCE if status in ("已取消", "已收回") else status,
        "status_label": status_label,
        "grams": name_grams(office["name"] if kind == "institutions" else name, *keywords)
        + (f" {WITHDRAWN_WORD}" if status in ("已取消", "已收回") else ""),
    }


def status_label(item: Power | Duty) -> str:
    """A result card's word on an item no longer in force: since when, and where it went."""
    if item.status == "现行":
        return "现行"
    if item.status == "待生效":
        return f"待生效：{item.effective_from}起施行" if item.effective_from else "待生效"
    since = f"{first_day_out(item.effective_to)}起" if item.effective_to else ""
    went = getattr(item, "original_department", None)
    if item.status == "已收回" and went:
        return f"已收回，不再由本镇街办理：{since}由{went}办理"
    return f"{item.status}，不再由本镇街办理{'：' + since if since else ''}"


def name_grams(*texts: str) -> str:
    """Each pair of adjacent Chinese characters of ``texts`` as an ASCII word (``k`` and the
    two code points in hex), so that search matches a name's words exactly, whatever the
    browser's and the indexer's word segmentation (static/query.js ``grams`` is its twin)."""
    found: dict[str, None] = {}
    for text in texts:
        han = [c for c in text if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"]
        for a, b in itertools.pairwise(han):
            found[f"k{ord(a):05x}{ord(b):05x}"] = None
    return " ".join(found)


def thesaurus_phrases(overview: Overview, item: Power | Duty) -> tuple[str, ...]:
    """The thesaurus's phrases for an item: those of the entries whose words its name or
    keywords contain."""
    return overview.thesaurus.related([item.name, *item.keywords])


def said_as(item: Power | Duty, phrases: tuple[str, ...]) -> tuple[str, ...]:
    """相关说法: the item's own keywords, then the thesaurus's phrases."""
    return tuple(dict.fromkeys((*item.keywords, *phrases)))


def power_page(
    overview: Overview,
    town: Town,
    power: Power,
    config: Config,
    labels: Labels,
    forms: Mapping[str, FormInfo] | None = None,
) -> Page:
    url = urls.item_url(town.slug, "powers", power.id)
    office = office_card(town, power.handling_office)
    phrases = thesaurus_phrases(overview, power)
    phones = power.phones
    guide = (
        guide_view(power.guide, town.slug, office, power.time_limit, power.fees, forms or {})
        if power.guide
        else None
    )
    context = {
        "guide": guide,
        "checklist_url": url + CHECKLIST if guide else None,
        "discretion": discretion_view(power),
        "replaced_by": replacement(town, "powers", power.replaced_by),
        "town": town_ref(town),
        "item": power,
        "fields": power_fields(power, labels),
        "basis": [basis_view(b) for b in power.basis],
        "office": office,
        "hotline": GENERAL_HOTLINE,
        "phones": [
            (labels("powers", "phones") + label, number)
            for label, number in (
                ("（咨询）", phones.consult if phones else None),
                ("（投诉）", phones.complaint if phones else None),
                ("（监督）", phones.supervise if phones else None),
            )
            if number
        ],
        "description": markdown_or_none(power.description),
        "accountability": markdown_or_none(power.accountability),
        "delegating_act": source_view(power.delegating_act) if power.delegating_act else None,
        "sources": [source_view(s) for s in power.sources],
        "status_note": status_note(
            power.status, power.effective_from, power.effective_to, power.withdrawn_reason
        ),
        "keywords": said_as(power, phrases),
    }
    return Page(
        url,
        "power.html",
        town_title(power.name, town),
        context,
        sample=town.facts.sample,
        breadcrumbs=_item_crumbs(overview, town, "powers", power.name, url),
        description=f"{town.facts.name}·{power.type}·承办机构：{office['name']}",
        json_ld=jsonld.power_ld(power, town, office, config.base_url + url),
        search_record=_search_record(
            town,
            "powers",
            power.type,
            office,
            power.keywords,
            phones.consult if phones else None,
            name=power.name,
            related=phrases,
            status=power.status,
            status_label=status_label(power),
            materials=guide_search_text(power.guide),
        ),
    )


def duty_page(
    overview: Overview,
    town: Town,
    duty: Duty,
    labels: Labels,
    forms: Mapping[str, FormInfo] | None = None,
) -> Page:
    url = urls.item_url(town.slug, "duties", duty.id)
    office = office_card(town, duty.lead_office)
    phrases = thesaurus_phrases(overview, duty)
    guide = (
        guide_view(duty.guide, town.slug, office, None, None, forms or {}) if duty.guide else None
    )
    context = {
        "guide": guide,
        "checklist_url": url + CHECKLIST if guide else None,
        "replaced_by": replacement(town, "duties", duty.replaced_by),
        "town": town_ref(town),
        "item": duty,
        "fields": duty_fields(duty, labels),
        "content": markdown_or_none(duty.content),
        "office": office,
        "phone": duty.phone,
        "hotline": GENERAL_HOTLINE,
        "departments": duty.county_departments,
        "process": duty.process,
        "basis": [basis_view(b) for b in duty.basis],
        "sources": [source_view(s) for s in duty.sources],
        "status_note": status_note(
            duty.status, duty.effective_from, duty.effective_to, duty.withdrawn_reason
        ),
        "keywords": said_as(duty, phrases),
    }
    return Page(
        url,
        "duty.html",
        town_title(duty.name, town),
        context,
        sample=town.facts.sample,
        breadcrumbs=_item_crumbs(overview, town, "duties", duty.name, url),
        description=f"{town.facts.name}·{duty.list_kind}·承办机构：{office['name']}",
        search_record=_search_record(
            town,
            "duties",
            duty.list_kind,
            office,
            duty.keywords,
            duty.phone,
            name=duty.name,
            related=phrases,
            status=duty.status,
            status_label=status_label(duty),
            materials=guide_search_text(duty.guide),
        ),
    )


CHECKLIST = "materials/"  # below an item's URL: its printable materials checklist


def basis_view(basis: Basis) -> dict[str, Any]:
    revised = f"（{basis.revised}版）" if basis.revised else ""
    return {"text": basis_text(basis) + revised, "quote": basis.text}


def discretion_view(power: Power) -> dict[str, Any] | None:
    """裁量基准: the document that publishes it and its table, when given."""
    if power.discretion is None:
        return None
    source = power.discretion.source
    return {
        "source": source_view(source) if source else None,
        "rows": [(r.circumstance, r.standard) for r in power.discretion.rows],
    }


def replacement(town: Town, kind: str, item_id: str | None) -> dict[str, str] | None:
    """The item that replaced a cancelled one (checked to exist in the same list)."""
    if item_id is None:
        return None
    items = getattr(town, kind).items
    target = next((i for i in items if i.id == item_id), None)
    if target is None:
        return None
    return {"name": target.name, "url": urls.item_url(town.slug, kind, item_id)}


def checklist_page(
    overview: Overview, town: Town, kind: str, item: Power | Duty, page: Page
) -> Page:
    """A printable 材料清单 of one item: what to bring, where and when, on one A4 page."""
    url = page.url + CHECKLIST
    context = {
        "town": town_ref(town),
        "item_name": item.name,
        "item_url": page.url,
        "office": page.context["office"],
        "guide": page.context["guide"],
    }
    return Page(
        url,
        "checklist.html",
        town_title(f"{item.name}材料清单", town),
        context,
        sample=town.facts.sample,
        breadcrumbs=(*_item_crumbs(overview, town, kind, item.name, page.url), ("材料清单", url)),
        description=f"{town.facts.name}{item.name}：申请材料清单（可打印）",
    )


def office_page(
    overview: Overview,
    town: Town,
    office: Institution,
    config: Config,
    labels: Labels,
    handles: dict[str, list[dict[str, Any]]],
) -> Page:
    """An office: where it is, how to reach it, and the powers and duties it handles."""
    url = urls.item_url(town.slug, "institutions", office.id)
    context = {
        "town": town_ref(town),
        "item": office,
        "fields": institution_fields(office, labels),
        "description": markdown_or_none(office.description),
        "handles": handles,
        "covers": [summary_ref(overview.by_slug()[s]) for s in office.covers_towns],
        "sources": [source_view(s) for s in office.sources],
        "hotline": GENERAL_HOTLINE,
    }
    return Page(
        url,
        "office.html",
        town_title(office.name, town),
        context,
        sample=town.facts.sample,
        breadcrumbs=_item_crumbs(overview, town, "institutions", office.name, url),
        description=f"{town.facts.name}{office.name}：地址、办公时间、电话和承办事项",
        json_ld=jsonld.office_ld(office, town, config.base_url + url),
        search_record=_search_record(
            town,
            "institutions",
            office.kind,
            {"name": office.name, "phone": office.phone},
            (office.short_name,) if office.short_name else (),
        ),
    )


def data_page(overview: Overview) -> Page:
    towns = [
        dict(
            summary_ref(t),
            json=urls.town_data_url(t.slug, "catalogue.json"),
            csv={
                k: urls.town_data_url(t.slug, f"{k}.csv")
                for k, n in summary_ref(t)["counts"].items()
                if n is not None
            }
            | (
                {"materials": urls.town_data_url(t.slug, "materials.csv")}
                if t.powers is not None or t.duties is not None
                else {}
            ),
        )
        for t in overview.towns
    ]
    return Page(
        urls.DATA,
        "data.html",
        "数据下载",
        {"towns": towns, "list_titles": {**LIST_TITLES, "materials": "申请材料"}},
        sample=any_sample(overview),
        breadcrumbs=(("首页", urls.HOME), ("数据下载", urls.DATA)),
        description="全部清单的 JSON、CSV 数据和 JSON Schema 模式文件",
    )


def search_page(overview: Overview, bundles: Sequence[tuple[str, str]]) -> Page:
    """The search page; without bundles it says search is off. The 区县 filter's options
    come with the page, each with its county's bundles (``bundles``: (区县, path) in
    order), so that the browser loads only those for a search within one county."""
    filters = ["区县", "镇街", "类别", "事项类型", "承办机构"]
    counties: dict[str, list[str]] = {}
    for county, path in bundles:
        counties.setdefault(county, []).append(path)
    # without JavaScript there is no search: the page links every town's lists instead
    lists = [
        (county.name, [(t.name, urls.town_url(t.slug)) for t in towns])
        for county in overview.region.counties
        if (towns := [t for t in overview.towns_in(county.name) if t.has_lists])
    ]
    context = {
        "bundles": [path for _, path in bundles],
        "counties": counties,
        "filters": filters,
        "lists": lists,
        "compare": urls.COMPARE,
    }
    return Page(
        urls.SEARCH,
        "search.html",
        "搜索",
        context,
        sample=any_sample(overview),
        breadcrumbs=(("首页", urls.HOME), ("搜索", urls.SEARCH)),
        description="搜索全部镇街的事项和机构",
    )


def not_found_page() -> Page:
    return Page(urls.NOT_FOUND, "404.html", "页面未找到", {})


def editions_page(built: list[tuple[EditionRef, dict[str, TownVersion]]], labels: Labels) -> Page:
    """Every published edition, newest first, with what changed since the one before."""
    editions = []
    previous: dict[str, TownVersion] = {}
    for edition, versions in built:
        towns = (
            [
                {
                    "name": version.name,
                    "entries": [
                        {
                            "action": ACTIONS[d.action],
                            "kind": KINDS[d.kind],
                            "name": d.name,
                            "fields": field_rows(labels, d.kind, d.fields),
                        }
                        for d in diffs
                    ],
                }
                for version, diffs in diff_editions(previous, versions)
            ]
            if previous
            else []
        )
        editions.append(
            {
                "name": edition.name,
                "label": edition.label,
                "tag": edition.tag,
                "date": edition.cited_date,
                "approved": edition.approved,
                "document_number": edition.document_number,
                "note": edition.note,
                "sample": edition.sample,
                "url": edition.prefix,
                "towns": towns,
                "first": not previous,
            }
        )
        previous = versions
    return Page(
        EDITIONS,
        "editions.html",
        "历史版本",
        {"editions": editions[::-1]},
        breadcrumbs=(("首页", urls.HOME), ("历史版本", EDITIONS)),
        description="已发布的各版清单及版本之间的变更",
    )
