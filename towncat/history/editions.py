"""Published editions frozen as browsable snapshots: declared in ``content/editions.yaml``
(see ``publication.py``) or tagged ``edition/2024`` in git.

Each edition is read from its own tree (one ``git ls-tree`` and the blobs it
names), so the cost grows with the number of editions, never with the number
of commits. Changes between consecutive editions are semantic diffs by item id.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content.files import find_town_folders, link_problem
from ..content.loader import parse_mapping
from .changes import LIST_KINDS, ItemDiff, TownVersion, build_version, diff_versions
from .gitlog import BlobReader, GitError, Runner, read_tags, run_git

EDITIONS = "editions/"
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class EditionRef:
    name: str  # URL name: the tag without its prefix, e.g. "2024"
    tag: str  # "" for an edition declared by commit in content/editions.yaml
    sha: str
    date: str  # commit date of the edition's commit
    title: str = ""  # how it is cited; the name when not declared
    document_number: str | None = None
    approved: str | None = None
    published: str | None = None  # the declared publication date (YYYY-MM-DD)
    note: str | None = None
    sample: bool = False
    content_sha: str = ""  # the last commit at or before ``sha`` that changed content/

    @property
    def cited_date(self) -> str:
        """The date a citation gives: the declared publication date, else the commit's."""
        return self.published or self.date[:10]

    @property
    def label(self) -> str:
        """The edition as a citation names it."""
        return (self.title or self.name) + ("（示例）" if self.sample else "")

    @property
    def prefix(self) -> str:
        return f"{EDITIONS}{self.name}/"


def find_editions(
    root: Path, pattern: str, run: Runner = run_git
) -> tuple[list[EditionRef], list[str]]:
    """Editions from tags matching ``pattern``, oldest first, and warnings for bad names."""
    try:
        tags = read_tags(root, pattern, run)
    except (GitError, FileNotFoundError):
        return [], []
    editions, warnings = [], []
    stem = pattern.split("*")[0]
    for tag, sha, date in tags:
        name = tag.removeprefix(stem).lower()
        if _NAME.match(name):
            editions.append(EditionRef(name, tag, sha, date))
        else:
            warnings.append(
                f"版本标签 {tag} 的名称不能用作网址（只能用小写字母、数字和连字符），已跳过"
            )
    return editions, warnings


def read_tree(root: Path, sha: str, content_dir: str, run: Runner = run_git) -> dict[str, str]:
    """{path: blob id} of every file under ``content_dir`` at commit ``sha``."""
    raw = run(["ls-tree", "-r", "-z", sha, "--", content_dir], root)  # paths relative to root
    tree = {}
    for entry in raw.split("\0"):
        if entry:
            meta, path = entry.split("\t", 1)
            mode, kind, blob = meta.split()
            if kind == "blob" and mode in ("100644", "100755"):  # no symbolic links
                tree[path] = blob
    return tree


def materialize(root: Path, tree: Mapping[str, str], target: Path) -> None:
    """Write the files of ``tree`` under ``target`` (a temporary folder)."""
    with BlobReader(root) as reader:
        for path, blob in sorted(tree.items()):
            destination = target / path
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(reader.read(blob))


def versions_at(
    root: Path, rev: str, content_dir: str, run: Runner = run_git
) -> dict[str, TownVersion]:
    """Every town at revision ``rev``, by NBS code, read straight from git's objects."""
    sha = run(["rev-parse", "--verify", f"{rev}^{{commit}}"], root).strip()
    tree = read_tree(root, sha, content_dir, run)
    files: dict[str, dict[str, Any]] = {}
    with BlobReader(root) as reader:
        for path, blob in sorted(tree.items()):
            parts = path.split("/")
            if len(parts) == 4 and parts[1] == "towns" and parts[3].endswith(".yaml"):
                files.setdefault(parts[2], {})[parts[3][:-5]] = parse_mapping(
                    reader.read(blob), path
                )
    return _versions(files)


def _versions(files: Mapping[str, Mapping[str, Any]]) -> dict[str, TownVersion]:
    versions = {}
    for slug, parsed in sorted(files.items()):
        facts = parsed.get("town")
        if isinstance(facts, dict) and isinstance(facts.get("code"), str):
            lists = {k: v for k, v in parsed.items() if k in LIST_KINDS and isinstance(v, dict)}
            versions[facts["code"]] = build_version(facts["code"], slug, facts, lists)
    return versions


def versions_of(folder: Path, content_dir: str) -> dict[str, TownVersion]:
    """Every town of a content folder as a version, by NBS code (for edition diffs)."""
    """Every town of a content folder on disk, by NBS code."""
    content = folder / content_dir
    files = {
        town_dir.name: {
            kind: parse_mapping(path.read_bytes(), str(path))
            for kind in ("town", *LIST_KINDS)
            if (path := town_dir / f"{kind}.yaml").is_file()
            and link_problem(path, content, "") is None
        }
        for town_dir in find_town_folders(content)
    }
    return _versions(files)


def diff_editions(
    old: Mapping[str, TownVersion], new: Mapping[str, TownVersion]
) -> list[tuple[TownVersion, list[ItemDiff]]]:
    """Per town (in code order), what changed from one edition to the next."""
    result = []
    for code in sorted(set(old) | set(new)):
        diffs = diff_versions(old.get(code), new.get(code))
        if diffs:
            result.append((new.get(code) or old[code], diffs))
    return result
