"""The strict loader: scalars as written, positions, and problems instead of exceptions."""

from __future__ import annotations

import pytest

from towncat.content.loader import (
    MAX_DEPTH,
    UNREADABLE,
    Plain,
    decode_bytes,
    load_yaml_file,
    parse_yaml,
)


def codes(parsed) -> list[str]:
    return [p.code for p in parsed.problems]


def where(parsed, code: str) -> list[tuple[int, int]]:
    return [(p.line, p.column) for p in parsed.problems if p.code == code]


# -- Scalars stay exactly as the editor typed them (no YAML 1.1 resolution).

AS_WRITTEN = [
    "05331234567",  # a phone number with its leading zero, not the int 5331234567
    "000117001000",  # an NBS-like code, not octal
    "010",  # not 8
    "no",  # not False
    "yes",  # not True
    "on",  # not True
    "off",
    "12:30",  # not the sexagesimal 750
    "1e3",  # not 1000.0
    "0x1F",  # not 31
    "0o17",
    "2024-01-05",  # not a datetime.date
    "2024-01-05T10:00:00",
    "1_000",
    ".inf",
    "-.5",
    "true",
    "12",
]


@pytest.mark.parametrize("written", AS_WRITTEN)
def test_plain_scalars_come_back_as_written(written: str) -> None:
    parsed = parse_yaml(f"value: {written}\nlist: [{written}]\n", "t.yaml")
    assert parsed.problems == []
    assert parsed.value == {"value": written, "list": [written]}
    assert type(parsed.value["value"]) is Plain
    assert type(parsed.value["list"][0]) is Plain


@pytest.mark.parametrize("written", AS_WRITTEN)
def test_quoted_scalars_are_plain_str_not_plain(written: str) -> None:
    parsed = parse_yaml(f"a: \"{written}\"\nb: '{written}'\n", "t.yaml")
    assert parsed.value == {"a": written, "b": written}
    assert type(parsed.value["a"]) is str
    assert type(parsed.value["b"]) is str


def test_keys_are_kept_as_written_too() -> None:
    parsed = parse_yaml("010: a\nno: b\n12:30: c\n", "t.yaml")
    assert parsed.problems == []
    assert list(parsed.value) == ["010", "no", "12:30"]


@pytest.mark.parametrize("null", ["", "~", "null", "Null", "NULL"])
def test_unquoted_nulls_are_none(null: str) -> None:
    assert parse_yaml(f"a: {null}\n", "t.yaml").value == {"a": None}


def test_quoted_null_is_a_string() -> None:
    assert parse_yaml('a: "null"\nb: ""\n', "t.yaml").value == {"a": "null", "b": ""}


def test_block_scalars_keep_their_text() -> None:
    parsed = parse_yaml("a: |\n  第一行\n  第二行\nb: >\n  折叠\n  文字\n", "t.yaml")
    assert parsed.value == {"a": "第一行\n第二行\n", "b": "折叠 文字\n"}


# -- Encodings and line endings.


def test_utf8_bom_is_accepted_and_positions_unchanged() -> None:
    text = "a: 1\n键: [马桥, &x 1]\n"
    raw = "\ufeff".encode() + text.encode()
    decoded, problems = decode_bytes(raw, "t.yaml")
    assert problems == []
    assert decoded == text
    with_bom = parse_yaml("\ufeff" + text, "t.yaml")
    without = parse_yaml(text, "t.yaml")
    assert with_bom.value == without.value == {"a": "1", "键": ["马桥", "1"]}
    assert where(with_bom, "anchor-alias") == where(without, "anchor-alias") == [(2, 9)]
    assert with_bom.positions == without.positions


def test_bom_file_on_disk(tmp_path) -> None:
    path = tmp_path / "t.yaml"
    path.write_bytes(b"\xef\xbb\xbf# yaml-language-server: $schema=x.json\na: 1\na: 2\n")
    parsed = load_yaml_file(path, "t.yaml")
    assert parsed.schema_line == "x.json"
    assert where(parsed, "duplicate-key") == [(3, 1)]


def test_crlf_line_endings_are_accepted_and_positions_right() -> None:
    text = "a: 1\r\nb: [x, &y 2]\r\nc: 3\r\nc: 4\r\n"
    parsed = parse_yaml(text, "t.yaml")
    assert parsed.value == {"a": "1", "b": ["x", "2"], "c": "3"}
    assert where(parsed, "anchor-alias") == [(2, 8)]
    assert where(parsed, "duplicate-key") == [(4, 1)]
    assert parsed.positions[("b", 1)] == (2, 8)


def test_crlf_file_with_invisible_character_reports_right_place() -> None:
    parsed = parse_yaml("a: 1\r\nb: 马\x00\r\n", "t.yaml")
    assert where(parsed, "control-character") == [(2, 5)]


