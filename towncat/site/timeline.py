"""Presenters for change history: item records, town timelines, recent changes, feeds.

Dates are shown in Asia/Shanghai (UTC+8, no daylight saving since 1991). Three
dates stay apart: when the record changed (the commit), when it was approved
(文号 in the data) and when it takes effect (effective_from in the data).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import Any

from markupsafe import Markup, escape

from ..content.summary import Overview
from ..history.changes import TOWN_ITEM, FieldDiff, ItemDiff, TownVersion
from ..history.replay import Change, History
from . import urls
from .richtext import plain_text
from .views import Labels

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
ACTIONS = {
    "added": "新增",
    "removed": "删除",
    "changed": "修改",
    "moved": "移动",
    "restored": "恢复",
}
YES_NO = {"true": "是", "false": "否"}  # history reads scalars as text, as written
KINDS = {"powers": "赋权事项", "duties": "职责任务", "institutions": "机构", TOWN_ITEM: "镇街信息"}


def local(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(SHANGHAI)


def day(iso: str) -> str:
    return local(iso).strftime("%Y-%m-%d")


def stamp(iso: str) -> str:
    return local(iso).strftime("%Y-%m-%d %H:%M")


def field_label(labels: Labels, kind: str, name: str) -> str:
    try:
        return labels(kind, name)
    except KeyError:
        return name


def commit_fields(change: Change) -> dict[str, Any]:
    """When and by which record a change was made, as pages show it. The commit's message
    is never shown: only the editor's public note (``Change-Note:``), when there is one."""
    return {
        "date": day(change.date),
        "time": stamp(change.date),
        "iso": local(change.date).isoformat(),
        "note": change.note,
        "edition": change.edition,
        "short": change.short,
        "sha": change.sha,
    }


def diff_summary(diff: ItemDiff, labels: Labels, restored: bool = False) -> str:
    """What changed, in words generated from the diff: 修改了事项名称、办理时限."""
    if restored:
        return "恢复"
    if diff.action == "moved" and diff.old_kind:
        return f"从{KINDS[diff.old_kind]}移至{KINDS[diff.kind]}"
    if diff.action != "changed":
        return ACTIONS[diff.action]
    names = dict.fromkeys(field_label(labels, diff.kind, f.field) for f in diff.fields)
    return "修改了" + "、".join(names) if names else "修改"


def group_summary(entries: list[dict[str, Any]]) -> str:
    """A commit's changes to one town in words: 新增 2 项，修改 1 项（事项名称）."""
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry["action"]] = counts.get(entry["action"], 0) + 1
    parts = [f"{action} {count} 项" for action, count in counts.items()]
    fields = dict.fromkeys(label for e in entries for label in e["changed"])
    shown = "、".join(list(fields)[:4]) + ("等" if len(fields) > 4 else "")
    return "，".join(parts) + (f"（{shown}）" if fields else "")


def field_rows(labels: Labels, kind: str, diffs: Iterable[FieldDiff]) -> list[tuple[str, str, str]]:
    """(label, old, new) per changed field: nested paths labelled from the schema, Markdown
    as plain text."""
    rows = []
    for diff in diffs:
        path = diff.full_path
        old, new = diff.old, diff.new
        if kind in labels.by_kind and labels.is_markdown(kind, path):
            old, new = plain_text(old), plain_text(new)
        elif kind in labels.by_kind and labels.is_boolean(kind, path):
            old, new = (YES_NO.get(v.lower(), v) for v in (old, new))
        label = labels.path(kind, path) if kind in labels.by_kind else diff.field
        rows.append((label, old, new))
    return rows


def change_view(change: Change, labels: Labels, slug: str | None) -> dict[str, Any]:
    diff = change.diff
    action = "restored" if change.restored else diff.action
    url = None
    if slug is not None:
        url = (
            urls.town_url(slug)
            if diff.kind == TOWN_ITEM
            else urls.item_url(slug, diff.kind, diff.item_id)
        )
    return {
        **commit_fields(change),
        "action": ACTIONS[action],
        "kind": KINDS[diff.kind],
        "name": diff.name,
        "url": url,
        "fields": field_rows(labels, diff.kind, diff.fields),
        "changed": [field_label(labels, diff.kind, f.field) for f in diff.fields],
        "summary": diff_summary(diff, labels, change.restored),
        "text": change.note or diff_summary(diff, labels, change.restored),
        "major": change.major,
        "document_number": diff.document_number,
        "effective_from": diff.effective_from,
        "town": change.town_name,
        "id": f"{change.sha[:12]}-{change.town_code}-{diff.kind}-{diff.item_id}",
    }


def item_record(
    history: History, code: str, item_id: str, labels: Labels, slug: str
) -> dict[str, Any]:
    """首次发布, 最近更新 (major changes only) and the change list, newest first."""
    changes = history.item(code, item_id)
    first = next((c for c in changes if c.diff.action == "added"), None)
    major = [c for c in changes if c.diff.major]
    return {
        "complete": history.complete,
        "since": day(history.complete_from) if history.complete_from else None,
        "known": bool(changes),
        "first": day(first.date) if first else None,
        "updated": day(major[-1].date) if major else None,
        "entries": [change_view(c, labels, slug) for c in reversed(changes)],
    }


