"""Real-browser tests of the Chinese search page (the compact index; Pagefind by 区县).

The shipped content (马桥镇 and 金山镇 sample lists) is built once with its search index
by the session fixtures of ``conftest.py`` (``site_dir``, ``base_url``, ``prefix_url``,
``browser``, ``new_page``, ``axe``); these tests open ``search/?q=…`` and read what
``static/search.js`` renders:

* ``[data-search-status]`` — "找到 N 条与“q”相关的结果" / "没有找到与“q”相关的结果…";
* ``[data-search-results] li`` — ``h2 a`` (item name and link) and ``p.result-office``
  (区县·镇街 · 承办：office · 电话 phone), ten at a time ("显示更多结果" adds ten more).

The query table lists what residents type (colloquial words included) with the item that
must be among the first five results. The expected items were chosen by reading
``content/towns/*/{powers,duties,institutions}.yaml`` (names, descriptions, keywords), not
by copying what the search returns; a failure here is a recall or ranking finding.

Also: recall (every record page whose indexed text contains the query is listed, through
"显示更多结果"), words no page contains, the URL and UI filters, overlapping searches and
double clicks, axe-core, console errors, and the site served under ``/prefix/``.

Run with ``python -m pytest -q tests/browser/test_search.py``; without Chromium or
playwright the tests are skipped (``TOWNCAT_REQUIRE_BROWSER=1`` makes that a failure).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote, urljoin, urlsplit

import pytest

pytestmark = pytest.mark.browser

TOP = 5
BLOCKING_IMPACTS = ("serious", "critical")
RESULTS = "[data-search-results] li"
STATUS = "[data-search-status]"


class Query(NamedTuple):
    q: str
    #: Site-relative URLs of the item(s) that must be in the top ``TOP``. One item unless
    #: several are equally right answers (the comment in the table says why).
    expected: tuple[str, ...]
    why: str


def item(town: str, kind: str, ident: str) -> str:
    return f"towns/{town}/{kind}/{ident}/"


MQ, JS = "maqiao", "jinshan"
P, D, INST = "powers", "duties", "institutions"

QUERIES: list[Query] = [
    # -- 城市管理 -------------------------------------------------------------------------
    Query("占道经营", (item(MQ, P, "cf-0047"),),
          "keywords 占道经营; description: 摆摊设点 in public places"),
    Query("乱搭乱建", (item(JS, P, "cf-0010"),),
          "keywords 占道经营, 乱搭乱建; 搭建建筑物、构筑物"),
    Query("挖路", (item(MQ, P, "xk-0003"),),
          "城市道路占用、挖掘审批: keywords 挖路, 占道施工; description on how to apply"),
    Query("广告牌", (item(MQ, P, "xk-0004"),),
          "设置大型户外广告审批: keywords 广告牌, 户外广告, 门头招牌"),
    Query("小广告", (item(MQ, P, "cf-0044"),),
          "涂写、刻画、张贴宣传品: keywords 小广告, 乱贴乱画, 牛皮癣"),
    Query("渣土车", (item(MQ, P, "cf-0028"),), "运输渣土未密闭: keywords 渣土车, 遗撒"),
    Query("乱倒垃圾", (item(JS, P, "cf-0004"),),
          "不按规定倾倒垃圾、粪便: keywords 乱倒垃圾, 倒粪便"),
    Query("违章建筑", (item(MQ, P, "cf-0052"),),
          "未取得建设工程规划许可证进行建设: keywords 违建, 违章建筑"),
    # -- 生态环境 -------------------------------------------------------------------------
    Query("烧秸秆", (item(MQ, P, "cf-0025"),),
          "露天焚烧秸秆: keywords 烧秸秆; description on 秸秆还田"),
    Query("油烟", (item(JS, P, "cf-0020"),), "餐饮油烟: 油烟 in the name and keywords"),
    Query("噪音扰民", (item(MQ, P, "cf-0039"),),
          "高音广播喇叭、广场舞音响: keywords 噪音扰民, 广场舞, 大喇叭"),
    # 噪音 (colloquial for 噪声) is a keyword of six 噪声 items; any of them is right.
    Query("噪音", (item(JS, P, "cf-0026"), item(JS, P, "cf-0027"), item(MQ, P, "cf-0038"),
                  item(MQ, P, "cf-0039"), item(MQ, P, "cf-0040"), item(MQ, P, "cf-0041")),
          "keyword 噪音 / 工地噪音 / 噪音扰民 of the 噪声 items (names say 噪声)"),
    Query("排污", (item(MQ, D, "sh-0002"),),
          "企业污染物排放监测和排污许可证后监管: 排污 in the name"),
    Query("偷排", (item(MQ, P, "cf-0033"),),
          "私设暗管排放水污染物: keywords 偷排, 暗管; description explains 偷排"),
    Query("电鱼", (item(JS, P, "cf-0036"),), "炸鱼、毒鱼、电鱼: 电鱼 in the name and keywords"),
    # -- 安全生产 -------------------------------------------------------------------------
    # 危化品 (short for 危险化学品) is a keyword of nine maqiao items; any of them will do.
    Query("危化品", (item(MQ, P, "cf-0013"), item(MQ, P, "cf-0015"), item(MQ, P, "qz-0002"),
                    item(MQ, D, "ph-0001"), item(JS, D, "ph-0001")),
          "keyword 危化品 (the names say 危险化学品)"),
    Query("危化品仓库", (item(MQ, P, "cf-0014"),),
          "危险化学品专用仓库未设专人管理: keywords 危化品仓库, 专人管理"),
    Query("消防通道", (item(MQ, P, "cf-0021"),),
          "占用、堵塞消防车通道: keywords 消防通道, 生命通道"),
    Query("电工证", (item(MQ, P, "cf-0005"),),
          "特种作业人员无证上岗: keywords 无证上岗, 电工证, 焊工证"),
    Query("卖鞭炮", (item(JS, P, "cf-0062"),),
          "未经许可经营烟花爆竹: keywords 卖鞭炮, 烟花爆竹"),
    # -- 自然资源、农业农村 ---------------------------------------------------------------
    Query("宅基地", (item(JS, D, "zt-0010"),),
          "农村宅基地申请审核和批后监管: 宅基地 in the name and keywords"),
    Query("盖房子", (item(MQ, D, "zt-0008"),),
          "农村村民住宅用地审核批准: keywords 宅基地, 建房, 盖房子"),
    Query("养狗", (item(JS, P, "cf-0034"),),
          "饲养犬只未进行狂犬病免疫: keywords 养狗, 狗打疫苗"),
    Query("病死猪", (item(MQ, P, "cf-0058"),),
          "随意处置病死动物: keywords 病死猪, 死禽"),
    Query("私屠滥宰", (item(JS, P, "cf-0037"),), "未经定点从事生猪屠宰: keywords 私屠滥宰"),
    Query("上坟烧纸", (item(JS, P, "cf-0052"),),
          "森林防火期内野外用火: keywords 上坟烧纸, 野外用火"),
    # -- 市场、卫生 -----------------------------------------------------------------------
    Query("办证", (item(MQ, P, "xk-0010"),), "食品小作坊登记: keywords 小作坊, 登记证, 办证"),
    Query("无照经营", (item(JS, P, "cf-0068"),),
          "未经设立登记从事经营活动: keywords 无照经营, 没有营业执照"),
    Query("缺斤短两", (item(MQ, P, "cf-0070"),),
          "不合格计量器具: keywords 缺斤短两, 短秤, 鬼秤"),
    Query("黑诊所", (item(MQ, P, "cf-0066"),), "未取得医疗机构执业许可证: keywords 黑诊所"),
    # 健康证 (jinshan cf-0058) left the table: that item is 已收回 and now ranks after
    # every current one (test_search_everyday.py checks how withdrawn items are shown).
    Query("排污许可", (item(MQ, D, "sh-0002"),),
          "企业污染物排放监测和排污许可证后监管: 排污许可 in the name"),
    Query("网吧", (item(MQ, P, "cf-0072"),),
          "网吧接纳未成年人: keywords 网吧, 未成年人上网"),
    # -- 民政、人社、退役军人 -------------------------------------------------------------
    Query("低保", (item(JS, P, "qr-0001"),),
          "最低生活保障对象审核确认: keywords 低保, 低保申请; description explains 低保"),
    Query("五保", (item(MQ, P, "qr-0002"),), "特困人员认定: keywords 五保, 特困供养"),
    Query("高龄补贴", (item(MQ, P, "gf-0002"),),
          "80周岁以上老年人高龄津贴: keywords 高龄补贴, 老年人补贴"),
    Query("残疾人补贴", (item(MQ, P, "gf-0003"),),
          "困难残疾人生活补贴和护理补贴: keywords 残疾人补贴, 两项补贴"),
    Query("交社保", (item(JS, P, "gg-0002"),),
          "城乡居民基本养老保险参保登记: keywords 养老保险, 交社保"),
    Query("找工作", (item(MQ, P, "gg-0002"),), "就业登记和失业登记: keywords 找工作"),
    Query("讨薪", (item(JS, D, "ph-0015"),), "农民工工资支付保障: keywords 欠薪, 讨薪"),
    Query("当兵", (item(MQ, D, "py-0003"),), "配合兵役登记和征兵: keywords 当兵, 征兵"),
    # -- 机构 -----------------------------------------------------------------------------
    Query("便民服务中心", (item(MQ, INST, "service-center"), item(JS, INST, "service-center")),
          "the office called 便民服务中心 in either town"),
    Query("派出所", (item(MQ, INST, "police-station"),), "马桥派出所"),
    Query("综治中心", (item(JS, INST, "social-governance-center"),), "金山镇 综治中心"),
]


#: Recall: every record page whose indexed text contains one of these must be a result.
#: The table's queries, and words that ICU keeps whole where jieba splits the page text.
RECALL_QUERIES = [q.q for q in QUERIES] + [
    "退役军人", "综合执法", "应急管理", "危险化学品", "安全生产", "农药", "特种设备", "燃气",
]


# -- Helpers ------------------------------------------------------------------------------

#: Done when the status reports on ``q`` and the first page of results is rendered.
SETTLED = """(q) => {
  const status = document.querySelector('[data-search-status]').textContent.trim();
  if (status.startsWith('没有找到与“' + q + '”')) return true;
  const m = status.match(/^找到 (\\d+) 条与(.*)相关的结果(?:（按“.*”搜索）)?$/);
  if (!m || m[2] !== (q ? '“' + q + '”' : '所选条件')) return false;
  const shown = document.querySelectorAll('[data-search-results] li').length;
  return shown === Math.min(10, Number(m[1]));
}"""

ROWS = """lis => lis.map(li => ({
  href: li.querySelector('h2 a').getAttribute('href'),
  title: li.querySelector('h2 a').textContent.trim(),
  office: (li.querySelector('p.result-office') || {textContent: ''}).textContent.trim(),
}))"""


def wait_settled(page: Any, q: str, timeout: float = 15_000) -> str:
    """Wait for the results of ``q`` (``""`` for a filter-only search); return the status."""
    page.wait_for_function(SETTLED, arg=q, timeout=timeout)
    return str(page.locator(STATUS).inner_text().strip())


def unfold_filters(page: Any) -> None:
    """Unfold the filters (folded away so that the answer comes first on a phone)."""
    page.evaluate("() => { document.querySelector('.search-filters-box').open = true; }")


def wait_filters_shown(page: Any) -> None:
    """Unfold the filters and wait for their options, which the page asks Pagefind for
    when they are unfolded (or after a search that used Pagefind)."""
    unfold_filters(page)
    page.wait_for_function("() => !document.querySelector('[data-search-filters]').hidden")


def result_count(status: str) -> int:
    m = re.match(r"找到 (\d+) 条", status)
    return int(m.group(1)) if m else 0


def shown_results(page: Any) -> list[dict[str, str]]:
    return list(page.locator(RESULTS).evaluate_all(ROWS))


def all_results(page: Any, status: str) -> list[dict[str, str]]:
    """Click "显示更多结果" until every result is listed."""
    total = result_count(status)
    more = page.locator("[data-search-more]")
    while page.locator(RESULTS).count() < total:
        before = page.locator(RESULTS).count()
        assert more.is_visible(), f"{before} of {total} results shown and no 显示更多结果 button"
        more.click()
        # cards are shown one by one as they arrive: wait for the whole page of ten
        page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length >= n",
                               arg=[RESULTS, min(before + 10, total)])
    assert not more.is_visible(), "显示更多结果 is still offered after the last result"
    return shown_results(page)


def site_path(href: str, root: str = "/") -> str:
    """``/towns/x/powers/y/`` → ``towns/x/powers/y/`` (relative to the mount ``root``)."""
    assert href.startswith(root), f"result link {href!r} is not under {root!r}"
    return href[len(root):]


def describe(rows: list[dict[str, str]], limit: int = TOP) -> str:
    return "\n".join(f"  {i}. {site_path(r['href'])}  {r['title'][:40]}"
                     for i, r in enumerate(rows[:limit], 1)) or "  (no results)"


def search_url(base: str, q: str | None = None, **filters: str) -> str:
    params = ([("q", q)] if q is not None else []) + list(filters.items())
    query = "&".join(f"{quote(k)}={quote(v)}" for k, v in params)
    return f"{base}search/" + (f"?{query}" if query else "")


def open_search(new_page: Any, url: str) -> tuple[Any, Any, list[str]]:
    """A fresh tab at ``url`` (answered 200); also returns its console warnings, because
    ``search.js`` reports a failed start with ``console.warn``."""
    page, problems = new_page()
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, f"{url} did not answer 200"
    return page, problems, warnings


# -- The query table ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def search_page(browser: Any, base_url: str) -> Iterator[Any]:
    """One search page for the whole table; each query is typed into its form."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(base_url + "search/", wait_until="load")
    wait_filters_shown(page)  # index loaded
    yield page
    context.close()


