"""The stages in order. Each function here reads like a table of contents."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .catalogue import Catalogue, build_catalogue
from .config import Config
from .content import load_content
from .problems import Problem, count_by_severity
from .schema import load_schemas
from .validate import validate_catalogue


@dataclass(frozen=True)
class CheckResult:
    problems: list[Problem]
    catalogue: Catalogue | None  # None when any error was found

    def failed(self, *, strict: bool = False) -> bool:
        return count_by_severity(self.problems, strict=strict)[0] > 0


def run_check(root: Path, config: Config) -> CheckResult:
    """Load → schema → cross-checks → model. Reads files; writes nothing."""
    schemas = load_schemas(root / config.schema_dir)
    documents, problems = load_content(root, root / config.content_dir, schemas)
    problems += validate_catalogue(documents)
    problems.sort()
    if count_by_severity(problems)[0] or not documents:
        return CheckResult(problems, None)
    return CheckResult(problems, build_catalogue(documents))
