"""The stages in order. Each function here reads like a table of contents."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from . import urls
from .catalogue import Catalogue, build_catalogue, build_towns
from .changes import TownVersion
from .config import Config
from .content import load_content, load_facts, load_lists
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
from .memory import collector_paused
from .model import Town
from .pages import editions_page
from .problems import Problem, count_by_severity
from .render import make_environment
from .schema import load_schemas
from .search import Bundle, index_site, plan_bundles
from .site import (
    SiteJob,
    make_job,
    navigation,
    render_aggregates,
    render_html,
    render_site,
    render_towns,
    town_key,
)
from .summary import Overview, TownSummary, summarize, summarize_town
from .validate import validate_catalogue, validate_facts, validate_lists
from .views import build_labels
from .write import Staging


@dataclass(frozen=True)
class CheckResult:
    problems: list[Problem]
    catalogue: Catalogue | None  # None when any error was found
    overview: Overview | None = None  # summaries of every town, when checked in groups

    def failed(self, *, strict: bool = False) -> bool:
        return count_by_severity(self.problems, strict=strict)[0] > 0


GroupHandler = Callable[[tuple[Town, ...], Overview], None]


def check_in_groups(
    root: Path, config: Config, on_group: GroupHandler | None = None
) -> CheckResult:
    """Check everything one county at a time, so memory holds one county's lists at most.

    ``on_group`` receives the towns of each county, and what is known of every town from
    the facts alone, while no error has been found."""
    with collector_paused():
        return _check_in_groups(root, config, on_group)


def _check_in_groups(root: Path, config: Config, on_group: GroupHandler | None) -> CheckResult:
    schemas = load_schemas(root / config.schema_dir)
    facts = load_facts(root, root / config.content_dir, schemas)
    problems = facts.problems + validate_facts(facts.documents)
    if not facts.documents:
        return CheckResult(sorted(problems), None)
    light = None if count_by_severity(problems)[0] else build_catalogue(facts.documents)
    everyone = summarize(light) if light else None
    summaries: list[TownSummary] = []
    for slugs in _groups(light, sorted(facts.lists)):
        documents, found = load_lists(root, facts, slugs, schemas)
        problems += found + validate_lists(documents, facts.documents)
        if count_by_severity(problems)[0] or everyone is None:
            continue  # keep checking the other towns; nothing more is built
        towns = build_towns(facts.documents, documents, slugs)
        summaries += [summarize_town(t) for t in towns]
        if on_group is not None:
            on_group(towns, everyone)
    problems.sort()
    if count_by_severity(problems)[0]:
        return CheckResult(problems, None)
    assert light is not None
    order = {t.slug: i for i, t in enumerate(light.towns)}
    overview = Overview(light.region, tuple(sorted(summaries, key=lambda t: order[t.slug])))
    return CheckResult(problems, None, overview)


def _groups(light: Catalogue | None, slugs: list[str], size: int = 20) -> Iterator[list[str]]:
    """Towns by county when the facts are valid, else in fixed-size batches of folders."""
    if light is None:
        for start in range(0, len(slugs), size):
            yield slugs[start : start + size]
        return
    for county in light.region.counties:
        yield [t.slug for t in light.towns_in(county.name)]


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


def run_build(
    root: Path,
    config: Config,
    progress: Callable[[int, int], None] | None = None,
    *,
    strict: bool = False,
    search: bool = True,
) -> BuildResult:
    """Check and render one county at a time into a staging folder, then the pages that
    aggregate towns, the editions and the search index; swap it all in at once."""
    cache = root / config.cache_dir
    output = root / config.output_dir
    manifest = load_manifest(cache)
    inputs = input_key(root, config, f"strict={strict} search={search}")
    if manifest.inputs == inputs and count_files(output) == manifest.file_count > 0:
        return unchanged_result(manifest)
    history = read_site_history(root, config.content_dir, cache)
    global_key = render_key(root, config)
    new = Manifest(inputs=inputs)
    town_keys: dict[str, str] = {}
    reused = 0
    with Staging(output) as staging:

        def render_group(towns: tuple[Town, ...], everyone: Overview) -> None:
            nonlocal reused
            job = make_job(
                root,
                config,
                towns,
                everyone,
                history,
                staging.folder,
                "",
                manifest.towns,
                global_key,
            )
            for slug, town_output, was_reused in render_towns(job, None):
                staging.record(town_output.files)
                new.towns[slug] = town_output
                reused += was_reused
            town_keys.update({t.slug: town_key(job, t) for t in towns})
            if progress is not None:
                progress(len(new.towns), len(everyone.towns))

        check = check_in_groups(root, config, render_group)
        if check.overview is None or check.failed(strict=strict):
            return BuildResult(check)
        if strict and history.status.shallow:
            return BuildResult(check, warnings=(*history.warnings, "--strict：浅克隆不能用于发布"))
        overview = check.overview
        job = make_job(root, config, (), overview, history, staging.folder, "", {}, global_key)
        town_urls = [u for t in overview.towns for u in new.towns[t.slug].urls]
        pages = render_aggregates(job, staging, town_urls, search=search) + len(town_urls)
        warnings = [
            *history.warnings,
            *render_editions(root, config, history, staging, manifest, new, global_key),
        ]
        if search:
            new.bundles = index_bundles(job, staging, plan_bundles(overview), manifest, town_keys)
        staging.commit()
    result = BuildResult(
        check, pages, len(staging.paths), tuple(warnings), len(overview.towns), reused
    )
    new.file_count = count_files(output)
    new.summary = {
        "pages": result.pages,
        "files": result.files,
        "towns": result.towns,
        "warnings": list(result.warnings),
    }
    save_manifest(cache, new)
    return result


def unchanged_result(manifest: Manifest) -> BuildResult:
    summary = manifest.summary
    return BuildResult(
        CheckResult([], None),
        summary["pages"],
        summary["files"],
        tuple(summary["warnings"]),
        summary["towns"],
        summary["towns"],
        unchanged=True,
    )


def index_bundles(
    job: SiteJob,
    staging: Staging,
    bundles: list[Bundle],
    previous: Manifest,
    town_keys: dict[str, str],
) -> dict[str, str]:
    """Index the counties whose towns changed; reuse the other counties' bundles."""
    keys = {}
    stale = []
    for bundle in bundles:
        keys[bundle.name] = fingerprint(job.global_key, [town_keys[s] for s in bundle.towns])
        old = job.previous_output / bundle.path
        if previous.bundles.get(bundle.name) == keys[bundle.name] and old.is_dir():
            shutil.copytree(old, staging.folder / bundle.path, copy_function=_hard_link)
        else:
            stale.append(bundle)
    index_site(staging.folder, stale)
    return keys


