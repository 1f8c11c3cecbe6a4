"""The stages in order. Each function here reads like a table of contents."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import urls
from .catalogue import Catalogue, build_catalogue
from .config import Config
from .content import load_content
from .changes import TownVersion
from .datafiles import build_data_files
from .editions import EditionRef, find_editions, materialize, read_tree, versions_of
from .history import History, read_site_history
from .pages import build_pages, editions_page
from .problems import Problem, count_by_severity
from .render import make_environment, render_page, render_robots, render_sitemap
from .schema import load_schemas
from .search import add_search_chars, index_site, plan_bundles
from .validate import validate_catalogue
from .timeline import commit_groups, day, feed_context, feed_url, slug_of_code, timeline_url
from .views import Labels, build_labels
from .write import OutputError, write_site


@dataclass(frozen=True)
class CheckResult:
    problems: list[Problem]
    catalogue: Catalogue | None  # None when any error was found

    def failed(self, *, strict: bool = False) -> bool:
        return count_by_severity(self.problems, strict=strict)[0] > 0


def run_check(root: Path, config: Config) -> CheckResult:
    """Load → schema → cross-checks → model. Reads files; writes nothing."""
    schemas = load_schemas(root / config.schema_dir)
    documents, problems = load_content(root, root / config.content_dir, schemas)
    problems += validate_catalogue(documents)
    problems.sort()
    if count_by_severity(problems)[0] or not documents:
        return CheckResult(problems, None)
    return CheckResult(problems, build_catalogue(documents))


@dataclass(frozen=True)
class BuildResult:
    check: CheckResult
    pages: int = 0
    files: int = 0
    warnings: tuple[str, ...] = ()  # about history and editions, not content


def render_site(root: Path, config: Config, catalogue: Catalogue, history: History,
                progress: Callable[[int, int], None] | None = None,
                edition: EditionRef | None = None) -> tuple[dict[str, bytes], int]:
    """Every output file in memory: pages, feeds, data downloads, sitemap, robots, assets.

    For an ``edition`` snapshot: its pages and data, with the edition banner, and no
    feeds, sitemap or search index of its own."""
    schemas = load_schemas(root / config.schema_dir)
    env = make_environment(root / config.template_dir)
    labels = build_labels(schemas)
    pages = list(build_pages(catalogue, config, labels, history, searchable=edition is None))
    nav = navigation(history, edition)
    files: dict[str, bytes] = {}
    for number, page in enumerate(pages, start=1):
        html = render_page(env, page, config, nav)
        if page.search_record is not None:
            html = add_search_chars(html)
        add_file(files, urls.output_path(page.url), html.encode("utf-8"))
        if progress is not None and (number % 500 == 0 or number == len(pages)):
            progress(number, len(pages))
    for path, data in build_data_files(catalogue, config.base_url,
                                       root / config.schema_dir).items():
        add_file(files, path, data)
    if edition is None:
        for path, feed in build_feeds(catalogue, history, labels, config.base_url):
            add_file(files, path, env.get_template("atom.xml").render(**feed).encode("utf-8"))
        add_file(files, "sitemap.xml", render_sitemap(pages, config.base_url).encode())
        add_file(files, "robots.txt", render_robots(config.base_url).encode())
    for path, data in read_assets(root / config.static_dir).items():
        add_file(files, path, data)
    return files, len(pages)


def add_file(files: dict[str, bytes], path: str, data: bytes) -> None:
    """Record one output file; a second file at the same path is an error, not an overwrite."""
    if path in files:
        raise OutputError(f"两个输出文件使用了同一路径：{path}")
    files[path] = data


def navigation(history: History, edition: EditionRef | None = None) -> dict[str, Any]:
    links = [{"title": "首页", "url": urls.HOME}, {"title": "全市概览", "url": urls.OVERVIEW},
             {"title": "事项对比", "url": urls.COMPARE}, {"title": "最近变更", "url": urls.CHANGES},
             {"title": "数据下载", "url": urls.DATA}, {"title": "搜索", "url": urls.SEARCH}]
    banner = None
    if edition is not None:
        banner = {"name": edition.name, "date": day(edition.date), "tag": edition.tag}
    return {"links": links, "history_note": None if edition else history_note(history),
            "edition": banner}


def history_note(history: History) -> str | None:
    """A sentence for pages when dates from git cannot be trusted, else None."""
    status = history.status
    if not status.in_git or status.empty:
        return "本网站不是从完整的 git 历史生成的，页面不显示发布和更新日期。"
    if status.shallow:
        return "本网站从不完整的 git 历史（浅克隆）生成，变更记录和日期可能不完整。"
    return None


def build_feeds(catalogue: Catalogue, history: History, labels: Labels, base_url: str
                ) -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, feed context) for the site feed and one feed per town with changes."""
    slugs = slug_of_code(catalogue)
    groups = commit_groups(history.changes, labels, slugs, limit=50)
    yield feed_url(None), feed_context(groups, "最近变更", urls.CHANGES, feed_url(None), base_url)
    for town in catalogue.towns:
        changes = history.town(town.facts.code)
        if changes:
            town_groups = commit_groups(changes, labels, slugs, limit=50)
            yield feed_url(town.slug), feed_context(
                town_groups, f"{town.facts.name}变更记录", timeline_url(town.slug),
                feed_url(town.slug), base_url)