@pytest.mark.parametrize("query", QUERIES, ids=[q.q for q in QUERIES])
def test_query_finds_expected_item(query: Query, search_page: Any, site_dir: Path) -> None:
    for expected in query.expected:  # guard against typos in the table
        assert (site_dir / expected / "index.html").is_file(), f"no page {expected} in the build"
    page = search_page
    page.fill("#search-q", query.q)
    page.press("#search-q", "Enter")
    status = wait_settled(page, query.q)
    rows = shown_results(page)
    top = [site_path(r["href"]) for r in rows[:TOP]]
    hit = [e for e in query.expected if e in top]
    assert hit, (f"“{query.q}”: expected {' or '.join(query.expected)} ({query.why}) in the "
                 f"top {TOP}; status {status!r}; got:\n{describe(rows)}")


def test_query_table_is_big_enough() -> None:
    assert len(QUERIES) >= 25
    assert all(2 <= len(q.q) <= 6 for q in QUERIES)


@pytest.mark.parametrize("q", ["魑魅魍魉", "钢琴", "电脑"])
def test_query_without_matches_says_so(q: str, search_page: Any,
                                       indexed_texts: dict[str, str]) -> None:
    """Words no record contains. 电脑: no page has 脑, but every page has 电 (电话).
    (汽车 and 电视 were used before the thesaurus put their characters on some pages.)"""
    chars = set(q)
    assert not [u for u, t in indexed_texts.items() if chars <= set(t)], f"{q} is on a page"
    page = search_page
    page.fill("#search-q", q)
    page.press("#search-q", "Enter")
    status = wait_settled(page, q)
    assert status.startswith(f"没有找到与“{q}”相关的结果"), (
        f"no record contains all of {q}'s characters, yet: {status}; first results:\n"
        + describe(shown_results(page)))
    assert page.locator(RESULTS).count() == 0


