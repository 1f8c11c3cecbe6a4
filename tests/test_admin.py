"""The editing form: ``[admin]`` settings, Decap's config.yml from the schemas, the files
the build writes under ``site/admin/``, and the YAML format that writes back only what
changed (run in Node.js on the shipped content).

The format tests need Node.js and ``npm ci`` in ``admin/``; without them they are skipped,
or fail under ``TOWNCAT_REQUIRE_BROWSER=1`` (CI installs both).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from towncat_conftest import REPO, SCHEMAS, make_project

from towncat.build.pipeline import check_all
from towncat.cli import main
from towncat.config import AdminConfig, Config, ConfigError, load_config, parse_config
from towncat.content.schema import load_schemas
from towncat.site.admin import admin_config, connect_origins, render_admin_page

ADMIN = REPO / "admin"
YAML_DIST = ADMIN / "node_modules/yaml/browser/dist"

ENABLED = """\
[admin]
enabled = true
backend = "github"
repo = "zibo/catalogue"
"""


def site_config(admin: str) -> str:
    """A towncat.toml for a test project: the repository's templates, the given [admin]."""
    return f'template_dir = "{REPO / "templates"}"\nstatic_dir = "{REPO / "static"}"\n' + admin


def npm_unavailable(reason: str) -> None:
    if os.environ.get("TOWNCAT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"TOWNCAT_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


# -- Settings --------------------------------------------------------------------------


def test_the_form_is_off_unless_enabled() -> None:
    assert Config().admin == AdminConfig()
    assert not parse_config('title = "x"\n', "towncat.toml").admin.enabled
    assert not load_config(REPO).admin.enabled  # the shipped site has no form


def test_admin_table_is_read_with_its_types() -> None:
    admin = parse_config(ENABLED + 'editorial_workflow = true\nbranch = "master"\n', "t").admin
    assert (admin.enabled, admin.repo, admin.branch, admin.editorial_workflow) == (
        True,
        "zibo/catalogue",
        "master",
        True,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[admin]\nenable = true\n", "未知的配置项 admin.enable"),
        ('[admin]\nenabled = "yes"\n', "admin.enabled 应为 true 或 false"),
        ("[admin]\nrepo = 3\n", "admin.repo 应为文字"),
        ('admin = "on"\n', "admin 应为一个表"),
        ('[admin]\nbackend = "gitlab"\n', "admin.backend 应为 github、gitea、forgejo、git-gateway"),
        (ENABLED.replace("github", "forgejo"), "forgejo 需要 admin.api_root"),
        (ENABLED.replace("github", "gitea") + "editorial_workflow = true\n", "gitea 后端不支持"),
        ("[admin]\nenabled = true\n", "admin.repo 应为“所有者/仓库名”"),
        (ENABLED + 'base_url = "javascript:alert(1)"\n', "admin.base_url 应为 http"),
    ],
)
def test_bad_admin_settings_are_configuration_errors(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config(text, "towncat.toml")


# -- config.yml from the schemas ---------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The form's configuration for the minimal project (towns alpha and beta)."""
    root = make_project(tmp_path_factory.mktemp("admin") / "proj", config=ENABLED)
    config = load_config(root)
    check = check_all(root, config)
    assert check.overview is not None, check.problems
    return admin_config(load_schemas(SCHEMAS), check.overview, config)


def _collection(config: dict[str, Any], slug: str) -> dict[str, Any]:
    return next(c for c in config["collections"] if c["name"] == f"town-{slug}")


def _file(config: dict[str, Any], slug: str, kind: str) -> dict[str, Any]:
    return next(f for f in _collection(config, slug)["files"] if f["name"] == kind)


def _field(fields: list[dict[str, Any]], *path: str) -> dict[str, Any]:
    field = next(f for f in fields if f["name"] == path[0])
    return _field(field["fields"], *path[1:]) if len(path) > 1 else field


def _schema_item(kind: str) -> dict[str, Any]:
    return dict(
        json.loads((SCHEMAS / f"{kind}.schema.json").read_text())["properties"][kind]["items"]
    )


def test_one_collection_per_town_with_one_file_per_list(generated: dict[str, Any]) -> None:
    # in the site's order of towns: by county code (淄川区 370302 before 桓台县 370321)
    assert [c["name"] for c in generated["collections"]] == ["town-beta", "town-alpha"]
    alpha = _collection(generated, "alpha")
    assert alpha["label"] == "马桥镇（桓台县）"
    assert alpha["format"] == "towncat-yaml"
    assert [(f["name"], f["file"]) for f in alpha["files"]] == [
        (kind, f"content/towns/alpha/{kind}.yaml")
        for kind in ("town", "powers", "duties", "institutions")
    ]
    assert generated["locale"] == "zh_Hans"
    assert generated["backend"] == {
        "name": "github",
        "branch": "main",
        "repo": "zibo/catalogue",
        "commit_messages": {
            "create": "编辑表单：新建 {{path}}",
            "update": "编辑表单：修改 {{path}}",
        },
    }
    assert "local_backend" not in generated and "publish_mode" not in generated


def test_labels_and_hints_come_from_the_schema(generated: dict[str, Any]) -> None:
    powers = _file(generated, "alpha", "powers")
    assert powers["label"] == "赋权事项清单（放权目录）"
    item = _schema_item("powers")["properties"]
    fields = _field(powers["fields"], "powers")["fields"]
    for field in fields:
        assert field["label"] == item[field["name"]]["title"]
        assert field["hint"] == item[field["name"]]["description"]
    assert [f["name"] for f in fields] == list(item)


def test_enums_are_selects_and_offices_are_the_towns_own(generated: dict[str, Any]) -> None:
    powers = _field(_file(generated, "alpha", "powers")["fields"], "powers")["fields"]
    kind = _field(powers, "type")
    assert kind["widget"] == "select"
    assert kind["options"] == _schema_item("powers")["properties"]["type"]["enum"]
    office = _field(powers, "handling_office")
    assert office == {**office, "widget": "select", "required": True}
    assert office["options"] == [
        {"label": "综合行政执法办公室（enforcement）", "value": "enforcement"},
        {"label": "安全生产和环境保护办公室（safety）", "value": "safety"},
        {"label": "党政办公室（party-office）", "value": "party-office"},
    ]
    duties = _field(_file(generated, "alpha", "duties")["fields"], "duties")["fields"]
    assert _field(duties, "lead_office")["options"] == office["options"]
    beta = _field(_file(generated, "beta", "powers")["fields"], "powers")["fields"]
    assert _field(beta, "handling_office")["options"] == []  # beta has no offices yet
    county = _field(_file(generated, "alpha", "town")["fields"], "county")
    assert county["options"] == ["桓台县", "淄川区"]
    covers = _field(
        _field(_file(generated, "alpha", "institutions")["fields"], "institutions")["fields"],
        "covers_towns",
    )
    assert covers["widget"] == "select" and covers["multiple"] is True
    assert [o["value"] for o in covers["options"]] == ["beta", "alpha"]


def test_nested_fields_are_lists_and_objects(generated: dict[str, Any]) -> None:
    powers = _field(_file(generated, "alpha", "powers")["fields"], "powers")
    assert powers["widget"] == "list" and powers["required"] is True
    assert powers["summary"] == "{{fields.id}} {{fields.name}}"
    basis = _field(powers["fields"], "basis")
    assert (basis["widget"], basis["min"], basis["required"]) == ("list", 1, True)
    assert [(f["name"], f["required"]) for f in basis["fields"]] == [
        ("law", True),
        ("article", False),
        ("text", False),
        ("revised", False),
    ]
    keywords = _field(powers["fields"], "keywords")
    assert keywords["field"]["widget"] == "string"
    staffing = _field(
        _field(_file(generated, "alpha", "institutions")["fields"], "institutions")["fields"],
        "staffing",
    )
    assert staffing["widget"] == "object"
    assert _field(staffing["fields"], "administrative")["value_type"] == "int"
    sample = _field(_file(generated, "alpha", "town")["fields"], "sample")
    assert sample["widget"] == "boolean"


def test_an_optional_objects_fields_are_not_required(generated: dict[str, Any]) -> None:
    """Decap would refuse to save while an absent optional object lacks its title."""
    powers = _field(_file(generated, "alpha", "powers")["fields"], "powers")["fields"]
    act = _field(powers, "delegating_act")
    assert act["required"] is False
    assert all(f["required"] is False for f in act["fields"])
    sources = _field(powers, "sources")  # a list's items keep their required fields
    assert _field(sources["fields"], "title")["required"] is True


def test_dates_and_patterns_are_checked_in_the_form(generated: dict[str, Any]) -> None:
    powers = _field(_file(generated, "alpha", "powers")["fields"], "powers")["fields"]
    assert _field(powers, "effective_from")["pattern"][0] == "^\\d{4}-\\d{2}-\\d{2}$"
    assert _field(powers, "id")["pattern"][0] == "^[a-z0-9]+(-[a-z0-9]+)*$"


def test_local_backend_and_editorial_workflow_when_asked() -> None:
    admin = AdminConfig(
        enabled=True,
        repo="a/b",
        backend="forgejo",
        api_root="https://git.example.org/api/v1",
        app_id="abc",
        editorial_workflow=True,
        local_backend=True,
        local_backend_url="http://127.0.0.1:9000/api/v1",
    )
    root = make_project(Path(os.environ.get("TMPDIR", "/tmp")) / f"towncat-admin-{os.getpid()}")
    config = Config(admin=admin)
    check = check_all(root, config)
    assert check.overview is not None
    data = admin_config(load_schemas(SCHEMAS), check.overview, config)
    assert data["publish_mode"] == "editorial_workflow"
    assert data["local_backend"] == {"url": "http://127.0.0.1:9000/api/v1"}
    assert data["backend"]["api_root"] == "https://git.example.org/api/v1"
    assert connect_origins(admin) == ["http://127.0.0.1:9000", "https://git.example.org"]
    shutil.rmtree(root)


def test_the_page_allows_no_other_site_but_the_git_host() -> None:
    page = render_admin_page(Config(title="<标题>", admin=AdminConfig(enabled=True, repo="a/b")))
    text = page.decode()
    assert "&lt;标题&gt;" in text and "<标题>" not in text
    assert "connect-src &#x27;self&#x27; https://api.github.com;" in text
    assert "script-src &#x27;self&#x27;" in text
    assert re.findall(r'<script[^>]* src="([^"]+)"', text) == [
        "manual-init.js",
        "decap-cms.js",
        "towncat.js",
    ]
    assert re.findall(r'href="([^"]+)"', text) == ["config.yml"]


# -- The build -------------------------------------------------------------------------


def _fake_source(folder: Path) -> Path:
    """An admin/ folder shaped like an installed one, with tiny stand-ins for the
    packages: the build's choice of files is what is under test."""
    dist = folder / "node_modules/decap-cms/dist"
    dist.mkdir(parents=True)
    for name in (
        "decap-cms.js",
        "12.decap-cms.js",
        "ab.wasm",
        "decap-cms.js.map",
        "cms.js",
        "12.cms.js",
    ):
        (dist / name).write_text(f"/* {name} */")
    yaml_dist = folder / "node_modules/yaml/browser/dist/nodes"
    yaml_dist.mkdir(parents=True)
    (yaml_dist.parent / "index.js").write_text("export {};")
    (yaml_dist / "Node.js").write_text("export {};")
    for name in ("manual-init.js", "towncat.js", "format.js", "package-lock.json"):
        shutil.copyfile(ADMIN / name, folder / name)
    return folder


def test_build_writes_the_form_only_when_enabled(tmp_path: Path) -> None:
    source = _fake_source(tmp_path / "admin-src")
    root = make_project(
        tmp_path / "proj", config=site_config(ENABLED + f'source_dir = "{source}"\n')
    )
    assert main(["--root", str(root), "build", "--no-search"], out=io.StringIO()) == 0
    admin = root / "site/admin"
    assert sorted(p.relative_to(admin).as_posix() for p in admin.rglob("*") if p.is_file()) == [
        "12.decap-cms.js",
        "ab.wasm",
        "config.yml",
        "decap-cms.js",
        "format.js",
        "index.html",
        "manual-init.js",
        "towncat.js",
        "yaml/index.js",
        "yaml/nodes/Node.js",
    ]
    config = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert [c["name"] for c in config["collections"]] == ["town-beta", "town-alpha"]
    (root / "towncat.toml").write_text(site_config("[admin]\nenabled = false\n"), encoding="utf-8")
    assert main(["--root", str(root), "build", "--no-search"], out=io.StringIO()) == 0
    assert not (root / "site/admin").exists()
    assert (root / "site/index.html").is_file()


def test_enabled_without_npm_packages_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(
        tmp_path / "proj", config=site_config(ENABLED + f'source_dir = "{tmp_path / "none"}"\n')
    )
    assert main(["--root", str(root), "build", "--no-search"], out=io.StringIO()) == 2
    error = capsys.readouterr().err
    assert "[admin] 已启用，但没有安装编辑表单所需的 npm 包" in error and "npm ci" in error
    assert not (root / "site").exists()


# -- The YAML format, in Node.js --------------------------------------------------------

DRIVER = """
import { yamlFormat } from './format.js';
import fs from 'node:fs';
const cases = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = cases.map(({ text, edit }) => {
  const data = yamlFormat.fromFile(text);
  const changed = new Function('data', edit + '; return data;')(structuredClone(data));
  return { data, text: yamlFormat.toFile(changed) };
});
process.stdout.write(JSON.stringify(out));
"""


def run_format(tmp_path: Path, cases: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Each (file text, JavaScript that edits ``data``) through fromFile, the edit, toFile."""
    node = shutil.which("node")
    if node is None or not (YAML_DIST / "index.js").is_file():
        npm_unavailable("Node.js or the yaml package (npm ci in admin/) is missing")
    folder = tmp_path / "format"
    folder.mkdir()
    shutil.copyfile(ADMIN / "format.js", folder / "format.js")
    (folder / "yaml").symlink_to(YAML_DIST, target_is_directory=True)
    (folder / "driver.mjs").write_text(DRIVER, encoding="utf-8")
    payload = json.dumps([{"text": t, "edit": e} for t, e in cases])
    done = subprocess.run(
        [str(node), "driver.mjs"],
        cwd=folder,
        input=payload,
        text=True,
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result: list[dict[str, Any]] = json.loads(done.stdout)
    return result


def changed_lines(old: str, new: str) -> list[str]:
    import difflib

    return [
        line
        for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]


def test_saving_unchanged_files_gives_the_same_bytes(tmp_path: Path) -> None:
    files = sorted((REPO / "content").rglob("*.yaml"))
    results = run_format(tmp_path, [(f.read_text(encoding="utf-8"), "") for f in files])
    assert [
        f for f, r in zip(files, results, strict=True) if r["text"] != f.read_text(encoding="utf-8")
    ] == []


def test_only_the_edited_values_change(tmp_path: Path) -> None:
    text = (REPO / "content/towns/maqiao/powers.yaml").read_text(encoding="utf-8")
    edits = [
        "data.powers[2].name = '新的名称'",
        "data.powers[5].keywords.push('新词')",
        "delete data.powers[9].remedies; data.powers[7].sub_item = ''",
        "data.powers.splice(11, 1)",
        "data.powers.splice(1, 0, {id: 'cf-new', name: '新事项', type: '行政许可', basis: [{law: '《某法》'}], handling_office: 'service-center'})",
        "data.powers[0].name = 'a: b'; data.powers[1].code = '0533'",
    ]
    results = run_format(tmp_path, [(text, edit) for edit in edits])
    name, keyword, removed, deleted, added, quoted = (r["text"] for r in results)
    powers = results[0]["data"]["powers"]
    assert changed_lines(text, name) == [f"-    name: {powers[2]['name']}", "+    name: 新的名称"]
    (old_keywords,) = [line for line in changed_lines(text, keyword) if line.startswith("-")]
    assert changed_lines(text, keyword) == [
        old_keywords,
        old_keywords[:-1].replace("-", "+", 1) + ", 新词]",
    ]
    assert changed_lines(text, removed) == [f"-    remedies: {powers[9]['remedies']}"]
    assert all(line.startswith("-") for line in changed_lines(text, deleted))
    assert f"-  - id: {powers[11]['id']}" in changed_lines(text, deleted)
    assert changed_lines(text, added) == [
        "+  - id: cf-new",
        "+    name: 新事项",
        "+    type: 行政许可",
        "+    basis:",
        "+      - law: 《某法》",
        "+    handling_office: service-center",
    ]
    assert changed_lines(text, quoted) == [
        f"-    name: {powers[0]['name']}",
        '+    name: "a: b"',
        "+    code: 0533",
    ]


def test_numbers_and_booleans_are_typed_and_the_rest_is_text(tmp_path: Path) -> None:
    text = 'a: 5\nb: "5"\nc: 0533\nd: true\ne: 2024-01-01\nf: no\n'
    (result,) = run_format(tmp_path, [(text, "data.a = 6")])
    assert result["data"] == {
        "a": 5,
        "b": "5",
        "c": "0533",
        "d": True,
        "e": "2024-01-01",
        "f": "no",
    }
    assert result["text"] == text.replace("a: 5", "a: 6")


def test_a_new_file_gets_its_schema_line(tmp_path: Path) -> None:
    (result,) = run_format(tmp_path, [("", "data.powers = [{id: 'a', name: '名'}]")])
    assert result["text"].startswith(
        "# yaml-language-server: $schema=../../../schemas/powers.schema.json\n"
    )


def test_an_incremental_build_offers_a_new_office_in_the_form(tmp_path: Path) -> None:
    source = _fake_source(tmp_path / "admin-src")
    root = make_project(
        tmp_path / "proj", config=site_config(ENABLED + f'source_dir = "{source}"\n')
    )
    assert main(["--root", str(root), "build", "--no-search"], out=io.StringIO()) == 0
    offices = root / "content/towns/alpha/institutions.yaml"
    offices.write_text(
        offices.read_text(encoding="utf-8")
        + "  - id: new-office\n    name: 新设办公室\n    kind: 其他\n    functions: [负责新工作]\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    assert main(["--root", str(root), "build", "--no-search"], out=out) == 0
    assert "沿用上次结果" in out.getvalue()  # beta was reused, with its summary from the manifest
    config = yaml.safe_load((root / "site/admin/config.yml").read_text(encoding="utf-8"))
    powers = _field(_file(config, "alpha", "powers")["fields"], "powers")["fields"]
    assert {"label": "新设办公室（new-office）", "value": "new-office"} in _field(
        powers, "handling_office"
    )["options"]
    shutil.rmtree(root / ".towncat-cache")
    incremental = (root / "site/admin/config.yml").read_bytes()
    assert main(["--root", str(root), "build", "--no-search"], out=io.StringIO()) == 0
    assert (root / "site/admin/config.yml").read_bytes() == incremental


def test_the_form_needs_a_content_dir_inside_the_repository(tmp_path: Path) -> None:
    from towncat.build.admin import check_installed

    config = Config(
        content_dir=str(tmp_path / "content"), admin=AdminConfig(enabled=True, repo="a/b")
    )
    with pytest.raises(ConfigError, match="content_dir 须是相对于仓库根目录的路径"):
        check_installed(tmp_path, config)
    check_installed(tmp_path, Config(content_dir=str(tmp_path / "content")))  # off: no check
