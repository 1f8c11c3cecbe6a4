"""The stages in order. Each function here reads like a table of contents."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from ..config import Config, placeholder_warning
from ..content.catalogue import Catalogue, build_catalogue
from ..content.files import display_path, load_content, load_document, load_facts
from ..content.forms import find_form_problems, form_files
from ..content.memory import collector_paused
from ..content.problems import Problem, count_by_severity
from ..content.schema import load_schemas
from ..content.summary import Overview, summarize
from ..content.thesaurus import find_thesaurus_gaps
from ..content.validate import validate_catalogue, validate_facts
from ..history.changes import TownVersion
from ..history.editions import EditionRef, materialize, read_tree, versions_of
from ..history.gitlog import Commit, GitError, read_history, read_status
from ..history.publication import Publication, note_hints, read_publication
from ..history.replay import History, read_site_history
from ..search.bundles import BUNDLE_ROOT, Bundle, index_site, plan_bundles
from ..site import urls
from ..site.pages import editions_page
from ..site.render import make_environment
from ..site.views import build_labels
from .admin import check_installed
from .incremental import (
    Manifest,
    count_files,
    fingerprint,
    input_key,
    load_manifest,
    render_key,
    save_manifest,
    source_key,
)
from .jobs import (
    SiteJob,
    make_job,
    navigation,
    render_aggregates,
    render_html,
)
from .townwork import TownResult, TownWork, process_towns
from .write import Staging, files_under, link_files


@dataclass(frozen=True)
class CheckResult:
    problems: list[Problem]
    catalogue: Catalogue | None  # None when any error was found
    overview: Overview | None = None  # summaries of every town, from check_and_render

    def failed(self, *, strict: bool = False) -> bool:
        return count_by_severity(self.problems, strict=strict)[0] > 0


JobStarter = Callable[[Overview], SiteJob]


def check_all(root: Path, config: Config) -> CheckResult:
    """Check everything, one town per task in parallel; memory holds a town's lists at most.
    The public record is checked too: ignored revisions, editions and commit notes."""
    publication = load_publication(root, config)
    check = check_and_render(root, config, publication=publication)[0]
    hints = note_hints(_content_commits(root, config), publication.ignored)
    return replace(check, problems=sorted(check.problems + hints)) if hints else check


def _content_commits(root: Path, config: Config) -> list[Commit]:
    try:
        return read_history(root, config.content_dir)
    except (GitError, FileNotFoundError):  # not in git: nothing to hint about
        return []


def load_publication(root: Path, config: Config) -> Publication:
    """The ignored revisions and editions of the repository (see history/publication.py)."""
    path = root / config.content_dir / "editions.yaml"
    documents = []
    if path.is_file():  # its own problems are reported with the other city files
        schemas = load_schemas(root / config.schema_dir)
        source = display_path(root, path)
        documents.append(load_document(path, "editions", source, None, schemas)[0])
    status = read_status(root, config.content_dir)
    return read_publication(root, status, documents, config.edition_tags, config.content_dir)


def read_record(root: Path, config: Config) -> tuple[History, Publication]:
    """The site's history as the public record shows it, and what it was made with."""
    publication = load_publication(root, config)
    cache = root / config.cache_dir
    return read_site_history(root, config.content_dir, cache, publication), publication


def check_and_render(
    root: Path,
    config: Config,
    start: JobStarter | None = None,
    progress: Callable[[int, int], None] | None = None,
    only: frozenset[str] | None = None,
    publication: Publication | None = None,
) -> tuple[CheckResult, dict[str, TownResult]]:
    """Check every town (or the towns ``only``) and, when ``start`` gives a job because the
    facts are clean, render each clean town as it is checked. Pages written before an
    error is found elsewhere are in a staging folder that is then thrown away."""
    schemas = load_schemas(root / config.schema_dir)
    with collector_paused():
        facts = load_facts(root, root / config.content_dir, schemas)
    problems = facts.problems + validate_facts(facts.documents)
    if publication is not None:
        problems += publication.problems
    if not facts.documents:
        return CheckResult(sorted(problems), None), {}
    light = None if count_by_severity(problems)[0] else build_catalogue(facts.documents)
    everyone = summarize(light) if light else None
    job = start(everyone) if start is not None and everyone is not None else None
    work = TownWork(root, facts, schemas, job, build=everyone is not None)
    slugs = sorted(s for s in facts.lists if only is None or s in only)
    codes = {t.slug: t.code for t in everyone.towns} if everyone else {}
    tasks = [(slug, _town_key(work, slug, codes.get(slug))) for slug in slugs]
    results = {}
    for result in process_towns(work, tasks, progress):
        problems += result.problems
        results[result.slug] = result
    problems.sort()
    if count_by_severity(problems)[0]:
        return CheckResult(problems, None), results
    assert everyone is not None
    summaries = []
    for town in everyone.towns:  # the light summary of a town whose lists were not read
        checked = results[town.slug].summary if town.slug in results else None
        summaries.append(checked or town)
    if only is None:  # the thesaurus is judged against every town's words
        words = {w for town in summaries for w in town.vocabulary}
        problems += find_thesaurus_gaps(facts.documents, words)
        problems.sort()
    overview = Overview(everyone.region, tuple(summaries), everyone.thesaurus)
    return CheckResult(problems, None, overview), results


def _town_key(work: TownWork, slug: str, code: str | None) -> str:
    """What the town's pages depend on besides the job's global key; "" when not rendering."""
    if work.job is None or code is None:
        return ""
    folder = work.root / work.job.config.content_dir / "towns" / slug
    files = [
        folder / "town.yaml",
        *(work.facts.lists[slug][k] for k in sorted(work.facts.lists[slug])),
        *form_files(folder),
    ]
    return source_key(work.job.global_key, files, work.job.history.town(code))


