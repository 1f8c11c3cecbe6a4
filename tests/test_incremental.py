"""Incremental builds give exactly the bytes of a clean build, and reuse what is unchanged."""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

import pytest
from sitefixture import copy_fixture, snapshot

from towncat.build.pipeline import check_all
from towncat.cli import main
from towncat.config import load_config
from towncat.search.bundles import index_bundle, pagefind_binary, plan_bundles


def build(root: Path, *extra: str) -> str:
    out = io.StringIO()
    assert main(["--root", str(root), "build", *extra], out=out) == 0, out.getvalue()
    return out.getvalue()


def clean_build(root: Path, *, search: bool = False) -> dict[str, bytes]:
    """The same project built from scratch: no previous site, no cache."""
    fresh = root.parent / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("site", ".towncat-cache"))
    build(fresh, *(() if search else ("--no-search",)))
    files = snapshot(fresh / "site")
    shutil.rmtree(fresh)
    return files


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("flags", [("--no-search",), ()], ids=["no-search", "search"])
def test_no_change_rebuild_does_nothing(tmp_path: Path, flags: tuple[str, ...]) -> None:
    root = copy_fixture(tmp_path)
    build(root, *flags)
    before = {p: p.stat().st_mtime_ns for p in (root / "site").rglob("*")}
    output = build(root, *flags)
    assert "网站已是最新" in output
    assert {p: p.stat().st_mtime_ns for p in (root / "site").rglob("*")} == before


def test_one_town_edit_rerenders_that_town_only_and_matches_a_clean_build(tmp_path: Path
                                                                          ) -> None:
    root = copy_fixture(tmp_path)
    build(root, "--no-search")
    edit(root / "content/towns/alpha/powers.yaml", "name: 临时占用城市绿化用地审批",
         "name: 临时占用城市绿地审批")
    output = build(root, "--no-search")
    assert "其中 1 个镇街沿用上次结果" in output  # beta was reused, alpha re-rendered
    assert snapshot(root / "site") == clean_build(root)
    page = (root / "site/towns/alpha/powers/xk-0001/index.html").read_text(encoding="utf-8")
    assert "临时占用城市绿地审批" in page


def test_template_change_invalidates_every_town(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    templates = tmp_path / "templates"
    shutil.copytree(Path(__file__).resolve().parent.parent / "templates", templates)
    toml = root / "towncat.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text("\n".join(
        f'template_dir = "{templates}"' if line.startswith("template_dir") else line
        for line in text.splitlines()) + "\n", encoding="utf-8")
    build(root, "--no-search")
    edit(templates / "town.html", "<h2 id=\"lists-title\">清单</h2>",
         "<h2 id=\"lists-title\">全部清单</h2>")
    output = build(root, "--no-search")
    assert "沿用上次结果" not in output
    assert "全部清单" in (root / "site/towns/beta/index.html").read_text(encoding="utf-8")
    assert snapshot(root / "site") == clean_build(root)


