"""The city overview (figures and charts derived from the data) and the power comparison."""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from ..content.summary import Matter, Overview, TownSummary
from . import urls
from .views import DUTY_KINDS, INSTITUTION_KINDS, POWER_TYPES, Page

CHART_WIDTH = 640
LABEL_WIDTH = 150
BAR_HEIGHT = 22
BAR_GAP = 8


def bar_chart(chart_id: str, title: str, rows: list[tuple[str, int]], unit: str) -> dict[str, Any]:
    """Geometry of a horizontal bar chart; the template draws it as inline SVG."""
    top = max((value for _, value in rows), default=0) or 1
    span = CHART_WIDTH - LABEL_WIDTH - 70
    bars = []
    for i, (label, value) in enumerate(rows):
        y = i * (BAR_HEIGHT + BAR_GAP)
        width = round(span * value / top, 1)
        bars.append(
            {
                "label": label,
                "value": value,
                "y": y,
                "width": width,
                "text_y": round(y + BAR_HEIGHT * 0.7, 1),
                "value_x": round(LABEL_WIDTH + width + 6, 1),
            }
        )
    height = max(len(rows) * (BAR_HEIGHT + BAR_GAP), BAR_HEIGHT)
    summary = "；".join(f"{label} {value}{unit}" for label, value in rows)
    return {
        "id": chart_id,
        "title": title,
        "bars": bars,
        "width": CHART_WIDTH,
        "height": height,
        "label_width": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
        "summary": summary,
        "unit": unit,
    }


def _county_rows(overview: Overview) -> list[dict[str, Any]]:
    rows = []
    for county in overview.region.counties:
        towns = overview.towns_in(county.name)
        kinds = Counter(t.kind for t in towns)
        rows.append(
            {
                "name": county.name,
                "url": urls.county_url(county.slug),
                "streets": kinds["街道"],
                "zhen": kinds["镇"],
                "total": len(towns),
            }
        )
    return rows


def _add(pairs: list[tuple[tuple[str, int], ...]]) -> Counter[str]:
    total = Counter[str]()
    for counts in pairs:
        for name, number in counts:
            total[name] += number
    return total


def _by_count(counter: Counter[str], order: list[str]) -> list[tuple[str, int]]:
    """Most frequent first; ties in the official order of the categories (not code points)."""
    rank = {name: i for i, name in enumerate(order)}
    return sorted(counter.items(), key=lambda kv: (-kv[1], rank.get(kv[0], len(order)), kv[0]))


def _staffing(overview: Overview) -> dict[str, Any]:
    towns = [t for t in overview.towns if t.institutions is not None]
    staffing = _add([t.staffing for t in towns])
    return {
        "towns": len(towns),
        "offices": sum(t.institutions or 0 for t in towns),
        "kinds": _by_count(_add([t.institution_kinds for t in towns]), INSTITUTION_KINDS),
        "administrative": staffing["administrative"],
        "institutional": staffing["institutional"],
        "other": staffing["other"],
        "sample": any(t.sample for t in towns),
    }


def overview_page(overview: Overview) -> Page:
    counties = _county_rows(overview)
    power_types = _by_count(_add([t.power_types for t in overview.towns]), POWER_TYPES)
    duty_kinds = _by_count(_add([t.duty_kinds for t in overview.towns]), DUTY_KINDS)
    context = {
        "counties": counties,
        "totals": {
            "streets": sum(c["streets"] for c in counties),
            "zhen": sum(c["zhen"] for c in counties),
            "total": sum(c["total"] for c in counties),
        },
        "staffing": _staffing(overview),
        "power_towns": sum(1 for t in overview.towns if t.powers is not None),
        "power_types": power_types,
        "duty_kinds": duty_kinds,
        "charts": {
            "towns": bar_chart(
                "chart-towns", "各区县镇街数量", [(c["name"], c["total"]) for c in counties], "个"
            ),
            "powers": bar_chart("chart-powers", "赋权事项按类型统计", power_types, "项"),
        },
    }
    return Page(
        urls.OVERVIEW,
        "overview.html",
        "全市概览",
        context,
        sample=any(t.sample for t in overview.towns),
        breadcrumbs=(("首页", urls.HOME), ("全市概览", urls.OVERVIEW)),
        description=f"{overview.region.name}镇街数量、机构编制和赋权事项统计",
    )


