"""Real-browser tests of the built site: loading, accessibility, narrow screens, the list
table's script (and the page without it), and serving from a path prefix.

Run with ``python -m pytest -q tests/browser``. Chromium and the ``playwright`` and
``axe-playwright-python`` packages are needed; see ``conftest.py`` for what happens
without them.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from typing import Any

import pytest

pytestmark = pytest.mark.browser

#: The pages every page-level test runs on; URLs come from the ``addresses`` fixture.
PAGES = ["home", "county", "town", "powers-list", "power-item", "duty-item", "office",
         "overview", "compare", "data", "404"]

NARROW = 375
BLOCKING_IMPACTS = ("serious", "critical")
TABLE = "table[data-sortable]"

STYLESHEET_LOADED = """() => {
  const sheet = document.styleSheets[0];
  try { return !!sheet && sheet.cssRules.length > 0; } catch (e) { return false; }
}"""

#: Rows of the list table as [data-type, visible?].
ROW_STATE = f"""() => Array.from(document.querySelectorAll('{TABLE} tbody tr'))
  .map(r => [r.dataset.type || '', r.getClientRects().length > 0])"""

#: The innermost elements that stick out past the viewport's right edge, skipping
#: anything inside a scrolling (or clipping) container, described for a failure message.
OVERFLOWING = """(limit) => {
  const clipped = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if ((r.right > limit + 0.5 || r.left < -0.5) && !clipped(el)) wide.push([el, r]);
  }
  const innermost = wide.filter(([el]) => !wide.some(([o]) => o !== el && el.contains(o)));
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className.trim()
       ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
    + ' "' + (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40) + '"';
  return innermost.slice(0, 10).map(([el, r]) =>
    `${describe(el)} left=${Math.round(r.left)} right=${Math.round(r.right)}`
    + ` width=${Math.round(r.width)}`);
}"""


def url_of(addresses: dict[str, str | None], name: str) -> str:
    url = addresses[name]
    if url is None:
        pytest.skip(f"the built site has no {name} page to test")
    return url


def open_page(new_page: Any, url: str, **options: Any) -> tuple[Any, Any]:
    """A fresh page at ``url``, asserted to have answered 200."""
    page, problems = new_page(**options)
    response = page.goto(url, wait_until="load")
    assert response is not None, f"no response for {url}"
    assert response.status == 200, f"{url} answered HTTP {response.status}"
    return page, problems


# -- Every page ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_without_errors(name: str, new_page: Any,
                                   addresses: dict[str, str | None]) -> None:
    url = url_of(addresses, name)
    _, problems = open_page(new_page, url)
    assert not problems.all(), f"{url}:\n  " + "\n  ".join(problems.all())


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(name: str, new_page: Any, axe: Any,
                                             addresses: dict[str, str | None]) -> None:
    url = url_of(addresses, name)
    page, _ = open_page(new_page, url)
    violations = axe.run(page).response["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    report = []
    for v in blocking:
        report.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:8]:
            report.append(f"    {' > '.join(map(str, node['target']))}")
        if len(v["nodes"]) > 8:
            report.append(f"    … and {len(v['nodes']) - 8} more")
    assert not blocking, f"axe-core violations on {url}:\n  " + "\n  ".join(report)


@pytest.mark.parametrize("name", PAGES)
def test_no_horizontal_scrolling_at_375px(name: str, new_page: Any,
                                          addresses: dict[str, str | None]) -> None:
    url = url_of(addresses, name)
    page, _ = open_page(new_page, url, viewport={"width": NARROW, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > NARROW:
        culprits = page.evaluate(OVERFLOWING, NARROW)
        pytest.fail(f"{url} is {width}px wide at a {NARROW}px viewport; sticking out:\n  "
                    + "\n  ".join(culprits or ["(no single element found)"]), pytrace=False)


# -- The list table and its script ----------------------------------------------------


def wait_for(page: Any, predicate: str, arg: Any, timeout: float = 3_000) -> None:
    """Wait until the JS ``predicate(arg)`` holds, or give up quietly after ``timeout``
    ms: the assertions that follow say what is wrong better than a timeout would."""
    with contextlib.suppress(Exception):
        page.wait_for_function(predicate, arg=arg, timeout=timeout)


def visible_rows(page: Any) -> list[tuple[str, bool]]:
    return [(t, bool(v)) for t, v in page.evaluate(ROW_STATE)]


def test_list_filter_by_type(new_page: Any,
                             addresses: dict[str, str | None]) -> None:
    page, problems = open_page(new_page, url_of(addresses, "powers-list"))
    controls = page.locator("[data-table-controls]")
    controls.wait_for(state="visible", timeout=5_000)

    rows = visible_rows(page)
    assert rows and all(v for _, v in rows), "before filtering every row should be visible"
    counts = Counter(t for t, _ in rows)
    select = page.get_by_label("事项类型", exact=True)
    options = [o for o in select.locator("option").all_inner_texts() if o.strip() != "全部"]
    assert set(counts) <= set(options), f"filter options {options} miss types {set(counts)}"
    chosen = min(counts, key=lambda t: (counts[t], t))  # the rarest type hides the most rows
    status = page.locator("[data-filter-status]")
    status_before = status.inner_text()

    select.select_option(label=chosen)
    wait_for(page, """([sel, type, n]) => {
                 const rows = Array.from(document.querySelectorAll(sel + ' tbody tr'))
                   .filter(r => r.getClientRects().length > 0);
                 return rows.length === n && rows.every(r => r.dataset.type === type);
               }""", [TABLE, chosen, counts[chosen]])
    after = visible_rows(page)
    shown = [t for t, v in after if v]
    assert shown and set(shown) == {chosen}, (
        f"after choosing {chosen!r} the visible rows have types {Counter(shown)}")
    assert len(shown) == counts[chosen], (
        f"{counts[chosen]} rows have type {chosen!r} but {len(shown)} are visible")

    # The script updates the status after a short pause.
    wait_for(page, "([el, before]) => el.textContent.trim() !== before",
             [status.element_handle(), status_before.strip()])
    status_after = status.inner_text().strip()
    assert status_after and status_after != status_before.strip(), (
        f"the status text did not change: {status_before!r} → {status_after!r}")
    assert str(len(shown)) in status_after, (
        f"the status {status_after!r} does not give the {len(shown)} rows shown")
    assert not problems.all(), "\n".join(problems.all())


def test_list_sort_button_sets_aria_sort(new_page: Any,
                                         addresses: dict[str, str | None]) -> None:
    page, problems = open_page(new_page, url_of(addresses, "powers-list"))
    headers = page.locator(f"{TABLE} thead th")
    buttons = page.locator(f"{TABLE} thead th button")
    buttons.first.wait_for(state="attached", timeout=5_000)
    # A column that is not sorted yet (the table starts sorted by 序号).
    index = next(i for i in range(headers.count())
                 if headers.nth(i).get_attribute("aria-sort") in (None, "none")
                 and headers.nth(i).locator("button").count())
    header = headers.nth(index)
    label = header.inner_text().strip()

    header.locator("button").click()
    first = header.get_attribute("aria-sort")
    assert first in ("ascending", "descending"), (
        f"after clicking the {label} sort button aria-sort is {first!r}")
    header.locator("button").click()
    second = header.get_attribute("aria-sort")
    assert second in ("ascending", "descending") and second != first, (
        f"clicking the {label} sort button again left aria-sort at {second!r}")
    sorted_columns = [headers.nth(i).inner_text().strip() for i in range(headers.count())
                      if headers.nth(i).get_attribute("aria-sort") in ("ascending",
                                                                       "descending")]
    assert sorted_columns == [label], f"columns marked as sorted: {sorted_columns}"
    assert not problems.all(), "\n".join(problems.all())


def test_list_without_javascript(new_page: Any, list_rows: int,
                                 addresses: dict[str, str | None]) -> None:
    page, problems = open_page(new_page, url_of(addresses, "powers-list"),
                               java_script_enabled=False)
    assert page.locator("[data-table-controls]").is_hidden(), (
        "the filter controls show without JavaScript, where they cannot work")
    rows = page.locator(f"{TABLE} tbody tr")
    assert rows.count() == list_rows, f"{rows.count()} rows, the HTML has {list_rows}"
    hidden = [i + 1 for i in range(rows.count()) if not rows.nth(i).is_visible()]
    assert not hidden, f"rows hidden without JavaScript: {hidden[:20]}"
    assert page.locator(f"{TABLE} thead th button").count() == 0
    assert not problems.all(), "\n".join(problems.all())


# -- Path prefix ------------------------------------------------------------------------


def test_site_works_under_a_path_prefix(new_page: Any, prefix_url: str, link_town: str) -> None:
    """Town → (its first list →) first item → breadcrumb back, all under ``/prefix/``."""
    town_url = f"{prefix_url}towns/{link_town}/"
    kinds = "(?:powers|duties|institutions)"
    item = re.compile(re.escape(town_url) + kinds + r"/[^/?#]+/")
    listing = re.compile(re.escape(town_url) + kinds + "/")
    page, problems = open_page(new_page, town_url)
    trail = [town_url]
    assert page.evaluate(STYLESHEET_LOADED), f"no stylesheet rules on {town_url}"

    def follow(pattern: re.Pattern[str], scope: str = "main") -> None:
        """Click the first link in ``scope`` whose address matches ``pattern``."""
        links = page.locator(f"{scope} a[href]")
        hrefs = links.evaluate_all("as => as.map(a => a.href)")
        index = next((i for i, h in enumerate(hrefs) if pattern.fullmatch(h)), None)
        assert index is not None, (
            f"no link matching {pattern.pattern} on {page.url} (came via {trail}): {hrefs}")
        with page.expect_navigation() as nav:
            links.nth(index).click()
        trail.append(page.url)
        assert nav.value is not None and nav.value.status == 200, f"{trail} did not load"
        assert page.url == hrefs[index], f"clicking {hrefs[index]} led to {page.url}"
        assert page.evaluate(STYLESHEET_LOADED), f"no stylesheet rules on {page.url}"

    # The first link to an item page; through the first list when the town page itself
    # links only to lists.
    hrefs = page.locator("main a[href]").evaluate_all("as => as.map(a => a.href)")
    if not any(item.fullmatch(h) for h in hrefs):
        follow(listing)
    follow(item)
    follow(re.compile(re.escape(town_url)), 'nav[aria-label="当前位置"]')
    assert page.url == town_url
    print("path-prefix walk:", " → ".join(trail))
    assert not problems.all(), f"via {trail}:\n" + "\n".join(problems.all())


def test_not_found_page_works_at_any_depth(new_page: Any, published_url: str) -> None:
    """The server answers a missing deep path with ``404.html``; its links must still work."""
    missing = published_url + "towns/no-such-town/powers/no-such-item/"
    page, problems = new_page()
    response = page.goto(missing)
    assert response is not None and response.status == 404
    assert page.evaluate(STYLESHEET_LOADED), f"no stylesheet rules on the 404 page at {missing}"
    home = page.get_by_role("main").get_by_role("link", name="返回首页")
    assert home.evaluate("a => a.href") == published_url
    unexpected = [p for p in problems.all() if "no-such-town" not in p]
    assert not unexpected, "\n".join(unexpected)
