"""The public record from real git repositories: change notes, ignored revisions, editions
declared in content, citations, readable field changes and honest gaps (issue 18).

Repositories are made in ``tmp_path`` with the helpers of ``test_history_git``.
"""

from __future__ import annotations

import pickle
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from test_history_git import (
    ATOM,
    BETA,
    CENTRE,
    POWERS,
    TOWN,
    build,
    cli,
    commit,
    git,
    history,
    isolated_git,  # noqa: F401  (an autouse fixture: no user git config in these tests)
    licence,
    new_site,
    page,
    power,
    powers_yaml,
    record_value,
    site_files,
    squeeze,
)

from towncat.site.urls import item_url

ITEM = item_url("alpha", "powers", "cf-0001")
NEW_ITEM = item_url("alpha", "powers", "xk-0002")
EDITIONS_SCHEMA = "# yaml-language-server: $schema=../schemas/editions.schema.json\n"


def all_text(out: Path) -> str:
    """Every page, feed and download of a built site as one text."""
    return "\n".join(
        data.decode("utf-8", "replace")
        for path, data in site_files(out)
        if path.endswith((".html", ".xml", ".json", ".csv"))
    )


def editions_yaml(*entries: str) -> str:
    return EDITIONS_SCHEMA + "editions:\n" + "".join(entries)


def edition(name: str, ref: str, *, key: str = "commit", note: str = "") -> str:
    text = (f"  - name: {name}\n    title: {name}年版\n    {key}: {ref}\n"
            f"    published: 2024-06-01\n    sample: true\n")
    return text + (f"    note: {note}\n" if note else "")


# -- notes and generated summaries -----------------------------------------------------------

