#!/usr/bin/env python3
"""How fast is the git-history extraction (``towncat.history.replay.read_site_history``)?

    python3 bench/bench_history.py                 # 500 commits, city scale, 3 runs each
    python3 bench/bench_history.py --repeat 5 --json /tmp/history.json
    python3 bench/bench_history.py --regenerate    # rebuild the repository first

1. Builds (or reuses, cached under /tmp/towncat-bench-history/) a git repository
   whose ``content/`` has a history of ``--commits`` (500) commits over the
   city-scale synthetic catalogue of ``bench/synthetic.py``: the first commit adds
   the whole catalogue, every later one makes one realistic edit chosen by a
   seeded RNG (承办机构, 名称 or 依据条款 of a few items in one town, an item added,
   removed or restored, phones and keywords, a law's articles renumbered across
   several towns of a county, service-centre hours of a county, a few
   whitespace-only commits). Fixed authors and dates, written with one
   ``git fast-import`` and repacked like a clone, so the repository is
   byte-for-byte the same on every machine (the HEAD sha is printed). A branch
   ``plus1`` holds one more edit; a clone of it checked out on that branch is
   the "one new commit on top" case.
2. Times, each run in a fresh Python process, alternating the contenders:
   * floor  - one ``git log --raw --no-abbrev --first-parent -- content``, every
     new blob id fed to ONE ``git cat-file --batch``, each blob parsed with
     ``yaml.load(text, Loader=yaml.CSafeLoader)`` and kept;
   * cold   - ``read_site_history(repo, "content", <new empty cache dir>)``;
   * warm   - the same with the cache the cold run of this round wrote;
   * warm+1 - the clone with one more commit, with a copy of that 500-commit cache.
   Wall time is taken inside the child around the call (interpreter start-up and
   imports excluded); CPU time is the child's plus its git children's; peak RSS is
   the child's ``ru_maxrss``. The towncat runs wrap the history functions with
   timers (and a ``gc.callbacks`` hook), so a phase table shows where time goes.
3. If cold is above 1.5x the floor by wall or CPU time (or with ``--profile``), a cold run
   under cProfile: the top 25 functions of towncat/ by cumulative time.

Nothing is written inside the repository under test (git there is only read,
without optional locks).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import hashlib
import inspect
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(REPO))

import synthetic  # noqa: E402

CACHE = Path("/tmp/towncat-bench-history")
CONTENT = "content"
EMAIL = "editor@example.test"
COLD_AIM, WARM_AIM = 1.5, 0.05  # issue 18: one new commit on a warm cache < 5 % of the floor

# ---------------------------------------------------------------------------
# git with no user or system configuration (hooks, autocrlf, signing ...)
# ---------------------------------------------------------------------------


def git_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY")
    }
    env.update(
        {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_TERMINAL_PROMPT": "0"}
    )
    return env


def git(cwd: Path, *args: str, stdin: bytes | None = None) -> str:
    done = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "gc.auto=0", *args],
        cwd=cwd,
        env=git_env(),
        input=stdin,
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {done.stderr.decode(errors='replace')}")
    return done.stdout.decode("utf-8", "replace")


# ---------------------------------------------------------------------------
# The edit history (everything that decides the repository's bytes lives in
# EditHistory and build_repository; their source is part of the cache key)
# ---------------------------------------------------------------------------


class EditHistory:
    """Seeded, text-level edits of a synthetic catalogue held in memory (path -> text)."""

    ITEM = re.compile(r"^  - id: (\S+)\n", re.M)
    PHONE = re.compile(r'^( +)(phone|consult|complaint): "0533-0000(\d{3})"$', re.M)
    AUTHORS = ("张编辑", "李编辑", "王编辑", "赵审核", "刘编辑")
    START = dt.datetime(2023, 3, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    KINDS = (  # (edit, weight): about 3 % whitespace-only, 8 % touching several towns
        ("office", 16),
        ("name", 10),
        ("article", 14),
        ("minor", 12),
        ("add", 10),
        ("remove", 8),
        ("restore", 3),
        ("town", 8),
        ("combo", 6),
        ("law_county", 5),
        ("hours_county", 2),
        ("act_number", 1),
        ("whitespace", 3),
    )
    NAME_EDITS = (
        ("的行政处罚", "行为的行政处罚"),
        ("的行政检查", "情况的行政检查"),
        ("和", "及"),
        ("、", "和"),
        ("管理", "监督管理"),
        ("工作", "相关工作"),
    )
    HOURS = (
        "周一至周五 8:30-12:00，13:30-17:30",
        "周一至周五 9:00-17:00",
        "工作日 8:30-17:30（夏季 8:30-18:00）",
        "周一至周六 8:30-17:00",
    )

    def __init__(self, files: dict[str, str], seed: int) -> None:
        self.files = files
        self.rng = random.Random(f"towncat-bench-history:{seed}")
        self.when = self.START
        self.removed: list[tuple[str, str, str]] = []  # (path, item id, block text)
        self.slugs = sorted({p.split("/")[2] for p in files if p.startswith("content/towns/")})
        self.town: dict[str, dict[str, Any]] = {}
        for slug in self.slugs:
            facts = files[self.path(slug, "town")]
            offices = self.ITEM.findall(files[self.path(slug, "institutions")])
            body = re.search(
                r"^    implementing_body: (.*)$", files[self.path(slug, "powers")], re.M
            )
            self.town[slug] = {
                "name": re.search(r"^name: (.*)$", facts, re.M).group(1),  # type: ignore[union-attr]
                "county": re.search(r"^county: (.*)$", facts, re.M).group(1),  # type: ignore[union-attr]
                "offices": offices,
                "body": body.group(1) if body else None,
            }

    # -- helpers --------------------------------------------------------------------------

    @staticmethod
    def path(slug: str, kind: str) -> str:
        return f"{CONTENT}/towns/{slug}/{kind}.yaml"

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, id) of each top-level list item; a block ends where the next starts."""
        found = [(m.start(), m.group(1)) for m in self.ITEM.finditer(text)]
        return [
            (start, found[i + 1][0] if i + 1 < len(found) else len(text), item)
            for i, (start, item) in enumerate(found)
        ]

    def pick_blocks(
        self, path: str, count: int, must: str | None = None
    ) -> list[tuple[int, int, str]]:
        text = self.files[path]
        spans = [
            s for s in self.spans(text) if must is None or re.search(must, text[s[0] : s[1]], re.M)
        ]
        return self.rng.sample(spans, min(count, len(spans)))

    def rewrite_blocks(self, path: str, picks: list[tuple[int, int, str]], edit: Any) -> int:
        """Apply ``edit(block) -> block`` to the picked blocks; return how many changed."""
        text = self.files[path]
        changed = 0
        for start, end, _ in sorted(picks, reverse=True):
            old = text[start:end]
            new = edit(old)
            if new != old:
                text = text[:start] + new + text[end:]
                changed += 1
        self.files[path] = text
        return changed

    @staticmethod
    def scalar(raw: str) -> str:
        return json.loads(raw) if raw.startswith('"') else raw

    def random_town(self) -> str:
        return self.rng.choice(self.slugs)

    def county_towns(self, slug: str, low: int, high: int) -> list[str]:
        county = self.town[slug]["county"]
        same = [s for s in self.slugs if self.town[s]["county"] == county]
        return sorted(self.rng.sample(same, min(len(same), self.rng.randint(low, high))))

    # -- edits: each returns (subject, changed paths) ----------------------------------------

    def e_office(self, slug: str) -> tuple[str, list[str]]:
        kind = self.rng.choice(("powers", "powers", "duties"))
        field = "handling_office" if kind == "powers" else "lead_office"
        path = self.path(slug, kind)
        target = self.rng.choice(self.town[slug]["offices"][:12])
        picks = self.pick_blocks(path, self.rng.randint(1, 4), rf"^    {field}: (?!{target}$)")
        n = self.rewrite_blocks(
            path,
            picks,
            lambda b: re.sub(
                rf"^    {field}: .*$", f"    {field}: {target}", b, count=1, flags=re.M
            ),
        )
        label = "赋权事项" if kind == "powers" else "职责任务"
        return f"{self.town[slug]['name']}：调整{n}项{label}的承办机构为 {target}", [path]

    def e_name(self, slug: str) -> tuple[str, list[str]]:
        kind = self.rng.choice(("powers", "duties"))
        path = self.path(slug, kind)

        def rename(block: str) -> str:
            line = re.search(r"^    name: (.*)$", block, re.M)
            assert line is not None
            name = self.scalar(line.group(1))
            for old, new in self.rng.sample(self.NAME_EDITS, len(self.NAME_EDITS)):
                if old in name and new not in name:
                    name = name.replace(old, new, 1)
                    break
            else:
                name = (
                    name.removesuffix("（试行）")
                    if name.endswith("（试行）")
                    else name + "（试行）"
                )
            return block[: line.start()] + f"    name: {synthetic.s(name)}" + block[line.end() :]

        n = self.rewrite_blocks(path, self.pick_blocks(path, self.rng.randint(1, 3)), rename)
        return f"{self.town[slug]['name']}：规范{n}项事项名称", [path]

    def new_article(self, old: str) -> str:
        while True:
            article = synthetic._article(self.rng)
            if article != old:
                return article

    def e_article(self, slug: str) -> tuple[str, list[str]]:
        kind = self.rng.choice(("powers", "powers", "duties"))
        path = self.path(slug, kind)

        def renumber(block: str) -> str:
            lines = list(re.finditer(r"^        article: (.*)$", block, re.M))
            line = self.rng.choice(lines)
            new = self.new_article(self.scalar(line.group(1)))
            return block[: line.start()] + f"        article: {new}" + block[line.end() :]

        picks = self.pick_blocks(path, self.rng.randint(1, 3), r"^        article: ")
        n = self.rewrite_blocks(path, picks, renumber)
        return f"{self.town[slug]['name']}：更正{n}项事项的设定依据条款", [path]

    def e_minor(self, slug: str) -> tuple[str, list[str]]:
        kind = self.rng.choice(("powers", "duties"))
        path = self.path(slug, kind)
        if self.rng.random() < 0.6:

            def phone(block: str) -> str:
                line = self.rng.choice(list(self.PHONE.finditer(block)))
                number = f"0533-0000{self.rng.randrange(1000):03d}"
                return (
                    block[: line.start()]
                    + f"{line.group(1)}{line.group(2)}: {synthetic.q(number)}"
                    + block[line.end() :]
                )

            picks = self.pick_blocks(path, self.rng.randint(1, 5), self.PHONE.pattern)
            n = self.rewrite_blocks(path, picks, phone)
            return f"{self.town[slug]['name']}：更新{n}个联系电话", [path]
        words = sorted(
            {
                w
                for section in re.findall(
                    r"^    keywords:\n((?:      - .*\n)+)", self.files[path], re.M
                )
                for w in re.findall(r"^      - (.*)$", section, re.M)
            }
        )

        def keyword(block: str) -> str:
            at = block.find("    keywords:\n") + len("    keywords:\n")
            have = re.match(r"(?:      - .*\n)+", block[at:])
            fresh = [w for w in words if f"      - {w}\n" not in (have.group() if have else "")]
            return (
                block[:at] + f"      - {self.rng.choice(fresh)}\n" + block[at:] if fresh else block
            )

        picks = self.pick_blocks(path, self.rng.randint(1, 4), r"^    keywords:$")
        n = self.rewrite_blocks(path, picks, keyword)
        return f"{self.town[slug]['name']}：补充{n}项事项的搜索关键词", [path]

    def e_add(self, slug: str) -> tuple[str, list[str]]:
        kind = self.rng.choice(("powers", "powers", "duties"))
        path = self.path(slug, kind)
        donor = self.files[self.path(self.random_town(), kind)]
        start, end, item = self.rng.choice(self.spans(donor))
        prefix = item.split("-")[0]
        used = [
            int(i.split("-")[1])
            for i in self.ITEM.findall(self.files[path])
            if i.startswith(prefix + "-")
        ]
        new_id = f"{prefix}-{max(used, default=0) + 1:04d}"
        block = donor[start:end].rstrip("\n") + "\n"
        block = block.replace(f"  - id: {item}\n", f"  - id: {new_id}\n", 1)
        if kind == "powers" and self.town[slug]["body"]:
            block = re.sub(
                r"^    implementing_body: .*$",
                f"    implementing_body: {self.town[slug]['body']}",
                block,
                flags=re.M,
            )
        text = self.files[path]
        spans = self.spans(text)
        at = self.rng.choice([s for s, _, _ in spans] + [len(text)])
        self.files[path] = text[:at] + block + text[at:]
        name = self.scalar(re.search(r"^    name: (.*)$", block, re.M).group(1))  # type: ignore[union-attr]
        return f"{self.town[slug]['name']}：新增事项 {new_id} {name}", [path]

    def e_remove(self, slug: str) -> tuple[str, list[str]]:
        kind = self.rng.choice(("powers", "duties"))
        path = self.path(slug, kind)
        text = self.files[path]
        start, end, item = self.rng.choice(self.spans(text))
        self.removed.append((path, item, text[start:end]))
        self.files[path] = text[:start] + text[end:]
        return f"{self.town[slug]['name']}：删除事项 {item}", [path]

    def e_restore(self, slug: str) -> tuple[str, list[str]]:
        candidates = [r for r in self.removed if f"  - id: {r[1]}\n" not in self.files[r[0]]]
        if not candidates:
            return self.e_add(slug)
        path, item, block = self.rng.choice(candidates)
        self.removed.remove((path, item, block))
        text = self.files[path]
        at = self.rng.choice([s for s, _, _ in self.spans(text)] + [len(text)])
        self.files[path] = text[:at] + block.rstrip("\n") + "\n" + text[at:]
        town = self.town[path.split("/")[2]]["name"]
        return f"{town}：恢复误删的事项 {item}", [path]

    def e_town(self, slug: str) -> tuple[str, list[str]]:
        if self.rng.random() < 0.4:
            path = self.path(slug, "town")
            text = self.files[path]
            text = re.sub(
                r'^  phone: ".*"$',
                f"  phone: {synthetic.q(f'0533-0000{self.rng.randrange(1000):03d}')}",
                text,
                count=1,
                flags=re.M,
            )
            if self.rng.random() < 0.5:
                text = re.sub(
                    r"^  hours: .*$",
                    f"  hours: {self.rng.choice(self.HOURS)}",
                    text,
                    count=1,
                    flags=re.M,
                )
            self.files[path] = text
            return f"{self.town[slug]['name']}：更新便民服务中心联系方式", [path]
        path = self.path(slug, "institutions")

        def staff(block: str) -> str:
            if "      institutional: " in block and self.rng.random() < 0.5:
                return re.sub(
                    r"^      institutional: (\d+)$",
                    lambda m: (
                        f"      institutional: {int(m.group(1)) + self.rng.choice((-1, 1, 2))}"
                    ),
                    block,
                    count=1,
                    flags=re.M,
                )
            number = f"0533-0000{self.rng.randrange(1000):03d}"
            return re.sub(
                r'^    phone: ".*"$',
                f"    phone: {synthetic.q(number)}",
                block,
                count=1,
                flags=re.M,
            )

        n = self.rewrite_blocks(path, self.pick_blocks(path, self.rng.randint(1, 2)), staff)
        return f"{self.town[slug]['name']}：调整{n}个机构的编制或电话", [path]

    def e_combo(self, slug: str) -> tuple[str, list[str]]:
        subjects, paths = [], []
        for edit in self.rng.sample(
            (self.e_office, self.e_name, self.e_article, self.e_add, self.e_remove),
            self.rng.randint(2, 3),
        ):
            subject, changed = edit(slug)
            subjects.append(subject.split("：", 1)[1])
            paths += [p for p in changed if p not in paths]
        return f"{self.town[slug]['name']}：{'；'.join(subjects)}", paths

    def e_law_county(self, slug: str) -> tuple[str, list[str]]:
        laws = re.findall(r"^      - law: (.*)$", self.files[self.path(slug, "powers")], re.M)
        law = self.rng.choice(laws)
        article = self.new_article("")
        paths = []
        for town in self.county_towns(slug, 3, 8):
            path = self.path(town, "powers")
            pattern = re.compile(rf"^(      - law: {re.escape(law)}\n        article: )(.*)$", re.M)
            hits = list(pattern.finditer(self.files[path]))[:6]
            text = self.files[path]
            for m in reversed(hits):
                text = text[: m.start()] + m.group(1) + article + text[m.end() :]
            if text != self.files[path]:
                self.files[path] = text
                paths.append(path)
        return f"{self.town[slug]['county']}：{law}修订，依据条款统一调整为{article}", paths

    def e_hours_county(self, slug: str) -> tuple[str, list[str]]:
        hours = self.rng.choice(self.HOURS)
        paths = []
        for town in self.county_towns(slug, 5, 20):
            path = self.path(town, "town")
            text = re.sub(
                r"^  hours: .*$", f"  hours: {hours}", self.files[path], count=1, flags=re.M
            )
            if text != self.files[path]:
                self.files[path] = text
                paths.append(path)
        return f"{self.town[slug]['county']}：统一便民服务中心办公时间", paths

    def e_act_number(self, slug: str) -> tuple[str, list[str]]:
        old = "      document_number: 鲁政字〔2024〕35号\n"
        new = "      document_number: 鲁政字〔2024〕36号\n"
        paths = []
        for town in self.county_towns(slug, 2, 4):
            path = self.path(town, "powers")
            if old in self.files[path]:
                self.files[path] = self.files[path].replace(old, new)
                paths.append(path)
        return "更正省指导目录文号为 鲁政字〔2024〕36号", paths

    def e_whitespace(self, slug: str) -> tuple[str, list[str]]:
        path = self.path(slug, self.rng.choice(("powers", "duties")))
        text = self.files[path]
        if "\n\n  - id: " in text:
            self.files[path] = text.replace("\n\n  - id: ", "\n  - id: ")
            return f"{self.town[slug]['name']}：删除多余空行", [path]
        spans = self.spans(text)[1:]
        for start in sorted(
            (s for s, _, _ in self.rng.sample(spans, min(3, len(spans)))), reverse=True
        ):
            text = text[:start] + "\n" + text[start:]
        self.files[path] = text
        return f"{self.town[slug]['name']}：事项之间加空行，便于阅读", [path]

    def next_commit(self) -> tuple[str, str, str, int, list[str]]:
        """(kind, author, subject, unix time, changed paths) of the next edit; never empty."""
        names = [k for k, _ in self.KINDS]
        weights = [w for _, w in self.KINDS]
        while True:
            kind = self.rng.choices(names, weights)[0]
            before = dict(self.files)
            subject, paths = getattr(self, f"e_{kind}")(self.random_town())
            paths = sorted(p for p in paths if self.files[p] != before[p])
            if paths:
                break
            self.files = before  # nothing changed (e.g. no match): draw again
        self.when += dt.timedelta(seconds=self.rng.randrange(20 * 60, 3 * 86400))
        return kind, self.rng.choice(self.AUTHORS), subject, int(self.when.timestamp()), paths


