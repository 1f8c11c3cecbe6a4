"""Reading git: one ``git log`` for the history of ``content/``, one ``cat-file`` for blobs.

The runner is injectable so tests can feed recorded output; everything else in
the history stages is pure. Git errors are reported, never swallowed.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

Runner = Callable[[list[str], Path], str]
NOTE_KEY = "Change-Note"  # the trailer an editor writes the public note in (ASCII: git's rule)
# The message body comes last: it is the only field that may hold a line break.
LOG_FORMAT = (
    f"%x1e%H%x1f%P%x1f%cI%x1f%an%x1f%s%x1f"
    f"%(trailers:key={NOTE_KEY},valueonly,unfold,separator=%x1d)%x1f%b"
)
ZERO = "0" * 40


class GitError(Exception):
    """A git command failed; the message says which and what git printed."""


def run_git(args: list[str], cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise GitError(f"git {' '.join(args[:2])} 失败：{message}")
    return done.stdout.decode("utf-8", "surrogateescape")


@dataclass(frozen=True)
class FileChange:
    path: str
    blob: str | None  # None when the file was deleted


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    date: str  # committer date, ISO 8601 with offset
    author: str
    subject: str
    files: tuple[FileChange, ...]
    notes: tuple[str, ...] = ()  # the public change notes: ``Change-Note:`` trailers, by git
    body: str = ""  # the message after the subject, for ``check``'s hints only

    @property
    def short(self) -> str:
        return self.sha[:7]


@dataclass(frozen=True)
class RepoStatus:
    """What git can tell about the working tree; ``None`` fields when not in git."""

    in_git: bool
    shallow: bool = False
    head: str | None = None
    dirty: bool = False  # uncommitted changes under content/
    empty: bool = False  # a repository without commits


def parse_git_log(raw: str) -> list[Commit]:
    """Commits from ``git log -z --raw --format=LOG_FORMAT`` output, in the order given."""
    commits = []
    for record in raw.split("\x1e")[1:]:
        header, _, body = record.partition("\0")
        sha, parents, date, author, subject, trailers, message = header.split("\x1f", 6)
        fields = body.lstrip("\n").split("\0")
        files = []
        for meta, path in zip(fields[0::2], fields[1::2], strict=False):
            if not meta.startswith(":"):
                continue
            new_blob = meta.split()[3]
            files.append(FileChange(path, None if new_blob == ZERO else new_blob))
        notes = tuple(n for n in (" ".join(t.split()) for t in trailers.split("\x1d")) if n)
        commits.append(
            Commit(
                sha,
                tuple(parents.split()),
                date,
                author,
                subject,
                tuple(files),
                notes,
                message.rstrip("\n"),
            )
        )
    return commits


def read_history(root: Path, content_dir: str, run: Runner = run_git) -> list[Commit]:
    """First-parent history of ``content_dir``, oldest first, with each commit's file blobs."""
    raw = run(
        [
            "log",
            "--first-parent",
            "--diff-merges=first-parent",
            "-z",
            "--raw",
            "--relative",
            "--no-renames",
            "--no-abbrev",
            "--reverse",
            f"--format={LOG_FORMAT}",
            "--",
            content_dir,
        ],
        root,
    )
    return parse_git_log(raw)


def read_status(root: Path, content_dir: str, run: Runner = run_git) -> RepoStatus:
    try:
        inside = run(["rev-parse", "--is-inside-work-tree"], root).strip() == "true"
    except (GitError, FileNotFoundError):
        return RepoStatus(in_git=False)
    if not inside:
        return RepoStatus(in_git=False)
    try:
        head = run(["rev-parse", "--verify", "-q", "HEAD"], root).strip()
    except GitError:
        return RepoStatus(in_git=True, empty=True)
    shallow = run(["rev-parse", "--is-shallow-repository"], root).strip() == "true"
    dirty = bool(run(["status", "--porcelain", "--", content_dir], root).strip())
    return RepoStatus(in_git=True, shallow=shallow, head=head, dirty=dirty)


def read_tags(root: Path, pattern: str, run: Runner = run_git) -> list[tuple[str, str, str]]:
    """(tag, commit sha, commit date) for tags matching ``pattern``, oldest commit first."""
    raw = run(
        [
            "for-each-ref",
            f"refs/tags/{pattern}",
            "--format=%(refname:strip=2)%1f%(objectname)%1f%(*objectname)",
        ],
        root,
    )
    tags = []
    for line in raw.splitlines():
        name, sha, peeled = line.split("\x1f")
        tags.append((name, peeled or sha))  # annotated tags peel to their commit
    if not tags:
        return []
    dates = run(["show", "-s", "--format=%H %cI", *[sha for _, sha in tags]], root).split()
    by_sha = dict(zip(dates[0::2], dates[1::2], strict=True))
    return sorted(((n, s, by_sha[s]) for n, s in tags), key=lambda t: (t[2], t[0]))


class BlobReader:
    """One ``git cat-file --batch`` process serving every blob read of a build."""

    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen(
            ["git", "cat-file", "--batch"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def read(self, sha: str) -> bytes:
        stdin: IO[bytes] = self.process.stdin  # type: ignore[assignment]
        stdout: IO[bytes] = self.process.stdout  # type: ignore[assignment]
        stdin.write(sha.encode() + b"\n")
        stdin.flush()
        header = stdout.readline().split()
        if len(header) < 3 or header[1] != b"blob":
            raise GitError(f"git cat-file 找不到对象 {sha}")
        data = stdout.read(int(header[2]))
        stdout.read(1)  # the newline after the content
        return data

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait()

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
