"""The docs are checked like code: every schema field and every problem code is documented."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from towncat.cli import main
from towncat.content.problems import CODES
from towncat.content.reference import field_rows
from towncat.content.schema import SCHEMA_NAMES, load_schemas

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_field_and_code_tables_are_up_to_date() -> None:
    out = io.StringIO()
    assert main(["--root", str(REPO), "docs", "--check"], out=out) == 0, out.getvalue()


def test_every_schema_field_is_in_the_readme_with_its_chinese_term() -> None:
    schemas = load_schemas(REPO / "schemas")
    missing = []
    for name in SCHEMA_NAMES[1:]:
        for path, node, _ in field_rows(schemas, schemas.schemas[name]):
            title = node.get("title") or schemas.resolve(node).get("title")
            if f"| `{path}` | {title} |" not in README:
                missing.append(f"{name}: {path}")
    assert missing == []


def test_every_schema_field_has_a_title_description_and_example() -> None:
    schemas = load_schemas(REPO / "schemas")
    lacking = []
    for name in SCHEMA_NAMES[1:]:
        for path, node, _ in field_rows(schemas, schemas.schemas[name]):
            resolved = schemas.resolve(node)
            for key in ("title", "description"):
                if not (node.get(key) or resolved.get(key)):
                    lacking.append(f"{name}: {path} lacks {key}")
    assert lacking == []


def test_schema_descriptions_are_in_chinese() -> None:
    """Editors read them as hovers in their editor and in the field reference."""
    english = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "description" and isinstance(value, str):
                    if not re.search(r"[\u4e00-\u9fff]", value):
                        english.append(f"{where}: {value}")
                else:
                    walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for number, value in enumerate(node):
                walk(value, f"{where}[{number}]")

    for path in sorted((REPO / "schemas").glob("*.schema.json")):
        walk(json.loads(path.read_text(encoding="utf-8")), path.name)
    assert english == []


def test_every_problem_code_is_in_the_readme() -> None:
    assert [c for c in CODES if f"| `{c}` |" not in README] == []


def test_every_configuration_key_is_in_the_readme() -> None:
    from dataclasses import fields

    from towncat.config import Config

    assert [f.name for f in fields(Config) if f"`{f.name}`" not in README] == []


def test_editor_guide_exists_in_chinese() -> None:
    guide = (REPO / "docs" / "editor-guide.md").read_text(encoding="utf-8")
    for topic in ("新增一个镇街", "新增或修改一个事项", "运行检查", "VS Code"):
        assert topic in guide