# -- Recall -------------------------------------------------------------------------------

_BLOCKS = {"p", "div", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "section",
           "article", "td", "th", "tr", "ol", "ul", "dl", "blockquote", "pre", "table"}
_VOID = {"br", "img", "meta", "link", "input", "hr", "wbr", "source"}


class _IndexedText(HTMLParser):
    """What Pagefind indexes: the text inside ``data-pagefind-body`` without the
    ``data-pagefind-ignore`` parts; blocks are kept apart by newlines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.ignore_at: int | None = None
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {k for k, _ in attrs}
        if self.depth == 0:
            self.depth = 1 if "data-pagefind-body" in names else 0
            return
        if tag in _VOID:
            self.parts.append("\n" if tag == "br" else "")
            return
        self.depth += 1
        if self.ignore_at is None and ("data-pagefind-ignore" in names
                                       or tag in ("script", "style")):
            self.ignore_at = self.depth
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.depth == 0 or tag in _VOID:
            return
        if tag in _BLOCKS:
            self.parts.append("\n")
        if self.ignore_at == self.depth:
            self.ignore_at = None
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and self.ignore_at is None:
            self.parts.append(data)


@pytest.fixture(scope="module")
def indexed_texts(site_dir: Path) -> dict[str, str]:
    """Site-relative URL → indexed text, for every record page of the build."""
    texts = {}
    for path in sorted(site_dir.glob("towns/*/*/*/index.html")):
        parser = _IndexedText()
        parser.feed(path.read_text(encoding="utf-8"))
        if parser.parts:
            texts[path.parent.relative_to(site_dir).as_posix() + "/"] = "".join(parser.parts)
    assert texts, "no record pages (data-pagefind-body) in the build"
    return texts


@pytest.mark.parametrize("q", RECALL_QUERIES)
def test_every_page_containing_the_query_is_found(q: str, search_page: Any,
                                                  indexed_texts: dict[str, str]) -> None:
    """Through the page, as a resident would: every result, via 显示更多结果."""
    truth = sorted(url for url, text in indexed_texts.items() if q in text)
    if not truth:
        pytest.skip(f"no record page of the shipped content contains {q}")
    page = search_page
    page.fill("#search-q", q)
    page.press("#search-q", "Enter")
    status = wait_settled(page, q)
    found = {site_path(r["href"]) for r in all_results(page, status)}
    missed = [url for url in truth if url not in found]
    assert not missed, (f"“{q}”: {len(missed)} of the {len(truth)} pages that contain it are "
                        f"not among the {len(found)} results:\n  " + "\n  ".join(missed))


# -- Filters -------------------------------------------------------------------------------


def test_town_filter_from_url(new_page: Any, base_url: str) -> None:
    page, problems, _ = open_search(new_page, search_url(base_url, "占道", 镇街="马桥镇"))
    status = wait_settled(page, "占道")
    assert result_count(status) > 0, f"?q=占道&镇街=马桥镇: {status}"
    wait_filters_shown(page)
    assert page.locator('[data-search-filter="镇街"]').input_value() == "马桥镇"
    rows = all_results(page, status)
    assert len(rows) == result_count(status)
    wrong = [f"{r['href']} ({r['office']})" for r in rows if "马桥镇" not in r["office"]]
    assert not wrong, "results outside 马桥镇 with 镇街=马桥镇:\n  " + "\n  ".join(wrong)
    assert all(site_path(r["href"]).startswith("towns/maqiao/") for r in rows)
    assert not problems.all(), "\n".join(problems.all())


def test_category_filter_returns_only_institutions(new_page: Any, base_url: str,
                                                   site_dir: Path) -> None:
    built = sorted(f"towns/{p.parent.parent.parent.name}/institutions/{p.parent.name}/"
                   for p in site_dir.glob("towns/*/institutions/*/index.html"))
    assert built, "the build has no institution pages"
    page, problems, _ = open_search(new_page, search_url(base_url, None, 类别="机构"))
    status = wait_settled(page, "")
    rows = all_results(page, status)
    found = sorted(site_path(r["href"]) for r in rows)
    others = [f for f in found if "/institutions/" not in f]
    assert not others, "non-institution pages with 类别=机构:\n  " + "\n  ".join(others)
    assert found == built, (f"类别=机构 lists {len(found)} pages, the build has {len(built)} "
                            f"institution pages; missing {sorted(set(built) - set(found))[:10]}")

    # With a query as well: an office word, still only institutions.
    page.fill("#search-q", "办公室")
    page.press("#search-q", "Enter")
    status = wait_settled(page, "办公室")
    rows = all_results(page, status)
    assert rows, f"“办公室” with 类别=机构: {status}"
    others = [r["href"] for r in rows if "/institutions/" not in r["href"]]
    assert not others, f"non-institution pages for 办公室 with 类别=机构: {others}"
    assert not problems.all(), "\n".join(problems.all())


def test_choosing_a_filter_updates_results(new_page: Any, base_url: str) -> None:
    page, problems, _ = open_search(new_page, search_url(base_url, "占道"))
    before = wait_settled(page, "占道")
    total = result_count(before)
    offices = [r["office"] for r in all_results(page, before)]
    assert any("马桥镇" in o for o in offices) and any("金山镇" in o for o in offices), (
        f"“占道” should find items in both towns before filtering: {offices}")

    wait_filters_shown(page)
    select = page.locator('[data-search-filter="镇街"]')
    options = select.locator("option").all_inner_texts()
    assert "金山镇" in options, f"镇街 options: {options}"
    select.select_option("金山镇")
    page.wait_for_function("(url) => location.search.includes(url)",
                           arg="%E9%95%87%E8%A1%97=%E9%87%91%E5%B1%B1%E9%95%87")
    after = wait_settled(page, "占道")
    rows = all_results(page, after)
    assert 0 < len(rows) < total, f"before: {before!r}; after choosing 金山镇: {after!r}"
    wrong = [r["href"] for r in rows if "金山镇" not in r["office"]]
    assert not wrong, f"results outside 金山镇 after choosing it: {wrong}"

    # Back to 全部 restores the unfiltered results.
    select.select_option("")
    page.wait_for_function("() => !new URLSearchParams(location.search).has('镇街')")
    assert result_count(wait_settled(page, "占道")) == total
    assert not problems.all(), "\n".join(problems.all())


def county_options(site_dir: Path) -> dict[str, list[str]]:
    """The 区县 options of the built search page: county → its bundles (``pagefind/…/``)."""
    html = (site_dir / "search/index.html").read_text(encoding="utf-8")
    found = re.findall(r'<option value="([^"]+)" data-bundles="([^"]+)">', html)
    return {county: bundles.split() for county, bundles in found}


def open_counting_bundles(browser: Any, url: str) -> tuple[Any, Any, set[str]]:
    """A tab in a fresh browser context (nothing cached) at ``url``, and the set of
    bundles (``pagefind/<name>/``) it has requested files from so far."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    fetched: set[str] = set()

    def seen(request: Any) -> None:
        m = re.search(r"/(pagefind/[^/]+/)", urlsplit(request.url).path)
        if m:
            fetched.add(m.group(1))

    context.on("request", seen)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, f"{url} did not answer 200"
    return context, page, fetched


