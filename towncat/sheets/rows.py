"""Rows of a published 权责清单 table to list items: the header row found by synonyms,
序号 and title rows passed by, every cell decoded by its column (see ``content.columns``).

Pure functions over plain rows; each cell that cannot be read is a ``RowProblem`` that
names the sheet, the row and the column, as the editor sees them in the spreadsheet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..content.columns import Column, decode_cells
from .workbook import Sheet, Value, has_control_characters

# Headers that published tables use for the same field (besides the schema titles).
SYNONYMS: Mapping[str, Sequence[str]] = {
    "name": (
        "事项名称",
        "权力名称",
        "职权名称",
        "权力事项名称",
        "事项",
        "职责事项",
        "任务名称",
        "职责名称",
    ),
    "sub_item": ("子项", "子项名称", "子项事项"),
    "code": ("事项编码", "编码", "权力编码", "事项代码"),
    "type": ("事项类型", "权力类型", "职权类别", "权力类别", "类别", "类型"),
    "basis": ("设定依据", "法律依据", "实施依据", "依据", "法定依据", "设定和实施依据"),
    "implementing_body": ("实施主体", "行使主体", "责任主体"),
    "handling_office": ("承办机构", "承办科室", "责任科室", "内设机构", "承办单位", "责任机构"),
    "lead_office": ("承办机构", "牵头科室", "责任科室", "镇街承办机构", "牵头机构"),
    "original_department": ("原行使部门", "原实施部门", "原实施机关", "县级主管部门", "赋权部门"),
    "delegation_mode": ("赋权方式", "下放方式", "承接方式"),
    "delegation_scope": ("赋权范围", "下放范围", "承接范围"),
    "notes": ("备注",),
    "field": ("领域", "行业领域", "所属领域"),
    "list_kind": ("清单类别", "责任类别", "清单类型"),
    "content": ("履职内容", "职责内容", "具体内容", "工作内容"),
    "remedies": ("救济途径", "救济渠道"),
    "accountability": ("追责情形", "责任追究"),
    "fees": ("收费", "收费标准", "收费依据及标准"),
    "phone": ("咨询电话", "电话", "联系电话"),
}
IGNORED = frozenset({"序号", "编号序号", "No", "NO", "no", "#"})


@dataclass(frozen=True)
class RowProblem:
    sheet: str
    row: int  # 1-based, as the spreadsheet shows
    column: int  # 1-based; 0 for the whole row
    message: str

    def format(self, file: str) -> str:
        where = f"{file}：工作表“{self.sheet}”第 {self.row} 行"
        if self.column:
            where += f" {column_letter(self.column)} 列"
        return f"{where}：{self.message}"


@dataclass(frozen=True)
class Row:
    """One data row: where it is, and the item its cells describe."""

    sheet: str
    number: int
    item: dict[str, Any]
    columns: Mapping[tuple[str, ...], int]  # field path → spreadsheet column (1-based)


def column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _normal(header: Value) -> str:
    text = "" if header is None else str(header)
    return "".join(text.split()).strip("*＊:：")


def match_headers(headers: Sequence[Value], columns: Sequence[Column]) -> dict[int, int]:
    """{spreadsheet column index (0-based): column index} for the headers it knows."""
    by_header = {_normal(c.header): i for i, c in enumerate(columns)}
    by_path = {c.path: i for i, c in enumerate(columns)}
    for key, words in SYNONYMS.items():
        if (key,) in by_path:
            for word in words:
                by_header.setdefault(word, by_path[(key,)])
    found: dict[int, int] = {}
    for index, header in enumerate(headers):
        target = by_header.get(_normal(header))
        if target is not None and target not in found.values():
            found[index] = target
    return found


def find_header(sheet: Sheet, columns: Sequence[Column]) -> tuple[int, dict[int, int]] | None:
    """(row index, header map) of the first of the first 15 rows naming a name column."""
    names = {i for i, c in enumerate(columns) if c.path == ("name",)}
    for index, row in enumerate(sheet.rows[:15]):
        mapping = match_headers(row, columns)
        if len(mapping) >= 2 and names & set(mapping.values()):
            return index, mapping
    return None


def read_rows(sheet: Sheet, columns: Sequence[Column]) -> tuple[list[Row], list[RowProblem]] | None:
    """The items of ``sheet``, or None when it has no recognisable header row."""
    found = find_header(sheet, columns)
    if found is None:
        return None
    header_index, mapping = found
    headers = sheet.rows[header_index]
    problems = [
        RowProblem(sheet.name, header_index + 1, i + 1, f"表头“{h}”无法对应到任何字段，此列已忽略")
        for i, h in enumerate(headers)
        if i not in mapping and _normal(h) and _normal(h) not in IGNORED
    ]
    formulas = set(sheet.formulas)
    rows: list[Row] = []
    for r in range(header_index + 1, len(sheet.rows)):
        cells = sheet.rows[r]
        values: dict[int, Any] = {}
        for i, target in mapping.items():
            value = cells[i] if i < len(cells) else None
            if (r + 1, i + 1) in formulas:
                problems.append(RowProblem(sheet.name, r + 1, i + 1, "单元格是公式，请改为文字"))
                continue
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if isinstance(value, str) and has_control_characters(value):
                problems.append(
                    RowProblem(sheet.name, r + 1, i + 1, "含有不可见的控制字符，请删除")
                )
                continue
            values[target] = value if not isinstance(value, float) else str(value)
        if all(v is None or not str(v).strip() for v in values.values()):
            continue
        if match_headers(cells, columns) == mapping:
            continue  # the header repeated (a table printed across pages)
        item, failed = decode_cells(values, columns)
        places = {v: k for k, v in mapping.items()}
        problems += [
            RowProblem(sheet.name, r + 1, places[c] + 1, f"{columns[c].header}：{m}")
            for c, m in failed
        ]
        located = {columns[t].path: i + 1 for i, t in mapping.items()}
        rows.append(Row(sheet.name, r + 1, item, located))
    return rows, problems
