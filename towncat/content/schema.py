"""The JSON Schemas in ``schemas/`` as the single source of truth for content files.

``validate_parsed`` checks parsed YAML against a schema and returns typed plain
data (strings, ints, bools, lists, dicts) with every problem found. It supports
the JSON Schema keywords the shipped schemas use (a test keeps it that way):
type, properties, required, additionalProperties, items, enum, pattern,
minLength, maxLength, minItems, uniqueItems, minimum, maximum, format (date) and
$ref into ``$defs``. ``x-problem`` names the problem code of a failed pattern.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .loader import Parsed, Path_, Plain, Unreadable
from .problems import Problem, format_path

SCHEMA_NAMES = (
    "common",
    "region",
    "town",
    "powers",
    "duties",
    "institutions",
    "thesaurus",
    "editions",
)
SUPPORTED_KEYWORDS = frozenset(
    {
        "$schema",
        "$id",
        "$defs",
        "$ref",
        "title",
        "description",
        "examples",
        "contentMediaType",
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "enum",
        "pattern",
        "minLength",
        "maxLength",
        "minItems",
        "uniqueItems",
        "minimum",
        "maximum",
        "format",
        "x-problem",
    }
)
_INTEGER = re.compile(r"^[-+]?[0-9]+$")
MAX_INTEGER_DIGITS = 18  # every bound in the schemas is far smaller
_BOOLEANS = {
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
_TYPE_NAMES = {
    "string": "文字",
    "integer": "整数",
    "boolean": "true 或 false",
    "array": "列表",
    "object": "映射（键: 值）",
    "null": "空值",
}


@dataclass(frozen=True)
class SchemaSet:
    """All schemas by short name (``town``, ``powers`` …)."""

    schemas: Mapping[str, Mapping[str, Any]]

    def resolve(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        """Follow ``$ref`` (always ``name.schema.json#/$defs/x`` in our schemas)."""
        while "$ref" in node:
            target, _, pointer = node["$ref"].partition("#")
            schema: Mapping[str, Any] = self.schemas[target.removesuffix(".schema.json")]
            for part in pointer.strip("/").split("/"):
                schema = schema[part]
            node = schema
        return node


@cache
def _read_schemas(directory: str) -> SchemaSet:
    schemas = {
        name: json.loads((Path(directory) / f"{name}.schema.json").read_text(encoding="utf-8"))
        for name in SCHEMA_NAMES
    }
    return SchemaSet(schemas)


def load_schemas(directory: Path) -> SchemaSet:
    """The schema files of ``directory``, read once per process."""
    return _read_schemas(str(directory.resolve()))


def validate_parsed(
    schemas: SchemaSet, name: str, parsed: Parsed, source: str
) -> tuple[Any, list[Problem]]:
    """Typed data and the problems of ``parsed`` against schema ``name``."""
    checker = _Checker(schemas, parsed, source)
    value = checker.check(schemas.schemas[name], parsed.value, ())
    return value, checker.problems


class _Checker:
    def __init__(self, schemas: SchemaSet, parsed: Parsed, source: str) -> None:
        self.schemas = schemas
        self.parsed = parsed
        self.source = source
        self.problems: list[Problem] = []

    def report(self, path: Path_, code: str, message: str, *, key: bool = False) -> None:
        line, col = self.parsed.position(path, key=key)
        self.problems.append(Problem(self.source, line, col, code, format_path(path), message))

    def check(self, node: Mapping[str, Any], value: Any, path: Path_) -> Any:
        if isinstance(value, Unreadable):  # its problem is already reported
            return value
        node = self.schemas.resolve(node)
        kind = node.get("type")
        if kind == "object":
            return self.check_object(node, value, path)
        if kind == "array":
            return self.check_array(node, value, path)
        if kind == "string":
            return self.check_string(node, value, path)
        if kind == "integer":
            return self.check_integer(node, value, path)
        if kind == "boolean":
            return self.check_boolean(value, path)
        raise ValueError(f"schema type {kind!r} at {format_path(path)} is not supported")

    def wrong_type(self, expected: str, value: Any, path: Path_) -> None:
        found = _describe(value)
        self.report(path, "wrong-type", f"应为{_TYPE_NAMES[expected]}，实际是{found}")

    def check_object(self, node: Mapping[str, Any], value: Any, path: Path_) -> Any:
        if not isinstance(value, dict):
            self.wrong_type("object", value, path)
            return value
        properties = node.get("properties", {})
        result = {}
        for key, item in value.items():
            if key not in properties:
                self.report(
                    (*path, key), "unknown-key", _unknown_key_message(key, properties), key=True
                )
                continue
            result[key] = self.check(properties[key], item, (*path, key))
        for key in node.get("required", ()):
            if key not in value and not self.maybe_mended(path):
                title = self.schemas.resolve(properties[key]).get("title", "")
                label = properties[key].get("title", title)
                self.report(path, "missing-field", f"缺少必填字段 {key}（{label}）")
        return result

    def maybe_mended(self, path: Path_) -> bool:
        """Whether a line blanked to read past a syntax error may have held part of the
        mapping at ``path`` (then a field it lacks may be on that line)."""
        if not self.parsed.mended:
            return False
        size = len(path)
        lines = [line for p, (line, _) in self.parsed.positions.items() if p[:size] == path]
        lines += [line for p, (line, _) in self.parsed.key_positions.items() if p[:size] == path]
        if not lines:
            return True
        first, last = min(lines), max(lines)
        return any(first <= line <= last + 1 for line in self.parsed.mended)

    def check_array(self, node: Mapping[str, Any], value: Any, path: Path_) -> Any:
        if not isinstance(value, list):
            self.wrong_type("array", value, path)
            return value
        if len(value) < node.get("minItems", 0):
            self.report(path, "empty-list", "列表不能为空，至少需要一项")
        items = node.get("items", {})
        result = [self.check(items, item, (*path, i)) for i, item in enumerate(value)]
        if node.get("uniqueItems"):
            seen: set[str] = set()
            for i, item in enumerate(result):
                marker = json.dumps(item, sort_keys=True, ensure_ascii=False)
                if marker in seen:
                    self.report((*path, i), "duplicate-value", f"与前面的值重复：{_short(item)}")
                seen.add(marker)
        return result

    def check_string(self, node: Mapping[str, Any], value: Any, path: Path_) -> Any:
        if not isinstance(value, str):
            self.wrong_type("string", value, path)
            return value
        text = str(value)
        if "enum" in node and text not in node["enum"]:
            self.report(path, "not-in-enum", _enum_message(text, node["enum"]))
        elif len(text) < node.get("minLength", 0) or not text.strip():
            self.report(path, "empty-value", "值不能为空")
        elif len(text) > node.get("maxLength", 10**9):
            self.report(path, "too-long", f"文字过长：{len(text)} 字，上限 {node['maxLength']} 字")
        elif "pattern" in node and not _pattern(node["pattern"]).fullmatch(text):
            code = node.get("x-problem", "bad-format")
            self.report(path, code, _pattern_message(code, text, node))
        elif node.get("format") == "date" and not _is_iso_date(text):
            self.report(
                path,
                "invalid-date",
                f"“{_short(text)}”不是有效日期，应写作 YYYY-MM-DD，如 2024-03-01",
            )
        return text

    def check_integer(self, node: Mapping[str, Any], value: Any, path: Path_) -> Any:
        if not (isinstance(value, Plain) and _INTEGER.match(value)):
            hint = "（不要加引号）" if isinstance(value, str) and _INTEGER.match(value) else ""
            self.wrong_type("integer", value, path)
            if hint:
                self.problems[-1] = _append(self.problems[-1], hint)
            return value
        low, high = node.get("minimum"), node.get("maximum")
        digits = value.lstrip("+-").lstrip("0")
        if len(digits) > MAX_INTEGER_DIGITS:  # int() of thousands of digits is slow or refused
            self.report(path, "out-of-range", f"数值有 {len(digits)} 位，超出范围 {low}–{high}")
            return value
        number = int(value)
        if (low is not None and number < low) or (high is not None and number > high):
            self.report(path, "out-of-range", _range_message(number, low, high))
        return number

    def check_boolean(self, value: Any, path: Path_) -> Any:
        if isinstance(value, Plain) and value in _BOOLEANS:
            return _BOOLEANS[value]
        self.wrong_type("boolean", value, path)
        return value


@cache
def _pattern(source: str) -> re.Pattern[str]:
    """Our patterns are anchored; matched whole (no trailing newline) and with ASCII digits."""
    return re.compile(source, re.ASCII)


def _range_message(number: int, low: int | None, high: int | None) -> str:
    if high is None:
        return f"数值 {number} 太小：至少为 {low}"
    if low is None:
        return f"数值 {number} 太大：至多为 {high}"
    return f"数值 {number} 超出范围 {low}–{high}"


def _append(problem: Problem, text: str) -> Problem:
    return Problem(
        problem.file,
        problem.line,
        problem.column,
        problem.code,
        problem.path,
        problem.message + text,
    )


def _describe(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, dict):
        return "映射"
    if isinstance(value, list):
        return "列表"
    return f"“{_short(str(value))}”"


def _short(value: Any, limit: int = 40) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "…"


def _is_iso_date(text: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _unknown_key_message(key: str, properties: Mapping[str, Any]) -> str:
    message = f"未知字段 {key}"
    by_title = {p.get("title"): name for name, p in properties.items() if p.get("title")}
    if key in by_title:
        return message + f"；中文“{key}”对应的字段名是 {by_title[key]}"
    close = difflib.get_close_matches(key.lower(), list(properties), n=1, cutoff=0.6)
    if close:
        return message + f"；是否想写 {close[0]}？"
    return message + "；允许的字段：" + "、".join(properties)


def _enum_message(text: str, allowed: list[str]) -> str:
    message = f"“{_short(text)}”不是允许的取值；可选：" + "、".join(allowed)
    close = difflib.get_close_matches(text, allowed, n=1, cutoff=0.5)
    return message + (f"。是否想写“{close[0]}”？" if close else "")


def _pattern_message(code: str, text: str, node: Mapping[str, Any]) -> str:
    hints = {
        "invalid-id": "只能用小写英文字母、数字和单个连字符，如 cf-0012",
        "invalid-phone": "应为区号加号码（如 0533-8181234）、手机号或 12345 这类短号",
        "invalid-url": "只允许 http://、https://、mailto: 或 tel: 开头的完整网址",
        "invalid-nbs-code": "应为 12 位数字的统计用区划代码，如 370321105000（请加引号）",
        "insecure-url": "网上办理地址只能是 https:// 开头的完整网址",
    }
    example = node.get("examples", [None])[0]
    fallback = f"格式应如 {example}" if example else "格式不对"
    return f"“{_short(text)}”：{hints.get(code, fallback)}"
