"""Everyday-phrasing search quality and speed, measured on the page residents use.

    python bench/bench_queries.py                 # build the shipped site, run every query
    python bench/bench_queries.py --site site     # use an existing build

Each query of ``bench/queries/everyday.yaml`` (or ``--queries FILE``; written from a resident's point of view
before looking at the catalogue's keywords) is typed into ``/search/`` in a fresh
Chromium context, served by ``python -m http.server``. Reported per kind of query:
hit@3 (a right page among the first three), MRR, the share with no result at all, and
the time from navigation to the first rendered result. Then the legal-name set: every
item name of the shipped catalogues as a query, recall@10 of its own page.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_search import chromium, first_result, serve  # noqa: E402


def run_query(browser: Any, base: str, q: str) -> tuple[list[str], float]:
    """The result URLs (site-relative) and seconds to the first result or the answer."""
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(base + "search/?q=" + q)
    page.wait_for_function(
        """() => document.querySelector('.search-results li') ||
                 !document.querySelector('[data-search-help]').hidden ||
                 /请输入|不可用/.test(document.querySelector('[data-search-status]').textContent)""",
        timeout=30000,
    )
    seconds = time.perf_counter() - started
    # the cards are shown one by one as they arrive: read the first page once complete
    page.wait_for_function(
        """() => {
          const m = document.querySelector('[data-search-status]').textContent.match(/^找到 (\\d+) 条/);
          return !m || document.querySelectorAll('.search-results li').length >= Math.min(10, +m[1]);
        }""",
        timeout=30000,
    )
    hrefs = page.eval_on_selector_all(".search-results li h2 a", "els => els.map(e => e.href)")
    context.close()
    return [h.removeprefix(base).split("?")[0].rstrip("/") + "/" for h in hrefs], seconds


def score(urls: list[str], expected: set[str]) -> tuple[bool, float]:
    ranks = [i for i, u in enumerate(urls) if "/" + u.lstrip("/") in expected]
    return bool(ranks and ranks[0] < 3), 1 / (ranks[0] + 1) if ranks else 0.0


def item_names(root: Path) -> list[tuple[str, str]]:
    out = []
    for town in ("maqiao", "jinshan"):
        for kind in ("powers", "duties"):
            data = yaml.safe_load((root / "content/towns" / town / f"{kind}.yaml").read_text())
            for item in data[kind]:
                out.append((item["name"], f"/towns/{town}/{kind}/{item['id']}/"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="an existing build of the shipped content")
    parser.add_argument("--legal", type=int, default=60, help="legal-name queries (every k-th name)")
    parser.add_argument("--queries", type=Path, default=ROOT / "bench/queries/everyday.yaml",
                        help="the query set (default bench/queries/everyday.yaml)")
    parser.add_argument("--ttfr", action="store_true",
                        help="also time each query as bench_search.py does (navigation start to "
                             "the first result rendered, cold and warm; requests and bytes)")
    args = parser.parse_args(argv)
    site = args.site
    if site is None:
        subprocess.run([sys.executable, "build.py"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        site = ROOT / "site"
    queries = yaml.safe_load(args.queries.read_text(encoding="utf-8"))["queries"]
    from playwright.sync_api import sync_playwright

    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    misses = []
    timing: list[tuple[float, float, int, int]] = []
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-gpu",
                                    "--disable-background-networking", "--disable-component-update"])
        for q in queries:
            urls, seconds = run_query(browser, base, q["q"])
            expected = set(q.get("expect") or [])
            hit, rr = score(urls, expected) if expected else (bool(urls), 0.0)
            rows[q["kind"]].append({"hit": hit, "rr": rr, "zero": not urls, "s": seconds,
                                    "judged": bool(expected)})
            if expected and not hit:
                misses.append(f"  {q['kind']:12} {q['q']}: top {urls[:3]}")
            if args.ttfr:
                traffic: dict[str, list[int]] = {}
                cold, warm = first_result(browser, base, q["q"], traffic=traffic)
                timing.append((cold, warm, traffic["requests"][0], traffic["bytes"][0]))
        names = item_names(ROOT)
        step = max(1, len(names) // args.legal)
        legal = []
        for name, url in names[::step]:
            urls, seconds = run_query(browser, base, name)
            legal.append(url in ["/" + u.lstrip("/") for u in urls[:10]])
            if not legal[-1]:
                misses.append(f"  legal name   {name} ({url}): top {urls[:3]}")
        browser.close()
    print(f"{'kind':12} {'n':>4} {'hit@3':>6} {'MRR':>5} {'zero':>6} {'median s':>9} {'worst s':>8}")
    every = [r for rs in rows.values() for r in rs]
    for kind, rs in [*sorted(rows.items()), ("all", every)]:
        judged = [r for r in rs if r["judged"]]
        times = [r["s"] for r in rs]
        figures = (f"{statistics.mean(r['hit'] for r in judged):6.2f} "
                   f"{statistics.mean(r['rr'] for r in judged):5.2f} "
                   f"{sum(r['zero'] for r in judged) / len(judged):6.1%}") if judged else \
            f"{'—':>6} {'—':>5} {'—':>6}"
        print(f"{kind:12} {len(rs):4} {figures} {statistics.median(times):9.2f} {max(times):8.2f}")
    unanswered = [r for r in every if not r["judged"]]
    if unanswered:  # no right page exists: the honest answer is the no-result help
        print(f"no right answer in the catalogue: {len(unanswered)} queries, "
              f"{sum(r['zero'] for r in unanswered)} answered with the no-result help, "
              f"{sum(not r['zero'] for r in unanswered)} with results")
    print(f"legal names: recall@10 {sum(legal)}/{len(legal)}")
    if timing:
        cold, warm, requests, sizes = zip(*timing, strict=True)
        print(f"first result (navigation start → first result rendered): cold median "
              f"{statistics.median(cold):.0f} ms, worst {max(cold):.0f} ms; warm median "
              f"{statistics.median(warm):.0f} ms; requests median {statistics.median(requests):.0f}, "
              f"bytes median {statistics.median(sizes) / 1024:.0f} KB (uncompressed)")
    print("missed (no right page in the first three; a legal name not in the first ten):")
    print("\n".join(misses) or "  none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
