"""Search as residents use it: their own words, on a phone (Chromium, 375 × 812).

Each test types what a resident would (a question, a situation from the thesaurus,
traditional characters, a typo, pinyin, hostile input) into ``/search/`` of the shipped
site, built once by ``conftest.py``, and reads what ``static/search.js`` renders. The
expected items were chosen from the content files (names, keywords, status).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 812}}
RESULTS = "[data-search-results] li"

#: Done when the search has shown its first page of results, its help, or its question
#: (``search.js`` marks the result list busy until then).
SETTLED = "() => document.querySelector('[data-search-results]').getAttribute('aria-busy') === 'false'"


def search(new_page: Any, base_url: str, q: str) -> tuple[Any, list[str]]:
    """A fresh phone tab on ``search/?q=…``; returns it and the result links (site paths)."""
    page, problems = new_page(**PHONE)
    page.goto(f"{base_url}search/?q={quote(q)}")
    page.wait_for_function(SETTLED, timeout=15_000)
    hrefs = page.locator(f"{RESULTS} h2 a").evaluate_all("as => as.map(a => a.href)")
    assert not problems.all(), problems.all()
    return page, [h.removeprefix(base_url) for h in hrefs]


def top(links: list[str], n: int = 3) -> str:
    return "\n".join(links[:n]) or "(nothing)"


@pytest.mark.parametrize(
    ("q", "wanted"),
    [
        # a question: the topic plus words no page holds (找谁, 怎么, 申请 …)
        ("低保怎么申请", ("最低生活保障", "低保")),
        ("宅基地在哪办", ("宅基地",)),
        # a situation that only the thesaurus links to the catalogue's words
        ("老板不发工资", ("工资", "欠薪", "劳动报酬")),
        # traditional characters
        ("違法建設", ("违法建设",)),
        # one wrong character in a word of three or more
        ("宅基第", ("宅基地",)),
        ("最低生活保章", ("最低生活保障",)),
        # pinyin, full and initials
        ("zhaijidi", ("宅基地",)),
        ("wfjs", ("违法建设",)),
    ],
)
def test_everyday_query_puts_a_matching_item_first(
    q: str, wanted: tuple[str, ...], new_page: Any, base_url: str
) -> None:
    page, links = search(new_page, base_url, q)
    assert links, f"“{q}” found nothing: {page.locator('[data-search-status]').inner_text()}"
    first = page.locator(RESULTS).first
    text = first.inner_text() + (first.locator("h2 a").get_attribute("href") or "")
    related = page.evaluate(
        "url => fetch(url).then(r => r.text())", base_url + links[0]
    )
    assert any(w in text or w in related for w in wanted), (
        f"“{q}”: the first result is about none of {wanted}:\n{top(links)}"
    )


def test_a_withdrawn_item_is_labelled_and_comes_after_current_ones(
    new_page: Any, base_url: str
) -> None:
    """夜间施工: a current 马桥镇 power (建筑施工噪声), and two that are no longer done by
    the town (金山镇 cf-0027 已收回, 马桥镇 cf-0041 已取消)."""
    page, _ = search(new_page, base_url, "夜间施工")
    while page.locator("[data-search-more]").is_visible():
        before = page.locator(RESULTS).count()
        page.locator("[data-search-more]").click()
        # the next ten cards, or fewer when the button goes away after the last one
        page.wait_for_function(
            f"() => document.querySelectorAll('{RESULTS}').length >= {before + 10}"
            " || document.querySelector('[data-search-more]').hidden"
        )
    links = [h.removeprefix(base_url) for h in
             page.locator(f"{RESULTS} h2 a").evaluate_all("as => as.map(a => a.href)")]
    withdrawn = ["towns/jinshan/powers/cf-0027/", "towns/maqiao/powers/cf-0041/"]
    assert links[0] == "towns/maqiao/powers/cf-0038/", top(links)  # night work noise, current
    assert all(w in links for w in withdrawn), top(links, 10)
    labelled = page.locator(RESULTS).evaluate_all(
        "lis => lis.map(li => !!li.querySelector('.result-status'))"
    )
    first_withdrawn = min(links.index(w) for w in withdrawn)
    assert not any(labelled[:first_withdrawn]), "a current item is labelled as withdrawn"
    assert all(labelled[first_withdrawn:]), "a current item comes after a withdrawn one"
    card = page.locator(RESULTS).nth(links.index(withdrawn[0])).inner_text()
    assert "已收回" in card and "临淄区综合行政执法局" in card, card


def test_a_query_that_matches_nothing_gets_help(new_page: Any, base_url: str) -> None:
    page, links = search(new_page, base_url, "火星人登陆")
    assert links == []
    help_box = page.locator("[data-search-help]")
    assert help_box.is_visible()
    text = help_box.inner_text()
    assert "没有找到对应事项" in text and "12345" in text and "便民服务中心" in text
    assert help_box.locator('a[href^="tel:12345"]').count() == 1
    assert help_box.locator("a", has_text="区县和镇街").count() == 1


def test_the_first_results_office_and_phone_are_on_the_first_screen(
    new_page: Any, base_url: str
) -> None:
    page, _ = search(new_page, base_url, "低保怎么申请")
    phone = page.locator(f"{RESULTS} .result-office a[href^='tel:']").first
    box = phone.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 812, box


def test_a_very_long_typed_query_is_answered(new_page: Any, base_url: str) -> None:
    """10,000 characters typed (a URL that long is refused by most servers)."""
    page, problems = new_page(**PHONE)
    page.goto(base_url + "search/")
    page.locator("#search-q").fill("违章" * 5000)
    page.locator("#search-q").press("Enter")
    page.wait_for_function(SETTLED, timeout=15_000)
    assert page.locator(RESULTS).count() > 0
    assert not problems.all(), problems.all()


def test_an_item_pages_office_phone_is_on_the_first_screen(new_page: Any, base_url: str) -> None:
    page, _ = new_page(**PHONE)
    page.goto(base_url + "towns/maqiao/powers/cf-0052/")
    phone = page.locator(".office-box a[href^='tel:']").first
    box = phone.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 812, box


@pytest.mark.parametrize(
    ("q", "says"),
    [
        ("？！。，、……", "请输入要办的事"),
        ("怎么办", None),  # stop words only: searched as typed, never an empty query
        ("😀🎉", "请输入要办的事"),
        ("<script>alert(1)</script>", None),
        ("<img src=x onerror=alert(1)>违章", None),
    ],
)
def test_hostile_queries_get_a_calm_answer(
    q: str, says: str | None, new_page: Any, base_url: str
) -> None:
    page, problems = new_page(**PHONE)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base_url}search/?q={quote(q)}")
    page.wait_for_function(SETTLED, timeout=15_000)
    status = page.locator("[data-search-status]").inner_text()
    assert dialogs == []
    assert page.locator("[data-search-results] img, [data-search-results] script").count() == 0
    if says:
        assert says in status, status
    assert "不可用" not in status, status
    assert not problems.all(), problems.all()


@pytest.mark.parametrize("word", ["低保", "宅基地", "盖房子"])
def test_the_list_filter_matches_what_residents_call_an_item(
    word: str, new_page: Any, base_url: str, site_dir: Any
) -> None:
    """The 在本表中查找 box on a list page: a row whose text lacks the word is found by
    its keywords and the thesaurus's phrases (data-terms)."""
    shown_total = 0
    for town in ("maqiao", "jinshan"):
        for kind in ("powers", "duties"):
            page, _ = new_page(**PHONE)
            page.goto(f"{base_url}towns/{town}/{kind}/")
            page.locator("[data-filter-text]").fill(word)
            page.wait_for_timeout(50)
            shown = page.locator("tbody tr:not([hidden])").count()
            total = page.locator("tbody tr").count()
            assert shown < total
            shown_total += shown
    assert shown_total > 0, f"no row of any list is found with {word}"