def build_repository(project: Path, edits: int, seed: int) -> dict[str, Any]:
    """Turn the synthetic project at ``project`` into a git repository: the import commit and
    ``edits`` edit commits on ``main``, one more on ``plus1``; returns edit statistics."""
    files = {
        p.relative_to(project).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted((project / CONTENT).rglob("*.yaml"))
    }
    history = EditHistory(files, seed)
    git(project, "init", "-q")
    git(project, "config", "gc.auto", "0")
    importer = subprocess.Popen(
        ["git", "fast-import", "--quiet"], cwd=project, env=git_env(), stdin=subprocess.PIPE
    )
    assert importer.stdin is not None
    out = importer.stdin

    def data(payload: bytes) -> None:
        out.write(b"data %d\n" % len(payload) + payload + b"\n")

    def commit(mark: int, ref: str, author: str, when: int, subject: str, paths: list[str]) -> None:
        ident = f"{author} <{EMAIL}> {when} +0800\n".encode()
        out.write(
            f"commit {ref}\nmark :{mark}\n".encode() + b"author " + ident + b"committer " + ident
        )
        data(subject.encode())
        if mark > 1:
            out.write(f"from :{mark - 1}\n".encode())
        for path in paths:
            out.write(f"M 100644 inline {path}\n".encode())
            data(history.files[path].encode())

    stats: dict[str, Any] = {"kinds": {}, "files_changed": 0}
    commit(
        1,
        "refs/heads/main",
        "张编辑",
        int(history.when.timestamp()),
        "初始导入：全市镇街权责清单",
        sorted(files),
    )
    for mark in range(2, edits + 3):
        kind, author, subject, when, paths = history.next_commit()
        ref = "refs/heads/main" if mark <= edits + 1 else "refs/heads/plus1"
        if ref == "refs/heads/main":
            stats["kinds"][kind] = stats["kinds"].get(kind, 0) + 1
            stats["files_changed"] += len(paths)
        commit(mark, ref, author, when, subject, paths)
    out.close()
    if importer.wait() != 0:
        raise RuntimeError("git fast-import failed")
    git(project, "reset", "-q", "--hard", "main")
    git(project, "repack", "-a", "-d", "-f", "-q")  # one pack with deltas, as a clone has
    git(project, "prune-packed")
    return stats


