"""The editing form (Decap CMS in ``site/admin/``): its ``config.yml`` from the JSON Schemas.

``admin_config`` is a pure function of the schemas, the towns' summaries and the
settings: one collection per town, one file per list, every field with its
Chinese label and hint from the schema, select widgets for enums, for the town's
office ids and for town slugs. ``render_admin_config`` and ``render_admin_page``
give the bytes the build writes; the Decap bundle itself is copied by the build.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..config import AdminConfig, Config
from ..content.schema import SchemaSet
from ..content.summary import Overview, TownSummary
from ..content.validate import OFFICE_FIELDS

ADMIN_DIR = "admin/"
FORMAT = "towncat-yaml"  # registered by admin/towncat.js: writes back only what changed
#: The files of a town folder, in the order the form lists them.
TOWN_FILES = ("town", "powers", "duties", "institutions")
#: Fields whose values are town slugs (a select over every town of the city).
TOWN_FIELDS = {("institutions", "covers_towns")}
_LONG_TEXT = 200  # strings allowed to be longer than this get a text area
_API_ROOTS = {"github": "https://api.github.com"}


def admin_config(schemas: SchemaSet, overview: Overview, config: Config) -> dict[str, Any]:
    """Decap's configuration as plain data (the YAML file is its dump)."""
    admin = config.admin
    towns = [(t.slug, t.name) for t in overview.towns]
    counties = tuple(c.name for c in overview.region.counties)
    shared = {kind: _Fields(schemas, kind, towns, counties) for kind in TOWN_FILES}
    data: dict[str, Any] = {"backend": _backend(admin)}
    if admin.local_backend:
        data["local_backend"] = {"url": admin.local_backend_url}
    if admin.editorial_workflow:
        data["publish_mode"] = "editorial_workflow"
    data.update(
        {
            "locale": "zh_Hans",
            "site_url": config.base_url,
            "display_url": config.base_url,
            "media_folder": "admin/uploads",  # required by Decap; no field uploads media
            "editor": {"preview": False},
            "collections": [
                _town_collection(town, config.content_dir, shared) for town in overview.towns
            ],
        }
    )
    return data


def _backend(admin: AdminConfig) -> dict[str, Any]:
    backend: dict[str, Any] = {"name": admin.backend, "branch": admin.branch}
    if admin.repo:
        backend["repo"] = admin.repo
    for key in ("base_url", "auth_endpoint", "api_root", "app_id"):
        if getattr(admin, key):
            backend[key] = getattr(admin, key)
    backend["commit_messages"] = {
        "create": "编辑表单：新建 {{path}}",
        "update": "编辑表单：修改 {{path}}",
    }
    return backend


def _town_collection(
    town: TownSummary, content_dir: str, shared: Mapping[str, _Fields]
) -> dict[str, Any]:
    folder = f"{content_dir.strip('/')}/towns/{town.slug}"
    files = []
    for kind in TOWN_FILES:
        fields = shared[kind].for_town(town.offices)
        files.append(
            {
                "name": kind,
                "label": shared[kind].title,
                "file": f"{folder}/{kind}.yaml",
                "description": shared[kind].description,
                "fields": fields,
            }
        )
    return {
        "name": f"town-{town.slug}",
        "label": f"{town.name}（{town.county}）",
        "description": f"{town.name}的镇街信息和清单：{folder}/",
        "format": FORMAT,
        "extension": "yaml",
        "delete": False,
        "files": files,
    }