def test_change_note_shows_everywhere_and_subjects_nowhere(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    commit(root, "Refactor YAML loader; bump deps\n\nsome body text\n\n"
           "Change-Note: 依据县政府通知调整承办机构 <b>加粗</b>",
           {POWERS: powers_yaml(power(office=CENTRE))}, date="2024-02-01T10:00:00+08:00")
    commit(root, "Add licence sample (dev)", {POWERS: powers_yaml(power(office=CENTRE), licence())},
           date="2024-03-01T10:00:00+08:00")
    _, out = build(root)

    note = "依据县政府通知调整承办机构<b>加粗</b>"
    item = page(out, ITEM)
    assert note in squeeze(item)
    assert "&lt;b&gt;加粗&lt;/b&gt;" in item and "<b>加粗</b>" not in item  # text, not markup
    assert "2024-02-01修改了承办机构：" + note in squeeze(item)
    assert note in squeeze(page(out, "towns/alpha/changes/"))
    assert note in squeeze(page(out, "changes/"))
    assert note in squeeze(page(out, ""))  # 最近变更 on the home page
    # the change without a note: a generated summary, never the subject
    assert "2024-03-01新增（记录" in squeeze(page(out, NEW_ITEM))
    text = all_text(out)
    for subject in ("Refactor", "bump deps", "some body text", "Add licence", "初始清单"):
        assert subject not in text

    for feed_path in ("changes.xml", "towns/alpha/changes.xml"):
        parsed = feedparser.parse((out / feed_path).read_bytes())
        assert not parsed.bozo, parsed.bozo_exception
        titles = [e.title for e in parsed.entries]
        assert "甲镇：依据县政府通知调整承办机构 <b>加粗</b>" in titles
        assert "甲镇：新增 1 项" in titles
        noted = next(e for e in parsed.entries if "依据" in e.title)
        assert noted.link == "https://example.test/cat/" + ITEM  # the changed item itself


def test_feed_title_does_not_repeat_the_town(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    commit(root, "x\n\nChange-Note: 甲镇调整承办机构", {POWERS: powers_yaml(power(office=CENTRE))})
    _, out = build(root)
    feed = ET.parse(out / "towns" / "alpha" / "changes.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert titles[0] == "甲镇调整承办机构"


def test_minor_changes_without_a_note_stay_out_of_feeds(tmp_path: Path) -> None:
    """GOV.UK's rule: pages list every change, feeds carry the major ones."""
    root = new_site(tmp_path)
    commit(root, "wording", {POWERS: powers_yaml(power(name="占绿处罚"))},
           date="2024-02-01T10:00:00+08:00")
    commit(root, "wording\n\nChange-Note: 简化事项名称", {POWERS: powers_yaml(power(name="占绿"))},
           date="2024-03-01T10:00:00+08:00")
    _, out = build(root)
    seen = squeeze(page(out, ITEM))
    assert "2024-02-01修改了事项名称（文字修改）" in seen
    assert "2024-03-01修改了事项名称：简化事项名称" in seen
    entries = feedparser.parse((out / "towns/alpha/changes.xml").read_bytes()).entries
    assert [e.title for e in entries][:1] == ["甲镇：简化事项名称"]
    assert not any("2024-02-01" in e.updated for e in entries)


# -- ignored revisions ----------------------------------------------------------------------

def test_ignored_revisions_do_not_appear_as_changes(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    dev = commit(root, "Reformat and migrate", {POWERS: powers_yaml(power(office=CENTRE))},
                 date="2024-02-01T10:00:00+08:00")
    later = commit(root, "x\n\nChange-Note: 新增临时占绿审批",
                   {POWERS: powers_yaml(power(office=CENTRE), licence())},
                   date="2024-03-01T10:00:00+08:00")
    (root / ".towncat-ignore-revs").write_text(f"# 开发提交\n{dev}  # reformat\n", encoding="utf-8")
    commit(root, "ignore dev commits", {})

    code, output = cli(root, "check")
    assert code == 0, output
    _, out = build(root)
    item = squeeze(page(out, ITEM))
    assert "修改了承办机构" not in item and "2024-02-01" not in item
    assert "便民服务中心" in item  # the content is current all the same
    assert record_value(page(out, ITEM), "首次发布") == "2024-01-01"
    assert "新增临时占绿审批" in squeeze(page(out, NEW_ITEM))
    assert dev[:7] not in all_text(out) and later[:7] in all_text(out)


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [("# dev\nnot-a-sha\n", "bad-revision", 2), ("\n\n" + "ab" * 20 + "\n", "unknown-revision", 3)],
)
def test_bad_ignore_revs_file_is_an_error_with_its_line(
    tmp_path: Path, text: str, code: str, line: int
) -> None:
    root = new_site(tmp_path)
    (root / ".towncat-ignore-revs").write_text(text, encoding="utf-8")
    status, output = cli(root, "check")
    assert status == 1
    assert f".towncat-ignore-revs:{line}:1: error:" in output and f"[{code}]" in output
    status, output = cli(root, "build", "--no-search")
    assert status == 1 and not (root / "site").exists()


# -- editions declared in content -------------------------------------------------------------

def test_declared_edition_publishes_a_catalogue_built_by_ignored_commits(tmp_path: Path) -> None:
    """The shipped repository's case: every development commit is ignored, and the
    catalogue enters the public record with the edition that published it."""
    root = new_site(tmp_path)
    second = commit(root, "dev: more samples", {POWERS: powers_yaml(power(), licence())},
                    date="2024-05-01T10:00:00+08:00")
    first = git(root, "rev-list", "--max-parents=0", "HEAD").strip()
    (root / ".towncat-ignore-revs").write_text(f"{first}\n{second}\n", encoding="utf-8")
    files = {"content/editions.yaml": editions_yaml(
        edition("2024", second[:10], note="首次公布甲镇、乙街道清单（示例）"))}
    commit(root, "declare the edition", files, date="2024-06-01T10:00:00+08:00")
    code, output = cli(root, "check")
    assert code == 0, output

    result, out = build(root)
    assert result.warnings == ()
    item = page(out, ITEM)
    assert record_value(item, "首次发布") == "2024-05-01"
    assert "首次公布甲镇、乙街道清单（示例）" in squeeze(item)
    assert "dev: more samples" not in all_text(out)
    # the snapshot exists, with its banner, and the live page cites it
    frozen = out / "editions" / "2024" / "towns/alpha/powers/cf-0001/index.html"
    assert frozen.is_file()
    assert "2024年版（示例）" in squeeze(frozen.read_text(encoding="utf-8"))
    seen = squeeze(item)
    assert "2024年版（示例）·数据截至2024-05-01" in seen
    citation = ("桓台县甲镇赋权事项清单：“对擅自占用城市绿化用地的行政处罚”（编号cf-0001）。"
                "2024年版（示例），数据截至2024-05-01。"
                "https://example.test/cat/editions/2024/towns/alpha/powers/cf-0001/")
    assert citation in seen
    assert 'href="../../../../editions/2024/towns/alpha/powers/cf-0001/"' in item
    editions_page = squeeze((out / "editions" / "index.html").read_text(encoding="utf-8"))
    assert "2024年版（示例）" in editions_page and "示例版本" in editions_page
    feed = feedparser.parse((out / "changes.xml").read_bytes())
    assert not feed.bozo and feed.entries
    assert all("首次公布" in e.title for e in feed.entries)


def test_edition_naming_a_missing_commit_is_an_error_and_builds_nothing(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    commit(root, "declare", {"content/editions.yaml": editions_yaml(edition("2024", "deadbeef1"))})
    status, output = cli(root, "check")
    assert status == 1
    assert "content/editions.yaml:5:13: error: editions[0].commit:" in output
    assert "[unknown-revision]" in output
    status, output = cli(root, "build", "--no-search")
    assert status == 1 and not (root / "site").exists()


def test_edition_with_both_or_neither_source_is_an_error(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    head = git(root, "rev-parse", "HEAD").strip()
    both = edition("a", head) + "    tag: edition/a\n"
    neither = "  - name: b\n    title: 乙版\n    published: 2024-06-01\n"
    commit(root, "declare", {"content/editions.yaml": editions_yaml(both, neither)})
    status, output = cli(root, "check")
    assert status == 1 and output.count("[edition-source]") == 2


def test_commit_message_with_a_note_outside_the_trailer_gets_a_hint(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    sha = commit(root, "调整\n\n变更说明：调整承办机构\n\n其他说明", {POWERS: powers_yaml(power(office=CENTRE))})
    status, output = cli(root, "check")
    assert status == 0
    assert f"git:{sha[:7]}: warning:" in output and "[note-not-trailer]" in output


# -- readable field changes -------------------------------------------------------------------

def test_nested_fields_booleans_and_markdown_read_as_labels_and_text(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    town = (root / TOWN).read_text(encoding="utf-8")
    changed = (town.replace("phone: 0533-0000101", "phone: 0533-0000199")
               .replace("sample: true", "sample: false\nsample_note_x: 1")
               .replace("甲镇是**测试**用的镇。", "甲镇是**示范**用的镇。"))
    changed = changed.replace("\nsample_note_x: 1", "")
    commit(root, "edit", {TOWN: changed})
    _, out = build(root)
    seen = squeeze(page(out, "towns/alpha/changes/"))
    assert "便民服务中心·电话：0533-0000101→0533-0000199" in seen
    assert "示例数据：是→否" in seen
    assert "简介：甲镇是测试用的镇。" in seen and "**" not in seen
    assert "service_center" not in seen and "True" not in seen and "phone：" not in seen


def test_diff_command_uses_labels(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    commit(root, "edit", {POWERS: powers_yaml(power(office=CENTRE, article="第二十八条"))})
    status, output = cli(root, "diff", "HEAD~1", "HEAD")
    assert status == 0
    assert "设定依据（第1项）·条款：第二十七条 → 第二十八条" in output
    assert "承办机构：综合执法办公室 → 便民服务中心" in output
    assert "name：" not in output and "article" not in output


# -- honest gaps --------------------------------------------------------------------------------

def test_shallow_clone_invents_no_first_dates_or_feed_entries(tmp_path: Path) -> None:
    origin = new_site(tmp_path)
    commit(origin, "a", {POWERS: powers_yaml(power(office=CENTRE))},
           date="2024-02-01T10:00:00+08:00")
    commit(origin, "b\n\nChange-Note: 新增审批", {POWERS: powers_yaml(power(office=CENTRE), licence())},
           date="2024-03-01T10:00:00+08:00")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{origin}", str(clone))
    _, out = build(clone)
    item = page(out, ITEM)
    assert "历史不完整：本网站的变更记录自2024-02-01起，此后本条没有变更" in squeeze(item)
    assert "首次发布</dt><dd>2024-02-01" not in item
    licence_page = page(out, NEW_ITEM)
    assert record_value(licence_page, "首次发布") == "2024-03-01"  # seen being added: known
    feed = feedparser.parse((out / "changes.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["甲镇：新增审批"]


# -- one more commit on a warm cache ------------------------------------------------------------

def test_new_commit_resumes_from_the_cached_state(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    commit(root, "a", {POWERS: powers_yaml(power(office=CENTRE))})
    cache = tmp_path / "cache"
    history(root, cache)
    commit(root, "b\n\nChange-Note: 新增审批", {POWERS: powers_yaml(power(office=CENTRE), licence())})
    (cache / "history-blobs.pickle").unlink()  # a full replay would need (and rewrite) it
    resumed = history(root, cache)
    assert not (cache / "history-blobs.pickle").exists()
    fresh = history(root)
    assert resumed.changes == fresh.changes and resumed.by_item == fresh.by_item
    assert resumed.changes[-1].note == "新增审批"

    git(root, "reset", "-q", "--hard", "HEAD~1")  # a rewritten line: replayed from the start
    commit(root, "c", {POWERS: powers_yaml(power(office=CENTRE, article="第二十八条"))})
    assert history(root, cache).changes == history(root).changes
    assert (cache / "history-blobs.pickle").exists()


def test_resuming_again_and_again_across_towns(tmp_path: Path) -> None:
    """Each resume unpickles only the towns its commit touched and saves the others as it
    read them; commit after commit, the record equals a replay from the start."""
    root = new_site(tmp_path)
    cache = tmp_path / "cache"
    history(root, cache)

    def packed_beta() -> bytes:
        with (cache / "history-state.pickle").open("rb") as handle:
            _, state = pickle.load(handle)
        return state["replay"]["versions"]["370321001000"]

    beta_before = packed_beta()
    commit(root, "a\n\nChange-Note: 调整承办机构", {POWERS: powers_yaml(power(office=CENTRE))})
    assert history(root, cache).changes == history(root).changes
    assert packed_beta() == beta_before  # beta untouched: saved as the bytes it was read from
    beta = (root / BETA).read_text(encoding="utf-8") + "  - title: 补充来源\n"
    commit(root, "b\n\nChange-Note: 乙街道补充信息来源", {BETA: beta})
    commit(root, "c", {POWERS: powers_yaml(power(office=CENTRE), licence())})
    resumed = history(root, cache)
    fresh = history(root)
    assert resumed.changes == fresh.changes and resumed.by_town == fresh.by_town
    assert packed_beta() != beta_before
    assert [c.note for c in resumed.changes[-2:]] == ["乙街道补充信息来源", None]
