"""YAML text for list items, in the house style of the shipped files.

Two-space indents, block mappings and lists, short lists of words in flow style
(``keywords: [a, b]``), multi-line text as ``|`` blocks. A scalar is written plain
only when the strict loader reads it back as exactly the same text without a
problem; otherwise it is double-quoted (JSON escapes are valid YAML).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .loader import parse_yaml

_FLOW_KEYS = frozenset({"keywords", "applicants", "covers_towns", "also_named"})


def render_items(key: str, items: list[Mapping[str, Any]]) -> str:
    """``key:`` followed by every item as a block list entry."""
    return f"{key}:\n" + "".join(render_item(item) for item in items)


def render_item(item: Mapping[str, Any]) -> str:
    """One ``  - id: …`` entry of a list, ending with a newline."""
    lines = _mapping(item, 4)
    return "  - " + lines[0].lstrip() + "".join("\n" + line for line in lines[1:]) + "\n"


def _mapping(value: Mapping[str, Any], indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for key, child in value.items():
        if isinstance(child, Mapping):
            lines.append(f"{pad}{key}:")
            lines += _mapping(child, indent + 2)
        elif isinstance(child, list):
            lines += _list(key, child, indent)
        else:
            lines += scalar_lines(f"{pad}{key}: ", child, indent + 2)
    return lines


def _list(key: str, values: list[Any], indent: int) -> list[str]:
    pad = " " * indent
    if key in _FLOW_KEYS and all(isinstance(v, str) for v in values):
        flow = f"[{', '.join(values)}]"
        if _reads_back(flow, values):
            return [f"{pad}{key}: {flow}"]
    lines = [f"{pad}{key}:"]
    for value in values:
        if isinstance(value, Mapping):
            inner = _mapping(value, indent + 4)
            lines.append(f"{pad}  - " + inner[0].lstrip())
            lines += inner[1:]
        else:
            lines += scalar_lines(f"{pad}  - ", value, indent + 4)
    return lines


def scalar_lines(prefix: str, value: Any, indent: int) -> list[str]:
    if isinstance(value, bool):
        return [prefix + ("true" if value else "false")]
    if isinstance(value, int):
        return [prefix + str(value)]
    text = str(value)
    if "\n" in text:
        block = _block(text, indent)
        if block is not None:
            return [prefix + block[0], *block[1:]]
    elif _reads_back(text, text):
        return [prefix + text]
    return [prefix + json.dumps(text, ensure_ascii=False)]


def _block(text: str, indent: int) -> list[str] | None:
    """``|`` (or ``|-``) and the indented lines, when they read back as ``text``."""
    chomp = "" if text.endswith("\n") and not text.endswith("\n\n") else "-"
    if chomp == "-" and text.endswith("\n"):
        return None
    pad = " " * indent
    body = [pad + line if line else "" for line in text.removesuffix("\n").split("\n")]
    lines = ["|" + chomp, *body]
    parsed = parse_yaml("k: " + "\n".join(lines) + "\n", "-")
    ok = not parsed.problems and isinstance(parsed.value, dict) and parsed.value.get("k") == text
    return lines if ok else None


def _reads_back(written: str, expected: Any) -> bool:
    parsed = parse_yaml(f"k: {written}\n", "-")
    if parsed.problems or not isinstance(parsed.value, dict):
        return False
    value = parsed.value.get("k")
    return value == expected and (not isinstance(value, str) or type(value) is not str)
