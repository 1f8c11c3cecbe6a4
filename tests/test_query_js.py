"""How ``static/query.js`` understands a query, run in Node on small lexicons written here.

The module is the browser's own (no copy): Node imports it as an ES module, calls
``understand``, ``fromPinyin`` or ``nearness`` on the lexicon given and prints JSON. The
browser tests (tests/browser/test_search_everyday.py) check the same on the shipped site.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

QUERY_JS = (Path(__file__).resolve().parent.parent / "static" / "query.js").as_uri()
NODE = shutil.which("node")

if NODE is None and not os.environ.get("TOWNCAT_REQUIRE_BROWSER"):
    pytest.skip("needs Node.js to run static/query.js", allow_module_level=True)


def run(call: str, lexicon: dict[str, Any]) -> Any:
    """``call`` (JavaScript, with ``lex`` the prepared lexicon) evaluated by Node."""
    script = (
        f"import * as q from {json.dumps(QUERY_JS)};\n"
        f"const lex = q.prepareLexicon({json.dumps(lexicon, ensure_ascii=False)});\n"
        f"console.log(JSON.stringify({call}));\n"
    )
    assert NODE is not None
    done = subprocess.run(
        [NODE, "--input-type=module", "-e", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return json.loads(done.stdout)


def lexicon(
    words: list[str],
    entries: list[list[list[str]]] | None = None,
    pinyin: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    return {"words": words, "entries": entries or [], "t2s": {}, "pinyin": pinyin or {}}


def terms(query: str, lex: dict[str, Any]) -> dict[str, float]:
    found = run(f"q.understand({json.dumps(query, ensure_ascii=False)}, lex).terms", lex)
    return {t["text"]: t["weight"] for t in found}


def test_initials_spell_the_whole_word_with_usual_readings_first() -> None:
    # 有 can be read wei (rarely): wzjz is 违章建筑, not a piece of 有证据证明
    readings = {
        "有": ["you", "wei"],
        "证": ["zheng"],
        "据": ["ju"],
        "明": ["ming"],
        "违": ["wei"],
        "章": ["zhang"],
        "建": ["jian"],
        "筑": ["zhu"],
    }
    lex = lexicon(["有证据证明", "违章建筑"], pinyin=readings)
    assert run('q.fromPinyin("wzjz", lex)', lex)[0] == "违章建筑"


def test_a_phrase_with_words_between_is_found() -> None:
    # no pair of 砍树卖钱 but 树卖 is in the query: its characters in order are
    lex = lexicon(
        ["林木采伐", "欠薪"], [[["砍树卖钱"], ["林木采伐"]], [["老板不发工资"], ["欠薪"]]]
    )
    assert "林木采伐" in terms("砍了树卖了钱", lex)
    assert "欠薪" in terms("老板一直都不发工资", lex)


def test_one_shared_pair_is_no_evidence_of_a_phrase() -> None:
    # 噪声聋 (hearing loss) shares only 噪声 with 噪声扰民 (a nuisance)
    lex = lexicon(["噪声", "扰民", "职业病"], [[["噪声聋"], ["职业病"]]])
    assert "职业病" not in terms("噪声扰民", lex)


def test_who_and_where_words_weigh_less_than_the_matter() -> None:
    lex = lexicon(["村里", "邻居", "养狗"])
    found = terms("邻居村里养狗", lex)
    assert found["养狗"] > found["村里"] and found["养狗"] > found["邻居"]


def test_who_and_where_words_do_not_bring_a_phrase() -> None:
    lex = lexicon(["违建", "开矿"], [[["村里有人违建"], ["违建"]]])
    assert "违建" not in terms("村里有人私自开矿", lex)


def test_part_of_a_word_of_three_characters_is_one_term() -> None:
    # 户口簿 is a part of 居民户口簿 (a guide's material); the browser splits it 户口/簿
    lex = lexicon(["居民户口簿", "户口"])
    assert "户口簿" in terms("户口簿", lex)


def test_a_lexicon_phrase_in_two_entries_means_the_words_of_both() -> None:
    lex = lexicon(["违法建设", "宅基地"], [[["乱盖房"], ["违法建设"]], [["乱盖房"], ["宅基地"]]])
    assert run('lex.says["乱盖房"]', lex) == ["违法建设", "宅基地"]


def test_chinese_typed_next_to_pinyin_is_spelled_together() -> None:
    readings = {"宅": ["zhai"], "基": ["ji"], "地": ["di", "de"]}
    lex = lexicon(["宅基地", "基地"], pinyin=readings)
    assert "宅基地" in terms("宅基di", lex)
    assert "宅基地" in terms("zhai基地", lex)


def test_how_bad_it_is_is_no_term() -> None:
    # 太大 is in a phrase of the thesaurus, but in a complaint it says how bad, not what
    lex = lexicon(["油烟", "噪声"], [[["音响开太大"], ["噪声"]]])
    assert terms("油烟太大了", lex) == terms("油烟", lex)


def test_a_word_of_the_site_typed_alone_brings_no_near_phrase() -> None:
    # 盖房子 is a keyword; 有人私盖房子 shares its pairs but is about something else
    lex = lexicon(["盖房子", "违建"], [[["有人私盖房子"], ["违建"]]])
    assert list(terms("盖房子", lex)) == ["盖房子"]


def test_a_word_typed_with_the_right_sound_but_wrong_characters_is_found() -> None:
    # the input method's commonest slip: 底保 and 低报 sound like 低保 (di bao)
    readings = {"低": ["di"], "底": ["di", "de"], "保": ["bao"], "报": ["bao"], "宝": ["bao"]}
    lex = lexicon(["低保", "宝贝"], pinyin=readings)
    assert "低保" in terms("底保", lex)
    assert "低保" in terms("低报", lex)


def test_two_neighbouring_characters_swapped_are_found() -> None:
    lex = lexicon(["高龄补贴", "高龄"])
    assert "高龄补贴" in terms("高龄贴补", lex)


def test_a_word_typed_by_its_sound_with_a_character_the_site_never_uses() -> None:
    """低宝 for 低保: 宝 is in no word of the site, only among the common characters'
    sounds; without them there is nothing to go by."""
    readings = {"低": ["di"], "保": ["bao"], "防": ["fang"], "汛": ["xun"]}
    lex = lexicon(["低保", "防汛"], pinyin=readings)
    assert "低保" not in terms("低宝", lex)
    lex["sounds"] = {"bao": "宝包", "xun": "迅", "wen": "温"}
    assert "低保" in terms("低宝", lex)
    assert "防汛" in terms("防迅", lex)
    assert "低保" not in terms("低温", lex)  # 温 sounds like no character of 低保


def test_a_residents_phrase_typed_alone_adds_what_it_means() -> None:
    """装修太吵 typed on its own is the thesaurus's phrase, not an item's name."""
    lex = lexicon(["噪声污染防治", "噪声"], [[["装修太吵"], ["噪声"]]])
    found = terms("装修太吵", lex)
    assert found.get("噪声") == 1
    assert terms("噪声污染防治", lex) == {"噪声污染防治": 1}  # a name typed whole stays whole


def test_pinyin_question_words_go_and_syllables_make_words() -> None:
    readings = {
        "宅": ["zhai"], "基": ["ji"], "地": ["di", "de"], "低": ["di"], "保": ["bao"],
        "怎": ["zen"], "么": ["me", "ma"], "办": ["ban"], "申": ["shen"], "请": ["qing"],
    }
    lex = lexicon(["宅基地", "低保"], pinyin=readings)
    lex["sounds"] = {}
    assert terms("dibao zenme shenqing", lex) == {"低保": 0.7}
    assert set(terms("zhai ji di zenme ban", lex)) == {"宅基地"}
    assert set(terms("zhaijidi dibao", lex)) == {"宅基地", "低保"}
    assert terms("zenme", lex) == {}
