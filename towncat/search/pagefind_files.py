"""Pagefind's output made the same bytes on every run, with page ids unique in the site.

Pagefind writes each filter's values, and the list of filters in the bundle's metadata,
in hash-map order, which changes from run to run; the file names are hashes of that
content, so the filter files, the ``.pf_meta`` file and ``pagefind-entry.json`` come out
different every time. ``canonicalize_bundle`` sorts both lists, writes the files again
under names hashed from the sorted content and points the metadata and the entry file
at them.

Pagefind numbers a bundle's pages in the order in which it lists the site's folders:
creation order on tmpfs, name-hash order on ext4 (with a seed of each file system's
own), so two machines index the same pages differently. ``canonicalize_bundle`` puts
the pages in the order of their ids (hashes of their fragments' content) and rewrites
the word index chunks and filters with the new numbers.

A page's id in search results is the name of its fragment file, seven hex digits of a
hash, unique within one bundle only: at city scale about one pair of pages in two
bundles share one, at province scale hundreds, and the search page, which merges the
results of two searches by id, would drop one of such a pair. ``canonicalize_bundle``
therefore also appends the bundle's folder name (unique in the site) to every page id,
renaming the fragment files.

The files are gzip-compressed ``pagefind_dcd`` + CBOR. Only the CBOR that Pagefind
writes in these files is understood (integers, text, arrays); anything else, or
bytes that do not encode back exactly as they were read, raises ``PagefindFormatError``
rather than guess.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import struct
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"
_META_PAGES = 1  # the metadata's list of [page id (its fragment's name), word count]
_META_CHUNKS = 2  # the metadata's list of index chunks: [first word, last word, file hash]
_META_FILTERS = 3  # the metadata's list of [filter name, file hash]
_META_SORTS = 4  # the metadata's sort indexes (none: the site sets no data-pagefind-sort)


class PagefindFormatError(Exception):
    """A Pagefind file is not in the form this module knows (another Pagefind version?)."""


def canonicalize_bundle(folder: Path) -> None:
    """Rewrite the filter files and metadata of the bundle in ``folder`` in sorted order,
    with the folder's name in every page id."""
    entry_path = folder / ENTRY
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        old_meta = folder / f"pagefind.{language['hash']}.pf_meta"
        meta = read_file(old_meta)
        prefix = language["hash"].split("_", 1)[0] + "_"
        if meta[_META_SORTS]:
            raise PagefindFormatError("sort indexes are not supported")
        number = _page_order(meta)
        _renumber_chunks(folder, meta, number, prefix)
        old_filters = [folder / "filter" / f"{hash_}.pf_filter" for _, hash_ in meta[_META_FILTERS]]
        contents = []  # all read before any is written: a new name may be an old one
        for path in old_filters:
            filter_name, values = read_file(path)
            values = [[value, sorted(number[p] for p in pages)] for value, pages in values]
            contents.append(encode([filter_name, sorted(values, key=lambda value: value[0])]))
        for path in old_filters:
            path.unlink()
        filters = []
        for (name, _), content in zip(meta[_META_FILTERS], contents, strict=True):
            filters.append([name, prefix + _digest(content, 7)])
            _write(folder / "filter" / f"{filters[-1][1]}.pf_filter", content)
        meta[_META_FILTERS] = sorted(filters)
        _tag_pages(folder, meta[_META_PAGES])
        content = encode(meta)
        language["hash"] = prefix + _digest(content, 13)
        old_meta.unlink()
        _write(folder / f"pagefind.{language['hash']}.pf_meta", content)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")


def _page_order(meta: list[Any]) -> list[int]:
    """Put the metadata's pages in the order of their ids (their fragments' content
    hashes); return each old page number's new one. Pagefind numbers pages in the order
    it lists the site's folders, which depends on the file system."""
    pages = meta[_META_PAGES]
    order = sorted(range(len(pages)), key=lambda i: pages[i][0])
    meta[_META_PAGES] = [pages[i] for i in order]
    number = [0] * len(pages)
    for new, old in enumerate(order):
        number[old] = new
    return number


