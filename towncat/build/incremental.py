"""What an incremental build may reuse: fingerprints of inputs and the manifest of the last build.

A rebuild must be byte-identical to a clean build, so a town's pages are reused
only when everything they are rendered from has the same fingerprint: the
town's data, its change history, the region, the names of all towns, the labels
from the schemas, the templates, the configuration and the generator's own code.
The manifest lives in the cache folder, outside the site; a missing, corrupt or
foreign manifest simply means nothing is reused.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Config
from .admin import admin_inputs

MANIFEST_NAME = "build-manifest.json"
PACKAGE = Path(__file__).parent.parent  # the whole towncat package


def _hash_tree(digest: Any, folder: Path) -> None:
    if not folder.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath, name)
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")


def code_key() -> str:
    """The generator's own source: any change to it invalidates everything."""
    digest = hashlib.sha1(usedforsecurity=False)
    _hash_tree(digest, PACKAGE)
    return digest.hexdigest()


def render_key(root: Path, config: Config) -> str:
    """What every page is rendered with: the code, the templates and the schemas (labels)."""
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(code_key().encode())
    _hash_tree(digest, root / config.template_dir)
    _hash_tree(digest, root / config.schema_dir)
    return digest.hexdigest()


def _git_state(root: Path, content_dir: str) -> bytes:
    commands = (
        ["git", "rev-parse", "HEAD"],
        ["git", "for-each-ref", "refs/tags"],
        ["git", "status", "--porcelain", "--", content_dir],
        ["git", "rev-parse", "--is-shallow-repository"],
    )
    parts = []
    for command in commands:
        try:
            done = subprocess.run(command, cwd=root, capture_output=True, check=False)
            parts.append(done.stdout + done.stderr)
        except OSError:
            parts.append(b"no git")
    return b"\0".join(parts)


def input_key(root: Path, config: Config, flags: str) -> str:
    """Everything a build reads: when it is unchanged, so is the site."""
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(flags.encode() + repr(config).encode())
    digest.update(code_key().encode())
    for name in (config.content_dir, config.template_dir, config.static_dir, config.schema_dir):
        digest.update(name.encode() + b"\0")
        _hash_tree(digest, root / name)
    for path in admin_inputs(root, config):  # the editing form's scripts, when it is on
        digest.update(path.read_bytes() if path.is_file() else b"missing")
    config_file = root / "towncat.toml"
    if config_file.is_file():
        digest.update(config_file.read_bytes())
    digest.update(_git_state(root, config.content_dir))
    return digest.hexdigest()


def source_key(global_key: str, files: list[Path], *parts: Any) -> str:
    """A digest of what one town is built from: the bytes of its files (in the given
    order), the build's global key and ``parts`` (its history)."""
    digest = hashlib.sha1(global_key.encode(), usedforsecurity=False)
    for path in files:
        digest.update(path.name.encode() + b"\0")
        try:
            digest.update(path.read_bytes() + b"\0")
        except OSError:  # the check will say why; never reuse
            digest.update(os.urandom(16))
    digest.update(pickle.dumps(parts, protocol=5))
    return digest.hexdigest()


def fingerprint(*parts: Any) -> str:
    """A stable digest of plain data and frozen dataclasses."""
    return hashlib.sha1(pickle.dumps(parts, protocol=5), usedforsecurity=False).hexdigest()


@dataclass
class TownOutput:
    fingerprint: str
    files: list[str]  # output paths, relative to the site
    urls: list[str]  # page URLs, for the sitemap
    summary: dict[str, Any] | None = None  # the town's summary, so reuse needs no parsing
    warnings: list[dict[str, Any]] = field(default_factory=list)  # its problems, all warnings


@dataclass
class Manifest:
    inputs: str = ""
    file_count: int = 0
    summary: dict[str, Any] = field(default_factory=dict)
    towns: dict[str, TownOutput] = field(default_factory=dict)  # key: prefix + slug
    bundles: dict[str, str] = field(default_factory=dict)  # county slug -> fingerprint


def load_manifest(cache_dir: Path) -> Manifest:
    path = cache_dir / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        towns = {k: TownOutput(**v) for k, v in data.pop("towns").items()}
        return Manifest(towns=towns, **data)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return Manifest()


def save_manifest(cache_dir: Path, manifest: Manifest) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    temporary = cache_dir / (MANIFEST_NAME + ".tmp")
    data = {**vars(manifest), "towns": {k: vars(v) for k, v in manifest.towns.items()}}
    temporary.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    temporary.replace(cache_dir / MANIFEST_NAME)


def count_files(folder: Path) -> int:
    """Files below ``folder`` (0 if it is missing), by ``scandir``, faster than ``os.walk``."""
    count, folders = 0, [os.fspath(folder)]
    while folders:
        try:
            entries = os.scandir(folders.pop())
        except (FileNotFoundError, NotADirectoryError):
            continue
        with entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                else:
                    count += 1
    return count


def can_reuse(previous: TownOutput | None, key: str, output: Path) -> bool:
    """True when the last build rendered this town from the same inputs and its files exist."""
    return (
        previous is not None
        and previous.fingerprint == key
        and all(os.path.isfile(os.path.join(output, path)) for path in previous.files)
    )
