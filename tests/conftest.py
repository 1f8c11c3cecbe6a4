"""Shared helpers: a minimal valid project written inline, and running ``check`` on it.

Test modules import the helpers as ``from towncat_conftest import make_project, ...``.

The minimal project has one city with two counties and two towns:

* ``alpha`` — 马桥镇 in 桓台县, real (``sample: false``) data with all four files;
* ``beta`` — 般阳路街道 in 淄川区, a sample town with only ``town.yaml``.

Every file is a small YAML string below, so a test that replaces one of them shows
exactly what differs from a clean project.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # so that plain ``pytest`` works without installing towncat
    sys.path.insert(0, str(REPO))

from towncat.cli import main  # noqa: E402

# Test modules import these helpers with ``from towncat_conftest import ...``: a plain
# ``import conftest`` finds whichever conftest.py pytest loaded last (tests/browser/ has
# its own), so this module is also registered under a name of its own.
sys.modules.setdefault("towncat_conftest", sys.modules[__name__])
SCHEMAS = REPO / "schemas"

# -- Hypothesis: reproducible on CI, never flaky on slow machines.
settings.register_profile(
    "ci", derandomize=True, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "dev")


REGION_YAML = """\
# yaml-language-server: $schema=../schemas/region.schema.json
name: 淄博市
code: "370300"
counties:
  - code: "370321"
    name: 桓台县
    slug: huantai
  - code: "370302"
    name: 淄川区
    slug: zichuan
sources:
  - title: 2023年统计用区划代码和城乡划分代码
    publisher: 国家统计局
    date: 2023-09-11
"""

ALPHA_TOWN_YAML = """\
# yaml-language-server: $schema=../../../schemas/town.schema.json
code: "370321105000"
name: 马桥镇
kind: 镇
county: 桓台县
sample: false
sources:
  - title: 2023年统计用区划代码和城乡划分代码
    publisher: 国家统计局
"""

ALPHA_POWERS_YAML = """\
# yaml-language-server: $schema=../../../schemas/powers.schema.json
title: 马桥镇赋权事项清单
sources:
  - title: 关于印发马桥镇放权目录的通知
    document_number: 桓编发〔2021〕1号
powers:
  - id: cf-0001
    name: 对擅自占用城市绿化用地的行政处罚
    type: 行政处罚
    basis:
      - law: 《城市绿化条例》
        article: 第二十七条
    handling_office: enforcement
    keywords: [占绿, 绿地]
    effective_from: 2024-01-01
"""

ALPHA_DUTIES_YAML = """\
# yaml-language-server: $schema=../../../schemas/duties.schema.json
sources:
  - title: 马桥镇职责任务清单
duties:
  - id: zt-0001
    list_kind: 主体责任
    name: 辖区内建筑施工安全巡查
    lead_office: safety
"""

ALPHA_INSTITUTIONS_YAML = """\
# yaml-language-server: $schema=../../../schemas/institutions.schema.json
sources:
  - title: 马桥镇机构设置方案
institutions:
  - id: enforcement
    name: 综合行政执法办公室
    kind: 党政工作机构
    functions:
      - 负责镇域内综合行政执法工作
    phone: 0533-8181234
    staffing:
      administrative: 5
  - id: safety
    name: 安全生产和环境保护办公室
    kind: 党政工作机构
    functions: [负责安全生产监督管理]
    phone: "05338181235"
  - id: party-office
    name: 党政办公室
    kind: 党政工作机构
    functions: [负责党委政府日常运转]
"""

BETA_TOWN_YAML = """\
# yaml-language-server: $schema=../../../schemas/town.schema.json
code: "370302001000"
name: 般阳路街道
kind: 街道
county: 淄川区
sample: true
sample_note: 本街道为测试用示例。
sources:
  - title: 2023年统计用区划代码和城乡划分代码
"""

#: Content files of the minimal project, relative to ``content/``.
MINIMAL_FILES: dict[str, str] = {
    "region.yaml": REGION_YAML,
    "towns/alpha/town.yaml": ALPHA_TOWN_YAML,
    "towns/alpha/powers.yaml": ALPHA_POWERS_YAML,
    "towns/alpha/duties.yaml": ALPHA_DUTIES_YAML,
    "towns/alpha/institutions.yaml": ALPHA_INSTITUTIONS_YAML,
    "towns/beta/town.yaml": BETA_TOWN_YAML,
}

Override = str | bytes | None


def make_project(root: Path, files: Mapping[str, Override] | None = None, *,
                 config: str | None = None) -> Path:
    """Write the minimal project into ``root`` and return ``root``.

    ``files`` maps paths relative to ``content/`` to new contents (text is written as
    UTF-8 exactly as given, bytes as they are); ``None`` deletes the file. ``config``
    is written to ``towncat.toml`` when given.
    """
    root.mkdir(parents=True, exist_ok=True)
    schemas = root / "schemas"
    if not schemas.exists():
        schemas.symlink_to(SCHEMAS, target_is_directory=True)
    merged: dict[str, Override] = {**MINIMAL_FILES, **(files or {})}
    content = root / "content"
    for relative, data in merged.items():
        path = content / relative
        if data is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_bytes(data.encode("utf-8"))
    if config is not None:
        (root / "towncat.toml").write_text(config, encoding="utf-8")
    return root


ProjectBuilder = Callable[..., Path]


@pytest.fixture
def project(tmp_path: Path) -> ProjectBuilder:
    """``project(files=None, config=None, name="proj")`` builds a minimal project in tmp_path."""

    def build(files: Mapping[str, Override] | None = None, *, config: str | None = None,
              name: str = "proj") -> Path:
        return make_project(tmp_path / name, files, config=config)

    return build


def run_check(root: Path, *extra: str, strict: bool = False) -> tuple[int, str]:
    """(exit code, everything ``check`` printed) for the project at ``root``."""
    out = io.StringIO()
    args = ["--root", str(root), *extra, "check"]
    if strict:
        args.append("--strict")
    code = main(args, out=out)
    return code, out.getvalue()


PROBLEM_LINE = re.compile(
    r"^(?P<file>[^\s:][^:]*?)(?::(?P<line>\d+):(?P<col>\d+))?: "
    r"(?P<severity>error|warning): (?P<rest>.*) \[(?P<code>[a-z0-9-]+)\]$"
)
SUMMARY_LINE = re.compile(
    r"^检查(?P<verdict>通过|未通过)：(?P<errors>\d+) 个错误，(?P<warnings>\d+) 个警告$"
)


@dataclass(frozen=True)
class Reported:
    file: str
    line: int  # 0 when the output gave no position
    column: int
    severity: str
    code: str
    text: str  # the whole output line


def parse_output(output: str) -> list[Reported]:
    """The problem lines of ``check`` output."""
    found = []
    for text in output.splitlines():
        match = PROBLEM_LINE.match(text)
        if match:
            found.append(Reported(
                match["file"], int(match["line"] or 0), int(match["col"] or 0),
                match["severity"], match["code"], text,
            ))
    return found


def summary(output: str) -> re.Match[str]:
    """The final summary line, which ``check`` always prints last."""
    last = output.rstrip("\n").splitlines()[-1]
    match = SUMMARY_LINE.match(last)
    assert match, f"no summary line at the end of:\n{output}"
    return match
