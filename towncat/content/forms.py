"""Form files of service guides: ``content/towns/<town>/forms/``, checked and read.

A guide's material may name a blank form and a filled sample, as paths relative
to the town's folder (``forms/申请表.pdf``). This is an I/O edge: it looks at the
files. A form must stay inside the town's ``forms/`` folder (no ``..``, no
absolute path, no link pointing elsewhere), exist, be at most ``MAX_FORM_BYTES``
and be what its extension says, judged by its content: a PDF starts with
``%PDF-``; a DOCX or XLSX is a zip archive holding ``word/document.xml`` or
``xl/workbook.xml``. An HTML page named ``.pdf`` is refused.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .files import FORMS_FOLDER, Document, problem_at
from .problems import Problem

MAX_FORM_BYTES = 5 * 1024 * 1024
FORM_FIELDS = ("blank_form", "sample_form")


@dataclass(frozen=True)
class FormType:
    label: str
    media_type: str
    zip_member: str | None  # the entry an Office file must hold; None for PDF


FORM_TYPES = {
    ".pdf": FormType("PDF", "application/pdf", None),
    ".docx": FormType(
        "DOCX",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "word/document.xml",
    ),
    ".xlsx": FormType(
        "XLSX",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xl/workbook.xml",
    ),
}
_FORBIDDEN = frozenset('\\:*?"<>|')


def form_type(path: str) -> FormType | None:
    """The type a form's extension promises, or None for any other extension."""
    return FORM_TYPES.get(PurePosixPath(path).suffix.lower())


def form_references(doc: Document) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(key path, form path) of every form a list file's guides name."""
    for i, item in enumerate(doc.data.get(doc.kind, ())):
        for j, material in enumerate(item.get("guide", {}).get("materials", ())):
            for key in FORM_FIELDS:
                if key in material:
                    yield (doc.kind, i, "guide", "materials", j, key), material[key]


def find_form_problems(root: Path, doc: Document) -> list[Problem]:
    """Every problem with the forms a valid list file names."""
    folder = (root / doc.source).parent
    problems = []
    for path, relative in form_references(doc):
        message = _form_problem(folder, relative)
        if message is not None:
            problems.append(problem_at(doc, path, *message))
    return problems


def _form_problem(folder: Path, relative: str) -> tuple[str, str] | None:
    """(code, message) of what is wrong with one form path, or None."""
    parts = PurePosixPath(relative).parts
    if (
        relative.startswith("/")
        or len(parts) < 2
        or parts[0] != FORMS_FOLDER
        or ".." in parts
        or any(c in _FORBIDDEN or ord(c) < 32 for c in relative)
    ):
        return (
            "form-outside-town",
            f"“{relative}”：表格文件须放在本镇街文件夹的 forms/ 中，写作 forms/文件名",
        )
    expected = form_type(relative)
    if expected is None:
        return "form-wrong-type", f"“{relative}”：表格文件只能是 .pdf、.docx 或 .xlsx"
    file = folder.joinpath(*parts)
    if not _stays_inside(folder / FORMS_FOLDER, file):
        return "form-outside-town", f"“{relative}”是指向本镇街 forms/ 以外的链接"
    if not file.is_file():
        return "form-missing", f"找不到表格文件 {relative}：请把文件放进本镇街文件夹的 forms/ 中"
    size = file.stat().st_size
    if size > MAX_FORM_BYTES:
        limit = MAX_FORM_BYTES // (1024 * 1024)
        return "form-too-large", f"{relative} 有 {size / 1048576:.1f} MB，上限 {limit} MB"
    if not _content_is(file, expected):
        seems = _looks_like(file)
        return "form-wrong-type", (
            f"{relative} 的内容不是 {expected.label} 文件（按文件内容判断"
            + (f"，看起来是{seems}" if seems else "")
            + "）：请导出为真正的 PDF、DOCX 或 XLSX"
        )
    return None


def _stays_inside(forms: Path, file: Path) -> bool:
    """Whether ``file``, links followed, is inside the town's ``forms/`` (itself no link)."""
    if forms.is_symlink():
        return False
    try:
        real = Path(os.path.realpath(file))
        return real.is_relative_to(Path(os.path.realpath(forms)))
    except OSError:
        return False


def _looks_like(file: Path) -> str | None:
    """A guess at what a refused file is, for the message."""
    with file.open("rb") as handle:
        head = handle.read(512).lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<script" in head:
        return "网页（HTML）"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "旧版 Office 文件（.doc / .xls）"
    if head.startswith(b"%pdf-"):
        return "PDF"
    return None


def _content_is(file: Path, expected: FormType) -> bool:
    with file.open("rb") as handle:
        head = handle.read(8)
    if expected.zip_member is None:
        return head.startswith(b"%PDF-")
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(file) as archive:
            return expected.zip_member in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def form_info(folder: Path, relative: str) -> dict[str, Any]:
    """What a download link says about a checked form: type label, media type, size."""
    expected = form_type(relative)
    assert expected is not None  # checked before
    size = folder.joinpath(*PurePosixPath(relative).parts).stat().st_size
    return {
        "path": relative,
        "type": expected.label,
        "media_type": expected.media_type,
        "size": size,
        "size_text": size_text(size),
    }


def size_text(size: int) -> str:
    """A file size as people read it: 12 KB, 1.5 MB."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1048576:.1f} MB"


def read_forms(folder: Path, paths: tuple[str, ...]) -> dict[str, bytes]:
    """The bytes of checked forms, by their path relative to the town's folder."""
    return {p: folder.joinpath(*PurePosixPath(p).parts).read_bytes() for p in paths}


def form_files(town_folder: Path) -> list[Path]:
    """Every file under a town's ``forms/``, in a stable order (for the town's build key)."""
    forms = town_folder / FORMS_FOLDER
    if not forms.is_dir():
        return []
    return sorted(p for p in forms.rglob("*") if p.is_file())
