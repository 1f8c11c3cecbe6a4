"""Common YAML slips of editors who type Chinese, found and mended line by line.

A full-width colon or comma, a missing space after ``-`` or ``:``, a value starting
with ``@`` or a backtick: libyaml either rejects such a line with an English message
one line late, or reads it as something else. ``find_slips`` names each slip where it
is, in Chinese, and returns the text with each slip mended on its own line (the
number of lines never changes), so that parsing can go on and find every other
problem of the file in the same run. Lines inside block scalars (``|``, ``>``) and
comments are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .problems import Problem

_BREAK = re.compile(r"(\r\n|\r|\n)")
_KEY = r"[A-Za-z_][A-Za-z0-9_]*"
_LEAD = r"^(?P<lead>[ ]*(?:-[ ]+)*)"
_FULLWIDTH_COLON = re.compile(rf"{_LEAD}(?P<key>{_KEY})[ ]*(?P<colon>：)")
_MISSING_SPACE_COLON = re.compile(rf"{_LEAD}(?P<key>{_KEY}):(?P<next>[^\s:/])")
_MISSING_SPACE_DASH = re.compile(r"^(?P<lead>[ ]*)-(?P<next>[^\s\-0-9.])")
_INDICATOR = re.compile(rf"{_LEAD}(?:(?P<key>{_KEY}):[ ]+)?(?P<char>[@`])")
_FLOW = re.compile(rf"{_LEAD}(?:{_KEY}:[ ]+)?\[(?P<body>[^\]]*)\][ ]*$")
_BLOCK_START = re.compile(r"(?:^|[ ])[|>][-+0-9]*[ ]*(?:#.*)?$")
_NOT_KEYS = frozenset({"http", "https", "mailto", "tel", "ftp"})
# Signs that a text may hold a slip, each led by a literal so that a clean file (the
# usual case) is passed by in a fraction of the time the line patterns would take.
_SIGNS = (
    re.compile(r"：(?<=[A-Za-z_ ]：)"),
    re.compile(r":(?<=[A-Za-z_]:)[^\s:/]"),
    re.compile(r"\n[ ]*-[^\s\-0-9.]"),
    re.compile(r"\[[^\]\n]*，"),
)


def _may_slip(text: str) -> bool:
    return (
        text.lstrip(" ").startswith(("-", "@", "`"))
        or any(sign.search(text) for sign in _SIGNS)
        or any(_starts_value(text, at) for char in "@`" for at in _find_all(text, char))
    )


def _find_all(text: str, char: str) -> Iterator[int]:
    at = text.find(char)
    while at != -1:
        yield at
        at = text.find(char, at + 1)


def _starts_value(text: str, at: int) -> bool:
    """Whether the ``@`` or backtick at ``at`` may start a value (not sit inside text)."""
    before = text[max(0, at - 2) : at]
    return before in (": ", "- ") or before.endswith("\n") or before.strip(" ") == ""


@dataclass(frozen=True)
class Mended:
    """The text to parse and the slips found; ``text`` has as many lines as the input."""

    text: str
    problems: list[Problem]


def split_lines(text: str) -> list[str]:
    """Lines with their breaks kept; CRLF, CR and LF each end a line, as in YAML."""
    parts = _BREAK.split(text)
    lines = [
        parts[i] + (parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)
    ]
    return lines if lines[-1] else lines[:-1]


def find_slips(text: str, source_name: str) -> Mended:
    """Every slip of ``text`` as a problem, and the text with each one mended."""
    if not _may_slip(text):
        return Mended(text, [])
    lines = split_lines(text)
    problems: list[Problem] = []
    block_indent: int | None = None
    for number, raw in enumerate(lines, start=1):
        body = raw.rstrip("\r\n")
        indent = len(body) - len(body.lstrip(" "))
        if block_indent is not None:
            if not body.strip() or indent > block_indent:
                continue
            block_indent = None
        if body.lstrip().startswith("#") or body.startswith("---"):
            continue
        mended, found = _mend_line(body, number, source_name)
        problems += found
        lines[number - 1] = mended + raw[len(body) :]
        if _BLOCK_START.search(mended.split(" #")[0] if " #" in mended else mended):
            block_indent = indent
    return Mended("".join(lines), problems)


def _mend_line(line: str, number: int, source: str) -> tuple[str, list[Problem]]:
    problems: list[Problem] = []

    def report(column: int, code: str, message: str) -> None:
        problems.append(Problem(source, number, column, code, "", message))

    match = _FULLWIDTH_COLON.match(line)
    if match:
        at = match.start("colon")
        report(
            at + 1,
            "fullwidth-colon",
            f"“{match['key']}”后面用了全角冒号“：”；YAML 的键名后要用英文冒号加空格，写作“{match['key']}: ”",
        )
        line = line[:at] + ": " + line[at + 1 :].lstrip(" ")
    match = _MISSING_SPACE_DASH.match(line)
    if match:
        at = match.start("next") - 1
        report(at + 1, "missing-space", "列表项的“-”后面缺少空格，应写作“- ”")
        line = line[: at + 1] + " " + line[at + 1 :]
    match = _MISSING_SPACE_COLON.match(line)
    if match and match["key"] not in _NOT_KEYS:
        at = match.start("next") - 1
        report(
            at + 1,
            "missing-space",
            f"“{match['key']}:”的冒号后面缺少空格，应写作“{match['key']}: ”",
        )
        line = line[: at + 1] + " " + line[at + 1 :]
    match = _INDICATOR.match(line)
    if match:
        at = match.start("char")
        value = line[at:].rstrip()
        report(
            at + 1,
            "needs-quotes",
            f"以“{match['char']}”开头的值必须加引号，如 '{_clip(value)}'",
        )
        line = line[:at] + "'" + value.replace("'", "''") + "'"
    match = _FLOW.match(line)
    if match and "，" in match["body"] and "," not in match["body"]:
        at = match.start("body") + match["body"].index("，")
        report(
            at + 1, "fullwidth-comma", "方括号列表中用了全角逗号“，”；各项之间要用英文逗号“,”分隔"
        )
        line = (
            line[: match.start("body")]
            + match["body"].replace("，", ", ")
            + line[match.end("body") :]
        )
    return line, problems


def _clip(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