class _Fields:
    """The form fields of one kind of file. Fields that do not depend on the town are
    built once and shared, so the YAML dump writes them once (as anchors)."""

    def __init__(
        self,
        schemas: SchemaSet,
        kind: str,
        towns: list[tuple[str, str]],
        counties: tuple[str, ...] = (),
    ) -> None:
        self.schemas = schemas
        self.kind = kind
        self.towns = towns
        self.counties = counties
        root = schemas.schemas[kind]
        self.title = str(root.get("title", kind))
        self.description = str(root.get("description", ""))
        self.cache: dict[tuple[tuple[str, str], ...], list[dict[str, Any]]] = {}
        self.fields = self.object_fields(root, (), ())

    def for_town(self, offices: tuple[tuple[str, str], ...]) -> list[dict[str, Any]]:
        if self.kind not in OFFICE_FIELDS:
            return self.fields
        if offices not in self.cache:
            self.cache[offices] = self.object_fields(self.schemas.schemas[self.kind], (), offices)
        return self.cache[offices]

    def object_fields(
        self,
        node: Mapping[str, Any],
        path: tuple[str, ...],
        offices: tuple[tuple[str, str], ...],
        optional: bool = False,
    ) -> list[dict[str, Any]]:
        """The fields of an object. Inside an ``optional`` object nothing is required:
        Decap would demand an optional, empty object's required fields (``check`` still
        reports a present object that lacks them)."""
        node = self.schemas.resolve(node)
        required = set(node.get("required", ())) if not optional else set()
        return [
            self.field(name, child, (*path, name), name in required, offices)
            for name, child in node.get("properties", {}).items()
        ]

    def field(
        self,
        name: str,
        outer: Mapping[str, Any],
        path: tuple[str, ...],
        required: bool,
        offices: tuple[tuple[str, str], ...],
    ) -> dict[str, Any]:
        node = self.schemas.resolve(outer)
        title = outer.get("title", node.get("title", name))
        hint = outer.get("description", node.get("description", ""))
        spec: dict[str, Any] = {"name": name, "label": title, "required": required}
        if hint:
            spec["hint"] = hint
        spec.update(self.widget(node, path, offices, optional=not required))
        return spec

    def widget(
        self,
        node: Mapping[str, Any],
        path: tuple[str, ...],
        offices: tuple[tuple[str, str], ...],
        optional: bool = False,
    ) -> dict[str, Any]:
        kind = node.get("type")
        if kind == "object":
            fields = self.object_fields(node, path, offices, optional)
            return {"widget": "object", "collapsed": True, "fields": fields}
        if kind == "array":
            return self.list_widget(node, path, offices)
        if kind == "integer":
            spec: dict[str, Any] = {"widget": "number", "value_type": "int"}
            spec.update({k: node[k] for k in ("minimum", "maximum") if k in node})
            return {_DECAP_NAMES.get(k, k): v for k, v in spec.items()}
        if kind == "boolean":
            return {"widget": "boolean"}
        return self.string_widget(node, path, offices)

    def list_widget(
        self, node: Mapping[str, Any], path: tuple[str, ...], offices: tuple[tuple[str, str], ...]
    ) -> dict[str, Any]:
        item = self.schemas.resolve(node["items"])
        if (self.kind, path[-1]) in TOWN_FIELDS:
            return {"widget": "select", "multiple": True, "options": _town_options(self.towns)}
        spec: dict[str, Any] = {"widget": "list", "collapsed": True}
        if node.get("minItems"):
            spec["min"] = node["minItems"]
        if item.get("type") == "object":
            spec["fields"] = self.object_fields(item, path, offices)
            names = [f["name"] for f in spec["fields"]]
            shown = [n for n in ("id", "name", "title", "law", "article") if n in names][:2]
            if shown:
                spec["summary"] = " ".join("{{fields." + n + "}}" for n in shown)
        else:
            spec["field"] = {"name": "item", "label": "一项", **self.widget(item, path, offices)}
        return spec

    def string_widget(
        self, node: Mapping[str, Any], path: tuple[str, ...], offices: tuple[tuple[str, str], ...]
    ) -> dict[str, Any]:
        if "enum" in node:
            return {"widget": "select", "options": list(node["enum"])}
        if OFFICE_FIELDS.get(self.kind) == path[-1] and len(path) == 2:
            return {"widget": "select", "options": _office_options(offices)}
        if (self.kind, path[-1]) == ("town", "county") and self.counties:
            return {"widget": "select", "options": list(self.counties)}
        long = "contentMediaType" in node or (
            node.get("maxLength", 0) > _LONG_TEXT and "pattern" not in node
        )
        spec: dict[str, Any] = {"widget": "text" if long else "string"}
        if node.get("format") == "date":
            spec["pattern"] = ["^\\d{4}-\\d{2}-\\d{2}$", "格式为 YYYY-MM-DD，例如 2024-03-01"]
        elif "pattern" in node:
            spec["pattern"] = [node["pattern"], "格式不对：" + node.get("description", "")]
        return spec


_DECAP_NAMES = {"minimum": "min", "maximum": "max"}


def _office_options(offices: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    return [{"label": f"{name}（{office_id}）", "value": office_id} for office_id, name in offices]


def _town_options(towns: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"label": f"{name}（{slug}）", "value": slug} for slug, name in towns]


def render_admin_config(data: Mapping[str, Any]) -> bytes:
    """``config.yml``: fields shared by several towns are written once, as YAML anchors."""
    text = yaml.dump(data, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False, width=1000)
    return (
        "# 由 towncat 根据 schemas/ 生成，请勿手改（towncat.toml 的 [admin]）\n" + text
    ).encode()


def connect_origins(admin: AdminConfig) -> list[str]:
    """Where the page may send requests besides its own origin: the git host's API and,
    for tests and local editing, decap-server."""
    urls = [admin.api_root or _API_ROOTS.get(admin.backend, "")]
    if admin.local_backend:
        urls.append(admin.local_backend_url)
    origins = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return sorted(set(origins))


def render_admin_page(config: Config) -> bytes:
    """``admin/index.html``: the bundled Decap and nothing from another site. The
    Content-Security-Policy keeps it that way in the browser: scripts, styles and
    fonts from this site only, requests to this site and the git host only."""
    connect = " ".join(["'self'", *connect_origins(config.admin)])
    policy = (
        "default-src 'self'; "
        "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; "  # Decap compiles its config schema (ajv)
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; "
        "font-src 'self' data:; "
        f"connect-src {connect}; "
        "frame-src 'self'; object-src 'none'; base-uri 'self'"
    )
    return _PAGE.format(policy=html.escape(policy), title=html.escape(config.title)).encode()


_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<title>编辑表单 · {title}</title>
<link rel="cms-config-url" type="text/yaml" href="config.yml">
<script src="manual-init.js"></script>
<script src="decap-cms.js"></script>
<script type="module" src="towncat.js"></script>
</head>
<body>
<noscript>编辑表单需要启用 JavaScript。也可以直接编辑 content/ 中的 YAML 文件。</noscript>
</body>
</html>
"""
