"""What the public record is made of, besides the content: ignored revisions and editions.

``.towncat-ignore-revs`` (like git's ``.git-blame-ignore-revs``) lists commits that are
not editorial: their changes are taken into the record silently, as if they had always
been there. Editions are declared in ``content/editions.yaml`` or tagged ``edition/*``;
each names a commit whose content is frozen as a citable snapshot. Both are checked
against the repository here, with file:line:col for every problem, before anything is
built. Commit messages are only read for one hint: a public note not written as a
``Change-Note:`` trailer.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..content.files import Document, problem_at
from ..content.problems import Problem
from .editions import EditionRef, find_editions
from .gitlog import NOTE_KEY, Commit, GitError, RepoStatus, Runner, run_git

IGNORE_FILE = ".towncat-ignore-revs"
_REVISION = re.compile(r"^[0-9a-f]{7,40}$")
# A line that reads like a public note but that git does not take as the trailer:
# another spelling of the key, a full-width colon, or a note outside the last paragraph.
_NOTE_LIKE = re.compile(
    r"^\s*(change[-_ ]?notes?|变更说明|公开说明|变更原因|修改说明)\s*[:：]", re.IGNORECASE
)


@dataclass(frozen=True)
class Publication:
    ignored: frozenset[str] = frozenset()  # full commit ids
    editions: tuple[EditionRef, ...] = ()  # oldest first
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()

    def edition_at(self) -> dict[str, EditionRef]:
        """The edition published with each content commit (the latest, when several are)."""
        return {e.content_sha: e for e in self.editions if e.content_sha}


def parse_ignore_revs(text: str, source: str) -> tuple[list[tuple[int, str]], list[Problem]]:
    """(line, revision) per listed revision; ``#`` starts a comment, blank lines are skipped."""
    revisions, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        value = line.split("#", 1)[0].strip()
        if not value:
            continue
        if _REVISION.match(value.lower()):
            revisions.append((number, value.lower()))
        else:
            column = len(line) - len(line.lstrip()) + 1
            message = f"“{value[:40]}”不是提交号：每行写一个 7–40 位十六进制的提交号，# 后为注释"
            problems.append(Problem(source, number, column, "bad-revision", "", message))
    return revisions, problems


