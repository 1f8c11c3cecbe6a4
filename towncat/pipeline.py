"""The stages in order. Each function here reads like a table of contents."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from . import urls
from .catalogue import Catalogue, build_catalogue
from .changes import TownVersion
from .config import Config
from .content import load_content
from .editions import EditionRef, find_editions, materialize, read_tree, versions_of
from .history import History, read_site_history
from .incremental import (
    Manifest,
    count_files,
    fingerprint,
    input_key,
    load_manifest,
    render_key,
    save_manifest,
)
from .pages import editions_page
from .problems import Problem, count_by_severity
from .render import make_environment
from .schema import load_schemas
from .search import Bundle, index_site, plan_bundles
from .site import SiteJob, make_job, navigation, render_html, render_site
from .summary import summarize
from .validate import validate_catalogue
from .views import build_labels
from .write import Staging


@dataclass(frozen=True)
class CheckResult:
    problems: list[Problem]
    catalogue: Catalogue | None  # None when any error was found

    def failed(self, *, strict: bool = False) -> bool:
        return count_by_severity(self.problems, strict=strict)[0] > 0


def run_check(root: Path, config: Config, only: frozenset[str] | None = None) -> CheckResult:
    """Load → schema → cross-checks → model. Reads files; writes nothing. With ``only``,
    just those towns' lists are read (a shard); every town's facts always are."""
    schemas = load_schemas(root / config.schema_dir)
    documents, problems = load_content(root, root / config.content_dir, schemas, only)
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
    towns: int = 0
    reused: int = 0  # towns whose pages were reused from the previous build
    unchanged: bool = False  # nothing had changed: the site was left as it was


def run_build(root: Path, config: Config,
              progress: Callable[[int, int], None] | None = None, *, strict: bool = False,
              search: bool = True) -> BuildResult:
    """Check, render into a staging folder, index, then swap it in at once."""
    cache = root / config.cache_dir
    output = root / config.output_dir
    manifest = load_manifest(cache)
    inputs = input_key(root, config, f"strict={strict} search={search}")
    if manifest.inputs == inputs and count_files(output) == manifest.file_count > 0:
        return unchanged_result(manifest)
    check = run_check(root, config)
    if check.catalogue is None or check.failed(strict=strict):
        return BuildResult(check)
    history = read_site_history(root, config.content_dir, cache)
    if strict and history.status.shallow:
        return BuildResult(check, warnings=(*history.warnings, "--strict：浅克隆不能用于发布"))
    global_key = render_key(root, config)
    new = Manifest(inputs=inputs)
    with Staging(output) as staging:
        overview = summarize(check.catalogue)
        job = make_job(root, config, check.catalogue.towns, overview, history, staging.folder,
                       "", manifest.towns, global_key)
        site = render_site(job, staging, progress=progress, search=search)
        new.towns.update(site.towns)
        warnings = [*history.warnings, *render_editions(root, config, history, staging,
                                                         manifest, new, global_key)]
        if search:
            new.bundles = index_bundles(job, staging, plan_bundles(overview), manifest)
        staging.commit()
    result = BuildResult(check, site.pages, len(staging.paths), tuple(warnings),
                         len(check.catalogue.towns), site.reused)
    new.file_count = count_files(output)
    new.summary = {"pages": result.pages, "files": result.files, "towns": result.towns,
                   "warnings": list(result.warnings)}
    save_manifest(cache, new)
    return result


def unchanged_result(manifest: Manifest) -> BuildResult:
    summary = manifest.summary
    return BuildResult(CheckResult([], None), summary["pages"], summary["files"],
                       tuple(summary["warnings"]), summary["towns"], summary["towns"],
                       unchanged=True)


def index_bundles(job: SiteJob, staging: Staging, bundles: list[Bundle],
                  previous: Manifest) -> dict[str, str]:
    """Index the counties whose towns changed; reuse the other counties' bundles."""
    keys = {}
    stale = []
    by_slug = {t.slug: t for t in job.towns}
    for bundle in bundles:
        towns = [by_slug[s] for s in bundle.towns]
        keys[bundle.name] = fingerprint(job.global_key, [(t.slug, job.history.town(
            t.facts.code), t) for t in towns])
        old = job.previous_output / bundle.path
        if previous.bundles.get(bundle.name) == keys[bundle.name] and old.is_dir():
            shutil.copytree(old, staging.folder / bundle.path, copy_function=_hard_link)
        else:
            stale.append(bundle)
    index_site(staging.folder, stale)
    return keys


def _hard_link(source: str, target: str) -> None:
    Path(target).hardlink_to(source)


def render_editions(root: Path, config: Config, history: History, staging: Staging,
                    previous: Manifest, new: Manifest, global_key: str) -> list[str]:
    """Every edition snapshot under ``editions/<name>/`` and the editions page."""
    if not history.status.in_git or history.status.empty:
        return []
    editions, warnings = find_editions(root, config.edition_tags)
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
            job = make_job(root, snapshot, check.catalogue.towns, summarize(check.catalogue),
                           History(history.status), staging.folder, edition.prefix,
                           previous.towns, global_key, edition)
            new.towns.update(render_site(job, staging, edition).towns)
            built.append((edition, versions_of(Path(folder), config.content_dir)))
    if built:
        page = editions_page(built, build_labels(load_schemas(root / config.schema_dir)))
        env = make_environment(root / config.template_dir)
        staging.add(urls.output_path(page.url),
                    render_html(env, page, config, navigation(history)))
    return warnings
