"""Markdown in descriptive fields: one configured pipeline, raw HTML off, output sanitised.

Raw HTML typed by an editor is shown as text, not interpreted; the HTML that
Markdown produces is then cleaned with nh3 so that only a small set of tags and
http/https/mailto/tel links survive.
"""

from __future__ import annotations

import re
from functools import lru_cache

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


# One line with no character Markdown or HTML gives a meaning to (ASCII punctuation,
# control characters, any whitespace but single inner spaces): its HTML is one paragraph
# of the text as it is. Most descriptions in real catalogues are plain Chinese sentences.
_PLAIN_CHARS = r"[^\s\x00-\x20\x7f\\`*_{}\[\]<>()#+\-.!|&~=:/@'\"$%^;,?]+"
_PLAIN_LINE = re.compile(f"{_PLAIN_CHARS}(?: {_PLAIN_CHARS})*")


# A numbered list of such lines ("1. 按要求报送……；" on each line), the usual form of a
# duty's content: one ``ol`` that starts at the first number, one ``li`` per line.
_LIST_LINE = re.compile(f"(0|[1-9][0-9]{{0,8}})\\. ({_PLAIN_CHARS}(?: {_PLAIN_CHARS})*)")
# A quoted note: "> 遇有紧急情况……" on one line.
_QUOTE_LINE = re.compile(f"> ({_PLAIN_CHARS}(?: {_PLAIN_CHARS})*)")


def render_markdown(text: str) -> Markup:
    """Safe HTML for ``text``; headings are shifted down so a page keeps one ``h1``.
    Text made only of plain paragraphs, numbered lists and one-line quotes, separated by
    single blank lines, takes a shortcut that gives what the full pipeline gives (tested),
    several times faster; anything else goes through the full pipeline."""
    if _PLAIN_LINE.fullmatch(text):
        return Markup(f"<p>{text}</p>")
    return _simple_blocks(text) or _render(text)


def _simple_blocks(text: str) -> Markup | None:
    html, previous = [], ""
    for block in text.split("\n\n"):
        if _PLAIN_LINE.fullmatch(block):
            kind, part = "p", f"<p>{block}</p>"
        elif quote := _QUOTE_LINE.fullmatch(block):
            kind, part = "quote", f"<blockquote>\n<p>{quote.group(1)}</p>\n</blockquote>"
        elif items := _numbered_list(block):
            kind, part = "ol", items
        else:
            return None
        if kind == previous != "p":  # two lists or two quotes in a row are joined: not simple
            return None
        html.append(part)
        previous = kind
    return Markup("\n".join(html))


def _numbered_list(block: str) -> str | None:
    items: list[str] = []
    start = ""
    for line in block.split("\n"):
        match = _LIST_LINE.fullmatch(line)
        if match is None:
            return None
        if not items:
            start = "" if match.group(1) == "1" else f' start="{match.group(1)}"'
        items.append(f"<li>{match.group(2)}</li>\n")
    return f"<ol{start}>\n{''.join(items)}</ol>"


@lru_cache(maxsize=4096)
def _render(text: str) -> Markup:
    """The full pipeline; catalogues repeat the same texts across towns, so it is cached."""
    html = _CONVERTER.reset().convert(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)
