"""Data downloads: JSON and CSV per town and for the whole city, and the JSON Schemas.

Functions return ``{output path: bytes}``; only the writer writes. CSV files carry
a UTF-8 BOM so that Excel opens the Chinese text correctly.
"""

from __future__ import annotations

import csv
import io
import json
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from ..content.model import Basis, Source, Town
from ..content.schema import SCHEMA_NAMES
from ..content.summary import Overview
from . import urls

LIST_KINDS = ("powers", "duties", "institutions")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Basis):
        return value.law + (value.article or "")
    if isinstance(value, Source):
        return "".join(
            p
            for p in (value.title, f"（{value.document_number}）" if value.document_number else "")
            if p
        )
    if isinstance(value, tuple):
        return "；".join(_cell(v) for v in value)
    if is_dataclass(value):  # an entry of a list of records: its plain values, in order
        parts = (getattr(value, f.name) for f in fields(value))
        return " ".join(str(p) for p in parts if isinstance(p, (str, int)) and p != "")
    return str(value)


def _record_type(hint: Any) -> type | None:
    """The dataclass inside ``X | None`` for nested records that get their own columns."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        hint = next(a for a in typing.get_args(hint) if a is not type(None))
    if isinstance(hint, type) and is_dataclass(hint) and hint not in (Basis, Source):
        return hint
    return None


_COLUMNS: dict[type, tuple[tuple[str, tuple[str, ...]], ...]] = {}


def columns(cls: type) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(column name, attribute path) for every CSV column of a record type."""
    if cls in _COLUMNS:
        return _COLUMNS[cls]
    result: list[tuple[str, tuple[str, ...]]] = []
    for name, hint in typing.get_type_hints(cls).items():
        nested = _record_type(hint)
        if nested is None:
            result.append((name, (name,)))
        else:
            result += [(f"{name}_{col}", (name, *path)) for col, path in columns(nested)]
    _COLUMNS[cls] = tuple(result)
    return _COLUMNS[cls]


def flatten(record: Any) -> dict[str, str]:
    """A record as one CSV row: nested records become ``parent_child`` columns."""
    row = {}
    for column, path in columns(type(record)):
        value = record
        for attr in path:
            value = getattr(value, attr) if value is not None else None
        row[column] = _cell(value)
    return row


def _csv(rows: list[dict[str, str]]) -> bytes:
    if not rows:
        return "\ufeff".encode()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _town_columns(town: Town) -> dict[str, str]:
    return {
        "town": town.slug,
        "town_name": town.facts.name,
        "town_code": town.facts.code,
        "county": town.facts.county,
    }


def list_rows(town: Town, kind: str, base_url: str) -> list[dict[str, str]]:
    items = getattr(town, kind).items if getattr(town, kind) else ()
    return [
        {
            **_town_columns(town),
            **flatten(item),
            "url": base_url + urls.item_url(town.slug, kind, item.id),
        }
        for item in items
    ]


def town_json(town: Town, base_url: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "slug": town.slug,
        "url": base_url + urls.town_url(town.slug),
        "town": town.facts,
    }
    for kind in LIST_KINDS:
        value = getattr(town, kind)
        data[kind] = None if value is None else {"info": value.info, "items": value.items}
    return data


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _record_fields(record: Any) -> dict[str, Any]:
    """A model record as a JSON object, its fields in declaration order (``default`` hook)."""
    cls = type(record)
    if cls not in _FIELD_NAMES:
        if not is_dataclass(cls):
            raise TypeError(f"{cls.__name__} is not JSON serialisable")
        _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return {name: getattr(record, name) for name in _FIELD_NAMES[cls]}


def _json(data: Any) -> bytes:
    """Compact JSON (one line; Python's C encoder), records expanded field by field."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_record_fields)
    return (text + "\n").encode("utf-8")


def town_data_files(town: Town, base_url: str) -> dict[str, bytes]:
    """One town's downloads: its whole catalogue as JSON, its facts and each list as CSV."""
    files = {
        urls.town_data_url(town.slug, "catalogue.json"): _json(town_json(town, base_url)),
        urls.town_data_url(town.slug, "town.csv"): _csv(
            [{"town": town.slug, **flatten(town.facts)}]
        ),
    }
    for kind in LIST_KINDS:
        if getattr(town, kind) is not None:
            files[urls.town_data_url(town.slug, f"{kind}.csv")] = _csv(
                list_rows(town, kind, base_url)
            )
    return files


def _csv_body(data: bytes) -> tuple[bytes, bytes]:
    """(header line, rows) of one of our CSV files."""
    text = data.removeprefix("\ufeff".encode())
    header, _, body = text.partition(b"\r\n")
    return header, body


def concat_csv(parts: Iterable[bytes]) -> Iterator[bytes]:
    """One CSV, chunk by chunk, from per-town CSVs that share a header."""
    yield "\ufeff".encode()
    first = True
    for part in parts:
        header, body = _csv_body(part)
        if first:
            yield header + b"\r\n"
            first = False
        yield body


def _json_array(region: bytes, towns: Iterable[bytes]) -> Iterator[bytes]:
    yield b'{"region":' + region + b',\n"towns":['
    separator = b"\n"
    for town in towns:
        yield separator + town.rstrip(b"\n")
        separator = b",\n"
    yield b"\n]}\n"


def city_data_files(
    overview: Overview, read: Callable[[str], bytes | None], schema_dir: Path
) -> Iterator[tuple[str, Iterable[bytes]]]:
    """City-wide downloads joined from the towns' own files (``read`` finds them), as chunks
    to be written one after another: they can be assembled from shards, and memory never
    holds more than one town's file, whatever the size of the province."""

    def town_parts(name: str) -> Iterator[bytes]:
        for town in overview.towns:
            data = read(urls.town_data_url(town.slug, name))
            if data is not None:
                yield data

    region = _json(overview.region).rstrip(b"\n")
    yield "data/catalogue.json", _json_array(region, town_parts("catalogue.json"))
    yield "data/towns.csv", concat_csv(town_parts("town.csv"))
    for kind in LIST_KINDS:
        yield f"data/{kind}.csv", concat_csv(town_parts(f"{kind}.csv"))
    for name in SCHEMA_NAMES:
        yield f"schemas/{name}.schema.json", [(schema_dir / f"{name}.schema.json").read_bytes()]
