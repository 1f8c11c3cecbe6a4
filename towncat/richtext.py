"""Markdown in descriptive fields: one configured pipeline, raw HTML off, output sanitised.

Raw HTML typed by an editor is shown as text, not interpreted; the HTML that
Markdown produces is then cleaned with nh3 so that only a small set of tags and
http/https/mailto/tel links survive.
"""

from __future__ import annotations

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p",
    "br",
    "ol",
    "ul",
    "li",
    "strong",
    "em",
    "code",
    "a",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "h3",
    "h4",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def _converter() -> markdown.Markdown:
    converter = markdown.Markdown(
        extensions=["nl2br", "sane_lists", "tables", "toc"],
        extension_configs={"toc": {"baselevel": 3}},
        output_format="html",
    )
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    setattr(converter, "lazy_ol", False)  # noqa: B010 - keep the numbering: "3." starts at 3
    return converter


_CONVERTER = _converter()


def render_markdown(text: str) -> Markup:
    """Safe HTML for ``text``; headings are shifted down so a page keeps one ``h1``."""
    html = _CONVERTER.reset().convert(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)
