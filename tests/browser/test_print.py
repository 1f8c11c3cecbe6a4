"""Printed pages read as official documents: Chromium prints the list and item pages to
PDF (``page.pdf``, with no header or footer of its own) and the text extracted from the
PDF (pypdf) is checked. Every page carries the column headers (lists), the title, the
town, 数据截至, the permanent URL and the page number; no sort hint, download link,
filter, search box or navigation is printed."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from towncat.config import load_config

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
# Chromium's PDFs map glyphs shared with CJK radicals back to the radical, so extracted
# text reads ⻢ for 马 and ⾏ for 行: NFKC folds the Kangxi radicals, this table the rest.
RADICALS = str.maketrans(
    "⻚⻢⻓⻔⻛⻜⻋⻅⻉⻘⻝⻩⻨⻥⻦⻰⻳⻬⻮⻤⺠⺟⺁⻄⻣⻆",
    "页马长门风飞车见贝青食黄麦鱼鸟龙龟齐齿鬼民母厂西骨角",
)
NOT_PRINTED = ["点击表头可排序", "CSV", "下载", "搜索事项", "全市概览", "在本表中查找", "跳到正文"]
AS_OF = re.compile(r"数据截至 (\d{4}-\d{2}-\d{2})")


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(RADICALS)


def printed(new_page: Any, address: str) -> list[str]:
    """The text of each page of ``address`` printed to A4 by Chromium."""
    pypdf = pytest.importorskip("pypdf")
    page, problems = new_page()
    response = page.goto(address, wait_until="load")
    assert response is not None and response.status == 200, address
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=False)
    assert not problems.all(), problems.all()
    return [fold(p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def html_as_of(site_dir: Path, url: str) -> str:
    match = AS_OF.search((site_dir / url / "index.html").read_text(encoding="utf-8"))
    assert match, f"{url} says no 数据截至 date"
    return match.group(1)


def check_document(pages: list[str], permalink: str, as_of: str, title: str) -> None:
    count = len(pages)
    for number, text in enumerate(pages, start=1):
        flat = re.sub(r"\s+", "", text)
        assert fold(f"第{number}页，共{count}页") in flat, (
            f"page {number}: no page number\n{text[:300]}"
        )
        assert permalink in flat, f"page {number}: no permalink"
        assert f"数据截至{as_of}" in flat, f"page {number}: no 数据截至 date"
        assert fold(re.sub(r"\s+", "", title)) in flat, f"page {number}: no title"
        assert "桓台县马桥镇" in flat, f"page {number}: no town"
        assert fold("版本：2026年12月版（示例）") in flat, f"page {number}: no edition"
        for hint in NOT_PRINTED:
            assert fold(hint) not in flat, f"page {number} prints {hint!r}"


def test_printed_powers_list_repeats_its_column_headers(
    new_page: Any,
    addresses: dict[str, str | None],
    site_pages: dict[str, str | None],
    site_dir: Path,
) -> None:
    url = site_pages["powers-list"]
    address = addresses["powers-list"]
    if url is None or address is None or not url.startswith("towns/maqiao/"):
        pytest.skip("the built site has no powers list of 马桥镇")
    pages = printed(new_page, address)
    assert len(pages) >= 3, "the 106-item list should print on several pages"
    permalink = load_config(REPO).base_url + url
    check_document(pages, permalink, html_as_of(site_dir, url), "赋权事项清单")
    for number, text in enumerate(pages, start=1):
        assert re.search(r"序号\s*事项名称\s*事项类型\s*领域\s*承办机构\s*状态", text), (
            f"page {number} has no column headers:\n{text[:400]}"
        )
    assert "106" in pages[-1]  # the last row is printed


def test_printed_item_page_is_a_citable_document(
    new_page: Any,
    addresses: dict[str, str | None],
    site_pages: dict[str, str | None],
    site_dir: Path,
) -> None:
    url = site_pages["power-item"]
    address = addresses["power-item"]
    if url is None or address is None or not url.startswith("towns/maqiao/"):
        pytest.skip("the built site has no power item of 马桥镇")
    name = re.search(r"<h1>(.*?)</h1>", (site_dir / url / "index.html").read_text("utf-8"))
    assert name
    pages = printed(new_page, address)
    check_document(
        pages, load_config(REPO).base_url + url, html_as_of(site_dir, url), name.group(1)
    )
    assert "承办机构" in pages[0] and "设定依据" in "".join(pages)