def test_county_options_come_with_the_page(site_dir: Path) -> None:
    """Every bundle is offered under exactly one 区县, the county of the towns it indexes."""
    html = (site_dir / "search/index.html").read_text(encoding="utf-8")
    every = re.search(r'data-search-app [^>]*data-bundles="([^"]*)"', html)
    assert every, "the search app names no bundles"
    options = county_options(site_dir)
    offered = [b for bundles in options.values() for b in bundles]
    assert sorted(offered) == sorted(every.group(1).split()), (options, every.group(1))
    for bundle in offered:
        assert (site_dir / bundle / "pagefind-entry.json").is_file(), f"{bundle} is not built"
    assert set(options) == {"桓台县", "临淄区"}, options


def test_a_search_within_a_county_lists_only_its_towns(browser: Any, base_url: str) -> None:
    """The results and the 镇街 options follow the 区县 chosen, widening and narrowing."""
    context, page, fetched = open_counting_bundles(
        browser, search_url(base_url, "占道", 区县="桓台县"))
    try:
        status = wait_settled(page, "占道")
        rows = all_results(page, status)
        assert rows, f"?q=占道&区县=桓台县: {status}"
        assert all("马桥镇" in r["office"] for r in rows), [r["office"] for r in rows]
        wait_filters_shown(page)
        town_options = page.locator('[data-search-filter="镇街"] option').all_inner_texts()
        assert town_options == ["全部", "马桥镇"], town_options

        # Widening to 全部 finds both towns and offers both.
        page.locator('[data-search-filter="区县"]').select_option("")
        page.wait_for_function("() => !new URLSearchParams(location.search).has('区县')")
        status = wait_settled(page, "占道")
        offices = [r["office"] for r in all_results(page, status)]
        assert any("马桥镇" in o for o in offices) and any("金山镇" in o for o in offices), offices
        town_options = page.locator('[data-search-filter="镇街"] option').all_inner_texts()
        assert sorted(town_options) == sorted(["全部", "马桥镇", "金山镇"]), town_options

        # Narrowing to the other county lists only its town.
        page.locator('[data-search-filter="区县"]').select_option("临淄区")
        status = wait_settled(page, "占道")
        rows = all_results(page, status)
        assert rows and all("金山镇" in r["office"] for r in rows), [r["office"] for r in rows]
        assert fetched == set(), f"Pagefind bundles fetched: {fetched}"
    finally:
        context.close()


