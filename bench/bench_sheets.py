#!/usr/bin/env python3
"""How long the spreadsheet round trip takes, and what reading past slips costs ``check``.

    python3 bench/bench_sheets.py              # 5 runs each, medians
    python3 bench/bench_sheets.py --repeat 9

Measured in this process, on a copy of the shipped content (马桥镇 and 金山镇, 376 items):

* ``export``: ``export TOWN --xlsx`` of both towns (six workbooks);
* ``import``: importing the six workbooks back (each file unchanged, byte for byte);
* ``parse``: ``parse_yaml`` of the six list files, as ``check`` reads them, next to
  ``slips``, the part of it that looks for Chinese-input slips line by line, and
  ``libyaml``, the bare C parser's event stream of the same text (the floor).
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from towncat.cli import main  # noqa: E402
from towncat.content.loader import parse_yaml  # noqa: E402
from towncat.content.slips import find_slips  # noqa: E402

TOWNS = ("maqiao", "jinshan")
KINDS = ("powers", "duties", "institutions")


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def run(*args: str) -> None:
    out = io.StringIO()
    code = main(list(args), out=out)
    if code != 0:
        raise SystemExit(out.getvalue())


def main_bench(repeat: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="towncat-sheets-"))
    root = work / "repo"
    root.mkdir()
    shutil.copytree(REPO / "content", root / "content")
    (root / "schemas").symlink_to(REPO / "schemas", target_is_directory=True)
    shutil.copy(REPO / "towncat.toml", root / "towncat.toml")
    out = work / "out"
    out.mkdir()
    texts = [
        (REPO / f"content/towns/{t}/{k}.yaml").read_text(encoding="utf-8")
        for t in TOWNS
        for k in KINDS
    ]
    results: dict[str, list[float]] = {
        "export": [],
        "import": [],
        "parse": [],
        "slips": [],
        "libyaml": [],
    }
    for _ in range(repeat):
        results["export"].append(
            timed(
                lambda: [
                    run("--root", str(root), "export", t, "--xlsx", "--output", str(out))
                    for t in TOWNS
                ]
            )
        )
        results["import"].append(
            timed(
                lambda: [
                    run("--root", str(root), "import", t, str(out / f"{t}-{k}.xlsx"), "--list", k)
                    for t in TOWNS
                    for k in KINDS
                ]
            )
        )
        results["parse"].append(timed(lambda: [parse_yaml(t, "x") for t in texts]))
        results["slips"].append(timed(lambda: [find_slips(t, "x") for t in texts]))
        results["libyaml"].append(
            timed(lambda: [list(yaml.parse(t, Loader=yaml.CSafeLoader)) for t in texts])
        )
    for t in TOWNS:
        for k in KINDS:
            same = (root / f"content/towns/{t}/{k}.yaml").read_bytes() == (
                REPO / f"content/towns/{t}/{k}.yaml"
            ).read_bytes()
            assert same, f"{t}/{k}.yaml changed"
    print(f"| step | median of {repeat} (ms) |")
    print("|---|---|")
    for name, values in results.items():
        print(f"| {name} | {statistics.median(values) * 1000:.1f} |")
    shutil.rmtree(work)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    main_bench(parser.parse_args().repeat)
