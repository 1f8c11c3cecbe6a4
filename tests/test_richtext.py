"""Markdown in descriptive fields: the plain-text shortcut agrees with the full pipeline,
and what an editor types can never become markup or script."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from towncat.site.richtext import _render, _simple_blocks, render_markdown

full_pipeline = _render.__wrapped__

# Chinese text with the ASCII and Unicode characters that Markdown or HTML could read
# as syntax, so both sides of the shortcut's test are exercised.
ALPHABET = st.sampled_from(
    list("镇街道办事处行政处罚许可第条款")
    + list("0123456789 .-*_#>`[]()<>&!|:\"'\n\t")
    + ["\u3000", "\xa0", "  ", "\n\n", "1. ", "- ", "**", "`", "`0533-1`", "**示例**"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(ALPHABET, max_size=30).map("".join))
def test_shortcut_gives_what_the_full_pipeline_gives(text: str) -> None:
    assert render_markdown(text) == full_pipeline(text)


LIST_LINE = st.tuples(
    st.sampled_from(["1", "2", "01", "0", "10", "1)", "a"]),
    st.sampled_from([". ", ".", ".  ", " "]),
    st.lists(ALPHABET, max_size=8).map("".join),
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(LIST_LINE, min_size=1, max_size=4).map("\n".join))
def test_numbered_list_shortcut_gives_what_the_full_pipeline_gives(text: str) -> None:
    assert render_markdown(text) == full_pipeline(text)


BULLET_LINE = st.tuples(
    st.sampled_from(["- ", "-", "-  ", "* ", "+ "]),
    st.lists(ALPHABET, max_size=8).map("".join),
).map("".join)

BLOCK = st.one_of(
    st.lists(ALPHABET, max_size=8).map("".join),
    st.lists(LIST_LINE, min_size=1, max_size=3).map("\n".join),
    st.lists(BULLET_LINE, min_size=1, max_size=3).map("\n".join),
    st.lists(ALPHABET, max_size=8).map(lambda chars: "> " + "".join(chars)),
)


@settings(max_examples=600, deadline=None)
@given(st.lists(BLOCK, min_size=1, max_size=4).map("\n\n".join))
def test_block_shortcut_gives_what_the_full_pipeline_gives(text: str) -> None:
    assert render_markdown(text) == full_pipeline(text)


def test_duty_content_with_a_note_takes_the_shortcut_and_matches() -> None:
    for text in (
        "1. 做好政策宣传；\n2. 建立工作台账\n\n> 遇有紧急情况，先处置、后报告。",
        "甲\n\n乙",
        "> 甲\n\n1. 乙\n\n丙",
        "1. 甲\n\n丙\n\n2. 丁",
    ):
        assert _simple_blocks(text) is not None
        assert render_markdown(text) == full_pipeline(text)
    for text in ("> 甲\n\n> 乙", "1. 甲\n\n2. 乙", "甲\n\n\n乙"):  # joined or odd: full
        assert _simple_blocks(text) is None
        assert render_markdown(text) == full_pipeline(text)


def test_notes_with_bullets_code_and_strong_take_the_shortcut_and_match() -> None:
    for text in (
        "办理须知：\n\n- 请携带身份证件原件；\n- 可以先拨打 `0533-0000282` 咨询；",
        "本清单为**合成示例数据**，电话均为虚构。\n\n如有疑问请拨打 12345。",
        "1. 核查**现场**情况；\n2. 拨打`12345`\n\n- 甲\n\n> 注意 `x`",
    ):
        assert _simple_blocks(text) is not None
        assert render_markdown(text) == full_pipeline(text)
    for text in ("- 甲\n\n- 乙", "- `a b`", "**甲 **", "- 甲\n1. 乙", "`a``b`"):  # full
        assert _simple_blocks(text) is None
        assert render_markdown(text) == full_pipeline(text)


def test_duty_content_takes_the_list_shortcut_and_matches() -> None:
    text = "1. 按要求报送信访事项工作信息；\n2. 组织日常巡查，及时发现问题；"
    expected = "<ol>\n<li>按要求报送信访事项工作信息；</li>\n<li>组织日常巡查，及时发现问题；</li>\n</ol>"
    assert render_markdown(text) == expected == full_pipeline(text)
    assert render_markdown("3. 甲\n4. 乙") == full_pipeline("3. 甲\n4. 乙")


def test_plain_sentences_take_the_shortcut_and_match() -> None:
    for text in ("依法对占道经营进行处罚", "第12条 规定的事项", "镇 街", "2024年起执行"):
        assert render_markdown(text) == f"<p>{text}</p>" == full_pipeline(text)


def test_raw_html_and_script_links_never_survive() -> None:
    html = render_markdown('<script>alert(1)</script> [点我](javascript:alert(1)) <b onclick="x">')
    assert "<script" not in html and "javascript:" not in html and "<b" not in html
    assert "&lt;script&gt;" in html


def test_markdown_still_renders_lists_and_headings() -> None:
    html = render_markdown("# 办理流程\n\n1. 受理\n2. 审查")
    assert "<h3" in html and "<ol>" in html and "<li>受理</li>" in html
