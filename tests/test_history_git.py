"""History from real git repositories: change entries, item records, feeds, editions, cache.

Every test builds its own small repository in ``tmp_path`` from the small-site fixture
with ``commit(repo, message, files, date=…)``: files are paths relative to the project
root mapped to their new text (``None`` deletes). Dates are fixed so everything shown
on pages is deterministic; authors are Chinese names as in the real project.
"""

from __future__ import annotations

import dataclasses
import html
import io
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

import pytest

from towncat.build.pipeline import BuildResult, run_build
from towncat.cli import main
from towncat.config import load_config
from towncat.history import gitlog
from towncat.history.replay import History, read_site_history
from towncat.site.urls import item_url, output_path

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "small-site"
ATOM = "{http://www.w3.org/2005/Atom}"
EMAIL = "editor@example.test"

TOWN = "content/towns/alpha/town.yaml"
POWERS = "content/towns/alpha/powers.yaml"
DUTIES = "content/towns/alpha/duties.yaml"
BETA = "content/towns/beta/town.yaml"
CENTRE = "service-center"  # the 便民服务中心 office id; items start at "enforcement"
ALPHA_CODE = "370321105000"


# -- git helpers --------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user or system git config, and no repository above tmp_path is ever found."""
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)


def git(repo: Path, *args: str, date: str | None = None, author: str = "张编辑") -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_AUTHOR_NAME": author, "GIT_COMMITTER_NAME": author,
           "GIT_AUTHOR_EMAIL": EMAIL, "GIT_COMMITTER_EMAIL": EMAIL}
    if date is not None:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    done = subprocess.run(
        ["git", "-c", f"user.email={EMAIL}", "-c", "commit.gpgsign=false",
         "-c", "tag.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=repo, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def commit(repo: Path, message: str, files: Mapping[str, str | None], *,
           date: str | None = None, author: str = "张编辑") -> str:
    """Write (or delete) ``files``, commit everything, return the new commit's sha.

    Without ``date`` the n-th commit of the repository is dated 2024-01-(n+1) 10:00 +08:00.
    """
    for relative, text in files.items():
        path = repo / relative
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
    if date is None:
        count = int(git(repo, "rev-list", "--count", "--all"))
        date = f"2024-01-{count + 1:02d}T10:00:00+08:00"
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message, date=date, author=author)
    return git(repo, "rev-parse", "HEAD").strip()


def copy_project(target: Path) -> Path:
    """The small-site fixture at ``target``, with absolute schema/template/static paths."""
    shutil.copytree(FIXTURE, target, ignore=shutil.ignore_patterns(".towncat-cache", "site"))
    toml = (target / "towncat.toml").read_text(encoding="utf-8")
    for name in ("schemas", "templates", "static"):
        toml = toml.replace(f'"../../../{name}"', f'"{REPO / name}"')
    (target / "towncat.toml").write_text(toml, encoding="utf-8")
    (target / ".gitignore").write_text(".towncat-cache/\nsite/\n", encoding="utf-8")
    return target


def new_site(tmp_path: Path, *, date: str = "2024-01-01T10:00:00+08:00",
             powers: str | None = None) -> Path:
    """A git repository holding the fixture project (alpha's powers replaced), one commit."""
    root = copy_project(tmp_path / "project")
    git(root, "init", "-q")
    commit(root, "初始清单", {POWERS: powers or powers_yaml(power())}, date=date)
    return root


# -- content builders ----------------------------------------------------------------------

def power(pid: str = "cf-0001", *, name: str = "对擅自占用城市绿化用地的行政处罚",
          office: str = "enforcement", article: str = "第二十七条", extra: str = "") -> str:
    return (f"  - id: {pid}\n"
            f"    name: {name}\n"
            f"    type: 行政处罚\n"
            f"    basis:\n"
            f"      - law: 《城市绿化条例》\n"
            f"        article: {article}\n"
            f"    handling_office: {office}\n" + extra)


def licence(*, withdrawn: bool = False) -> str:
    """A second power, xk-0002; ``withdrawn`` sets status and withdrawn_reason."""
    text = ("  - id: xk-0002\n"
            "    name: 临时占用城市绿化用地审批\n"
            "    type: 行政许可\n"
            "    basis:\n"
            "      - law: 《城市绿化条例》\n"
            "    handling_office: service-center\n")
    if withdrawn:
        text += ("    status: 已收回\n"
                 "    effective_to: 2024-06-30\n"
                 "    withdrawn_reason: 技术承接难，由县级部门收回\n")
    return text


