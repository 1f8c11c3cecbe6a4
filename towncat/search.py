"""Search indexing with Pagefind's extended build (Chinese segmentation), one bundle per 区县.

Item and office pages are the search records (``data-pagefind-body``). Pagefind
segments the index with jieba but the browser segments queries with ICU, so a
query such as 排污 can miss pages that contain it; every record therefore gets a
hidden field listing its distinct Chinese characters, which restores recall
(measured in shared/reference/pagefind.md §2.6). Bundles are built one per
county and merged in the browser, which keeps common-term searches fast and the
indexer's memory bounded by the largest county.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .summary import Overview

CHARS_MARKER = "<!--search-chars-->"
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TAG = re.compile(r"<[^>]+>")
_IGNORED = re.compile(r"<(p|div|section)\b[^>]*\bdata-pagefind-ignore\b[^>]*>.*?</\1>", re.DOTALL)
BUNDLE_ROOT = "pagefind"


class SearchIndexError(Exception):
    """The indexer failed; the message says which bundle and what Pagefind printed."""


@dataclass(frozen=True)
class Bundle:
    name: str  # county slug
    towns: tuple[str, ...]  # town slugs whose pages it indexes

    @property
    def path(self) -> str:
        return f"{BUNDLE_ROOT}/{self.name}/"


def plan_bundles(overview: Overview) -> list[Bundle]:
    """One bundle per county that has at least one town with a published list."""
    bundles = []
    for county in overview.region.counties:
        towns = tuple(t.slug for t in overview.towns_in(county.name) if t.has_lists)
        if towns:
            bundles.append(Bundle(county.slug, towns))
    return bundles


def distinct_chars(html: str) -> str:
    """The distinct Chinese characters of ``html``'s indexed text (elements marked
    ``data-pagefind-ignore`` left out), in code-point order."""
    text = _TAG.sub(" ", _IGNORED.sub(" ", html))
    return " ".join(sorted(set(_CJK.findall(text))))


def add_search_chars(html: str) -> str:
    """Replace the marker in a record page with the hidden character field."""
    if CHARS_MARKER not in html:
        return html
    start = html.find("data-pagefind-body")
    body = html[start : html.index(CHARS_MARKER)] if start >= 0 else ""
    field = (
        f'<div hidden data-pagefind-ignore data-pagefind-meta="字[data-chars]" '
        f'data-chars="{distinct_chars(body)}"></div>'
    )
    return html.replace(CHARS_MARKER, field, 1)


def pagefind_binary() -> str:
    from pagefind_bin_extended import get_executable  # type: ignore[import-untyped]

    return str(get_executable())


def index_bundle(site: Path, bundle: Bundle, binary: str) -> None:
    towns = ",".join(bundle.towns)
    glob = f"towns/{{{towns}}}/**/*.html" if len(bundle.towns) > 1 else f"towns/{towns}/**/*.html"
    command = [
        binary,
        "--site",
        str(site),
        "--glob",
        glob,
        "--output-subdir",
        bundle.path.rstrip("/"),
        "--silent",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not (site / bundle.path / "pagefind.js").is_file():
        detail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise SearchIndexError(
            f"搜索索引 {bundle.name} 生成失败（退出码 {done.returncode}）：" + " / ".join(detail)
        )


def index_site(site: Path, bundles: Iterable[Bundle], workers: int = 2) -> None:
    """Build every bundle into ``site``; raise ``SearchIndexError`` on the first failure."""
    binary = pagefind_binary()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(index_bundle, site, b, binary) for b in bundles]:
            future.result()
