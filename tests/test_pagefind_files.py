"""Pagefind's filter files and metadata, put in a fixed order, mean what they meant."""

from __future__ import annotations

import gzip
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sitefixture import copy_fixture

from towncat.cli import main
from towncat.pagefind_files import (
    ENTRY,
    SIGNATURE,
    PagefindFormatError,
    _decode,
    canonicalize_bundle,
    encode,
    read_file,
)
from towncat.search import pagefind_binary

values: st.SearchStrategy[Any] = st.recursive(
    st.integers(min_value=0, max_value=2**64 - 1) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=6),
    max_leaves=40,
)


@given(values)
def test_encoding_reads_back_as_the_same_value(value: Any) -> None:
    data = encode(value)
    assert _decode(data, 0) == (value, len(data))


@pytest.mark.parametrize(
    ("value", "data"),
    [(0, b"\x00"), (23, b"\x17"), (24, b"\x18\x18"), (256, b"\x19\x01\x00"),
     (2**32, b"\x1b\x00\x00\x00\x01\x00\x00\x00\x00"), ("镇", b"\x63\xe9\x95\x87"),
     ([1, "a", []], b"\x83\x01\x61\x61\x80")],
)
def test_encoding_is_cbors_shortest_form(value: Any, data: bytes) -> None:
    assert encode(value) == data


@pytest.mark.parametrize(
    "data",
    [b"\x20", b"\xa0", b"\xf5", b"\xf9\x00\x00", b"\x9f\xff", b"\x82\x01", b"\x19\x01", b"\x62a"],
    ids=["negative", "map", "true", "float", "indefinite", "short-array", "short-int",
         "short-text"],
)
def test_other_cbor_is_refused(data: bytes) -> None:
    with pytest.raises(PagefindFormatError):
        _decode(data, 0)


def test_values_that_are_not_pagefinds_are_not_encoded() -> None:
    for value in (-1, True, 1.5, {"a": 1}, None):
        with pytest.raises(PagefindFormatError):
            encode(value)


def test_a_file_that_would_not_encode_back_the_same_is_refused(tmp_path: Path) -> None:
    longer = tmp_path / "x.pf_filter"
    longer.write_bytes(gzip.compress(SIGNATURE + b"\x18\x05"))  # 5 in a longer form
    with pytest.raises(PagefindFormatError, match="same bytes"):
        read_file(longer)
    unsigned = tmp_path / "y.pf_filter"
    unsigned.write_bytes(gzip.compress(b"\x05"))
    with pytest.raises(PagefindFormatError, match="signature"):
        read_file(unsigned)


# -- On what Pagefind writes ----------------------------------------------------------------


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site's pages (built without search), for Pagefind to index."""
    root = copy_fixture(tmp_path_factory.mktemp("pagefind"))
    assert main(["--root", str(root), "build", "--no-search"], out=io.StringIO()) == 0
    return root / "site"


def pagefind_bundle(site: Path, name: str) -> Path:
    """Pagefind's own output for the site's town pages, as it writes it."""
    done = subprocess.run([pagefind_binary(), "--site", str(site), "--glob", "towns/**/*.html",
                           "--output-subdir", f"raw/{name}", "--silent"], check=False)
    assert done.returncode == 0
    return site / "raw" / name


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def meaning(folder: Path) -> dict[str, Any]:
    """What a bundle's metadata and filters say, whatever their order and file names."""
    entry = (folder / ENTRY).read_text(encoding="utf-8")
    language = entry.split('"hash":"', 1)[1].split('"', 1)[0]
    meta = read_file(folder / f"pagefind.{language}.pf_meta")
    filters = {}
    for name, hash_ in meta[3]:
        filter_name, rows = read_file(folder / "filter" / f"{hash_}.pf_filter")
        filters[name] = (filter_name, {value: pages for value, pages in rows})
    return {"meta": meta[:3] + meta[4:], "filters": filters}


def test_two_pagefind_runs_give_the_same_bytes_once_ordered(built_site: Path) -> None:
    first, second = pagefind_bundle(built_site, "a"), pagefind_bundle(built_site, "b")
    assert list((first / "filter").iterdir())  # the fixture has filters to order
    meant = meaning(first)
    canonicalize_bundle(first)
    canonicalize_bundle(second)
    assert files(first) == files(second)
    assert meaning(first) == meant


def test_ordering_twice_changes_nothing_and_keeps_the_other_files(built_site: Path) -> None:
    bundle = pagefind_bundle(built_site, "c")
    untouched = {k: v for k, v in files(bundle).items()
                 if not (k.startswith("filter/") or k.endswith(".pf_meta") or k == ENTRY)}
    canonicalize_bundle(bundle)
    once = files(bundle)
    canonicalize_bundle(bundle)
    assert files(bundle) == once
    assert {k: v for k, v in once.items() if k in untouched} == untouched
    shutil.rmtree(bundle)