def test_a_search_with_every_filter_fetches_no_pagefind_file(browser: Any, base_url: str
                                                             ) -> None:
    """Queries, filters and the filters' options all come from the compact index."""
    url = search_url(base_url, "占道", 类别="赋权事项", 事项类型="行政处罚", 状态="现行")
    context, page, fetched = open_counting_bundles(browser, url)
    try:
        status = wait_settled(page, "占道")
        assert result_count(status) > 0, status
        wait_filters_shown(page)
        options = page.locator('[data-search-filter="事项类型"] option').all_inner_texts()
        assert {"全部", "行政处罚", "行政许可"} <= set(options), options
        page.wait_for_timeout(300)
        assert fetched == set(), f"Pagefind bundles fetched: {fetched}"
    finally:
        context.close()


def test_the_compact_index_failing_says_search_is_unavailable(browser: Any,
                                                              base_url: str) -> None:
    """With the compact index's word files unreachable, the search says so; the next
    search, once they answer again, finds the results."""
    pattern = re.compile(r"/search/compact/b/")
    context = browser.new_context()
    try:
        context.route(pattern, lambda route: route.abort())
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(search_url(base_url, "占道"), wait_until="load")
        page.wait_for_function("() => document.querySelector('[data-search-status]')"
                               ".textContent.startsWith('搜索暂时不可用')")
        assert page.locator(RESULTS).count() == 0
        context.unroute(pattern)
        page.locator("#search-q").press("Enter")
        assert result_count(wait_settled(page, "占道")) > 0
    finally:
        context.close()


