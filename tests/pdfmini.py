"""A real, minimal PDF with Chinese text, written by hand: sample forms for tests and content.

The text uses Adobe's standard Chinese font STSong-Light (Adobe-GB1, UCS-2
encoding), which PDF viewers supply themselves, so nothing is embedded and a
one-page form is about 1 KB. ``python tests/pdfmini.py OUT.pdf 标题 行 行 …``
writes one.
"""

from __future__ import annotations

import sys
from pathlib import Path

PAGE = (595, 842)  # A4 in points


def _hex(text: str) -> str:
    return "<" + text.encode("utf-16-be").hex().upper() + ">"


def make_pdf(title: str, lines: list[str]) -> bytes:
    """One A4 page: ``title`` in large type, then ``lines`` below it."""
    ops = [f"BT /F1 18 Tf 56 780 Td {_hex(title)} Tj ET"]
    y = 740
    for line in lines:
        ops.append(f"BT /F1 11 Tf 56 {y} Td {_hex(line)} Tj ET")
        y -= 22
    stream = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE[0]} {PAGE[1]}] "
        "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".encode(),
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
        b"/FontDescriptor 7 0 R >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        b"/FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 880 /StemV 80 >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


if __name__ == "__main__":
    target, title, *rows = sys.argv[1:]
    Path(target).write_bytes(make_pdf(title, rows))
