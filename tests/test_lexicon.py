"""The search page's lexicon: the site's words, thesaurus, traditional characters, pinyin."""

from __future__ import annotations

import json
from dataclasses import replace

from towncat.content.model import County, Region
from towncat.content.summary import Overview, TownSummary
from towncat.content.thesaurus import Entry, Thesaurus
from towncat.search.lexicon import build_lexicon, render_lexicon
from towncat.site.pages import name_grams


def town(slug: str, words: tuple[str, ...]) -> TownSummary:
    return TownSummary(slug, "370321105000", slug, "镇", "桓台县", True, 1, None, None,
                       (), (), (), (), (), words)


def overview() -> Overview:
    region = Region("淄博市", "370300", (County("370321", "桓台县", "huantai"),))
    thesaurus = Thesaurus((
        Entry("城市管理", ("乱盖房", "私搭乱建"), ("违法建设",)),
        Entry("城市管理", ("乱盖房",), ("违法建设", "宅基地")),
    ))
    towns = (town("a", ("违法建设巡查", "宅基地审批")), town("b", ("违法建设巡查", "低保")))
    return Overview(region, towns, thesaurus)


def test_words_are_every_towns_words_and_the_thesauruss_once_in_order() -> None:
    words = build_lexicon(overview())["words"]
    assert words == sorted({"违法建设巡查", "宅基地审批", "低保", "违法建设", "宅基地"})


def test_the_thesaurus_is_its_entries_each_once() -> None:
    entries = build_lexicon(overview())["entries"]
    assert entries == [[["乱盖房", "私搭乱建"], ["违法建设"]], [["乱盖房"], ["违法建设", "宅基地"]]]


def test_traditional_characters_map_to_the_sites_simplified_ones_only() -> None:
    t2s = build_lexicon(overview())["t2s"]
    assert t2s["違"] == "违" and t2s["設"] == "设" and t2s["審"] == "审"
    assert "電" not in t2s  # 电 is no character of the site's words
    assert all(len(k) == 1 and len(v) == 1 and k != v for k, v in t2s.items())


def test_each_character_has_its_readings_polyphones_included() -> None:
    pinyin = build_lexicon(overview())["pinyin"]
    assert pinyin["宅"][0] == "zhai"  # the usual reading first
    assert "jian" in pinyin["建"]
    assert set(pinyin["乱"]) == {"luan"}
    many = build_lexicon(replace(overview(), towns=(town("c", ("银行",)),)))["pinyin"]
    assert {"hang", "xing"} <= set(many["行"])


def test_common_characters_the_site_does_not_use_come_with_their_sounds() -> None:
    lexicon = build_lexicon(overview())
    sounds, site = lexicon["sounds"], lexicon["pinyin"]
    assert "宝" in sounds["bao"] and "保" in site  # 低宝, typed for 低保
    assert "迅" in sounds["xun"]
    listed = "".join(sounds.values())
    assert not set(listed) & set(site)  # only the characters the site does not use
    assert 3000 < len(set(listed)) <= 3755  # GB 2312 level 1 less the site's


def test_the_lexicon_is_compact_json_and_the_same_every_time() -> None:
    first, second = render_lexicon(overview()), render_lexicon(overview())
    assert first == second
    assert json.loads(first)["words"] and b" " not in first


def test_name_pairs_are_ascii_words_of_adjacent_chinese_characters() -> None:
    # 低保, then 级低 and 保金 of the second text (低保 once); A is no Chinese character
    assert name_grams("低保", "A级低保金") == "k04f4e04fdd k07ea704f4e k04fdd091d1"
    assert name_grams("A", "") == ""