def _hard_link(source: str, target: str) -> None:
    Path(target).hardlink_to(source)


def render_editions(
    root: Path,
    config: Config,
    history: History,
    staging: Staging,
    previous: Manifest,
    new: Manifest,
    global_key: str,
) -> list[str]:
    """Every edition snapshot under ``editions/<name>/`` and the editions page."""
    if not history.status.in_git or history.status.empty:
        return []
    editions, warnings = find_editions(root, config.edition_tags)
    built: list[tuple[EditionRef, dict[str, TownVersion]]] = []
    for edition in editions:
        with tempfile.TemporaryDirectory(prefix="towncat-edition-") as folder:
            materialize(root, read_tree(root, edition.sha, config.content_dir), Path(folder))
            snapshot = replace(
                config,
                content_dir=str(Path(folder) / config.content_dir),
                base_url=config.base_url + edition.prefix,
            )
            check = run_check(root, snapshot)
            if check.catalogue is None:
                warnings.append(f"版本 {edition.tag} 的内容不符合现行格式，未生成快照")
                continue
            job = make_job(
                root,
                snapshot,
                check.catalogue.towns,
                summarize(check.catalogue),
                History(history.status),
                staging.folder,
                edition.prefix,
                previous.towns,
                global_key,
                edition,
            )
            new.towns.update(render_site(job, staging, edition).towns)
            built.append((edition, versions_of(Path(folder), config.content_dir)))
    if built:
        page = editions_page(built, build_labels(load_schemas(root / config.schema_dir)))
        env = make_environment(root / config.template_dir)
        staging.add(urls.output_path(page.url), render_html(env, page, config, navigation(history)))
    return warnings
