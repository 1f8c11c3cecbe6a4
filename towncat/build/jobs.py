"""Rendering into a staging folder: one town's pages, or the pages that aggregate towns.

``write_town`` renders one town's pages and downloads (in a worker process, see
``townwork``); ``link_town`` reuses them from the previous output instead, which
gives exactly the bytes a clean build would write. The parent renders the pages
that aggregate towns (home, counties, overview, comparison, changes, feeds, data
downloads, sitemap) from the towns' summaries.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from ..config import Config
from ..content.forms import form_info, read_forms
from ..content.model import Town
from ..content.schema import load_schemas
from ..content.summary import Overview
from ..history.editions import EditionRef
from ..history.replay import History
from ..search.bundles import plan_bundles
from ..search.compact import (
    CHARS_MARKER,
    build_compact,
    page_record,
    render_town_part,
    town_part_path,
)
from ..search.lexicon import LEXICON_PATH, render_lexicon
from ..site import urls
from ..site.citation import Citing
from ..site.datafiles import city_data_files, town_data_files
from ..site.pages import build_pages, build_town_pages
from ..site.render import make_environment, render_page, render_robots, render_sitemaps
from ..site.timeline import commit_groups, feed_context, feed_url, slug_of_code, timeline_url
from ..site.views import Labels, Page, build_labels
from .admin import admin_files
from .incremental import TownOutput, fingerprint
from .write import Staging, link_files, write_file


@dataclass(frozen=True)
class SiteJob:
    """Everything a worker needs to render towns; shared with forked workers."""

    root: Path
    config: Config
    overview: Overview  # every town's summary, for the pages that aggregate towns
    history: History
    labels: Labels
    nav: dict[str, Any]
    folder: Path  # the staging folder
    prefix: str  # "" or "editions/<name>/"
    previous_output: Path
    previous: dict[str, TownOutput]
    global_key: str
    env: jinja2.Environment
    citing: Citing
    search: bool = True  # record pages give the compact index their records


def render_html(
    env: jinja2.Environment,
    page: Page,
    config: Config,
    nav: dict[str, Any],
    *,
    search: bool = True,
    records: list[dict[str, Any]] | None = None,
) -> bytes:
    """The page's bytes; a record page adds its compact-index record to ``records``."""
    html = render_page(env, page, config, nav)
    if page.search_record is not None:  # the marker ends the text that search sees
        if search and records is not None:
            records.append(page_record(page, html))
        html = html.replace(CHARS_MARKER, "", 1)
    return html.encode("utf-8")


def write_town(job: SiteJob, town: Town, key: str) -> TownOutput:
    """Render one town's pages and downloads into the staging folder."""
    files, page_urls = [], []
    records: list[dict[str, Any]] = []
    folder = job.root / job.config.content_dir / "towns" / town.slug
    paths = town_forms(town)
    forms = {path: form_info(folder, path) for path in paths}
    for path, data in read_forms(folder, paths).items():  # published beside the town's pages
        write_file(job.folder, job.prefix + urls.town_url(town.slug) + path, data)
        files.append(job.prefix + urls.town_url(town.slug) + path)
    pages = build_town_pages(
        job.overview, town, job.config, job.labels, job.history, job.citing, forms
    )
    for page in pages:
        path = job.prefix + urls.output_path(page.url)
        html = render_html(job.env, page, job.config, job.nav, search=job.search, records=records)
        write_file(job.folder, path, html)
        files.append(path)
        page_urls.append(page.url)
    if job.search and not job.prefix:  # the town's part of the compact search index
        path = town_part_path(town.slug)
        write_file(job.folder, path, render_town_part(records))
        files.append(path)
    schemas = load_schemas(job.root / job.config.schema_dir)
    for path, data in town_data_files(town, job.config.base_url, schemas).items():
        write_file(job.folder, job.prefix + path, data)
        files.append(job.prefix + path)
    return TownOutput(key, files, page_urls)


def town_forms(town: Town) -> tuple[str, ...]:
    """Every form file the town's guides name, each once, in a stable order."""
    guides = [p.guide for p in (town.powers.items if town.powers else ())]
    guides += [d.guide for d in (town.duties.items if town.duties else ())]
    return tuple(sorted({path for guide in guides if guide for path in guide.forms()}))


def link_town(job: SiteJob, previous: TownOutput) -> None:
    """Hard-link a town's files from the previous output: the bytes a clean build writes."""
    link_files(job.previous_output, job.folder, previous.files)