SCHEMA_LINE = (FIXTURE / POWERS).read_text(encoding="utf-8").splitlines()[0]


def powers_yaml(*items: str) -> str:
    return f"{SCHEMA_LINE}\ntitle: 甲镇放权目录（示例）\npowers:\n" + "".join(items)


def duties_yaml(*extra: str) -> str:
    base = (FIXTURE / DUTIES).read_text(encoding="utf-8")
    return base + "".join(extra)


# -- build and page helpers ---------------------------------------------------------------

def build(root: Path, name: str = "out") -> tuple[BuildResult, Path]:
    out = root.parent / name
    config = dataclasses.replace(load_config(root), output_dir=str(out))
    result = run_build(root, config, search=False)
    assert result.pages > 0, (result.check.problems, result.warnings)
    return result, out


def history(root: Path, cache: Path | None = None) -> History:
    return read_site_history(root, "content", cache)


def page(out: Path, url: str) -> str:
    return (out / output_path(url)).read_text(encoding="utf-8")


def squeeze(markup: str) -> str:
    """Visible text with no whitespace at all, for matching Chinese phrases."""
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", markup)))


def record_value(markup: str, label: str) -> str:
    match = re.search(rf"<dt>{label}</dt><dd>([^<]*)</dd>", markup)
    assert match, f"no {label} in the record"
    return match.group(1)


def changes_in(hist: History, sha: str) -> list[tuple[str, str, str]]:
    """(action, kind, item id) of every change of one commit."""
    return [("restored" if c.restored else c.diff.action, c.diff.kind, c.diff.item_id)
            for c in hist.changes if c.sha == sha]


def site_files(out: Path) -> Iterator[tuple[str, bytes]]:
    for path in sorted(out.rglob("*")):
        if path.is_file():
            yield path.relative_to(out).as_posix(), path.read_bytes()


# -- 1. add, change, remove, restore ----------------------------------------------------------