# ---------------------------------------------------------------------------
# The cached repository
# ---------------------------------------------------------------------------

MANIFEST = "bench-history.json"


def repo_key(args: argparse.Namespace) -> str:
    digest = hashlib.sha256((HERE / "synthetic.py").read_bytes())
    digest.update(inspect.getsource(EditHistory).encode())
    digest.update(inspect.getsource(build_repository).encode())
    return (
        f"c{args.commits}-t{args.towns}-s{args.seed}-p{args.powers}-d{args.duties}"
        f"-i{args.institutions}-g{digest.hexdigest()[:10]}"
    )


def prepare(args: argparse.Namespace) -> dict[str, Any]:
    """The repository (and its +1 clone) for these parameters, built when missing."""
    base = args.cache_dir / repo_key(args)
    manifest = base / MANIFEST
    if manifest.is_file() and not args.regenerate:
        info = json.loads(manifest.read_text(encoding="utf-8"))
        head = git(Path(info["repo"]), "rev-parse", "HEAD").strip()
        if head == info["head"]:
            print(f"reusing {base} (built in {info['build_seconds']:.1f} s)", file=sys.stderr)
            info["reused"] = True
            return info
    if base.exists():  # our own folder, incomplete or stale
        shutil.rmtree(base)
    base.mkdir(parents=True)
    repo, plus1 = base / "repo", base / "plus1"
    print(f"building {base} …", file=sys.stderr)
    started = time.perf_counter()
    counts = synthetic.generate_project(
        repo,
        args.towns,
        seed=args.seed,
        powers=args.powers,
        duties=args.duties,
        institutions=args.institutions,
    )
    generated = time.perf_counter() - started
    stats = build_repository(repo, args.commits - 1, args.seed)
    git(base, "clone", "-q", "--branch", "plus1", str(repo), str(plus1))
    build_seconds = time.perf_counter() - started
    pack = sum(p.stat().st_size for p in (repo / ".git" / "objects" / "pack").glob("*.pack"))
    info = {
        "repo": str(repo),
        "plus1": str(plus1),
        "build_seconds": build_seconds,
        "generate_seconds": generated,
        "head": git(repo, "rev-parse", "HEAD").strip(),
        "plus1_head": git(plus1, "rev-parse", "HEAD").strip(),
        "counts": counts,
        "edits": stats,
        "pack_bytes": pack,
        "reused": False,
    }
    if args.verify:
        done = subprocess.run(
            [sys.executable, str(REPO / "build.py"), "--root", str(repo), "check"],
            capture_output=True,
            text=True,
            check=False,
        )
        lines = (done.stdout + done.stderr).strip().splitlines()
        info["check"] = {"rc": done.returncode, "last_line": lines[-1] if lines else ""}
    manifest.write_text(json.dumps(info, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(
        f"built in {build_seconds:.1f} s (synthetic data {generated:.1f} s); HEAD {info['head']}",
        file=sys.stderr,
    )
    return info


# ---------------------------------------------------------------------------
# Children: one measured run each (internal entry points)
# ---------------------------------------------------------------------------

PHASES: dict[str, float] = {}
GC_LABEL = "cyclic GC pauses (inside the rows above)"
GC = {"seconds": 0.0, "full": 0, "started": 0.0}


def _gc_callback(phase: str, info: dict[str, int]) -> None:
    if phase == "start":
        GC["started"] = time.perf_counter()
    else:
        GC["seconds"] += time.perf_counter() - GC["started"]
        GC["full"] += info["generation"] == 2


def _timed(
    owners: list[Any],
    name: str,
    label: str,
    *,
    consume: bool = False,
    count: str | None = None,
    counts: dict[str, int] | None = None,
) -> None:
    """Wrap ``name`` wherever it is bound to the same object in ``owners`` (a module that
    imported it by name, the module that defines it, a class), so its wall time adds up in
    PHASES[label]. ``consume`` for generator functions (the wrapper returns a list, so the
    time includes producing it). Missing names are skipped: the package may have moved on."""
    found = [o for o in owners if hasattr(o, name)]
    if not found:
        return
    original = getattr(found[-1], name)
    PHASES.setdefault(label, 0.0)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return list(original(*args, **kwargs)) if consume else original(*args, **kwargs)
        finally:
            PHASES[label] += time.perf_counter() - started
            if count and counts is not None:
                counts[count] += 1

    for owner in found:
        if getattr(owner, name) is original:
            setattr(owner, name, wrapper)


def _usage() -> dict[str, float]:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    PHASES[GC_LABEL] = GC["seconds"]
    return {
        "gc_full_collections": GC["full"],
        "cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
        "rss_mb": me.ru_maxrss / 1024,
        "git_rss_mb": kids.ru_maxrss / 1024,
    }


def child_floor(root: Path) -> dict[str, Any]:
    import yaml

    started = time.perf_counter()
    t = time.perf_counter()
    log = subprocess.run(
        ["git", "log", "--raw", "--no-abbrev", "--first-parent", "--format=%H", "--", CONTENT],
        cwd=root,
        env=git_env(),
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8", "surrogateescape")
    blobs: dict[str, None] = {}
    commits = 0
    for line in log.splitlines():
        if line.startswith(":"):
            new = line.split("\t", 1)[0].split()[3]
            if new != "0" * 40:
                blobs[new] = None
        elif line:
            commits += 1
    PHASES["git log"] = time.perf_counter() - t
    process = subprocess.Popen(
        ["git", "cat-file", "--batch"],
        cwd=root,
        env=git_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        bufsize=1 << 20,
    )
    assert process.stdin is not None and process.stdout is not None
    request = "".join(f"{b}\n" for b in blobs).encode()
    writer = threading.Thread(
        target=lambda: (
            process.stdin.write(request),  # type: ignore[union-attr]
            process.stdin.close(),
        )
    )  # type: ignore[union-attr]
    writer.start()
    documents, size, read_s, parse_s = [], 0, 0.0, 0.0
    for _ in blobs:
        t = time.perf_counter()
        header = process.stdout.readline().split()
        payload = process.stdout.read(int(header[2]))
        process.stdout.read(1)
        t2 = time.perf_counter()
        documents.append(yaml.load(payload.decode("utf-8"), Loader=yaml.CSafeLoader))
        read_s += t2 - t
        parse_s += time.perf_counter() - t2
        size += len(payload)
    writer.join()
    process.wait()
    seconds = time.perf_counter() - started
    PHASES.update({"cat-file read": read_s, "yaml.load (CSafeLoader)": parse_s})
    return {
        "seconds": seconds,
        **_usage(),
        "commits": commits,
        "blobs": len(documents),
        "parsed": len(documents),
        "blob_mb": size / 1e6,
        "changes": None,
        "warnings": None,
        "cache_mb": None,
        "phases": dict(PHASES),
    }


OTHER = "  other (versions, Change objects …)"


def _instrument() -> dict[str, int]:
    import yaml

    from towncat.content import loader
    from towncat.history import changes, gitlog
    from towncat.history import replay as history

    counts = {"blobs": 0, "bytes": 0, "parsed": 0}
    read = gitlog.BlobReader.read

    def counting_read(self: Any, sha: str) -> bytes:
        payload = read(self, sha)
        counts["blobs"] += 1
        counts["bytes"] += len(payload)
        return payload

    gitlog.BlobReader.read = counting_read  # type: ignore[method-assign]
    mods = [history, changes, loader, gitlog]
    replay = [getattr(history, "_Replay", None)]
    for owners, name, label in (
        (mods, "read_status", "read_status (rev-parse, status)"),
        (mods, "read_history", "read_history (git log + parse)"),
        (mods, "_load_cache", "_load_cache (unpickle)"),
        (mods, "_replay", "_replay total"),
        (replay, "parse", "  _Replay.parse (blob → data)"),
        ([gitlog.BlobReader], "read", "    cat-file read"),
        (mods, "decode_bytes", "    decode_bytes"),
        (mods, "parse_yaml", "    parse_yaml"),
        (mods, "find_text_problems", "      find_text_problems"),
        ([yaml], "parse", "      yaml.parse (libyaml events)"),
        ([getattr(loader, "_Builder", None)], "build", "      _Builder.build"),
        (mods, "build_version", "  build_version"),
        (mods, "diff_versions", "  diff_versions"),
        (mods, "_save_cache", "_save_cache (pickle)"),
        (mods, "index_changes", "index_changes"),
    ):
        _timed(
            [o for o in owners if o is not None],
            name,
            label,
            consume=name == "parse" and owners == [yaml],
            count="parsed" if name == "parse_yaml" else None,
            counts=counts,
        )
        if label == "  diff_versions":
            PHASES[OTHER] = 0.0
    return counts


def child_towncat(root: Path, cache: Path) -> dict[str, Any]:
    counts = _instrument()
    from towncat.history import replay as history

    started = time.perf_counter()
    result = history.read_site_history(root, CONTENT, cache)
    seconds = time.perf_counter() - started
    usage = _usage()
    commits = len(history.read_history(root, CONTENT))  # not timed
    pickle_file = cache / "history.pickle"
    if "_replay total" in PHASES:
        PHASES[OTHER] = PHASES["_replay total"] - sum(
            v for k, v in PHASES.items() if k.startswith("  ") and not k.startswith("   ")
        )
    return {
        "seconds": seconds,
        **usage,
        "commits": commits,
        "blobs": counts["blobs"],
        "parsed": counts["parsed"],
        "blob_mb": counts["bytes"] / 1e6,
        "changes": len(result.changes),
        "warnings": len(result.warnings),
        "warning_samples": list(result.warnings[:3]),
        "cache_mb": pickle_file.stat().st_size / 1e6 if pickle_file.is_file() else None,
        "phases": dict(PHASES),
        "code": getattr(history, "CACHE_VERSION", "?")[:12],
    }


def code_state() -> str:
    """The commit of the package under test and whether towncat/ has uncommitted changes
    (read-only: no index refresh)."""
    env = {**git_env(), "GIT_OPTIONAL_LOCKS": "0"}
    head = (
        subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        or "?"
    )
    dirty = subprocess.run(
        ["git", "diff", "--quiet", "HEAD", "--", "towncat"],
        cwd=REPO,
        env=env,
        capture_output=True,
        check=False,
    ).returncode
    return f"{head}{' + uncommitted changes in towncat/' if dirty else ''}"


def child_profile(root: Path, cache: Path, top: int) -> dict[str, Any]:
    import cProfile
    import pstats

    from towncat.history import replay as history

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(history.read_site_history, root, CONTENT, cache)
    seconds = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    package = str(REPO / "towncat") + os.sep
    rows = []
    for (filename, line, func), (_, calls, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append(
            {
                "where": (
                    f"towncat/{filename[len(package) :]}:{line}({func})"
                    if filename.startswith(package)
                    else f"{Path(filename).name}:{line}({func})"
                    if filename != "~"
                    else func
                ),
                "ours": filename.startswith(package),
                "calls": calls,
                "tottime": tottime,
                "cumtime": cumtime,
            }
        )
    ours = sorted((r for r in rows if r["ours"]), key=lambda r: -r["cumtime"])[:top]
    self_time = sorted(rows, key=lambda r: -r["tottime"])[:15]
    return {"seconds": seconds, "towncat": ours, "tottime": self_time}


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------


def run_child(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args],
        env=git_env(),
        stdout=subprocess.PIPE,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"child {args[0]} exited {done.returncode}")
    return json.loads(done.stdout.decode("utf-8").strip().splitlines()[-1])


def warm_page_cache(*roots: str) -> None:
    for root in roots:
        for path in (Path(root) / ".git" / "objects").rglob("*"):
            if path.is_file():
                path.read_bytes()


def measure(info: dict[str, Any], args: argparse.Namespace) -> dict[str, list[dict[str, Any]]]:
    warm_page_cache(info["repo"], info["plus1"])
    runs: dict[str, list[dict[str, Any]]] = {"floor": [], "cold": [], "warm": [], "warm+1": []}
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    for i in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="caches-", dir=args.cache_dir) as tmp:
            cold, base = Path(tmp) / "cold", Path(tmp) / "base500"
            plan = [
                ("floor", ("--_floor", info["repo"])),
                ("cold", ("--_towncat", info["repo"], str(cold))),
                ("copy", ()),
                ("warm", ("--_towncat", info["repo"], str(cold))),
                ("warm+1", ("--_towncat", info["plus1"], str(base))),
            ]
            for name, child_args in plan:
                if name == "copy":
                    shutil.copytree(cold, base)
                    continue
                result = run_child(*child_args)
                runs[name].append(result)
                print(
                    f"run {i + 1}/{args.repeat} {name:6}: {result['seconds']:7.2f} s, "
                    f"{result['rss_mb']:6.0f} MB, blobs read {result['blobs']}, "
                    f"changes {result['changes']}, warnings {result['warnings']}",
                    file=sys.stderr,
                )
    return runs


def median_row(results: list[dict[str, Any]]) -> dict[str, Any]:
    row = dict(sorted(results, key=lambda r: r["seconds"])[len(results) // 2])  # the median run
    row["seconds"] = statistics.median(r["seconds"] for r in results)
    row["rss_mb"] = statistics.median(r["rss_mb"] for r in results)
    row["cpu"] = statistics.median(r["cpu"] for r in results)
    row["all_seconds"] = [round(r["seconds"], 3) for r in results]
    return row


def table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]

    def line(cells: tuple[str, ...]) -> str:
        return (
            "| "
            + " | ".join(
                c.ljust(w) if j == 0 else c.rjust(w)
                for j, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
            + " |"
        )

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), rule, *map(line, rows)])


def fmt(value: Any, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(
    info: dict[str, Any], runs: dict[str, list[dict[str, Any]]], args: argparse.Namespace
) -> dict[str, Any]:
    med = {name: median_row(rs) for name, rs in runs.items()}
    floor, floor_cpu = med["floor"]["seconds"], med["floor"]["cpu"]
    rows = []
    for name, r in med.items():
        rows.append(
            (
                name,
                f"{r['seconds']:.2f}",
                f"{r['seconds'] / floor:.2f}",
                f"{r['cpu']:.2f}",
                f"{r['cpu'] / floor_cpu:.2f}",
                f"{r['rss_mb']:.0f}",
                str(r["commits"]),
                str(r["blobs"]),
                str(r["parsed"]),
                fmt(r["blob_mb"], ".1f"),
                fmt(r["changes"], "d"),
                fmt(r["warnings"], "d"),
                fmt(r["cache_mb"], ".0f"),
            )
        )
    print(
        table(
            rows,
            (
                "case",
                "seconds",
                "× floor",
                "CPU s",
                "CPU × floor",
                "peak RSS MB",
                "commits",
                "blobs read",
                "parsed",
                "blob MB",
                "change entries",
                "warnings",
                "cache MB",
            ),
        )
    )
    cases = ("cold", "warm", "warm+1")
    wall = {k: med[k]["seconds"] / floor for k in cases}
    cpu = {k: med[k]["cpu"] / floor_cpu for k in cases}
    # each round's case against the same round's floor: steadier when the machine's load drifts
    paired = {
        (k, m): statistics.median(r[m] / f[m] for r, f in zip(runs[k], runs["floor"], strict=True))
        for k in cases
        for m in ("seconds", "cpu")
    }

    def aims(label: str, r: dict[str, float]) -> str:
        return (
            f"{label}: cold {r['cold']:.2f}× {verdict(r['cold'] <= COLD_AIM)}, "
            f"warm {r['warm']:.1%} {verdict(r['warm'] < WARM_AIM)}, "
            f"warm+1 {r['warm+1']:.1%} {verdict(r['warm+1'] < WARM_AIM)}"
        )

    print(f"\naims: cold ≤ {COLD_AIM}× floor, warm (and warm+1) < {WARM_AIM:.0%} of floor")
    print("  " + aims("wall, medians", wall))
    print("  " + aims("CPU,  medians", cpu))
    print("  " + aims("wall, per-round", {k: paired[(k, "seconds")] for k in cases}))
    print("  " + aims("CPU,  per-round", {k: paired[(k, "cpu")] for k in cases}))
    print(
        f"load average before/after: {args.load_before} / {os.getloadavg()[0]:.2f} on "
        f"{os.cpu_count()} CPUs (wall times on a loaded machine drift; CPU ratios are steadier)"
    )
    print(
        f"runs per case: {args.repeat} (median shown); all seconds: "
        + "; ".join(f"{k} {v['all_seconds']}" for k, v in med.items())
    )
    for name, r in med.items():
        if r.get("warning_samples"):
            print(f"{name} warnings: {r['warning_samples']}")
    print("\nwhere the time goes (median run of each case, seconds; indented = inside _replay):")
    labels: list[str] = []
    for r in med.values():
        labels += [k for k in r["phases"] if k not in labels]
    print(
        table(
            [(label, *(fmt(med[c]["phases"].get(label), ".2f") for c in med)) for label in labels],
            ("phase", *med),
        )
    )
    counts = info["counts"]
    print(f"\nrepository: {info['repo']} (+1 clone: {info['plus1']})")
    print(
        f"  HEAD {info['head']}, plus1 {info['plus1_head']}; pack {info['pack_bytes'] / 1e6:.1f} MB"
    )
    print(
        f"  {counts['towns']} towns, {counts['files']} files, {counts['bytes'] / 1e6:.1f} MB at the "
        f"first commit; {info['edits']['files_changed']} file versions changed by "
        f"{args.commits - 1} edit commits (+1 on plus1)"
    )
    print(
        f"  built in {info['build_seconds']:.1f} s (synthetic data {info['generate_seconds']:.1f} s)"
        + (" — reused this run" if info.get("reused") else "")
    )
    if "check" in info:
        print(f"  build.py check at HEAD: exit {info['check']['rc']}: {info['check']['last_line']}")
    codes = sorted({r["code"] for name, rs in runs.items() if name != "floor" for r in rs})
    print(
        f"towncat under test: {args.code_before} (at start), {code_state()} (at end); "
        f"history code fingerprint {', '.join(codes)}"
        + ("  ← THE CODE CHANGED DURING THE RUN" if len(codes) > 1 else "")
    )
    print(
        f"python {sys.version.split()[0]}, {git(REPO, 'version').strip()}, "
        f"os.cpu_count()={os.cpu_count()}"
    )
    return {
        "median": med,
        "runs": runs,
        "repository": info,
        "ratios": wall,
        "cpu_ratios": cpu,
        "paired_ratios": {f"{k}/{m}": v for (k, m), v in paired.items()},
    }


def profile(info: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="profile-", dir=args.cache_dir) as tmp:
        result = run_child("--_profile", info["repo"], str(Path(tmp) / "cache"), str(args.top))
    print(f"\ncProfile of a cold read_site_history: {result['seconds']:.2f} s under the profiler")
    print(f"top {args.top} functions in towncat/ by cumulative time:")
    print(
        table(
            [
                (r["where"], str(r["calls"]), f"{r['tottime']:.2f}", f"{r['cumtime']:.2f}")
                for r in result["towncat"]
            ],
            ("function", "calls", "tottime", "cumtime"),
        )
    )
    print("\ntop 15 functions anywhere by own time:")
    print(
        table(
            [
                (r["where"], str(r["calls"]), f"{r['tottime']:.2f}", f"{r['cumtime']:.2f}")
                for r in result["tottime"]
            ],
            ("function", "calls", "tottime", "cumtime"),
        )
    )
    return result


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    internal = {
        "--_floor": lambda a: child_floor(Path(a[0])),
        "--_towncat": lambda a: child_towncat(Path(a[0]), Path(a[1])),
        "--_profile": lambda a: child_profile(Path(a[0]), Path(a[1]), int(a[2])),
    }
    if argv[:1] and argv[0] in internal:
        gc.callbacks.append(_gc_callback)
        print(json.dumps(internal[argv[0]](argv[1:]), ensure_ascii=False))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (median; default 3)")
    parser.add_argument("--commits", type=int, default=500, help="commits on main (default 500)")
    parser.add_argument("--towns", type=int, default=88)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--powers", type=int, default=100)
    parser.add_argument("--duties", type=int, default=150)
    parser.add_argument("--institutions", type=int, default=16)
    parser.add_argument("--cache-dir", type=Path, default=CACHE)
    parser.add_argument("--regenerate", action="store_true", help="rebuild the repository")
    parser.add_argument(
        "--no-verify",
        dest="verify",
        action="store_false",
        help="skip `build.py check` on a freshly built repository's HEAD",
    )
    parser.add_argument(
        "--profile", action="store_true", help="profile cold even if within the aim"
    )
    parser.add_argument("--no-profile", action="store_true", help="never profile")
    parser.add_argument("--top", type=int, default=25, help="profile rows (default 25)")
    parser.add_argument("--json", type=Path, help="also write everything as JSON to this file")
    args = parser.parse_args(argv)
    if args.commits < 2:
        parser.error("--commits must be at least 2")
    info = prepare(args)
    args.load_before = f"{os.getloadavg()[0]:.2f}"
    args.code_before = code_state()
    results = report(info, measure(info, args), args)
    if not args.no_profile and (
        args.profile or max(results["ratios"]["cold"], results["cpu_ratios"]["cold"]) > COLD_AIM
    ):
        results["profile"] = profile(info, args)
    if args.json:
        args.json.write_text(
            json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError):
        sys.exit(main())
