"""Change histories from git in one pass: per item, per town and site-wide.

``read_site_history`` runs one ``git log`` over ``content/``, replays the
first-parent commits oldest first, parses each historical blob once (through
the same strict loader as current content; parsed blobs and per-commit changes
are cached on disk by their immutable ids) and diffs each changed town by item
id. Towns are followed by NBS code, so a renamed folder keeps its history.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from ..content.loader import parse_mapping
from ..content.memory import collector_paused
from .changes import LIST_KINDS, TOWN_ITEM, ItemDiff, TownVersion, build_version, diff_versions
from .editions import EditionRef
from .gitlog import BlobReader, Commit, GitError, RepoStatus, read_history, read_status
from .publication import Publication


def _code_fingerprint() -> str:
    """Changes to the code that produces cached data invalidate the cache by themselves."""
    digest = hashlib.sha1(usedforsecurity=False)
    package = Path(__file__).parent.parent
    for name in (
        "history/changes.py",
        "history/replay.py",
        "content/loader.py",
        "history/gitlog.py",
    ):
        digest.update((package / name).read_bytes())
    return digest.hexdigest()


CACHE_VERSION = _code_fingerprint()
TOWN_FILES = ("town", *LIST_KINDS)


@dataclass(frozen=True)
class Change:
    """One item's change in one commit."""

    sha: str
    date: str  # committer date, ISO 8601 with offset
    note: str | None  # the public change note (``Change-Note:`` trailers); never the subject
    town_code: str
    town_name: str
    diff: ItemDiff
    restored: bool = False
    edition: str | None = None  # the edition that first published this, when it did

    @property
    def major(self) -> bool:
        """A change with a public note is major (GOV.UK's rule); else the diff decides."""
        return self.note is not None or self.diff.major

    @property
    def short(self) -> str:
        return self.sha[:7]


@dataclass(frozen=True)
class History:
    status: RepoStatus
    changes: tuple[Change, ...] = ()  # oldest first
    warnings: tuple[str, ...] = ()
    by_item: Mapping[tuple[str, str], tuple[Change, ...]] = field(default_factory=dict)
    by_town: Mapping[str, tuple[Change, ...]] = field(default_factory=dict)
    complete_from: str | None = None  # a shallow clone: the date its record starts from
    order: Mapping[str, int] = field(default_factory=dict)  # content commit -> its position
    editions: tuple[EditionRef, ...] = ()  # the editions on the replayed line, oldest first

    def position(self, change: Change) -> int:
        return self.order.get(change.sha, -1)

    def editions_of(self, town_code: str, item_id: str) -> dict[str, str]:
        """{edition name: the list kind the item was in} for each edition that holds it."""
        changes = self.item(town_code, item_id)
        found = {}
        for edition in self.editions:
            at = self.order[edition.content_sha]
            before = [c for c in changes if self.position(c) <= at]
            if before and before[-1].diff.action != "removed":
                found[edition.name] = before[-1].diff.kind
        return found

    def changed_since(self, town_code: str, edition: EditionRef, item_id: str | None) -> bool:
        """Whether the item (or, with None, the town) changed after ``edition``."""
        at = self.order[edition.content_sha]
        changes = self.town(town_code) if item_id is None else self.item(town_code, item_id)
        return any(self.position(c) > at for c in changes)

    @property
    def complete(self) -> bool:
        """True when the dates can be trusted: a full clone with content committed."""
        return self.status.in_git and not self.status.shallow and not self.status.empty

    def item(self, town_code: str, item_id: str) -> tuple[Change, ...]:
        return self.by_item.get((town_code, item_id), ())

    def town(self, town_code: str) -> tuple[Change, ...]:
        return self.by_town.get(town_code, ())


def index_changes(status: RepoStatus, changes: list[Change], warnings: list[str]) -> History:
    by_item: dict[tuple[str, str], list[Change]] = {}
    by_town: dict[str, list[Change]] = {}
    for change in changes:
        by_town.setdefault(change.town_code, []).append(change)
        if change.diff.kind != TOWN_ITEM:
            by_item.setdefault((change.town_code, change.diff.item_id), []).append(change)
    return History(
        status,
        tuple(changes),
        tuple(warnings),
        {k: tuple(v) for k, v in by_item.items()},
        {k: tuple(v) for k, v in by_town.items()},
    )


