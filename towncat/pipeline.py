"""The stages in order. Each function here reads like a table of contents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import urls
from .catalogue import Catalogue, build_catalogue
from .config import Config
from .content import load_content
from .datafiles import build_data_files
from .pages import build_pages
from .problems import Problem, count_by_severity
from .render import make_environment, render_page, render_robots, render_sitemap
from .schema import load_schemas
from .search import add_search_chars, index_site, plan_bundles
from .validate import validate_catalogue
from .views import build_labels
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


def render_site(root: Path, config: Config, catalogue: Catalogue,
                progress: Callable[[int, int], None] | None = None) -> tuple[dict[str, bytes], int]:
    """Every output file in memory: pages, data downloads, sitemap, robots, assets."""
    schemas = load_schemas(root / config.schema_dir)
    env = make_environment(root / config.template_dir)
    labels = build_labels(schemas)
    pages = list(build_pages(catalogue, config, labels))
    nav = navigation()
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


def navigation() -> list[dict[str, str]]:
    return [{"title": "首页", "url": urls.HOME}, {"title": "全市概览", "url": urls.OVERVIEW},
            {"title": "事项对比", "url": urls.COMPARE}, {"title": "数据下载", "url": urls.DATA},
            {"title": "搜索", "url": urls.SEARCH}]


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
    files, pages = render_site(root, config, check.catalogue, progress)
    bundles = plan_bundles(check.catalogue) if search else []

    def finish(staging: Path) -> None:
        index_site(staging, bundles)

    write_site(root / config.output_dir, files, before_swap=finish if bundles else None)
    return BuildResult(check, pages, len(files))
