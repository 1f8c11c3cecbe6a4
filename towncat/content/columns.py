"""Spreadsheet columns of each list, derived from the JSON Schemas (one mapping for
import and export): Chinese headers from the schema ``title``s, and how each cell
holds its value.

A scalar field is one column; a field of an object (``time_limit.legal``) is a column
headed ``办理时限·法定时限``; a list of text is one cell, one entry a line; a list of
legal bases is one cell, one ``《法律》条款`` a line; a list of records
(``county_departments``) is one cell, one record a line with its fields separated by
``｜`` in schema order. ``encode_item`` and ``decode_cells`` are inverse for every
value a cell can hold (a tested property).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .schema import SchemaSet

Cell = str | int | None
SEPARATOR = "｜"
_LAW = re.compile(r"\s*(《[^《》]+》)\s*(.*)")
_KEYWORD_SPLIT = re.compile(r"[\n、，,；;]+")
_LINE_SPLIT = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Column:
    """One spreadsheet column: its Chinese header, where its value goes, and how."""

    header: str
    path: tuple[str, ...]  # ("name",) or ("time_limit", "legal")
    codec: str  # text, integer, lines, words, basis, records
    enum: tuple[str, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()  # records: (key, codec) in order
    required: bool = False


def list_columns(schemas: SchemaSet, kind: str) -> list[Column]:
    """The columns of list ``kind`` (powers, duties or institutions), in schema order."""
    items = schemas.resolve(schemas.schemas[kind]["properties"][kind]["items"])
    required = set(items.get("required", ()))
    columns: list[Column] = []
    for key, node in items["properties"].items():
        columns += _columns(schemas, node, (key,), "", key in required)
    return columns


def _title(schemas: SchemaSet, node: Mapping[str, Any], fallback: str) -> str:
    return str(node.get("title") or schemas.resolve(node).get("title") or fallback)


def _columns(
    schemas: SchemaSet, node: Mapping[str, Any], path: tuple[str, ...], prefix: str, required: bool
) -> Iterator[Column]:
    resolved = schemas.resolve(node)
    header = prefix + _title(schemas, node, path[-1])
    kind = resolved.get("type")
    if kind == "object":
        for key, child in resolved.get("properties", {}).items():
            yield from _columns(schemas, child, (*path, key), header + "·", False)
        return
    if kind == "integer":
        yield Column(header, path, "integer", required=required)
    elif kind == "array":
        item = schemas.resolve(resolved.get("items", {}))
        if item.get("type") != "object":
            codec = "words" if path[-1] == "keywords" else "lines"
            yield Column(header, path, codec, required=required)
        elif set(item.get("properties", {})) >= {"law"} and "article" in item["properties"]:
            yield Column(header, path, "basis", required=required)
        else:
            fields = tuple(
                (key, "integer" if schemas.resolve(child).get("type") == "integer" else "text")
                for key, child in item.get("properties", {}).items()
            )
            yield Column(header, path, "records", fields=fields, required=required)
    else:
        yield Column(header, path, "text", tuple(resolved.get("enum", ())), required=required)


# -- encoding an item as cells


def encode_item(item: Mapping[str, Any], columns: Sequence[Column]) -> list[Cell]:
    """One row of cells for ``item``; a missing value is an empty cell (None)."""
    return [_encode(_get(item, column.path), column) for column in columns]


def _get(item: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = item
    for key in path:
        if not isinstance(value, Mapping) or key not in value:
            return None
        value = value[key]
    return value


def _encode(value: Any, column: Column) -> Cell:
    if value is None:
        return None
    if column.codec == "integer":
        return int(value)
    if column.codec in ("lines", "words"):
        return "\n".join(str(v) for v in value)
    if column.codec == "basis":
        return "\n".join(b["law"] + b.get("article", "") for b in value)
    if column.codec == "records":
        lines = []
        for record in value:
            cells = [str(record.get(key, "")) for key, _ in column.fields]
            while cells and not cells[-1]:
                cells.pop()
            lines.append(SEPARATOR.join(cells))
        return "\n".join(lines)
    return str(value)


def unencodable(item: Mapping[str, Any], columns: Sequence[Column]) -> list[str]:
    """Headers of the columns whose value a cell cannot hold exactly (then the export
    says so rather than losing it)."""
    bad = []
    for column in columns:
        value = _get(item, column.path)
        if value is not None and _decode(_encode(value, column), column)[0] != value:
            bad.append(column.header)
    covered = {column.path[0] for column in columns}
    bad += [key for key in item if key not in covered]
    return bad


# -- decoding cells into an item


def decode_cells(
    cells: Mapping[int, Cell], columns: Sequence[Column]
) -> tuple[dict[str, Any], list[tuple[int, str]]]:
    """The item that the cells (by column index) describe, and (column index, message)
    for each cell that cannot be read."""
    item: dict[str, Any] = {}
    problems: list[tuple[int, str]] = []
    for index, column in enumerate(columns):
        raw = cells.get(index)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        value, message = _decode(raw, column)
        if message:
            problems.append((index, message))
            continue
        target = item
        for key in column.path[:-1]:
            target = target.setdefault(key, {})
        target[column.path[-1]] = value
    return item, problems


def _decode(raw: Cell, column: Column) -> tuple[Any, str]:
    if raw is None:
        return None, ""
    text = str(raw).strip(" \t\u3000")  # a trailing line break is kept (``|`` text)
    if column.codec == "integer":
        return _integer(text)
    if column.codec == "lines":
        return [line.strip() for line in _LINE_SPLIT.split(text) if line.strip()], ""
    if column.codec == "words":
        return [w.strip() for w in _KEYWORD_SPLIT.split(text) if w.strip()], ""
    if column.codec == "basis":
        return _basis(text), ""
    if column.codec == "records":
        return _records(text, column)
    if column.enum and text not in column.enum:
        return None, f"“{text[:40]}”不是允许的取值；可选：" + "、".join(column.enum)
    return text, ""


def _integer(text: str) -> tuple[Any, str]:
    digits = text.removesuffix(".0")
    if not re.fullmatch(r"[0-9]{1,9}", digits):
        return None, f"“{text[:40]}”不是整数（或超出范围）"
    return int(digits), ""


def _basis(text: str) -> list[dict[str, str]]:
    """Legal bases: one a line, or several 《…》 in one line (as published tables write)."""
    entries: list[dict[str, str]] = []
    for line in _LINE_SPLIT.split(text):
        line = line.strip().strip("；;，,。")
        if not line:
            continue
        parts = re.split(r"(?=《)", line) if line.count("《") > 1 else [line]
        for part in parts:
            part = part.strip().strip("；;，,、")
            if not part:
                continue
            match = _LAW.fullmatch(part)
            if match is None:
                entries.append({"law": part})
                continue
            entry = {"law": match[1]}
            article = match[2].strip().strip("；;，,、")
            if article:
                entry["article"] = article
            entries.append(entry)
    return entries


def _records(text: str, column: Column) -> tuple[Any, str]:
    records = []
    for line in _LINE_SPLIT.split(text):
        if not line.strip():
            continue
        cells = line.split(SEPARATOR)
        if len(cells) > len(column.fields):
            return None, f"一行最多 {len(column.fields)} 项，用“{SEPARATOR}”分隔"
        record: dict[str, Any] = {}
        for (key, codec), cell in zip(column.fields, cells, strict=False):
            if not cell.strip():
                continue
            if codec == "integer":
                number, message = _integer(cell.strip())
                if message:
                    return None, message
                record[key] = number
            else:
                record[key] = cell.strip()
        records.append(record)
    return records, ""
