"""The editing form's files under ``site/admin/``: page, config and the bundled Decap CMS.

Only when ``[admin] enabled = true`` in ``towncat.toml``. The page and ``config.yml``
come from ``site.admin``; the scripts are read from the npm packages installed in
``admin/`` (``npm ci`` there: ``decap-cms`` and ``yaml``, pinned by its lockfile) and
from towncat's own scripts beside them. Nothing is loaded from another site.
"""

from __future__ import annotations

from pathlib import Path

from ..config import Config, ConfigError
from ..content.schema import load_schemas
from ..content.summary import Overview
from ..site.admin import ADMIN_DIR, admin_config, render_admin_config, render_admin_page

#: towncat's scripts in admin/, copied as they are.
OWN_SCRIPTS = ("manual-init.js", "towncat.js", "format.js")
DECAP_DIST = "node_modules/decap-cms/dist"
YAML_DIST = "node_modules/yaml/browser/dist"


def admin_source(root: Path, config: Config) -> Path:
    return root / config.admin.source_dir


def check_installed(root: Path, config: Config) -> None:
    """Raise ``ConfigError`` when the form is enabled but its npm packages are missing:
    before anything is built, so the message comes at once."""
    if not config.admin.enabled:
        return
    if Path(config.content_dir).is_absolute():
        raise ConfigError(
            "[admin] 已启用：content_dir 须是相对于仓库根目录的路径，表单按它提交文件"
        )
    source = admin_source(root, config)
    for path in (source / DECAP_DIST / "decap-cms.js", source / YAML_DIST / "index.js"):
        if not path.is_file():
            raise ConfigError(
                f"[admin] 已启用，但没有安装编辑表单所需的 npm 包（{path} 不存在）："
                f"请在 {source} 中运行 npm ci，或在 towncat.toml 中设 [admin] enabled = false"
            )


def read_bundle(source: Path) -> dict[str, bytes]:
    """Decap's script with the chunks and WebAssembly it loads on demand (no source maps),
    the ``yaml`` package's browser modules, and towncat's scripts; relative to ``admin/``."""
    decap = source / DECAP_DIST
    main = decap / "decap-cms.js"
    files = {p.name: p.read_bytes() for p in sorted(decap.glob("*.decap-cms.js"))}
    files.update({p.name: p.read_bytes() for p in sorted(decap.glob("*.wasm"))})
    files["decap-cms.js"] = main.read_bytes()
    yaml_dist = source / YAML_DIST
    for path in sorted(yaml_dist.rglob("*.js")):
        files["yaml/" + path.relative_to(yaml_dist).as_posix()] = path.read_bytes()
    for name in OWN_SCRIPTS:
        files[name] = (source / name).read_bytes()
    return files


def admin_files(root: Path, config: Config, overview: Overview) -> dict[str, bytes]:
    """Every file of ``site/admin/`` as {output path: bytes}; empty when the form is off."""
    if not config.admin.enabled:
        return {}
    check_installed(root, config)
    bundle = read_bundle(admin_source(root, config))
    settings = admin_config(load_schemas(root / config.schema_dir), overview, config)
    files = {ADMIN_DIR + name: data for name, data in bundle.items()}
    files[ADMIN_DIR + "config.yml"] = render_admin_config(settings)
    files[ADMIN_DIR + "index.html"] = render_admin_page(config)
    return files


def admin_inputs(root: Path, config: Config) -> list[Path]:
    """What the form's files are made from besides the content: for the incremental key."""
    if not config.admin.enabled:
        return []
    source = admin_source(root, config)
    return [
        source / "package-lock.json",
        source / DECAP_DIST / "decap-cms.js",
        *(source / name for name in OWN_SCRIPTS),
    ]
