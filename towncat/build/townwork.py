"""Checking and rendering the towns, one town per task, in worker processes.

Once every town's facts are loaded, towns are independent: a task reads one town's
list files, checks them, builds the town and, in a build, writes its pages and
downloads straight into the staging folder. It hands back only what the parent
needs: the town's problems, its summary (for the pages that aggregate towns) and
the files it wrote. Workers are forked from the parent, so they share the facts
without copying them, and each holds one town's lists at a time.

Files are parsed without recording positions, which costs a third of the parsing;
a town with any problem is read again with positions so that every problem says
where it is. A town whose files, history and rendering inputs have the same key
as in the last build is not read at all: its files are linked and its summary and
warnings come from the manifest.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from ..content.catalogue import build_towns
from ..content.files import Document, Facts, load_lists
from ..content.forms import find_form_problems
from ..content.memory import collector_paused
from ..content.model import Town
from ..content.problems import Problem, count_by_severity
from ..content.schema import SchemaSet
from ..content.summary import TownSummary, summarize_town, summary_from_json, summary_to_json
from ..content.validate import validate_lists
from .incremental import TownOutput, can_reuse
from .jobs import SiteJob, link_town, write_town

PARALLEL_FROM = 8  # towns; below this a worker pool costs more than it saves


@dataclass(frozen=True)
class TownWork:
    """What every task shares (inherited by forked workers)."""

    root: Path
    facts: Facts
    schemas: SchemaSet
    job: SiteJob | None  # None: check only, render nothing
    build: bool = True  # False when the facts have errors: find problems, build nothing


@dataclass(frozen=True)
class TownResult:
    slug: str
    problems: list[Problem]
    summary: TownSummary | None  # None when the town's lists have errors
    output: TownOutput | None  # None when nothing was rendered
    reused: bool = False


def check_town(work: TownWork, slug: str) -> tuple[list[Problem], Town | None]:
    """One town's list problems, and the town when there are no errors."""
    documents, problems = _check_lists(work, slug, positions=False)
    if problems:  # rare: read again so that every problem says where it is
        documents, problems = _check_lists(work, slug, positions=True)
    if count_by_severity(problems)[0] or not work.build:
        return problems, None
    towns = build_towns(work.facts.documents, documents, [slug])
    return problems, towns[0] if towns else None


def _check_lists(
    work: TownWork, slug: str, *, positions: bool
) -> tuple[list[Document], list[Problem]]:
    documents, found = load_lists(work.root, work.facts, [slug], work.schemas, positions=positions)
    found += validate_lists(documents, work.facts.documents)
    for document in documents:  # the form files the guides name (I/O: they are read)
        if document.valid and document.kind in ("powers", "duties"):
            found += find_form_problems(work.root, document)
    return documents, found


def process_town(work: TownWork, slug: str, key: str) -> TownResult:
    """Check one town and, when it is clean and there is a job, render it. The loaded
    catalogue has no reference cycles: the collector would only rescan it, again and
    again (see ``memory``)."""
    with collector_paused():
        result = _process_town(work, slug, key)
    gc.collect()  # whatever cycles rendering made, once per town rather than all along
    return result


def _process_town(work: TownWork, slug: str, key: str) -> TownResult:
    problems, town = check_town(work, slug)
    if town is None:
        return TownResult(slug, problems, None, None)
    summary = summarize_town(town)
    output = None
    if work.job is not None:
        output = write_town(work.job, town, key)
        output.summary = summary_to_json(summary)
        output.warnings = [asdict(p) for p in problems]
    return TownResult(slug, problems, summary, output)


def reuse_town(work: TownWork, slug: str, key: str) -> TownResult | None:
    """The last build's result for this town when its key is unchanged and its files exist."""
    job = work.job
    previous = job.previous.get(job.prefix + slug) if job is not None else None
    if job is None or previous is None or previous.summary is None:
        return None
    if not can_reuse(previous, key, job.previous_output):
        return None
    link_town(job, previous)
    problems = [Problem(**p) for p in previous.warnings]
    return TownResult(slug, problems, summary_from_json(previous.summary), previous, reused=True)


_WORK: TownWork | None = None  # the work of the running pool, inherited by forked workers


def _process_in_worker(task: tuple[str, str]) -> TownResult:
    assert _WORK is not None
    return process_town(_WORK, *task)


def process_towns(
    work: TownWork,
    tasks: list[tuple[str, str]],
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[TownResult]:
    """Every (slug, key): reused when possible, else checked and rendered, in parallel when
    it pays off. Results come in no particular order."""
    global _WORK
    total = len(tasks)
    done = 0
    pending = []
    for slug, key in tasks:
        reused = reuse_town(work, slug, key)
        if reused is None:
            pending.append((slug, key))
            continue
        done += 1
        if progress is not None:
            progress(done, total)
        yield reused
    workers = min(os.cpu_count() or 1, 4)
    if len(pending) < PARALLEL_FROM or workers < 2:
        results: Iterator[TownResult] = (process_town(work, *task) for task in pending)
        pool = None
    else:
        _WORK = work
        gc.freeze()  # the facts stay put: workers neither scan them nor copy their pages
        pool = multiprocessing.get_context("fork").Pool(workers)
        results = pool.imap_unordered(_process_in_worker, pending)
    try:
        for result in results:
            done += 1
            if progress is not None:
                progress(done, total)
            yield result
    finally:  # every result is in, or the build is being abandoned
        if pool is not None:
            pool.terminate()
            pool.join()
            gc.unfreeze()
            _WORK = None
