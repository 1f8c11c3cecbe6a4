"""Site settings from one TOML file (``towncat.toml``); unknown keys are errors."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

CONFIG_NAME = "towncat.toml"
ADMIN_BACKENDS = ("github", "gitea", "forgejo", "git-gateway")


class ConfigError(Exception):
    """A problem in the configuration file, worded for the person who edits it."""


@dataclass(frozen=True)
class AdminConfig:
    """The optional editing form (``[admin]`` in ``towncat.toml``): Decap CMS in ``site/admin/``."""

    enabled: bool = False
    backend: str = "github"  # github | gitea | forgejo | git-gateway
    repo: str = ""  # "owner/name" on the git host
    branch: str = "main"
    base_url: str = ""  # the OAuth endpoint's origin (Decap's backend.base_url)
    auth_endpoint: str = ""  # its path, when not the backend's default
    api_root: str = ""  # the host's API, e.g. https://git.example.org/api/v1 for Gitea
    app_id: str = ""  # Gitea/Forgejo OAuth application id (PKCE)
    editorial_workflow: bool = False  # saves open pull requests instead of committing
    local_backend: bool = False  # use decap-server on this machine when opened on localhost
    local_backend_url: str = "http://localhost:8081/api/v1"
    source_dir: str = "admin"  # admin/package.json and its node_modules (npm ci)


@dataclass(frozen=True)
class Config:
    title: str = "淄博市镇街权责清单"
    description: str = "淄博市 88 个镇街的赋权事项、职责任务和机构设置"
    base_url: str = "https://example.org/"  # absolute, with a trailing slash; may have a path
    language: str = "zh-CN"
    content_dir: str = "content"
    output_dir: str = "site"
    schema_dir: str = "schemas"
    template_dir: str = "templates"
    static_dir: str = "static"
    cache_dir: str = ".towncat-cache"
    edition_tags: str = "edition/*"  # git tags that mark published editions
    search_bundle_towns: int = 2  # towns per Pagefind bundle (see search/bundles.py)
    publisher: str = "本站为非官方的公开信息整理，内容以各级政府公布的文件为准"
    admin: AdminConfig = AdminConfig()  # [admin]: the editing form, off unless enabled

    @property
    def base_path(self) -> str:
        """The path part of the base URL, e.g. ``/`` or ``/catalogue/``."""
        return urlsplit(self.base_url).path or "/"


def parse_config(text: str, source: str) -> Config:
    """A ``Config`` from TOML text; raises ``ConfigError`` with a Chinese message."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{source}: TOML 语法错误：{err}") from None
    except ValueError:  # an integer of thousands of digits
        raise ConfigError(f"{source}: 数值位数过多") from None
    if "admin" in data:
        data["admin"] = parse_admin(data["admin"], source)
    _check_values(Config, {k: v for k, v in data.items() if k != "admin"}, source, "")
    config = replace(Config(), **data)
    return with_base_url(config, config.base_url, source)


MAX_INT = 10_000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_FOLDERS = frozenset(
    {"content_dir", "output_dir", "cache_dir"}  # read and published, or written
)


def _is_project_folder(value: str) -> bool:
    """A relative path that stays inside the project (output_dir is replaced on build)."""
    path = PurePosixPath(value.replace("\\", "/"))
    return (
        bool(value.strip())
        and not path.is_absolute()
        and ".." not in path.parts
        and ":" not in value
        and path.parts not in ((), (".",))
    )


