"""The only module that writes the site: every file into a fresh folder, then one swap.

A ``Staging`` folder is made beside the output; files are written (or, when an
incremental build can reuse them, hard-linked from the previous output) as they
are produced, so memory does not grow with the size of the site. ``commit``
swaps the folder in atomically; any failure before that removes it and leaves
the previous site untouched. Every path is checked to stay inside the folder and
never to collide with another.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import TracebackType

from ..site.urls import is_safe_path

_RENAME_EXCHANGE = 2
_CANNOT_LINK = (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP)


class OutputError(Exception):
    """An output path that is unsafe, or two things written to one path."""


def check_output_path(path: str) -> None:
    if not is_safe_path(path):
        raise OutputError(f"输出路径不安全：{path!r}")


def check_output_paths(paths: Iterable[str]) -> None:
    """Raise unless paths are safe and distinct, also ignoring case, and no file is a folder."""
    folded: dict[str, str] = {}
    ordered = sorted(paths)
    for path in ordered:
        check_output_path(path)
        key = path.lower()
        if key in folded:
            raise OutputError(f"两个输出文件只差大小写：{folded[key]} 与 {path}")
        folded[key] = path
    folders = {p.rpartition("/")[0].lower() for p in ordered}  # safe paths: "/" only
    clashes = [p for p in ordered if p.lower() in folders]
    if clashes:
        raise OutputError("输出路径既是文件又是目录：" + "、".join(clashes[:5]))


def write_file(folder: Path, path: str, data: bytes) -> None:
    """Write one output file under ``folder`` (used by worker processes). Plain string
    paths, as in ``link_files``: one page is one folder, and ``pathlib`` cost more than
    the writing."""
    check_output_path(path)
    target = os.path.join(os.fspath(folder), path)
    parent = os.path.dirname(target)
    try:
        os.mkdir(parent)  # most pages are the first file in their folder
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(parent, exist_ok=True)
    with open(target, "wb") as file:
        file.write(data)


def link_files(source: Path, target: Path, paths: Iterable[str]) -> None:
    """Hard-link ``paths`` (relative, already checked) from ``source`` into ``target``,
    copying where the file system cannot link (another device, no hard links). Plain
    string paths: at tens of thousands of files, ``pathlib`` would cost more than the
    links themselves."""
    source_root, target_root = os.fspath(source), os.fspath(target)
    made: set[str] = set()
    for path in paths:
        folder = os.path.dirname(path)
        if folder not in made:  # most pages are the only file in their folder
            try:
                os.mkdir(os.path.join(target_root, folder))
            except FileExistsError:
                pass
            except FileNotFoundError:
                os.makedirs(os.path.join(target_root, folder), exist_ok=True)
            made.add(folder)
        old, new = os.path.join(source_root, path), os.path.join(target_root, path)
        try:
            os.link(old, new)
        except OSError as err:
            if err.errno not in _CANNOT_LINK:
                raise
            shutil.copyfile(old, new)


def files_under(folder: Path) -> list[str]:
    """Every file below ``folder``, relative to it, as ``/``-separated paths."""
    root = os.fspath(folder)
    found = []
    for dirpath, _, filenames in os.walk(root):
        relative = os.path.relpath(dirpath, root)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        found += [prefix + name for name in filenames]
    return found


class Staging:
    """A temporary output folder: ``add``/``link`` files, then ``commit`` or discard."""

    def __init__(self, output: Path, trash: Path | None = None) -> None:
        self.output = output.absolute()
        self.trash = trash  # where the old output goes to be removed in the background
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(
            tempfile.mkdtemp(prefix=f".{self.output.name}.", suffix=".tmp", dir=self.output.parent)
        )
        self.paths: set[str] = set()
        self._made: set[Path] = set()

    def _target(self, path: str) -> Path:
        check_output_path(path)
        if path in self.paths:
            raise OutputError(f"两个输出文件使用了同一路径：{path}")
        self.paths.add(path)
        target = self.folder / path
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        return target

    def add(self, path: str, data: bytes) -> None:
        self._target(path).write_bytes(data)

    def add_chunks(self, path: str, chunks: Iterable[bytes]) -> None:
        """Write a file chunk by chunk, so that it never has to be held whole."""
        with self._target(path).open("wb") as file:
            for chunk in chunks:
                file.write(chunk)

    def record(self, paths: Iterable[str]) -> None:
        """Note files that a worker process wrote into ``folder`` itself."""
        for path in paths:
            check_output_path(path)
            if path in self.paths:
                raise OutputError(f"两个输出文件使用了同一路径：{path}")
            self.paths.add(path)

    def commit(self) -> None:
        check_output_paths(self.paths)
        os.chmod(self.folder, 0o755)
        swap_in(self.folder, self.output, self.trash)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Staging:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.folder.exists():
            self.discard()


def write_site(
    output: Path, files: Mapping[str, bytes], before_swap: Callable[[Path], None] | None = None
) -> None:
    """Replace ``output`` with ``files`` (and what ``before_swap`` adds to the staging folder);
    on any failure ``output`` is unchanged."""
    check_output_paths(files)
    with Staging(output) as staging:
        for path in sorted(files):
            staging.add(path, files[path])
        if before_swap is not None:
            before_swap(staging.folder)
        staging.commit()


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


def swap_in(staging: Path, output: Path, trash: Path | None = None) -> None:
    """Put ``staging`` at ``output``; the old output (if any) is removed afterwards, in the
    background when it can first be moved into ``trash``."""
    if not output.exists():
        staging.rename(output)
        return
    if _exchange(staging, output):
        remove_tree(staging, trash)  # staging now holds the old site
        return
    old = output.with_name(f".{output.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    output.rename(old)
    staging.rename(output)
    shutil.rmtree(old, ignore_errors=True)


def remove_tree(folder: Path, trash: Path | None) -> None:
    """Remove ``folder``: moved into ``trash`` and deleted by a detached ``rm`` when possible
    (a site of many thousand files takes a while), else here and now."""
    if trash is not None:
        try:
            trash.mkdir(parents=True, exist_ok=True)
            moved = Path(tempfile.mkdtemp(prefix="old-", dir=trash))
            folder.rename(moved / "site")
        except OSError:
            pass
        else:
            empty_trash(trash)
            return
    shutil.rmtree(folder, ignore_errors=True)


def empty_trash(trash: Path) -> None:
    """Delete whatever is in ``trash`` in a detached process; nobody waits for it."""
    if not trash.is_dir():
        return
    doomed = list(trash.iterdir())
    if not doomed:
        return
    child = os.fork()
    if child == 0:  # fork again, so that the remover is no one's child to wait for
        try:
            if os.fork() == 0:
                os.setsid()
                os.nice(19)  # what runs next goes first (I/O too, with CFQ or BFQ)
                null = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):  # never hold the caller's output pipes open
                    os.dup2(null, fd)
                for path in doomed:
                    shutil.rmtree(path, ignore_errors=True)
        finally:
            os._exit(0)
    os.waitpid(child, 0)
