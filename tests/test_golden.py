"""The small fixture site renders exactly as recorded in tests/golden/.

Regenerate after an intended change with:
    TOWNCAT_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

from sitefixture import copy_fixture

from towncat.build.pipeline import run_build
from towncat.config import load_config

GOLDEN = Path(__file__).parent / "golden" / "small-site"
SKIPPED = ("assets/", "schemas/", "pagefind/")  # copies of static/, schemas/; the index


def build_fixture(root: Path, output: Path) -> dict[str, bytes]:
    config = dataclasses.replace(load_config(root), output_dir=str(output))
    result = run_build(root, config, search=False)
    assert result.pages, [str(p) for p in result.check.problems]
    return {p.relative_to(output).as_posix(): p.read_bytes()
            for p in sorted(output.rglob("*")) if p.is_file()}


def test_small_site_matches_golden_output(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)  # outside git: no dates, so the output never drifts
    built = {k: v for k, v in build_fixture(root, tmp_path / "site").items()
             if not k.startswith(SKIPPED)}
    if os.environ.get("TOWNCAT_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, data in built.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(data)
    golden = {p.relative_to(GOLDEN).as_posix(): p.read_bytes()
              for p in sorted(GOLDEN.rglob("*")) if p.is_file()}
    assert sorted(built) == sorted(golden), "pages added or removed; see the docstring"
    changed = [path for path in built if built[path] != golden[path]]
    assert not changed, f"output differs from tests/golden for {changed[:10]}"
