"""Spreadsheets in and out: ``import`` and ``export`` on real files, real openpyxl."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.styles import Alignment
from towncat_conftest import ALPHA_POWERS_YAML, REPO, make_project, parse_output, run_check

from towncat.cli import main
from towncat.content.columns import decode_cells, encode_item, list_columns
from towncat.content.loader import parse_yaml
from towncat.content.schema import load_schemas, validate_parsed
from towncat.content.yamltext import render_items
from towncat.sheets.transfer import export_lists, import_list

SCHEMAS = load_schemas(REPO / "schemas")


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(args), out=out)
    return code, out.getvalue()


def shipped_project(tmp_path: Path) -> Path:
    """A copy of this repository's content (with the shipped 马桥镇 and 金山镇 lists)."""
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copytree(REPO / "content", root / "content")
    (root / "schemas").symlink_to(REPO / "schemas", target_is_directory=True)
    shutil.copy(REPO / "towncat.toml", root / "towncat.toml")
    return root


# -- the shipped lists go out and come back unchanged, byte for byte


@pytest.mark.parametrize("town", ["maqiao", "jinshan"])
def test_shipped_lists_export_and_import_back_byte_identical(tmp_path: Path, town: str) -> None:
    root = shipped_project(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    code, output = run("--root", str(root), "export", town, "--xlsx", "--output", str(out))
    assert code == 0, output
    assert "无法在表格中原样表示" not in output
    for kind in ("powers", "duties", "institutions"):
        before = (root / f"content/towns/{town}/{kind}.yaml").read_bytes()
        (root / f"content/towns/{town}/{kind}.yaml").write_bytes(before)
        code, output = run(
            "--root", str(root), "import", town, str(out / f"{town}-{kind}.xlsx"), "--list", kind
        )
        assert code == 0, output
        assert "修改 0，新增 0，删除 0" in output, output
        assert (root / f"content/towns/{town}/{kind}.yaml").read_bytes() == before


def test_shipped_lists_import_into_an_empty_town_and_pass_check(tmp_path: Path) -> None:
    """Without an existing file every item is written anew, and the result passes check."""
    root = shipped_project(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    assert run("--root", str(root), "export", "maqiao", "--xlsx", "--output", str(out))[0] == 0
    original = (root / "content/towns/maqiao/powers.yaml").read_text(encoding="utf-8")
    (root / "content/towns/maqiao/powers.yaml").unlink()
    code, output = run(
        "--root", str(root), "import", "maqiao", str(out / "maqiao-powers.xlsx"), "--list", "powers"
    )
    assert code == 0, output
    assert "新增 106" in output
    written = (root / "content/towns/maqiao/powers.yaml").read_text(encoding="utf-8")
    assert written.startswith("# yaml-language-server: $schema=../../../schemas/powers.schema.json")
    assert "title: 马桥镇放权目录（示例）" in written  # from the 清单信息 sheet
    assert written.count("\n  - id: ") == original.count("\n  - id: ")
    code, output = run_check(root)
    assert code == 0, output


def test_export_has_chinese_headers_frozen_row_widths_and_drop_downs(tmp_path: Path) -> None:
    root = shipped_project(tmp_path)
    assert (
        run(
            "--root",
            str(root),
            "export",
            "maqiao",
            "--xlsx",
            "--list",
            "powers",
            "--output",
            str(tmp_path),
        )[0]
        == 0
    )
    book = openpyxl.load_workbook(tmp_path / "maqiao-powers.xlsx")
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["编号", "事项编码", "事项名称", "子项名称"]
    assert "事项类型" in headers and "办理时限·法定时限" in headers
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width >= 20
    validations = {
        str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation
    }
    type_column = openpyxl.utils.get_column_letter(headers.index("事项类型") + 1)
    assert "行政处罚" in validations[f"{type_column}2"]
    assert book.worksheets[1].title == "清单信息"


# -- import(export(x)) == x, for any list a cell can hold


_CHARS = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
    st.sampled_from("0123456789abcXYZ（）：-"),
)
_line = st.text(alphabet=_CHARS, min_size=1, max_size=30)
_word = st.text(
    alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=8
)
_power = st.fixed_dictionaries(
    {
        "id": st.from_regex(r"[a-z]{2}-[0-9]{4}", fullmatch=True),
        "name": _line,
        "type": st.sampled_from(["行政许可", "行政处罚", "公共服务"]),
        "basis": st.lists(
            st.builds(
                lambda law, art: {"law": f"《{law}》", **({"article": art} if art else {})},
                _line,
                st.one_of(st.just(""), _line),
            ),
            min_size=1,
            max_size=3,
        ),
        "handling_office": st.just("enforcement"),
    },
    optional={
        "keywords": st.lists(_word, min_size=1, max_size=4, unique=True),
        "applicants": st.lists(
            st.sampled_from(["自然人", "企业法人", "社会组织法人"]),
            min_size=1,
            max_size=3,
            unique=True,
        ),
        "description": st.lists(_line, min_size=1, max_size=3).map("\n".join),
        "time_limit": st.fixed_dictionaries({}, optional={"legal": _line, "promised": _line}),
    },
)


@settings(max_examples=60)
@given(item=_power)
def test_a_row_decodes_to_the_item_it_was_encoded_from(item: dict) -> None:
    columns = list_columns(SCHEMAS, "powers")
    if item.get("time_limit") == {}:
        del item["time_limit"]
    cells = encode_item(item, columns)
    decoded, problems = decode_cells(dict(enumerate(cells)), columns)
    assert problems == []
    assert decoded == item


@settings(max_examples=8, deadline=None)
@given(items=st.lists(_power, min_size=1, max_size=4, unique_by=lambda i: i["id"]))
def test_import_of_an_export_gives_the_same_list(tmp_path_factory, items: list[dict]) -> None:
    root = make_project(tmp_path_factory.mktemp("p"))
    for item in items:
        if item.get("time_limit") == {}:
            del item["time_limit"]
    text = "# yaml-language-server: $schema=../../../schemas/powers.schema.json\n"
    text += "title: 示例\n" + render_items("powers", items)
    (root / "content/towns/alpha/powers.yaml").write_text(text, encoding="utf-8")
    out = root / "out"
    out.mkdir()
    assert export_lists(root / "content", SCHEMAS, "alpha", ["powers"], out).ok
    (root / "content/towns/alpha/powers.yaml").unlink()
    outcome = import_list(
        root, root / "content", SCHEMAS, "alpha", out / "alpha-powers.xlsx", "powers"
    )
    assert outcome.ok, outcome.lines
    parsed = parse_yaml((root / "content/towns/alpha/powers.yaml").read_text(encoding="utf-8"), "x")
    data, problems = validate_parsed(SCHEMAS, "powers", parsed, "x")
    assert problems == [] and parsed.problems == []
    assert data["powers"] == items
    assert data["title"] == "示例"


# -- a table in the layout that offices publish


def published_table(path: Path) -> None:
    """A 权责清单 as county offices publish it: a merged title row, 序号, several laws in
    one cell, 权力类型 merged down over the rows of one kind, offices by name."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Sheet1"
    ws.append(["马桥镇赋权事项目录（示例）"])
    ws.merge_cells("A1:H1")
    ws.append(["序号", "权力名称", "子项", "权力类型", "设定依据", "实施主体", "承办科室", "备注"])
    ws.append(
        [
            1,
            "对擅自占用城市绿化用地的行政处罚",
            None,
            "行政处罚",
            "《城市绿化条例》第二十七条\n《山东省城市绿化条例》第四十条",
            "马桥镇人民政府",
            "综合行政执法办公室",
            None,
        ]
    )
    ws.append(
        [
            2,
            "对擅自砍伐城市树木的行政处罚",
            None,
            None,
            "《城市绿化条例》第二十六条；《山东省城市绿化条例》第三十九条",
            "马桥镇人民政府",
            "综合行政执法办公室",
            "多行\n备注",
        ]
    )
    ws.append(
        [
            3,
            "对损坏城市绿化设施的行政处罚",
            None,
            None,
            "《城市绿化条例》",
            "马桥镇人民政府",
            "综合行政执法办公室",
            None,
        ]
    )
    ws.merge_cells("D3:D5")
    ws.append(
        [
            4,
            "临时占用城市绿化用地审批",
            None,
            "行政许可",
            "《城市绿化条例》第十九条",
            "马桥镇人民政府",
            "党政办公室",
            None,
        ]
    )
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True)
    book.save(path)


def test_a_published_table_imports_to_yaml_that_passes_check(project, tmp_path: Path) -> None:
    root = project({"towns/alpha/powers.yaml": None})
    table = tmp_path / "目录.xlsx"
    published_table(table)
    code, output = run("--root", str(root), "import", "alpha", str(table), "--list", "powers")
    assert code == 0, output
    assert "新增 4" in output
    text = (root / "content/towns/alpha/powers.yaml").read_text(encoding="utf-8")
    assert "id: cf-0003" in text and "id: xk-0001" in text
    assert "handling_office: party-office" in text
    assert "article: 第三十九条" in text  # the second law of a "；"-separated cell
    assert text.count("type: 行政处罚") == 3  # the merged 权力类型 cell
    assert "notes: |-\n      多行\n      备注" in text
    code, output = run_check(root)
    assert code == 0, output


def test_importing_again_keeps_ids_and_text(project, tmp_path: Path) -> None:
    root = project({"towns/alpha/powers.yaml": None})
    table = tmp_path / "目录.xlsx"
    published_table(table)
    run("--root", str(root), "import", "alpha", str(table), "--list", "powers")
    first = (root / "content/towns/alpha/powers.yaml").read_text(encoding="utf-8")
    book = openpyxl.load_workbook(table)
    book.active["B4"] = "对擅自砍伐城市树木的行政处罚"
    book.active["H6"] = "新增备注"
    book.save(table)
    code, output = run("--root", str(root), "import", "alpha", str(table), "--list", "powers")
    assert code == 0, output
    assert "未变 3，修改 1" in output
    second = (root / "content/towns/alpha/powers.yaml").read_text(encoding="utf-8")
    assert second.replace("    notes: 新增备注\n", "") == first


def test_rows_that_cannot_be_mapped_are_each_reported_with_sheet_row_and_column(
    project, tmp_path: Path
) -> None:
    root = project()
    before = (root / "content/towns/alpha/powers.yaml").read_bytes()
    table = tmp_path / "目录.xlsx"
    published_table(table)
    book = openpyxl.load_workbook(table)
    book.active["G4"] = "不存在的办公室"
    book.active["D6"] = "行政许诺"
    book.active["E6"] = None
    book.save(table)
    code, output = run("--root", str(root), "import", "alpha", str(table), "--list", "powers")
    assert code == 1
    assert "工作表“Sheet1”第 4 行 G 列：承办机构“不存在的办公室”" in output
    assert "工作表“Sheet1”第 6 行 D 列：事项类型：“行政许诺”不是允许的取值" in output
    assert "未写入" in output
    assert (root / "content/towns/alpha/powers.yaml").read_bytes() == before


def test_a_result_that_fails_check_is_reported_at_its_cell(project, tmp_path: Path) -> None:
    root = project()
    table = tmp_path / "目录.xlsx"
    published_table(table)
    book = openpyxl.load_workbook(table)
    book.active["E6"] = None  # 设定依据 is required
    book.save(table)
    code, output = run("--root", str(root), "import", "alpha", str(table), "--list", "powers")
    assert code == 1
    assert "第 6 行 E 列（设定依据）：缺少必填字段 basis" in output, output


def test_csv_in_gbk_is_read_and_said_so(project, tmp_path: Path) -> None:
    root = project({"towns/alpha/powers.yaml": None})
    table = tmp_path / "目录.csv"
    table.write_bytes(
        "序号,事项名称,事项类型,设定依据,承办机构\n"
        "1,对擅自占用城市绿化用地的行政处罚,行政处罚,《城市绿化条例》第二十七条,综合行政执法办公室\n".encode(
            "gbk"
        )
    )
    code, output = run("--root", str(root), "import", "alpha", str(table), "--list", "powers")
    assert code == 0, output
    assert "按 GBK 编码读取" in output
    assert run_check(root)[0] == 0


# -- hostile files: a clear error, never a traceback


def _import(root: Path, table: Path, capsys) -> tuple[int, str]:
    code, output = run("--root", str(root), "import", "alpha", str(table), "--list", "powers")
    err = capsys.readouterr().err
    assert "Traceback" not in output + err and "内部错误" not in err, err
    return code, output


def test_an_html_page_saved_as_xlsx_is_refused(project, tmp_path: Path, capsys) -> None:
    table = tmp_path / "目录.xlsx"
    table.write_text("<html><body><table><tr><td>事项名称</td></tr></table></body></html>")
    code, output = _import(project(), table, capsys)
    assert code == 1 and "不是 xlsx 文件，而是网页" in output


def test_a_zip_bomb_is_refused(project, tmp_path: Path, capsys) -> None:
    table = tmp_path / "目录.xlsx"
    with zipfile.ZipFile(table, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 50_000_000)
    assert table.stat().st_size < 200_000
    code, output = _import(project(), table, capsys)
    assert code == 1 and "压缩炸弹" in output


def test_a_million_rows_are_refused(project, tmp_path: Path, capsys) -> None:
    table = tmp_path / "目录.csv"
    table.write_text("事项名称,事项类型\n" + "甲,行政处罚\n" * 1_000_000, encoding="utf-8")
    code, output = _import(project(), table, capsys)
    assert code == 1 and "超过 20000 行" in output


def test_formulas_and_control_characters_are_reported(project, tmp_path: Path, capsys) -> None:
    table = tmp_path / "目录.xlsx"
    published_table(table)
    book = openpyxl.load_workbook(table)
    book.active["H3"] = '=HYPERLINK("http://example.com","点击")'
    book.save(table)
    code, output = _import(project(), table, capsys)
    assert code == 1 and "第 3 行 H 列：单元格是公式" in output
    csv_table = tmp_path / "目录.csv"
    csv_table.write_text("事项名称,事项类型\n甲\x07乙,行政处罚\n", encoding="utf-8")
    code, output = _import(project(), csv_table, capsys)
    assert code == 1 and "第 2 行 A 列：含有不可见的控制字符" in output


def test_not_a_spreadsheet_and_missing_files_are_clear(project, tmp_path: Path, capsys) -> None:
    root = project()
    code, output = _import(root, tmp_path / "没有.xlsx", capsys)
    assert code == 1 and "无法读取" in output
    other = tmp_path / "目录.docx"
    other.write_bytes(b"PK\x03\x04")
    code, output = _import(root, other, capsys)
    assert code == 1 and "只支持 .xlsx 和 .csv" in output


def test_exports_never_write_a_cell_a_spreadsheet_would_execute(project, tmp_path: Path) -> None:
    powers = ALPHA_POWERS_YAML.replace(
        "name: 对擅自占用城市绿化用地的行政处罚", 'name: \'=HYPERLINK("http://x.cn","点击")\''
    ).replace("keywords: [占绿, 绿地]", "keywords: ['+1', '-2', '@3']")
    root = project({"towns/alpha/powers.yaml": powers})
    code, output = run(
        "--root",
        str(root),
        "export",
        "alpha",
        "--xlsx",
        "--list",
        "powers",
        "--output",
        str(tmp_path),
    )
    assert code == 0, output
    with zipfile.ZipFile(tmp_path / "alpha-powers.xlsx") as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "HYPERLINK" in sheet
    book = openpyxl.load_workbook(tmp_path / "alpha-powers.xlsx")
    name = book.worksheets[0]["C2"]
    assert name.data_type == "s" and name.quotePrefix
    code, output = run(
        "--root",
        str(root),
        "import",
        "alpha",
        str(tmp_path / "alpha-powers.xlsx"),
        "--list",
        "powers",
    )
    assert code == 0 and "修改 0" in output, output
    assert (root / "content/towns/alpha/powers.yaml").read_text(encoding="utf-8") == powers
    assert not [p for p in parse_output(run_check(root)[1]) if p.severity == "error"]


def test_a_town_name_is_a_slug_never_a_path(project, tmp_path: Path, capsys) -> None:
    root = project()
    code, output = run(
        "--root", str(root), "export", "../alpha", "--xlsx", "--output", str(tmp_path)
    )
    assert code == 1 and "不存在" in output
    assert not list(tmp_path.glob("*.xlsx"))


def test_an_xlsx_of_a_million_rows_is_refused(project, tmp_path: Path, capsys) -> None:
    """A real workbook (written as XML, as openpyxl would take minutes) of 1,000,000 rows."""
    table = tmp_path / "目录.xlsx"
    published_table(table)
    with zipfile.ZipFile(table) as source:
        members = {name: source.read(name) for name in source.namelist()}
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>事项{r}</t></is></c></row>'
        for r in range(1, 1_000_001)
    )
    members["xl/worksheets/sheet1.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    ).encode()
    with zipfile.ZipFile(table, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
    code, output = _import(project(), table, capsys)
    assert code == 1
    assert "超过 20000 行" in output, output  # counted while streaming: no zip-bomb rule hit
