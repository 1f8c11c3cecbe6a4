#!/usr/bin/env python3
"""Search at city scale: build and index time, index size, recall and speed in a browser.

    python3 bench/bench_search.py                 # quick: 20 synthetic towns
    python3 bench/bench_search.py --towns 88      # the whole city (~23,000 records)
    python3 bench/bench_search.py --no-browser    # build and index figures only
    python3 bench/bench_search.py --towns 1800 --queries 12   # the province, 90 bundles

Steps:

1. Generate (or reuse, cached under /tmp/towncat-bench/) a synthetic project with
   ``bench/synthetic.py`` and build it *with* search (``towncat.build.pipeline.run_build``, the
   repository's templates and static files) into ``<project>/site``; the build is timed.
2. Time the indexing stage alone: ``towncat.search.bundles.index_site`` run again on the built
   site, with each Pagefind process's wall time and peak RSS read from ``os.wait4``
   (and ``getrusage(RUSAGE_CHILDREN)`` as a cross-check). Print the size and file count
   of ``site/pagefind`` per bundle.
3. Recall: the ground truth for a query is every record page (item or office) whose
   indexed text — inside ``data-pagefind-body``, without ``data-pagefind-ignore``
   parts — contains the query string. In Chromium, on a page of the served site, Pagefind
   is set up exactly as ``static/search.js`` does (first bundle, ``options``, ``init``,
   ``mergeIndex`` of the others) and ``await pagefind.search(q)`` gives *all* results.
   Their ids are fragment hashes; they are mapped to URLs by reading the fragment files
   (``pagefind/*/fragment/*.pf_fragment``) in Python, so recall is exact over every
   result without calling ``data()`` thousands of times. ``data()`` is called for the
   first ten results only, for precision@10 and to check the id → URL mapping.
4. Time to first result: for each query a fresh browser context (empty cache) opens
   ``search/?q=…``; a MutationObserver records ``performance.now()`` (milliseconds since
   navigation start) when the first ``[data-search-results] li`` appears. A second tab in
   the same context repeats it with a warm HTTP cache. Then the same within the search
   page's first 区县 (``search/?q=…&区县=…``), for which the page loads only that county's
   bundles. A query without results counts when the page says so.

The site is served by ``python3 -m http.server`` in a child process (no compression, no
cache headers), so transfer-bound figures are pessimistic for a real web server.
Nothing is written inside the repository.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gzip
import hashlib
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import bench_build  # noqa: E402
import synthetic  # noqa: E402

CACHE = Path("/tmp/towncat-bench")

#: Queries residents type, from the synthetic vocabulary (bench/synthetic.py: FIELDS'
#: keywords, objects, matter names, office names), 2–6 characters.
QUERIES = [
    # 城市管理
    "占道经营", "乱贴小广告", "渣土车", "建筑垃圾", "违建", "马路市场", "流动摊贩", "门前三包",
    "垃圾分类", "户外广告", "挖掘城市道路",
    # 生态环境
    "秸秆焚烧", "油烟", "露天烧烤", "扬尘", "噪音扰民", "散乱污", "黑臭水体", "烧垃圾",
    # 安全生产
    "烟花爆竹", "有限空间", "消防通道", "九小场所",
    # 自然资源、农业农村、水利
    "宅基地", "违法占地", "大棚房", "盖房子", "土地确权", "种粮补贴", "土地流转", "私屠滥宰",
    "病死猪", "非法采砂", "自来水", "防汛",
    # 市场监管、卫生健康
    "小餐饮", "缺斤短两", "过期食品", "农村大席", "黑诊所", "控烟", "打疫苗",
    # 民政、人社、住建、交通、文化、退役军人、医保、平安
    "低保", "五保", "临时救助", "高龄补贴", "欠薪", "讨薪", "找工作", "危房改造", "煤气罐",
    "村村通", "网吧", "广场舞", "光荣牌", "退役军人", "异地就医", "法律援助", "网格员",
    # 机构
    "便民服务中心", "派出所", "司法所",
]

RECORD_GLOB = "towns/*/*/*/index.html"

SPLIT_NOTE = """\
"+fix" columns simulate a change to static/search.js: also search the query split into
single characters ("退 役 军 人", which matches the 字 field) and append its new results,
then move the results whose text contains the query to the front within the first
{rerank} (search.js would call data() on those and test title, 关键词 and content with
the zero-width spaces removed)."""


# ---------------------------------------------------------------------------
# Project and build
# ---------------------------------------------------------------------------

def _generator_hash() -> str:
    return hashlib.sha256((HERE / "synthetic.py").read_bytes()).hexdigest()[:10]


def project(towns: int, seed: int, cache: Path, regenerate: bool) -> tuple[Path, dict[str, Any]]:
    out = cache / f"search-t{towns}-s{seed}-g{_generator_hash()}"
    marker = out / synthetic.MARKER
    if marker.is_file() and not regenerate:
        log(f"reusing {out}")
        return out, json.loads(marker.read_text(encoding="utf-8"))["counts"]
    log(f"generating {towns} towns into {out} …")
    counts = synthetic.generate_project(out, towns, seed=seed)
    return out, counts


def build(root: Path, bundle_towns: int) -> tuple[Path, float, Any]:
    """Build ``root`` with search into ``root/site`` (at most ``bundle_towns`` towns per
    bundle); return (site, seconds, config)."""
    from towncat.build.pipeline import run_build
    from towncat.config import Config

    site = root / "site"
    if site.exists():  # a cold build: no earlier output or build cache to reuse
        shutil.rmtree(site)
    with tempfile.TemporaryDirectory(prefix="towncat-bench-cache-") as cache:
        config = dataclasses.replace(Config(), template_dir=str(REPO / "templates"),
                                     static_dir=str(REPO / "static"), output_dir=str(site),
                                     cache_dir=cache, search_bundle_towns=bundle_towns)
        started = time.perf_counter()
        result = run_build(root, config)
        seconds = time.perf_counter() - started
    if result.files == 0:
        problems = [f"{p.file}:{p.line}: {p.message}" for p in result.check.problems[:10]]
        raise SystemExit("build failed:\n" + "\n".join(problems))
    log(f"built {result.pages} pages, {result.files} files in {seconds:.1f} s")
    return site, seconds, config


@dataclasses.dataclass
class ChildRun:
    bundle: str
    wall: float
    maxrss_kb: int
    rc: int


@contextlib.contextmanager
def measured_pagefind() -> Iterator[list[ChildRun]]:
    """Patch ``towncat.search.bundles``'s ``subprocess.run`` so that each Pagefind process is
    waited for with ``os.wait4``: its own wall time and peak RSS, nothing else's."""
    import towncat.search.bundles as search_module

    runs: list[ChildRun] = []
    real = search_module.__dict__["subprocess"]

    class Measuring:
        PIPE = subprocess.PIPE

        @staticmethod
        def run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
            bundle = command[command.index("--output-subdir") + 1] \
                if "--output-subdir" in command else "?"
            with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
                started = time.perf_counter()
                proc = subprocess.Popen(command, stdout=out, stderr=err)
                _, status, usage = os.wait4(proc.pid, 0)
                wall = time.perf_counter() - started
                proc.returncode = os.waitstatus_to_exitcode(status)
                out.seek(0)
                err.seek(0)
                runs.append(ChildRun(bundle, wall, usage.ru_maxrss, proc.returncode))
                return subprocess.CompletedProcess(
                    command, proc.returncode, out.read().decode("utf-8", "replace"),
                    err.read().decode("utf-8", "replace"))

    setattr(search_module, "subprocess", Measuring)  # noqa: B010
    try:
        yield runs
    finally:
        setattr(search_module, "subprocess", real)  # noqa: B010