def test_item_lifecycle_add_change_remove_restore(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    added = commit(root, "新增临时占绿审批", {POWERS: powers_yaml(power(), licence())},
                   date="2024-02-01T10:00:00+08:00", author="李审核")
    office = commit(root, "调整承办机构", {
        POWERS: powers_yaml(power(office=CENTRE), licence())},
        date="2024-02-10T10:00:00+08:00")
    reason = commit(root, "收回临时占绿审批", {
        POWERS: powers_yaml(power(office=CENTRE), licence(withdrawn=True))},
        date="2024-03-01T10:00:00+08:00")
    removed = commit(root, "删除已收回事项\n\nChange-Note: 按县政府通知删除已收回的事项",
                     {POWERS: powers_yaml(power(office=CENTRE))},
                     date="2024-04-01T10:00:00+08:00")

    hist = history(root)
    assert hist.complete and hist.warnings == ()
    assert changes_in(hist, added) == [("added", "powers", "xk-0002")]
    assert changes_in(hist, office) == [("changed", "powers", "cf-0001")]
    assert changes_in(hist, reason) == [("changed", "powers", "xk-0002")]
    assert changes_in(hist, removed) == [("removed", "powers", "xk-0002")]
    office_change = hist.item(ALPHA_CODE, "cf-0001")[-1].diff
    assert [(f.field, f.old, f.new) for f in office_change.fields] == [
        ("handling_office", "综合执法办公室", "便民服务中心")]

    _, out = build(root)
    item = squeeze(page(out, item_url("alpha", "powers", "cf-0001")))
    assert "承办机构：综合执法办公室→便民服务中心" in item
    assert "2024-02-10修改了承办机构（记录" in item
    assert "调整承办机构" not in item  # a commit subject is never public text

    withdrawn = page(out, item_url("alpha", "powers", "xk-0002"))
    assert "本事项已从清单中删除" in withdrawn
    assert '<time datetime="2024-04-01T10:00:00+08:00">2024-04-01</time>' in withdrawn
    assert f"记录 {removed[:7]}；说明：按县政府通知删除已收回的事项" in withdrawn
    assert "原因：技术承接难，由县级部门收回" in withdrawn
    assert "2024-04-01删除：按县政府通知删除已收回的事项" in squeeze(withdrawn)

    restored = commit(root, "恢复临时占绿审批", {
        POWERS: powers_yaml(power(office=CENTRE), licence())},
        date="2024-05-01T10:00:00+08:00")
    assert changes_in(history(root), restored) == [("restored", "powers", "xk-0002")]
    _, out = build(root, "out2")
    item = squeeze(page(out, item_url("alpha", "powers", "xk-0002")))
    assert "本事项已从清单中删除" not in item
    assert "2024-05-01恢复（记录" in item
    assert "2024-04-01删除：按县政府通知删除已收回的事项" in item
    assert record_value(page(out, item_url("alpha", "powers", "xk-0002")), "首次发布") \
        == "2024-02-01"


def test_withdrawn_page_without_reason_says_when_only(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    commit(root, "新增", {POWERS: powers_yaml(power(), licence())})
    commit(root, "删除", {POWERS: powers_yaml(power())}, date="2024-06-01T10:00:00+08:00")
    _, out = build(root)
    withdrawn = page(out, item_url("alpha", "powers", "xk-0002"))
    assert "本事项已从清单中删除" in withdrawn and "2024-06-01" in withdrawn
    assert "原因：" not in withdrawn


# -- 2. move between files of a town -------------------------------------------------------------

def test_item_moving_from_powers_to_duties_is_a_move(tmp_path: Path) -> None:
    root = new_site(tmp_path, powers=powers_yaml(power(), power("cf-0002", name="巡查处置")))
    as_duty = ("  - id: cf-0002\n"
               "    list_kind: 配合责任\n"
               "    name: 巡查处置\n"
               "    lead_office: enforcement\n")
    moved = commit(root, "改列为职责", {POWERS: powers_yaml(power()), DUTIES: duties_yaml(as_duty)},
                   date="2024-02-02T10:00:00+08:00")

    hist = history(root)
    assert changes_in(hist, moved) == [("moved", "duties", "cf-0002")]
    assert [c.diff.action for c in hist.item(ALPHA_CODE, "cf-0002")] == ["added", "moved"]

    _, out = build(root)
    duty = page(out, item_url("alpha", "duties", "cf-0002"))
    assert "2024-02-02从赋权事项移至职责任务（记录" in squeeze(duty)
    assert record_value(duty, "首次发布") == "2024-01-01"
    assert record_value(duty, "最近更新") == "2024-02-02"
    old_page = page(out, item_url("alpha", "powers", "cf-0002"))  # the old URL still answers
    assert "本事项已移至其他清单" in old_page and "已从清单中删除" not in old_page
    assert 'href="../../../../towns/alpha/duties/cf-0002/"' in old_page


# -- 3. renamed town folder ----------------------------------------------------------------

def test_renamed_town_folder_keeps_its_history(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    commit(root, "调整承办机构", {POWERS: powers_yaml(power(office=CENTRE))},
           date="2024-02-10T10:00:00+08:00")
    git(root, "mv", "content/towns/alpha", "content/towns/gamma")
    renamed = commit(root, "甲镇目录改名", {}, date="2024-03-01T10:00:00+08:00")

    hist = history(root)
    assert changes_in(hist, renamed) == []
    assert [c.diff.action for c in hist.item(ALPHA_CODE, "cf-0001")] == ["added", "changed"]

    _, out = build(root)
    item = page(out, item_url("gamma", "powers", "cf-0001"))
    assert "承办机构：综合执法办公室→便民服务中心" in squeeze(item)
    assert record_value(item, "首次发布") == "2024-01-01"
    timeline = squeeze(page(out, "towns/gamma/changes/"))
    assert "修改1项（承办机构）" in timeline and "新增5项" in timeline
    assert "调整承办机构" not in timeline and "初始清单" not in timeline
    assert not (out / "towns" / "alpha").exists()


# -- 4. merge commits ---------------------------------------------------------------------

def test_merge_commit_gets_the_changes_of_its_branch(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    git(root, "checkout", "-q", "-b", "feature")
    branch = commit(root, "分支：调整承办机构", {POWERS: powers_yaml(power(office=CENTRE))},
                    date="2024-02-01T10:00:00+08:00", author="王分支")
    git(root, "checkout", "-q", "main")
    flood = ("  - id: zt-0002\n    list_kind: 主体责任\n"
             "    name: 防汛巡查\n    lead_office: enforcement\n")
    mainline = commit(root, "主线：新增职责", {DUTIES: duties_yaml(flood)},
                      date="2024-02-05T10:00:00+08:00")
    git(root, "merge", "-q", "--no-ff", "feature", "-m", "合并：调整承办机构",
        date="2024-02-20T10:00:00+08:00", author="赵合并")
    merge = git(root, "rev-parse", "HEAD").strip()

    hist = history(root)
    assert hist.warnings == ()
    assert changes_in(hist, branch) == []
    assert changes_in(hist, mainline) == [("added", "duties", "zt-0002")]
    assert changes_in(hist, merge) == [("changed", "powers", "cf-0001")]
    assert [c.short for c in hist.item(ALPHA_CODE, "cf-0001")] == [
        hist.changes[0].short, merge[:7]]

    _, out = build(root)
    item = page(out, item_url("alpha", "powers", "cf-0001"))
    assert "2024-02-20修改了承办机构（记录" in squeeze(item)
    assert record_value(item, "最近更新") == "2024-02-20"
    assert "便民服务中心" in squeeze(item)
    assert "防汛巡查" in page(out, item_url("alpha", "duties", "zt-0002"))


# -- 5. invalid historical versions --------------------------------------------------------

def test_broken_list_file_in_history_is_skipped_with_warning(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    broken = commit(root, "误提交", {POWERS: powers_yaml(power()) + "  - id: [坏\n"})
    fixed = commit(root, "修正并调整机构", {POWERS: powers_yaml(power(office=CENTRE))})

    hist = history(root)
    assert len(hist.warnings) == 1
    assert broken[:7] in hist.warnings[0] and "powers.yaml" in hist.warnings[0]
    assert changes_in(hist, broken) == []
    assert changes_in(hist, fixed) == [("changed", "powers", "cf-0001")]

    result, out = build(root)
    assert any(broken[:7] in w for w in result.warnings)
    item = squeeze(page(out, item_url("alpha", "powers", "cf-0001")))
    assert "综合执法办公室→便民服务中心" in item


def test_broken_town_file_in_history_does_not_remove_the_town(tmp_path: Path) -> None:
    """A broken town.yaml must be skipped like a broken list file, not read as a deletion."""
    root = new_site(tmp_path)
    good = (root / TOWN).read_text(encoding="utf-8")
    broken = commit(root, "误提交镇信息", {TOWN: good + "name: [坏\n"})
    fixed = commit(root, "修正镇信息", {TOWN: good})

    hist = history(root)
    assert len(hist.warnings) == 1 and broken[:7] in hist.warnings[0]
    assert changes_in(hist, broken) == []
    assert changes_in(hist, fixed) == []
    _, out = build(root)
    assert "已从清单中删除" not in page(out, "towns/alpha/changes/")
    assert "恢复" not in squeeze(page(out, item_url("alpha", "powers", "cf-0001")))


# -- 6. formatting-only commits ------------------------------------------------------------

def test_whitespace_and_comment_only_commits_change_nothing(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    before = (root / POWERS).read_text(encoding="utf-8")
    reindented = before.replace("\n  - id", "\n\n- id").replace("\n    ", "\n  ") + "\n\n"
    assert reindented != before
    whitespace = commit(root, "调整缩进", {POWERS: reindented})
    town = (root / TOWN).read_text(encoding="utf-8")
    comments = commit(root, "添加注释", {
        POWERS: reindented.replace("\ntitle:", "\n# 2024 年修订\ntitle:")
                          .replace("powers:\n", "powers:  # 事项列表\n"),
        TOWN: town.replace("name: 甲镇\n", "name: 甲镇  # 镇名\n# 完\n")})

    hist = history(root)
    assert hist.warnings == ()
    assert changes_in(hist, whitespace) == []
    assert changes_in(hist, comments) == []
    _, out = build(root)
    assert "调整缩进" not in page(out, "changes/") and "添加注释" not in page(out, "changes/")


# -- 7. major and minor changes ------------------------------------------------------------

def test_only_major_changes_move_the_updated_date(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    commit(root, "修改依据条款", {POWERS: powers_yaml(power(article="第二十八条"))},
           date="2024-02-01T10:00:00+08:00")
    url = item_url("alpha", "powers", "cf-0001")
    _, out = build(root, "major")
    assert record_value(page(out, url), "最近更新") == "2024-02-01"

    renamed = power(article="第二十八条", name="占绿处罚")
    commit(root, "修改事项名称", {POWERS: powers_yaml(renamed)}, date="2024-03-01T10:00:00+08:00")
    commit(root, "补充说明", {POWERS: powers_yaml(power(
        article="第二十八条", name="占绿处罚", extra="    description: 指擅自占用绿地的行为。\n"))},
        date="2024-04-01T10:00:00+08:00")
    hist = history(root)
    assert [c.diff.major for c in hist.item(ALPHA_CODE, "cf-0001")] == [True, True, False, False]

    _, out = build(root, "minor")
    item = page(out, url)
    assert record_value(item, "首次发布") == "2024-01-01"
    assert record_value(item, "最近更新") == "2024-02-01"
    seen = squeeze(item)
    assert "2024-03-01修改了事项名称（文字修改）（记录" in seen
    assert "事项名称：对擅自占用城市绿化用地的行政处罚→占绿处罚" in seen
    assert "2024-04-01修改了说明（文字修改）（记录" in seen
    assert "2024-02-01修改了设定依据（记录" in seen
    assert "设定依据（第1项）·条款：第二十七条→第二十八条" in seen


def test_office_change_is_major(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    commit(root, "调整承办机构", {POWERS: powers_yaml(power(office=CENTRE))},
           date="2024-05-06T10:00:00+08:00")
    _, out = build(root)
    assert record_value(page(out, item_url("alpha", "powers", "cf-0001")), "最近更新") \
        == "2024-05-06"


# -- 8. dates in Asia/Shanghai -----------------------------------------------------------

def test_dates_are_shown_in_shanghai_time(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    late_utc = commit(root, "UTC 深夜提交", {POWERS: powers_yaml(power(office=CENTRE))},
                      date="2024-03-01T23:30:00+00:00")
    later = power(article="第二十八条", office=CENTRE)
    tokyo = commit(root, "东京时间提交", {POWERS: powers_yaml(later)},
                   date="2024-03-10T00:30:00+09:00")
    _, out = build(root)
    item = page(out, item_url("alpha", "powers", "cf-0001"))
    assert '<time datetime="2024-03-02T07:30:00+08:00">2024-03-02</time>' in item
    assert '<time datetime="2024-03-09T23:30:00+08:00">2024-03-09</time>' in item
    assert record_value(item, "最近更新") == "2024-03-09"
    timeline = page(out, "towns/alpha/changes/")
    assert "2024-03-02 07:30" in timeline and "2024-03-09 23:30" in timeline
    assert timeline.index(tokyo[:7]) < timeline.index(late_utc[:7])  # newest first


# -- 9. shallow, no git, empty, dirty ---------------------------------------------------

def cli(root: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["--root", str(root), *args], out=out)
    return code, out.getvalue()


@pytest.fixture
def shallow_clone(tmp_path: Path) -> Path:
    origin = new_site(tmp_path)
    commit(origin, "调整承办机构", {POWERS: powers_yaml(power(office=CENTRE))})
    commit(origin, "新增", {POWERS: powers_yaml(power(office=CENTRE), licence())})
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(clone))
    return clone


def test_shallow_clone_is_detected_and_noted_on_pages(shallow_clone: Path) -> None:
    hist = history(shallow_clone)
    assert hist.status.shallow and not hist.complete
    assert any("浅克隆" in w for w in hist.warnings)

    result, out = build(shallow_clone)
    assert any("浅克隆" in w for w in result.warnings)
    item = page(out, item_url("alpha", "powers", "cf-0001"))
    assert "浅克隆" in item and "历史不完整" in item
    assert "历史不完整" in page(out, "changes/")
    assert "历史不完整" in page(out, "towns/alpha/changes/")


def test_strict_build_refuses_a_shallow_clone(shallow_clone: Path, tmp_path: Path) -> None:
    code, output = cli(shallow_clone, "build", "--strict", "--no-search")
    assert code == 1, output
    assert not (shallow_clone / "site").exists()
    full = tmp_path / "project"  # the origin, a full clone: --strict builds
    assert cli(full, "build", "--strict", "--no-search")[0] == 0


def test_strict_build_says_why_it_refused_a_shallow_clone(shallow_clone: Path) -> None:
    code, output = cli(shallow_clone, "build", "--strict", "--no-search")
    assert code == 1
    assert "浅克隆" in output, output


def test_project_outside_git_builds_with_one_warning_and_no_dates(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "plain")
    result, out = build(root)
    assert len(result.warnings) == 1 and "不在 git 仓库中" in result.warnings[0]
    pages = {p: d.decode("utf-8") for p, d in site_files(out) if p.endswith(".html")}
    assert not [p for p, h in pages.items() if "<time" in h]
    item = pages[output_path(item_url("alpha", "powers", "cf-0001"))]
    assert "页面不显示发布和更新日期" in item and "首次发布" not in item
    assert not (out / "editions").exists()


def test_repository_without_commits_builds(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    git(root, "init", "-q")
    result, out = build(root)
    assert len(result.warnings) == 1 and "还没有提交" in result.warnings[0]
    assert "页面不显示发布和更新日期" in page(out, item_url("alpha", "powers", "cf-0001"))


def test_uncommitted_content_changes_are_warned_about(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    assert history(root).warnings == ()
    (root / POWERS).write_text(powers_yaml(power(office=CENTRE)), encoding="utf-8")
    result, out = build(root)
    assert any("未提交的修改" in w for w in result.warnings)
    assert "便民服务中心" in page(out, item_url("alpha", "powers", "cf-0001"))
    assert len(history(root).item(ALPHA_CODE, "cf-0001")) == 1  # the edit is not a change


# -- 10. Atom feeds -----------------------------------------------------------------------

def parse_feed(path: Path) -> ET.Element:
    feed = ET.parse(path).getroot()
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{name}") or "").strip(), f"feed without {name}"
    datetime.fromisoformat(feed.findtext(f"{ATOM}updated") or "")
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), f"entry without {name}"
        datetime.fromisoformat(entry.findtext(f"{ATOM}updated") or "")
        assert entry.find(f"{ATOM}link").get("href", "").startswith("https://example.test/cat/")
    return feed


def entry_ids(feed: ET.Element) -> list[str]:
    return [e.findtext(f"{ATOM}id") or "" for e in feed.findall(f"{ATOM}entry")]


def test_atom_feeds_are_valid_with_stable_unique_ids(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    commit(root, "调整承办机构 & 依据", {POWERS: powers_yaml(power(office=CENTRE))},
           date="2024-02-01T10:00:00+08:00")
    commit(root, "新增审批事项\n\nChange-Note: 新增 <审批> 事项 & <script>x</script>",
           {POWERS: powers_yaml(power(office=CENTRE), licence())},
           date="2024-03-01T10:00:00+08:00")
    _, out = build(root, "first")
    site = parse_feed(out / "changes.xml")
    town = parse_feed(out / "towns" / "alpha" / "changes.xml")
    beta = parse_feed(out / "towns" / "beta" / "changes.xml")
    assert site.findtext(f"{ATOM}id") == "https://example.test/cat/changes.xml"
    assert town.findtext(f"{ATOM}id") == "https://example.test/cat/towns/alpha/changes.xml"
    assert site.findtext(f"{ATOM}updated") == "2024-03-01T10:00:00+08:00"
    titles = [e.findtext(f"{ATOM}title") for e in town.findall(f"{ATOM}entry")]
    assert titles[:2] == ["甲镇：新增 <审批> 事项 & <script>x</script>", "甲镇：修改 1 项（承办机构）"]
    first = town.findall(f"{ATOM}entry")[0]
    assert first.find(f"{ATOM}link").get("href") == (
        "https://example.test/cat/" + item_url("alpha", "powers", "xk-0002"))
    assert "&lt;script&gt;" in (first.findtext(f"{ATOM}content") or "")  # text, never markup
    site_ids, town_ids = entry_ids(site), entry_ids(town)
    assert len(site_ids) == len(set(site_ids)) == 4  # initial (alpha, beta) + 2
    assert len(town_ids) == len(set(town_ids)) == 3
    assert len(entry_ids(beta)) == 1
    assert {i.split("#")[1] for i in town_ids} <= {i.split("#")[1] for i in site_ids}

    commit(root, "乙街道补充来源\n\nChange-Note: 乙街道补充信息来源", {BETA: (root / BETA).read_text(encoding="utf-8")
                                     + "  - title: 补充来源\n"},
           date="2024-04-01T10:00:00+08:00")
    commit(root, "更新说明文件", {"README.md": "说明\n"}, date="2024-04-02T10:00:00+08:00")
    _, out = build(root, "second")
    site_after = parse_feed(out / "changes.xml")
    assert entry_ids(parse_feed(out / "towns" / "alpha" / "changes.xml")) == town_ids
    assert entry_ids(site_after)[1:] == site_ids
    assert len(set(entry_ids(site_after))) == 5
    assert site_after.findtext(f"{ATOM}updated") == "2024-04-01T10:00:00+08:00"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.append(tag)


def test_feed_html_content_escapes_text_from_the_data(tmp_path: Path) -> None:
    """``<content type="html">`` holds HTML as text: data must be escaped twice."""
    root = new_site(tmp_path)
    commit(root, "说明", {POWERS: powers_yaml(power(
        extra="    description: 见 <img src=x onerror=alert(1)> 附件\n"))})
    _, out = build(root)
    feed = parse_feed(out / "towns" / "alpha" / "changes.xml")
    content = feed.find(f"{ATOM}entry").findtext(f"{ATOM}content") or ""
    parser = _Tags()
    parser.feed(content)
    assert parser.tags.count("li") >= 1
    assert "img" not in parser.tags, content


# -- 11. editions -------------------------------------------------------------------------

def test_editions_are_snapshots_with_banner_and_diff(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    git(root, "tag", "edition/2024")
    commit(root, "调整承办机构", {POWERS: powers_yaml(power(office=CENTRE))},
           date="2025-01-02T10:00:00+08:00")
    commit(root, "新增审批", {POWERS: powers_yaml(power(office=CENTRE), licence())},
           date="2025-01-03T10:00:00+08:00")
    git(root, "tag", "-a", "edition/2025", "-m", "2025 年版", date="2025-01-05T10:00:00+08:00")
    later = power(office=CENTRE, article="第二十八条")
    commit(root, "2025 版之后的修改", {POWERS: powers_yaml(later, licence())},
           date="2025-02-01T10:00:00+08:00")

    result, tagged = build(root, "tagged")
    assert result.warnings == ()
    item = "towns/alpha/powers/cf-0001/index.html"
    old = (tagged / "editions" / "2024" / item).read_text(encoding="utf-8")
    new = (tagged / "editions" / "2025" / item).read_text(encoding="utf-8")
    for snapshot, name in ((old, "2024"), (new, "2025")):
        assert "历史版本" in snapshot and f"“{name}”" in snapshot
        link = re.search(r'<a href="([^"]+)">查看现行版本</a>', snapshot)
        assert link, snapshot
        target = PurePosixPath("editions", name, item).parent / link.group(1)
        resolved = os.path.normpath(str(target))
        assert resolved == "towns/alpha/powers/cf-0001"
        assert (tagged / resolved / "index.html").is_file()
    assert "2024-01-01" in old  # the 2024 edition's date in its banner
    assert "综合执法办公室" in old and "便民服务中心" in new
    assert "第二十七条" in new  # the 2025 edition predates the later change
    assert not (tagged / "editions" / "2024" / "towns/alpha/powers/xk-0002").exists()
    assert (tagged / "editions" / "2025" / "towns/alpha/powers/xk-0002/index.html").is_file()
    assert not (tagged / "editions" / "2025" / "changes.xml").exists()

    index = squeeze((tagged / "editions" / "index.html").read_text(encoding="utf-8"))
    assert "2025（发布于2025-01-03，标签edition/2025）" in index
    assert "2024（发布于2024-01-01，标签edition/2024）" in index
    assert "新增赋权事项：临时占用城市绿化用地审批" in index
    assert "修改赋权事项：对擅自占用城市绿化用地的行政处罚" in index
    assert "综合执法办公室→便民服务中心" in index
    assert "第二十八条" not in index
    assert index.index("2025（") < index.index("2024（")  # newest first

    git(root, "tag", "-d", "edition/2024", "edition/2025")
    _, plain = build(root, "plain")
    current = {p: d for p, d in site_files(tagged) if not p.startswith("editions/")}
    assert set(current) == set(dict(site_files(plain)))  # the same pages, but how they cite
    tagged_item = squeeze(current[item].decode("utf-8"))
    assert "2025之后有修改，本页为现行内容" in tagged_item  # changed after 2025 (第二十八条)
    assert "其他版本：20242025" not in tagged_item and "2024" in tagged_item
    new_licence = squeeze(current["towns/alpha/powers/xk-0002/index.html"].decode("utf-8"))
    assert "版本2025·数据截至" not in new_licence and "2025·数据截至2025-02-01" in new_licence
    plain_item = squeeze((plain / item).read_text(encoding="utf-8"))
    assert "现行版本（尚未发布正式版本）·数据截至2025-02-01" in plain_item


def test_edition_diff_uses_field_labels(tmp_path: Path) -> None:
    """Like every other change list, the editions page names fields in Chinese."""
    root = new_site(tmp_path)
    git(root, "tag", "edition/2024")
    commit(root, "调整承办机构", {POWERS: powers_yaml(power(office=CENTRE))})
    git(root, "tag", "edition/2025")
    _, out = build(root)
    index = squeeze((out / "editions" / "index.html").read_text(encoding="utf-8"))
    assert "承办机构：综合执法办公室→便民服务中心" in index, index


# -- 12. cache and the number of git processes ---------------------------------------------

def test_cache_gives_equal_changes_and_rebuilds_when_corrupt(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    commit(root, "调整承办机构", {POWERS: powers_yaml(power(office=CENTRE))})
    broken = commit(root, "误提交", {POWERS: "powers: [\n"})
    commit(root, "新增", {POWERS: powers_yaml(power(office=CENTRE), licence())})
    cache = tmp_path / "cache"
    uncached = history(root)
    assert len(uncached.warnings) == 1 and broken[:7] in uncached.warnings[0]

    first = history(root, cache)
    assert (cache / "history.pickle").is_file()
    second = history(root, cache)
    assert first.changes == second.changes == uncached.changes
    assert first.warnings == second.warnings == uncached.warnings
    assert second.by_item == uncached.by_item

    good = (cache / "history.pickle").read_bytes()
    for garbage in (b"\x00garbage, not a pickle", good[: len(good) // 2]):
        (cache / "history.pickle").write_bytes(garbage)
        again = history(root, cache)
        corrupt = [w for w in again.warnings if "损坏" in w]
        assert len(corrupt) == 1 and "history.pickle" in corrupt[0]
        assert again.changes == uncached.changes
        assert [w for w in again.warnings if "损坏" not in w] == list(uncached.warnings)
        assert history(root, cache).warnings == uncached.warnings  # rewritten, trusted again


def test_cache_is_not_used_for_a_different_history(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    cache = tmp_path / "cache"
    before = history(root, cache)
    added = commit(root, "新增", {POWERS: powers_yaml(power(), licence())})
    after = history(root, cache)
    assert after.changes[: len(before.changes)] == before.changes
    assert changes_in(after, added) == [("added", "powers", "xk-0002")]


def many_commits(folder: Path, count: int) -> Path:
    """A repository of ``count`` commits, each adding one power; tagged edition/2024."""
    root = new_site(folder)
    items = [power()]
    for number in range(1, count):
        items.append(power(f"cf-{number + 1:04d}", name=f"事项{number}"))
        commit(root, f"新增事项{number}", {POWERS: powers_yaml(*items)},
               date=f"2024-02-01T{number // 60:02d}:{number % 60:02d}:00+08:00")
    git(root, "tag", "edition/2024", "HEAD~2")
    return root


@pytest.fixture(scope="module")
def long_histories(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """Two repositories, of 5 and of 30 commits, shared by the process-count tests."""
    return {n: many_commits(tmp_path_factory.mktemp(f"commits{n}"), n) for n in (5, 30)}


class GitCounter:
    """Counts git processes (subprocess.run and git's own Popen both go through Popen)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Patches through ``monkeypatch`` (use a ``MonkeyPatch.context()`` of its own)."""
        self.calls: list[list[str]] = []
        real_popen = subprocess.Popen  # subprocess.run starts its process through Popen too

        class Popen(real_popen):  # type: ignore[misc, valid-type]
            def __init__(inner, args, *a, **k):  # type: ignore[no-untyped-def]
                self.note(args)
                super().__init__(args, *a, **k)

        monkeypatch.setattr(subprocess, "Popen", Popen)

    def note(self, args: object) -> None:
        if isinstance(args, (list, tuple)) and args and args[0] == "git":
            self.calls.append([str(a) for a in args[1:3]])


def test_history_uses_a_constant_number_of_git_processes(
        long_histories: dict[int, Path]) -> None:
    counts = []
    for root in long_histories.values():
        with pytest.MonkeyPatch.context() as patch:
            counter = GitCounter(patch)
            hist = history(root)
        assert len({c.sha for c in hist.changes}) == len(
            git(root, "rev-list", "HEAD").split())
        counts.append(counter.calls)
    assert len(counts[0]) == len(counts[1]) <= 6, counts
    assert sum(1 for c in counts[1] if c[0] == "log") == 1
    assert sum(1 for c in counts[1] if c[0] == "cat-file") == 1


def test_read_history_runs_git_log_once(long_histories: dict[int, Path]) -> None:
    root = long_histories[30]
    calls: list[list[str]] = []

    def counting(args: list[str], cwd: Path) -> str:
        calls.append(args)
        return gitlog.run_git(args, cwd)

    commits = gitlog.read_history(root, "content", run=counting)
    assert len(calls) == 1 and calls[0][0] == "log"
    assert len(commits) == 30
    assert [c.subject for c in commits][:2] == ["初始清单", "新增事项1"]  # oldest first
    assert {c.author for c in commits} == {"张编辑"}


def test_build_uses_a_constant_number_of_git_processes(
        long_histories: dict[int, Path], tmp_path: Path) -> None:
    counts = []
    for count, root in long_histories.items():
        with pytest.MonkeyPatch.context() as patch:
            counter = GitCounter(patch)
            config = dataclasses.replace(load_config(root), output_dir=str(tmp_path / f"o{count}"),
                                         cache_dir=str(tmp_path / f"cache{count}"))
            assert run_build(root, config, search=False).pages > 0
        counts.append(len(counter.calls))
    assert counts[0] == counts[1], counts