def _town_of(path: str, content_dir: str) -> tuple[str, str] | None:
    """(slug, file kind) for ``content/towns/<slug>/<kind>.yaml`` paths, else None."""
    parts = PurePosixPath(path).relative_to(content_dir).parts
    if len(parts) != 3 or parts[0] != "towns" or not parts[2].endswith(".yaml"):
        return None
    kind = parts[2].removesuffix(".yaml")
    return (parts[1], kind) if kind in TOWN_FILES else None


class _Versions:
    """Each town's current version, by code. Versions restored from the cache stay pickled
    until a commit needs them (resuming for one commit unpickles only the towns it
    touched), and an untouched version is saved again as the bytes it was read from."""

    def __init__(self) -> None:
        self.loaded: dict[str, TownVersion] = {}
        self.packed: dict[str, bytes] = {}

    def get(self, code: str) -> TownVersion | None:
        if code not in self.loaded and code in self.packed:
            self.loaded[code] = pickle.loads(self.packed[code])
        return self.loaded.get(code)

    def set(self, code: str, version: TownVersion) -> None:
        self.loaded[code] = version
        self.packed.pop(code, None)

    def pop(self, code: str) -> None:
        self.loaded.pop(code, None)
        self.packed.pop(code, None)

    def items(self) -> list[tuple[str, TownVersion]]:
        """Every version, in code order (all of them unpickled)."""
        codes = sorted({*self.loaded, *self.packed})
        return [(code, version) for code in codes if (version := self.get(code)) is not None]

    def pack(self) -> dict[str, bytes]:
        packed = dict(self.packed)
        for code, version in self.loaded.items():
            packed.setdefault(code, pickle.dumps(version, protocol=pickle.HIGHEST_PROTOCOL))
        return packed

    @classmethod
    def unpack(cls, packed: dict[str, bytes]) -> _Versions:
        versions = cls()
        versions.packed = dict(packed)
        return versions


