"""``build.py check``: exit codes, output format, summary, --strict, errors of the tool itself."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import pytest
from towncat_conftest import (
    ALPHA_DUTIES_YAML,
    ALPHA_POWERS_YAML,
    PROBLEM_LINE,
    REPO,
    parse_output,
    run_check,
    summary,
)

from towncat.cli import EXIT_INTERNAL, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, main

# ``file:line:col: error: path: message [code]``, exactly.
FULL_FORMAT = re.compile(
    r"^content/[a-z/._-]+\.yaml:\d+:\d+: (error|warning): [\w.\[\]]+: \S.* \[[a-z0-9-]+\]$"
)

WARNING_ONLY = {"towns/alpha/duties.yaml": ALPHA_DUTIES_YAML.split("\n", 1)[1]}  # no $schema line


# -- 0: clean.


def test_shipped_content_is_clean() -> None:
    code, output = run_check(REPO)
    assert code == EXIT_OK, output
    lines = output.splitlines()
    assert lines[-1] == "检查通过：0 个错误，0 个警告"
    totals = r"共 88 个镇街，赋权事项 \d+ 项，职责 \d+ 项，机构 \d+ 个"
    assert re.fullmatch(totals, lines[-2]), output
    assert parse_output(output) == []


def test_build_py_check_on_the_shipped_content() -> None:
    result = subprocess.run([sys.executable, "build.py", "check"], cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "共 88 个镇街" in result.stdout
    assert result.stdout.rstrip().endswith("检查通过：0 个错误，0 个警告")
    assert result.stderr == ""


def test_minimal_project_is_clean(project) -> None:
    code, output = run_check(project())
    assert code == EXIT_OK
    assert output.splitlines() == [
        "  马桥镇（桓台县）：赋权事项 1 项，职责 1 项，机构 3 个",
        "共 2 个镇街，赋权事项 1 项，职责 1 项，机构 3 个",
        "检查通过：0 个错误，0 个警告",
    ]


def test_help_exits_zero(capsys) -> None:
    assert main(["--help"], out=io.StringIO()) == EXIT_OK
    assert "check" in capsys.readouterr().out


# -- 1: problems.


def _broken_powers() -> str:
    return (ALPHA_POWERS_YAML
            .replace("type: 行政处罚", "type: 行政处理")
            .replace("effective_from: 2024-01-01", "effective_from: 2024/01/01"))


def test_problems_exit_one_with_the_editor_format(project) -> None:
    root = project({"towns/alpha/powers.yaml": _broken_powers()})
    code, output = run_check(root)
    assert code == EXIT_PROBLEMS
    problem_lines = output.splitlines()[:-1]
    assert len(problem_lines) == 2
    for line in problem_lines:
        assert FULL_FORMAT.match(line), line
    assert problem_lines[0].startswith(
        "content/towns/alpha/powers.yaml:9:11: error: powers[0].type: “行政处理”不是允许的取值")
    assert problem_lines[0].endswith(" [not-in-enum]")
    assert problem_lines[1].startswith(
        "content/towns/alpha/powers.yaml:15:21: error: powers[0].effective_from: ")
    assert problem_lines[1].endswith(" [invalid-date]")
    assert output.splitlines()[-1] == "检查未通过：2 个错误，0 个警告"


def test_no_catalogue_summary_when_there_are_errors(project) -> None:
    code, output = run_check(project({"towns/alpha/powers.yaml": _broken_powers()}))
    assert code == EXIT_PROBLEMS
    assert "共 " not in output
    assert "赋权事项" not in output


def test_problems_are_sorted_by_file_and_position(project) -> None:
    root = project({
        "towns/beta/town.yaml": (
            "# yaml-language-server: $schema=../../../schemas/town.schema.json\n"
            "name: 般阳路街道\n"
        ),
        "towns/alpha/powers.yaml": _broken_powers(),
        "region.yaml": "name: 淄博市\n",
    })
    code, output = run_check(root)
    assert code == EXIT_PROBLEMS
    keys = [(r.file, r.line, r.column) for r in parse_output(output)]
    assert keys == sorted(keys)
    assert keys[0][0] == "content/region.yaml"


def test_line_without_key_path_and_without_position(project) -> None:
    root = project({**WARNING_ONLY, "towns/alpha/notes.txt": "x"})
    _, output = run_check(root)
    lines = output.splitlines()
    assert ("content/towns/alpha/duties.yaml:1:1: warning: 请在文件第一行加入："
            "# yaml-language-server: $schema=../../../schemas/duties.schema.json "
            "[missing-schema-line]") in lines
    unknown = [line for line in lines if line.endswith("[unknown-file]")]
    assert len(unknown) == 1
    assert unknown[0].startswith("content/towns/alpha/notes.txt: error: 不认识的文件 notes.txt")


def test_summary_counts_errors_and_warnings(project) -> None:
    root = project({**WARNING_ONLY, "towns/alpha/powers.yaml": _broken_powers()})
    code, output = run_check(root)
    assert code == EXIT_PROBLEMS
    counted = summary(output)
    reported = parse_output(output)
    assert counted["verdict"] == "未通过"
    assert int(counted["errors"]) == sum(r.severity == "error" for r in reported) == 2
    assert int(counted["warnings"]) == sum(r.severity == "warning" for r in reported) == 1


def test_every_output_line_is_a_problem_a_town_or_the_summary(project) -> None:
    root = project({**WARNING_ONLY})
    _, output = run_check(root)
    for line in output.splitlines():
        assert (PROBLEM_LINE.match(line) or line.startswith("  ") or line.startswith("共 ")
                or line.startswith("检查")), line


# -- --strict.


def test_warnings_alone_pass(project) -> None:
    code, output = run_check(project(WARNING_ONLY))
    assert code == EXIT_OK, output
    (problem,) = parse_output(output)
    assert problem.severity == "warning"
    assert output.splitlines()[-1] == "检查通过：0 个错误，1 个警告"
    assert "共 2 个镇街" in output  # the catalogue is still built


def test_strict_turns_warnings_into_errors(project) -> None:
    code, output = run_check(project(WARNING_ONLY), strict=True)
    assert code == EXIT_PROBLEMS, output
    (problem,) = parse_output(output)
    assert problem.severity == "error"
    assert problem.code == "missing-schema-line"
    assert output.splitlines()[-1] == "检查未通过：1 个错误，0 个警告"


def test_strict_on_clean_content_passes(project) -> None:
    code, output = run_check(project(), strict=True)
    assert code == EXIT_OK
    assert output.endswith("检查通过：0 个错误，0 个警告\n")


# -- 2: usage and configuration.


@pytest.mark.parametrize("argv", [
    ["--bogus"],
    ["check", "--bogus"],
    ["frobnicate"],
    ["--root"],
])
def test_usage_errors_exit_two(argv: list[str], capsys) -> None:
    out = io.StringIO()
    assert main(argv, out=out) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "usage:" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(("config", "message"), [
    ('colour = "red"\n', "未知的配置项 colour"),
    ('title = "未闭合\n', "TOML 语法错误"),
    ("title = 3\n", "配置项 title 应为文字"),
    ('base_url = "ftp://example.org/"\n', "base_url 应为 http:// 或 https://"),
    ('base_url = "https://example.org/?x=1"\n', "base_url 不能带 ? 或 # 部分"),
])
def test_bad_config_exits_two(project, capsys, config: str, message: str) -> None:
    root = project(config=config)
    code, output = run_check(root)
    assert code == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("配置错误：towncat.toml: ")
    assert message in err
    assert "Traceback" not in err
    assert output == ""


def test_good_config_is_used(project) -> None:
    root = project(config='content_dir = "data"\nbase_url = "https://example.org/towns"\n')
    (root / "content").rename(root / "data")
    code, output = run_check(root)
    assert code == EXIT_OK, output
    assert "共 2 个镇街" in output


# -- 3: internal errors.


def _broken_schema_project(project):
    root = project(config='schema_dir = "broken-schemas"\n')
    broken = root / "broken-schemas"
    broken.mkdir()
    for schema in (REPO / "schemas").glob("*.schema.json"):
        (broken / schema.name).write_text(schema.read_text(encoding="utf-8"), encoding="utf-8")
    (broken / "town.schema.json").write_text('{"type": "object",', encoding="utf-8")
    return root


def test_internal_error_is_one_line_without_traceback(project, capsys) -> None:
    root = _broken_schema_project(project)
    code, output = run_check(root)
    assert code == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("内部错误：JSONDecodeError: ")
    assert lines[0].endswith("（加 -v 查看回溯）")
    assert output == ""


def test_internal_error_with_verbose_shows_the_traceback(project, capsys) -> None:
    root = _broken_schema_project(project)
    code, _ = run_check(root, "-v")
    assert code == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):")
    assert "json.decoder.JSONDecodeError" in err
    assert err.splitlines()[-1].startswith("内部错误：JSONDecodeError: ")


def test_internal_error_exit_code_through_build_py(project) -> None:
    root = _broken_schema_project(project)
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), "check"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == EXIT_INTERNAL
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_problems_exit_code_through_build_py(project) -> None:
    root = project({"towns/alpha/powers.yaml": _broken_powers()})
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), "check"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == EXIT_PROBLEMS
    assert "[not-in-enum]" in result.stdout


def test_pathologically_deep_file_is_a_problem_not_an_internal_error(project, capsys) -> None:
    """BUG: a content file nested a few thousand levels deep makes the loader raise
    RecursionError, so ``check`` prints 内部错误 and exits 3 instead of reporting
    [too-deep] and exiting 1 (see test_loader.py)."""
    deep = "[" * 3000 + "深" + "]" * 3000
    root = project({"towns/alpha/powers.yaml": ALPHA_POWERS_YAML + f"    notes: {deep}\n"})
    code, output = run_check(root)
    assert "内部错误" not in capsys.readouterr().err
    assert code == EXIT_PROBLEMS
    # notes must be text: that it is a list is reported too, in the same run
    assert {r.code for r in parse_output(output)} == {"too-deep", "wrong-type"}
