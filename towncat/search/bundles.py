"""Search indexing with Pagefind's extended build (Chinese segmentation), bundles by 区县.

Item and office pages are the search records (``data-pagefind-body``). The search page
answers from the compact index (``compact``); Pagefind's bundles are the site's
full-text index (jieba's words, excerpts, filters) for other uses, which the search page
does not load. Bundles hold the towns of one county, at most ``search_bundle_towns`` of
them (configuration; 2 by default): the indexer's memory is bounded by the largest
bundle, and an edit to one town re-indexes only its bundle (about 0.5 s per town of ~270
records on a 2-core machine, while the pages that aggregate towns are rendered). Smaller
bundles make an edit cheaper and a clean build dearer (Pagefind's start per bundle): at
city scale, 1, 2 and 4 towns a bundle gave edits of 3.4, 3.7 and 4.4 s and clean builds
of 49, 41 and 39 s. After Pagefind writes a bundle, its filter files are put in a fixed
order and its page ids given the bundle's name (``pagefind_files``): the same pages give
the same index bytes, and a result id names one page in the whole site.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..content.summary import Overview
from .pagefind_files import PagefindFormatError, canonicalize_bundle

BUNDLE_ROOT = "pagefind"


class SearchIndexError(Exception):
    """The indexer failed; the message says which bundle and what Pagefind printed."""


@dataclass(frozen=True)
class Bundle:
    name: str  # county slug, or county slug and number
    towns: tuple[str, ...]  # town slugs whose pages it indexes
    county: str  # the county's name (its 区县 filter value)

    @property
    def path(self) -> str:
        return f"{BUNDLE_ROOT}/{self.name}/"


def plan_bundles(overview: Overview, towns_per_bundle: int) -> list[Bundle]:
    """The towns with a published list, county by county, in bundles of at most
    ``towns_per_bundle`` towns in NBS-code order. A county that needs one bundle gives it
    its slug; a larger one is split into ``<county>-1``, ``<county>-2`` …"""
    bundles = []
    for county in overview.region.counties:
        towns = [t.slug for t in overview.towns_in(county.name) if t.has_lists]
        chunks = [towns[i : i + towns_per_bundle] for i in range(0, len(towns), towns_per_bundle)]
        for number, chunk in enumerate(chunks, start=1):
            name = county.slug if len(chunks) == 1 else f"{county.slug}-{number}"
            bundles.append(Bundle(name, tuple(chunk), county.name))
    return bundles


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
    try:
        canonicalize_bundle(site / bundle.path)
    except (PagefindFormatError, OSError, ValueError, LookupError, TypeError) as err:
        raise SearchIndexError(f"搜索索引 {bundle.name} 的文件无法整理为固定顺序：{err}") from err


def index_site(site: Path, bundles: Iterable[Bundle], workers: int = 2) -> None:
    """Build every bundle into ``site``; raise ``SearchIndexError`` on the first failure."""
    binary = pagefind_binary()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(index_bundle, site, b, binary) for b in bundles]:
            future.result()
