"""Strict YAML loading that keeps every scalar as written and every position.

``parse_yaml`` builds plain data from libyaml's event stream (the C parser), so
no YAML 1.1 resolution happens: ``05331234567``, ``no`` and ``12:30`` stay the
strings the editor typed. Unquoted scalars come back as ``Plain`` (a ``str``),
so the schema can accept ``true`` or ``12`` where it wants a boolean or a number.
Anchors, aliases, tags, duplicate keys, several documents, tab indentation and
invisible characters are problems, reported with line and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem, format_path
from .slips import find_slips, split_lines

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 16
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

Path_ = tuple[str | int, ...]
Position = tuple[int, int]


class Plain(str):
    """A scalar written without quotes (so ``true`` or ``12`` may be typed values)."""

    __slots__ = ()


class Unreadable:
    """A value that a reported problem kept from being read (an alias, too deep a
    nesting): the schema passes it by, so that one mistake is reported once."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNREADABLE"


UNREADABLE = Unreadable()


@dataclass
class Parsed:
    """What one file held: plain data, the position of every value, and problems."""

    value: Any
    positions: dict[Path_, Position] = field(default_factory=dict)
    key_positions: dict[Path_, Position] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    schema_line: str | None = None  # the ``$schema=`` target of the first comment lines
    mended: set[int] = field(default_factory=set)  # lines blanked to read past a syntax error

    def position(self, path: Path_, *, key: bool = False) -> Position:
        """Where ``path``'s value (or with ``key``, its key) starts, else its nearest ancestor."""
        if key and path in self.key_positions:
            return self.key_positions[path]
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))


_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f"
_NEL = "\x85"
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_SEP = "\u2028\u2029"
_BAD_CHARS = re.compile(
    f"(?P<control>[{_CONTROL}])|(?P<nel>{_NEL})|(?P<bidi>[{_BIDI}])|(?P<sep>[{_SEP}])"
)
# The same characters in one class: a clean file (the usual case) is found clean ten
# times faster than by the alternation, which names the kind of each character found.
_ANY_BAD_CHAR = re.compile(f"[{_CONTROL}{_NEL}{_BIDI}{_SEP}]")
_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)
_SCHEMA_LINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(\S+)", re.MULTILINE)


