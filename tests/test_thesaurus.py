"""The thesaurus (content/thesaurus.yaml): checked like every content file, shown on items."""

from __future__ import annotations

from pathlib import Path

import yaml
from towncat_conftest import parse_output, run_check

HEAD = "# yaml-language-server: $schema=../schemas/thesaurus.schema.json\nentries:\n"


def entry(says: str, means: str, field: str = "城市管理") -> str:
    return f"  - field: {field}\n    says: [{says}]\n    means: [{means}]\n"


def test_a_good_thesaurus_passes(project) -> None:
    root = project({"thesaurus.yaml": HEAD + entry("乱占绿地, 毁绿", "绿化")})
    code, output = run_check(root)
    assert code == 0, output


def test_a_phrase_given_twice_is_reported_where_it_repeats(project) -> None:
    text = HEAD + entry("毁绿", "绿化") + entry("占绿地, 毁绿", "绿地")
    code, output = run_check(project({"thesaurus.yaml": text}))
    found = parse_output(output)
    assert code == 1
    assert [(p.code, p.line) for p in found] == [("duplicate-value", 7)]
    assert "entries[1].says[1]" in found[0].text
    assert "第 4 行已经出现过" in output


def test_a_phrase_that_is_also_a_catalogue_word_is_a_cycle(project) -> None:
    text = HEAD + entry("毁绿", "绿化") + entry("绿化", "绿地")
    code, output = run_check(project({"thesaurus.yaml": text}))
    assert code == 1
    assert [(p.code, p.line) for p in parse_output(output)] == [("thesaurus-cycle", 7)]


def test_a_catalogue_word_no_item_has_is_a_warning_at_its_place(project) -> None:
    text = HEAD + entry("毁绿", "绿化, 火星基地")
    code, output = run_check(project({"thesaurus.yaml": text}), strict=True)
    found = parse_output(output)
    assert code == 1
    assert [(p.code, p.line) for p in found] == [("thesaurus-no-match", 5)]
    assert "entries[0].means[1]" in found[0].text
    assert "火星基地" in output


def test_punctuation_in_a_phrase_is_a_format_error(project) -> None:
    code, output = run_check(project({"thesaurus.yaml": HEAD + entry("毁绿？", "绿化")}))
    assert code == 1
    assert [p.code for p in parse_output(output)] == ["bad-format"]


def test_items_show_the_phrases_of_their_words(tmp_path: Path) -> None:
    from sitefixture import copy_fixture

    from towncat.build.pipeline import run_build
    from towncat.config import load_config

    root = copy_fixture(tmp_path)
    item = next((root / "content/towns").glob("*/powers.yaml"))
    power = yaml.safe_load(item.read_text(encoding="utf-8"))["powers"][0]
    word = power["name"][-4:]
    (root / "content/thesaurus.yaml").write_text(HEAD + entry("某种说法, 另一说法", word))
    result = run_build(root, load_config(root), search=False)
    assert result.files, result.check.problems
    page = root / "site/towns" / item.parent.name / "powers" / power["id"] / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "相关说法：" in html and "某种说法、另一说法" in html
    assert 'data-pagefind-meta="说法[content]" content="某种说法 另一说法"' in html