def compare_rows(overview: Overview) -> list[dict[str, Any]]:
    """One row per matter (matched by official code, else by name) with the towns holding it."""
    rows: dict[str, dict[str, Any]] = {}
    for town in overview.towns:
        for matter in town.matters:
            row = rows.setdefault(
                matter.key,
                {
                    "key": matter.key,
                    "name": matter.name,
                    "type": matter.type,
                    "code": matter.code,
                    "holders": [],
                },
            )
            row["holders"].append(
                {
                    "town": town.name,
                    "status": matter.status,
                    "url": urls.item_url(town.slug, "powers", matter.id),
                }
            )
    return sorted(rows.values(), key=lambda r: -len(r["holders"]))


GUIDE_COLUMNS = (
    ("promised", "承诺时限"),
    ("legal", "法定时限"),
    ("materials", "申请材料（项）"),
    ("visits", "到现场次数"),
    ("online", "网上办理"),
    ("fees", "收费"),
)


def matter_anchor(key: str) -> str:
    """A stable fragment id for one matter on the comparison page."""
    return "m-" + hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:10]


def _guide_cell(matter: Matter, column: str) -> str:
    value = getattr(matter, column)
    if column == "online":
        return "可以" if value else "不可以"
    return "—" if value is None else str(value)


def guide_comparisons(overview: Overview) -> list[dict[str, Any]]:
    """Matters whose 办事指南 two or more towns publish, side by side: one row per town,
    and for each column whether the towns differ (the page highlights it)."""
    held: dict[str, list[tuple[TownSummary, Matter]]] = {}
    for town in overview.towns:
        for matter in town.matters:
            if matter.materials is not None:
                held.setdefault(matter.key, []).append((town, matter))
    result = []
    for key, holders in held.items():
        if len(holders) < 2:
            continue
        values = {c: [_guide_cell(m, c) for _, m in holders] for c, _ in GUIDE_COLUMNS}
        differs = {c: len(set(v)) > 1 for c, v in values.items()}
        result.append(
            {
                "name": holders[0][1].name,
                "anchor": matter_anchor(key),
                "columns": [label for _, label in GUIDE_COLUMNS],
                "differences": [label for c, label in GUIDE_COLUMNS if differs[c]],
                "towns": [
                    {
                        "town": town.name,
                        "url": urls.item_url(town.slug, "powers", matter.id),
                        "cells": [(values[c][i], differs[c]) for c, _ in GUIDE_COLUMNS],
                    }
                    for i, (town, matter) in enumerate(holders)
                ],
            }
        )
    return result  # in the order of the towns (NBS code) and their lists


def compare_page(overview: Overview) -> Page:
    towns = [
        {"name": t.name, "url": urls.list_url(t.slug, "powers"), "count": t.powers}
        for t in overview.towns
        if t.powers is not None
    ]
    rows = compare_rows(overview)
    guides = guide_comparisons(overview)
    compared = {g["anchor"] for g in guides}
    for row in rows:  # the table links to the side-by-side guides below it
        anchor = matter_anchor(row["key"])
        row["guide"] = "#" + anchor if anchor in compared else None
    return Page(
        urls.COMPARE,
        "compare.html",
        "赋权事项对比",
        {
            "towns": towns,
            "rows": rows,
            "shared": sum(1 for r in rows if len(r["holders"]) > 1),
            "guides": guides,
        },
        sample=any(t.sample for t in overview.towns if t.powers is not None),
        breadcrumbs=(("首页", urls.HOME), ("赋权事项对比", urls.COMPARE)),
        description="各镇街赋权事项对比：哪些镇街承接了哪些事项",
    )
