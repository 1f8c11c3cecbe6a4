"""The editing form (Decap CMS, ``site/admin/``) in a real Chromium, saving through
Decap's own local git backend (``decap-server`` with ``MODE=git``) into a test repository.

The test builds a small project with ``[admin] enabled = true``, serves ``site/``, starts
``decap-server`` on the test repository, opens the form, changes one power's name and
publishes. The new commit must pass ``python build.py check`` and change exactly that
line. No request may leave 127.0.0.1: the page loads nothing from another site.

Needs Node.js and ``npm ci`` in ``admin/`` (``decap-cms``, ``yaml``, ``decap-server``);
without them the test is skipped, or fails under ``TOWNCAT_REQUIRE_BROWSER=1`` (CI).
``TOWNCAT_UPDATE_SCREENSHOTS=1`` copies the form's screenshot to ``docs/images/``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import REPO, _QuietHandler, _serve, browser_unavailable
from towncat_conftest import make_project

pytestmark = pytest.mark.browser

ADMIN = REPO / "admin"
DECAP_SERVER = ADMIN / "node_modules/decap-server/dist/index.js"
SCREENSHOT = REPO / "docs/images/admin-form.png"
EMAIL = "editor@example.org"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, env=_git_env(), capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def _git_env() -> dict[str, str]:
    return {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "张编辑",
        "GIT_COMMITTER_NAME": "张编辑",
        "GIT_AUTHOR_EMAIL": EMAIL,
        "GIT_COMMITTER_EMAIL": EMAIL,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """The built site at ``http://127.0.0.1:<port>/`` (the browser tests' own server)."""
    with _serve(_QuietHandler, folder) as origin:
        yield origin + "/"


def require_npm() -> str:
    """Node.js, when ``npm ci`` has installed the form's packages in admin/; else skip
    (or fail under TOWNCAT_REQUIRE_BROWSER=1)."""
    node = shutil.which("node")
    if (
        node is None
        or not DECAP_SERVER.is_file()
        or not (ADMIN / "node_modules/decap-cms").is_dir()
    ):
        browser_unavailable(
            "the editing form's npm packages are not installed (Node.js and `npm ci` in admin/)"
        )
    return node


