"""Finding and loading the content files: ``content/region.yaml`` and one folder per town.

This is the I/O edge of the check: it lists folders, reads files and hands the
text to the loader and the schema. Every problem is returned, nothing raises.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, TypeGuard

from .loader import Parsed, Path_, load_yaml_file
from .problems import Problem, format_path
from .schema import SchemaSet, validate_parsed

LIST_KINDS = ("powers", "duties", "institutions")
TOWN_FILES = ("town", *LIST_KINDS)
CITY_FILES = ("region", "thesaurus", "editions")  # content/<kind>.yaml
FORMS_FOLDER = "forms"  # a town's form files for its service guides (see ``forms``)


@dataclass(frozen=True)
class Document:
    """One content file after loading and schema validation."""

    kind: str  # region, thesaurus, editions, town, powers, duties or institutions
    source: str  # path shown in problems, relative to the project root
    town: str | None  # the town's slug, None for region.yaml
    parsed: Parsed
    data: Any  # typed plain data; trustworthy only when the file had no problems
    valid: bool
    flawed: frozenset[str] = frozenset()  # key paths with an error, e.g. ``powers[3].id``

    def ok(self, path: Path_) -> bool:
        """Whether the value at ``path`` had no error of its own."""
        return format_path(path) not in self.flawed

    def good(self, value: Any, path: Path_) -> TypeGuard[str]:
        """Whether ``value`` (found at ``path``) is text without an error of its own, so
        that checks across files can judge it."""
        return isinstance(value, str) and self.ok(path)

    def readable(self) -> bool:
        """Whether checks across files can look into this file: it was read as a mapping
        and no line of it had to be skipped to read past a syntax error."""
        return isinstance(self.data, dict) and not self.parsed.mended


def problem_at(
    doc: Document, path: Path_, code: str, message: str, *, key: bool = False
) -> Problem:
    """A problem at the value (or, with ``key``, the key) at ``path`` in ``doc``."""
    line, col = doc.parsed.position(path, key=key)
    return Problem(doc.source, line, col, code, format_path(path), message)


def _schema_line_problem(kind: str, parsed: Parsed, source: str) -> list[Problem]:
    expected = f"{kind}.schema.json"
    if parsed.schema_line is None:
        depth = "../" if kind in CITY_FILES else "../../../"
        message = f"请在文件第一行加入：# yaml-language-server: $schema={depth}schemas/{expected}"
        return [Problem(source, 1, 1, "missing-schema-line", "", message)]
    if PurePosixPath(parsed.schema_line.split("#")[0]).name != expected:
        message = f"$schema 指向 {parsed.schema_line}，本文件应使用 {expected}"
        return [Problem(source, 1, 1, "wrong-schema-line", "", message)]
    return []


def load_document(
    path: Path,
    kind: str,
    source: str,
    town: str | None,
    schemas: SchemaSet,
    *,
    positions: bool = True,
) -> tuple[Document, list[Problem]]:
    """Read, parse and schema-check one file. Without ``positions``, schema and cross-file
    problems point at line 1: load again with positions to report them."""
    parsed = load_yaml_file(path, source, positions=positions)
    problems = list(parsed.problems)
    data: Any = None
    if parsed.value is not None or not problems:  # whatever could be read, even after a slip
        data, schema_problems = validate_parsed(schemas, kind, parsed, source)
        problems += schema_problems
    flawed = frozenset(p.path for p in problems if p.path)
    document = Document(kind, source, town, parsed, data, valid=not problems, flawed=flawed)
    if parsed.value is not None or not parsed.problems:
        problems += _schema_line_problem(kind, parsed, source)
    return document, problems


def link_problem(path: Path, tree: Path, source: str) -> Problem | None:
    """A problem when ``path`` is a symbolic link that does not resolve inside ``tree``
    (the content folder): its text could be any file of the machine, published."""
    if not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        message = f"{path.name} 是无法解析的符号链接（目标不存在或形成循环），已跳过"
        return Problem(source, 0, 0, "symlink", "", message)
    if target.is_relative_to(tree.resolve()):
        return None
    message = (
        f"{path.name} 是指向内容目录之外的符号链接；为安全起见不读取，"
        "请把文件本身（而不是链接）放进 content/"
    )
    return Problem(source, 0, 0, "symlink", "", message)


def _town_folder_files(
    folder: Path, source: str, tree: Path
) -> tuple[dict[str, Path], list[Problem]]:
    files: dict[str, Path] = {}
    problems = []
    expected = [f"{name}.yaml" for name in TOWN_FILES]
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.startswith("."):
            continue
        refused = link_problem(Path(entry.path), tree, f"{source}/{entry.name}")
        if refused is not None:
            problems.append(refused)
            continue
        if entry.name in expected and entry.is_file():
            files[entry.name.removesuffix(".yaml")] = Path(entry.path)
            continue
        if entry.name == FORMS_FOLDER and entry.is_dir():
            continue  # its files are checked where guides name them
        close = difflib.get_close_matches(entry.name, expected, n=1, cutoff=0.6)
        hint = (
            f"；是否想命名为 {close[0]}？"
            if close
            else "；允许的文件：" + "、".join(expected) + f"，以及表格文件夹 {FORMS_FOLDER}/"
        )
        problems.append(
            Problem(
                f"{source}/{entry.name}",
                0,
                0,
                "unknown-file",
                "",
                f"不认识的文件 {entry.name}{hint}",
            )
        )
    if "town" not in files:
        problems.append(
            Problem(
                f"{source}/town.yaml",
                0,
                0,
                "missing-town-file",
                "",
                "镇街文件夹中缺少 town.yaml（镇街基本信息），请添加",
            )
        )
    return files, problems


def find_town_folders(content_dir: Path) -> list[Path]:
    """Town folders under ``content/towns``, sorted by name (symbolic links that leave
    the content folder are left out: ``find_link_problems`` reports them)."""
    towns_dir = content_dir / "towns"
    if not towns_dir.is_dir() or link_problem(towns_dir, content_dir, "") is not None:
        return []
    return sorted(
        Path(e.path)
        for e in os.scandir(towns_dir)
        if e.is_dir()
        and not e.name.startswith(".")
        and link_problem(Path(e.path), content_dir, "") is None
    )


def find_link_problems(root: Path, content_dir: Path) -> list[Problem]:
    """The ``towns`` folder or town folders that are links out of the content folder."""
    towns_dir = content_dir / "towns"
    candidates = [towns_dir]
    if towns_dir.is_dir() and not towns_dir.is_symlink():
        candidates += sorted(Path(e.path) for e in os.scandir(towns_dir) if e.is_symlink())
    found = [link_problem(path, content_dir, display_path(root, path)) for path in candidates]
    return [problem for problem in found if problem is not None]


@dataclass(frozen=True)
class Facts:
    """``region.yaml`` and every ``town.yaml``, and where each town's list files are."""

    documents: list[Document]
    problems: list[Problem]
    lists: dict[str, dict[str, Path]]  # slug -> kind -> file


