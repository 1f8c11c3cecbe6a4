"""A build with the placeholder ``base_url`` (``https://example.org/…``) says so once."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
from sitefixture import copy_fixture

from towncat.cli import EXIT_OK, main
from towncat.config import Config, placeholder_warning


def build_output(root: Path, base_url: str) -> str:
    toml = root / "towncat.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(
        "\n".join(
            f'base_url = "{base_url}"' if line.startswith("base_url") else line
            for line in text.splitlines()
        ),
        encoding="utf-8",
    )
    out = io.StringIO()
    assert main(["--root", str(root), "build", "--no-search"], out) == EXIT_OK, out.getvalue()
    return out.getvalue()


def test_placeholder_base_url_gives_one_clear_warning(tmp_path: Path) -> None:
    output = build_output(copy_fixture(tmp_path), "https://example.org/zibo/")
    lines = [line for line in output.splitlines() if "base_url" in line]
    assert len(lines) == 1, output
    assert lines[0].startswith("warning: ")
    assert "https://example.org/zibo/" in lines[0] and "placeholder" in lines[0]
    assert "towncat.toml" in lines[0] and "正式网址" in lines[0]
    assert output.count("placeholder") == 1


def test_real_base_url_gives_no_warning(tmp_path: Path) -> None:
    output = build_output(copy_fixture(tmp_path), "https://qingdan.zibo.example.test/")
    assert "base_url" not in output and "placeholder" not in output


def test_an_unchanged_rebuild_repeats_the_warning_once(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    build_output(root, "https://example.org/")
    again = io.StringIO()
    assert main(["--root", str(root), "build", "--no-search"], again) == EXIT_OK
    assert "网站已是最新" in again.getvalue()
    assert again.getvalue().count("placeholder") == 1


@pytest.mark.parametrize(
    ("url", "placeholder"),
    [
        ("https://example.org/zibo/", True),
        ("https://www.example.com/", True),
        ("http://example.net/a/", True),
        ("https://site.example/", True),
        ("https://qingdan.zibo.gov.cn/", False),
        ("https://example.org.cn/", False),
        ("https://notexample.org/", False),
    ],
)
def test_placeholder_hosts_are_the_documentation_domains(url: str, placeholder: bool) -> None:
    config = dataclasses.replace(Config(), base_url=url)
    assert (placeholder_warning(config) is not None) == placeholder
