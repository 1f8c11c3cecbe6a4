"""The small fixture site (tests/fixtures/small-site), copied where a test may change it."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "small-site"


def copy_fixture(tmp_path: Path) -> Path:
    """A copy outside any git repository, with absolute paths to the repo's schemas,
    templates and static files."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    toml = (root / "towncat.toml").read_text(encoding="utf-8")
    for name in ("schemas", "templates", "static"):
        toml = toml.replace(f'"../../../{name}"', f'"{REPO / name}"')
    (root / "towncat.toml").write_text(toml, encoding="utf-8")
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` by relative path: two builds are the same when these are."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}
