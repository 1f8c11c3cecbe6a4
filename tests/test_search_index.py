"""What the build adds to record pages for search."""

from __future__ import annotations

from towncat.search import CHARS_MARKER, add_search_chars, distinct_chars


def test_character_field_lists_distinct_chinese_characters_of_indexed_text() -> None:
    html = ('<article data-pagefind-body><h1>排污许可</h1><p>许可证 ABC</p>'
            '<p class="hotline" data-pagefind-ignore>便民热线</p>' + CHARS_MARKER +
            "<section>变更记录</section></article>")
    page = add_search_chars(html)
    assert CHARS_MARKER not in page
    assert 'data-chars="可 排 污 许 证"' in page  # ignored and later text left out
    assert 'data-pagefind-meta="字[data-chars]"' in page


def test_pages_without_the_marker_are_left_alone() -> None:
    assert add_search_chars("<p>首页</p>") == "<p>首页</p>"
    assert distinct_chars("<p>abc</p>") == ""
