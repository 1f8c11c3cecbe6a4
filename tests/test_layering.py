"""The package's tree shows its pipeline: each stage imports only the stages below it.

The allowed imports are read from each subpackage's ``__init__`` docstring ("May import:
…"), so the rule lives where a reader of the tree looks for it.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import towncat

PACKAGE = Path(towncat.__file__).parent
STAGES = ("content", "history", "site", "search", "build", "sheets")
SHARED = {"config"}  # plain settings, importable by every stage
ENTRY_POINTS = {"cli", "serve"}  # the top: import anything, imported by nothing below


def allowed_imports(stage: str) -> set[str]:
    doc = importlib.import_module(f"towncat.{stage}").__doc__ or ""
    match = re.search(r"May import: (.*)", doc)
    assert match, f"towncat/{stage}/__init__.py must say what it may import"
    names = {n.strip(" .") for n in match.group(1).split(",")}
    return set() if names == {"nothing of the other stages"} else names


def towncat_imports(path: Path, root: Path) -> set[str]:
    """The top-level towncat names (stages or modules) a module imports."""
    module = path.relative_to(root.parent).with_suffix("").parts
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(module[: len(module) - node.level])
                target = base + (node.module.split(".") if node.module else [])
                if len(target) == 1:  # "from . import x" at the top, or "from .. import x"
                    found.update(alias.name for alias in node.names)
                else:
                    found.add(target[1])
            elif node.module and node.module.split(".")[0] == "towncat":
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("towncat."))
    return found


def stage_of(path: Path, root: Path) -> str:
    return path.relative_to(root).parts[0] if path.parent != root else path.stem


def layering_violations(root: Path = PACKAGE) -> list[str]:
    rules = {stage: allowed_imports(stage) for stage in STAGES}
    problems = []
    for path in sorted(root.rglob("*.py")):
        stage = stage_of(path, root)
        for target in sorted(towncat_imports(path, root) - {stage, "__init__"}):
            if stage in ENTRY_POINTS or target in SHARED:
                continue
            if stage not in rules or target not in rules[stage]:
                problems.append(f"{path.relative_to(root)} imports {target}")
    return problems


def test_every_module_imports() -> None:
    names = [m.name for m in pkgutil.walk_packages([str(PACKAGE)], "towncat.")]
    assert {f"towncat.{s}" for s in STAGES} <= set(names)
    for name in names:
        importlib.import_module(name)


def test_each_stage_imports_only_the_stages_below_it() -> None:
    assert layering_violations() == []


def test_stages_are_ordered_with_nothing_importing_upwards() -> None:
    for lower, stage in enumerate(STAGES):
        assert allowed_imports(stage) == set(STAGES[:lower])


def test_an_upward_import_is_reported(tmp_path: Path) -> None:
    """A content module that imports from site breaks the rule, and the test says so."""
    copy = tmp_path / "towncat"
    for path in PACKAGE.rglob("*.py"):
        target = copy / path.relative_to(PACKAGE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    loader = copy / "content" / "loader.py"
    loader.write_text(loader.read_text(encoding="utf-8") + "\nfrom ..site import urls\n")
    (copy / "config.py").write_text("from .build import pipeline\n")  # shared: imports nothing
    assert layering_violations(copy) == [
        "config.py imports build",
        "content/loader.py imports site",
    ]