def test_crlf_and_bom_on_disk(tmp_path) -> None:
    path = tmp_path / "t.yaml"
    path.write_bytes("\ufeffname: 马桥镇\r\nname: 又一个\r\n".encode())
    parsed = load_yaml_file(path, "t.yaml")
    assert where(parsed, "duplicate-key") == [(2, 1)]


def test_cr_only_line_endings_position_invisible_characters_like_yaml_does() -> None:
    """BUG: with old-Mac CR-only line endings libyaml counts lines (the duplicate key
    is on line 3), but ``find_text_problems`` counts only ``\\n``, so the NUL on line 3
    is reported at line 1 column 14."""
    duplicate = parse_yaml("a: 1\rb: 2\rb: 3\r", "t.yaml")
    assert where(duplicate, "duplicate-key") == [(3, 1)]
    nul = parse_yaml("a: 1\rb: 2\rc: \x00\r", "t.yaml")
    assert where(nul, "control-character") == [(3, 4)]


def test_gbk_file_is_not_utf8_with_a_hint(tmp_path) -> None:
    path = tmp_path / "t.yaml"
    path.write_bytes("code: \"370321105000\"\nname: 马桥镇\n".encode("gbk"))
    parsed = load_yaml_file(path, "t.yaml")
    (problem,) = parsed.problems
    assert problem.code == "not-utf8"
    assert (problem.line, problem.column) == (2, 7)
    assert "GBK" in problem.message


def test_not_utf8_column_counts_characters_not_bytes() -> None:
    """BUG: a stray non-UTF-8 byte after Chinese text is reported at a *byte* column
    (here 18, since 名称: 马桥镇 is 17 bytes) while every other position counts
    characters (名称: 马桥镇 is 7 characters, so the bad byte is column 8)."""
    raw = "名称: 马桥镇".encode() + b"\xff\n"
    _, (problem,) = decode_bytes(raw, "t.yaml")
    assert problem.code == "not-utf8"
    assert (problem.line, problem.column) == (1, 8)


# -- Positions: 1-based, one column per character, Chinese included.


def test_positions_are_one_based() -> None:
    parsed = parse_yaml("a: 1\n", "t.yaml")
    assert parsed.positions[()] == (1, 1)
    assert parsed.positions[("a",)] == (1, 4)
    assert parsed.key_positions[("a",)] == (1, 1)


def test_chinese_characters_count_one_column_each() -> None:
    parsed = parse_yaml("名称: 马桥镇\n别名: [南王镇, 边河镇, &x 金山镇]\n", "t.yaml")
    assert parsed.positions[("名称",)] == (1, 5)
    assert parsed.positions[("别名", 1)] == (2, 11)
    assert where(parsed, "anchor-alias") == [(2, 16)]


def test_characters_outside_the_bmp_count_one_column() -> None:
    parsed = parse_yaml("a: [𠀀𠀀, &x 1]\n", "t.yaml")
    assert where(parsed, "anchor-alias") == [(1, 9)]


def test_text_problem_columns_count_characters() -> None:
    parsed = parse_yaml("名称: 马桥\u202e镇\n", "t.yaml")
    assert where(parsed, "bidi-character") == [(1, 7)]


def test_position_falls_back_to_the_nearest_ancestor() -> None:
    parsed = parse_yaml("a:\n  b: 1\n", "t.yaml")
    assert parsed.position(("a", "missing", 3)) == (2, 3)
    assert parsed.position(("a", "b"), key=True) == (2, 3)
    assert parsed.position(("nothing",)) == (1, 1)


# -- Nesting.


def _nested(depth: int) -> str:
    return "[" * depth + "x" + "]" * depth


def test_nesting_up_to_the_limit_is_fine() -> None:
    parsed = parse_yaml(_nested(MAX_DEPTH), "t.yaml")  # the scalar sits at depth MAX_DEPTH
    assert parsed.problems == []


def test_nesting_one_deeper_than_the_limit_is_reported_once() -> None:
    parsed = parse_yaml(_nested(MAX_DEPTH + 1), "t.yaml")
    assert codes(parsed) == ["too-deep"]
    assert parsed.problems[0].line == 1
    assert parsed.problems[0].column == MAX_DEPTH + 2  # the scalar x at depth 17


def test_much_deeper_nesting_is_reported_once() -> None:
    parsed = parse_yaml(_nested(200), "t.yaml")
    assert codes(parsed) == ["too-deep"]


def test_several_deep_branches_are_reported_once() -> None:
    text = "a: " + _nested(30) + "\nb: " + _nested(30) + "\n"
    assert codes(parse_yaml(text, "t.yaml")) == ["too-deep"]


def test_block_nesting_deeper_than_the_limit_is_reported_once() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(40)) + "  " * 40 + "v\n"
    assert codes(parse_yaml(text, "t.yaml")) == ["too-deep"]