def display_path(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def load_facts(root: Path, content_dir: Path, schemas: SchemaSet) -> Facts:
    """The small files every check needs: the city's files and each town's facts."""
    documents: list[Document] = []
    problems: list[Problem] = []
    problems += find_link_problems(root, content_dir)
    for kind in CITY_FILES:  # the city's files; only the region is required
        path = content_dir / f"{kind}.yaml"
        refused = link_problem(path, content_dir, display_path(root, path))
        if refused is not None:
            problems.append(refused)
        elif path.is_file():
            document, found = load_document(path, kind, display_path(root, path), None, schemas)
            documents.append(document)
            problems += found
        elif kind == "region":
            message = "缺少 content/region.yaml（市级信息和区县列表）"
            problems.append(
                Problem(display_path(root, path), 0, 0, "missing-town-file", "", message)
            )
    lists: dict[str, dict[str, Path]] = {}
    for folder in find_town_folders(content_dir):
        files, found = _town_folder_files(folder, display_path(root, folder), content_dir)
        problems += found
        if "town" in files:
            document, found = load_document(
                files["town"], "town", display_path(root, files["town"]), folder.name, schemas
            )
            documents.append(document)
            problems += found
        lists[folder.name] = {k: v for k, v in files.items() if k in LIST_KINDS}
    return Facts(documents, problems, lists)


def load_lists(
    root: Path, facts: Facts, slugs: Iterable[str], schemas: SchemaSet, *, positions: bool = True
) -> tuple[list[Document], list[Problem]]:
    """The list files of the towns ``slugs``, loaded and schema-checked."""
    documents: list[Document] = []
    problems: list[Problem] = []
    for slug in slugs:
        for kind, path in sorted(
            facts.lists.get(slug, {}).items(), key=lambda kv: LIST_KINDS.index(kv[0])
        ):
            document, found = load_document(
                path, kind, display_path(root, path), slug, schemas, positions=positions
            )
            documents.append(document)
            problems += found
    return documents, problems


def load_content(
    root: Path, content_dir: Path, schemas: SchemaSet, only: frozenset[str] | None = None
) -> tuple[list[Document], list[Problem]]:
    """Every content file of the project, loaded and schema-checked; with ``only``, the
    lists of just those towns (every ``town.yaml`` is still read)."""
    facts = load_facts(root, content_dir, schemas)
    slugs = sorted(facts.lists) if only is None else sorted(s for s in facts.lists if s in only)
    documents, problems = load_lists(root, facts, slugs, schemas)
    return facts.documents + documents, facts.problems + problems
