#!/usr/bin/env python3
"""How long ``build.py check`` takes, and how much memory, on city and province scale.

    python3 bench/bench_check.py                   # city ×3 (median) and province ×1
    python3 bench/bench_check.py --skip-province   # city only (about a minute)
    python3 bench/bench_check.py --repeat 5

For each scale it generates (or reuses, cached under /tmp/towncat-bench/) a
synthetic project with bench/synthetic.py, then runs, each in a fresh process:

* ``check``: ``python3 build.py --root DIR check``;
* ``bare``:  reading every content file and ``yaml.load(text, Loader=yaml.CSafeLoader)``,
  keeping the results (as ``check`` keeps its documents) — the floor any
  YAML-based check pays.

Wall time is measured around the child; peak memory is the child's maximum
resident set size from ``getrusage(RUSAGE_CHILDREN)``, taken in a small wrapper
process started for each run (so earlier runs never inflate it). The table shows
medians over ``--repeat`` runs and the check/bare ratios.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

CACHE = Path("/tmp/towncat-bench")

BARE_LOAD = r"""
import sys, pathlib, yaml
content = pathlib.Path(sys.argv[1])
documents = []
for path in sorted(content.rglob("*.yaml")):
    documents.append(yaml.load(path.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader))
print(f"loaded {len(documents)} files")
"""

# ``--gc-off`` rows: the same two contenders with Python's cyclic garbage collector
# disabled before any content is loaded (the loaded data hold no reference cycles).
GC_OFF_CHECK = r"""
import gc, runpy, sys
gc.disable()
sys.argv = sys.argv[1:]
sys.path.insert(0, sys.argv[0].rsplit("/", 1)[0])
runpy.run_path(sys.argv[0], run_name="__main__")
"""


# ---------------------------------------------------------------------------
# Measuring one command (runs inside a fresh wrapper process)
# ---------------------------------------------------------------------------

def _measure_child(cmd: list[str], cwd: str) -> int:
    """Run ``cmd``; print one JSON line with wall time, CPU time, peak RSS and the last output line."""
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = proc.stdout.decode("utf-8", "replace").strip().splitlines()
    print(json.dumps({
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "maxrss_kb": usage.ru_maxrss,  # kilobytes on Linux
        "rc": proc.returncode,
        "last_line": lines[-1] if lines else "",
        "stderr": proc.stderr.decode("utf-8", "replace")[-2000:],
    }, ensure_ascii=False))
    return 0


def measure(cmd: list[str], cwd: Path) -> dict:
    """``cmd`` measured in a fresh wrapper process."""
    wrapper = [sys.executable, str(Path(__file__).resolve()), "--_measure", str(cwd), "--", *cmd]
    out = subprocess.run(wrapper, check=True, stdout=subprocess.PIPE).stdout.decode("utf-8")
    return json.loads(out.strip().splitlines()[-1])


# ---------------------------------------------------------------------------
# Projects
# ---------------------------------------------------------------------------

def code_fingerprint() -> str:
    """Git HEAD plus a hash of towncat/*.py and build.py as they are on disk now."""
    digest = hashlib.sha256()
    for path in [*sorted((REPO / "towncat").glob("*.py")), REPO / "build.py"]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        head = "?"
    return f"HEAD {head}, towncat sha256 {digest.hexdigest()[:10]}"


def _generator_hash() -> str:
    return hashlib.sha256((HERE / "synthetic.py").read_bytes()).hexdigest()[:10]


def project(label: str, towns: int, args: argparse.Namespace) -> tuple[Path, dict]:
    """The cached project for these parameters, generated when missing or stale."""
    key = (f"{label}-t{towns}-s{args.seed}-p{args.powers}-d{args.duties}-i{args.institutions}"
           f"-g{_generator_hash()}")
    out = args.cache_dir / key
    marker = out / synthetic.MARKER
    if marker.is_file() and not args.regenerate:
        counts = json.loads(marker.read_text(encoding="utf-8"))["counts"]
        print(f"[{label}] reusing {out}", file=sys.stderr)
        return out, counts
    print(f"[{label}] generating {towns} towns into {out} …", file=sys.stderr)
    started = time.perf_counter()
    counts = synthetic.generate_project(out, towns, seed=args.seed, powers=args.powers,
                                        duties=args.duties, institutions=args.institutions)
    print(f"[{label}] generated {counts['files']} files, {counts['bytes'] / 1e6:.1f} MB "
          f"in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return out, counts


def _warm(content: Path) -> tuple[int, int]:
    """Read every file once so both contenders start from a warm page cache."""
    files = size = 0
    for path in content.rglob("*.yaml"):
        files += 1
        size += len(path.read_bytes())
    return files, size


def bench_scale(label: str, towns: int, repeat: int, args: argparse.Namespace,
                gc_off: bool = False) -> dict:
    root, _ = project(label, towns, args)
    files, size = _warm(root / "content")
    check_cmd = [sys.executable, str(REPO / "build.py"), "--root", str(root), "check"]
    bare_cmd = [sys.executable, "-c", BARE_LOAD, str(root / "content")]
    if gc_off:
        label += " (gc off)"
        check_cmd = [sys.executable, "-c", GC_OFF_CHECK, *check_cmd[1:]]
        bare_cmd = [sys.executable, "-c", "import gc; gc.disable()\n" + BARE_LOAD,
                    str(root / "content")]
    runs: dict[str, list[dict]] = {"check": [], "bare": []}
    for i in range(repeat):
        for name, cmd in (("check", check_cmd), ("bare", bare_cmd)):
            result = measure(cmd, REPO)
            runs[name].append(result)
            print(f"[{label}] run {i + 1}/{repeat} {name}: {result['wall']:.2f} s, "
                  f"{result['maxrss_kb'] / 1024:.0f} MB, exit {result['rc']}", file=sys.stderr)
            if result["rc"] != 0:
                print(f"[{label}] {name} exited {result['rc']}: {result['last_line']}\n"
                      f"{result['stderr']}", file=sys.stderr)
    med = {
        name: {
            "wall": statistics.median(r["wall"] for r in rs),
            "cpu": statistics.median(r["cpu"] for r in rs),
            "rss_mb": statistics.median(r["maxrss_kb"] for r in rs) / 1024,
        }
        for name, rs in runs.items()
    }
    return {"label": label, "towns": towns, "files": files, "mb": size / 1e6, "repeat": repeat,
            "median": med, "check_rc": [r["rc"] for r in runs["check"]],
            "check_summary": runs["check"][-1]["last_line"], "root": str(root)}


def print_table(results: list[dict]) -> None:
    header = ("scale", "towns", "files", "MB", "runs", "check s", "bare s", "time ×",
              "check cpu", "bare cpu", "cpu ×", "check MB", "bare MB", "mem ×", "MB/s")
    rows = []
    for r in results:
        c, b = r["median"]["check"], r["median"]["bare"]
        rows.append((r["label"], str(r["towns"]), str(r["files"]), f"{r['mb']:.1f}",
                     str(r["repeat"]), f"{c['wall']:.2f}", f"{b['wall']:.2f}",
                     f"{c['wall'] / b['wall']:.2f}", f"{c['cpu']:.2f}", f"{b['cpu']:.2f}",
                     f"{c['cpu'] / b['cpu']:.2f}", f"{c['rss_mb']:.0f}", f"{b['rss_mb']:.0f}",
                     f"{c['rss_mb'] / b['rss_mb']:.2f}", f"{r['mb'] / c['wall']:.2f}"))
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print(line(row))
    print()
    for r in results:
        print(f"{r['label']}: check exit codes {r['check_rc']}; {r['check_summary']}")
        print(f"{r['label']}: CPU s (median) check {r['median']['check']['cpu']:.2f}, "
              f"bare {r['median']['bare']['cpu']:.2f}; project {r['root']}")
    print(f"python {sys.version.split()[0]}, PyYAML with libyaml; os.cpu_count()={os.cpu_count()}; "
          f"load average at the end {os.getloadavg()[0]:.1f}")
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print("note: the machine was busy (load average above the CPU count): wall times are "
              "inflated, compare the CPU columns")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--_measure"]:  # internal: the wrapper process
        cwd, sep, *cmd = argv[1:]
        assert sep == "--"
        return _measure_child(cmd, cwd)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs at city scale (median; default 3)")
    parser.add_argument("--province-repeat", type=int, default=1, help="runs at province scale (default 1)")
    parser.add_argument("--skip-province", action="store_true", help="city scale only")
    parser.add_argument("--city-towns", type=int, default=88)
    parser.add_argument("--province-towns", type=int, default=1800)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--powers", type=int, default=100)
    parser.add_argument("--duties", type=int, default=150)
    parser.add_argument("--institutions", type=int, default=16)
    parser.add_argument("--cache-dir", type=Path, default=CACHE)
    parser.add_argument("--regenerate", action="store_true", help="ignore cached projects")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    parser.add_argument("--gc-off", action="store_true",
                        help="add rows with the cyclic garbage collector disabled in both contenders")
    args = parser.parse_args(argv)

    code_before = code_fingerprint()
    print(f"load average at the start {os.getloadavg()[0]:.1f}; code: {code_before}",
          file=sys.stderr)
    results = [bench_scale("city", args.city_towns, args.repeat, args)]
    if args.gc_off:
        results.append(bench_scale("city", args.city_towns, args.repeat, args, gc_off=True))
    if not args.skip_province:
        results.append(bench_scale("province", args.province_towns, args.province_repeat, args))
        if args.gc_off:
            results.append(bench_scale("province", args.province_towns, args.province_repeat,
                                       args, gc_off=True))
    print_table(results)
    code_after = code_fingerprint()
    print(f"code under test: {code_after}")
    if code_after != code_before:
        print(f"warning: the code changed during the run (it was {code_before}); "
              "rows may have measured different versions")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")
    return 0 if all(rc == 0 for r in results for rc in r["check_rc"]) else 1


if __name__ == "__main__":
    sys.exit(main())
