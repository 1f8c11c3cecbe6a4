"""Building the site: atomic, deterministic, inside site/, and never executable content."""

from __future__ import annotations

import dataclasses
import errno
import io
import json
import os
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitefixture import REPO, copy_fixture, snapshot

from towncat.build.pipeline import run_build
from towncat.build.write import OutputError, link_files, write_site
from towncat.cli import main
from towncat.config import load_config
from towncat.site.urls import is_safe_path


def build(root: Path, *args: str) -> tuple[int, str]:
    """Run the CLI; with no arguments, a build without the (slow) search index."""
    out = io.StringIO()
    code = main(["--root", str(root), *(args or ("build", "--no-search"))], out=out)
    return code, out.getvalue()


def test_build_writes_site_and_reports_summary(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    code, output = build(root)
    assert code == 0, output
    assert "已生成网站：2 个镇街" in output
    assert (root / "site" / "towns" / "alpha" / "powers" / "cf-0001" / "index.html").is_file()
    leftovers = [p.name for p in root.iterdir() if p.name.startswith(".site")]
    assert leftovers == []


def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    assert build(root)[0] == 0
    first = snapshot(root / "site")
    assert build(root)[0] == 0
    assert snapshot(root / "site") == first


def test_rebuild_with_search_is_byte_identical_index_included(tmp_path: Path) -> None:
    """A second clean build: Pagefind runs again and writes its filter files in another
    order, which the build puts back in the same order."""
    root = copy_fixture(tmp_path)
    assert build(root, "build")[0] == 0
    first = snapshot(root / "site")
    assert any(k.startswith("pagefind/huantai/filter/") for k in first)
    shutil.rmtree(root / "site")
    shutil.rmtree(root / ".towncat-cache")
    assert build(root, "build")[0] == 0
    assert snapshot(root / "site") == first


def test_invalid_content_leaves_previous_site_unchanged(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    assert build(root)[0] == 0
    before = snapshot(root / "site")
    powers = root / "content" / "towns" / "alpha" / "powers.yaml"
    powers.write_text(powers.read_text(encoding="utf-8").replace("type: 行政处罚", "type: 罚款"),
                      encoding="utf-8")
    code, output = build(root)
    assert code == 1
    assert "[not-in-enum]" in output and "原有网站保持不变" in output
    assert snapshot(root / "site") == before


def test_render_failure_leaves_previous_site_unchanged(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    toml = root / "towncat.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        f'"{REPO / "templates"}"', f'"{templates}"'), encoding="utf-8")
    assert build(root)[0] == 0
    before = snapshot(root / "site")
    (templates / "office.html").write_text("{{ no_such_variable }}", encoding="utf-8")
    code, _ = build(root)
    assert code == 3
    assert snapshot(root / "site") == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == []


def test_failure_while_finishing_keeps_old_site_and_removes_staging(tmp_path: Path) -> None:
    output = tmp_path / "site"
    write_site(output, {"index.html": b"old"})

    def fail(_: Path) -> None:
        raise RuntimeError("indexer failed")

    with pytest.raises(RuntimeError):
        write_site(output, {"index.html": b"new", "a/index.html": b"x"}, before_swap=fail)
    assert snapshot(output) == {"index.html": b"old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize("path", ["../evil.html", "/etc/passwd", "a/../../b", "a\\b", "",
                                  "./x", "a//b", "a/./b", "x\x00y"])
def test_writer_refuses_paths_outside_the_site(tmp_path: Path, path: str) -> None:
    with pytest.raises(OutputError):
        write_site(tmp_path / "site", {path: b"x"})
    assert not (tmp_path / "site").exists()


def test_writer_refuses_paths_that_differ_only_in_case(tmp_path: Path) -> None:
    with pytest.raises(OutputError):
        write_site(tmp_path / "site", {"towns/A/index.html": b"1", "towns/a/index.html": b"2"})


def test_linking_copies_across_devices_and_never_overwrites(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source, target = tmp_path / "shard", tmp_path / "site"
    (source / "towns/a").mkdir(parents=True)
    (source / "towns/a/index.html").write_bytes(b"page")
    link_files(source, target, ["towns/a/index.html"])
    assert (target / "towns/a/index.html").stat().st_nlink == 2  # a link, not a copy
    with pytest.raises(FileExistsError):  # a second file for one path is an error
        link_files(source, target, ["towns/a/index.html"])

    def cross_device(old: str, new: str) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", cross_device)
    link_files(source, tmp_path / "other", ["towns/a/index.html"])
    assert (tmp_path / "other/towns/a/index.html").read_bytes() == b"page"


@given(st.lists(st.sampled_from(["a", "b", "..", ".", "", "towns", "x.html", "/"]),
                min_size=1, max_size=6))
def test_safe_paths_never_leave_the_root(parts: list[str]) -> None:
    path = "/".join(parts)
    if is_safe_path(path):
        resolved = (Path("/root-dir") / path).resolve()
        assert resolved.is_relative_to(Path("/root-dir"))
        assert resolved != Path("/root-dir")


class ScriptFinder(HTMLParser):
    """Collects everything in a page that a browser could execute."""

    def __init__(self) -> None:
        super().__init__()
        self.findings: list[str] = []
        self.in_script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"event handler {name} on <{tag}>")
            if name in ("href", "src", "action", "formaction") and value and \
                    value.strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                self.findings.append(f"{name}={value!r} on <{tag}>")
        if tag in ("iframe", "frame", "object", "embed", "img", "style", "base"):
            self.findings.append(f"<{tag}> element")
        if tag == "script":
            kind = values.get("type")
            src = values.get("src") or ""
            if kind == "application/ld+json":
                self.in_script = "json"
            elif src.endswith("assets/table.js") or src.endswith("assets/search.js"):
                self.in_script = "asset"
            else:
                self.findings.append(f"unexpected <script {values}>")
                self.in_script = "other"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = None

    def handle_data(self, data: str) -> None:
        if self.in_script == "json" and "<" in data:
            self.findings.append("raw < inside JSON-LD")


HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)></script><a href=\"javascript:alert(3)\">x</a>"


def test_hostile_content_never_yields_executable_script(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    powers = root / "content" / "towns" / "alpha" / "powers.yaml"
    text = powers.read_text(encoding="utf-8")
    text = text.replace("name: 对擅自占用城市绿化用地的行政处罚",
                        f"name: '对占绿的处罚{HOSTILE}'\n    description: |\n"
                        f"      说明 {HOSTILE}\n      [点我](javascript:alert(4)) "
                        "<b onclick=\"alert(5)\">粗</b> [链](vbscript:x)\n"
                        f"    notes: '</script><script>alert(6)</script>'")
    text = text.replace("keywords: [占绿]", "keywords: ['</script><svg onload=alert(7)>']")
    powers.write_text(text, encoding="utf-8")
    town = root / "content" / "towns" / "alpha" / "town.yaml"
    town.write_text(town.read_text(encoding="utf-8").replace(
        "甲镇是**测试**用的镇。", f"甲镇 {HOSTILE} <iframe src=x></iframe>"), encoding="utf-8")
    code, output = build(root)
    assert code == 0, output
    pages = [p for p in (root / "site").rglob("*.html")]
    assert pages
    for page in pages:
        finder = ScriptFinder()
        finder.feed(page.read_text(encoding="utf-8"))
        assert finder.findings == [], f"{page}: {finder.findings}"
    item = (root / "site/towns/alpha/powers/cf-0001/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in item  # shown as text, not run


def test_javascript_url_in_a_url_field_is_a_content_error(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    town = root / "content" / "towns" / "alpha" / "town.yaml"
    town.write_text(town.read_text(encoding="utf-8").replace(
        "https://example.test/source", "javascript:alert(1)"), encoding="utf-8")
    code, output = build(root, "check")
    assert code == 1
    assert "[invalid-url]" in output


def test_output_folder_option_builds_elsewhere(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    config = dataclasses.replace(load_config(root), output_dir=str(tmp_path / "out"))
    result = run_build(root, config, search=False)
    assert result.pages > 10
    assert (tmp_path / "out" / "index.html").is_file()
    assert not (root / "site").exists()


NAMES = st.text(alphabet=st.sampled_from(list("对擅自占用城市绿化用地的行政处罚审批许可<>&\"'*#1. ")),
                min_size=1, max_size=30).map(str.strip).filter(bool)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAMES, description=NAMES, item_id=st.from_regex(r"[a-z]{1,5}-[0-9]{1,4}",
                                                            fullmatch=True))
def test_any_catalogue_rebuilds_byte_identically_inside_site(tmp_path_factory, name: str,
                                                              description: str,
                                                              item_id: str) -> None:
    root = copy_fixture(tmp_path_factory.mktemp("prop"))
    powers = root / "content" / "towns" / "alpha" / "powers.yaml"
    text = powers.read_text(encoding="utf-8").replace("id: cf-0001", f"id: {item_id}")
    text = text.replace("name: 对擅自占用城市绿化用地的行政处罚",
                        f"name: {json.dumps(name, ensure_ascii=False)}\n"
                        f"    description: {json.dumps(description, ensure_ascii=False)}")
    powers.write_text(text, encoding="utf-8")
    outputs = []
    for attempt in ("one", "two"):
        config = dataclasses.replace(load_config(root), output_dir=str(root / attempt),
                                     cache_dir=str(root / f"cache-{attempt}"))
        result = run_build(root, config, search=False)
        assert result.pages, [str(p) for p in result.check.problems]
        outputs.append(snapshot(root / attempt))
    assert outputs[0] == outputs[1]
    for path in outputs[0]:
        assert (root / "one" / path).resolve().is_relative_to((root / "one").resolve())
