"""What a printed list or item page says about itself: title, town, 数据截至, edition."""

from __future__ import annotations

from dataclasses import replace

from ..content.model import Town
from ..history.replay import History
from .timeline import day
from .views import Page


def data_as_of(history: History, code: str) -> str | None:
    """数据截至: the day of the town's latest recorded change (Asia/Shanghai), or None when
    the site is not built from git history."""
    changes = history.town(code)
    return day(max(c.date for c in changes)) if changes else None


def with_colophon(page: Page, town: Town, as_of: str | None, edition: str | None = None) -> Page:
    """The page with what its printed footer says (``templates/print.html``): the
    document's title, the town, 数据截至 and, when known, the edition's label."""
    title = page.breadcrumbs[-1][0] if page.breadcrumbs else page.title
    place = town.facts.county + town.facts.name
    line = " · ".join(x for x in (title, place, f"数据截至 {as_of}" if as_of else "") if x)
    colophon = {"title": title, "town": place, "as_of": as_of, "edition": edition, "line": line}
    return replace(page, context={**page.context, "colophon": colophon})