@contextlib.contextmanager
def decap_server(repo: Path, port: int, log: Path) -> Iterator[None]:
    """``decap-server`` in git mode on ``repo``: every save is a commit on its branch."""
    node = require_npm()
    env = {
        **_git_env(),
        "MODE": "git",
        "GIT_REPO_DIRECTORY": str(repo),
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",
        "LOG_LEVEL": "info",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [node, str(DECAP_SERVER)], cwd=repo, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 20
            while True:
                with (
                    contextlib.suppress(OSError),
                    socket.create_connection(("127.0.0.1", port), 0.2),
                ):
                    break
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("decap-server did not start:\n" + log.read_text(errors="replace"))
                time.sleep(0.1)
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def make_repo(tmp: Path, port: int, content: str, workflow: bool = False) -> Path:
    """A git repository whose site has the editing form: the minimal project, or the
    shipped content (88 towns, 106 powers in maqiao's list)."""
    config = f"""\
template_dir = "{REPO / "templates"}"
static_dir = "{REPO / "static"}"
output_dir = "site"
cache_dir = ".towncat-cache"

[admin]
enabled = true
backend = "github"
repo = "example/catalogue"
branch = "main"
local_backend = true
local_backend_url = "http://127.0.0.1:{port}/api/v1"
source_dir = "{ADMIN}"
editorial_workflow = {"true" if workflow else "false"}
"""
    repo = make_project(tmp / "repo", config=config)
    if content == "shipped":
        shutil.rmtree(repo / "content")
        shutil.copytree(REPO / "content", repo / "content")
        (repo / "content" / "editions.yaml").unlink()  # names commits of this repository only
    (repo / ".gitignore").write_text("site/\n.towncat-cache/\n", encoding="utf-8")
    git(repo, "-c", "init.defaultBranch=main", "init", "-q")
    git(repo, "add", ".")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-qm", "初始内容")
    return repo


#: (content tree, editorial workflow, town, index of the power to edit, its new name)
CASES = [
    ("minimal", False, "alpha", 0, "对擅自占用城市绿地的行政处罚"),
    (
        "shipped",
        False,
        "maqiao",
        2,
        "对生产经营单位未按照规定对从业人员进行安全生产教育和培训的行政处罚",
    ),
    ("workflow", True, "alpha", 0, "对擅自占用城市绿地的行政处罚"),
]


@pytest.mark.parametrize(
    ("content", "workflow", "town", "index", "new_name"), CASES, ids=[c[0] for c in CASES]
)
def test_the_form_commits_one_changed_field_that_passes_check(
    tmp_path: Path,
    browser: Any,
    content: str,
    workflow: bool,
    town: str,
    index: int,
    new_name: str,
) -> None:
    """Without the editorial workflow, publishing commits to the branch; with it, saving
    commits to a ``cms/…`` branch (a pull request on a git host) and publishing merges it."""
    from towncat.cli import main

    require_npm()
    port = free_port()
    repo = make_repo(tmp_path, port, content, workflow)
    path = f"content/towns/{town}/powers.yaml"
    power = yaml.safe_load((repo / path).read_text(encoding="utf-8"))["powers"][index]
    assert main(["--root", str(repo), "build", "--no-search"]) == 0
    site = tmp_path / "repo" / "site"
    assert (site / "admin/index.html").is_file()
    before = git(repo, "rev-parse", "HEAD").strip()
    outside: list[str] = []
    with serve(site) as origin, decap_server(repo, port, tmp_path / "decap-server.log"):
        context = browser.new_context(viewport={"width": 1100, "height": 900})
        context.route("**/*", lambda route: _only_local(route, outside))
        page = context.new_page()
        page.set_default_timeout(120_000)  # maqiao's 106 powers: a big form on a shared machine
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.on(  # every file the page asks the site for (scripts, chunks, config) exists
            "response",
            lambda res: (
                errors.append(f"{res.status} {res.url}")
                if res.url.startswith(origin) and res.status >= 400
                else None
            ),
        )
        dialogs: list[str] = []  # publishing a draft asks for confirmation
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
        page.on(
            "console",
            lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
        )
        page.goto(origin + "admin/")
        page.get_by_role("button", name="登录").click()
        page.goto(origin + f"admin/#/collections/town-{town}/entries/powers")
        item = page.get_by_text(f"{power['id']} {power['name']}", exact=True).locator("xpath=..")
        item.wait_for()
        item.locator("button").first.click()  # unfold the item
        # a handle: the item's label (found by its text) changes as the name is typed
        name = item.get_by_label("事项名称", exact=True).element_handle()
        assert name.input_value() == power["name"]
        name.fill(new_name)
        name.evaluate("e => e.parentElement.scrollIntoView({block: 'start'})")
        _screenshot(page, tmp_path / "admin-form.png", content == "shipped")
        if workflow:
            _save_for_review(page, repo, before, f"cms/town-{town}/powers")
        page.get_by_role("button", name="发布", exact=True).click()
        page.get_by_text("立即发布").click()
        after = _wait_for_commit(repo, before, page, tmp_path / "failed.png")
        context.close()
    assert errors == [], errors
    assert dialogs == (["你确定要发布此内容吗？"] if workflow else [])
    assert outside == [], f"the form asked another site for: {outside}"
    assert git(repo, "diff", "--name-only", before, after).split() == [path]
    diff = git(repo, "diff", "-U0", before, after).splitlines()
    assert [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")] == [
        f"-    name: {power['name']}",
        f"+    name: {new_name}",
    ]
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "branch", "--list", "cms/*") == ""  # a published draft's branch is gone
    assert main(["--root", str(repo), "check"]) == 0


def _save_for_review(page: Any, repo: Path, main_before: str, branch: str) -> None:
    """Save a draft: a commit on its own branch, the branch unchanged; then mark it ready."""
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_text("内容已保存").wait_for()
    deadline = time.monotonic() + 20
    while (
        subprocess.run(
            ["git", "rev-parse", "--verify", "-q", branch],
            cwd=repo,
            capture_output=True,
            check=False,
        ).returncode
        != 0
    ):
        if time.monotonic() > deadline:
            pytest.fail(f"saving a draft made no branch {branch}")
        time.sleep(0.2)
    assert git(repo, "rev-parse", "main").strip() == main_before
    assert git(repo, "rev-list", "--count", f"main..{branch}").strip() == "1"
    page.get_by_role("button", name="状态: 草稿").click()
    page.get_by_role("menuitem", name="就绪").click()
    page.get_by_text("状态: 就绪").wait_for()


def _wait_for_commit(repo: Path, before: str, page: Any, shot: Path) -> str:
    deadline = time.monotonic() + 60  # a shared, slow machine: React, Decap, git
    while time.monotonic() < deadline:
        head = git(repo, "rev-parse", "HEAD").strip()
        if head != before:
            return head
        page.wait_for_timeout(200)
    page.screenshot(path=str(shot))
    pytest.fail(f"publishing made no commit in the test repository (the page: {shot})")


def _screenshot(page: Any, path: Path, for_the_guide: bool) -> None:
    """The form with the edited field; the editor guide's (copied with
    TOWNCAT_UPDATE_SCREENSHOTS=1) shows the shipped content."""
    page.screenshot(path=str(path))
    if for_the_guide and os.environ.get("TOWNCAT_UPDATE_SCREENSHOTS") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, SCREENSHOT)


def _only_local(route: Any, outside: list[str]) -> None:
    host = urlsplit(route.request.url).hostname
    if host in ("127.0.0.1", "localhost") or route.request.url.startswith(("data:", "blob:")):
        route.continue_()
    else:
        outside.append(route.request.url)
        route.abort()
