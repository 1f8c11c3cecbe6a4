"""Checks across fields and files, and how an error in one file affects the others."""

from __future__ import annotations

from towncat_conftest import (
    ALPHA_DUTIES_YAML,
    ALPHA_INSTITUTIONS_YAML,
    ALPHA_POWERS_YAML,
    ALPHA_TOWN_YAML,
    REGION_YAML,
    parse_output,
    run_check,
)

DUTY_SOURCES = "sources:\n  - title: 马桥镇职责任务清单\n"
INSTITUTION_SOURCES = "sources:\n  - title: 马桥镇机构设置方案\n"


def codes(output: str) -> list[str]:
    return [r.code for r in parse_output(output)]


def test_powers_without_institutions_file_are_unknown_offices(project) -> None:
    root = project({"towns/alpha/institutions.yaml": None})
    code, output = run_check(root)
    assert code == 1
    assert sorted(codes(output)) == ["unknown-office", "unknown-office"]
    assert "尚未建立" in output


def test_invalid_institutions_file_does_not_make_every_reference_unknown(project) -> None:
    """BUG: when institutions.yaml exists but fails its schema (here one typo in a
    ``kind``), ``validate_catalogue`` treats it as absent, so every power and duty of
    the town also gets [unknown-office] saying institutions.yaml is “尚未建立” (not yet
    set up) — false errors, with a false message, in files that are fine. Cross-file
    checks should skip references into a file that exists but is invalid."""
    broken = ALPHA_INSTITUTIONS_YAML.replace("kind: 党政工作机构", "kind: 党政机构", 1)
    code, output = run_check(project({"towns/alpha/institutions.yaml": broken}))
    assert code == 1
    assert codes(output) == ["not-in-enum"], output


def test_invalid_town_file_does_not_make_sample_lists_need_sources(project) -> None:
    """BUG (same cause, warnings): a sample town whose town.yaml has an unrelated error
    is treated as non-sample, so its lists without sources get [missing-sources]."""
    beta_town = (ALPHA_TOWN_YAML.replace('"370321105000"', '"370302001000"')
                 .replace("马桥镇", "般阳路街道").replace("kind: 镇", "kind: 街道")
                 .replace("county: 桓台县", "county: 淄川区")
                 .replace("sample: false", "sample: true\nsample_note: 示例。\nsumary: 错字"))
    beta_duties = ALPHA_DUTIES_YAML.replace(DUTY_SOURCES, "")
    beta_institutions = ALPHA_INSTITUTIONS_YAML.replace(INSTITUTION_SOURCES, "")
    root = project({"towns/beta/town.yaml": beta_town, "towns/beta/duties.yaml": beta_duties,
                    "towns/beta/institutions.yaml": beta_institutions})
    code, output = run_check(root)
    assert code == 1
    assert codes(output) == ["unknown-key"], output


def test_sample_town_lists_need_no_sources(project) -> None:
    beta_duties = ALPHA_DUTIES_YAML.replace(DUTY_SOURCES, "")
    beta_institutions = ALPHA_INSTITUTIONS_YAML.replace(INSTITUTION_SOURCES, "")
    root = project({"towns/beta/duties.yaml": beta_duties,
                    "towns/beta/institutions.yaml": beta_institutions})
    code, output = run_check(root)
    assert code == 0, output
    assert codes(output) == []


def test_approval_counts_as_a_source(project) -> None:
    duties = ALPHA_DUTIES_YAML.replace(DUTY_SOURCES,
                                       "approval:\n  title: 关于印发马桥镇职责任务清单的通知\n")
    code, output = run_check(project({"towns/alpha/duties.yaml": duties}))
    assert code == 0, output
    assert codes(output) == []


def test_item_phones_satisfy_contact(project) -> None:
    powers = ALPHA_POWERS_YAML.replace("handling_office: enforcement",
                                       "handling_office: party-office\n"
                                       "    phones:\n      consult: 0533-8181299")
    code, output = run_check(project({"towns/alpha/powers.yaml": powers}))
    assert code == 0, output
    assert codes(output) == []


def test_duties_without_phone_need_no_contact(project) -> None:
    duties = ALPHA_DUTIES_YAML.replace("lead_office: safety", "lead_office: party-office")
    code, output = run_check(project({"towns/alpha/duties.yaml": duties}))
    assert code == 0, output


def test_same_id_in_different_lists_and_towns_is_fine(project) -> None:
    beta_powers = ALPHA_POWERS_YAML.replace("sources:\n  - title: 关于印发马桥镇放权目录的通知\n"
                                            "    document_number: 桓编发〔2021〕1号\n", "")
    beta_institutions = ALPHA_INSTITUTIONS_YAML
    duties = ALPHA_DUTIES_YAML.replace("id: zt-0001", "id: cf-0001")
    root = project({"towns/alpha/duties.yaml": duties, "towns/beta/powers.yaml": beta_powers,
                    "towns/beta/institutions.yaml": beta_institutions})
    code, output = run_check(root)
    assert code == 0, output


def test_covers_towns_may_name_an_existing_town(project) -> None:
    institutions = ALPHA_INSTITUTIONS_YAML.replace("    phone: 0533-8181234",
                                                   "    phone: 0533-8181234\n"
                                                   "    covers_towns: [beta]")
    code, output = run_check(project({"towns/alpha/institutions.yaml": institutions}))
    assert code == 0, output


def test_equal_dates_are_in_order(project) -> None:
    powers = ALPHA_POWERS_YAML + "    effective_to: 2024-01-01\n"
    code, output = run_check(project({"towns/alpha/powers.yaml": powers}))
    assert code == 0, output


def test_duplicate_town_right_id(project) -> None:
    region = REGION_YAML.replace("sources:", (
        "town_rights:\n  - id: planning\n    name: 规划参与权\n"
        "  - id: planning\n    name: 重大决策建议权\nsources:"))
    code, output = run_check(project({"region.yaml": region}))
    assert code == 1
    (problem,) = parse_output(output)
    assert problem.code == "duplicate-id"
    assert (problem.file, problem.line, problem.column) == ("content/region.yaml", 14, 9)


def test_duplicate_county_name(project) -> None:
    region = REGION_YAML.replace("name: 淄川区", "name: 桓台县")
    code, output = run_check(project({"region.yaml": region}))
    assert code == 1
    assert "duplicate-id" in codes(output)


def test_every_duplicate_id_is_reported_with_the_first_line(project) -> None:
    item = ALPHA_POWERS_YAML.split("powers:\n", 1)[1]
    powers = ALPHA_POWERS_YAML + item + item
    code, output = run_check(project({"towns/alpha/powers.yaml": powers}))
    assert code == 1
    duplicates = [r for r in parse_output(output) if r.code == "duplicate-id"]
    assert len(duplicates) == 2
    assert all("与第 7 行的事项重复" in r.text for r in duplicates)


def test_invalid_region_skips_town_checks_without_crashing(project) -> None:
    region = REGION_YAML.replace('code: "370300"', "code: 370300x")
    code, output = run_check(project({"region.yaml": region}))
    assert code == 1
    assert codes(output) == ["bad-format"]
