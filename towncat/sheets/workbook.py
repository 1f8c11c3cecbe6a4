"""Reading and writing spreadsheet files safely: xlsx through openpyxl, CSV as text.

``read_table`` returns every sheet as rows of plain cell values, with merged cells
filled in (a value merged over several rows belongs to each of them). Hostile files
get a ``SheetError`` with a Chinese message, never a traceback: a file that is not
a zip (an HTML page saved as .xlsx, an old .xls), a zip bomb, too many rows,
formulas, CSV in GBK (read, and said so). ``write_workbook`` writes text cells that
a spreadsheet never executes (quote-prefixed strings), a frozen header row, column
widths, and drop-down validation for enum columns.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed size of one zip member
MAX_ROWS = 20_000
MAX_COLUMNS = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Value = str | int | float | None


class SheetError(Exception):
    """A spreadsheet that cannot be read, worded for the editor."""


@dataclass
class Sheet:
    name: str
    rows: list[list[Value]]
    formulas: list[tuple[int, int]] = field(default_factory=list)  # (row, column), 1-based


@dataclass
class Table:
    sheets: list[Sheet]
    notes: list[str] = field(default_factory=list)  # e.g. "read as GBK"


def read_table(path: Path) -> Table:
    """Every sheet of an .xlsx or .csv file."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise SheetError(f"{path.name} 不是普通文件")
        if size > MAX_FILE_BYTES:
            raise SheetError(f"{path.name} 有 {size} 字节，超过上限 {MAX_FILE_BYTES} 字节")
        raw = path.read_bytes()
    except OSError as err:
        raise SheetError(f"无法读取 {path.name}：{err.strerror}") from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(raw, path.name)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(raw, path.name)
    raise SheetError(
        f"{path.name}：只支持 .xlsx 和 .csv 文件（旧版 .xls 请在 Excel 中另存为 .xlsx）"
    )


def _read_csv(raw: bytes, name: str) -> Table:
    notes = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise SheetError(f"{name}：既不是 UTF-8 也不是 GBK 编码，请另存为“CSV UTF-8”") from None
        notes.append(f"{name} 按 GBK 编码读取")
    if "\x00" in text:
        raise SheetError(f"{name}：含有 NUL 字符，不是文本格式的 CSV")
    rows: list[list[Value]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            if len(rows) >= MAX_ROWS:
                raise SheetError(f"{name}：超过 {MAX_ROWS} 行，请拆分文件")
            rows.append(list(row[:MAX_COLUMNS]))
    except csv.Error as err:
        raise SheetError(f"{name}：CSV 格式错误（第 {len(rows) + 1} 行）：{err}") from None
    return Table([Sheet(Path(name).stem, rows)], notes)


def _check_zip(raw: bytes, name: str) -> None:
    if not raw.startswith(b"PK\x03\x04"):
        head = raw[:512].lstrip().lower()
        kind = (
            "网页（HTML）" if head.startswith((b"<!doctype", b"<html", b"<?xml", b"<table")) else ""
        )
        if raw.startswith(b"\xd0\xcf\x11\xe0"):
            kind = "旧版 Excel（.xls）"
        raise SheetError(
            f"{name} 不是 xlsx 文件{'，而是' + kind if kind else ''}；请在 Excel 中“另存为 .xlsx”"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            total = 0
            for info in archive.infolist():
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if total > MAX_UNZIPPED_BYTES or (info.file_size > 1_000_000 and ratio > MAX_RATIO):
                    raise SheetError(f"{name} 解压后过大（可能是压缩炸弹），拒绝读取")
    except zipfile.BadZipFile:
        raise SheetError(f"{name} 已损坏，无法作为 xlsx 打开") from None


def _read_xlsx(raw: bytes, name: str) -> Table:
    _check_zip(raw, name)
    import openpyxl  # imported here: only import and export need it

    try:
        counted = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
        for sheet in counted.worksheets:
            for index, _ in enumerate(sheet.iter_rows(values_only=True)):
                if index >= MAX_ROWS:
                    raise SheetError(f"{name} 的工作表“{sheet.title}”超过 {MAX_ROWS} 行，请拆分")
        counted.close()
        book = openpyxl.load_workbook(io.BytesIO(raw), data_only=False)
    except SheetError:
        raise
    except Exception as err:  # openpyxl raises many kinds on malformed files
        raise SheetError(f"{name} 无法作为 xlsx 读取：{type(err).__name__}") from None
    return Table([_sheet(ws) for ws in book.worksheets])


def _sheet(ws: Any) -> Sheet:
    rows: list[list[Value]] = []
    formulas = []
    for r, row in enumerate(ws.iter_rows(max_col=MAX_COLUMNS), start=1):
        values: list[Value] = []
        for c, cell in enumerate(row, start=1):
            value = cell.value
            if cell.data_type == "f" or (isinstance(value, str) and cell.data_type == "f"):
                formulas.append((r, c))
                value = None
            elif not isinstance(value, str | int | float) or isinstance(value, bool):
                value = None if value is None else str(value)
            values.append(value)
        rows.append(values)
    for merged in ws.merged_cells.ranges:
        top = merged.min_row - 1
        left = merged.min_col - 1
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
            for c in range(merged.min_col - 1, min(merged.max_col, len(rows[r]))):
                rows[r][c] = value
    return Sheet(ws.title, rows, formulas)


def has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None


# -- writing


@dataclass(frozen=True)
class SheetSpec:
    """What to write on one sheet: headers, rows, and enum choices per column."""

    name: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Value]]
    choices: Sequence[Sequence[str]] = ()  # per column; empty: no drop-down
    widths: Sequence[int] = ()


def write_workbook(path: Path, sheets: Sequence[SheetSpec]) -> None:
    """An .xlsx file with one worksheet per ``SheetSpec``; no cell is a formula."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook(write_only=False)
    for default in list(book.worksheets):
        book.remove(default)
    for spec in sheets:
        ws = book.create_sheet(spec.name[:31])
        _append(ws, 1, spec.headers)
        for header in ws[1]:
            header.font = Font(bold=True)
            header.fill = PatternFill("solid", fgColor="DDEBF7")
        for number, row in enumerate(spec.rows, start=2):
            _append(ws, number, row)
        wrap = Alignment(wrap_text=True, vertical="top")
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = wrap
        ws.freeze_panes = "A2"
        for index, width in enumerate(spec.widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        last = max(len(spec.rows) + 1, 2) + 500  # room for rows the editor adds
        for index, choices in enumerate(spec.choices, start=1):
            if choices:
                letter = get_column_letter(index)
                listed = ",".join(choices)
                validation = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
                validation.error = "请从下拉列表中选择"
                validation.add(f"{letter}2:{letter}{last}")
                ws.add_data_validation(validation)
    temporary = path.with_name(path.name + ".tmp")
    book.save(temporary)
    temporary.replace(path)


def _append(ws: Any, number: int, values: Sequence[Value]) -> None:
    """Row ``number`` set to ``values``: text is never a formula (CSV/XLSX injection)."""
    for column, value in enumerate(values, start=1):
        if value is None:
            continue
        cell = ws.cell(row=number, column=column)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # stored as text even when it starts with "="
            if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
                cell.quotePrefix = True