def _read_chunk(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise PagefindFormatError(f"{path.name}: no {SIGNATURE.decode()} signature")
    return data[len(SIGNATURE) :]


def _renumber_chunks(folder: Path, meta: list[Any], number: list[int], prefix: str) -> None:
    """Rewrite the word index chunks with the new page numbers, named after their content.
    A word lists its pages as [page, positions, meta positions], each page number the
    difference from the one before."""
    if number == sorted(number):
        return
    chunks = meta[_META_CHUNKS]
    old_paths = [folder / "index" / f"{chunk[2]}.pf_index" for chunk in chunks]
    contents = [_renumbered(_read_chunk(path), number) for path in old_paths]
    for path in old_paths:
        path.unlink()
    for chunk, content in zip(chunks, contents, strict=True):
        chunk[2] = prefix + _digest(content, 7)
        _write(folder / "index" / f"{chunk[2]}.pf_index", content)


# Bytes taken by a CBOR integer (major type 0 or 1), by its first byte; 0 for anything else.
_INT_SIZE = bytes(
    (1 if info < 24 else 1 + (1 << (info - 24)) if info < 28 else 0) if major in (0, 1) else 0
    for major in range(8)
    for info in range(32)
)


def _renumbered(data: bytes, number: list[int]) -> bytes:
    """The CBOR of an index chunk with its page numbers mapped through ``number``, each
    word's pages in the new order. The chunk is [[word, [[page, positions, meta
    positions] …], []] …] with each page number the difference from the one before; the
    positions, most of the bytes, are copied as they are, not decoded."""
    if data[:1] != b"\x81":
        raise PagefindFormatError("an index chunk is not one list of words")
    words, at = _length(data, 1, _ARRAY)
    out = bytearray(data[:at])
    for _ in range(words):
        if data[at : at + 1] != b"\x83":
            raise PagefindFormatError(f"an index entry is not [word, pages, []] at byte {at}")
        length, text_at = _length(data, at + 1, _TEXT)
        pages, pages_at = _length(data, text_at + length, _ARRAY)
        out += data[at:pages_at]
        at = pages_at
        entries, page = [], 0
        for _ in range(pages):
            if data[at : at + 1] != b"\x83":
                raise PagefindFormatError(f"a page is not [number, list, list] at byte {at}")
            delta, start = _length(data, at + 1, _UINT)
            page += delta
            if page >= len(number):
                raise PagefindFormatError(f"page {page} of a word is not in the bundle")
            at = _skip_integers(data, _skip_integers(data, start))
            entries.append((number[page], data[start:at]))
        entries.sort()
        previous = 0
        for new, rest in entries:
            out += b"\x83" + _head(_UINT, new - previous) + rest
            previous = new
        if data[at : at + 1] != b"\x80":
            raise PagefindFormatError(f"unknown data after the pages of a word at byte {at}")
        out.append(0x80)
        at += 1
    if at != len(data):
        raise PagefindFormatError("bytes after the last word of an index chunk")
    return bytes(out)


def _length(data: bytes, at: int, major: int) -> tuple[int, int]:
    """The argument of the head of type ``major`` at ``data[at]``, and the offset after it."""
    if at < len(data) and data[at] >> 5 == major and data[at] & 0x1F < 24:
        return data[at] & 0x1F, at + 1  # the argument is in the head: the usual case
    if at >= len(data) or data[at] >> 5 != major:
        raise PagefindFormatError(f"expected CBOR of type {major} at byte {at}")
    info = data[at] & 0x1F
    if info < 24:
        return info, at + 1
    if info > 27 or at + 1 + (1 << (info - 24)) > len(data):
        raise PagefindFormatError(f"unsupported or truncated CBOR at byte {at}")
    size = 1 << (info - 24)
    return int.from_bytes(data[at + 1 : at + 1 + size], "big"), at + 1 + size


def _skip_integers(data: bytes, at: int) -> int:
    """The offset after the array of integers at ``data[at]``."""
    count, at = _length(data, at, _ARRAY)
    size = _INT_SIZE
    try:
        for _ in range(count):
            step = size[data[at]]
            if not step:
                raise PagefindFormatError(f"expected an integer at byte {at}")
            at += step
    except IndexError:
        raise PagefindFormatError("an index chunk ends inside a list of positions") from None
    if at > len(data):
        raise PagefindFormatError("an index chunk ends inside a position")
    return at


def _tag_pages(folder: Path, pages: list[list[Any]]) -> None:
    """Append ``-<folder name>`` to each page id (once) and rename its fragment file."""
    suffix = "-" + folder.name
    fragments = os.fspath(folder / "fragment")
    for page in pages:
        if not page[0].endswith(suffix):
            old = os.path.join(fragments, page[0] + ".pf_fragment")
            page[0] += suffix
            os.rename(old, os.path.join(fragments, page[0] + ".pf_fragment"))


def read_file(path: Path) -> Any:
    """The value in a Pagefind index file, checked to encode back to the same bytes."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise PagefindFormatError(f"{path.name}: no {SIGNATURE.decode()} signature")
    value, end = _decode(data, len(SIGNATURE))
    if end != len(data) or SIGNATURE + encode(value) != data:
        raise PagefindFormatError(f"{path.name}: does not encode back to the same bytes")
    return value


def _write(path: Path, content: bytes) -> None:
    path.write_bytes(gzip.compress(SIGNATURE + content, compresslevel=6, mtime=0))


def _digest(content: bytes, length: int) -> str:
    return hashlib.sha256(content).hexdigest()[:length]


# -- The CBOR that Pagefind writes ---------------------------------------------------------

_UINT, _NEGATIVE, _TEXT, _ARRAY = 0, 1, 3, 4


def encode(value: Any) -> bytes:
    """CBOR of integers, text and lists, each in its shortest form."""
    if isinstance(value, bool):
        raise PagefindFormatError(f"cannot encode {value!r}")
    if isinstance(value, int):
        return _head(_UINT, value) if value >= 0 else _head(_NEGATIVE, -1 - value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(_TEXT, len(raw)) + raw
    if isinstance(value, list):
        return _head(_ARRAY, len(value)) + b"".join(encode(item) for item in value)
    raise PagefindFormatError(f"cannot encode {type(value).__name__}")


def _head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, form in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if argument < 1 << (8 * struct.calcsize(form)):
            return bytes([major << 5 | info]) + struct.pack(form, argument)
    raise PagefindFormatError(f"number too large: {argument}")


def _decode(data: bytes, at: int) -> tuple[Any, int]:
    """The value starting at ``data[at]`` and the offset after it."""
    if at >= len(data):
        raise PagefindFormatError("truncated")
    major, info = data[at] >> 5, data[at] & 0x1F
    at += 1
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        if at + size > len(data):
            raise PagefindFormatError("truncated")
        argument = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise PagefindFormatError(f"unsupported CBOR length form {info}")
    if major == _UINT:
        return argument, at
    if major == _NEGATIVE:
        return -1 - argument, at
    if major == _TEXT:
        if at + argument > len(data):
            raise PagefindFormatError("truncated")
        try:
            return data[at : at + argument].decode("utf-8"), at + argument
        except UnicodeDecodeError as err:
            raise PagefindFormatError("text is not UTF-8") from err
    if major == _ARRAY:
        items = []
        for _ in range(argument):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    raise PagefindFormatError(f"unsupported CBOR major type {major}")