def test_switching_county_during_a_search_shows_only_the_last(new_page: Any,
                                                              base_url: str) -> None:
    page, problems, _ = open_search(new_page, search_url(base_url, "占道", 区县="桓台县"))
    wait_settled(page, "占道")
    page.evaluate("""() => {
      const s = document.querySelector('[data-search-filter="区县"]');
      for (const v of ['', '临淄区', '桓台县', '临淄区']) {
        s.value = v; s.dispatchEvent(new Event('change'));
      }
    }""")
    hrefs = settle_after_race(page, "占道")
    assert hrefs and all(site_path(h).startswith("towns/jinshan/") for h in hrefs), hrefs
    assert page.locator('[data-search-filter="区县"]').input_value() == "临淄区"
    assert not problems.all(), "\n".join(problems.all())


def test_a_filter_value_no_page_has_finds_nothing_and_stays_chosen(new_page: Any,
                                                                   base_url: str) -> None:
    """A link with a 镇街 that no page has (a renamed town, a typo) is searched as given:
    nothing is found, and the filter shows that value rather than silently 全部."""
    page, problems, _ = open_search(new_page, search_url(base_url, "占道", 镇街="不存在镇"))
    status = wait_settled(page, "占道")
    assert status.startswith("没有找到"), status
    wait_filters_shown(page)
    assert page.locator('[data-search-filter="镇街"]').input_value() == "不存在镇"
    page.locator('[data-search-filter="镇街"]').select_option("")
    assert result_count(wait_settled(page, "占道")) > 0
    assert not problems.all(), "\n".join(problems.all())


