"""The print footer's text (templates/print.html): what it says, the optional edition
label (the hook for editions), and values that cannot break out of their CSS string."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from gitsite import SNAPSHOT, build_history_site

from towncat.site.render import css_string, make_environment

REPO = Path(__file__).resolve().parent.parent
COLOPHON = {
    "title": "赋权事项清单",
    "town": "桓台县马桥镇",
    "as_of": "2024-05-01",
    "edition": None,
    "line": "赋权事项清单 · 桓台县马桥镇 · 数据截至 2024-05-01",
}
PERMALINK = "https://qingdan.example.test/towns/maqiao/powers/"


def render(macro: str, edition: str | None) -> str:
    module = make_environment(REPO / "templates").get_template("print.html").module
    return str(getattr(module, macro)(COLOPHON, PERMALINK, edition))


def test_footer_shows_the_edition_only_when_given() -> None:
    plain = render("print_colophon", None)
    assert "赋权事项清单 · 桓台县马桥镇 · 数据截至 2024-05-01" in plain
    assert PERMALINK in plain and "版本" not in plain
    assert "版本：2024年版" in render("print_colophon", "2024年版")
    assert "--print-edition" not in render("print_style", None)
    style = html.unescape(render("print_style", "2024年版"))
    assert '--print-edition: " · 版本：2024年版"' in style
    assert '--print-footer: "赋权事项清单 · 桓台县马桥镇 · 数据截至 2024-05-01"' in style


@pytest.mark.parametrize(
    "hostile", ['"; } body { display: none } "', 'a\\"b', "x\n}", "</style><script>", "'"]
)
def test_css_strings_cannot_be_ended_by_their_value(hostile: str) -> None:
    text = css_string(hostile)
    inner = text[1:-1]
    assert text.startswith('"') and text.endswith('"')
    assert not set(inner) & set("\"';{}<>\n"), inner
    assert re.fullmatch(r'"(?:[^"\\]|\\[0-9a-f]+ )*"', text), text


def test_an_edition_snapshot_prints_its_edition(tmp_path: Path) -> None:
    _, site = build_history_site(tmp_path)
    page = html.unescape((site / SNAPSHOT / "index.html").read_text(encoding="utf-8"))
    assert '--print-edition: " · 版本：2024"' in page
    assert "桓台县甲镇 · 版本：2024 · 数据截至 2024-01-01</p>" in page  # the edition's date
