"""Pagefind's filter files and metadata, put in a fixed order, mean what they meant."""

from __future__ import annotations

import gzip
import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sitefixture import copy_fixture, snapshot

from towncat.cli import main
from towncat.search.bundles import pagefind_binary
from towncat.search.pagefind_files import (
    ENTRY,
    SIGNATURE,
    PagefindFormatError,
    _decode,
    _renumbered,
    canonicalize_bundle,
    encode,
    read_file,
)

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
     ([1, "a", []], b"\x83\x01\x61\x61\x80"), (-1, b"\x20"), (-25, b"\x38\x18")],
)
def test_encoding_is_cbors_shortest_form(value: Any, data: bytes) -> None:
    assert encode(value) == data


@pytest.mark.parametrize(
    "data",
    [b"\xa0", b"\xf5", b"\xf9\x00\x00", b"\x9f\xff", b"\x82\x01", b"\x19\x01", b"\x62a"],
    ids=["map", "true", "float", "indefinite", "short-array", "short-int", "short-text"],
)
def test_other_cbor_is_refused(data: bytes) -> None:
    with pytest.raises(PagefindFormatError):
        _decode(data, 0)


def test_values_that_are_not_pagefinds_are_not_encoded() -> None:
    for value in (True, 1.5, {"a": 1}, None):
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
    """Pagefind's own output for the site's town pages, as it writes it, in a fresh
    ``raw/<name>/`` folder."""
    shutil.rmtree(site / "raw" / name, ignore_errors=True)
    done = subprocess.run([pagefind_binary(), "--site", str(site), "--glob", "towns/**/*.html",
                           "--output-subdir", f"raw/{name}", "--silent"], check=False)
    assert done.returncode == 0
    return site / "raw" / name


def read_meta(folder: Path) -> list[Any]:
    entry = json.loads((folder / ENTRY).read_text(encoding="utf-8"))
    (language,) = entry["languages"].values()
    return list(read_file(folder / f"pagefind.{language['hash']}.pf_meta"))


def meaning(folder: Path) -> dict[str, Any]:
    """What a bundle says, whatever the order of its filters and pages and the names of its
    files: pages by id (without the bundle's name) with their fragment and word count,
    each filter's page ids by value, each word's page ids with positions, and the words
    that bound each index chunk."""
    meta = read_meta(folder)
    ids = [page.removesuffix("-" + folder.name) for page, _ in meta[1]]
    pages = {i: ((folder / "fragment" / f"{page}.pf_fragment").read_bytes(), count)
             for i, (page, count) in zip(ids, meta[1], strict=True)}
    filters = {}
    for name, hash_ in meta[3]:
        filter_name, rows = read_file(folder / "filter" / f"{hash_}.pf_filter")
        filters[name] = (filter_name, {value: sorted(ids[p] for p in found)
                                       for value, found in rows})
    words = {}
    for _first, _last, hash_ in meta[2]:
        (chunk,) = read_file(folder / "index" / f"{hash_}.pf_index")
        for word, found, extra in chunk:
            at, where = 0, {}
            for delta, positions, meta_positions in found:
                at += delta
                where[ids[at]] = (positions, meta_positions)
            words[word] = (where, extra)
    return {"version": meta[0], "pages": pages, "filters": filters, "words": words,
            "chunks": [(first, last) for first, last, _ in meta[2]], "rest": meta[4:]}


def test_two_pagefind_runs_give_the_same_bytes_once_ordered(built_site: Path) -> None:
    bundle = pagefind_bundle(built_site, "a")
    assert list((bundle / "filter").iterdir())  # the fixture has filters to order
    meant = meaning(bundle)
    canonicalize_bundle(bundle)
    first = snapshot(bundle)
    assert meaning(bundle) == meant
    canonicalize_bundle(pagefind_bundle(built_site, "a"))
    assert snapshot(bundle) == first


def test_page_ids_name_their_bundle_and_nothing_else_changes(built_site: Path) -> None:
    """Two bundles of the same pages: the same ids as Pagefind writes them, different
    ids once each names its bundle; ordering a bundle twice changes nothing more."""
    one, two = pagefind_bundle(built_site, "one"), pagefind_bundle(built_site, "two")
    assert [p for p, _ in read_meta(one)[1]] == [p for p, _ in read_meta(two)[1]]
    meant = meaning(one)
    untouched = {k: v for k, v in snapshot(one).items()
                 if not k.startswith(("filter/", "fragment/", "index/"))
                 and not k.endswith(".pf_meta") and k != ENTRY}
    canonicalize_bundle(one)
    canonicalize_bundle(two)
    ids_one = [p for p, _ in read_meta(one)[1]]
    ids_two = [p for p, _ in read_meta(two)[1]]
    assert ids_one and all(p.endswith("-one") for p in ids_one)
    assert all(p.endswith("-two") for p in ids_two)
    assert sorted(p.name for p in (one / "fragment").iterdir()) == sorted(
        f"{p}.pf_fragment" for p in ids_one)
    once = snapshot(one)
    canonicalize_bundle(one)
    assert snapshot(one) == once
    assert {k: v for k, v in once.items() if k in untouched} == untouched
    assert meaning(one) == meant


@pytest.mark.parametrize(
    "chunk",
    [[], [[["word", [[0, [1], []]], ["more"]]]], [[["word", [[0, 1, []]], []]]],
     [[[7, [[0, [1], []]], []]]], [[["word", [[0, ["x"], []]], []]]], "word"],
    ids=["empty", "extra-data", "positions-not-a-list", "word-not-text", "position-not-int",
         "text"],
)
def test_an_index_chunk_of_another_shape_is_refused(chunk: Any) -> None:
    with pytest.raises(PagefindFormatError):
        _renumbered(encode(chunk), [0])


def test_an_index_chunk_cut_short_is_refused() -> None:
    data = encode([[["word", [[0, [5, 300], [-1]]], []]]])
    for end in range(len(data)):
        with pytest.raises(PagefindFormatError):
            _renumbered(data[:end], [0])


def test_renumbering_puts_each_words_pages_in_the_new_order() -> None:
    chunk = [[["word", [[0, [5, 300], []], [2, [6], [-1, 2]]], []], ["x", [[1, [], []]], []]]]
    renumbered = _renumbered(encode(chunk), [2, 0, 1])  # pages 0 → 2, 1 → 0, 2 → 1
    assert _decode(renumbered, 0) == (
        [[["word", [[1, [6], [-1, 2]], [1, [5, 300], []]], []], ["x", [[0, [], []]], []]]],
        len(renumbered),
    )