def test_without_javascript_the_search_page_links_the_town_lists(
    new_page: Any, base_url: str
) -> None:
    """No script, no search: the page says so and links every town with published lists."""
    page, problems = new_page(java_script_enabled=False, **PHONE)
    page.goto(f"{base_url}search/?q={quote('低保')}")
    text = page.locator("main").inner_text()
    assert "需要浏览器启用 JavaScript" in text
    links = page.locator(".noscript-towns a").evaluate_all("as => as.map(a => a.href)")
    towns = {h.removeprefix(base_url) for h in links}
    assert {"towns/maqiao/", "towns/jinshan/"} <= towns, towns
    for href in links[:3]:
        assert page.request.get(href).status == 200, href
    assert not problems.all(), problems.all()


@pytest.mark.parametrize("q", ["低保", "火星人登陆"])
def test_results_arriving_shift_nothing_on_the_first_screen(
    new_page: Any, base_url: str, q: str
) -> None:
    """Cumulative layout shift stays "good" (< 0.1) while the answer or the help arrives."""
    page, problems = new_page(**PHONE)
    page.add_init_script(
        "window.__shift = 0; new PerformanceObserver((list) => { for (const e of list.getEntries())"
        " if (!e.hadRecentInput) window.__shift += e.value; })"
        ".observe({ type: 'layout-shift', buffered: true });"
    )
    page.goto(f"{base_url}search/?q={quote(q)}")
    page.wait_for_function(SETTLED, timeout=15_000)
    page.wait_for_timeout(300)  # let the observer report the last frame
    assert page.evaluate("window.__shift") < 0.1
    assert not problems.all(), problems.all()