def parse_admin(value: Any, source: str) -> AdminConfig:
    """The ``[admin]`` table, checked as strictly as the top level."""
    if not isinstance(value, dict):
        raise ConfigError(f"{source}: admin 应为一个表（[admin]）")
    _check_values(AdminConfig, value, source, "admin.")
    admin = replace(AdminConfig(), **value)
    if admin.backend not in ADMIN_BACKENDS:
        raise ConfigError(f"{source}: admin.backend 应为 " + "、".join(ADMIN_BACKENDS))
    if admin.enabled and admin.backend != "git-gateway" and "/" not in admin.repo.strip("/"):
        raise ConfigError(f"{source}: 启用 admin 时 admin.repo 应为“所有者/仓库名”")
    if admin.enabled and admin.backend == "forgejo" and not admin.api_root:
        raise ConfigError(
            f"{source}: admin.backend = forgejo 需要 admin.api_root（https://主机/api/v1）"
        )
    if admin.editorial_workflow and admin.backend == "gitea":
        raise ConfigError(
            f"{source}: Decap 的 gitea 后端不支持 editorial_workflow（审核流程）；"
            "Forgejo 请用 backend = forgejo，或关闭 editorial_workflow"
        )
    for key in ("base_url", "api_root", "local_backend_url"):
        url = getattr(admin, key)
        if url and urlsplit(url).scheme not in ("http", "https"):
            raise ConfigError(f"{source}: admin.{key} 应为 http:// 或 https:// 开头的网址")
    return admin


def _check_values(kind: type, data: dict[str, Any], source: str, prefix: str) -> None:
    """Unknown keys and values of the wrong type are errors, worded for the editor."""
    known = {f.name: f for f in fields(kind)}
    for key, value in data.items():
        if key not in known:
            raise ConfigError(f"{source}: 未知的配置项 {prefix}{key}；允许：" + "、".join(known))
        expected = known[key].type
        if expected in ("int", int):
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_INT:
                raise ConfigError(f"{source}: 配置项 {prefix}{key} 应为 1–{MAX_INT} 之间的整数")
        elif expected in ("bool", bool):
            if not isinstance(value, bool):
                raise ConfigError(f"{source}: 配置项 {prefix}{key} 应为 true 或 false")
        elif not isinstance(value, str):
            raise ConfigError(f"{source}: 配置项 {prefix}{key} 应为文字")
        elif _CONTROL.search(value):
            raise ConfigError(f"{source}: 配置项 {prefix}{key} 含有不可见的控制字符")
        elif not prefix and key in _FOLDERS and not _is_project_folder(value):
            raise ConfigError(
                f"{source}: 配置项 {key} 应为项目目录下的相对路径（不能以 / 开头，不能含 ..）"
            )


def with_base_url(config: Config, base_url: str, source: str = "base_url") -> Config:
    """``config`` with ``base_url`` checked and normalised to end in ``/``."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{source}: base_url 应为 http:// 或 https:// 开头的完整网址")
    if parts.query or parts.fragment:
        raise ConfigError(f"{source}: base_url 不能带 ? 或 # 部分")
    return replace(config, base_url=base_url if base_url.endswith("/") else base_url + "/")


# Hosts reserved for documentation (RFC 2606, RFC 6761): a base URL on one of them is a
# placeholder that nobody can publish at.
PLACEHOLDER_HOSTS = ("example.org", "example.com", "example.net")


def placeholder_warning(config: Config) -> str | None:
    """A warning when ``base_url`` is still a placeholder (``https://example.org/…``), else
    None: every permalink, canonical link, sitemap and feed entry would point there."""
    host = (urlsplit(config.base_url).hostname or "").rstrip(".")
    if not any(host == h or host.endswith("." + h) for h in PLACEHOLDER_HOSTS) and not (
        host == "example" or host.endswith(".example")
    ):
        return None
    return (
        f"base_url 仍是示例地址 {config.base_url}（placeholder base URL）：固定网址、"
        "canonical 链接、站点地图、订阅源和 JSON-LD 都会指向它；"
        f"请在 {CONFIG_NAME} 中把 base_url 设为网站发布的正式网址"
    )


def load_config(root: Path) -> Config:
    """The project's configuration, or the defaults when there is no file."""
    path = root / CONFIG_NAME
    if not path.is_file():
        return Config()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{CONFIG_NAME}: 文件不是 UTF-8 编码，请另存为 UTF-8") from None
    return parse_config(text, CONFIG_NAME)
