"""The compact index the search page answers from: words, filters and cards in small files.

Pagefind answers a query only after its WebAssembly, every bundle's metadata, index
chunks and result fragments have loaded (about 3 MB and 1.4 s a query at city scale).
The compact index holds the two signals that rank results (static/search.js), the
filters and what a result card shows, and a query fetches only the parts of its words:

* ``search/compact/towns/<slug>.json`` — one town's part, written with its pages (so an
  unchanged town's part is reused like its pages): each record's card and, per word,
  the town's records that have it as a hexadecimal bit set;
* ``search/compact/meta.json`` — the number of buckets and records, each town's first
  record and count (the 区县 and 镇街 filters are ranges), slug and 便民服务中心 phone
  (with 1 when it is sample data: the help of a search within the town gives it), the
  values of the other
  filters (类别, 事项类型, 承办机构, 状态: words ``f`` + FNV-1a of ``name=value``, in
  hex), and one byte per record:
  withdrawn (bit 7) and the length of its indexed text (bits 0–6, in steps of
  ``LENGTH_STEP`` characters, for the length normalisation Pagefind applies);
* ``search/compact/b/<n>.json`` — bucket ``n`` (FNV-1a of the word's first character,
  or of a Latin/digit word itself, modulo the bucket count): word → its records, as a list of gaps or, when that is longer, a base64 bit set;
* ``search/compact/c/<n>.json`` — the cards of records ``n·CHUNK`` … ``(n+1)·CHUNK − 1``.

Words are ASCII: ``k`` and two code points in hex (a pair of adjacent characters of the
record's name and keywords, as in the 码 field), ``m`` and two code points (a pair of a
document its guide asks for: 居民户口簿, 营业执照), ``c`` and one code point in hex (a
character of the record's indexed text, as in the 字 field), ``a`` and a run of Latin
letters or digits of the indexed text. The index is rebuilt from the towns' parts on
every build (about a second at city scale); it depends only on their bytes.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..site.pages import NOT_IN_FORCE, WITHDRAWN_WORD, name_grams
from ..site.views import Page

# Where a record page's text for search ends (templates: power, duty, office).
CHARS_MARKER = "<!--search-chars-->"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
TAG = re.compile(r"<[^>]+>")
IGNORED = re.compile(r"<(p|div|section)\b[^>]*\bdata-pagefind-ignore\b[^>]*>.*?</\1>", re.DOTALL)
COMPACT_ROOT = "search/compact/"
CHUNK = 16  # cards per file: ten results touch at most ten small files
BUCKET_BYTES = 4096  # aimed size of a bucket file
LENGTH_STEP = 16  # characters per step of the length byte
_ASCII_WORD = re.compile(r"[a-z0-9]{2,}")


# The search page's filters that are words of the index (区县 and 镇街 are ranges of
# records), with the search record's key for each.
FILTERS = (("类别", "kind"), ("事项类型", "type"), ("承办机构", "office"), ("状态", "status"))


def filter_word(name: str, value: str) -> str:
    """The word a record has for a filter value: ``f`` and FNV-1a of ``name=value``."""
    return f"f{fnv1a(f'{name}={value}'):08x}"


def town_part_path(slug: str) -> str:
    return f"{COMPACT_ROOT}towns/{slug}.json"


def indexed_text(html: str) -> str:
    """The text of a record page that search sees: from ``data-pagefind-body`` to the
    marker, without elements marked ``data-pagefind-ignore``."""
    start = html.find("data-pagefind-body")
    end = html.find(CHARS_MARKER)
    if start < 0 or end < start:
        return ""
    return TAG.sub(" ", IGNORED.sub(" ", html[start:end]))


def page_record(page: Page, html: str) -> dict[str, Any]:
    """One record of the compact index: its card, length, status and words."""
    r = page.search_record
    assert r is not None
    text = indexed_text(html)
    pairs = [w for w in str(r["grams"]).split() if w != WITHDRAWN_WORD]
    # the documents its guide asks for (户口簿, 营业执照 …), pair by pair within each name
    materials = ["m" + w[1:] for w in name_grams(*str(r.get("materials") or "").split()).split()]
    found = CJK.findall(text)
    chars = sorted(set(found))
    ascii_words = sorted(set(_ASCII_WORD.findall(text.lower())))
    words = [*dict.fromkeys(pairs), *materials, *(f"c{ord(c):05x}" for c in chars)]
    words += [f"a{w}" for w in ascii_words]
    words += [filter_word(name, str(r[key])) for name, key in FILTERS]
    withdrawn = r["status"] == NOT_IN_FORCE
    card = [
        page.url,
        page.title,
        f"{r['county']}·{r['town']}",
        r["office"],
        r["phone"] or "",
        r["status_label"] if r["status"] != "现行" else "",
    ]
    values = {name: str(r[key]) for name, key in FILTERS}
    return {
        "card": card,
        "length": len(found),
        "withdrawn": withdrawn,
        "words": words,
        "filters": values,
    }


def render_town_part(records: Iterable[dict[str, Any]]) -> bytes:
    """A town's part: its records in URL order and, per word, a bit set of them."""
    ordered = sorted(records, key=lambda rec: rec["card"][0])
    bits: dict[str, int] = {}
    for number, rec in enumerate(ordered):
        for word in rec["words"]:
            bits[word] = bits.get(word, 0) | (1 << number)
    part = {
        "filters": {name: sorted({rec["filters"][name] for rec in ordered}) for name, _ in FILTERS},
        "records": [[*rec["card"], rec["length"], int(rec["withdrawn"])] for rec in ordered],
        "words": {w: format(b, "x") for w, b in sorted(bits.items())},
    }
    return _json(part)


