"""引用本条 on the shipped site: the citation text names the item, its edition and date,
and its permalink — and the frozen version's link — open that item in the edition's
snapshot (issue 18)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from towncat.config import load_config

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]


def test_citation_text_and_frozen_permalink_resolve(
    new_page: Any, site_pages: dict[str, str | None], base_url: str
) -> None:
    published = load_config(REPO).base_url
    item = site_pages["power-item"]
    assert item is not None
    page, problems = new_page(viewport={"width": 375, "height": 812})
    page.goto(base_url + item, wait_until="load")
    name = page.locator("h1").inner_text().strip()
    page.get_by_text("引用本条", exact=True).click()
    citation = page.locator("[data-citation]")
    assert citation.is_visible()
    text = citation.inner_text()
    assert f"“{name}”（编号 " in text and "数据截至 " in text and "版" in text
    permalink = text.rsplit("。", 1)[1].strip()
    assert permalink.startswith(published + "editions/"), text  # the frozen version

    response = page.goto(base_url + permalink.removeprefix(published), wait_until="load")
    assert response is not None and response.status == 200
    assert page.locator("h1").inner_text().strip() == name
    assert "历史版本" in page.locator(".notice-edition").inner_text()
    assert "数据截至" in page.locator(".version-line").first.inner_text()

    page.goto(base_url + item, wait_until="load")
    page.get_by_text("引用本条", exact=True).click()
    with page.expect_navigation():
        page.locator("[data-frozen]").click()
    assert "/editions/" in page.url and page.locator("h1").inner_text().strip() == name
    assert problems.all() == []