def index_again(root: Path, site: Path, config: Any) -> dict[str, Any]:
    """Time ``index_site`` alone on the built site (the bundles the build planned)."""
    from towncat.build.pipeline import run_check
    from towncat.content.summary import summarize
    from towncat.search.bundles import index_site, plan_bundles

    check = run_check(root, config)
    assert check.catalogue is not None
    bundles = plan_bundles(summarize(check.catalogue), config.search_bundle_towns)
    with measured_pagefind() as runs:
        started = time.perf_counter()
        index_site(site, bundles)
        seconds = time.perf_counter() - started
    # Largest child so far (the build's render workers included), for cross-checking.
    children_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    towns = {b.name: len(b.towns) for b in bundles}
    log(f"indexed {len(bundles)} bundles in {seconds:.1f} s")
    return {"seconds": seconds, "bundles": len(bundles), "runs": runs, "towns": towns,
            "children_peak_kb": children_peak}


def tree_size(folder: Path) -> tuple[int, int, int]:
    """(files, bytes, bytes on disk as du counts them) under ``folder``."""
    files = size = disk = 0
    for path in folder.rglob("*"):
        if path.is_file():
            st = path.stat()
            files += 1
            size += st.st_size
            disk += st.st_blocks * 512
    return files, size, disk


# ---------------------------------------------------------------------------
# Ground truth from the built HTML
# ---------------------------------------------------------------------------