def test_pathological_nesting_is_a_problem_not_a_crash() -> None:
    """BUG: ``_Builder.node`` recurses once per level even past MAX_DEPTH, so a file
    with a few thousand ``[`` raises RecursionError (the CLI then reports an internal
    error, exit 3) instead of one ``too-deep`` problem."""
    try:
        parsed = parse_yaml(_nested(3_000), "t.yaml")
    except RecursionError:  # keep pytest from printing thousands of frames
        pytest.fail("parse_yaml raised RecursionError on 3000 nested lists")
    assert codes(parsed) == ["too-deep"]


# -- Each loader problem, with its position.


@pytest.mark.parametrize(("text", "code", "position"), [
    ("a: 1\na: 2\n", "duplicate-key", (2, 1)),
    ("a:\n  b: 1\n  b: 2\n", "duplicate-key", (3, 3)),
    ("a: &x 1\n", "anchor-alias", (1, 4)),
    ("a: *x\n", "anchor-alias", (1, 4)),
    ("a: !!str 1\n", "tag", (1, 4)),
    ("a: !custom 1\n", "tag", (1, 4)),
    ("? [a, b]\n: c\n", "bad-key", (1, 3)),
    ("{a: 1}: c\n", "bad-key", (1, 1)),
    ("a: 1\n---\nb: 2\n", "multiple-documents", (2, 1)),
    ("", "empty-file", (1, 1)),
    ("# 只有注释\n", "empty-file", (1, 1)),
    ("   \n\n", "empty-file", (1, 1)),
    ("a:\n\tb: 1\n", "tab-indent", (2, 1)),
    ("a:\n  \tb: 1\n", "tab-indent", (2, 3)),
    ("a: [1, 2\n", "yaml-syntax", (2, 1)),
    ("a: b: c\n", "yaml-syntax", (1, 5)),
    ("a: \x00\n", "control-character", (1, 4)),
    ("a: \x1b[31m\n", "control-character", (1, 4)),
    ("a: \x7f\n", "control-character", (1, 4)),
    ("a: x\x85y\n", "control-character", (1, 5)),
    ("a: \u200f\n", "bidi-character", (1, 4)),
    ("a: \u2066x\u2069\n", "bidi-character", (1, 4)),
    ("a: 1\u2029\n", "line-separator", (1, 5)),
])
def test_loader_problem(text: str, code: str, position: tuple[int, int]) -> None:
    parsed = parse_yaml(text, "t.yaml")
    assert code in codes(parsed)
    assert position in where(parsed, code)


def test_anchor_and_alias_are_each_reported() -> None:
    parsed = parse_yaml("a: &x 1\nb: *x\n", "t.yaml")
    assert where(parsed, "anchor-alias") == [(1, 4), (2, 4)]
    assert parsed.value == {"a": "1", "b": UNREADABLE}


def test_anchor_on_a_key_is_an_anchor_problem() -> None:
    """BUG (minor): an anchor on a mapping key is reported as ``tag`` ("使用了 YAML 标签")
    although it is an anchor; the code should be ``anchor-alias``."""
    parsed = parse_yaml("&k name: 马桥镇\n", "t.yaml")
    assert codes(parsed) == ["anchor-alias"]


def test_tag_on_a_key_is_a_tag() -> None:
    parsed = parse_yaml("!!str name: 马桥镇\n", "t.yaml")
    assert codes(parsed) == ["tag"]


def test_every_duplicate_is_reported() -> None:
    parsed = parse_yaml("a: 1\na: 2\na: 3\n", "t.yaml")
    assert where(parsed, "duplicate-key") == [(2, 1), (3, 1)]
    assert parsed.value == {"a": "1"}  # the first one wins


def test_text_problems_do_not_stop_parsing() -> None:
    parsed = parse_yaml("a: \x00\na: 2\n", "t.yaml")
    assert codes(parsed) == ["control-character", "duplicate-key"]
    assert where(parsed, "duplicate-key") == [(2, 1)]


def test_allowed_whitespace_is_not_a_problem() -> None:
    parsed = parse_yaml("a: \"x\ty\"\r\nb: |\n  z\n", "t.yaml")
    assert parsed.problems == []


def test_schema_line_is_found_in_the_first_comments() -> None:
    parsed = parse_yaml("# 注释\n"
                        "# yaml-language-server: $schema=../../../schemas/town.schema.json\n"
                        "a: 1\n", "t.yaml")
    assert parsed.schema_line == "../../../schemas/town.schema.json"
    assert parse_yaml("a: 1\n", "t.yaml").schema_line is None


def test_file_too_large(tmp_path, monkeypatch) -> None:
    from towncat.content import loader

    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 10)
    path = tmp_path / "t.yaml"
    path.write_bytes(b"a: 12345678\n")
    parsed = load_yaml_file(path, "t.yaml")
    assert codes(parsed) == ["file-too-large"]
    assert (parsed.problems[0].line, parsed.problems[0].column) == (0, 0)


def test_problems_carry_the_source_name() -> None:
    parsed = parse_yaml("a: 1\na: 2\n", "content/towns/alpha/town.yaml")
    assert parsed.problems[0].file == "content/towns/alpha/town.yaml"
    assert parsed.problems[0].path == "a"
