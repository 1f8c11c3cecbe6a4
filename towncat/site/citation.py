"""What a page says about its version: edition, 数据截至 date, citation (引用本条).

The citation text names the town, list, item, edition and date, with the permalink of
the frozen version in that edition.

Pure functions over the record: an item is in an edition when its last change at or
before the edition's commit did not remove it; it is the same as in the edition when
nothing changed it since.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..content.model import Town
from ..history.editions import EditionRef
from ..history.replay import History
from . import urls
from .printing import data_as_of


@dataclass(frozen=True)
class Citing:
    """What every page of one rendering needs to cite itself."""

    history: History  # the whole record, also when rendering an edition's snapshot
    base_url: str  # the live site's, for permalinks
    edition: EditionRef | None = None  # the snapshot being rendered; None: the live site


@dataclass(frozen=True)
class Subject:
    """What a page is about: a town, one of its lists, or one item."""

    title: str  # the list's title (赋权事项清单), or the item's name
    url: str  # the page's own URL (site-relative)
    item_id: str | None = None  # None for town and list pages
    kind: str | None = None  # the item's list, for its URL in another edition
    list_title: str = ""  # for items: the list they are in


def _holds(history: History, code: str, subject: Subject, edition: EditionRef) -> str | None:
    """The URL the subject has in ``edition``'s snapshot, or None when it is not in it."""
    if subject.item_id is None:
        at = history.order.get(edition.content_sha, -1)
        in_it = any(history.position(c) <= at for c in history.town(code))
        return edition.prefix + subject.url if in_it else None
    kind = history.editions_of(code, subject.item_id).get(edition.name)
    if kind is None:
        return None
    slug = subject.url.split("/")[1]
    return edition.prefix + urls.item_url(slug, kind, subject.item_id)


def cite_view(citing: Citing, town: Town, subject: Subject) -> dict[str, Any]:
    """The edition, 数据截至 date, citation text and links to other editions of a page."""
    history = citing.history
    code = town.facts.code
    snapshot = citing.edition
    latest = snapshot or (history.editions[-1] if history.editions else None)
    if snapshot is not None:  # the page being rendered is the frozen version itself
        frozen: str | None = snapshot.prefix + subject.url
    else:
        frozen = _holds(history, code, subject, latest) if latest else None
    if snapshot is not None:
        as_of: str | None = snapshot.cited_date
        same = True
    else:
        as_of = data_as_of(history, code)
        same = (
            latest is not None
            and frozen is not None
            and not history.changed_since(code, latest, subject.item_id)
        )
    permalink = citing.base_url + (frozen if same and frozen else subject.url)
    place = f"{town.facts.county}{town.facts.name}"
    what = (
        f"{place}{subject.list_title}：“{subject.title}”（编号 {subject.item_id}）"
        if subject.item_id
        else f"{place}{subject.title}"
    )
    version = f"{latest.label}" if latest and same else "现行版本"
    text = f"{what}。{version}" + (f"，数据截至 {as_of}" if as_of else "") + f"。{permalink}"
    others = [
        {"label": e.label, "url": found, "current": e == snapshot}
        for e in history.editions
        if (found := frozen if e == snapshot else _holds(history, code, subject, e))
    ]
    return {
        "edition": latest.label if latest else None,
        "edition_date": latest.cited_date if latest else None,
        "document_number": latest.document_number if latest else None,
        "snapshot": snapshot is not None,
        "same": same,
        "as_of": as_of,
        "text": text,
        "permalink": permalink,
        "frozen_url": frozen,
        "frozen_link": citing.base_url + frozen if frozen else None,
        "live_url": subject.url if snapshot is not None else None,
        "others": others,
        "item": subject.item_id is not None,
    }
