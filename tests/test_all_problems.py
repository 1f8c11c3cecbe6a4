"""Every problem in one run: slips, syntax errors, schema and cross-file problems of one
file are all reported together, each at its own line and column."""

from __future__ import annotations

from towncat_conftest import (
    ALPHA_INSTITUTIONS_YAML,
    ALPHA_POWERS_YAML,
    REGION_YAML,
    parse_output,
    run_check,
)

from towncat.content.loader import parse_yaml

# Ten different mistakes, one per line marked with its expected code and column.
TEN_MISTAKES = """\
# yaml-language-server: $schema=../../../schemas/powers.schema.json
title: 马桥镇赋权事项清单
sources:
  - title: 关于印发马桥镇放权目录的通知
powers:
  - id: cf-0001
    name: 对擅自占用城市绿化用地的行政处罚
    type：行政处罚
    basis:
      - law: 《城市绿化条例》
    handling_office: enforcment
  - id: cf-0002
    name:对违反规定的行政处罚
    type: 行政许诺
    basis:
      -law: 《城市绿化条例》
    handling_office: enforcement
    keywords: [绿地，树木]
  - id: cf-0003
    name: 第三项
    type: 行政处罚
    basis:
      - law: 《城市绿化条例》
    handling_office: enforcement
    effective_from: 2024-02-30
    keyword: [绿化]
  - id: cf-0004
    name: 第四项
    type: 行政处罚
    handling_office: enforcement
    notes: @村居
  - id: cf-0001
    name: "第五项
    type: 行政处罚
    basis:
      - law: 《城市绿化条例》
    handling_office: enforcement
"""
EXPECTED = {
    (8, 9, "fullwidth-colon"),
    (11, 22, "unknown-office"),
    (13, 9, "missing-space"),
    (14, 11, "not-in-enum"),
    (16, 7, "missing-space"),
    (18, 18, "fullwidth-comma"),
    (25, 21, "invalid-date"),
    (26, 5, "unknown-key"),
    (27, 5, "missing-field"),
    (31, 12, "needs-quotes"),
    (32, 9, "duplicate-id"),
    (33, 11, "yaml-syntax"),
}


def test_a_file_with_ten_kinds_of_mistake_reports_each_at_its_line(project) -> None:
    root = project({"towns/alpha/powers.yaml": TEN_MISTAKES})
    exit_code, output = run_check(root)
    reported = {
        (r.line, r.column, r.code)
        for r in parse_output(output)
        if r.file == "content/towns/alpha/powers.yaml"
    }
    assert reported == EXPECTED, output
    assert len({code for _, _, code in EXPECTED}) >= 10
    assert exit_code == 1
    assert "是否想写“enforcement”" in output  # the misspelt office id
    assert "是否想写 keywords" in output
    assert "是否想写“行政许可”" in output


def test_unclosed_quote_is_reported_where_it_opens() -> None:
    parsed = parse_yaml('a: 1\nb: "abc\nc: 2\nd: 3\n', "t.yaml")
    (problem,) = parsed.problems
    assert (problem.line, problem.column, problem.code) == (2, 4, "yaml-syntax")
    assert "引号" in problem.message
    assert parsed.value == {"a": "1", "b": "abc", "c": "2", "d": "3"}


def test_fullwidth_colon_is_reported_on_its_own_line_in_chinese() -> None:
    parsed = parse_yaml("powers:\n  - id: x\n    type：行政处罚\n    name: y\n", "t.yaml")
    (problem,) = parsed.problems
    assert (problem.line, problem.column, problem.code) == (3, 9, "fullwidth-colon")
    assert "：" in problem.message
    assert parsed.value == {"powers": [{"id": "x", "type": "行政处罚", "name": "y"}]}


def test_several_syntax_errors_are_all_reported() -> None:
    text = "a: 1\n  b: 2\nc: 3\n  d: 4\ne: 5\n"
    parsed = parse_yaml(text, "t.yaml")
    assert [(p.line, p.code) for p in parsed.problems] == [(2, "yaml-syntax"), (4, "yaml-syntax")]
    assert all("YAML 语法错误" in p.message for p in parsed.problems)
    assert parsed.value == {"a": "1", "c": "3", "e": "5"}


def test_block_scalars_are_not_mistaken_for_slips() -> None:
    text = "notes: |\n  -见附件\n  时间:每周一\n  @所有人\nb: c\n"
    parsed = parse_yaml(text, "t.yaml")
    assert parsed.problems == []
    assert parsed.value["notes"] == "-见附件\n时间:每周一\n@所有人\n"


def test_urls_in_lists_are_not_missing_spaces() -> None:
    parsed = parse_yaml("links:\n  - https://example.cn/a\n  - mailto:a@b.cn\n", "t.yaml")
    assert parsed.problems == []


def test_a_five_thousand_digit_number_is_out_of_range_not_an_internal_error(
    project, capsys
) -> None:
    huge = "9" * 5000
    broken = ALPHA_INSTITUTIONS_YAML.replace("administrative: 5", f"administrative: {huge}")
    root = project({"towns/alpha/institutions.yaml": broken})
    exit_code, output = run_check(root)
    assert "内部错误" not in capsys.readouterr().err
    codes = [r.code for r in parse_output(output)]
    assert codes == ["out-of-range"], output
    assert huge not in output
    assert exit_code == 1


def test_a_county_slug_follows_the_same_rules_as_a_town_folder(project) -> None:
    region = REGION_YAML.replace("slug: zichuan", "slug: con")
    exit_code, output = run_check(project({"region.yaml": region}))
    (problem,) = parse_output(output)
    assert (problem.code, problem.file, problem.line) == (
        "reserved-slug",
        "content/region.yaml",
        10,
    )
    assert exit_code == 1


def test_an_error_in_one_item_does_not_hide_a_cross_file_error_in_another(project) -> None:
    powers = ALPHA_POWERS_YAML.replace("type: 行政处罚", "type: 处罚") + (
        "  - id: cf-0002\n"
        "    name: 另一项\n"
        "    type: 行政处罚\n"
        "    basis:\n"
        "      - law: 《城市绿化条例》\n"
        "    handling_office: safty\n"
    )
    exit_code, output = run_check(project({"towns/alpha/powers.yaml": powers}))
    assert exit_code == 1
    codes = sorted(r.code for r in parse_output(output))
    assert codes == ["not-in-enum", "unknown-office"], output
    assert "是否想写“safety”" in output


# -- towncat.toml is input too: every fault is a configuration error (exit 2), never 内部错误.

BAD_CONFIGS = {
    "huge integer": "search_bundle_towns = " + "9" * 5000 + "\n",
    "integer out of range": "search_bundle_towns = 99999999999999999999\n",
    "output outside the project": 'output_dir = "../elsewhere"\n',
    "absolute output": 'output_dir = "/tmp/site"\n',
    "content at the root": 'content_dir = "."\n',
    "control character": 'title = "镇街\\u0000清单"\n',
}


def test_bad_configuration_is_a_clear_error(project, capsys) -> None:
    for name, text in BAD_CONFIGS.items():
        root = project(config=text)
        exit_code, _ = run_check(root)
        err = capsys.readouterr().err
        assert exit_code == 2, name
        assert "配置错误" in err and "内部错误" not in err, (name, err)


def test_configuration_in_gbk_is_a_clear_error(project, capsys) -> None:
    root = project()
    (root / "towncat.toml").write_bytes('title = "淄博"\n'.encode("gbk"))
    exit_code, _ = run_check(root)
    err = capsys.readouterr().err
    assert exit_code == 2
    assert "UTF-8" in err and "内部错误" not in err
