"""One invalid input per failure kind, each checked for its code, place and exit code.

Most kinds are files in ``tests/invalid/``: each is the whole content of one file of
the minimal project (see ``conftest.py``), with a header saying which file it replaces
and what ``check`` must report::

    # replaces: towns/alpha/powers.yaml
    # expect: duplicate-key 12:5          (code line:column in this very file)
    # expect: no-contact towns/alpha/powers.yaml:12:22   (another file of content/)
    # expect: unknown-file -              (no position)
    # expect-message: 是否想写 keywords   (text that must appear in that problem's line)
    # with-file: towns/alpha/forms/表.pdf <html>…   (another file the case needs, as text)
    # with-file-bytes: towns/alpha/forms/大.pdf 6000000   (a PDF of that many bytes)

Line numbers count the header lines too: a fixture is exactly the file ``check`` reads.
Byte-level kinds (encodings, invisible characters, size) are built below in Python,
and folder-level kinds (slugs, unexpected or missing files) are tests at the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from towncat_conftest import (
    ALPHA_INSTITUTIONS_YAML,
    ALPHA_POWERS_YAML,
    ALPHA_TOWN_YAML,
    MINIMAL_FILES,
    parse_output,
    run_check,
    summary,
)

from towncat.content.loader import MAX_FILE_BYTES
from towncat.content.problems import CODES, Severity

FIXTURES = Path(__file__).parent / "invalid"


@dataclass(frozen=True)
class Expect:
    code: str
    file: str  # relative to content/
    line: int  # 0: no position
    column: int


@dataclass(frozen=True)
class Case:
    name: str
    replaces: str  # relative to content/
    data: str | bytes
    expects: tuple[Expect, ...]
    messages: tuple[str, ...] = ()
    extra: tuple[tuple[str, bytes], ...] = ()  # (path relative to content/, bytes)


_WHERE = re.compile(r"^(?:(?P<file>[^:]+):)?(?P<line>\d+):(?P<col>\d+)$")


def _parse_header(name: str, text: str) -> Case:
    replaces = None
    expects: list[Expect] = []
    messages: list[str] = []
    extra: list[tuple[str, bytes]] = []
    pending: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].strip().partition(":")
        value = value.strip()
        if key == "replaces":
            replaces = value
        elif key == "expect":
            code, _, where = value.partition(" ")
            pending.append((code, where.strip()))
        elif key == "expect-message":
            messages.append(value)
        elif key == "with-file":
            path, _, data = value.partition(" ")
            extra.append((path, data.encode("utf-8")))
        elif key == "with-file-bytes":
            path, _, size = value.partition(" ")
            extra.append((path, b"%PDF-1.4\n" + b"0" * int(size)))
    optional = ("thesaurus.yaml",)  # content files the minimal project does without
    assert replaces in (*MINIMAL_FILES, *optional), (
        f"{name}: '# replaces:' must name a file of the project"
    )
    for code, where in pending:
        if where in ("", "-"):
            expects.append(Expect(code, replaces, 0, 0))
            continue
        match = _WHERE.match(where)
        assert match, f"{name}: bad position {where!r}"
        expects.append(Expect(code, match["file"] or replaces, int(match["line"]),
                              int(match["col"])))
    assert expects, f"{name}: no '# expect:' line"
    return Case(name, replaces, text, tuple(expects), tuple(messages), tuple(extra))


def _file_cases() -> list[Case]:
    cases = []
    for path in sorted(FIXTURES.glob("*.yaml")):
        text = path.read_bytes().decode("utf-8")
        cases.append(_parse_header(path.name, text))
    return cases


def _byte_cases() -> list[Case]:
    """Kinds that need bytes an editor would not show, built from the clean files."""
    town_gbk = ALPHA_TOWN_YAML.encode("gbk")  # 马桥镇 on line 3, column 7
    nul = ALPHA_POWERS_YAML.replace("name: 对擅自", "name: 对擅\x00自")
    bidi = ALPHA_POWERS_YAML.replace("name: 对擅自", "name: 对擅\u202e自")
    separator = ALPHA_POWERS_YAML.replace("name: 对擅自", "name: 对擅\u2028自")
    nel = ALPHA_POWERS_YAML.replace("name: 对擅自", "name: 对擅\x85自")
    vertical_tab = ALPHA_INSTITUTIONS_YAML.replace("phone: 0533", "phone: \x0b0533")
    padding = "# " + "注" * 100 + "\n"
    too_large = ALPHA_POWERS_YAML + padding * (MAX_FILE_BYTES // len(padding.encode()) + 1)
    # The line "    name: 对擅自占用…" is line 8 of ALPHA_POWERS_YAML; 对擅 are columns 11–12.
    return [
        Case("not-utf8 (GBK)", "towns/alpha/town.yaml", town_gbk,
             (Expect("not-utf8", "towns/alpha/town.yaml", 3, 7),), ("GBK",)),
        Case("file-too-large", "towns/alpha/powers.yaml", too_large,
             (Expect("file-too-large", "towns/alpha/powers.yaml", 0, 0),)),
        Case("control-character (NUL)", "towns/alpha/powers.yaml", nul,
             (Expect("control-character", "towns/alpha/powers.yaml", 8, 13),), ("U+0000",)),
        Case("control-character (NEL)", "towns/alpha/powers.yaml", nel,
             (Expect("control-character", "towns/alpha/powers.yaml", 8, 13),), ("U+0085",)),
        Case("control-character (VT)", "towns/alpha/institutions.yaml", vertical_tab,
             (Expect("control-character", "towns/alpha/institutions.yaml", 10, 12),)),
        Case("bidi-character (RLO)", "towns/alpha/powers.yaml", bidi,
             (Expect("bidi-character", "towns/alpha/powers.yaml", 8, 13),), ("U+202E",)),
        Case("line-separator (U+2028)", "towns/alpha/powers.yaml", separator,
             (Expect("line-separator", "towns/alpha/powers.yaml", 8, 13),), ("U+2028",)),
    ]


CASES = _file_cases() + _byte_cases()


def _expected_exit(case: Case) -> int:
    errors = any(CODES[e.code].severity is Severity.ERROR for e in case.expects)
    return 1 if errors else 0


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_fixture(case: Case, project, capsys) -> None:
    root = project({case.replaces: case.data, **dict(case.extra)})
    exit_code, output = run_check(root)
    stderr = capsys.readouterr().err
    assert "Traceback" not in output + stderr
    assert "内部错误" not in stderr, stderr
    reported = parse_output(output)
    for expect in case.expects:
        where = f"content/{expect.file}"
        hits = [r for r in reported if r.code == expect.code and r.file == where
                and (r.line, r.column) == (expect.line, expect.column)]
        assert hits, (f"expected [{expect.code}] at {where}:{expect.line}:{expect.column}; "
                      f"check printed:\n{output}")
        assert all(r.severity == CODES[expect.code].severity.value for r in hits)
    # The files a fixture is about report exactly the expected codes (problems that an
    # error in one file causes in another are covered by their own tests).
    files = {f"content/{e.file}" for e in case.expects} | {f"content/{case.replaces}"}
    assert {r.code for r in reported if r.file in files} == {e.code for e in case.expects}, output
    for message in case.messages:
        codes = {e.code for e in case.expects}
        assert any(message in r.text for r in reported if r.code in codes), output
    assert exit_code == _expected_exit(case), output
    counted = summary(output)
    assert int(counted["errors"]) + int(counted["warnings"]) == len(reported)

    strict_code, strict_output = run_check(root, strict=True)
    assert strict_code == 1, strict_output
    assert all(r.severity == "error" for r in parse_output(strict_output))


def test_fixtures_cover_every_file_level_code() -> None:
    """Every problem code is triggered by a fixture here or by a folder-level test below."""
    folder_level = {
        "invalid-slug", "reserved-slug", "missing-town-file", "unknown-file", "symlink",
    }
    # codes about the git repository, each tested with a real one in test_public_record.py
    repository_level = {"bad-revision", "unknown-revision", "edition-source", "note-not-trailer"}
    covered = {e.code for case in CASES for e in case.expects} | folder_level | repository_level
    assert set(CODES) - covered == set()


def test_fixture_names_are_unique_and_headers_first() -> None:
    for path in FIXTURES.glob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# replaces: "), path.name


# -- Folder-level kinds: a fixture cannot be "one file", so they are written here.


def _only(output: str, code: str) -> list:
    reported = parse_output(output)
    assert {r.code for r in reported} == {code}, output
    return reported


def test_invalid_slug(project) -> None:
    town = ALPHA_TOWN_YAML.replace('"370321105000"', '"370321106000"')
    root = project({"towns/Ma_Qiao/town.yaml": town})
    exit_code, output = run_check(root)
    (problem,) = _only(output, "invalid-slug")
    assert problem.file == "content/towns/Ma_Qiao"
    assert (problem.line, problem.column) == (0, 0)
    assert "Ma_Qiao" in problem.text
    assert exit_code == 1


def test_reserved_slug(project) -> None:
    town = ALPHA_TOWN_YAML.replace('"370321105000"', '"370321106000"')
    root = project({"towns/index/town.yaml": town})
    exit_code, output = run_check(root)
    (problem,) = _only(output, "reserved-slug")
    assert problem.file == "content/towns/index"
    assert exit_code == 1


def test_missing_town_file(project) -> None:
    root = project({"towns/alpha/town.yaml": None})
    exit_code, output = run_check(root)
    (problem,) = _only(output, "missing-town-file")
    assert problem.file == "content/towns/alpha/town.yaml"
    assert exit_code == 1


def test_empty_town_folder_is_missing_its_town_file(project) -> None:
    root = project()
    (root / "content/towns/gamma").mkdir()
    exit_code, output = run_check(root)
    (problem,) = _only(output, "missing-town-file")
    assert problem.file == "content/towns/gamma/town.yaml"
    assert exit_code == 1


def test_missing_region_file(project) -> None:
    root = project({"region.yaml": None})
    exit_code, output = run_check(root)
    (problem,) = _only(output, "missing-town-file")
    assert problem.file == "content/region.yaml"
    assert exit_code == 1


def test_unknown_file_with_a_close_name(project) -> None:
    root = project({"towns/alpha/power.yaml": ALPHA_POWERS_YAML})
    exit_code, output = run_check(root)
    (problem,) = _only(output, "unknown-file")
    assert problem.file == "content/towns/alpha/power.yaml"
    assert "是否想命名为 powers.yaml" in problem.text
    assert exit_code == 1


def test_unknown_file_lists_the_allowed_names(project) -> None:
    root = project({"towns/alpha/说明.docx": b"PK\x03\x04"})
    exit_code, output = run_check(root)
    (problem,) = _only(output, "unknown-file")
    assert "允许的文件：town.yaml、powers.yaml、duties.yaml、institutions.yaml，以及表格文件夹 forms/" in problem.text
    assert exit_code == 1


def test_unknown_subfolder_is_an_unknown_file(project) -> None:
    root = project()
    (root / "content/towns/alpha/images").mkdir()
    exit_code, output = run_check(root)
    (problem,) = _only(output, "unknown-file")
    assert problem.file == "content/towns/alpha/images"
    assert exit_code == 1


def test_hidden_files_in_a_town_folder_are_ignored(project) -> None:
    root = project({"towns/alpha/.DS_Store": b"\x00\x00\x00\x01Bud1"})
    exit_code, output = run_check(root)
    assert exit_code == 0, output
    assert parse_output(output) == []


def test_towns_without_lists_are_fine(project) -> None:
    root = project({name: None for name in MINIMAL_FILES if name.startswith("towns/alpha/")
                    and not name.endswith("town.yaml")})
    exit_code, output = run_check(root)
    assert exit_code == 0, output
    assert "共 2 个镇街，赋权事项 0 项，职责 0 项，机构 0 个" in output


# -- Symbolic links: content is read only from regular files inside content/.


def test_a_file_linked_from_outside_is_refused_and_not_read(project, tmp_path) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text(ALPHA_POWERS_YAML.replace("对擅自占用", "机密文字"), encoding="utf-8")
    root = project({"towns/alpha/powers.yaml": None})
    (root / "content/towns/alpha/powers.yaml").symlink_to(outside)
    exit_code, output = run_check(root)
    problems = [r for r in parse_output(output) if r.code == "symlink"]
    assert [p.file for p in problems] == ["content/towns/alpha/powers.yaml"], output
    assert "内容目录之外" in problems[0].text
    assert "机密文字" not in output
    assert exit_code == 1


def test_a_town_folder_linked_from_outside_is_refused(project, tmp_path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "town.yaml").write_text(
        ALPHA_TOWN_YAML.replace("370321105000", "370321106000"), encoding="utf-8"
    )
    root = project()
    (root / "content/towns/gamma").symlink_to(outside, target_is_directory=True)
    exit_code, output = run_check(root)
    (problem,) = _only(output, "symlink")
    assert problem.file == "content/towns/gamma"
    assert exit_code == 1


def test_a_dangling_or_looping_link_is_refused(project) -> None:
    root = project()
    (root / "content/towns/alpha/duties.yaml").unlink()
    (root / "content/towns/alpha/duties.yaml").symlink_to("duties.yaml")
    exit_code, output = run_check(root)
    (problem,) = _only(output, "symlink")
    assert "无法解析" in problem.text
    assert exit_code == 1


def test_a_link_that_stays_inside_the_content_folder_is_read(project) -> None:
    root = project()
    folder = root / "content/towns/alpha"
    (folder / "duties.yaml").rename(root / "content/alpha-duties.yaml")
    (folder / "duties.yaml").symlink_to("../../alpha-duties.yaml")
    exit_code, output = run_check(root)
    assert exit_code == 0, output
    assert "职责 1 项" in output
