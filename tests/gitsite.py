"""A small site with real git history, for tests that need every kind of page: an
edition snapshot (tag ``edition/2024``), an item removed (a withdrawn page) and an item
moved from the powers to the duties list (a moved page). Dates are fixed."""

from __future__ import annotations

import dataclasses
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest
from sitefixture import copy_fixture

from towncat.build.pipeline import run_build
from towncat.config import load_config

EMAIL = "editor@example.test"
POWERS = "content/towns/alpha/powers.yaml"
DUTIES = "content/towns/alpha/duties.yaml"
WITHDRAWN = "towns/alpha/powers/xk-0001/"
MOVED = "towns/alpha/powers/cf-0002/"
SNAPSHOT = "editions/2024/towns/alpha/powers/cf-0001/"
ISOLATED = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}

PATROL_POWER = """\
  - id: cf-0002
    name: 对违法搭建的巡查处置
    type: 行政处罚
    basis:
      - law: 《城乡规划法》
    handling_office: enforcement
"""
PATROL_DUTY = """\
  - id: cf-0002
    list_kind: 配合责任
    name: 对违法搭建的巡查处置
    lead_office: enforcement
"""


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, **ISOLATED, "GIT_CEILING_DIRECTORIES": str(repo.parent)}
    env |= {"GIT_AUTHOR_NAME": "张编辑", "GIT_COMMITTER_NAME": "张编辑"}
    env |= {"GIT_AUTHOR_EMAIL": EMAIL, "GIT_COMMITTER_EMAIL": EMAIL}
    if date is not None:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    done = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def commit(repo: Path, message: str, files: Mapping[str, str], date: str) -> None:
    for relative, text in files.items():
        (repo / relative).write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)


def build_history_site(tmp_path: Path) -> tuple[Path, Path]:
    """(project, built site) of the small fixture with three commits and an edition."""
    root = copy_fixture(tmp_path)
    (root / ".gitignore").write_text(".towncat-cache/\nsite/\n", encoding="utf-8")
    powers = (root / POWERS).read_text(encoding="utf-8")
    duties = (root / DUTIES).read_text(encoding="utf-8")
    without_licence = powers[: powers.index("  - id: xk-0001")].replace("第二十七条", "第二十八条")
    git(root, "init", "-q")
    commit(root, "初始清单", {POWERS: powers + PATROL_POWER}, "2024-01-01T10:00:00+08:00")
    git(root, "tag", "edition/2024")
    commit(
        root,
        "删除已收回的审批事项，修改依据条款",
        {POWERS: without_licence + PATROL_POWER},
        "2024-03-01T10:00:00+08:00",
    )
    commit(
        root,
        "巡查处置改列为职责",
        {POWERS: without_licence, DUTIES: duties + PATROL_DUTY},
        "2024-05-01T10:00:00+08:00",
    )
    output = tmp_path / "site"
    with pytest.MonkeyPatch.context() as patch:
        for name, value in ISOLATED.items():
            patch.setenv(name, value)
        patch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
        result = run_build(
            root, dataclasses.replace(load_config(root), output_dir=str(output)), search=False
        )
    assert result.pages, [str(p) for p in result.check.problems]
    return root, output
