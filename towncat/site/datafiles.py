"""Data downloads: JSON and CSV per town and for the whole city, and the JSON Schemas.

Functions return ``{output path: bytes}``; only the writer writes. CSV files carry
a UTF-8 BOM so that Excel opens the Chinese text correctly, and Chinese column
headers: each YAML key's ``title`` in the schema, a nested key as
``parent（child）`` (``办理时限（法定时限）``); an office id column is followed by
the office's name. ``csv_reference`` lists every header with its YAML key (the
README's table). ``materials.csv`` has one row per material of every guide.
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

from ..content.catalogue import find_office
from ..content.model import (
    Basis,
    Duty,
    Guide,
    Institution,
    Material,
    Power,
    Source,
    Town,
    TownFacts,
)
from ..content.schema import SCHEMA_NAMES, SchemaSet
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
# Lists of records a guide holds: in materials.csv and the JSON, not in the list's CSV.
_NOT_IN_LIST_CSV = {(Guide, "materials"), (Guide, "steps"), (Guide, "faq")}


def columns(cls: type) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(column name, attribute path) for every CSV column of a record type."""
    if cls in _COLUMNS:
        return _COLUMNS[cls]
    result: list[tuple[str, tuple[str, ...]]] = []
    for name, hint in typing.get_type_hints(cls).items():
        if (cls, name) in _NOT_IN_LIST_CSV:
            continue
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