def render_aggregates(
    job: SiteJob,
    staging: Staging,
    town_urls: list[str],
    edition: EditionRef | None = None,
    search: bool = True,
) -> int:
    """Every page and file that aggregates towns, from the summaries and the towns' own
    files in the staging folder; returns the number of pages."""
    env = job.env
    searchable = search and edition is None
    planned = plan_bundles(job.overview, job.config.search_bundle_towns) if searchable else []
    bundles = [(bundle.county, bundle.path) for bundle in planned]
    other = list(build_pages(job.overview, job.config, job.labels, job.history, bundles=bundles))
    for page in other:
        html = render_html(env, page, job.config, job.nav, search=search and edition is None)
        staging.add(job.prefix + urls.output_path(page.url), html)

    def read(path: str) -> bytes | None:
        file = staging.folder / (job.prefix + path)
        return file.read_bytes() if file.is_file() else None

    for path, chunks in city_data_files(job.overview, read, job.root / job.config.schema_dir):
        staging.add_chunks(job.prefix + path, chunks)
    if edition is None:
        for path, feed in build_feeds(job.overview, job.history, job.labels, job.config.base_url):
            staging.add(path, env.get_template("atom.xml").render(**feed).encode("utf-8"))
        all_urls = sorted([p.url for p in other] + town_urls)
        for path, text in render_sitemaps(all_urls, job.config.base_url).items():
            staging.add(path, text.encode())
        staging.add("robots.txt", render_robots(job.config.base_url).encode())
        for path, data in admin_files(job.root, job.config, job.overview).items():
            staging.add(path, data)
    if searchable:
        staging.add(LEXICON_PATH, render_lexicon(job.overview))
        towns = [(t.slug, t.county, t.name) for t in job.overview.towns]
        centres = {t.slug: (t.centre_phone, t.sample) for t in job.overview.towns if t.centre_phone}
        for path, data in build_compact(towns, read, centres).items():
            staging.add(path, data)
    for path, data in read_assets(job.root / job.config.static_dir).items():
        staging.add(job.prefix + path, data)
    return len(other)


def make_job(
    root: Path,
    config: Config,
    overview: Overview,
    history: History,
    folder: Path,
    prefix: str,
    previous: dict[str, TownOutput],
    global_key: str,
    edition: EditionRef | None = None,
    *,
    search: bool = True,
    record: History | None = None,
) -> SiteJob:
    """A job for the live site, or (with ``edition``) for an edition's snapshot, whose pages
    have no history of their own but cite themselves from the whole ``record``."""
    labels = build_labels(load_schemas(root / config.schema_dir))
    nav = navigation(history, edition)
    record = record or history
    citing = Citing(record, config.base_url.removesuffix(prefix), edition)
    key = fingerprint(
        global_key,
        prefix,
        search,
        config,
        overview.region,
        overview.thesaurus.entries,  # every item page shows its phrases (相关说法)
        nav,
        [(t.slug, t.name, t.county, t.kind) for t in overview.towns],
        record.editions,  # every town page cites its edition
    )
    return SiteJob(
        root,
        config,
        overview,
        history,
        labels,
        nav,
        folder,
        prefix,
        root / config.output_dir,
        previous,
        key,
        make_environment(root / config.template_dir, root / config.cache_dir / "templates"),
        citing,
        search,
    )


def navigation(history: History, edition: EditionRef | None = None) -> dict[str, Any]:
    links = [
        {"title": "首页", "url": urls.HOME},
        {"title": "全市概览", "url": urls.OVERVIEW},
        {"title": "事项对比", "url": urls.COMPARE},
        {"title": "最近变更", "url": urls.CHANGES},
        {"title": "数据下载", "url": urls.DATA},
        {"title": "搜索", "url": urls.SEARCH},
    ]
    banner = None
    if edition is not None:
        banner = {
            "name": edition.label,
            "date": edition.cited_date,
            "tag": edition.tag,
            "document_number": edition.document_number,
        }
    return {
        "links": links,
        "history_note": None if edition else history_note(history),
        "edition": banner,
    }


def history_note(history: History) -> str | None:
    """A sentence for pages when dates from git cannot be trusted, else None."""
    status = history.status
    if not status.in_git or status.empty:
        return "本网站不是从完整的 git 历史生成的，页面不显示发布和更新日期。"
    if status.shallow:
        return "本网站从不完整的 git 历史（浅克隆）生成，变更记录和日期可能不完整。"
    return None


def build_feeds(
    overview: Overview, history: History, labels: Labels, base_url: str
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, feed context) for the site feed and one feed per town with changes."""
    slugs = slug_of_code(overview)
    groups = commit_groups(history.changes, labels, slugs, limit=50)
    yield feed_url(None), feed_context(groups, "最近变更", urls.CHANGES, feed_url(None), base_url)
    for town in overview.towns:
        changes = history.town(town.code)
        if changes:
            town_groups = commit_groups(changes, labels, slugs, limit=50)
            yield (
                feed_url(town.slug),
                feed_context(
                    town_groups,
                    f"{town.name}变更记录",
                    timeline_url(town.slug),
                    feed_url(town.slug),
                    base_url,
                ),
            )


def read_assets(static_dir: Path) -> dict[str, bytes]:
    """Files under ``static/`` as ``assets/…`` outputs, in sorted order."""
    if not static_dir.is_dir():
        return {}
    return {
        f"assets/{p.relative_to(static_dir).as_posix()}": p.read_bytes()
        for p in sorted(static_dir.rglob("*"))
        if p.is_file()
    }