def test_config_change_invalidates_every_town(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    build(root, "--no-search")
    edit(root / "towncat.toml", "https://example.test/cat/", "https://example.test/other/")
    output = build(root, "--no-search")
    assert "沿用上次结果" not in output
    assert snapshot(root / "site") == clean_build(root)


def test_corrupt_manifest_is_not_trusted(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    build(root, "--no-search")
    (root / ".towncat-cache" / "build-manifest.json").write_text("{not json", encoding="utf-8")
    output = build(root, "--no-search")
    assert "沿用上次结果" not in output and "网站已是最新" not in output
    assert snapshot(root / "site") == clean_build(root)


def test_reused_output_deleted_by_hand_is_rendered_again(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    build(root, "--no-search")
    (root / "site/towns/beta/index.html").unlink()
    edit(root / "content/towns/alpha/powers.yaml", "fees: 不收费", "fees: 免费")
    build(root, "--no-search")
    assert snapshot(root / "site") == clean_build(root)


def test_one_town_edit_with_search_matches_a_clean_build_index_included(tmp_path: Path
                                                                       ) -> None:
    root = copy_fixture(tmp_path)
    build(root)
    edit(root / "content/towns/alpha/powers.yaml", "name: 临时占用城市绿化用地审批",
         "name: 临时占用城市绿地审批")
    build(root)
    files = snapshot(root / "site")
    assert any(name.startswith("pagefind/huantai/filter/") for name in files)
    assert any(name.startswith("search/compact/b/") for name in files)  # the compact index
    assert "search/compact/towns/alpha.json" in files
    assert files == clean_build(root, search=True)


def test_search_bundle_of_an_unchanged_county_is_reused(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    build(root)
    bundle = root / "site/pagefind/huantai/pagefind-entry.json"
    first = bundle.read_bytes()
    edit(root / "content/region.yaml", "参与涉及本辖区的规划编制。", "参与涉及本辖区的各类规划编制。")
    build(root)
    assert bundle.read_bytes() != b""  # the county's towns changed (region text): re-indexed
    edit(root / "towncat.toml", 'title = "测试市镇街清单"', 'title = "测试市镇街清单（新）"')
    build(root)
    third = bundle.read_bytes()
    build(root, "--strict")  # other flags: a new build, same towns → bundle reused as is
    assert bundle.read_bytes() == third
    assert first  # (the first index existed)


def test_a_reused_towns_warnings_are_still_reported(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    edit(root / "content/towns/alpha/institutions.yaml", "    phone: 0533-0000102\n", "")
    first = build(root, "--no-search")
    warning = next(line for line in first.splitlines() if "[no-contact]" in line)
    assert warning.startswith("content/towns/alpha/powers.yaml:11:")  # read again with positions
    beta = root / "content/towns/beta/town.yaml"
    beta.write_text(beta.read_text(encoding="utf-8") + "# 注释\n", encoding="utf-8")
    second = build(root, "--no-search")
    assert "其中 1 个镇街沿用上次结果" in second  # alpha was not read again
    assert warning in second.splitlines()


TMPFS = Path("/dev/shm")


@pytest.mark.skipif(not TMPFS.is_dir(), reason="no tmpfs at /dev/shm")
def test_the_index_is_the_same_on_tmpfs_and_on_disk(tmp_path: Path) -> None:
    """Pagefind numbers pages in the order it lists folders: creation order on tmpfs,
    name-hash order on ext4. The build puts them in the order of their ids, so the same
    pages give the same index bytes on any file system, for clean and incremental builds."""
    on_disk = copy_fixture(tmp_path)
    build(on_disk)
    with tempfile.TemporaryDirectory(dir=TMPFS) as memory:
        in_memory = copy_fixture(Path(memory))
        build(in_memory)
        assert snapshot(in_memory / "site") == snapshot(on_disk / "site")
        for root in (on_disk, in_memory):
            edit(root / "content/towns/alpha/powers.yaml", "name: 临时占用城市绿化用地审批",
                 "name: 临时占用城市绿地审批")
            build(root)
        assert snapshot(in_memory / "site") == snapshot(on_disk / "site")
    assert "search/compact/meta.json" in snapshot(on_disk / "site")
    assert snapshot(on_disk / "site") == clean_build(on_disk, search=True)


@pytest.mark.skipif(not TMPFS.is_dir(), reason="no tmpfs at /dev/shm")
def test_the_index_does_not_depend_on_the_order_pages_were_written(tmp_path: Path) -> None:
    """Two clean builds whose page files were created in opposite orders, the second on
    tmpfs, which lists a folder in the order its files were created."""
    first = copy_fixture(tmp_path / "a")
    build(first)
    memory = tempfile.TemporaryDirectory(dir=TMPFS)
    second = copy_fixture(Path(memory.name) / "b")
    build(second)
    site = second / "site"
    shutil.rmtree(site / "pagefind")
    pages = sorted(site.rglob("*.html"), reverse=True)
    saved = {p: p.read_bytes() for p in pages}
    for page in pages:  # the same files, created again last-first
        page.unlink()
    for page, data in saved.items():
        page.write_bytes(data)
    overview = check_all(second, load_config(second)).overview
    assert overview is not None
    for bundle in plan_bundles(overview, 4):
        index_bundle(site, bundle, pagefind_binary())
    reindexed = {k: v for k, v in snapshot(site).items() if k.startswith("pagefind/")}
    memory.cleanup()
    assert reindexed == {
        k: v for k, v in snapshot(first / "site").items() if k.startswith("pagefind/")
    }


def test_a_thesaurus_edit_reaches_the_pages_of_towns_that_did_not_change(tmp_path: Path) -> None:
    """Every item page shows the thesaurus's phrases (相关说法): editing the thesaurus alone
    must not leave a reused town's pages with the old ones."""
    root = copy_fixture(tmp_path)
    thesaurus = root / "content/thesaurus.yaml"
    head = "# yaml-language-server: $schema=../schemas/thesaurus.schema.json\nentries:\n"
    entry = "  - field: 城市管理\n    says: [{}]\n    means: [绿化]\n"
    thesaurus.write_text(head + entry.format("某种说法"), encoding="utf-8")
    build(root)
    thesaurus.write_text(head + entry.format("另一种说法"), encoding="utf-8")
    build(root)
    pages = "\n".join(p.read_text(encoding="utf-8") for p in (root / "site/towns").rglob("*.html"))
    assert "另一种说法" in pages and "某种说法" not in pages
    assert snapshot(root / "site") == clean_build(root, search=True)


def test_a_form_edit_rebuilds_its_town_and_matches_a_clean_build(tmp_path: Path) -> None:
    """A guide's form file is part of its town's key: a new version is published."""
    from pdfmini import make_pdf

    root = copy_fixture(tmp_path)
    build(root, "--no-search")
    form = root / "content/towns/alpha/forms/申请表.pdf"
    form.write_bytes(make_pdf("乡村建设规划许可申请表（2025年版）", ["申请人：", "电话："]))
    output = build(root, "--no-search")
    assert "其中 1 个镇街沿用上次结果" in output  # beta reused, alpha built again
    assert (root / "site/towns/alpha/forms/申请表.pdf").read_bytes() == form.read_bytes()
    assert snapshot(root / "site") == clean_build(root)
