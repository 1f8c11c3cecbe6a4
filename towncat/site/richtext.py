"""Markdown in descriptive fields: one configured pipeline, raw HTML off, output sanitised.

Raw HTML typed by an editor is shown as text, not interpreted; the HTML that
Markdown produces is then cleaned with nh3 so that only a small set of tags and
http/https/mailto/tel links survive.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape

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


# Inline text: plain runs, code spans (`0533-1234567`) and strong runs (**示例**), with
# single spaces between them; its HTML is the text with those two turned into tags. A
# segment is atomic: a plain run is never split in two, so a line that does not match
# fails at once instead of trying every split (exponential in its length).
_CODE_SPAN = r"`([^`\s\\<>&*_]+)`(?!`)"
_STRONG_SPAN = f"\\*\\*({_PLAIN_CHARS}(?: {_PLAIN_CHARS})*)\\*\\*"
_SEGMENT = f"(?>{_PLAIN_CHARS}|{_CODE_SPAN}|{_STRONG_SPAN})"
_INLINE = f"{_SEGMENT}(?: ?{_SEGMENT})*"
_INLINE_LINE = re.compile(_INLINE)
_CODE = re.compile(_CODE_SPAN)
_STRONG = re.compile(_STRONG_SPAN)

# Lines of a numbered list ("1. 按要求报送……；", the usual form of a duty's content: one
# ``ol`` that starts at the first number), of a bulleted list ("- 请携带身份证件原件；")
# and a quoted note ("> 遇有紧急情况……") on one line.
_NUMBERED_LINE = re.compile(f"(0|[1-9][0-9]{{0,8}})\\. ({_INLINE})")
_BULLET_LINE = re.compile(f"- ({_INLINE})")
_QUOTE_LINE = re.compile(f"> ({_INLINE})")


def render_markdown(text: str) -> Markup:
    """Safe HTML for ``text``; headings are shifted down so a page keeps one ``h1``.
    Text made only of paragraphs, lists and one-line quotes of inline text, separated by
    single blank lines, takes a shortcut that gives what the full pipeline gives (tested),
    several times faster; anything else goes through the full pipeline."""
    if _PLAIN_LINE.fullmatch(text):
        return Markup(f"<p>{text}</p>")
    return _simple_blocks(text) or _render(text)


def _inline(text: str) -> str:
    if "`" in text:
        text = _CODE.sub(r"<code>\1</code>", text)
    if "*" in text:
        text = _STRONG.sub(r"<strong>\1</strong>", text)
    return text


def _simple_blocks(text: str) -> Markup | None:
    html, previous = [], ""
    for block in text.split("\n\n"):
        if _INLINE_LINE.fullmatch(block):
            kind, part = "p", f"<p>{_inline(block)}</p>"
        elif quote := _QUOTE_LINE.fullmatch(block):
            kind, part = "quote", f"<blockquote>\n<p>{_inline(quote.group(1))}</p>\n</blockquote>"
        elif items := _numbered_list(block):
            kind, part = "ol", items
        elif items := _bulleted_list(block):
            kind, part = "ul", items
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
        match = _NUMBERED_LINE.fullmatch(line)
        if match is None:
            return None
        if not items:
            start = "" if match.group(1) == "1" else f' start="{match.group(1)}"'
        items.append(f"<li>{_inline(match.group(2))}</li>\n")
    return f"<ol{start}>\n{''.join(items)}</ol>"


def _bulleted_list(block: str) -> str | None:
    items: list[str] = []
    for line in block.split("\n"):
        match = _BULLET_LINE.fullmatch(line)
        if match is None:
            return None
        items.append(f"<li>{_inline(match.group(1))}</li>\n")
    return f"<ul>\n{''.join(items)}</ul>"


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


def plain_text(text: str) -> str:
    """Markdown as the plain text a reader sees: markup rendered, then every tag dropped."""
    html = str(render_markdown(text))
    return " ".join(unescape(nh3.clean(html, tags=set())).split())