# -- Overlapping searches ------------------------------------------------------------------


def settle_after_race(page: Any, q: str) -> list[str]:
    """Wait until the status names ``q``, give any stale search time to finish, and
    return the hrefs listed."""
    page.wait_for_function("(q) => document.querySelector('[data-search-status]')"
                           ".textContent.includes('“' + q + '”')", arg=q)
    page.wait_for_timeout(1_500)
    return list(page.locator(f"{RESULTS} h2 a").evaluate_all(
        "as => as.map(a => a.getAttribute('href'))"))


def test_a_second_search_replaces_the_first(new_page: Any, base_url: str) -> None:
    """Submitting again while a search is still running (or changing a filter during
    one) must not leave the first search's results in the list."""
    page, problems, _ = open_search(new_page, search_url(base_url))
    wait_filters_shown(page)
    page.fill("#search-q", "低保")
    page.press("#search-q", "Enter")
    clean = settle_after_race(page, "低保")
    assert clean, "no results for 低保"

    page.evaluate("""() => {
      const form = document.querySelector('[data-search-form]');
      const input = form.querySelector('input[name=q]');
      input.value = '安全'; form.requestSubmit();
      input.value = '低保'; form.requestSubmit();
    }""")
    raced = settle_after_race(page, "低保")
    assert raced == clean, (
        f"after submitting 安全 and then 低保 the list has {len(raced)} results "
        f"({len(set(raced) - set(clean))} not among the {len(clean)} results of 低保 alone): "
        f"{raced}")
    assert not problems.all(), "\n".join(problems.all())


