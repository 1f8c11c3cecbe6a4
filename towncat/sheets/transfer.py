"""``import`` and ``export``: a town's list to an .xlsx workbook and back.

Export writes one workbook per list, the list on the first sheet (Chinese headers
from the schemas) and the list's own fields (title, dates, note) on a second sheet
``清单信息``. Import reads the first sheet whose header it recognises, merges the
rows into the list file (see ``merge``), checks the result exactly as ``check``
would, and writes it only when no error is left; every problem names the sheet, the
row and the column it comes from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.columns import Column, encode_item, list_columns, unencodable
from ..content.files import Document, load_facts, load_lists
from ..content.loader import parse_yaml
from ..content.problems import Problem, Severity, format_problem
from ..content.schema import SchemaSet, validate_parsed
from ..content.validate import SLUG, validate_lists
from ..content.yamltext import scalar_lines
from .merge import Merged, merge_list, office_ids, resolve_offices
from .rows import Row, RowProblem, read_rows
from .workbook import SheetError, SheetSpec, read_table, write_workbook

INFO_SHEET = "清单信息"
INFO_FIELDS = ("title", "effective_from", "note")


@dataclass
class Outcome:
    """What an import or export did, as lines for the editor; ``ok`` when it succeeded."""

    lines: list[str] = field(default_factory=list)
    errors: int = 0

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def error(self, line: str) -> None:
        self.errors += 1
        self.lines.append(line)


def town_folder(content_dir: Path, town: str) -> Path | None:
    """The folder of town ``town`` (a slug, never a path), when it has a town.yaml."""
    if not SLUG.match(town):
        return None
    folder = content_dir / "towns" / town
    return folder if (folder / "town.yaml").is_file() and not folder.is_symlink() else None


def _read_current(path: Path) -> str | None:
    if not path.is_file() or path.is_symlink():
        return None
    return path.read_bytes().decode("utf-8-sig")


# -- export


def export_lists(
    content_dir: Path, schemas: SchemaSet, town: str, kinds: list[str], output: Path
) -> Outcome:
    outcome = Outcome()
    folder = town_folder(content_dir, town)
    if folder is None:
        outcome.error(f"镇街“{town}”不存在（应为 content/towns/ 下的文件夹名）")
        return outcome
    for kind in kinds:
        text = _read_current(folder / f"{kind}.yaml")
        if text is None:
            outcome.lines.append(f"{town} 没有 {kind}.yaml，跳过")
            continue
        parsed = parse_yaml(text, kind)
        data, problems = validate_parsed(schemas, kind, parsed, kind)
        if parsed.problems or any(p.severity is Severity.ERROR for p in problems):
            outcome.error(f"{kind}.yaml 有错误，请先运行 python build.py check 修正后再导出")
            continue
        target = output / f"{town}-{kind}.xlsx"
        outcome.lines += _export_one(schemas, kind, data, target)
    return outcome


def _export_one(schemas: SchemaSet, kind: str, data: dict[str, Any], target: Path) -> list[str]:
    columns = list_columns(schemas, kind)
    items = data[kind]
    lines = []
    for item in items:
        lost = unencodable(item, columns)
        if lost:
            lines.append(
                f"警告：{item['id']} 的 {'、'.join(lost)} 无法在表格中原样表示，导入时会改变"
            )
    rows = [encode_item(item, columns) for item in items]
    list_title = str(schemas.schemas[kind].get("title", kind))
    sheets = [
        SheetSpec(
            list_title,
            [c.header for c in columns],
            rows,
            [list(c.enum) for c in columns],
            [_width(c, rows, i) for i, c in enumerate(columns)],
        ),
        SheetSpec(
            INFO_SHEET,
            ["字段", "内容"],
            [[_info_title(schemas, kind, key), data.get(key)] for key in INFO_FIELDS],
            widths=[16, 80],
        ),
    ]
    write_workbook(target, sheets)
    lines.append(f"已导出 {len(items)} 项 → {target}")
    return lines


def _info_title(schemas: SchemaSet, kind: str, key: str) -> str:
    return str(schemas.schemas[kind]["properties"][key].get("title", key))


def _width(column: Column, rows: list[list[Any]], index: int) -> int:
    longest = max(
        (
            len(line)
            for row in rows
            if row[index] is not None
            for line in str(row[index]).split("\n")
        ),
        default=0,
    )
    return max(8, min(60, 2 * max(longest, len(column.header)) // 1 + 2))


# -- import


def import_list(
    root: Path, content_dir: Path, schemas: SchemaSet, town: str, source: Path, kind: str
) -> Outcome:
    outcome = Outcome()
    folder = town_folder(content_dir, town)
    if folder is None:
        outcome.error(f"镇街“{town}”不存在（应为 content/towns/ 下已有 town.yaml 的文件夹名）")
        return outcome
    try:
        table = read_table(source)
    except SheetError as err:
        outcome.error(str(err))
        return outcome
    outcome.lines += table.notes
    columns = list_columns(schemas, kind)
    found = next(
        ((s, r) for s in table.sheets if s.name != INFO_SHEET if (r := read_rows(s, columns))),
        None,
    )
    if found is None:
        outcome.error(
            f"{source.name} 中找不到表头（至少要有“事项名称”等两列）；可用的表头："
            + "、".join(c.header for c in columns[:12])
            + "…"
        )
        return outcome
    sheet, (rows, problems) = found
    facts = load_facts(root, content_dir, schemas)
    others, _ = load_lists(root, facts, [town], schemas)
    offices = next((d for d in others if d.kind == "institutions" and d.valid), None)
    if kind != "institutions":
        names = office_ids(offices.data["institutions"] if offices else [])
        problems += resolve_offices(kind, rows, names)
    for problem in problems:
        outcome.error(problem.format(source.name))
    if outcome.errors:
        outcome.lines.append("未写入：请修正表格中的上述问题后重新导入")
        return outcome
    target = folder / f"{kind}.yaml"
    try:
        merged = merge_list(kind, _read_current(target), rows, _header(kind, table, schemas))
    except ValueError as err:
        outcome.error(str(err))
        return outcome
    shown = target.relative_to(root).as_posix() if target.is_relative_to(root) else str(target)
    remaining = _check(merged, kind, shown, town, schemas, facts.documents, others)
    for found_problem in remaining:
        line = _locate(found_problem, merged, kind, columns, source.name, sheet.name)
        if found_problem.severity is Severity.ERROR:
            outcome.error(line)
        else:
            outcome.lines.append(line)
    if outcome.errors:
        outcome.lines.append("未写入：导入结果不能通过检查，请修正上述单元格后重新导入")
        return outcome
    if merged.text != _read_current(target):
        temporary = target.with_name(target.name + ".tmp")
        temporary.write_text(merged.text, encoding="utf-8")
        temporary.replace(target)
    outcome.lines.append(
        f"已导入 {len(merged.items)} 项到 {shown}：未变 {merged.kept}，修改 {merged.changed}，"
        f"新增 {merged.added}，删除 {merged.removed}"
    )
    return outcome


def _header(kind: str, table: Any, schemas: SchemaSet) -> str:
    """The top of a new list file: the schema line and the fields of ``清单信息``."""
    lines = [f"# yaml-language-server: $schema=../../../schemas/{kind}.schema.json"]
    info = next((s for s in table.sheets if s.name == INFO_SHEET), None)
    titles = {_info_title(schemas, kind, key): key for key in INFO_FIELDS}
    for row in info.rows[1:] if info else []:
        if len(row) >= 2 and row[0] in titles and row[1] not in (None, ""):
            lines += scalar_lines(f"{titles[str(row[0])]}: ", str(row[1]), 2)
    return "\n".join(lines) + "\n"


def _check(
    merged: Merged,
    kind: str,
    source: str,
    town: str,
    schemas: SchemaSet,
    facts: list[Document],
    others: list[Document],
) -> list[Problem]:
    parsed = parse_yaml(merged.text, source)
    data, problems = validate_parsed(schemas, kind, parsed, source)
    problems = list(parsed.problems) + problems
    flawed = frozenset(p.path for p in problems if p.path)
    document = Document(kind, source, town, parsed, data, valid=not problems, flawed=flawed)
    lists = [d for d in others if d.kind != kind] + [document]
    problems += [p for p in validate_lists(lists, facts) if p.file == source]
    return sorted(problems)


def _locate(
    problem: Problem, merged: Merged, kind: str, columns: list[Column], file: str, sheet: str
) -> str:
    """The problem said at its row and column of the spreadsheet, when it has one."""
    parts = problem.path.split(".")
    head = parts[0]
    if not head.startswith(f"{kind}["):
        return format_problem(problem)
    index = int(head[len(kind) + 1 : head.index("]")])
    row: Row | None = merged.rows.get(index)
    if row is None:
        return format_problem(problem)
    key = parts[1].split("[")[0] if len(parts) > 1 else ""
    missing = re.match(r"缺少必填字段 ([a-z_]+)", problem.message)
    if not key and missing:  # said at the item; its column is the missing field's
        key = missing[1]
    sub = parts[2].split("[")[0] if len(parts) > 2 else ""
    column = row.columns.get((key, sub)) or row.columns.get((key,)) or 0
    where = RowProblem(sheet, row.number, column, "").format(file).removesuffix("：")
    header = next((c.header for c in columns if c.path in ((key, sub), (key,))), key)
    label = f"（{header}）" if key else ""
    return f"{where}{label}：{problem.message} [{problem.code}]"
