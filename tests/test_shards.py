"""A site built as shards (one job per 区县) and assembled equals the site built in one job."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sitefixture import copy_fixture, snapshot
from test_history_git import (
    commit,
    git,
    isolated_git,  # noqa: F401  (an autouse fixture: no user git config in these tests)
)

from towncat.cli import main

GAMMA = """# yaml-language-server: $schema=../../../schemas/town.schema.json
code: "370302001000"
name: 丙街道
kind: 街道
county: 淄川区
sample: false
sources:
  - title: 测试来源
"""


def two_county_project(tmp_path: Path) -> Path:
    root = copy_fixture(tmp_path)
    region = root / "content" / "region.yaml"
    region.write_text(region.read_text(encoding="utf-8").replace(
        "counties:\n", 'counties:\n  - code: "370302"\n    name: 淄川区\n    slug: zichuan\n'),
        encoding="utf-8")
    (root / "content" / "towns" / "gamma").mkdir()
    (root / "content" / "towns" / "gamma" / "town.yaml").write_text(GAMMA, encoding="utf-8")
    return root


def run(root: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["--root", str(root), *args], out=out)
    return code, out.getvalue()


@pytest.mark.parametrize("flags", [("--no-search",), ()], ids=["no-search", "search"])
def test_assembled_shards_equal_a_single_build(tmp_path: Path, flags: tuple[str, ...]) -> None:
    """Byte for byte, the search index included."""
    root = two_county_project(tmp_path)
    assert run(root, "build", *flags)[0] == 0
    single = snapshot(root / "site")
    shards = tmp_path / "shards"
    for county in ("huantai", "zichuan"):
        code, output = run(root, "shard", "--county", county, "--output",
                           str(shards / county), *flags)
        assert code == 0, output
    assert not (shards / "zichuan" / "towns" / "alpha").exists()  # only its own towns
    code, output = run(root, "assemble", str(shards / "huantai"), str(shards / "zichuan"))
    assert code == 0, output
    assert snapshot(root / "site") == single


def test_assembled_search_bundles_come_from_the_shards(tmp_path: Path) -> None:
    root = two_county_project(tmp_path)
    shards = tmp_path / "shards"
    for county in ("huantai", "zichuan"):
        assert run(root, "shard", "--county", county, "--output", str(shards / county))[0] == 0
    assert (shards / "huantai" / "pagefind" / "huantai" / "pagefind.js").is_file()
    assert not (shards / "zichuan" / "pagefind").exists()  # no town there publishes a list
    assert run(root, "assemble", str(shards / "huantai"), str(shards / "zichuan"))[0] == 0
    assert (root / "site" / "pagefind" / "huantai" / "pagefind.js").is_file()
    search = (root / "site" / "search" / "index.html").read_text(encoding="utf-8")
    assert 'data-bundles="pagefind/huantai/"' in search


def test_assemble_refuses_a_missing_county(tmp_path: Path) -> None:
    root = two_county_project(tmp_path)
    shards = tmp_path / "shards"
    assert run(root, "shard", "--county", "huantai", "--output", str(shards / "h"),
               "--no-search")[0] == 0
    code, output = run(root, "assemble", str(shards / "h"))
    assert code == 1 and "zichuan" in output
    assert not (root / "site").exists()


def test_assemble_refuses_shards_built_from_other_inputs(tmp_path: Path) -> None:
    root = two_county_project(tmp_path)
    shards = tmp_path / "shards"
    for county in ("huantai", "zichuan"):
        assert run(root, "shard", "--county", county, "--output", str(shards / county),
                   "--no-search")[0] == 0
    town = root / "content" / "towns" / "gamma" / "town.yaml"
    town.write_text(town.read_text(encoding="utf-8").replace("丙街道", "丁街道"),
                    encoding="utf-8")
    code, output = run(root, "assemble", str(shards / "huantai"), str(shards / "zichuan"))
    assert code == 1 and "不一致" in output


def test_unknown_county_is_a_usage_error(tmp_path: Path) -> None:
    root = two_county_project(tmp_path)
    code, output = run(root, "shard", "--county", "nowhere", "--output", str(tmp_path / "x"))
    assert code == 2 and "nowhere" in output


EDITIONS = """# yaml-language-server: $schema=../schemas/editions.schema.json
editions:
  - name: "2024"
    title: 2024年版
    commit: {sha}
    published: 2024-06-01
    sample: true
    note: 首次公布
"""


def test_assembled_shards_carry_the_public_record(tmp_path: Path) -> None:
    """In git, with an edition declared and a change note: the assembled site has the same
    record (change pages, feeds, the edition's frozen snapshot) as a single build."""
    root = two_county_project(tmp_path)
    (root / ".gitignore").write_text(".towncat-cache/\nsite/\nshards/\n", encoding="utf-8")
    git(root, "init", "-q")
    first = commit(root, "import", {})
    commit(root, "edition", {"content/editions.yaml": EDITIONS.format(sha=first)})
    town = root / "content" / "towns" / "gamma" / "town.yaml"
    commit(root, "x\n\nChange-Note: 补充来源",
           {"content/towns/gamma/town.yaml": town.read_text(encoding="utf-8") + "  - title: 又一来源\n"})
    code, output = run(root, "build", "--no-search")
    assert code == 0, output
    single = snapshot(root / "site")
    assert any(path.startswith("editions/2024/") for path in single)
    shards = root / "shards"
    for county in ("huantai", "zichuan"):
        code, output = run(root, "shard", "--county", county, "--output",
                           str(shards / county), "--no-search")
        assert code == 0, output
    code, output = run(root, "assemble", str(shards / "huantai"), str(shards / "zichuan"))
    assert code == 0, output
    assert snapshot(root / "site") == single


def test_shard_and_assemble_refuse_a_bad_ignore_revs_file(tmp_path: Path) -> None:
    root = two_county_project(tmp_path)
    (root / ".gitignore").write_text(".towncat-cache/\nsite/\nshards/\n", encoding="utf-8")
    git(root, "init", "-q")
    commit(root, "import", {".towncat-ignore-revs": "not-a-revision\n"})
    code, output = run(root, "shard", "--county", "huantai", "--output", str(root / "shards" / "h"))
    assert code != 0 and ".towncat-ignore-revs:1" in output, output
    assert not (root / "shards" / "h").exists()