def decode_bytes(raw: bytes, source_name: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text without a BOM, or a problem saying why not (and if it looks like GBK)."""
    if len(raw) > MAX_FILE_BYTES:
        msg = f"文件大小 {len(raw)} 字节，超过上限 {MAX_FILE_BYTES} 字节；请拆分文件"
        return None, [Problem(source_name, 0, 0, "file-too-large", "", msg)]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        line_start = raw.rfind(b"\n", 0, err.start) + 1
        column = len(raw[line_start : err.start].decode("utf-8", "replace")) + 1
        hint = "文件不是 UTF-8 编码"
        try:
            raw.decode("gb18030")
            hint += "，看起来是 GBK/GB18030 编码；请在编辑器中“另存为 UTF-8”"
        except UnicodeDecodeError:
            hint += "；请在编辑器中“另存为 UTF-8”"
        return None, [Problem(source_name, line, column, "not-utf8", "", hint)]


_BREAK = re.compile(r"\r\n|\r|\n")


def _line_col(text: str, offset: int) -> Position:
    """1-based line and column of ``offset``; CRLF, CR and LF each end a line, as in YAML."""
    line, start = 1, 0
    for match in _BREAK.finditer(text, 0, offset):
        line, start = line + 1, match.end()
    return line, offset - start + 1


def find_text_problems(text: str, source_name: str) -> list[Problem]:
    """Characters and indentation that must not be in a content file."""
    problems = []
    messages = {
        "control": ("control-character", "含有不可见的控制字符 U+{:04X}，请删除"),
        "nel": ("control-character", "含有不可见的换行控制字符 U+{:04X}，请删除"),
        "bidi": ("bidi-character", "含有双向文字控制字符 U+{:04X}，可能让显示与内容不一致，请删除"),
        "sep": ("line-separator", "含有 Unicode 分隔符 U+{:04X}，请改为普通换行"),
    }
    for match in _BAD_CHARS.finditer(text) if _ANY_BAD_CHAR.search(text) else ():
        code, message = messages[match.lastgroup or "control"]
        line, col = _line_col(text, match.start())
        problems.append(
            Problem(source_name, line, col, code, "", message.format(ord(match.group())))
        )
    for match in _TAB_INDENT.finditer(text) if "\t" in text else ():
        line, col = _line_col(text, match.end() - 1)
        problems.append(
            Problem(source_name, line, col, "tab-indent", "", "缩进中有 Tab 字符，请改用空格")
        )
    return problems


def parse_yaml(text: str, source_name: str, *, positions: bool = True) -> Parsed:
    """Parse one YAML document strictly. Never raises on bad input.

    Every problem of the file is reported in one run: bad characters and tab indents
    are reported and blanked, common slips are reported and mended (see ``slips``),
    and each syntax error is reported and its line blanked before parsing again, so
    the rest of the file is still read. ``Parsed.mended`` says which lines were blanked.
    """
    text = text.removeprefix("\ufeff")
    schema = _SCHEMA_LINE.search(text[:2000])
    parsed = Parsed(None, schema_line=schema.group(1) if schema else None)
    parsed.problems.extend(find_text_problems(text, source_name))
    if parsed.problems:
        text = _blank_bad_characters(text)
    mended = find_slips(text, source_name)
    parsed.problems.extend(mended.problems)
    events = _parse_events(mended.text, source_name, parsed)
    if events is not None:
        _Builder(events, source_name, parsed, positions).build()
    parsed.problems.sort()
    return parsed


def _blank_bad_characters(text: str) -> str:
    """``text`` without the characters ``find_text_problems`` reports, for reading on."""
    text = _ANY_BAD_CHAR.sub(" ", text)
    return _TAB_INDENT.sub(lambda m: m.group().replace("\t", ""), text)


MAX_SYNTAX_ERRORS = 50


def _parse_events(text: str, source_name: str, parsed: Parsed) -> list[yaml.Event] | None:
    """libyaml's events for ``text``; each syntax error is reported and its line mended."""
    lines: list[str] | None = None  # split only when there is something to mend
    for _ in range(MAX_SYNTAX_ERRORS):
        try:
            source = text if lines is None else "".join(lines)
            return list(yaml.parse(source, Loader=yaml.CSafeLoader))
        except yaml.MarkedYAMLError as err:
            lines = split_lines(text) if lines is None else lines
            line, col, message, mend = _syntax_error(err, lines)
            if any(p.line == line and p.column == col for p in parsed.problems):
                return None  # mending did not help: stop rather than repeat ourselves
            parsed.problems.append(Problem(source_name, line, col, "yaml-syntax", "", message))
            blanked = mend(lines)
            if blanked is None:
                return None
            if blanked:
                parsed.mended.add(blanked)
        except yaml.YAMLError as err:  # reader errors carry no mark
            message = f"YAML 读取错误：{err}"
            parsed.problems.append(Problem(source_name, 0, 0, "yaml-syntax", "", message))
            return None
    return None


_PROBLEMS_ZH = {
    "mapping values are not allowed": "这里不能出现“键: 值”（常见原因：缩进多了或少了，或值中含有“: ”却没加引号）",
    "could not find expected ':'": "找不到键名后的冒号“: ”（常见原因：冒号写成了全角“：”或冒号后缺少空格）",
    "did not find expected '-' indicator": "列表项应以“- ”开头，且与同一列表的其他项对齐",
    "did not find expected key": "缩进不对：这一行与上一层的键没有对齐",
    "found character that cannot start any token": "这个字符不能作为值的开头；请给整个值加引号",
    "found unexpected end of stream": "文件提前结束",
    "did not find expected node content": "缺少值",
    "found undefined tag handle": "使用了未定义的标签",
}


def _syntax_error(
    err: yaml.MarkedYAMLError, lines: list[str]
) -> tuple[int, int, str, Callable[[list[str]], int | None]]:
    """Where ``err`` really is, a Chinese message, and how to mend ``lines`` to read on."""
    problem = err.problem or ""
    context = err.context or ""
    mark = err.problem_mark or err.context_mark
    if "quoted scalar" in context and err.context_mark is not None:
        mark = err.context_mark  # an unclosed quote: where it opens, not where the file ends
        quote = lines[mark.line][mark.column] if mark.column < len(lines[mark.line]) else '"'
        line, col = mark.line + 1, mark.column + 1
        message = f"引号 {quote} 没有闭合：请在这一行的值末尾补上 {quote}"
        return line, col, "YAML 语法错误：" + message, _close_quote(mark.line, quote)
    if "simple key" in context and err.context_mark is not None:
        mark = err.context_mark  # the line that lacks its colon, not the one after it
    line, col = (mark.line + 1, mark.column + 1) if mark else (len(lines), 1)
    detail = next((zh for en, zh in _PROBLEMS_ZH.items() if problem.startswith(en)), "")
    detail = (
        detail
        or f"{context + '，' if context else ''}{problem}（检查缩进、冒号后的空格和引号是否成对）"
    )
    other = err.context_mark.line if err.context_mark else line - 1
    return line, col, "YAML 语法错误：" + detail, _blank_line(line - 1, other)


def _close_quote(index: int, quote: str) -> Callable[[list[str]], int | None]:
    def mend(lines: list[str]) -> int | None:
        body = lines[index].rstrip("\r\n")
        lines[index] = body + quote + lines[index][len(body) :]
        return 0

    return mend


def _blank_line(*indexes: int) -> Callable[[list[str]], int | None]:
    """Blank the first of ``indexes`` that has text left and say which line (1-based)
    that was; None when none has."""

    def mend(lines: list[str]) -> int | None:
        for index in indexes:
            if not 0 <= index < len(lines):
                continue
            body = lines[index].rstrip("\r\n")
            if body.strip():
                lines[index] = lines[index][len(body) :]
                return index + 1
        return None

    return mend


def parse_mapping(raw: bytes, source_name: str) -> dict[str, Any] | None:
    """A file's top-level mapping when it reads without any problem, else None
    (for historical versions, which are used when they parse and skipped otherwise)."""
    text, _ = decode_bytes(raw, source_name)
    if text is None:
        return None
    parsed = parse_yaml(text, source_name, positions=False)
    return parsed.value if not parsed.problems and isinstance(parsed.value, dict) else None


def load_yaml_file(path: Path, source_name: str, *, positions: bool = True) -> Parsed:
    """Read ``path`` and parse it; ``source_name`` is how problems name the file. Without
    ``positions`` only the loader's own problems say where they are (see ``parse_yaml``)."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        message = f"无法读取文件：{err.strerror}"
        return Parsed(None, problems=[Problem(source_name, 0, 0, "not-utf8", "", message)])
    text, problems = decode_bytes(raw, source_name)
    if text is None:
        return Parsed(None, problems=problems)
    return parse_yaml(text, source_name, positions=positions)


def _mark(event: yaml.Event) -> Position:
    """1-based (line, column) where ``event`` starts; libyaml always sets the mark."""
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


class _Builder:
    """Turns a libyaml event list into plain data, recording positions and problems."""

    def __init__(
        self, events: list[yaml.Event], source_name: str, parsed: Parsed, positions: bool
    ) -> None:
        self.events = events
        self.index = 0
        self.source = source_name
        self.parsed = parsed
        self.too_deep_reported = False
        self.record = positions  # False for historical versions: nobody asks where things are

    def problem(self, event: yaml.Event, code: str, path: Path_, message: str) -> None:
        line, column = _mark(event)
        self.parsed.problems.append(
            Problem(self.source, line, column, code, format_path(path), message)
        )

    def build(self) -> None:
        documents = [e for e in self.events if isinstance(e, yaml.DocumentStartEvent)]
        if not documents:
            self.parsed.problems.append(
                Problem(self.source, 1, 1, "empty-file", "", "文件为空，没有任何内容")
            )
            return
        for extra in documents[1:]:
            self.parsed.mended.add(_mark(extra)[0])  # what follows it is not read
            self.problem(
                extra, "multiple-documents", (), "文件中有第二个 YAML 文档（---），请删除或拆分"
            )
        self.index = self.events.index(documents[0]) + 1
        self.parsed.value = self.node((), 0)

    def node(self, path: Path_, depth: int) -> Any:
        event = self.events[self.index]
        self.index += 1
        if isinstance(event, yaml.AliasEvent):
            self.problem(
                event,
                "anchor-alias",
                path,
                f"使用了别名 *{event.anchor}，请直接写出内容；如果这是以“*”开头的文字，"
                f"请给整个值加引号",
            )
            return UNREADABLE
        if self.record:
            self.parsed.positions[path] = _mark(event)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self.problem(
                event,
                "anchor-alias",
                path,
                f"使用了锚点 &{anchor}，请删除；如果这是以“&”开头的文字，请给整个值加引号",
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self.problem(event, "tag", path, f"使用了标签 {shown}，请删除；需要文字时请加引号")
        if depth > MAX_DEPTH:
            if not self.too_deep_reported:
                self.too_deep_reported = True
                self.problem(event, "too-deep", path, f"嵌套超过 {MAX_DEPTH} 层，请简化结构")
            if isinstance(event, yaml.CollectionStartEvent):
                self.skip_collection()
            return UNREADABLE
        if isinstance(event, yaml.ScalarEvent):
            if event.style is None or event.style == "":
                return None if event.value in _NULLS else Plain(event.value)
            return event.value
        if isinstance(event, yaml.SequenceStartEvent):
            return self.sequence(path, depth)
        if isinstance(event, yaml.MappingStartEvent):
            return self.mapping(path, depth)
        raise AssertionError(f"unexpected YAML event {event!r}")  # libyaml guarantees order

    def skip_collection(self) -> None:
        """Step over the rest of a collection without recursion (it is too deep to build)."""
        open_collections = 1
        while open_collections:
            event = self.events[self.index]
            self.index += 1
            if isinstance(event, yaml.CollectionStartEvent):
                open_collections += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                open_collections -= 1

    def sequence(self, path: Path_, depth: int) -> list[Any]:
        items: list[Any] = []
        while not isinstance(self.events[self.index], yaml.SequenceEndEvent):
            items.append(self.node((*path, len(items)), depth + 1))
        self.index += 1
        return items

    def mapping(self, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while not isinstance(self.events[self.index], yaml.MappingEndEvent):
            key_event = self.events[self.index]
            if not isinstance(key_event, yaml.ScalarEvent):
                self.problem(key_event, "bad-key", path, "键名必须是普通文字，不能是列表或映射")
                self.node((*path, "?"), depth + 1)
                self.node((*path, "?"), depth + 1)
                continue
            self.index += 1
            key = key_event.value
            if self.record:
                self.parsed.key_positions[(*path, key)] = _mark(key_event)
            if key_event.anchor is not None:
                self.problem(
                    key_event,
                    "anchor-alias",
                    (*path, key),
                    f"键名上使用了锚点 &{key_event.anchor}，请删除",
                )
            if key_event.tag is not None:
                self.problem(key_event, "tag", (*path, key), "键名上不能使用标签，请删除")
            if key in result:
                self.problem(
                    key_event,
                    "duplicate-key",
                    (*path, key),
                    f"键 {key} 在同一层级重复出现，后一个会覆盖前一个；请删除或合并",
                )
                self.node((*path, key, "(duplicate)"), depth + 1)
                continue
            result[key] = self.node((*path, key), depth + 1)
        self.index += 1
        return result