def items_asking_for(material: str) -> set[str]:
    """The sample items whose service guide asks for ``material`` (read from the content)."""
    found = set()
    for town in ("maqiao", "jinshan"):
        for kind in ("powers", "duties"):
            path = Path(__file__).resolve().parents[2] / "content/towns" / town / f"{kind}.yaml"
            for item in yaml.safe_load(path.read_text(encoding="utf-8"))[kind]:
                names = [m["name"] for m in (item.get("guide") or {}).get("materials", [])]
                if any(material in name for name in names):
                    found.add(f"towns/{town}/{kind}/{item['id']}/")
    return found


@pytest.mark.parametrize(
    ("q", "material"),
    [
        ("户口本", "户口簿"),  # what people call it; the guides say 居民户口簿
        ("施工合同", "施工合同"),  # a material whose words are also in other items' text
        ("办营业执照要带身份证吗", "居民身份证"),  # a question about a material
    ],
)
def test_a_material_by_its_everyday_name_finds_items_that_ask_for_it(
    q: str, material: str, new_page: Any, base_url: str
) -> None:
    wanted = items_asking_for(material)
    assert wanted, material
    _, links = search(new_page, base_url, q)
    assert links and links[0] in wanted, f"“{q}”: {top(links)}"


@pytest.mark.parametrize(
    ("q", "wanted"),
    [
        # who and where (村里, 有人) weigh little beside the matter (开矿)
        ("村里有人私自开矿", ("非法采矿", "私挖乱采")),
        # the browser splits 成危/房; 危房 is a keyword
        ("房子成危房了怎么办", ("危房",)),
        # a phrase of the thesaurus with words between (砍树卖钱)
        ("砍了树卖了钱", ("采伐",)),
        # initials whose letters a rare reading also spells (有: wei)
        ("wzjz", ("违章建筑", "违法建设")),
        # Chinese and pinyin typed together
        ("宅基di", ("宅基地",)),
        # the right sound, the wrong characters (底保 for 低保), and two characters swapped
        ("底保", ("最低生活保障",)),
        ("高龄贴补", ("高龄津贴",)),
    ],
)
def test_a_question_around_the_matter_finds_it_first(
    q: str, wanted: tuple[str, ...], new_page: Any, base_url: str
) -> None:
    page, links = search(new_page, base_url, q)
    assert links, f"“{q}” found nothing"
    related = page.evaluate("url => fetch(url).then(r => r.text())", base_url + links[0])
    assert any(w in related for w in wanted), f"“{q}”: {top(links)}"


@pytest.mark.parametrize("q", ["出国签证", "办护照"])
def test_results_that_only_share_characters_are_flagged_with_help(
    new_page: Any, base_url: str, q: str
) -> None:
    """No item's name, keyword or document holds the words, only their characters: the
    page says the results may be beside the point and where to ask instead."""
    page, links = search(new_page, base_url, q)
    help_box = page.locator("[data-search-help]")
    assert help_box.is_visible(), f"“{q}”: {top(links)}"
    text = help_box.inner_text()
    assert "12345" in text
    if links:
        assert "可能不相关" in text


def test_results_found_as_words_come_without_help(new_page: Any, base_url: str) -> None:
    page, links = search(new_page, base_url, "低保")
    assert links and page.locator("[data-search-help]").is_hidden()


def test_help_within_one_town_gives_that_towns_service_centre(
    new_page: Any, base_url: str
) -> None:
    """Nothing found in 马桥镇: the help names its 便民服务中心 with the phone of its
    town.yaml (sample data, said so) and links the town's page."""
    page, problems = new_page(**PHONE)
    page.goto(f"{base_url}search/?q={quote('火星人登陆')}&{quote('镇街')}={quote('马桥镇')}")
    page.wait_for_function(SETTLED, timeout=15_000)
    help_box = page.locator("[data-search-help]")
    text = help_box.inner_text()
    assert "马桥镇便民服务中心" in text and "示例数据" in text, text
    phones = help_box.locator("a[href^='tel:']").evaluate_all("as => as.map(a => a.href)")
    assert "tel:05330000209" in phones and "tel:12345" in phones, phones
    town = help_box.locator("a", has_text="马桥镇的页面").get_attribute("href")
    assert town is not None and town.endswith("/towns/maqiao/"), town
    assert not problems.all(), problems.all()