def bucket_key(word: str) -> str:
    """What decides a word's bucket: a character pair (of a name or a material) goes with
    its first character (a term's pairs and characters share buckets, so a query fetches
    fewer files)."""
    return "c" + word[1:6] if word[0] in "kcm" else word


def bucket_of(word: str, buckets: int) -> int:
    """FNV-1a (32 bits) of the word's bucket key, modulo the bucket count (search.js)."""
    return fnv1a(bucket_key(word)) % buckets


def fnv1a(text: str) -> int:
    """FNV-1a, 32 bits, of the text's UTF-8 bytes."""
    h = 2166136261
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 16777619) & 0xFFFFFFFF
    return h


def build_compact(
    towns: Iterable[tuple[str, str, str]],
    read: Callable[[str], bytes | None],
    centres: Mapping[str, tuple[str, bool]] | None = None,
) -> dict[str, bytes]:
    """The index files from the towns' parts; ``towns`` are (slug, 区县, 镇街) in the
    site's order, ``read`` gives a part's bytes (None: the town has no part), ``centres``
    each town's 便民服务中心 phone and whether it is sample data (for the help a search
    within one town shows when it finds little)."""
    cards: list[list[Any]] = []
    lengths = bytearray()
    ranges = []
    options: dict[str, set[str]] = {name: set() for name, _ in FILTERS}
    words: dict[str, list[tuple[int, int]]] = {}
    for slug, county, name in towns:
        data = read(town_part_path(slug))
        if data is None:
            continue
        part = json.loads(data)
        first = len(cards)
        for *card, length, withdrawn in part["records"]:
            cards.append(card)
            lengths.append(min(127, -(-length // LENGTH_STEP)) | (128 if withdrawn else 0))
        if len(cards) > first:
            phone, sample = (centres or {}).get(slug, ("", False))
            ranges.append([county, name, first, len(cards) - first, slug, phone, int(sample)])
        for filter_name, values in part.get("filters", {}).items():
            options[filter_name].update(values)
        for word, hexbits in part["words"].items():
            words.setdefault(word, []).append((first, int(hexbits, 16)))
    postings = {w: _posting(parts, len(cards)) for w, parts in sorted(words.items())}
    filters = {name: sorted(values) for name, values in options.items()}
    return _files(cards, bytes(lengths), ranges, filters, postings)


def _posting(parts: list[tuple[int, int]], total: int) -> str | list[int]:
    """A word's records: gaps between record numbers, or a base64 bit set if shorter."""
    count = sum(bits.bit_count() for _, bits in parts)
    bitset_chars = 4 * -(-((total + 7) // 8) // 3)
    if count * 3 < bitset_chars:  # about three characters a gap in JSON
        numbers = []
        for first, bits in sorted(parts):
            digits = bin(bits)[:1:-1]  # bit 0 first
            at = digits.find("1")
            while at >= 0:
                numbers.append(first + at)
                at = digits.find("1", at + 1)
        return [n - p for n, p in zip(numbers, [0, *numbers], strict=False)]
    first, value = _joined(parts)
    value <<= first
    return base64.b64encode(value.to_bytes((total + 7) // 8, "little")).decode("ascii")


def _joined(parts: list[tuple[int, int]]) -> tuple[int, int]:
    """The towns' bit sets (first record, bits) as one, joined pairwise so that the work
    grows with the records times the logarithm of the towns, not with their product."""
    while len(parts) > 1:
        pairs = [
            (f1, b1 | (b2 << (f2 - f1)))
            for (f1, b1), (f2, b2) in zip(parts[::2], parts[1::2], strict=False)
        ]
        parts = pairs + parts[len(pairs) * 2 :]
    return parts[0]


def _files(
    cards: list[list[Any]],
    lengths: bytes,
    ranges: list[list[Any]],
    filters: dict[str, list[str]],
    postings: Mapping[str, str | list[int]],
) -> dict[str, bytes]:
    size = sum(
        len(w) + 4 + (len(p) if isinstance(p, str) else 3 * len(p)) for w, p in postings.items()
    )
    buckets = 16
    while buckets * BUCKET_BYTES < size:
        buckets *= 2
    grouped: list[dict[str, Any]] = [{} for _ in range(buckets)]
    for word, posting in postings.items():
        grouped[bucket_of(word, buckets)][word] = posting
    files = {f"{COMPACT_ROOT}b/{n}.json": _json(g) for n, g in enumerate(grouped)}
    for n in range(0, len(cards), CHUNK):
        files[f"{COMPACT_ROOT}c/{n // CHUNK}.json"] = _json(cards[n : n + CHUNK])
    meta = {
        "buckets": buckets,
        "chunk": CHUNK,
        "records": len(cards),
        "lengthStep": LENGTH_STEP,
        "towns": ranges,
        "filters": filters,
        "lengths": base64.b64encode(lengths).decode("ascii"),
    }
    files[f"{COMPACT_ROOT}meta.json"] = _json(meta)
    return files


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
