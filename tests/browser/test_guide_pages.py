"""Service guides in a real browser: 办理须知 on a phone's first screen, the materials
checklist on one printed A4 page, forms downloaded with the right type, no serious
accessibility violations."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

#: 乡村建设规划许可证核发 of the contractual town: a typical item with a guide and forms.
GUIDE_ITEM = "towns/maqiao/powers/xk-0006/"
PHONE = {"width": 375, "height": 812}
NOTICE_ROWS = ("办理地点", "办理时间", "办理时限", "收费", "到现场次数")

ROW_BOTTOMS = """() => Array.from(document.querySelectorAll('.guide-notice dt')).map(dt =>
  [dt.textContent.trim(), dt.parentElement.getBoundingClientRect().bottom])"""


@pytest.fixture(scope="module")
def guide_url(site_dir: Path, base_url: str) -> str:
    page = site_dir / GUIDE_ITEM / "index.html"
    assert page.is_file(), "the shipped 马桥镇 guide item was not built"
    assert "办理须知" in page.read_text(encoding="utf-8")
    return base_url + GUIDE_ITEM


def test_notice_is_on_the_first_screen_of_a_phone(new_page: Any, guide_url: str) -> None:
    page, problems = new_page(viewport=PHONE)
    page.goto(guide_url, wait_until="load")
    rows = dict(page.evaluate(ROW_BOTTOMS))
    for label in NOTICE_ROWS:
        assert label in rows, f"办理须知 lacks {label}: {rows}"
        assert rows[label] <= PHONE["height"], f"{label} is below the first screen: {rows}"
    assert not problems.all(), problems.all()


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_materials_checklist_prints_on_one_a4_page(new_page: Any, guide_url: str) -> None:
    page, problems = new_page()
    page.goto(guide_url + "materials/", wait_until="load")
    materials = page.locator(".checklist > li").count()
    assert materials >= 5, "a typical checklist has several materials"
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF-")
    assert _pdf_pages(pdf) == 1, f"the checklist prints on {_pdf_pages(pdf)} pages"
    assert not problems.all(), problems.all()


def test_checklist_text_can_be_copied(new_page: Any, guide_url: str) -> None:
    page, _ = new_page(viewport=PHONE)
    page.goto(guide_url, wait_until="load")
    page.locator(".copy-list summary").click()
    text = page.locator(".copy-list textarea").input_value()
    names = page.locator(".materials .checklist > li strong").all_inner_texts()
    assert [line.split(". ", 1)[1].split("（")[0] for line in text.splitlines()] == [
        n.split("（")[0] for n in names
    ]


def test_forms_download_with_their_type(new_page: Any, guide_url: str, site_dir: Path) -> None:
    page, problems = new_page()
    page.goto(guide_url, wait_until="load")
    link = page.locator(".form-links a").first
    assert link.get_attribute("type") == "application/pdf"
    with page.expect_download() as download:
        link.click()
    name = download.value.suggested_filename
    assert name.endswith(".pdf")
    saved = Path(download.value.path()).read_bytes()
    assert saved == (site_dir / "towns/maqiao/forms" / name).read_bytes()
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    assert not problems.all(), problems.all()


@pytest.mark.parametrize("suffix", ["", "materials/"])
def test_guide_pages_have_no_serious_accessibility_violations(
    new_page: Any, axe: Any, guide_url: str, suffix: str
) -> None:
    page, _ = new_page()
    page.goto(guide_url + suffix, wait_until="load")
    page.locator("details").evaluate_all("els => els.forEach(d => d.open = true)")
    violations = axe.run(page).response["violations"]
    blocking = [
        f"{v['id']}: {v['help']}" for v in violations if v.get("impact") in ("serious", "critical")
    ]
    assert not blocking, blocking


def test_no_horizontal_scrolling_on_a_phone(new_page: Any, guide_url: str) -> None:
    page, _ = new_page(viewport=PHONE)
    page.goto(guide_url, wait_until="load")
    page.locator("details").evaluate_all("els => els.forEach(d => d.open = true)")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_material_finds_the_items_that_ask_for_it(new_page: Any, base_url: str) -> None:
    """林权证 is in no item's name or keywords, only in the 林木采伐 guides' materials."""
    page, _ = new_page()
    page.goto(base_url + "search/?q=" + quote("林权证"), wait_until="load")
    # search.js marks the list busy until its first page of results is all shown
    page.wait_for_function(
        "() => document.querySelector('[data-search-results]').getAttribute('aria-busy') === 'false'",
        timeout=15_000,
    )
    top = page.eval_on_selector_all(
        "[data-search-results] h2 a", "els => els.slice(0, 3).map(e => e.getAttribute('href'))"
    )
    assert any(re.search(r"towns/(maqiao|jinshan)/powers/xk-0009/", href) for href in top), top
