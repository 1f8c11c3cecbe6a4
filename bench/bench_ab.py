#!/usr/bin/env python3
"""Time to first result of two built sites side by side, query by query, alternating.

    python bench/bench_ab.py OLD_SITE NEW_SITE                  # 40 everyday queries
    python bench/bench_ab.py OLD_SITE NEW_SITE --synthetic      # 40 of bench_search's queries
    python bench/bench_ab.py OLD NEW --synthetic --county 金邑区  # within one 区县

Each query is opened as ``search/?q=…`` in a fresh browser context on each site in turn
(the order alternating from one query to the next), as ``bench_search.first_result``
does: navigation start to the first rendered result, cold and warm, and the cold load's
requests and bytes (uncompressed). On a shared machine the load changes from minute to
minute; alternating puts both sites under the same load, so the ratio is what to read.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_search import QUERIES, chromium, first_result, serve  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--synthetic", action="store_true",
                        help="bench_search.py's queries (the synthetic city's vocabulary)")
    parser.add_argument("--county", help="search within this 区县")
    args = parser.parse_args(argv)
    if args.synthetic:
        queries = QUERIES[: args.queries]
    else:
        everyday = yaml.safe_load((HERE / "queries/everyday.yaml").read_text(encoding="utf-8"))
        queries = [q["q"] for q in everyday["queries"]][::3][: args.queries]
    from playwright.sync_api import sync_playwright

    rows: dict[str, list[tuple[float, float, int, int]]] = {"old": [], "new": []}
    with serve(args.old) as old, serve(args.new) as new, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update"])
        bases = {"old": old, "new": new}
        for i, q in enumerate(queries):
            for name in ("old", "new") if i % 2 == 0 else ("new", "old"):
                traffic: dict[str, list[int]] = {}
                cold, warm = first_result(browser, bases[name], q, args.county, traffic=traffic)
                rows[name].append((cold, warm, traffic["requests"][0], traffic["bytes"][0]))
        browser.close()
    for name, site in (("old", args.old), ("new", args.new)):
        cold, warm, requests, sizes = zip(*rows[name], strict=True)
        print(f"{name} ({site}), {len(cold)} queries: cold median {statistics.median(cold):.0f} ms, "
              f"worst {max(cold):.0f} ms; warm median {statistics.median(warm):.0f} ms; "
              f"requests median {statistics.median(requests):.0f}; "
              f"{statistics.median(sizes) / 1024:.0f} KB median, {max(sizes) / 1024:.0f} KB max")
    return 0


if __name__ == "__main__":
    sys.exit(main())
