"""The template environment's shortcuts give exactly what stock Jinja2 gives; sitemaps
stay within the protocol's limit."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from towncat.site.render import SITEMAP_MAX_URLS, make_environment, render_sitemaps

TEMPLATE = (
    "{{ d.name }}|{{ d.items }}|{{ d.get('x', 'none') }}|{{ d.count }}|"
    "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}|"
    "{{ m }}|{{ n }}|{% macro box(v) %}<b>{{ v }}</b>{% endmacro %}{{ box(d.name) }}|"
    "{% set block %}<i>{{ d.name }}</i>{% endset %}{{ block }}"
)


def stock() -> jinja2.Environment:
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def ours(tmp_path: Path) -> jinja2.Environment:
    (tmp_path / "t.html").write_text(TEMPLATE, encoding="utf-8")
    return make_environment(tmp_path)


@given(
    name=st.text(max_size=20),
    items=st.text(max_size=5),
    count=st.integers(),
    markup=st.text(max_size=10),
)
def test_output_equals_stock_jinja(
    tmp_path_factory: pytest.TempPathFactory, name: str, items: str, count: int, markup: str
) -> None:
    # "items" is a dict attribute: d.items is the method for both; "count" is not
    context = {
        "d": {"name": name, "items": items, "count": count},
        "m": Markup(markup),
        "n": 3.5,
    }
    folder = tmp_path_factory.mktemp("templates")
    expected = stock().from_string(TEMPLATE).render(**context)
    assert ours(folder).get_template("t.html").render(**context) == expected


def test_missing_key_is_still_an_error(tmp_path: Path) -> None:
    (tmp_path / "t.html").write_text("{{ d.missing }}", encoding="utf-8")
    template = make_environment(tmp_path).get_template("t.html")
    with pytest.raises(jinja2.UndefinedError, match="missing"):
        template.render(d={"name": "x"})


def test_escapes_text_and_keeps_markup(tmp_path: Path) -> None:
    (tmp_path / "t.html").write_text("{{ a }} {{ b }} {{ c.v }}", encoding="utf-8")
    template = make_environment(tmp_path).get_template("t.html")
    html = template.render(a="<script>&'\"", b=Markup("<em>x</em>"), c={"v": "<b>"})
    assert html == "&lt;script&gt;&amp;&#39;&#34; <em>x</em> &lt;b&gt;"


# -- Sitemaps ------------------------------------------------------------------------------

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locs(text: str, entry: str) -> list[str]:
    root = ElementTree.fromstring(text.encode("utf-8"))
    return [e.findtext(f"{SITEMAP}loc") or "" for e in root.findall(f"{SITEMAP}{entry}")]


def test_a_small_site_has_one_sitemap_without_the_404_page() -> None:
    files = render_sitemaps(["", "towns/a/", "404.html", "towns/a&b/"], "https://x.org/")
    assert list(files) == ["sitemap.xml"]
    assert locs(files["sitemap.xml"], "url") == [
        "https://x.org/", "https://x.org/towns/a/", "https://x.org/towns/a&b/"]


@pytest.mark.parametrize("pages", [3, 4, 7])
def test_past_the_limit_an_index_lists_sitemaps_of_at_most_the_limit(pages: int) -> None:
    page_urls = [f"towns/t{n}/" for n in range(pages)]
    files = render_sitemaps(page_urls, "https://x.org/zibo/", max_urls=3)
    if pages <= 3:
        assert list(files) == ["sitemap.xml"]
        return
    parts = locs(files["sitemap.xml"], "sitemap")
    assert parts == [f"https://x.org/zibo/sitemap-{n}.xml" for n in range(1, len(files))]
    listed = [locs(files[p.removeprefix("https://x.org/zibo/")], "url") for p in parts]
    assert all(0 < len(chunk) <= 3 for chunk in listed)
    assert [u for chunk in listed for u in chunk] == [f"https://x.org/zibo/{u}" for u in page_urls]


def test_the_limit_is_the_protocols() -> None:
    assert SITEMAP_MAX_URLS == 50_000