_BLOCK = {"p", "div", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "section",
          "article", "td", "th", "tr", "br", "ol", "ul", "dl", "blockquote", "pre", "table"}
_VOID = {"br", "img", "meta", "link", "input", "hr", "wbr", "source"}


class _IndexedText(HTMLParser):
    """The text Pagefind indexes: inside ``data-pagefind-body``, minus
    ``data-pagefind-ignore`` subtrees, scripts and styles; blocks separated by newlines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # open elements inside the body (0: outside)
        self.ignore_at: int | None = None
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {k for k, _ in attrs}
        if self.depth == 0:
            if "data-pagefind-body" in names:
                self.depth = 1
            return
        if tag in _VOID:
            if tag == "br":
                self.parts.append("\n")
            return
        self.depth += 1
        if self.ignore_at is None and ("data-pagefind-ignore" in names
                                       or tag in ("script", "style")):
            self.ignore_at = self.depth
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.depth == 0 or tag in _VOID:
            return
        if tag in _BLOCK:
            self.parts.append("\n")
        if self.ignore_at == self.depth:
            self.ignore_at = None
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and self.ignore_at is None:
            self.parts.append(data)


def indexed_text(html: str) -> str:
    parser = _IndexedText()
    parser.feed(html)
    return re.sub(r"[ \t\r\f\v]+", " ", "".join(parser.parts))


def ground_truth(site: Path, queries: list[str]) -> tuple[dict[str, set[str]], int]:
    """Query → URLs (``/towns/…/``) of record pages whose indexed text contains it."""
    truth: dict[str, set[str]] = {q: set() for q in queries}
    pages = 0
    for path in sorted(site.glob(RECORD_GLOB)):
        html = path.read_text(encoding="utf-8")
        if "data-pagefind-body" not in html:
            continue
        pages += 1
        text = indexed_text(html)
        url = "/" + path.parent.relative_to(site).as_posix() + "/"
        for q in queries:
            if q in text:
                truth[q].add(url)
    return truth, pages


def fragment_urls(site: Path) -> tuple[dict[str, str], list[str]]:
    """Pagefind result id (fragment hash) → page URL, from every bundle's fragments;
    and the ids that name pages in more than one bundle (the hashes are short and each
    bundle is built on its own, so a city-size site has a few)."""
    urls: dict[str, str] = {}
    shared: set[str] = set()
    for path in site.glob("pagefind/*/fragment/*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        data = data.removeprefix(b"pagefind_dcd")
        rid = path.name.removesuffix(".pf_fragment")
        url = json.loads(data)["url"]
        if urls.get(rid, url) != url:
            shared.add(rid)
        urls[rid] = url
    return urls, sorted(shared)


def result_urls(ids: list[str], resolved: dict[str, str], urls: dict[str, str]) -> list[str]:
    return [resolved.get(str(n)) or urls[rid] for n, rid in enumerate(ids)]


# ---------------------------------------------------------------------------
# The browser
# ---------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind",
                             "127.0.0.1", "--directory", str(site)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(url, timeout=1).close()
                break
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


#: The same set-up as static/search.js, on any page of the site.
INIT = """async (bundles) => {
  const root = new URL('/', location.href);
  const pagefind = await import(new URL(bundles[0] + 'pagefind.js', root).href);
  await pagefind.options({ baseUrl: root.pathname,
                           ranking: { metaWeights: { title: 5, '字': 0 } } });
  await pagefind.init();
  await Promise.all(bundles.slice(1).map((b) =>
    pagefind.mergeIndex(new URL(b, root).href, { baseUrl: root.pathname })));
  window.__pagefind = pagefind;
}"""

SEARCH = """async ([q, ambiguous]) => {
  const pagefind = window.__pagefind;
  const started = performance.now();
  const search = await pagefind.search(q);
  const ms = performance.now() - started;
  const top = await Promise.all(search.results.slice(0, 10).map(async (r) => {
    const d = await r.data();
    return [r.id, d.url];
  }));
  // Ids shared by pages of different bundles: ask the result itself.
  const resolve = async (results) => Object.fromEntries(await Promise.all(results
    .map((r, i) => [r, i]).filter(([r]) => ambiguous.includes(r.id))
    .map(async ([r, i]) => [i, (await r.data()).url])));
  const resolved = await resolve(search.results);
  // The query split into single characters, as the 字 field is indexed: what a
  // fallback search in search.js would add (see SPLIT_NOTE).
  const split = [...q].join(' ');
  const splitResults = split === q ? [] : (await pagefind.search(split)).results;
  return { ms, ids: search.results.map((r) => r.id), top, resolved,
           splitIds: splitResults.map((r) => r.id), splitResolved: await resolve(splitResults) };
}"""

FIRST_RESULT = """
window.__firstResult = null;
new MutationObserver((_, observer) => {
  const status = document.querySelector('[data-search-status]');
  if (document.querySelector('[data-search-results] li')
      || (status && status.textContent.startsWith('没有找到'))) {
    window.__firstResult = performance.now();
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
"""


def chromium() -> str:
    import shutil

    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise SystemExit("no chromium on PATH (apt-get install chromium), or pass --no-browser")
    return path


def browser_runs(site: Path, queries: list[str], truth: dict[str, set[str]],
                 ttfr: bool, rerank: int = 100) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    html = (site / "search/index.html").read_text(encoding="utf-8")
    bundles = re.search(r'data-bundles="([^"]*)"', html).group(1).split()  # type: ignore[union-attr]
    ids_to_url, shared = fragment_urls(site)
    if shared:
        log(f"{len(shared)} result ids name pages in two bundles: {', '.join(shared)}")
    rows: list[dict[str, Any]] = []
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(),
                                    args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(120_000)
        page.goto(base, wait_until="load")
        started = time.perf_counter()
        page.evaluate(INIT, bundles)
        log(f"pagefind set up with {len(bundles)} bundles in "
            f"{(time.perf_counter() - started) * 1000:.0f} ms")
        for q in queries:
            found = page.evaluate(SEARCH, [q, shared])
            urls = result_urls(found["ids"], found["resolved"], ids_to_url)
            for n, (rid, url) in enumerate(found["top"]):
                if urls[n] != url:
                    raise SystemExit(f"result {rid} is {url} in the browser but "
                                     f"{urls[n]} from the fragment files")
            expected = truth[q]
            hits = len(expected & set(urls))
            top = [u for _, u in found["top"]]
            # The suggested fix, simulated: results of q, then those of the split query,
            # and within the first ``rerank`` the pages that contain q first (stable).
            seen = set(urls)
            split = result_urls(found["splitIds"], found["splitResolved"], ids_to_url)
            merged = urls + [u for u in split if u not in seen]
            head = merged[:rerank]
            reranked = [u for u in head if u in expected] + [u for u in head if u not in expected]
            first = next((n for n, u in enumerate(urls, 1) if u in expected), None)
            rows.append({
                "q": q, "truth": len(expected), "results": len(urls), "hits": hits,
                "recall": hits / len(expected) if expected else None,
                "extra": len(set(urls) - expected),
                "p10": sum(u in expected for u in top) / len(top) if top else None,
                "first_exact": first,
                "recall_fix": (len(expected & set(merged)) / len(expected)
                               if expected else None),
                "p10_fix": (sum(u in expected for u in reranked[:10]) / min(10, len(merged))
                            if merged else None),
                "search_ms": found["ms"],
                "missed": sorted(expected - set(urls))[:3],
            })
        context.close()
        if ttfr:
            # Within one 区县 the page loads only that county's bundles (static/search.js).
            county = re.search(r'<option value="([^"]+)" data-bundles=', html)
            for row in rows:
                traffic: dict[str, list[int]] = {}
                row["cold_ms"], row["warm_ms"] = first_result(browser, base, row["q"],
                                                              traffic=traffic)
                row["requests"], row["bytes"] = traffic["requests"][0], traffic["bytes"][0]
                log(f"  {row['q']}: first result {row['cold_ms']:.0f} ms cold, "
                    f"{row['warm_ms']:.0f} ms warm")
                if county:
                    row["county"] = county.group(1)
                    row["county_cold_ms"], row["county_warm_ms"] = first_result(
                        browser, base, row["q"], county.group(1))
                    log(f"  {row['q']} in {row['county']}: {row['county_cold_ms']:.0f} ms "
                        f"cold, {row['county_warm_ms']:.0f} ms warm")
        browser.close()
    return rows


def first_result(browser: Any, base: str, q: str, county: str | None = None,
                 traffic: dict[str, list[int]] | None = None) -> tuple[float, float]:
    """(cold, warm) milliseconds from navigation start to the first rendered result (or
    the message that there is none), for ``q`` everywhere or within ``county``; the cold
    load's requests and bytes are appended to ``traffic``."""
    from urllib.parse import quote

    url = f"{base}search/?q={quote(q)}" + (f"&{quote('区县')}={quote(county)}" if county else "")
    context = browser.new_context()
    times = []
    # every request of the cold load, the page's Pagefind worker's included: (start, bytes)
    loads: list[tuple[float, int]] = []
    context.on("response", lambda r: loads.append(  # http.server sends Content-Length
        (r.request.timing["startTime"], int(r.headers.get("content-length", 0)))))
    try:
        for _ in range(2):  # a fresh context, then a second tab with its HTTP cache
            page = context.new_page()
            page.add_init_script(FIRST_RESULT)
            page.goto(url, wait_until="commit", timeout=120_000)
            page.wait_for_function("window.__firstResult !== null", timeout=120_000)
            times.append(float(page.evaluate("window.__firstResult")))
            if traffic is not None and len(times) == 1:  # what came before the first result
                until = float(page.evaluate("performance.timeOrigin + window.__firstResult"))
                before = [size for start, size in loads if start <= until]
                traffic.setdefault("requests", []).append(len(before))
                traffic.setdefault("bytes", []).append(sum(before))
            page.close()
    finally:
        context.close()
    return times[0], times[1]


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

def log(message: str) -> None:
    print(f"[bench_search] {message}", file=sys.stderr, flush=True)


def table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    width = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
             for i, h in enumerate(header)]

    def cells(row: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.rjust(w) for c, w in zip(row, width, strict=True)) + " |"

    print(cells(header))
    print("|" + "|".join("-" * (w + 2) for w in width) + "|")
    for row in rows:
        print(cells(row))
    print()


def pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def report(counts: dict[str, Any], build_s: float | None, index: dict[str, Any] | None,
           site: Path, records: int, rows: list[dict[str, Any]], rerank: int) -> None:
    files, size, disk = tree_size(site / "pagefind")
    site_files, site_size, _ = tree_size(site)
    print(f"## Search benchmark: {counts['towns']} towns in {counts['counties']} counties, "
          f"{records} record pages (items and offices)\n")
    if build_s is not None and index is not None:
        report_index(build_s, index, site, site_files, site_size)
    print(f"site/pagefind: {files} files, {size / 1e6:.1f} MB ({disk / 1e6:.1f} MB on disk, "
          f"du); the whole site {site_size / 1e6:.0f} MB\n")
    if rows:
        report_queries(rows, rerank)


def report_index(build_s: float, index: dict[str, Any], site: Path, site_files: int,
                 site_size: int) -> None:
    runs = sorted(index["runs"], key=lambda r: -r.maxrss_kb)
    table(("stage", "seconds", "notes"), [
        ("build (render + write + index)", f"{build_s:.1f}",
         f"{site_files} files, {site_size / 1e6:.0f} MB"),
        ("index_site alone", f"{index['seconds']:.1f}",
         f"{index['bundles']} bundles, 2 workers; peak RSS of one Pagefind process "
         f"{max(r.maxrss_kb for r in runs) / 1024:.0f} MB"),
    ])
    bundle_rows = []
    for r in sorted(index["runs"], key=lambda r: r.bundle):
        folder = site / r.bundle
        f, s, d = tree_size(folder)
        name = r.bundle.split("/")[-1]
        bundle_rows.append((name, str(index["towns"].get(name, "?")),
                            str(len(list(folder.glob("fragment/*")))), f"{r.wall:.1f}",
                            f"{r.maxrss_kb / 1024:.0f}", str(f), f"{s / 1e6:.1f}",
                            f"{d / 1e6:.1f}", str(r.rc)))
    table(("bundle", "towns", "pages", "index s", "peak RSS MB", "files", "MB", "du MB", "exit"),
          bundle_rows)


def report_queries(rows: list[dict[str, Any]], rerank: int) -> None:
    header = ["query", "truth", "results", "found", "recall", "extra", "P@10", "1st exact",
              "recall +fix", "P@10 +fix", "search ms"]
    timed = "cold_ms" in rows[0]
    in_county = timed and "county_cold_ms" in rows[0]
    if timed:
        header += ["1st result cold ms", "warm ms"]
    if in_county:
        header += ["in one 区县 cold ms", "warm ms"]
    out = []
    for r in rows:
        row = [r["q"], str(r["truth"]), str(r["results"]), str(r["hits"]), pct(r["recall"]),
               str(r["extra"]), pct(r["p10"]), str(r["first_exact"] or "–"),
               pct(r["recall_fix"]), pct(r["p10_fix"]), f"{r['search_ms']:.0f}"]
        if timed:
            row += [f"{r['cold_ms']:.0f}", f"{r['warm_ms']:.0f}"]
        if in_county:
            row += [f"{r['county_cold_ms']:.0f}", f"{r['county_warm_ms']:.0f}"]
        out.append(tuple(row))
    table(tuple(header), out)
    with_truth = [r for r in rows if r["truth"]]
    total_truth = sum(r["truth"] for r in with_truth)
    total_hits = sum(r["hits"] for r in with_truth)
    print(f"queries: {len(rows)}; recall over all (query, page) pairs "
          f"{pct(total_hits / total_truth if total_truth else None)}; mean recall "
          f"{pct(statistics.mean(r['recall'] for r in with_truth))}; queries with full recall "
          f"{sum(r['hits'] == r['truth'] for r in with_truth)}/{len(with_truth)}; mean P@10 "
          f"{pct(statistics.mean(r['p10'] for r in rows if r['p10'] is not None))}")
    fix_hits = sum(round(r["recall_fix"] * r["truth"]) for r in with_truth)
    print(f"with the fix (simulated): recall over all pairs "
          f"{pct(fix_hits / total_truth if total_truth else None)}; queries with full recall "
          f"{sum(r['recall_fix'] == 1 for r in with_truth)}/{len(with_truth)}; mean P@10 "
          f"{pct(statistics.mean(r['p10_fix'] for r in rows if r['p10_fix'] is not None))}")
    print(f"in-page search (warm, JS API, no data()): median "
          f"{statistics.median(r['search_ms'] for r in rows):.0f} ms, worst "
          f"{max(r['search_ms'] for r in rows):.0f} ms")
    if timed:
        cold = [r["cold_ms"] for r in rows]
        warm = [r["warm_ms"] for r in rows]
        worst = max(rows, key=lambda r: r["cold_ms"])
        print(f"time to first result on search/?q=… (navigation start → first result "
              f"rendered): cold median {statistics.median(cold):.0f} ms, worst "
              f"{max(cold):.0f} ms ({worst['q']}); warm median {statistics.median(warm):.0f} ms, "
              f"worst {max(warm):.0f} ms")
        requests = [r["requests"] for r in rows]
        kb = [r["bytes"] / 1024 for r in rows]
        print(f"per query, cold (page, script, index, fragments): requests median "
              f"{statistics.median(requests):.0f}, max {max(requests)}; transferred median "
              f"{statistics.median(kb):.0f} KB, max {max(kb):.0f} KB (uncompressed)")
    if in_county:
        cold = [r["county_cold_ms"] for r in rows]
        warm = [r["county_warm_ms"] for r in rows]
        print(f"the same within one 区县 (&区县={rows[0]['county']}, only its bundles loaded): "
              f"cold median {statistics.median(cold):.0f} ms, worst {max(cold):.0f} ms; "
              f"warm median {statistics.median(warm):.0f} ms, worst {max(warm):.0f} ms")
    missed = [r for r in rows if r["truth"] and r["hits"] < r["truth"]]
    for r in missed:
        print(f"missed for {r['q']}: {r['truth'] - r['hits']} pages, e.g. {', '.join(r['missed'])}")
    print("\nrecall = found / truth, where truth = record pages whose indexed text contains the "
          "query and found = those among all results; extra = results whose text does not "
          "contain the query (matched through segments or the 字 field); P@10 = share of the "
          "first ten results that contain the query; 1st exact = rank of the first result "
          "that contains it.")
    print(SPLIT_NOTE.format(rerank=rerank))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--towns", type=int, default=20, help="towns (default 20; city: 88)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache-dir", type=Path, default=CACHE)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--no-browser", action="store_true", help="skip recall and timing")
    parser.add_argument("--no-ttfr", action="store_true",
                        help="skip the time-to-first-result runs (one browser context per query)")
    parser.add_argument("--queries", type=int, default=None, help="use only the first N queries")
    parser.add_argument("--rerank", type=int, default=100,
                        help="results the simulated fix re-ranks (default 100)")
    parser.add_argument("--bundle-towns", type=int, default=None,
                        help="towns per search bundle (default: as bench_build.py, 4 for "
                             "the city, 20 from 1000 towns on)")
    parser.add_argument("--reuse-site", action="store_true",
                        help="reuse <project>/site from an earlier run: no build or index timing")
    parser.add_argument("--search-js", type=Path,
                        help="serve this file as assets/search.js (to time a change to it)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)

    root, counts = project(args.towns, args.seed, args.cache_dir, args.regenerate)
    site = root / "site"
    build_s: float | None = None
    index: dict[str, Any] | None = None
    if args.reuse_site and (site / "pagefind").is_dir():
        log(f"reusing the built site {site} (no build or index timing)")
    else:
        scale = "province" if args.towns >= 1000 else "city"
        bundle_towns = args.bundle_towns or bench_build.BUNDLE_TOWNS[scale]
        site, build_s, config = build(root, bundle_towns)
        index = index_again(root, site, config)
    # The search page's script: the repository's, or the one given to try a change.
    shutil.copyfile(args.search_js or REPO / "static/search.js", site / "assets/search.js")
    queries = QUERIES[:args.queries] if args.queries else QUERIES
    started = time.perf_counter()
    truth, records = ground_truth(site, queries)
    log(f"ground truth from {records} record pages in {time.perf_counter() - started:.1f} s")
    rows = [] if args.no_browser else browser_runs(site, queries, truth, not args.no_ttfr,
                                                   args.rerank)
    report(counts, build_s, index, site, records, rows, args.rerank)
    if args.json:
        data = {"counts": counts, "build_s": build_s, "records": records,
                "index": index and {**index,
                                    "runs": [dataclasses.asdict(r) for r in index["runs"]]},
                "search_js": str(args.search_js or "static/search.js"), "queries": rows}
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
