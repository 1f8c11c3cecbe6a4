"""The schemas and the schema checker: supported keywords, typed values, formats."""

from __future__ import annotations

import json
from typing import Any

import pytest
from towncat_conftest import SCHEMAS

from towncat.content import model
from towncat.content.loader import parse_yaml
from towncat.content.problems import CODES
from towncat.content.schema import SCHEMA_NAMES, SUPPORTED_KEYWORDS, load_schemas, validate_parsed

SCHEMA_SET = load_schemas(SCHEMAS)


def _walk(node: Any, path: str = ""):
    """Every schema object (dict that is a schema, not a ``properties`` map) under ``node``."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            if key in ("properties", "$defs"):
                for name, sub in value.items():
                    yield from _walk(sub, f"{path}/{key}/{name}")
            elif key == "items":
                yield from _walk(value, f"{path}/items")


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schemas_use_only_supported_keywords(name: str) -> None:
    for path, node in _walk(SCHEMA_SET.schemas[name]):
        unsupported = set(node) - SUPPORTED_KEYWORDS
        assert not unsupported, f"{name}.schema.json{path}: {unsupported}"


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_x_problem_codes_exist_and_refs_resolve(name: str) -> None:
    for path, node in _walk(SCHEMA_SET.schemas[name]):
        if "x-problem" in node:
            assert node["x-problem"] in CODES, f"{name}{path}"
        if "$ref" in node:
            assert "type" in SCHEMA_SET.resolve(node), f"{name}{path}"


def test_schema_files_are_valid_json_with_matching_ids() -> None:
    for name in SCHEMA_NAMES:
        data = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert data["$id"] == f"{name}.schema.json"


def _properties(node: Any) -> set[str]:
    return set(SCHEMA_SET.resolve(node).get("properties", {}))


def _items(name: str) -> Any:
    return SCHEMA_SET.schemas[name]["properties"][name]["items"]


@pytest.mark.parametrize(("cls", "node"), [
    (model.TownFacts, SCHEMA_SET.schemas["town"]),
    (model.Region, SCHEMA_SET.schemas["region"]),
    (model.Power, _items("powers")),
    (model.Duty, _items("duties")),
    (model.Institution, _items("institutions")),
    (model.Source, SCHEMA_SET.schemas["common"]["$defs"]["source"]),
    (model.Basis, SCHEMA_SET.schemas["common"]["$defs"]["basis"]),
], ids=lambda v: getattr(v, "__name__", ""))
def test_model_fields_match_schema_properties(cls: type, node: Any) -> None:
    assert set(model.record_fields(cls)) == _properties(node)


@pytest.mark.parametrize("kind", ["powers", "duties", "institutions"])
def test_list_info_matches_list_level_properties(kind: str) -> None:
    properties = _properties(SCHEMA_SET.schemas[kind]) - {kind}
    assert set(model.record_fields(model.ListInfo)) == properties


# -- Checking values.


def check(kind: str, text: str) -> tuple[Any, list]:
    parsed = parse_yaml(text, "t.yaml")
    assert parsed.problems == []
    return validate_parsed(SCHEMA_SET, kind, parsed, "t.yaml")


def check_office(extra: str) -> list[str]:
    """Problem codes of an institutions file whose one office has ``extra`` lines."""
    text = ("institutions:\n  - id: office\n    name: 办公室\n    kind: 其他\n"
            "    functions: [x]\n" + "".join(f"    {line}\n" for line in extra.split("\n")))
    return [p.code for p in check("institutions", text)[1]]


def test_typed_values_come_back() -> None:
    data, problems = check("institutions", (
        "institutions:\n  - id: office\n    name: 12\n    kind: 其他\n    functions: [yes]\n"
        "    staffing:\n      administrative: 5\n      other: +0\n"
    ))
    assert problems == []
    (office,) = data["institutions"]
    assert office["name"] == "12"  # an unquoted number is fine where text is wanted
    assert office["functions"] == ["yes"]
    assert office["staffing"] == {"administrative": 5, "other": 0}
    assert type(office["staffing"]["administrative"]) is int


@pytest.mark.parametrize(("value", "expected"), [
    ("true", True), ("True", True), ("TRUE", True),
    ("false", False), ("False", False), ("FALSE", False),
])
def test_booleans(value: str, expected: bool) -> None:
    data, problems = check("town", (
        f'code: "370321105000"\nname: 马桥镇\nkind: 镇\ncounty: 桓台县\nsample: {value}\n'
        "sources: [{title: 来源}]\n"
    ))
    assert problems == []
    assert data["sample"] is expected


@pytest.mark.parametrize("value", ["yes", "no", "on", "1", '"true"', "是", "[]"])
def test_not_booleans(value: str) -> None:
    _, problems = check("town", (
        f'code: "370321105000"\nname: 马桥镇\nkind: 镇\ncounty: 桓台县\nsample: {value}\n'
        "sources: [{title: 来源}]\n"
    ))
    assert [p.code for p in problems] == ["wrong-type"]


def test_quoted_integer_is_wrong_type_with_a_hint() -> None:
    parsed = parse_yaml("institutions:\n  - id: o\n    name: n\n    kind: 其他\n"
                        "    functions: [x]\n    staffing: {administrative: \"5\"}\n", "t.yaml")
    _, (problem,) = validate_parsed(SCHEMA_SET, "institutions", parsed, "t.yaml")
    assert problem.code == "wrong-type"
    assert "不要加引号" in problem.message


@pytest.mark.parametrize(("value", "code"), [
    ("5.0", "wrong-type"), ("1e3", "wrong-type"), ("0x10", "wrong-type"), ("五", "wrong-type"),
    ("-1", "out-of-range"), ("10001", "out-of-range"),
])
def test_integers(value: str, code: str) -> None:
    assert check_office(f"staffing: {{administrative: {value}}}") == [code]


@pytest.mark.parametrize("value", ["0", "10000", "007"])
def test_integers_in_range(value: str) -> None:
    assert check_office(f"staffing: {{administrative: {value}}}") == []


@pytest.mark.parametrize("phone", [
    "0533-8181234", "05338181234", "010-12345678", "0533-8181234-801", "13812345678",
    "12345", "400-123-4567", "4001234567", "800-123-4567",
])
def test_accepted_phones(phone: str) -> None:
    assert check_office(f"phone: {phone}") == []
    assert check_office(f'phone: "{phone}"') == []


@pytest.mark.parametrize("phone", [
    "8181234", "0533 8181234", "1381234567", "23812345678", "0533-818123", "1234",
    "0533—8181234", "tel:0533-8181234",
])
def test_rejected_phones(phone: str) -> None:
    assert check_office(f'phone: "{phone}"') == ["invalid-phone"]


@pytest.mark.parametrize("url", [
    "https://www.zibo.gov.cn/", "http://example.org/a?b=c#d", "mailto:mqzf@example.org",
    "tel:0533-8181234", "tel:+8605338181234",
])
def test_accepted_urls(url: str) -> None:
    assert check_office(f'url: "{url}"') == []


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", "www.zibo.gov.cn", "ftp://example.org/",
    "https://exa mple.org/", "data:text/html,<script>", "//example.org/", "https://",
    "https://example.org/<script>",
])
def test_rejected_urls(url: str) -> None:
    assert check_office(f'url: "{url}"') == ["invalid-url"]


@pytest.mark.parametrize("date", ["2024-02-29", "2000-02-29", "1999-12-31", "2024-01-05"])
def test_accepted_dates(date: str) -> None:
    assert check_office(f"established: {date}") == []


@pytest.mark.parametrize("date", [
    "2023-02-29", "2023-02-30", "1900-02-29", "2023/01/05", "2023-1-5", "20230105",
    "2023-13-01", "2023-00-10", "2023-01-05T10:00:00", "2023年1月5日", "２０２３-０１-０５",
])
def test_rejected_dates(date: str) -> None:
    assert check_office(f'established: "{date}"') == ["invalid-date"]


@pytest.mark.parametrize(("line", "code"), [
    ('email: "a@b"', "bad-format"),
    ('email: "a b@example.org"', "bad-format"),
    ('name: ""', "empty-value"),
    ('name: "   "', "empty-value"),
    ("short_name: " + "综" * 31, "too-long"),
    ("kind: 党政机构", "not-in-enum"),
    ("functions: []", "empty-list"),
    ("functions: 负责执法", "wrong-type"),
    ("also_named: [甲, 乙, 甲]", "duplicate-value"),
    ("leadership: {posts: [{title: 主任, count: 0}]}", "out-of-range"),
    ("leadership: {posts: [{title: 主任}]}", "missing-field"),
    ("id: Office", "invalid-id"),
    ("id: office--a", "invalid-id"),
    ("id: -office", "invalid-id"),
    ("id: " + "a" * 65, "too-long"),
    ("covers_towns: [Alpha]", "invalid-id"),
    ("phone:", "wrong-type"),
    ("sources: [{title: 文件, date: 2023-02-30}]", "invalid-date"),
    ("sources: [{titel: 文件}]", "unknown-key"),
])
def test_schema_problem_codes(line: str, code: str) -> None:
    # later keys override the defaults of check_office by replacing them
    key = line.split(":")[0]
    base = {"id": "office", "name": "办公室", "kind": "其他", "functions": "[x]"}
    lines = [f"{k}: {v}" for k, v in base.items() if k != key] + [line]
    text = "institutions:\n  - " + "\n    ".join(lines) + "\n"
    codes = [p.code for p in check("institutions", text)[1]]
    assert code in codes, codes


def test_unknown_key_suggests_a_close_name() -> None:
    problems = check("town", 'code: "370321105000"\nname: 马桥镇\nkind: 镇\ncounty: 桓台县\n'
                             "sample: false\nsources: [{title: 来源}]\nsumary: 简介\n")[1]
    (problem,) = problems
    assert problem.code == "unknown-key"
    assert "是否想写 summary" in problem.message
    assert (problem.line, problem.column) == (7, 1)


def test_unknown_key_without_close_name_lists_the_allowed_ones() -> None:
    (problem,) = check("duties", "duties: [{id: a, list_kind: 主体责任, name: n, "
                                 "lead_office: o, 乱七八糟: x}]\n")[1]
    assert problem.code == "unknown-key"
    assert "允许的字段：id、list_kind" in problem.message


def test_missing_field_names_the_field_and_its_title() -> None:
    (problem,) = check("duties", "duties:\n  - id: a\n    name: n\n    lead_office: o\n")[1]
    assert problem.code == "missing-field"
    assert "list_kind（清单类别）" in problem.message
    assert problem.path == "duties[0]"
    assert (problem.line, problem.column) == (2, 5)


def test_wrong_type_at_the_top() -> None:
    for text in ("- a\n- b\n", "只是一句话\n", "~\n"):
        (problem,) = check("powers", text)[1]
        assert problem.code == "wrong-type"
        assert (problem.line, problem.column) == (1, 1)


# -- Patterns must mean what they mean in JSON Schema (ECMA-262), which is also what
#    editors using the schemas through yaml-language-server apply.


@pytest.mark.parametrize(("line", "code"), [
    (r'id: "office\n"', "invalid-id"),
    (r'phone: "0533-8181234\n"', "invalid-phone"),
    (r'url: "https://www.zibo.gov.cn/\n"', "invalid-url"),
    (r'covers_towns: ["alpha\n"]', "invalid-id"),
    (r'email: "a@example.org\n"', "bad-format"),
])
def test_pattern_end_anchor_does_not_accept_a_trailing_newline(line: str, code: str) -> None:
    """BUG: ``check_string`` uses ``re.search`` with the schema's pattern as is; in
    Python ``$`` also matches just before a final newline, so ``"office\\n"`` passes
    ``^[a-z0-9]+(-[a-z0-9]+)*$`` and becomes an id (and a URL path) with a newline.
    In JSON Schema (ECMA-262) ``$`` only matches at the very end."""
    key = line.split(":")[0]
    base = {"id": "office", "name": "办公室", "kind": "其他", "functions": "[x]"}
    lines = [f"{k}: {v}" for k, v in base.items() if k != key] + [line]
    text = "institutions:\n  - " + "\n    ".join(lines) + "\n"
    assert [p.code for p in check("institutions", text)[1]] == [code]


@pytest.mark.parametrize("phone", ["１２３４５", "13８１２３４５６７８", "١٢٣٤٥"])
def test_phone_digits_are_ascii_digits(phone: str) -> None:
    """BUG: Python's ``\\d`` matches every Unicode digit, so a short number typed with
    a full-width IME (１２３４５) or Arabic-Indic digits passes the phone pattern and
    would become a broken ``tel:`` link. In ECMA-262 ``\\d`` is ``[0-9]``."""
    assert check_office(f'phone: "{phone}"') == ["invalid-phone"]


def test_region_code_digits_are_ascii_digits() -> None:
    """BUG (same cause): a full-width city code passes ``^\\d{6}$``."""
    _, problems = check("region", 'name: 淄博市\ncode: "３７０３００"\n'
                                  'counties: [{code: "370321", name: 桓台县, slug: huantai}]\n'
                                  "sources: []\n")
    assert [p.code for p in problems] == ["bad-format"]