def read_assets(static_dir: Path) -> dict[str, bytes]:
    """Files under ``static/`` as ``assets/…`` outputs, in sorted order."""
    if not static_dir.is_dir():
        return {}
    return {f"assets/{p.relative_to(static_dir).as_posix()}": p.read_bytes()
            for p in sorted(static_dir.rglob("*")) if p.is_file()}


def run_build(root: Path, config: Config,
              progress: Callable[[int, int], None] | None = None, *, strict: bool = False,
              search: bool = True) -> BuildResult:
    """Check, render everything in memory, write it, index it, then swap it in at once."""
    check = run_check(root, config)
    if check.catalogue is None or check.failed(strict=strict):
        return BuildResult(check)
    history = read_site_history(root, config.content_dir, root / config.cache_dir)
    if strict and history.status.shallow:
        return BuildResult(check, warnings=(*history.warnings, "--strict：浅克隆不能用于发布"))
    files, pages = render_site(root, config, check.catalogue, history, progress)
    edition_files, edition_warnings = render_editions(root, config, history)
    for path, data in edition_files.items():
        add_file(files, path, data)
    bundles = plan_bundles(check.catalogue) if search else []

    def finish(staging: Path) -> None:
        index_site(staging, bundles)

    write_site(root / config.output_dir, files, before_swap=finish if bundles else None)
    return BuildResult(check, pages, len(files), (*history.warnings, *edition_warnings))


def render_editions(root: Path, config: Config, history: History
                    ) -> tuple[dict[str, bytes], list[str]]:
    """Every edition snapshot under ``editions/<name>/`` and the editions page."""
    if not history.status.in_git or history.status.empty:
        return {}, []
    editions, warnings = find_editions(root, config.edition_tags)
    files: dict[str, bytes] = {}
    built: list[tuple[EditionRef, dict[str, TownVersion]]] = []
    for edition in editions:
        with tempfile.TemporaryDirectory(prefix="towncat-edition-") as folder:
            materialize(root, read_tree(root, edition.sha, config.content_dir), Path(folder))
            snapshot = replace(config, content_dir=str(Path(folder) / config.content_dir),
                               base_url=config.base_url + edition.prefix)
            check = run_check(root, snapshot)
            if check.catalogue is None:
                warnings.append(f"版本 {edition.tag} 的内容不符合现行格式，未生成快照")
                continue
            rendered, _ = render_site(root, snapshot, check.catalogue, History(history.status),
                                      edition=edition)
            files.update({edition.prefix + path: data for path, data in rendered.items()})
            built.append((edition, versions_of(Path(folder), config.content_dir)))
    if built:
        env = make_environment(root / config.template_dir)
        page = editions_page(built)
        html = render_page(env, page, config, navigation(history))
        files[urls.output_path(page.url)] = html.encode("utf-8")
    return files, warnings
