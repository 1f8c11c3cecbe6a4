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
from typing import Any

from .loader import Parsed, Path_, load_yaml_file
from .problems import Problem, format_path
from .schema import SchemaSet, validate_parsed

LIST_KINDS = ("powers", "duties", "institutions")
TOWN_FILES = ("town", *LIST_KINDS)
FORMS_FOLDER = "forms"  # a town's form files for its service guides (see ``forms``)


@dataclass(frozen=True)
class Document:
    """One content file after loading and schema validation."""

    kind: str  # region, thesaurus, town, powers, duties or institutions
    source: str  # path shown in problems, relative to the project root
    town: str | None  # the town's slug, None for region.yaml
    parsed: Parsed
    data: Any  # typed plain data; trustworthy only when the file had no problems
    valid: bool


def problem_at(
    doc: Document, path: Path_, code: str, message: str, *, key: bool = False
) -> Problem:
    """A problem at the value (or, with ``key``, the key) at ``path`` in ``doc``."""
    line, col = doc.parsed.position(path, key=key)
    return Problem(doc.source, line, col, code, format_path(path), message)


def _schema_line_problem(kind: str, parsed: Parsed, source: str) -> list[Problem]:
    expected = f"{kind}.schema.json"
    if parsed.schema_line is None:
        depth = "../" if kind in ("region", "thesaurus") else "../../../"
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
    if not problems:
        data, schema_problems = validate_parsed(schemas, kind, parsed, source)
        problems += schema_problems
    document = Document(kind, source, town, parsed, data, valid=not problems)
    if not parsed.problems:
        problems += _schema_line_problem(kind, parsed, source)
    return document, problems


def _town_folder_files(folder: Path, source: str) -> tuple[dict[str, Path], list[Problem]]:
    files: dict[str, Path] = {}
    problems = []
    expected = [f"{name}.yaml" for name in TOWN_FILES]
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.startswith("."):
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
    """Town folders under ``content/towns``, sorted by name."""
    towns_dir = content_dir / "towns"
    if not towns_dir.is_dir():
        return []
    return sorted(
        Path(e.path) for e in os.scandir(towns_dir) if e.is_dir() and not e.name.startswith(".")
    )


@dataclass(frozen=True)
class Facts:
    """``region.yaml`` and every ``town.yaml``, and where each town's list files are."""

    documents: list[Document]
    problems: list[Problem]
    lists: dict[str, dict[str, Path]]  # slug -> kind -> file


def _display(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def load_facts(root: Path, content_dir: Path, schemas: SchemaSet) -> Facts:
    """The small files every check needs: the region, the thesaurus and each town's facts."""
    documents: list[Document] = []
    problems: list[Problem] = []
    for kind in ("region", "thesaurus"):  # the city's files; the thesaurus is optional
        path = content_dir / f"{kind}.yaml"
        if path.is_file():
            document, found = load_document(path, kind, _display(root, path), None, schemas)
            documents.append(document)
            problems += found
        elif kind == "region":
            message = "缺少 content/region.yaml（市级信息和区县列表）"
            problems.append(Problem(_display(root, path), 0, 0, "missing-town-file", "", message))
    lists: dict[str, dict[str, Path]] = {}
    for folder in find_town_folders(content_dir):
        files, found = _town_folder_files(folder, _display(root, folder))
        problems += found
        if "town" in files:
            document, found = load_document(
                files["town"], "town", _display(root, files["town"]), folder.name, schemas
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
                path, kind, _display(root, path), slug, schemas, positions=positions
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