class _Replay:
    """State while replaying commits: the current blob of each town file, parsed blobs.

    A town enters the public record at its first editorial commit or at the first edition
    that contains it; until then (while only ignored revisions touched it) it is built up
    silently. Ignored revisions change a published town silently too."""

    def __init__(self, reader: BlobReader | None, parsed: dict[str, Any]) -> None:
        self.reader = reader
        self.parsed = parsed  # blob id -> parsed data, or None when it did not parse
        self.files: dict[str, dict[str, str]] = {}  # slug -> kind -> blob
        self.versions = _Versions()  # code -> version
        self.code_of_slug: dict[str, str] = {}
        self.warnings: list[str] = []
        self.seen: set[tuple[str, str]] = set()  # (code, id) that ever existed
        self.public: set[str] = set()  # codes of the towns on the public record

    def save(self) -> dict[str, Any]:
        """The state after the last commit replayed, to resume from (parsed blobs aside)."""
        names = ("files", "code_of_slug", "seen", "public")
        return {"versions": self.versions.pack()} | {name: getattr(self, name) for name in names}

    def restore(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            setattr(self, name, _Versions.unpack(value) if name == "versions" else value)

    def parse(self, blob: str, path: str, commit: Commit) -> Any:
        if blob not in self.parsed:
            assert self.reader is not None
            self.parsed[blob] = parse_mapping(self.reader.read(blob), path)
        if self.parsed[blob] is None:
            self.warnings.append(
                f"提交 {commit.short}（{commit.subject}）中的 {path} 无法解析，已跳过这一版本"
            )
        return self.parsed[blob]

    def version(self, slug: str, commit: Commit, content_dir: str) -> TownVersion | None:
        files = self.files.get(slug, {})
        if "town" not in files:
            return None
        facts = self.parse(files["town"], f"{content_dir}/towns/{slug}/town.yaml", commit)
        if not isinstance(facts, dict) or not isinstance(facts.get("code"), str):
            return None
        lists = {}
        for kind in LIST_KINDS:
            if kind in files:
                data = self.parse(files[kind], f"{content_dir}/towns/{slug}/{kind}.yaml", commit)
                if data is None:  # keep the last version that parsed
                    old = self.versions.get(facts["code"])
                    lists[kind] = _lists_of(old, kind)
                else:
                    lists[kind] = data
        return build_version(facts["code"], slug, facts, lists)

    def apply(
        self,
        commit: Commit,
        content_dir: str,
        ignored: bool = False,
        edition: EditionRef | None = None,
        baseline: bool = False,
    ) -> list[Change]:
        """The changes ``commit`` makes to the public record. An ``ignored`` commit's are
        taken in silently; a ``baseline`` commit (the oldest of a shallow clone, whose past
        is unknown) puts its towns on the record as they are, with no dates of adding."""
        touched: set[str] = set()
        for change in commit.files:
            where = _town_of(change.path, content_dir)
            if where is None:
                continue
            slug, kind = where
            touched.add(slug)
            if change.blob is None:
                self.files.get(slug, {}).pop(kind, None)
            else:
                self.files.setdefault(slug, {})[kind] = change.blob
        new_versions: dict[str, TownVersion | None] = {}
        for slug in sorted(touched):
            town_blob = self.files.get(slug, {}).get("town")
            path = f"{content_dir}/towns/{slug}/town.yaml"
            if town_blob is not None and self.parse(town_blob, path, commit) is None:
                continue  # an unparseable town.yaml: keep the last good version of the town
            old_code = self.code_of_slug.pop(slug, None)
            if old_code is not None:
                new_versions.setdefault(old_code, None)
            version = self.version(slug, commit, content_dir)
            if version is not None:
                new_versions[version.code] = version
                self.code_of_slug[slug] = version.code
        note = "；".join(commit.notes) or None
        changes = self._diff(commit, new_versions, note, ignored or baseline)
        if baseline:
            self.public.update(code for code, v in new_versions.items() if v is not None)
        if edition is not None:
            changes += self._publish(commit, edition)
        return changes

    def _diff(
        self,
        commit: Commit,
        new_versions: dict[str, TownVersion | None],
        note: str | None,
        ignored: bool,
    ) -> list[Change]:
        changes = []
        for code, new in sorted(new_versions.items()):
            public = code in self.public
            old = self.versions.get(code) if public else None
            if ignored:  # taken in silently, not compared; what it adds counts for "restored"
                if public and new is not None:
                    self.seen.update((code, item_id) for item_id in new.items)
                diffs: list[ItemDiff] = []
            else:
                diffs = diff_versions(old, new)
            for diff in diffs:
                restored = diff.action == "added" and (code, diff.item_id) in self.seen
                self.seen.add((code, diff.item_id))
                name = (new or old).name if (new or old) else code  # type: ignore[union-attr]
                changes.append(Change(commit.sha, commit.date, note, code, name, diff, restored))
            if new is None:
                self.versions.pop(code)
                self.public.discard(code)
            else:
                self.versions.set(code, new)
                if not ignored:
                    self.public.add(code)
        return changes

    def _publish(self, commit: Commit, edition: EditionRef) -> list[Change]:
        """Every town not yet on the record enters it with the edition that published it."""
        changes = []
        note = edition.note or f"随{edition.label}发布"
        for code, version in self.versions.items():
            if code in self.public:
                continue
            self.public.add(code)
            for diff in diff_versions(None, version):
                self.seen.add((code, diff.item_id))
                changes.append(
                    Change(
                        commit.sha,
                        edition.date,
                        note,
                        code,
                        version.name,
                        diff,
                        False,
                        edition.label,
                    )
                )
        return changes


def _lists_of(version: TownVersion | None, kind: str) -> dict[str, Any]:
    if version is None:
        return {}
    return {kind: [data for k, data in version.items.values() if k == kind]}


def _load_cache(path: Path, warnings: list[str]) -> dict[str, Any]:
    """A cache file's mapping; a missing, foreign or corrupt file gives an empty one."""
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            version, data = pickle.load(handle)
        if version == CACHE_VERSION and isinstance(data, dict):
            return data
    except Exception:  # a corrupt cache is rebuilt, never trusted
        warnings.append(f"历史缓存 {path} 已损坏，已重新生成")
    return {}


def _save_cache(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as handle:
        pickle.dump((CACHE_VERSION, data), handle, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(path)


def read_site_history(
    root: Path,
    content_dir: str,
    cache_dir: Path | None,
    publication: Publication | None = None,
) -> History:
    """The history of ``content_dir``; never raises for a missing or odd repository. What
    it loads lives as long as the build, so it is kept out of the cycle collector's scans."""
    with collector_paused(keep=True):
        return _read_site_history(root, content_dir, cache_dir, publication or Publication())


def _read_site_history(
    root: Path, content_dir: str, cache_dir: Path | None, publication: Publication
) -> History:
    status = read_status(root, content_dir)
    warnings: list[str] = []
    if not status.in_git:
        return History(status, warnings=("不在 git 仓库中：无法生成变更记录，页面不显示日期",))
    if status.empty:
        return History(status, warnings=("git 仓库还没有提交：无法生成变更记录",))
    if status.shallow:
        warnings.append(
            "这是浅克隆（shallow clone）：变更记录不完整，页面将注明“历史不完整”；"
            "请使用完整历史（如 CI 中 fetch-depth: 0）"
        )
    if status.dirty:
        warnings.append("content/ 中有未提交的修改：这些修改不会出现在变更记录中")
    try:
        commits = read_history(root, content_dir)
    except GitError as err:
        return History(status, warnings=(*warnings, str(err)))
    changes = _changes(root, commits, content_dir, cache_dir, publication, status.shallow, warnings)
    start = commits[0].date if status.shallow and commits else None
    order = {c.sha: i for i, c in enumerate(commits)}
    editions = tuple(e for e in publication.editions if e.content_sha in order)
    history = index_changes(status, changes, warnings)
    return replace(history, complete_from=start, order=order, editions=editions)


def _changes(
    root: Path,
    commits: list[Commit],
    content_dir: str,
    cache_dir: Path | None,
    publication: Publication,
    shallow: bool,
    warnings: list[str],
) -> list[Change]:
    """Every commit's changes: from the cache of per-commit changes when it has them all
    (no blob is read, nothing is written), else by replaying with the parsed-blob cache."""
    keys = _chain_keys(commits, publication, shallow)
    by_commit = _load_cache(cache_dir / "history.pickle", warnings) if cache_dir else {}
    done = 0  # the commits whose changes are cached, from the oldest
    while done < len(keys) and keys[done] in by_commit:
        done += 1
    if done == len(keys):
        return _cached(by_commit, keys, warnings)
    # New commits on top of a replayed line resume from the state it ended in: only they
    # are read. Anything else (a rewritten line, a new edition) replays from the start.
    state = _load_cache(cache_dir / "history-state.pickle", warnings) if cache_dir and done else {}
    if done and state.get("key") == keys[done - 1]:
        changes = _cached(by_commit, keys[:done], warnings)
        replay = _Replay(None, {})
        replay.restore(state["replay"])
        changes += _replay(
            root, commits[done:], keys[done:], content_dir, replay, by_commit, publication, False
        )
    else:
        parsed = _load_cache(cache_dir / "history-blobs.pickle", warnings) if cache_dir else {}
        replay = _Replay(None, parsed)
        changes = _replay(root, commits, keys, content_dir, replay, by_commit, publication, shallow)
        if cache_dir:
            _save_cache(cache_dir / "history-blobs.pickle", parsed)
    warnings += replay.warnings
    if cache_dir:
        _save_cache(cache_dir / "history.pickle", by_commit)
        _save_cache(cache_dir / "history-state.pickle", {"key": keys[-1], "replay": replay.save()})
    return changes


def _cached(by_commit: dict[str, bytes], keys: list[str], warnings: list[str]) -> list[Change]:
    changes: list[Change] = []
    for key in keys:
        found, found_warnings = pickle.loads(by_commit[key])
        changes += found
        warnings += found_warnings
    return changes


def _chain_keys(commits: list[Commit], publication: Publication, shallow: bool) -> list[str]:
    """A key per commit that names it and every commit before it (its replay state), and
    whether each was ignored or published an edition."""
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(b"shallow" if shallow else b"full")
    editions = publication.edition_at()
    keys = []
    for commit in commits:
        digest.update(commit.sha.encode())
        if commit.sha in publication.ignored:
            digest.update(b"\0ignored")
        if edition := editions.get(commit.sha):
            digest.update(f"\0{edition.label}\0{edition.note}".encode())
        keys.append(digest.hexdigest())
    return keys


def _replay(
    root: Path,
    commits: list[Commit],
    keys: list[str],
    content_dir: str,
    replay: _Replay,
    by_commit: dict[str, bytes],
    publication: Publication,
    shallow: bool,
) -> list[Change]:
    """Replay ``commits`` oldest first from the state ``replay`` is in, recording each one's
    changes in ``by_commit``; ``shallow``: the first is the cut-off start of the line."""
    changes: list[Change] = []
    editions = publication.edition_at()
    with BlobReader(root) as reader:
        replay.reader = reader
        for commit, key in zip(commits, keys, strict=True):
            before = len(replay.warnings)
            ignored = commit.sha in publication.ignored
            baseline = shallow and commit is commits[0]
            found = replay.apply(commit, content_dir, ignored, editions.get(commit.sha), baseline)
            entry = (found, replay.warnings[before:])
            by_commit[key] = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
            changes += found
        replay.reader = None
    return changes
