#!/usr/bin/env python3
"""A site built as independent shard jobs and assembled, measured as one whole.

    python3 bench/bench_shards.py                         # province (1800 towns), 6 shards, 2 at a time
    python3 bench/bench_shards.py --towns 88 --shards 4   # city scale
    python3 bench/bench_shards.py --shards 12 --jobs 3 --no-search

What a batch system (a CI matrix, a cluster queue) would run: the counties of the
synthetic region are split into ``--shards`` groups of neighbouring counties; each
group is one ``build.py shard --county … --output …`` job, ``--jobs`` of them at a
time; then one ``build.py assemble`` joins them into ``site/``. The whole is measured
like a contender of ``bench_build.py`` (fresh wrapper process: wall time, CPU of the
process tree, the largest single process's peak RSS, the peak PSS of the whole tree
with and without Pagefind's processes), and each job's own wall time and peak RSS are
printed below. Projects and the towncat snapshot are shared with ``bench_build.py``
(``--towncat-src`` reuses a snapshot).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_build  # noqa: E402  (the measuring helpers and the project cache)


def county_slugs(root: Path) -> list[str]:
    import yaml

    region = yaml.load((root / "content/region.yaml").read_text(encoding="utf-8"),
                       Loader=yaml.CSafeLoader)
    return [c["slug"] for c in region["counties"]]


def groups(items: list[str], count: int) -> list[list[str]]:
    """``items`` in ``count`` contiguous groups of nearly equal size."""
    size, extra = divmod(len(items), count)
    out, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        out.append(items[start:end])
        start = end
    return [g for g in out if g]


def _job(cmd: list[str]) -> dict[str, Any]:
    """Run one job in a throw-away process group of its own; wall time and peak RSS."""
    wrapper = [sys.executable, "-c", (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter()\n"
        "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'rc': rc, 'wall': time.perf_counter() - t, "
        "'maxrss_kb': u.ru_maxrss, 'cpu': u.ru_utime + u.ru_stime}))\n"
    ), *cmd]
    done = subprocess.run(wrapper, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_shards(root: Path, source: Path, shards: int, jobs: int, search: bool) -> int:
    """The orchestration itself (runs inside the measuring wrapper); prints one JSON line."""
    build = [sys.executable, str(source / "build.py"), "--root", str(root)]
    out = root / "bench-out" / "shards"
    plan = groups(county_slugs(root), shards)
    commands = []
    for number, counties in enumerate(plan, start=1):
        cmd = [*build, "shard", "--output", str(out / f"shard-{number:02d}")]
        for county in counties:
            cmd += ["--county", county]
        if not search:
            cmd.append("--no-search")
        commands.append(cmd)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(_job, commands))
    shards_done = time.perf_counter() - started
    folders = [str(out / f"shard-{n:02d}") for n in range(1, len(plan) + 1)]
    assembled = _job([*build, "assemble", *folders])
    print(json.dumps({
        "shards": [{"counties": len(c), **r} for c, r in zip(plan, results, strict=True)],
        "shards_wall": shards_done,
        "assemble": assembled,
    }))
    return 0 if all(r["rc"] == 0 for r in [*results, assembled]) else 1


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--_run"]:
        root, source, shards, jobs, search = argv[1:6]
        return run_shards(Path(root), Path(source), int(shards), int(jobs), search == "1")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--towns", type=int, default=1800, help="towns (1800: province)")
    parser.add_argument("--shards", type=int, default=6, help="shard jobs (6)")
    parser.add_argument("--jobs", type=int, default=2, help="shard jobs at a time (2)")
    parser.add_argument("--no-search", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--powers", type=int, default=100)
    parser.add_argument("--duties", type=int, default=150)
    parser.add_argument("--institutions", type=int, default=16)
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--towncat-src", type=Path, help="a towncat snapshot to build with")
    parser.add_argument("--keep", action="store_true", help="keep site/ and the shards")
    args = parser.parse_args(argv)
    label = "province" if args.towns >= 1000 else "city"
    root, medium = bench_build.project(label, args.towns, args)
    source = args.towncat_src or bench_build.snapshot_sources(root.parent)
    (root / "towncat.toml").write_text(bench_build.towncat_toml(source, label), encoding="utf-8")
    bench_build.clean_towncat(root)
    bench_build.rm(root / "bench-out" / "shards")
    bench_build.log(f"[{label}] {args.shards} shards, {args.jobs} at a time, {medium}, "
                    f"towncat from {source}")
    result = bench_build.measure(
        [sys.executable, str(Path(__file__).resolve()), "--_run", str(root), str(source),
         str(args.shards), str(args.jobs), "0" if args.no_search else "1"], root)
    detail = json.loads(result["stdout_tail"].strip().splitlines()[-1])
    mb = 1024
    print(f"{label}: {args.towns} towns, {args.shards} shard jobs ({args.jobs} at a time) "
          f"+ assemble, search {'off' if args.no_search else 'on'}, exit {result['rc']}")
    print(f"whole: wall {result['wall']:.1f} s, CPU {result['cpu']:.1f} s, "
          f"largest process {result['maxrss_kb'] / mb:.0f} MB, tree {result['tree_pss_kb'] / mb:.0f} MB, "
          f"tree less Pagefind {result['tree_pss_non_indexer_kb'] / mb:.0f} MB, "
          f"load {result['load_before']:.1f}→{result['load_after']:.1f}")
    print("| job | counties | wall s | CPU s | peak RSS MB | exit |")
    print("|---|---|---|---|---|---|")
    for number, job in enumerate(detail["shards"], start=1):
        print(f"| shard {number} | {job['counties']} | {job['wall']:.1f} | {job['cpu']:.1f} | "
              f"{job['maxrss_kb'] / mb:.0f} | {job['rc']} |")
    job = detail["assemble"]
    print(f"| assemble | all | {job['wall']:.1f} | {job['cpu']:.1f} | {job['maxrss_kb'] / mb:.0f} "
          f"| {job['rc']} |")
    print(f"shard jobs {detail['shards_wall']:.1f} s, then assemble {job['wall']:.1f} s")
    site = root / "site"
    pages = sum(1 for _ in site.rglob("*.html")) if site.is_dir() else 0
    print(f"site/: {pages} HTML pages")
    if not args.keep:
        bench_build.clean_towncat(root)
        bench_build.rm(root / "bench-out" / "shards")
    return result["rc"]


if __name__ == "__main__":
    raise SystemExit(main())