def slug_of_code(overview: Overview) -> dict[str, str]:
    return {t.code: t.slug for t in overview.towns}


def commit_groups(
    changes: Iterable[Change], labels: Labels, slugs: dict[str, str], limit: int | None = None
) -> list[dict[str, Any]]:
    """Changes grouped by commit and town, newest commit first."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for change in changes:
        key = (change.sha, change.town_code)
        slug = slugs.get(change.town_code)
        group = groups.get(key)
        if group is None:
            group = {
                **commit_fields(change),
                "town": change.town_name,
                "town_url": urls.town_url(slug) if slug else None,
                "timeline_url": timeline_url(slug) if slug else None,
                "entries": [],
                "code": change.town_code,
            }
            groups[key] = group
        group["entries"].append(change_view(change, labels, slug))
    for group in groups.values():
        group["summary"] = group_summary(group["entries"])
        group["text"] = group["note"] or group["summary"]
        group["major"] = any(e["major"] for e in group["entries"])
    ordered = sorted(groups.values(), key=lambda g: (g["iso"], g["sha"], g["code"]), reverse=True)
    return ordered[:limit] if limit else ordered


def feed_context(
    groups: list[dict[str, Any]], title: str, page_url: str, feed: str, base_url: str
) -> dict[str, Any]:
    """What an Atom feed needs; entry ids are stable (commit, town) pairs."""
    major = [g for g in groups if g["major"]]  # feeds carry major changes; pages list all
    updated = major[0]["iso"] if major else "1970-01-01T08:00:00+08:00"
    entries = [
        dict(
            g,
            entry_id=f"{base_url}{feed}#{g['sha'][:12]}-{g['code']}",
            title=entry_title(g),
            link=base_url + entry_link(g, page_url),
            html=entry_html(g, base_url),
        )
        for g in major[:50]
    ]
    return {
        "title": title,
        "id": base_url + feed,
        "self_url": base_url + feed,
        "alternate": base_url + page_url,
        "updated": updated,
        "entries": entries,
    }


def entry_title(group: dict[str, Any]) -> str:
    """The town, then the public text, without saying the town twice."""
    text: str = group["text"]
    return text if group["town"] in text else f"{group['town']}：{text}"


def entry_link(group: dict[str, Any], page_url: str) -> str:
    """The changed item when there is one, else the town's change page."""
    links = {e["url"] for e in group["entries"] if e["url"]}
    if len(links) == 1:
        return str(links.pop())
    return str(group["timeline_url"] or page_url)


def entry_html(group: dict[str, Any], base_url: str = "") -> str:
    """The HTML of a feed entry, with every value from the data escaped as HTML text and
    each item linked. The template escapes this string once more for XML, as
    ``type="html"`` requires."""
    items = []
    for c in group["entries"][:50]:
        fields = "".join(
            f"；{escape(label)}：{escape(old)} → {escape(new)}" for label, old, new in c["fields"]
        )
        name = escape(c["name"])
        if c["url"]:
            name = Markup(f'<a href="{escape(base_url + c["url"])}">{name}</a>')
        items.append(f"<li>{escape(c['action'])} {escape(c['kind'])}：{name}{fields}</li>")
    note = f"<p>{escape(group['note'])}</p>" if group["note"] else ""
    return note + "<ul>" + "".join(items) + "</ul>"


def timeline_url(slug: str) -> str:
    return f"towns/{slug}/changes/"


def feed_url(slug: str | None) -> str:
    return f"towns/{slug}/changes.xml" if slug else "changes.xml"


def render_diff_summary(
    towns: list[tuple[TownVersion, list[ItemDiff]]], old: str, new: str, labels: Labels
) -> str:
    """Markdown for a pull request: per town, items added, removed and changed."""
    if not towns:
        return f"### 清单变更（{old} → {new}）\n\n清单内容没有变化。"
    lines = [
        f"### 清单变更（{old} → {new}）",
        "",
        "| 镇街 | 新增 | 删除 | 修改 |",
        "|---|---|---|---|",
    ]
    for version, diffs in towns:
        count = {a: sum(1 for d in diffs if d.action == a) for a in ("added", "removed")}
        changed = len(diffs) - count["added"] - count["removed"]
        lines.append(f"| {version.name} | {count['added']} | {count['removed']} | {changed} |")
    for version, diffs in towns:
        lines += ["", f"#### {version.name}", ""]
        for d in diffs:
            lines.append(
                f"- {ACTIONS[d.action]} {KINDS[d.kind]} `{d.item_id or version.slug}` "
                f"{d.name}{'' if d.major else '（文字修改）'}"
            )
            rows = field_rows(labels, d.kind, d.fields)
            lines += [f"  - {label}：{old_} → {new_}" for label, old_, new_ in rows]
    return "\n".join(lines)
