"""The compact search index: records, words, buckets and cards (towncat/search/compact.py)."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

from sitefixture import copy_fixture, snapshot

from towncat.cli import main
from towncat.search.compact import (
    CHARS_MARKER,
    COMPACT_ROOT,
    LENGTH_STEP,
    bucket_of,
    build_compact,
    filter_word,
    fnv1a,
    page_record,
    render_town_part,
    town_part_path,
)
from towncat.site.pages import NOT_IN_FORCE, WITHDRAWN_WORD, name_grams
from towncat.site.views import Page


def record_page(url: str, name: str, body: str, *, status: str = "现行") -> tuple[Page, str]:
    record = {
        "county": "桓台县",
        "town": "马桥镇",
        "office": "综合执法办公室",
        "kind": "赋权事项",
        "type": "行政处罚",
        "phone": "0533-0000206",
        "grams": name_grams(name, "违建") + (f" {WITHDRAWN_WORD}" if status != "现行" else ""),
        "status": status,
        "status_label": "已取消，不再由本镇街办理" if status != "现行" else "现行",
    }
    html = (f"<head><meta></head><article data-pagefind-body><h1>{name}</h1><p>{body}</p>"
            f'<p class="hotline" data-pagefind-ignore>热线 12345</p>{CHARS_MARKER}'
            "<section>变更记录</section></article>")
    return Page(url, "power.html", name, {}, search_record=record), html


def decode(posting: str | list[int], total: int) -> list[int]:
    """What static/search.js reads from a posting: record numbers."""
    if isinstance(posting, str):
        raw = base64.b64decode(posting)
        return [n for n in range(total) if raw[n >> 3] >> (n & 7) & 1]
    numbers, at = [], 0
    for gap in posting:
        at += gap
        numbers.append(at)
    return numbers


def test_a_record_has_its_names_pairs_its_texts_characters_and_its_card() -> None:
    page, html = record_page("towns/maqiao/powers/cf-1/", "违章建筑处罚", "拆除 ABC 2024")
    rec = page_record(page, html)
    assert rec["card"] == ["towns/maqiao/powers/cf-1/", "违章建筑处罚", "桓台县·马桥镇",
                           "综合执法办公室", "0533-0000206", ""]
    assert f"k{ord('违'):05x}{ord('章'):05x}" in rec["words"]  # a pair of the name
    assert f"k{ord('违'):05x}{ord('建'):05x}" in rec["words"]  # a pair of a keyword
    assert f"c{ord('拆'):05x}" in rec["words"]  # a character of the text
    assert f"c{ord('热'):05x}" not in rec["words"]  # ignored text is left out
    assert f"c{ord('变'):05x}" not in rec["words"]  # so is what follows the marker
    assert {"aabc", "a2024"} <= set(rec["words"])
    assert filter_word("事项类型", "行政处罚") in rec["words"]  # the filters are words too
    assert filter_word("状态", "现行") in rec["words"]
    assert rec["length"] == len("违章建筑处罚拆除") and not rec["withdrawn"]


def test_a_records_materials_are_pairs_of_their_own() -> None:
    page, html = record_page("towns/maqiao/powers/xk-1/", "林木采伐许可", "正文")
    assert page.search_record is not None
    page.search_record["materials"] = "居民户口簿 林权证"
    words = page_record(page, html)["words"]
    assert f"m{ord('户'):05x}{ord('口'):05x}" in words and f"m{ord('口'):05x}{ord('簿'):05x}" in words
    assert f"m{ord('簿'):05x}{ord('林'):05x}" not in words  # no pair across two materials
    assert f"k{ord('户'):05x}{ord('口'):05x}" not in words  # not a name's pair
    pair, first = f"m{ord('户'):05x}{ord('口'):05x}", f"c{ord('户'):05x}"
    assert bucket_of(pair, 1024) == bucket_of(first, 1024)


def test_a_withdrawn_record_says_so_without_the_indexed_word() -> None:
    page, html = record_page("towns/maqiao/powers/cf-2/", "旧事项", "说明", status=NOT_IN_FORCE)
    rec = page_record(page, html)
    assert rec["withdrawn"] and WITHDRAWN_WORD not in rec["words"]
    assert rec["card"][5] == "已取消，不再由本镇街办理"


def parts() -> dict[str, bytes]:
    alpha = [page_record(*record_page(f"towns/alpha/powers/p{i}/", name, "正文"))
             for i, name in enumerate(["占道经营处罚", "门前三包", "占道施工许可"])]
    beta = [page_record(*record_page("towns/beta/powers/p0/", "占道经营处罚", "正文",
                                     status=NOT_IN_FORCE))]
    return {town_part_path("alpha"): render_town_part(reversed(alpha)),
            town_part_path("beta"): render_town_part(beta)}


TOWNS = [("alpha", "甲区", "甲镇"), ("empty", "甲区", "空镇"), ("beta", "乙县", "乙镇")]


def test_the_index_finds_each_words_records_across_towns() -> None:
    files = build_compact(TOWNS, parts().get)
    meta = json.loads(files[COMPACT_ROOT + "meta.json"])
    assert meta["records"] == 4
    # empty: left out; the slug, the 便民服务中心's phone and whether it is sample data follow
    assert meta["towns"] == [["甲区", "甲镇", 0, 3, "alpha", "", 0], ["乙县", "乙镇", 3, 1, "beta", "", 0]]
    with_centre = build_compact(TOWNS, parts().get, {"beta": ("0533-0000001", True)})
    towns = json.loads(with_centre[COMPACT_ROOT + "meta.json"])["towns"]
    assert towns[1] == ["乙县", "乙镇", 3, 1, "beta", "0533-0000001", 1]
    assert meta["filters"]["状态"] == [NOT_IN_FORCE, "现行"]
    assert meta["filters"]["承办机构"] == ["综合执法办公室"]
    buckets = [json.loads(files[f"{COMPACT_ROOT}b/{n}.json"]) for n in range(meta["buckets"])]

    def records(word: str) -> list[int]:
        posting = buckets[bucket_of(word, meta["buckets"])].get(word)
        return decode(posting, meta["records"]) if posting is not None else []

    pair = f"k{ord('占'):05x}{ord('道'):05x}"
    assert records(pair) == [0, 2, 3]  # alpha's p0 and p2 (URL order), then beta's
    assert records(f"k{ord('门'):05x}{ord('前'):05x}") == [1]
    assert records(f"c{ord('正'):05x}") == [0, 1, 2, 3]
    assert records(filter_word("状态", NOT_IN_FORCE)) == [3]
    lengths = base64.b64decode(meta["lengths"])
    assert [b >> 7 for b in lengths] == [0, 0, 0, 1]  # withdrawn
    assert lengths[0] & 127 == -(-len("占道经营处罚正文") // LENGTH_STEP)
    cards = json.loads(files[COMPACT_ROOT + "c/0.json"])
    assert [c[0] for c in cards] == ["towns/alpha/powers/p0/", "towns/alpha/powers/p1/",
                                     "towns/alpha/powers/p2/", "towns/beta/powers/p0/"]


def test_dense_and_sparse_postings_read_back_the_same() -> None:
    many = [page_record(*record_page(f"towns/alpha/powers/p{i:03}/",
                                     "占道经营" if i % 50 else "门前三包", "正文"))
            for i in range(200)]
    files = build_compact([("alpha", "甲区", "甲镇")],
                          {town_part_path("alpha"): render_town_part(many)}.get)
    meta = json.loads(files[COMPACT_ROOT + "meta.json"])
    merged: dict[str, str | list[int]] = {}
    for n in range(meta["buckets"]):
        merged.update(json.loads(files[f"{COMPACT_ROOT}b/{n}.json"]))
    dense = merged[f"c{ord('正'):05x}"]
    sparse = merged[f"k{ord('门'):05x}{ord('前'):05x}"]
    assert isinstance(dense, str) and isinstance(sparse, list)  # the shorter form of each
    assert decode(dense, 200) == list(range(200))
    assert decode(sparse, 200) == [0, 50, 100, 150]


def test_the_same_parts_give_the_same_bytes() -> None:
    first = build_compact(TOWNS, parts().get)
    assert build_compact(TOWNS, parts().get) == first
    assert first[COMPACT_ROOT + "meta.json"] != build_compact(TOWNS[::-1], parts().get)[
        COMPACT_ROOT + "meta.json"]  # the site's order of towns, not the parts', decides


def test_a_pair_shares_the_bucket_of_its_first_character() -> None:
    assert fnv1a("a") == 0xE40C292C  # the published FNV-1a test vectors
    assert fnv1a("foobar") == 0xBF9CF968
    assert filter_word("类别", "机构") == "f" + format(fnv1a("类别=机构"), "08x")
    pair, first = f"k{ord('占'):05x}{ord('道'):05x}", f"c{ord('占'):05x}"
    assert bucket_of(pair, 1024) == bucket_of(first, 1024) == fnv1a(first) % 1024
    assert bucket_of("a2024", 1024) == fnv1a("a2024") % 1024


def test_a_build_with_search_writes_the_index_and_one_part_per_town(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    assert main(["--root", str(root), "build"], out=io.StringIO()) == 0
    files = snapshot(root / "site")
    assert {town_part_path("alpha"), town_part_path("beta"), COMPACT_ROOT + "meta.json"} <= set(files)
    meta = json.loads(files[COMPACT_ROOT + "meta.json"])
    records = sum(town[3] for town in meta["towns"])
    pages = [p for p in files if p.startswith("towns/") and p.endswith("/index.html")
             and "data-pagefind-body" in files[p].decode("utf-8")]
    assert records == meta["records"] == len(pages)
    search = files["search/index.html"].decode("utf-8")
    assert 'data-compact="../search/compact/"' in search
    assert main(["--root", str(root), "build", "--no-search"], out=io.StringIO()) == 0
    assert not (root / "site" / COMPACT_ROOT).exists()
