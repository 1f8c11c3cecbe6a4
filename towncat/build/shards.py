"""Building a site as independent jobs: one shard per 区县 (or several), then one assembly.

``run_shard`` renders the towns of some counties, their downloads and their
search bundles into a folder of their own, with a manifest holding the towns'
summaries; it reads only those towns' lists. ``run_assemble`` checks that the
shards come from the same inputs and cover every county exactly once, links
their files into a staging folder, renders the pages that aggregate towns from
the summaries alone, and swaps the site in. Any batch system (a CI matrix, a
cluster queue) can run the shard jobs in parallel.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..config import Config
from ..content.problems import Problem, count_by_severity
from ..content.summary import Overview, summary_from_json, summary_to_json
from ..search.bundles import BUNDLE_ROOT, index_site, plan_bundles
from .incremental import Manifest, TownOutput, input_key, render_key
from .jobs import SiteJob, make_job, render_aggregates
from .pipeline import (
    BuildResult,
    CheckResult,
    check_and_render,
    placeholder_notes,
    read_record,
    render_editions,
    run_check,
)
from .write import Staging, files_under, link_files

SHARD_MANIFEST = ".towncat-shard.json"
SHARD_FLAGS = "shard"


class ShardError(Exception):
    """Shards that cannot be assembled: different inputs, a county missing or twice."""


def county_towns(check: CheckResult, counties: list[str]) -> frozenset[str]:
    """The slugs of the towns in the named counties (by county slug)."""
    assert check.catalogue is not None
    region = check.catalogue.region
    names = {c.slug: c.name for c in region.counties}
    unknown = [c for c in counties if c not in names]
    if unknown:
        raise ShardError("未知的区县：" + "、".join(unknown) + "；可选：" + "、".join(names))
    wanted = {names[c] for c in counties}
    return frozenset(t.slug for t in check.catalogue.towns if t.facts.county in wanted)


def run_shard(
    root: Path,
    config: Config,
    counties: list[str],
    output: Path,
    search: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> BuildResult:
    """Render the towns of ``counties`` (county slugs) into ``output`` as one shard."""
    light = run_check(root, config, only=frozenset())
    if light.catalogue is None:
        return BuildResult(light)
    slugs = county_towns(light, counties)
    history, publication = read_record(root, config)
    outputs: dict[str, TownOutput] = {}
    with Staging(output) as staging:

        def start(everyone: Overview) -> SiteJob:
            return make_job(
                root,
                config,
                everyone,
                history,
                staging.folder,
                "",
                {},
                render_key(root, config),
                search=search,
            )

        check, towns = check_and_render(
            root, config, start, progress, only=slugs, publication=publication
        )
        if check.overview is None or check.failed():
            return BuildResult(check)
        for slug, town in sorted(towns.items()):
            assert town.output is not None
            staging.record(town.output.files)
            outputs[slug] = town.output
        mine = Overview(
            check.overview.region,
            tuple(t for t in check.overview.towns if t.slug in slugs),
            check.overview.thesaurus,
        )
        if search:
            index_site(staging.folder, plan_bundles(mine, config.search_bundle_towns))
        manifest = {
            "inputs": input_key(root, config, SHARD_FLAGS),
            "counties": counties,
            "search": search,
            "towns": {k: asdict(v) for k, v in outputs.items()},
            "summaries": [summary_to_json(t) for t in mine.towns],
        }
        staging.add(
            SHARD_MANIFEST, json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode("utf-8")
        )
        staging.commit()
    pages = sum(len(o.urls) for o in outputs.values())
    warnings = (*history.warnings, *publication.warnings)
    return BuildResult(check, pages, len(staging.paths), warnings, len(outputs))


def _read_manifest(folder: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads((folder / SHARD_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ShardError(f"{folder} 不是分片输出（缺少或无法读取 {SHARD_MANIFEST}）") from err
    return data


def _check_shards(
    manifests: dict[Path, dict[str, Any]], expected_inputs: str, county_slugs: list[str]
) -> None:
    seen: dict[str, Path] = {}
    for folder, manifest in manifests.items():
        if manifest["inputs"] != expected_inputs:
            raise ShardError(
                f"分片 {folder} 的输入（内容、模板、配置或代码）与当前不一致，请重新生成"
            )
        for county in manifest["counties"]:
            if county in seen:
                raise ShardError(f"区县 {county} 同时出现在分片 {seen[county]} 和 {folder} 中")
            seen[county] = folder
    missing = [c for c in county_slugs if c not in seen]
    if missing:
        raise ShardError("缺少这些区县的分片：" + "、".join(missing))


def run_assemble(root: Path, config: Config, folders: list[Path]) -> BuildResult:
    """Join shards into the site: their files, plus every page that aggregates towns."""
    light = run_check(root, config, only=frozenset())
    if light.catalogue is None:
        return BuildResult(light)
    region = light.catalogue.region
    manifests = {folder: _read_manifest(folder) for folder in folders}
    _check_shards(
        manifests, input_key(root, config, SHARD_FLAGS), [c.slug for c in region.counties]
    )
    summaries = {
        s["slug"]: summary_from_json(s) for m in manifests.values() for s in m["summaries"]
    }
    missing = [t.slug for t in light.catalogue.towns if t.slug not in summaries]
    if missing:
        raise ShardError("分片中缺少这些镇街：" + "、".join(missing[:10]))
    ordered = tuple(summaries[t.slug] for t in light.catalogue.towns)
    overview = Overview(region, ordered, light.catalogue.thesaurus)
    history, publication = read_record(root, config)
    problems: list[Problem] = sorted([*light.problems, *publication.problems])
    if publication.problems and count_by_severity(problems)[0]:
        return BuildResult(CheckResult(problems, None))
    searchable = all(m["search"] for m in manifests.values())
    town_urls: list[str] = []
    with Staging(root / config.output_dir) as staging:
        for folder, manifest in sorted(manifests.items()):
            for town in manifest["towns"].values():
                staging.record(town["files"])  # checked: safe and not written twice
                link_files(folder, staging.folder, town["files"])
                town_urls += town["urls"]
            bundles = folder / BUNDLE_ROOT
            if searchable and bundles.is_dir():  # bundle names are counties': no clashes
                link_files(bundles, staging.folder / BUNDLE_ROOT, files_under(bundles))
        key = render_key(root, config)
        job = make_job(root, config, overview, history, staging.folder, "", {}, key)
        pages = render_aggregates(job, staging, town_urls, search=searchable) + len(town_urls)
        # the editions' snapshots, as a single build renders them
        editions = render_editions(
            root, config, history, publication, staging, Manifest(), Manifest(), key
        )
        staging.commit()
    return BuildResult(
        CheckResult(problems, light.catalogue),
        pages,
        len(staging.paths),
        (*placeholder_notes(config), *history.warnings, *publication.warnings, *editions),
        len(overview.towns),
    )