def resolve_commits(root: Path, names: Iterable[str]) -> dict[str, str | None]:
    """Each revision name (commit id, abbreviation or tag) → its full commit id, or None."""
    names = list(dict.fromkeys(names))
    if not names:
        return {}
    query = "".join(f"{name}^{{commit}}\n" for name in names)
    done = subprocess.run(
        ["git", "cat-file", "--batch-check=%(objectname) %(objecttype)"],
        cwd=root,
        input=query.encode(),
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise GitError("git cat-file 失败：" + done.stderr.decode("utf-8", "replace").strip())
    lines = done.stdout.decode().splitlines()
    found: dict[str, str | None] = {}
    for name, line in zip(names, lines, strict=True):
        parts = line.split()
        found[name] = parts[0] if len(parts) == 2 and parts[1] == "commit" else None
    return found


def read_publication(
    root: Path,
    status: RepoStatus,
    documents: Iterable[Document],
    tag_pattern: str,
    content_dir: str = "content",
    run: Runner = run_git,
) -> Publication:
    """The ignored revisions and the editions, checked against the repository."""
    try:
        return _read_publication(root, status, documents, tag_pattern, content_dir, run)
    except GitError as err:
        return Publication(warnings=(f"无法读取版本和忽略的提交：{err}",))


def _read_publication(
    root: Path,
    status: RepoStatus,
    documents: Iterable[Document],
    tag_pattern: str,
    content_dir: str,
    run: Runner,
) -> Publication:
    problems: list[Problem] = []
    warnings: list[str] = []
    ignore_path = root / IGNORE_FILE
    listed: list[tuple[int, str]] = []
    if ignore_path.is_file() and not ignore_path.is_symlink():
        text = ignore_path.read_bytes().decode("utf-8", "replace")
        listed, problems = parse_ignore_revs(text, IGNORE_FILE)
    declared = next((d for d in documents if d.kind == "editions" and d.valid), None)
    entries = _declared(declared)
    if not status.in_git or status.empty:
        if entries or listed:
            warnings.append("不在 git 仓库中（或没有提交）：版本快照和忽略的提交都无法处理")
        return Publication(problems=tuple(problems), warnings=tuple(warnings))
    names = [rev for _, rev in listed] + [ref for _, ref, _ in entries]
    commits = resolve_commits(root, names)

    def missing(what: str) -> str:
        if status.shallow:  # older commits are simply not in a shallow clone
            warnings.append(f"浅克隆中没有{what}，已跳过")
            return ""
        return f"仓库中没有{what}"

    ignored = set()
    for line, rev in listed:
        sha = commits.get(rev)
        if sha:
            ignored.add(sha)
        elif message := missing(f"提交 {rev}"):
            problems.append(Problem(IGNORE_FILE, line, 1, "unknown-revision", "", message))
    editions: list[EditionRef] = []
    tagged, tag_warnings = find_editions(root, tag_pattern, run)
    warnings += tag_warnings
    by_name = {e.name: e for e in tagged}
    for index, ref, data in entries:
        assert declared is not None
        key = "tag" if data.get("tag") else "commit"
        sha = commits.get(ref)
        if not sha:
            what = f"标签 {ref}" if key == "tag" else f"提交 {ref}"
            if message := missing(what):
                where = ("editions", index, key)
                problems.append(problem_at(declared, where, "unknown-revision", message))
            continue
        other = by_name.pop(str(data["name"]), None)
        if other is not None and other.sha != sha:
            message = f"git 标签 {other.tag} 指向另一个提交；同名版本只能对应一个提交"
            problems.append(
                problem_at(declared, ("editions", index, "name"), "edition-source", message)
            )
            continue
        editions.append(_edition(data, sha, run(["show", "-s", "--format=%cI", sha], root).strip()))
    problems += _source_problems(declared, entries)
    editions += by_name.values()
    editions = [
        replace(e, content_sha=_content_commit(root, e.sha, content_dir, run)) for e in editions
    ]
    editions.sort(key=lambda e: (e.date, e.name))
    return Publication(frozenset(ignored), tuple(editions), tuple(problems), tuple(warnings))


def _content_commit(root: Path, sha: str, content_dir: str, run: Runner) -> str:
    """The commit whose content an edition shows: the last to change it at or before ``sha``."""
    found = run(["log", "-1", "--first-parent", "--format=%H", sha, "--", content_dir], root)
    return found.strip()


def _declared(doc: Document | None) -> list[tuple[int, str, Mapping[str, Any]]]:
    """(index, revision name, data) of each declared edition that names one revision."""
    if doc is None:
        return []
    found = []
    for index, data in enumerate(doc.data["editions"]):
        ref = data.get("tag") or data.get("commit")
        if ref and not (data.get("tag") and data.get("commit")):
            found.append((index, str(ref), data))
    return found


def _source_problems(
    doc: Document | None, entries: list[tuple[int, str, Mapping[str, Any]]]
) -> list[Problem]:
    if doc is None:
        return []
    problems = []
    named = {index for index, _, _ in entries}
    seen: set[str] = set()
    for index, data in enumerate(doc.data["editions"]):
        if index not in named:
            message = "请写“提交”（commit）或“标签”（tag）中的一个，不能都写或都不写"
            problems.append(problem_at(doc, ("editions", index), "edition-source", message))
        if data["name"] in seen:
            message = f"版本网址名 {data['name']} 重复"
            problems.append(
                problem_at(doc, ("editions", index, "name"), "duplicate-value", message)
            )
        seen.add(data["name"])
    return problems


def _edition(data: Mapping[str, Any], sha: str, date: str) -> EditionRef:
    return EditionRef(
        name=str(data["name"]),
        tag=str(data.get("tag") or ""),
        sha=sha,
        date=date,
        title=str(data["title"]),
        document_number=data.get("document_number"),
        approved=data.get("approved"),
        published=data.get("published"),
        note=data.get("note"),
        sample=bool(data.get("sample", False)),
    )


def note_hints(commits: Iterable[Commit], ignored: frozenset[str]) -> list[Problem]:
    """A warning for each editorial commit whose message seems to hold a public note that
    git does not read as a ``Change-Note:`` trailer (so the site would not show it)."""
    problems = []
    for commit in commits:
        if commit.notes or commit.sha in ignored:
            continue
        lines = [commit.subject, *commit.body.splitlines()]
        hit = next((line.strip() for line in lines if _NOTE_LIKE.match(line)), None)
        if hit:
            message = (
                f"提交说明中的“{hit[:30]}”不会显示在网站上：公开变更说明要写在提交说明最后一段，"
                f"格式为“{NOTE_KEY}: 说明文字”（英文冒号）"
            )
            problems.append(Problem(f"git:{commit.short}", 0, 0, "note-not-trailer", "", message))
    return problems
