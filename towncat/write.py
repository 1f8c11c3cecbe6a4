"""The only module that writes the site: all files into a fresh folder, then one swap.

``write_site`` builds the whole output in a temporary folder beside the target
and swaps it in at the end, so a failed or interrupted build leaves the previous
site untouched. Every path is checked to stay inside the output folder first.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from .urls import is_safe_path

_RENAME_EXCHANGE = 2


class OutputError(Exception):
    """An output path that is unsafe, or two things written to one path."""


def check_output_paths(files: Mapping[str, bytes]) -> None:
    """Raise unless every path is relative, normalised and stays inside the site."""
    bad = sorted(p for p in files if not is_safe_path(p))
    if bad:
        raise OutputError("输出路径不安全：" + "、".join(bad[:5]))
    folded: dict[str, str] = {}
    for path in sorted(files):
        key = path.lower()
        if key in folded:
            raise OutputError(f"两个输出文件只差大小写：{folded[key]} 与 {path}")
        folded[key] = path
    dirs = {str(Path(p).parent) for p in files}
    clashes = sorted(p for p in files if p in dirs)
    if clashes:
        raise OutputError("输出路径既是文件又是目录：" + "、".join(clashes[:5]))


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2(RENAME_EXCHANGE) where Linux has it."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def write_tree(folder: Path, files: Mapping[str, bytes]) -> None:
    made: set[Path] = set()
    for path in sorted(files):
        target = folder / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(files[path])


def write_site(output: Path, files: Mapping[str, bytes],
               before_swap: Callable[[Path], None] | None = None) -> None:
    """Replace ``output`` with ``files`` (and what ``before_swap`` adds to the staging folder);
    on any failure ``output`` is unchanged."""
    check_output_paths(files)
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent))
    try:
        write_tree(staging, files)
        if before_swap is not None:
            before_swap(staging)
        os.chmod(staging, 0o755)
        swap_in(staging, output)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def swap_in(staging: Path, output: Path) -> None:
    """Put ``staging`` at ``output``; the old output (if any) is removed afterwards."""
    if not output.exists():
        staging.rename(output)
        return
    if _exchange(staging, output):
        shutil.rmtree(staging)  # staging now holds the old site
        return
    old = output.with_name(f".{output.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    output.rename(old)
    staging.rename(output)
    shutil.rmtree(old, ignore_errors=True)
