"""The 办事指南 of an item shaped for its page, its checklist and its search record.

Pure: the guide, the item's time limit and fee, the handling office's card and
what the build found out about the form files (type and size) go in; plain data
comes out. A guide leaves a field empty where the item or its office already says
it (the office's address and hours stand in for 办理地点 and 办理时间).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..content.model import Guide, Material, TimeLimit
from . import urls
from .richtext import render_markdown

FormInfo = Mapping[str, Any]  # {"type", "media_type", "size", "size_text"} of one form file


def visits_text(visits: int | None) -> str | None:
    if visits is None:
        return None
    if visits == 0:
        return "0 次（全程网上办理）"
    return f"最多 {visits} 次"


def time_limit_text(time_limit: TimeLimit | None) -> str | None:
    """承诺 first (what the office promises), then the legal limit."""
    if time_limit is None:
        return None
    parts = [f"承诺{time_limit.promised}" if time_limit.promised else None]
    parts.append(f"法定{time_limit.legal}" if time_limit.legal else None)
    return "，".join(p for p in parts if p) or None


def material_details(material: Material) -> str:
    """One line under a material's name: form, copies, medium, where it comes from."""
    copies = f"{material.copies} 份" if material.copies else None
    parts = [material.form, copies, material.medium, material.source]
    return " · ".join(p for p in parts if p)


def material_line(number: int, material: Material) -> str:
    """A material as one line of plain text, for copying into a message or a note."""
    details = "，".join(
        p for p in (material.form, f"{material.copies}份" if material.copies else None) if p
    )
    optional = "（非必要）" if material.necessity == "非必要" else ""
    return f"{number}. {material.name}{optional}" + (f"（{details}）" if details else "")


def notice_rows(
    guide: Guide, office: Mapping[str, Any], time_limit: TimeLimit | None, fees: str | None
) -> list[tuple[str, str]]:
    """办理须知: where, when, how long, how much, how many visits — what a resident asks first."""
    rows = [
        ("办理地点", guide.location or office.get("address")),
        ("办理时间", guide.hours or office.get("hours")),
        ("办理时限", time_limit_text(time_limit)),
        ("收费", fees),
        ("到现场次数", visits_text(guide.visits)),
        ("办理方式", "、".join(guide.modes) or None),
    ]
    return [(label, value) for label, value in rows if value]


def form_link(town_slug: str, path: str, label: str, info: FormInfo) -> dict[str, Any]:
    return {
        "label": label,
        "url": urls.town_url(town_slug) + path,
        "name": path.rsplit("/", 1)[-1],
        "type": info["type"],
        "media_type": info["media_type"],
        "size": info["size_text"],
    }


def material_view(
    material: Material, town_slug: str, forms: Mapping[str, FormInfo]
) -> dict[str, Any]:
    links = [
        form_link(town_slug, path, label, forms[path])
        for path, label in ((material.blank_form, "空白表格"), (material.sample_form, "填写样例"))
        if path and path in forms
    ]
    return {
        "name": material.name,
        "necessity": material.necessity,
        "details": material_details(material),
        "note": material.note,
        "forms": links,
    }


def guide_view(
    guide: Guide,
    town_slug: str,
    office: Mapping[str, Any],
    time_limit: TimeLimit | None,
    fees: str | None,
    forms: Mapping[str, FormInfo],
) -> dict[str, Any]:
    """Everything the item page shows of a guide, in the order it shows it."""
    materials = [material_view(m, town_slug, forms) for m in guide.materials]
    return {
        "notice": notice_rows(guide, office, time_limit, fees),
        "online_url": guide.online_url,
        "conditions": list(guide.conditions),
        "materials": materials,
        "materials_text": "\n".join(
            material_line(n, m) for n, m in enumerate(guide.materials, start=1)
        ),
        "steps": [
            {
                "order": s.order,
                "name": s.name,
                "actor": s.actor,
                "action": s.action,
                "time_limit": s.time_limit,
            }
            for s in guide.steps
        ],
        "result_name": guide.result_name,
        "delivery": "、".join(guide.delivery) or None,
        "consult": guide.consult,
        "complaint": guide.complaint,
        "faq": [{"question": f.question, "answer": render_markdown(f.answer)} for f in guide.faq],
        "forms": [link for m in materials for link in m["forms"]],
    }


def guide_search_text(guide: Guide | None) -> str:
    """The materials and the result of a guide, for a low-weight search field: someone
    who types 户口本 or 营业执照 finds the items that ask for it."""
    if guide is None:
        return ""
    words = [m.name for m in guide.materials]
    if guide.result_name:
        words.append(guide.result_name)
    return " ".join(dict.fromkeys(words))
