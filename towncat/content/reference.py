"""The README's field, module and problem-code tables, from the schemas, docstrings and ``CODES``.

``python build.py docs`` rewrites the marked sections of README.md; a test fails
when they are out of date, so a field or code can never go undocumented.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from .problems import CODES
from .schema import SchemaSet

PACKAGE = Path(__file__).parent.parent  # towncat/, whose modules the README lists
FILES = (
    ("region", "content/region.yaml"),
    ("thesaurus", "content/thesaurus.yaml"),
    ("editions", "content/editions.yaml"),
    ("town", "content/towns/<slug>/town.yaml"),
    ("powers", "content/towns/<slug>/powers.yaml"),
    ("duties", "content/towns/<slug>/duties.yaml"),
    ("institutions", "content/towns/<slug>/institutions.yaml"),
)
_TYPE_LABELS = {
    "string": "text",
    "integer": "integer",
    "boolean": "true/false",
    "array": "list",
    "object": "mapping",
}


def _type_label(schemas: SchemaSet, node: Mapping[str, Any]) -> str:
    resolved = schemas.resolve(node)
    kind = resolved.get("type", "")
    if kind == "array":
        item = schemas.resolve(resolved.get("items", {}))
        inner = (
            "mappings"
            if item.get("type") == "object"
            else _TYPE_LABELS.get(item.get("type", ""), "")
        )
        return f"list of {inner}"
    label = _TYPE_LABELS.get(kind, kind)
    if resolved.get("format") == "date":
        label = "date"
    if "enum" in resolved:
        label += ": " + " / ".join(resolved["enum"])
    if resolved.get("contentMediaType") == "text/markdown":
        label = "Markdown"
    return str(label)


def _example(node: Mapping[str, Any], resolved: Mapping[str, Any]) -> str:
    examples = node.get("examples") or resolved.get("examples") or []
    if not examples:
        return ""
    value = examples[0]
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = text.replace("\n", " ").replace("|", "\\|")
    return f"`{text if len(text) <= 60 else text[:60] + '…'}`"


def field_rows(
    schemas: SchemaSet, node: Mapping[str, Any], prefix: str = ""
) -> Iterator[tuple[str, Mapping[str, Any], bool]]:
    """(dotted path, schema node, required) for every property, depth first."""
    resolved = schemas.resolve(node)
    if resolved.get("type") == "array":
        yield from field_rows(schemas, resolved.get("items", {}), prefix + "[]")
        return
    required = set(resolved.get("required", ()))
    for name, child in resolved.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        yield path, child, name in required
        yield from field_rows(schemas, child, path)


def render_fields(schemas: SchemaSet) -> str:
    lines = []
    for name, where in FILES:
        schema = schemas.schemas[name]
        lines += [
            f"#### `{where}` — {schema['title']}",
            "",
            schema["description"],
            "",
            "| field | 中文 | type | required | meaning | example |",
            "|---|---|---|---|---|---|",
        ]
        for path, node, required in field_rows(schemas, schema):
            resolved = schemas.resolve(node)
            title = node.get("title") or resolved.get("title", "")
            description = node.get("description") or resolved.get("description", "")
            lines.append(
                f"| `{path}` | {title} | {_type_label(schemas, node)} | "
                f"{'yes' if required else ''} | {description} | "
                f"{_example(node, resolved)} |"
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_codes() -> str:
    lines = ["| code | severity | 含义 |", "|---|---|---|"]
    lines += [f"| `{c.name}` | {c.severity.value} | {c.summary} |" for c in CODES.values()]
    return "\n".join(lines) + "\n"


def replace_section(text: str, name: str, body: str) -> str:
    """``text`` with the lines between ``<!-- name:start -->`` and ``<!-- name:end -->`` set."""
    pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"README has no {name} section markers")
    return pattern.sub(lambda m: m.group(1) + body + m.group(2), text)


def _docstring(path: Path) -> str:
    return ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""


def _cell(text: str) -> str:
    """A docstring's first line as a Markdown table cell."""
    line = text.splitlines()[0] if text else ""
    return line.replace("``", "`").replace("|", "\\|")


def _stage_rank(init: Path) -> int:
    """Stages in pipeline order: by how many stages each may import."""
    match = re.search(r"May import: (.*)", _docstring(init))
    return 0 if not match or "nothing" in match.group(1) else match.group(1).count(",") + 1


def render_modules(package: Path) -> str:
    """One row per module, stage by stage, from the docstrings in ``package``."""
    lines = ["| module | what it does |", "|---|---|"]
    top = sorted(p for p in package.glob("*.py") if p.name != "__init__.py")
    lines += [f"| `{p.name}` | {_cell(_docstring(p))} |" for p in top]
    inits = sorted(package.glob("*/__init__.py"), key=lambda p: (_stage_rank(p), p.parent.name))
    for init in inits:
        stage = init.parent
        lines.append(f"| **`{stage.name}/`** | **{_cell(_docstring(init))}** |")
        for path in sorted(stage.glob("*.py")):
            if path.name != "__init__.py":
                lines.append(f"| `{stage.name}/{path.name}` | {_cell(_docstring(path))} |")
    return "\n".join(lines) + "\n"


def render_readme(text: str, schemas: SchemaSet, package: Path = PACKAGE) -> str:
    text = replace_section(text, "fields", render_fields(schemas))
    text = replace_section(text, "modules", render_modules(package))
    return replace_section(text, "codes", render_codes())
