"""Properties of the whole check, with Hypothesis.

(a) Any text or bytes in any content file gives problems, never an exception.
(b) Breaking a valid catalogue (delete a required key, a value of the wrong type, an
    unknown key, a duplicated id, an unknown office) always gives a problem.
(c) Valid catalogues generated here survive a trip through YAML text unchanged.

The checks run ``towncat.build.pipeline.run_check`` (not the CLI, which would turn an
exception into exit code 3) on a project written to a scratch folder.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from towncat_conftest import MINIMAL_FILES, SCHEMAS, make_project

from towncat.build.pipeline import run_check
from towncat.config import Config
from towncat.content.loader import parse_yaml
from towncat.content.problems import CODES
from towncat.content.schema import SCHEMA_NAMES, load_schemas, validate_parsed
from towncat.content.validate import RESERVED

SCHEMA_SET = load_schemas(SCHEMAS)
CONFIG = Config()


def kind_of(relative: str) -> str:
    return Path(relative).stem


def schema_line(relative: str) -> str:
    depth = "../" * relative.count("/") + "../"
    return f"# yaml-language-server: $schema={depth}schemas/{kind_of(relative)}.schema.json\n"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("properties")


def check_project(root: Path, files: dict[str, str | bytes]):
    """Problems of the minimal project with ``files`` replaced; raises if the check does."""
    make_project(root, files)
    result = run_check(root.resolve(), CONFIG)
    for problem in result.problems:
        assert problem.code in CODES
        assert problem.line >= 0 and problem.column >= 0
        assert problem.file.startswith("content/")
    return result


# -- A small YAML emitter: every string double-quoted, so nothing is left to guess.


def _scalar(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value == []:
        return "[]"
    if value == {}:
        return "{}"
    raise TypeError(value)


def _block(value: Any, indent: str) -> list[str]:
    lines = []
    if isinstance(value, dict):
        for key, item in value.items():
            head = f"{indent}{json.dumps(key, ensure_ascii=False)}:"
            if isinstance(item, (dict, list)) and item:
                lines.append(head)
                lines += _block(item, indent + "  ")
            else:
                lines.append(f"{head} {_scalar(item)}")
    else:
        for item in value:
            if isinstance(item, (dict, list)) and item:
                inner = _block(item, indent + "  ")
                lines.append(f"{indent}- {inner[0][len(indent) + 2:]}")
                lines += inner[1:]
            else:
                lines.append(f"{indent}- {_scalar(item)}")
    return lines


def emit(value: Any, relative: str) -> str:
    body = _block(value, "") if isinstance(value, (dict, list)) and value else [_scalar(value)]
    return schema_line(relative) + "\n".join(body) + "\n"


def load(text: str, relative: str) -> tuple[Any, list]:
    parsed = parse_yaml(text, relative)
    if parsed.problems:
        return None, parsed.problems
    return validate_parsed(SCHEMA_SET, kind_of(relative), parsed, relative)


def _minimal_data() -> dict[str, Any]:
    data = {}
    for relative, text in MINIMAL_FILES.items():
        value, problems = load(text, relative)
        assert problems == [], problems
        data[relative] = value
    return data


MINIMAL_DATA = _minimal_data()


def test_emitter_round_trips_the_minimal_project(scratch: Path) -> None:
    files = {relative: emit(value, relative) for relative, value in MINIMAL_DATA.items()}
    for relative, text in files.items():
        assert load(text, relative) == (MINIMAL_DATA[relative], [])
    assert check_project(scratch / "emitted", files).problems == []


# -- (a) Arbitrary input never raises.

FILES = sorted(MINIMAL_FILES)
KEYS = sorted({key for name in SCHEMA_NAMES
               for key in json.dumps(SCHEMA_SET.schemas[name]).split('"') if key.isidentifier()})
VALUES = ["", "~", "1", "-1", "true", "否", "2024-01-01", "2023-02-30", "0533-8181234", "[]",
          "{}", "[a, b", "&a x", "*a", "!!str x", "|", ">", '"x', "'y'", "马桥镇", "cf-0001",
          "enforcement", "行政处罚", "- x", "? x", "---", "# c", "\t", "370321105000", "{a: [b]}"]

yamlish = st.lists(
    st.tuples(
        st.sampled_from(["", "  ", "    ", "  - ", "- ", "      ", "\t"]),
        st.sampled_from([*KEYS, "", "?", "-", "名称"]),
        st.sampled_from([": ", ":", " ", ": |\n  ", ":\n  - "]),
        st.one_of(st.sampled_from(VALUES), st.text(max_size=8)),
    ).map("".join),
    max_size=30,
).map("\n".join)


@settings(max_examples=150)
@given(relative=st.sampled_from(FILES), text=st.one_of(st.text(max_size=300), yamlish))
def test_any_text_gives_problems_not_exceptions(scratch: Path, relative: str, text: str) -> None:
    for name in SCHEMA_NAMES[1:]:  # all but "common", which only holds $defs
        parsed = parse_yaml(text, relative)
        if not parsed.problems:
            validate_parsed(SCHEMA_SET, name, parsed, relative)
    check_project(scratch / "text", {relative: text})


@settings(max_examples=150)
@given(relative=st.sampled_from(FILES),
       raw=st.one_of(st.binary(max_size=300),
                     st.text(max_size=100).map(lambda t: b"\xef\xbb\xbf" + t.encode()),
                     st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
                             max_size=40).map(lambda t: ("名称: " + t).encode("gb18030"))))
def test_any_bytes_give_problems_not_exceptions(scratch: Path, relative: str, raw: bytes) -> None:
    check_project(scratch / "bytes", {relative: raw})


# -- (b) Breaking a valid catalogue is always noticed.


def _nodes(schema: Any, value: Any, path: tuple = ()):
    """(path, schema, value) for every value in ``value``, following ``schema``."""
    node = SCHEMA_SET.resolve(schema)
    yield path, node, value
    if node.get("type") == "object" and isinstance(value, dict):
        for key, item in value.items():
            yield from _nodes(node["properties"][key], item, (*path, key))
    elif node.get("type") == "array" and isinstance(value, list):
        for i, item in enumerate(value):
            yield from _nodes(node["items"], item, (*path, i))


def _parent(data: Any, path: tuple) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def _delete_required(data, nodes, draw):
    options = [(p, key) for p, node, value in nodes if isinstance(value, dict)
               for key in node.get("required", ()) if key in value]
    path, key = draw(st.sampled_from(options))
    del _parent(data, (*path, key))[key]
    return "missing-field"


def _wrong_type(data, nodes, draw):
    path, node, _ = draw(st.sampled_from([n for n in nodes if n[0]]))
    replacement = "文字" if node["type"] in ("array", "object", "integer") else ["列表"]
    _parent(data, path)[path[-1]] = replacement
    return "wrong-type"


def _unknown_key(data, nodes, draw):
    _path, _, value = draw(st.sampled_from([n for n in nodes if isinstance(n[2], dict)]))
    value[draw(st.sampled_from(["zz_unknown", "备注2", "Name", "colour"]))] = "值"
    return "unknown-key"


def _duplicate_id(data, nodes, draw):
    options = [(p, value) for p, node, value in nodes if isinstance(value, list) and value
               and isinstance(value[0], dict) and ("id" in value[0] or "slug" in value[0])]
    _, items = draw(st.sampled_from(options))
    items.append(copy.deepcopy(draw(st.sampled_from(items))))
    return "duplicate-id"


def _unknown_office(data, nodes, draw):
    options = [p for p, _, _ in nodes if p and p[-1] in ("handling_office", "lead_office")]
    path = draw(st.sampled_from(options))
    _parent(data, path)[path[-1]] = draw(st.sampled_from(["no-such-office", "enforcment", "x1"]))
    return "unknown-office"


MUTATIONS = {
    "delete-required": (_delete_required, FILES),
    "wrong-type": (_wrong_type, FILES),
    "unknown-key": (_unknown_key, FILES),
    "duplicate-id": (_duplicate_id, [f for f in FILES if not f.endswith("town.yaml")]),
    "unknown-office": (_unknown_office, ["towns/alpha/powers.yaml", "towns/alpha/duties.yaml"]),
}


@settings(max_examples=200)
@given(mutation=st.sampled_from(sorted(MUTATIONS)), choices=st.data())
def test_breaking_a_valid_catalogue_is_always_noticed(scratch: Path, mutation: str,
                                                      choices: st.DataObject) -> None:
    mutate, files = MUTATIONS[mutation]
    relative = choices.draw(st.sampled_from(files), label="file")
    data = copy.deepcopy(MINIMAL_DATA[relative])
    nodes = list(_nodes(SCHEMA_SET.schemas[kind_of(relative)], data))
    expected = mutate(data, nodes, choices.draw)
    result = check_project(scratch / "mutated", {relative: emit(data, relative)})
    assert result.problems, f"{mutation} in {relative} went unnoticed"
    assert expected in {p.code for p in result.problems}
    assert result.failed()
    assert result.catalogue is None


# -- (c) Generated valid catalogues round-trip through YAML.

LOWER_DIGITS = "abcdefghijklmnopqrstuvwxyz0123456789"
ids = st.lists(st.text(LOWER_DIGITS, min_size=1, max_size=6), min_size=1, max_size=3).map(
    "-".join).filter(lambda s: s not in RESERVED)
chinese = st.text(
    st.one_of(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
              st.sampled_from("《》（）、，。：；“”—·0123456789 ")),
    min_size=1, max_size=15,
).filter(lambda s: s.strip() != "")


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=n, max_size=n)


def _join(*parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(*parts).map("".join)


# The accepted forms of common.schema.json#/$defs/phone, with ASCII digits.
phones = st.one_of(
    _join(st.just("0"), st.integers(2, 3).flatmap(_digits), st.sampled_from(["-", ""]),
          st.integers(7, 8).flatmap(_digits),
          st.one_of(st.just(""), st.integers(1, 6).flatmap(_digits).map("-".__add__))),
    _join(st.just("1"), st.sampled_from("3456789"), _digits(9)),
    _digits(5),
    _join(st.sampled_from(["400", "800"]), st.sampled_from(["-", ""]), _digits(3),
          st.sampled_from(["-", ""]), _digits(4)),
)
dates = st.dates(dt.date(1949, 10, 1), dt.date(2100, 12, 31)).map(dt.date.isoformat)
urls = st.sampled_from(["https://www.zibo.gov.cn/", "http://www.huantai.gov.cn/a?b=1",
                        "mailto:mqzf@example.org", "tel:0533-8181234"])
sources = st.lists(st.fixed_dictionaries(
    {"title": chinese}, optional={"date": dates, "url": urls, "document_number": chinese}),
    min_size=1, max_size=2)



def _enum(kind: str, field: str) -> list[str]:
    items = SCHEMA_SET.schemas[kind]["properties"][kind]["items"]
    return list(items["properties"][field]["enum"])


POWER_TYPES = _enum("powers", "type")
LIST_KINDS = _enum("duties", "list_kind")
OFFICE_KINDS = _enum("institutions", "kind")
COUNTIES = [("370321", "桓台县"), ("370302", "淄川区")]


@st.composite
def towns(draw) -> dict[str, Any]:
    county_code, county = draw(st.sampled_from(COUNTIES))
    part = draw(st.integers(1, 199))
    assume((county_code, part) != ("370302", 1))  # beta's code
    kind = "街道" if part < 100 else "镇"
    town: dict[str, Any] = {
        "code": f"{county_code}{part:03d}000", "name": draw(chinese), "kind": kind,
        "county": county, "sample": draw(st.booleans()), "sources": draw(sources),
    }
    if town["sample"]:
        town["sample_note"] = draw(chinese)
    if draw(st.booleans()):
        town["aliases"] = draw(st.lists(chinese, min_size=1, max_size=3, unique=True))
    if draw(st.booleans()):
        town["service_center"] = {"name": draw(chinese), "phone": draw(phones)}
    if draw(st.booleans()):
        town["history"] = [{"date": draw(dates), "event": draw(chinese)}]
    return town


@st.composite
def catalogues(draw) -> dict[str, Any]:
    office_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    institutions = []
    for office_id in office_ids:
        office: dict[str, Any] = {
            "id": office_id, "name": draw(chinese), "kind": draw(st.sampled_from(OFFICE_KINDS)),
            "functions": draw(st.lists(chinese, min_size=1, max_size=2)), "phone": draw(phones),
        }
        if draw(st.booleans()):
            office["staffing"] = {"administrative": draw(st.integers(0, 10000))}
        if draw(st.booleans()):
            office["established"] = draw(dates)
        institutions.append(office)
    powers = []
    for power_id in draw(st.lists(ids, min_size=1, max_size=4, unique=True)):
        power: dict[str, Any] = {
            "id": power_id, "name": draw(chinese), "type": draw(st.sampled_from(POWER_TYPES)),
            "basis": [{"law": "《" + draw(chinese) + "》"}],
            "handling_office": draw(st.sampled_from(office_ids)),
        }
        if draw(st.booleans()):
            power["keywords"] = draw(st.lists(chinese, min_size=1, max_size=3, unique=True))
        if draw(st.booleans()):
            start, end = sorted([draw(dates), draw(dates)])
            power["effective_from"], power["effective_to"] = start, end
        if draw(st.booleans()):
            power["phones"] = {"consult": draw(phones)}
        powers.append(power)
    duties = [
        {"id": duty_id, "list_kind": draw(st.sampled_from(LIST_KINDS)), "name": draw(chinese),
         "lead_office": draw(st.sampled_from(office_ids))}
        for duty_id in draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    ]
    return {
        "towns/alpha/town.yaml": draw(towns()),
        "towns/alpha/powers.yaml": {"sources": draw(sources), "powers": powers},
        "towns/alpha/duties.yaml": {"sources": draw(sources), "duties": duties},
        "towns/alpha/institutions.yaml": {"sources": draw(sources), "institutions": institutions},
    }


@settings(max_examples=100)
@given(catalogue=catalogues())
def test_generated_catalogues_round_trip(scratch: Path, catalogue: dict[str, Any]) -> None:
    files = {relative: emit(value, relative) for relative, value in catalogue.items()}
    for relative, text in files.items():
        data, problems = load(text, relative)
        assert problems == []
        assert data == catalogue[relative]
    result = check_project(scratch / "generated", files)
    assert result.problems == []
    assert result.catalogue is not None
    alpha = result.catalogue.town_by_slug["alpha"]
    assert alpha.facts.code == catalogue["towns/alpha/town.yaml"]["code"]
    assert [p.id for p in alpha.powers.items] == [
        p["id"] for p in catalogue["towns/alpha/powers.yaml"]["powers"]]
    assert [o.phone for o in alpha.institutions.items] == [
        o["phone"] for o in catalogue["towns/alpha/institutions.yaml"]["institutions"]]