def run_check(root: Path, config: Config, only: frozenset[str] | None = None) -> CheckResult:
    """Load → schema → cross-checks → model. Reads files; writes nothing. With ``only``,
    just those towns' lists are read (a shard); every town's facts always are."""
    schemas = load_schemas(root / config.schema_dir)
    documents, problems = load_content(root, root / config.content_dir, schemas, only)
    problems += validate_catalogue(documents)
    for document in documents:
        if document.valid and document.kind in ("powers", "duties"):
            problems += find_form_problems(root, document)
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
    check_installed(root, config)  # the editing form's npm packages, when it is enabled
    cache = root / config.cache_dir
    output = root / config.output_dir
    manifest = load_manifest(cache)
    inputs = input_key(root, config, f"strict={strict} search={search}")
    if manifest.inputs == inputs and count_files(output) == manifest.file_count > 0:
        return unchanged_result(manifest)
    history, publication = read_record(root, config)
    global_key = render_key(root, config)
    new = Manifest(inputs=inputs)
    # Pagefind reads only the towns' pages: it indexes in a thread (its own processes)
    # while this one renders the pages that aggregate towns. The pool is left, and so
    # waited for, before the staging folder is.
    with Staging(output, cache / "trash") as staging, ThreadPoolExecutor(1) as indexer:

        def start(everyone: Overview) -> SiteJob:
            return make_job(
                root,
                config,
                everyone,
                history,
                staging.folder,
                "",
                manifest.towns,
                global_key,
                search=search,
            )

        check, towns = check_and_render(root, config, start, progress, publication=publication)
        if check.overview is None or check.failed(strict=strict):
            return BuildResult(check)
        if strict and history.status.shallow:
            return BuildResult(check, warnings=(*history.warnings, "--strict：浅克隆不能用于发布"))
        overview = check.overview
        for town in towns.values():
            assert town.output is not None
            staging.record(town.output.files)
            new.towns[town.slug] = town.output
        reused = sum(t.reused for t in towns.values())
        job = start(overview)
        indexing = None
        if search:
            town_keys = {slug: t.fingerprint for slug, t in new.towns.items()}
            bundles = plan_bundles(overview, config.search_bundle_towns)
            indexing = indexer.submit(index_bundles, job, staging, bundles, manifest, town_keys)
        town_urls = [u for t in overview.towns for u in new.towns[t.slug].urls]
        pages = render_aggregates(job, staging, town_urls, search=search) + len(town_urls)
        warnings = [
            *placeholder_notes(config),
            *history.warnings,
            *publication.warnings,
            *render_editions(
                root, config, history, publication, staging, manifest, new, global_key
            ),
        ]
        if indexing is not None:
            new.bundles = indexing.result()
        # every file is recorded but the search bundles' (Pagefind writes them)
        new.file_count = len(staging.paths) + count_files(staging.folder / BUNDLE_ROOT)
        staging.commit()
    result = BuildResult(
        check, pages, len(staging.paths), tuple(warnings), len(overview.towns), reused
    )
    new.summary = {
        "pages": result.pages,
        "files": result.files,
        "towns": result.towns,
        "warnings": list(result.warnings),
    }
    save_manifest(cache, new)
    return result


def placeholder_notes(config: Config) -> list[str]:
    note = placeholder_warning(config)
    return [note] if note else []


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
            link_files(old, staging.folder / bundle.path, files_under(old))
        else:
            stale.append(bundle)
    index_site(staging.folder, stale)
    return keys


def render_editions(
    root: Path,
    config: Config,
    history: History,
    publication: Publication,
    staging: Staging,
    previous: Manifest,
    new: Manifest,
    global_key: str,
) -> list[str]:
    """Every edition snapshot under ``editions/<name>/`` and the editions page."""
    if not history.status.in_git or history.status.empty:
        return []
    editions, warnings = publication.editions, []
    built: list[tuple[EditionRef, dict[str, TownVersion]]] = []

    def _edition_job(snapshot: Config, edition: EditionRef) -> JobStarter:
        def start(everyone: Overview) -> SiteJob:
            return make_job(
                root,
                snapshot,
                everyone,
                History(history.status),
                staging.folder,
                edition.prefix,
                previous.towns,
                global_key,
                edition,
                search=False,
                record=history,
            )

        return start

    for edition in editions:
        with tempfile.TemporaryDirectory(prefix="towncat-edition-") as folder:
            materialize(root, read_tree(root, edition.sha, config.content_dir), Path(folder))
            snapshot = replace(
                config,
                content_dir=str(Path(folder) / config.content_dir),
                base_url=config.base_url + edition.prefix,
            )
            check, towns = check_and_render(root, snapshot, _edition_job(snapshot, edition))
            if check.overview is None:  # drop what was rendered before the error was found
                shutil.rmtree(staging.folder / edition.prefix, ignore_errors=True)
                warnings.append(f"版本 {edition.tag} 的内容不符合现行格式，未生成快照")
                continue
            for town in towns.values():
                assert town.output is not None
                staging.record(town.output.files)
                new.towns[edition.prefix + town.slug] = town.output
            town_urls = [u for t in towns.values() if t.output for u in t.output.urls]
            job = _edition_job(snapshot, edition)(check.overview)
            render_aggregates(job, staging, town_urls, edition, search=False)
            built.append((edition, versions_of(Path(folder), config.content_dir)))
    if built:
        page = editions_page(built, build_labels(load_schemas(root / config.schema_dir)))
        env = make_environment(root / config.template_dir, root / config.cache_dir / "templates")
        staging.add(urls.output_path(page.url), render_html(env, page, config, navigation(history)))
    return warnings