def _csv(rows: list[dict[str, str]], header: Headers, fieldnames: list[str] | None = None) -> bytes:
    """CSV text with a BOM; the columns' keys replaced by their Chinese headers."""
    names = fieldnames or (list(rows[0]) if rows else [])
    if not names:
        return "\ufeff".encode()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header.get(name, name) for name in names])
    writer.writerows([row.get(name, "") for name in names] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


Headers = dict[str, str]  # column key → Chinese header
# Columns that are not YAML keys of the list: where the row comes from and links.
TOWN_COLUMNS = {
    "county": "区县",
    "town_name": "镇街",
    "town": "镇街网址名",
    "town_code": "区划代码",
}
OFFICE_FIELDS = {"powers": "handling_office", "duties": "lead_office"}
OFFICE_NAME = "_office_name"  # the name of the office beside its id
URL_COLUMN = {"url": "网址"}


def _town_columns(town: Town) -> dict[str, str]:
    return {
        "county": town.facts.county,
        "town_name": town.facts.name,
        "town": town.slug,
        "town_code": town.facts.code,
    }


def _office_name(town: Town, office_id: str) -> str:
    office = find_office(town, office_id)
    return office.name if office else ""


def list_rows(town: Town, kind: str, base_url: str) -> list[dict[str, str]]:
    items = getattr(town, kind).items if getattr(town, kind) else ()
    office_field = OFFICE_FIELDS.get(kind)
    rows = []
    for item in items:
        row = {**_town_columns(town)}
        for key, value in flatten(item).items():
            row[key] = value
            if key == office_field:
                row[OFFICE_NAME] = _office_name(town, value)
        row["url"] = base_url + urls.item_url(town.slug, kind, item.id)
        rows.append(row)
    return rows


def _titles(schemas: SchemaSet, node: Any) -> dict[str, tuple[str, Any]]:
    """{property: (title, resolved node)} of an object schema node."""
    resolved = schemas.resolve(node)
    return {
        name: (child.get("title") or schemas.resolve(child).get("title", name), child)
        for name, child in resolved.get("properties", {}).items()
    }


def _header(schemas: SchemaSet, node: Any, path: tuple[str, ...]) -> str:
    """The Chinese header of a column: the titles along ``path``, nested ones in （）."""
    titles = []
    for name in path:
        title, node = _titles(schemas, node)[name]
        titles.append(title)
    return titles[0] + "".join(f"（{t}）" for t in titles[1:])


_HEADERS: dict[tuple[int, str], Headers] = {}  # per schema set (read once per process)


def csv_headers(schemas: SchemaSet, kind: str, cls: type) -> Headers:
    """Column key → Chinese header for the CSV of a list (``kind``) of records ``cls``."""
    cached = _HEADERS.get((id(schemas), kind))
    if cached is None:
        cached = _HEADERS[(id(schemas), kind)] = _list_headers(schemas, kind, cls)
    return cached


def _list_headers(schemas: SchemaSet, kind: str, cls: type) -> Headers:
    node = schemas.schemas[kind]["properties"][kind]["items"]
    headers: Headers = dict(TOWN_COLUMNS)
    office_field = OFFICE_FIELDS.get(kind)
    for column, path in columns(cls):
        title = _header(schemas, node, path)
        if column == office_field:  # the id, then the office's name beside it
            headers[column] = title + "编号"
            headers[OFFICE_NAME] = title
        else:
            headers[column] = title
    headers.update(URL_COLUMN)
    return headers


def material_headers(schemas: SchemaSet) -> Headers:
    """Headers of materials.csv: the item it belongs to, then the material's fields."""
    node = schemas.schemas["common"]["$defs"]["material"]
    headers: Headers = dict(TOWN_COLUMNS)
    headers.update(
        {
            "list": "清单",
            "item_id": "事项编号",
            "item_code": "事项编码",
            "item_name": "事项名称",
            "office_id": "承办机构编号",
            "office": "承办机构",
            "number": "序号",
        }
    )
    for name, (title, _) in _titles(schemas, node).items():
        headers[name] = title
    headers["url"] = "事项网址"
    return headers


_LIST_NAMES = {"powers": "赋权事项清单", "duties": "职责任务清单"}


def material_rows(town: Town, base_url: str) -> list[dict[str, str]]:
    """One row per material of every guide of the town, in list order."""
    rows = []
    for kind in ("powers", "duties"):
        for item in getattr(town, kind).items if getattr(town, kind) else ():
            if item.guide is None:
                continue
            office_id = item.handling_office if kind == "powers" else item.lead_office
            for number, material in enumerate(item.guide.materials, start=1):
                rows.append(
                    {
                        **_town_columns(town),
                        "list": _LIST_NAMES[kind],
                        "item_id": item.id,
                        "item_code": getattr(item, "code", None) or "",
                        "item_name": item.name,
                        "office_id": office_id,
                        "office": _office_name(town, office_id),
                        "number": str(number),
                        **_material_cells(material, town.slug, base_url),
                        "url": base_url + urls.item_url(town.slug, kind, item.id),
                    }
                )
    return rows


def _material_cells(material: Material, slug: str, base_url: str) -> dict[str, str]:
    cells = {f.name: _cell(getattr(material, f.name)) for f in fields(material)}
    for key in ("blank_form", "sample_form"):  # forms as the URL they are published at
        if cells[key]:
            cells[key] = base_url + urls.town_url(slug) + cells[key]
    return cells


def csv_reference(schemas: SchemaSet) -> str:
    """The README's table: each CSV download's Chinese headers and the YAML keys behind them."""
    lines = ["| file | 列名（CSV） | YAML key |", "|---|---|---|"]
    tables: list[tuple[str, Headers, dict[str, str]]] = [
        ("towns.csv", town_headers(schemas), _keys(TownFacts, "")),
        ("powers.csv", csv_headers(schemas, "powers", Power), _keys(Power, "powers[].")),
        ("duties.csv", csv_headers(schemas, "duties", Duty), _keys(Duty, "duties[].")),
        (
            "institutions.csv",
            csv_headers(schemas, "institutions", Institution),
            _keys(Institution, "institutions[]."),
        ),
        ("materials.csv", material_headers(schemas), _keys(Material, "guide.materials[].")),
    ]
    for name, headers, keys in tables:
        for key, header in headers.items():
            source = f"`{keys[key]}`" if key in keys else "—（生成：所在镇街、所属事项或网址）"
            lines.append(f"| `{name}` | {header} | {source} |")
    return "\n".join(lines) + "\n"


def _keys(cls: type, prefix: str) -> dict[str, str]:
    """Column key → the YAML key path it comes from."""
    if cls is Material:
        return {f.name: prefix + f.name for f in fields(Material)}
    return {column: prefix + ".".join(path) for column, path in columns(cls)}


def town_headers(schemas: SchemaSet) -> Headers:
    """Headers of town.csv: the town's folder name, then its facts."""
    node = schemas.schemas["town"]
    headers = {"town": TOWN_COLUMNS["town"]}
    headers.update({column: _header(schemas, node, path) for column, path in columns(TownFacts)})
    return headers


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


def town_data_files(town: Town, base_url: str, schemas: SchemaSet) -> dict[str, bytes]:
    """One town's downloads: its whole catalogue as JSON, its facts, each list and the
    materials of its guides as CSV."""
    headers = town_headers(schemas)
    files = {
        urls.town_data_url(town.slug, "catalogue.json"): _json(town_json(town, base_url)),
        urls.town_data_url(town.slug, "town.csv"): _csv(
            [{"town": town.slug, **flatten(town.facts)}], headers, list(headers)
        ),
    }
    types_ = {"powers": Power, "duties": Duty, "institutions": Institution}
    for kind in LIST_KINDS:
        if getattr(town, kind) is not None:
            headers = csv_headers(schemas, kind, types_[kind])
            files[urls.town_data_url(town.slug, f"{kind}.csv")] = _csv(
                list_rows(town, kind, base_url), headers, list(headers)
            )
    if town.powers is not None or town.duties is not None:
        headers = material_headers(schemas)
        files[urls.town_data_url(town.slug, "materials.csv")] = _csv(
            material_rows(town, base_url), headers, list(headers)
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
    for kind in (*LIST_KINDS, "materials"):
        yield f"data/{kind}.csv", concat_csv(town_parts(f"{kind}.csv"))
    for name in SCHEMA_NAMES:
        yield f"schemas/{name}.schema.json", [(schema_dir / f"{name}.schema.json").read_bytes()]
