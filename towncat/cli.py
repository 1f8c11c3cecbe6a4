"""Command line: ``python build.py [build|check|serve] …``. ``main`` returns the exit code.

Exit codes: 0 clean, 1 content problems, 2 usage or configuration, 3 internal error.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .catalogue import Catalogue
from .config import ConfigError, load_config
from .pipeline import CheckResult, run_check
from .problems import count_by_severity, format_problem

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="镇街权责清单网站生成器")
    parser.add_argument("-v", "--verbose", action="store_true", help="内部错误时显示完整回溯")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="项目目录（默认当前目录）")
    commands = parser.add_subparsers(dest="command")
    check = commands.add_parser("check", help="检查全部内容，不生成网站")
    check.add_argument("--strict", action="store_true", help="警告也按错误处理")
    return parser


def summarize_catalogue(catalogue: Catalogue) -> list[str]:
    """One line per town that publishes a list, then the totals, in Chinese."""
    lines = []
    totals = {"powers": 0, "duties": 0, "institutions": 0}
    for town in catalogue.towns:
        counts = {
            "powers": len(town.powers.items) if town.powers else 0,
            "duties": len(town.duties.items) if town.duties else 0,
            "institutions": len(town.institutions.items) if town.institutions else 0,
        }
        for key, value in counts.items():
            totals[key] += value
        if any(counts.values()):
            lines.append(f"  {town.facts.name}（{town.facts.county}）：赋权事项 {counts['powers']} 项，"
                         f"职责 {counts['duties']} 项，机构 {counts['institutions']} 个")
    lines.append(f"共 {len(catalogue.towns)} 个镇街，赋权事项 {totals['powers']} 项，"
                 f"职责 {totals['duties']} 项，机构 {totals['institutions']} 个")
    return lines


def report_check(result: CheckResult, strict: bool, out: TextIO) -> int:
    for problem in result.problems:
        print(format_problem(problem, strict=strict), file=out)
    if result.catalogue is not None:
        for line in summarize_catalogue(result.catalogue):
            print(line, file=out)
    errors, warnings = count_by_severity(result.problems, strict=strict)
    verdict = "未通过" if errors else "通过"
    print(f"检查{verdict}：{errors} 个错误，{warnings} 个警告", file=out)
    return EXIT_PROBLEMS if errors else EXIT_OK


def _run(args: argparse.Namespace, out: TextIO) -> int:
    root = args.root.resolve()
    config = load_config(root)
    if args.command == "check":
        return report_check(run_check(root, config), args.strict, out)
    raise AssertionError(args.command)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code else EXIT_OK
    if args.command is None:
        args.command = "check"
        args.strict = False
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
