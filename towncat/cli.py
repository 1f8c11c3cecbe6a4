"""Command line: ``python build.py [build|check|serve|import|export] …``. ``main`` returns the exit code.

Exit codes: 0 clean, 1 content problems, 2 usage or configuration, 3 internal error.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .build.pipeline import CheckResult, check_all, run_build
from .build.shards import ShardError, run_assemble, run_shard
from .config import Config, ConfigError, load_config
from .content.problems import count_by_severity, format_problem
from .content.reference import render_readme, replace_section
from .content.schema import load_schemas
from .content.summary import Overview, summarize
from .history.editions import diff_editions, versions_at, versions_of
from .history.gitlog import GitError
from .search.bundles import SearchIndexError
from .site.datafiles import csv_reference
from .site.timeline import render_diff_summary
from .site.views import build_labels

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
LIST_CHOICES = ("powers", "duties", "institutions")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="镇街权责清单网站生成器")
    parser.add_argument("-v", "--verbose", action="store_true", help="内部错误时显示完整回溯")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="项目目录（默认当前目录）")
    parser.add_argument(
        "--no-search",
        dest="top_no_search",
        action="store_true",
        help="不带子命令时生成网站但不生成搜索索引（同 build --no-search）",
    )
    parser.add_argument(
        "--strict", dest="top_strict", action="store_true", help="不带子命令时同 build --strict"
    )
    commands = parser.add_subparsers(dest="command")
    check = commands.add_parser("check", help="检查全部内容，不生成网站")
    check.add_argument("--strict", action="store_true", help="警告也按错误处理")
    build = commands.add_parser("build", help="检查并生成网站（默认命令）")
    build.add_argument("--strict", action="store_true", help="有警告时也不生成")
    build.add_argument("--no-search", action="store_true", help="不生成搜索索引（快速预览）")
    serve = commands.add_parser("serve", help="生成网站，在本机预览，内容变化时自动重新生成")
    serve.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    serve.add_argument("--no-search", action="store_true", help="不生成搜索索引（更快）")
    shard = commands.add_parser(
        "shard", help="只生成部分区县的页面和搜索索引（分片），供 assemble 合并"
    )
    shard.add_argument(
        "--county",
        action="append",
        required=True,
        metavar="SLUG",
        help="区县网址名（可重复），如 huantai",
    )
    shard.add_argument("--output", type=Path, required=True, help="分片输出目录")
    shard.add_argument("--no-search", action="store_true", help="不生成搜索索引")
    assemble = commands.add_parser("assemble", help="把各区县的分片合并成完整网站")
    assemble.add_argument("shards", nargs="+", type=Path, help="分片输出目录")
    diff = commands.add_parser("diff", help="列出两个版本之间清单内容的变化（按事项，而非按文字）")
    diff.add_argument("old", help="旧版本（git 提交、分支或标签，如 origin/main）")
    diff.add_argument("new", nargs="?", default=None, help="新版本（默认：当前工作区的文件）")
    sheet_in = commands.add_parser(
        "import", help="把表格（xlsx/CSV）导入为某镇街的清单 YAML（保留已有编号）"
    )
    sheet_in.add_argument("town", help="镇街网址名，如 maqiao")
    sheet_in.add_argument("file", type=Path, help="表格文件（.xlsx 或 .csv）")
    sheet_in.add_argument("--list", dest="kind", required=True, choices=LIST_CHOICES)
    sheet_out = commands.add_parser("export", help="把某镇街的清单导出为 Excel 表格")
    sheet_out.add_argument("town", help="镇街网址名，如 maqiao")
    sheet_out.add_argument("--xlsx", action="store_true", required=True, help="导出为 .xlsx")
    sheet_out.add_argument("--list", dest="kind", choices=LIST_CHOICES, help="只导出一个清单")
    sheet_out.add_argument(
        "--output", type=Path, default=Path("."), help="输出目录（默认当前目录）"
    )
    docs = commands.add_parser("docs", help="根据模式文件更新 README 中的字段表和问题代码表")
    docs.add_argument("--check", action="store_true", help="只检查 README 是否最新，不写入")
    return parser


def summarize_overview(overview: Overview) -> list[str]:
    """One line per town that publishes a list (up to 100), then the totals, in Chinese."""
    lines: list[str] = []
    totals = {"powers": 0, "duties": 0, "institutions": 0}
    for town in overview.towns:
        counts = {
            "powers": town.powers or 0,
            "duties": town.duties or 0,
            "institutions": town.institutions or 0,
        }
        for key, value in counts.items():
            totals[key] += value
        if any(counts.values()) and len(lines) < 100:
            lines.append(
                f"  {town.name}（{town.county}）：赋权事项 {counts['powers']} 项，"
                f"职责 {counts['duties']} 项，机构 {counts['institutions']} 个"
            )
    lines.append(
        f"共 {len(overview.towns)} 个镇街，赋权事项 {totals['powers']} 项，"
        f"职责 {totals['duties']} 项，机构 {totals['institutions']} 个"
    )
    return lines


def report_check(result: CheckResult, strict: bool, out: TextIO) -> int:
    for problem in result.problems:
        print(format_problem(problem, strict=strict), file=out)
    overview = result.overview or (summarize(result.catalogue) if result.catalogue else None)
    if overview is not None:
        for line in summarize_overview(overview):
            print(line, file=out)
    errors, warnings = count_by_severity(result.problems, strict=strict)
    verdict = "未通过" if errors else "通过"
    print(f"检查{verdict}：{errors} 个错误，{warnings} 个警告", file=out)
    return EXIT_PROBLEMS if errors else EXIT_OK


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        end = "\n" if done == total else ""
        print(f"\r渲染镇街 {done}/{total}", end=end, file=sys.stderr, flush=True)


def build_command(root: Path, config: Config, strict: bool, search: bool, out: TextIO) -> int:
    started = time.perf_counter()
    try:
        result = run_build(root, config, _progress, strict=strict, search=search)
    except SearchIndexError as err:
        print(f"{err}；原有网站保持不变", file=out)
        return EXIT_PROBLEMS
    if result.pages == 0:
        report_check(result.check, strict, out)
        for warning in result.warnings:
            print(f"{'error' if strict else 'warning'}: {warning}", file=out)
        print("未生成网站：请先修正上面的问题；原有网站保持不变", file=out)
        return EXIT_PROBLEMS
    for problem in result.check.problems:
        print(format_problem(problem), file=out)
    for warning in result.warnings:
        print(f"warning: {warning}", file=out)
    warnings = count_by_severity(result.check.problems)[1] + len(result.warnings)
    seconds = time.perf_counter() - started
    if result.unchanged:
        print(
            f"网站已是最新：输入没有变化，{config.output_dir}/ 保持不变（{result.pages} 个页面，"
            f"用时 {seconds:.1f} 秒）",
            file=out,
        )
        return EXIT_OK
    reused = f"，其中 {result.reused} 个镇街沿用上次结果" if result.reused else ""
    print(
        f"已生成网站：{result.towns} 个镇街{reused}，{result.pages} 个页面，{result.files} 个文件，"
        f"{warnings} 个警告，用时 {seconds:.1f} 秒 → {config.output_dir}/",
        file=out,
    )
    return EXIT_OK


def _run(args: argparse.Namespace, out: TextIO) -> int:
    root = args.root.resolve()
    if not root.is_dir():
        print(f"项目目录不存在：{root}", file=sys.stderr)
        return EXIT_USAGE
    config = load_config(root)
    if args.command == "check":
        return report_check(check_all(root, config), args.strict, out)
    if args.command == "build":
        return build_command(root, config, args.strict, not args.no_search, out)
    if args.command == "serve":
        from .serve import serve

        return serve(root, config, args.port, not args.no_search, out)
    if args.command == "shard":
        output = args.output if args.output.is_absolute() else Path.cwd() / args.output
        return shard_command(root, config, args.county, output, not args.no_search, out)
    if args.command == "assemble":
        folders = [f if f.is_absolute() else Path.cwd() / f for f in args.shards]
        return assemble_command(root, config, folders, out)
    if args.command == "diff":
        return diff_command(root, config, args.old, args.new, out)
    if args.command == "docs":
        return update_readme(root, config, check_only=args.check, out=out)
    if args.command in ("import", "export"):
        return sheet_command(root, config, args, out)
    raise AssertionError(args.command)


def shard_command(
    root: Path, config: Config, counties: list[str], output: Path, search: bool, out: TextIO
) -> int:
    started = time.perf_counter()
    try:
        result = run_shard(root, config, counties, output, search, _progress)
    except ShardError as err:
        print(f"分片错误：{err}", file=out)
        return EXIT_USAGE
    if result.pages == 0 and result.check.failed():
        report_check(result.check, False, out)
        return EXIT_PROBLEMS
    print(
        f"已生成分片 {'、'.join(counties)}：{result.towns} 个镇街，{result.pages} 个页面，"
        f"用时 {time.perf_counter() - started:.1f} 秒 → {output}",
        file=out,
    )
    return EXIT_OK


def assemble_command(root: Path, config: Config, folders: list[Path], out: TextIO) -> int:
    started = time.perf_counter()
    try:
        result = run_assemble(root, config, folders)
    except ShardError as err:
        print(f"无法合并分片：{err}；原有网站保持不变", file=out)
        return EXIT_PROBLEMS
    if result.pages == 0:
        report_check(result.check, False, out)
        return EXIT_PROBLEMS
    print(
        f"已合并 {len(folders)} 个分片：{result.towns} 个镇街，{result.pages} 个页面，"
        f"用时 {time.perf_counter() - started:.1f} 秒 → {config.output_dir}/",
        file=out,
    )
    return EXIT_OK


def diff_command(root: Path, config: Config, old: str, new: str | None, out: TextIO) -> int:
    """A Markdown summary of the catalogue changes between two revisions, for reviewers."""
    try:
        before = versions_at(root, old, config.content_dir)
        after = (
            versions_at(root, new, config.content_dir)
            if new
            else versions_of(root, config.content_dir)
        )
    except GitError as err:
        print(f"无法读取版本：{err}", file=sys.stderr)
        return EXIT_USAGE
    labels = build_labels(load_schemas(root / config.schema_dir))
    summary = render_diff_summary(diff_editions(before, after), old, new or "工作区", labels)
    print(summary, file=out)
    return EXIT_OK


def sheet_command(root: Path, config: Config, args: argparse.Namespace, out: TextIO) -> int:
    """``import`` and ``export``: spreadsheets in and out (see ``sheets``)."""
    from .sheets.transfer import export_lists, import_list

    schemas = load_schemas(root / config.schema_dir)
    content = root / config.content_dir
    if args.command == "import":
        source = args.file if args.file.is_absolute() else Path.cwd() / args.file
        outcome = import_list(root, content, schemas, args.town, source, args.kind)
    else:
        output = args.output if args.output.is_absolute() else Path.cwd() / args.output
        if not output.is_dir():
            print(f"输出目录不存在：{output}", file=sys.stderr)
            return EXIT_USAGE
        kinds = [args.kind] if args.kind else list(LIST_CHOICES)
        outcome = export_lists(content, schemas, args.town, kinds, output)
    for line in outcome.lines:
        print(line, file=out)
    return EXIT_OK if outcome.ok else EXIT_PROBLEMS


def update_readme(root: Path, config: Config, *, check_only: bool, out: TextIO) -> int:
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8")
    schemas = load_schemas(root / config.schema_dir)
    updated = replace_section(render_readme(text, schemas), "csv", csv_reference(schemas))
    if updated == text:
        print("README.md 已是最新", file=out)
        return EXIT_OK
    if check_only:
        print("README.md 的字段表、模块表或问题代码表已过时；请运行 python build.py docs", file=out)
        return EXIT_PROBLEMS
    readme.write_text(updated, encoding="utf-8")
    print("已更新 README.md", file=out)
    return EXIT_OK


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code else EXIT_OK
    if args.command is None:
        args.command = "build"
        args.strict = args.top_strict
        args.no_search = args.top_no_search
    elif args.top_no_search and hasattr(args, "no_search"):
        args.no_search = True
    try:
        return _run(args, out)
    except ConfigError as err:
        print(f"配置错误：{err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except Exception as err:  # an internal error: one line unless -v
        if args.verbose:
            traceback.print_exc()
        print(f"内部错误：{type(err).__name__}: {err}（加 -v 查看回溯）", file=sys.stderr)
        return EXIT_INTERNAL