def test_more_button_clicked_twice_adds_no_duplicates(new_page: Any, base_url: str) -> None:
    page, problems, _ = open_search(new_page, search_url(base_url, "安全"))
    status = wait_settled(page, "安全")
    total = result_count(status)
    assert total > 20, f"安全 should have more than two pages of results: {status}"
    page.evaluate("() => { const b = document.querySelector('[data-search-more]');"
                  " b.click(); b.click(); }")
    page.wait_for_function("(sel) => document.querySelectorAll(sel).length >= 20", arg=RESULTS)
    hrefs = settle_after_race(page, "安全")
    duplicates = sorted({h for h in hrefs if hrefs.count(h) > 1})
    assert not duplicates, (f"two quick clicks on 显示更多结果 listed {len(hrefs)} results, "
                            f"{len(duplicates)} of them twice: {duplicates[:5]}")
    assert len(hrefs) in (20, 30), f"{len(hrefs)} results after two clicks"
    assert not problems.all(), "\n".join(problems.all())


# -- Accessibility, console, path prefix -------------------------------------------------


def test_search_page_has_no_serious_axe_violations(new_page: Any, axe: Any,
                                                   base_url: str) -> None:
    page, _, _ = open_search(new_page, search_url(base_url, "低保"))
    wait_settled(page, "低保")
    assert page.locator(RESULTS).count() > 0
    violations = axe.run(page).response["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    report = []
    for v in blocking:
        report.append(f"{v['id']} ({v['impact']}): {v['help']}")
        report += [f"    {' > '.join(map(str, n['target']))}" for n in v["nodes"][:8]]
    assert not blocking, "axe-core violations on the search page:\n  " + "\n  ".join(report)


def test_search_page_has_no_console_errors(new_page: Any, base_url: str) -> None:
    page, problems, warnings = open_search(new_page, search_url(base_url, "占道经营"))
    status = wait_settled(page, "占道经营")
    assert result_count(status) > 0, status
    wait_filters_shown(page)
    assert not problems.all(), "\n".join(problems.all())
    assert not warnings, "console warnings (search.js reports failures this way):\n" + \
        "\n".join(warnings)


def test_search_works_under_a_path_prefix(new_page: Any, prefix_url: str) -> None:
    prefix = urlsplit(prefix_url).path  # "/prefix/"
    page, problems, warnings = open_search(new_page, search_url(prefix_url, "低保"))
    status = wait_settled(page, "低保")
    rows = shown_results(page)
    assert rows, f"no results under {prefix}: {status!r} (warnings: {warnings})"
    outside = [r["href"] for r in rows if not r["href"].startswith(prefix)]
    assert not outside, f"result links outside {prefix}: {outside}"
    for row in rows[:3]:
        url = urljoin(page.url, row["href"])
        response = page.request.get(url)
        assert response.status == 200, f"{url} answered {response.status}"
        assert row["title"] in response.text(), f"{url} is not the page “{row['title']}”"
    with page.expect_navigation() as nav:
        page.locator(RESULTS).first.locator("h2 a").click()
    assert nav.value is not None and nav.value.status == 200
    assert page.url.startswith(prefix_url + "towns/")
    assert not problems.all(), "\n".join(problems.all())
