"""The city overview (figures and charts derived from the data) and the power comparison."""

from __future__ import annotations

from collections import Counter
from typing import Any

from . import urls
from .catalogue import Catalogue
from .views import Page

CHART_WIDTH = 640
LABEL_WIDTH = 150
BAR_HEIGHT = 22
BAR_GAP = 8


def bar_chart(chart_id: str, title: str, rows: list[tuple[str, int]], unit: str
              ) -> dict[str, Any]:
    """Geometry of a horizontal bar chart; the template draws it as inline SVG."""
    top = max((value for _, value in rows), default=0) or 1
    span = CHART_WIDTH - LABEL_WIDTH - 70
    bars = []
    for i, (label, value) in enumerate(rows):
        y = i * (BAR_HEIGHT + BAR_GAP)
        width = round(span * value / top, 1)
        bars.append({"label": label, "value": value, "y": y, "width": width,
                     "text_y": y + BAR_HEIGHT * 0.7, "value_x": LABEL_WIDTH + width + 6})
    height = max(len(rows) * (BAR_HEIGHT + BAR_GAP), BAR_HEIGHT)
    summary = "；".join(f"{label} {value}{unit}" for label, value in rows)
    return {"id": chart_id, "title": title, "bars": bars, "width": CHART_WIDTH,
            "height": height, "label_width": LABEL_WIDTH, "bar_height": BAR_HEIGHT,
            "summary": summary, "unit": unit}


def _county_rows(catalogue: Catalogue) -> list[dict[str, Any]]:
    rows = []
    for county in catalogue.region.counties:
        towns = catalogue.towns_in(county.name)
        kinds = Counter(t.facts.kind for t in towns)
        rows.append({"name": county.name, "url": urls.county_url(county.slug),
                     "streets": kinds["街道"], "zhen": kinds["镇"], "total": len(towns)})
    return rows


def _staffing(catalogue: Catalogue) -> dict[str, Any]:
    towns = [t for t in catalogue.towns if t.institutions]
    offices = [o for t in catalogue.towns if t.institutions for o in t.institutions.items]

    def total(attr: str) -> int:
        return sum(getattr(o.staffing, attr) or 0 for o in offices if o.staffing)
    return {"towns": len(towns), "offices": len(offices),
            "kinds": sorted(Counter(o.kind for o in offices).items(), key=lambda kv: -kv[1]),
            "administrative": total("administrative"), "institutional": total("institutional"),
            "other": total("other"), "sample": any(t.facts.sample for t in towns)}


def overview_page(catalogue: Catalogue) -> Page:
    counties = _county_rows(catalogue)
    powers = [p for t in catalogue.towns if t.powers for p in t.powers.items]
    duties = [d for t in catalogue.towns if t.duties for d in t.duties.items]
    power_types = sorted(Counter(p.type for p in powers).items(), key=lambda kv: (-kv[1], kv[0]))
    duty_kinds = sorted(Counter(d.list_kind for d in duties).items(),
                        key=lambda kv: (-kv[1], kv[0]))
    context = {
        "counties": counties,
        "totals": {"streets": sum(c["streets"] for c in counties),
                   "zhen": sum(c["zhen"] for c in counties),
                   "total": sum(c["total"] for c in counties)},
        "staffing": _staffing(catalogue),
        "power_towns": sum(1 for t in catalogue.towns if t.powers),
        "power_types": power_types, "duty_kinds": duty_kinds,
        "charts": {
            "towns": bar_chart("chart-towns", "各区县镇街数量",
                               [(c["name"], c["total"]) for c in counties], "个"),
            "powers": bar_chart("chart-powers", "赋权事项按类型统计", power_types, "项"),
        },
    }
    return Page(urls.OVERVIEW, "overview.html", "全市概览", context,
                sample=any(t.facts.sample for t in catalogue.towns),
                breadcrumbs=(("首页", urls.HOME), ("全市概览", urls.OVERVIEW)),
                description=f"{catalogue.region.name}镇街数量、机构编制和赋权事项统计")


def compare_rows(catalogue: Catalogue) -> list[dict[str, Any]]:
    """One row per matter (matched by official code, else by name) with the towns holding it."""
    rows: dict[str, dict[str, Any]] = {}
    for town in catalogue.towns:
        for power in town.powers.items if town.powers else ():
            key = f"code:{power.code}" if power.code else f"name:{power.name}"
            row = rows.setdefault(key, {"name": power.name, "type": power.type,
                                        "code": power.code, "holders": []})
            row["holders"].append({"town": town.facts.name, "status": power.status,
                                   "url": urls.item_url(town.slug, "powers", power.id)})
    return sorted(rows.values(), key=lambda r: -len(r["holders"]))


def compare_page(catalogue: Catalogue) -> Page:
    towns = [{"name": t.facts.name, "url": urls.list_url(t.slug, "powers"),
              "count": len(t.powers.items)} for t in catalogue.towns if t.powers]
    rows = compare_rows(catalogue)
    return Page(urls.COMPARE, "compare.html", "赋权事项对比", {"towns": towns, "rows": rows,
                "shared": sum(1 for r in rows if len(r["holders"]) > 1)},
                sample=any(t.facts.sample for t in catalogue.towns if t.powers),
                breadcrumbs=(("首页", urls.HOME), ("赋权事项对比", urls.COMPARE)),
                description="各镇街赋权事项对比：哪些镇街承接了哪些事项")
