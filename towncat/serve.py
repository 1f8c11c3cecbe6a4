"""``python build.py serve``: build, serve the output on 127.0.0.1, rebuild on change,
reload the browser after each rebuild and show a failed build over the page.

Pages link to each other with relative URLs, so the preview works without changing
the base URL; the site is also served under the base URL's path, so the absolute
links of the 404 page work too. The small live-reload script is added to HTML
responses by this server only: nothing of it is ever written into ``site/``. The
watcher also looks at ``.git/HEAD`` and the refs, so a commit refreshes the change
records.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import unquote, urlsplit

from .build.pipeline import run_build
from .config import Config
from .content.memory import release_kept
from .content.problems import Severity, format_problem

POLL_SECONDS = 0.5
WAIT_SECONDS = 20.0  # how long a browser's request for news is held open
ENDPOINT = "/__towncat/"

RELOAD_SCRIPT = """<script data-towncat-preview>(function () {
  var version = %(version)d;
  function overlay(errors) {
    var old = document.getElementById("towncat-overlay");
    if (old) old.remove();
    if (!errors.length) return;
    var box = document.createElement("div");
    box.id = "towncat-overlay";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:99999;overflow:auto;" +
      "background:#fff;color:#1a1a1a;padding:1.5rem;font:15px/1.6 sans-serif";
    var title = document.createElement("h2");
    title.textContent = "生成失败：请修正下面的问题，保存后预览会自动更新";
    title.style.cssText = "color:#b00020;margin:0 0 1rem";
    var list = document.createElement("pre");
    list.style.cssText = "white-space:pre-wrap;font:14px/1.6 monospace;margin:0";
    list.textContent = errors.join("\\n");
    box.appendChild(title);
    box.appendChild(list);
    document.body.appendChild(box);
  }
  function poll() {
    fetch("%(endpoint)swait?version=" + version, {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (news) {
        if (news.version !== version && !news.errors.length) { location.reload(); return; }
        version = news.version;
        overlay(news.errors);
        poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  overlay(%(errors)s);
  poll();
})();</script>"""


@dataclass
class Preview:
    """The state the browsers follow: a version that grows with every rebuild, and the
    errors of the last one (empty when it succeeded)."""

    version: int = 0
    errors: list[str] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, errors: list[str]) -> None:
        with self.changed:
            self.version += 1
            self.errors = errors
            self.changed.notify_all()

    def wait(self, seen: int, timeout: float = WAIT_SECONDS) -> tuple[int, list[str]]:
        with self.changed:
            self.changed.wait_for(lambda: self.version != seen, timeout)
            return self.version, list(self.errors)


def snapshot(folders: list[Path], extra: list[Path]) -> dict[str, float]:
    """Modification times of every file under ``folders`` plus ``extra`` files."""
    times: dict[str, float] = {}
    for folder in folders:
        for dirpath, _, filenames in os.walk(folder):
            for name in filenames:
                file = os.path.join(dirpath, name)
                try:
                    times[file] = os.stat(file).st_mtime
                except OSError:
                    continue
    for path in extra:
        if path.is_file():
            times[str(path)] = path.stat().st_mtime
    return times


def watch(
    folders: list[Path], extra: list[Path], on_change: Callable[[], object], stop: threading.Event
) -> None:
    """Call ``on_change`` whenever a watched file is added, removed or modified."""
    before = snapshot(folders, extra)
    while not stop.wait(POLL_SECONDS):
        now = snapshot(folders, extra)
        if now != before:
            before = now
            on_change()


def git_paths(root: Path) -> tuple[list[Path], list[Path]]:
    """(folders, files) of git that a commit, checkout or tag changes: the refs and HEAD."""
    dot_git = root / ".git"
    if dot_git.is_file():  # a worktree: "gitdir: <path>"
        text = dot_git.read_text(encoding="utf-8", errors="replace").strip()
        if text.startswith("gitdir:"):
            dot_git = (root / text.removeprefix("gitdir:").strip()).resolve()
    if not dot_git.is_dir():
        return [], []
    common = dot_git
    if (dot_git / "commondir").is_file():
        shared = (dot_git / "commondir").read_text(encoding="utf-8").strip()
        common = (dot_git / shared).resolve()
    return [common / "refs"], [dot_git / "HEAD", common / "packed-refs"]


def rebuild(
    root: Path, config: Config, search: bool, out: TextIO, preview: Preview | None = None
) -> bool:
    """Build once; report to ``out`` and, when given, to the browsers through ``preview``."""
    try:
        result = run_build(root, config, search=search)
    except Exception as err:  # keep serving the last good site whatever went wrong
        release_kept()
        message = f"生成失败：{type(err).__name__}: {err}"
        print(message, file=out, flush=True)
        if preview is not None:
            preview.publish([message])
        return False
    release_kept()  # the build's history is gone: its objects may be collected again
    for problem in result.check.problems:
        print(format_problem(problem), file=out)
    if result.pages:
        print(
            f"[{time.strftime('%H:%M:%S')}] 已重新生成：{result.pages} 个页面", file=out, flush=True
        )
        if preview is not None:
            preview.publish([])
        return True
    print("生成失败：请修正上面的问题，预览仍显示上一次成功生成的网站", file=out, flush=True)
    if preview is not None:
        errors = [format_problem(p) for p in result.check.problems if p.severity is Severity.ERROR]
        preview.publish(errors or [f"warning: {w}" for w in result.warnings] or ["生成失败"])
    return False


class _Handler(http.server.SimpleHTTPRequestHandler):
    preview: Preview | None = None
    base_path = "/"

    def log_message(self, format: str, *args: object) -> None:
        return

    def translate_path(self, path: str) -> str:
        """The site is served at ``/`` and under the base URL's path alike."""
        if self.base_path != "/" and path.startswith(self.base_path):
            path = "/" + path[len(self.base_path) :]
        return super().translate_path(path)

    def do_GET(self) -> None:
        if self.path.startswith(ENDPOINT) and self.preview is not None:
            self._news()
            return
        target = Path(self.translate_path(self.path))
        if target.is_dir() and urlsplit(self.path).path.endswith("/"):
            target = target / "index.html"
        if self.preview is not None and target.suffix == ".html" and target.is_file():
            self._send_html(200, target.read_bytes())
            return
        super().do_GET()

    def _news(self) -> None:
        assert self.preview is not None
        query = urlsplit(self.path).query
        seen = -1
        for part in query.split("&"):
            key, _, value = part.partition("=")
            if key == "version" and value.lstrip("-").isdigit() and len(value) < 12:
                seen = int(value)
        version, errors = self.preview.wait(seen)
        body = json.dumps({"version": version, "errors": errors}, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send_html(self, code: int, body: bytes) -> None:
        if self.preview is not None:
            body = inject_script(body, self.preview)
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            self._send_html(404, page.read_bytes())
            return
        if code == 404 and self.preview is not None:
            shown = html.escape(unquote(urlsplit(self.path).path))
            body = f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>页面未找到</title><body><h1>页面未找到</h1><p>{shown}</p></body></html>'
            self._send_html(404, body.encode())
            return
        super().send_error(code, message, explain)


def inject_script(page: bytes, preview: Preview) -> bytes:
    """``page`` with the live-reload script before ``</body>`` (or at the end)."""
    with preview.changed:
        version, errors = preview.version, list(preview.errors)
    script = RELOAD_SCRIPT % {
        "version": version,
        "endpoint": ENDPOINT,
        "errors": json.dumps(errors, ensure_ascii=False).replace("</", "<\\/"),
    }
    marker = page.rfind(b"</body>")
    at = marker if marker >= 0 else len(page)
    return page[:at] + script.encode() + page[at:]


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that cancels a request is no error worth a traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


def make_server(
    directory: Path, port: int, preview: Preview | None = None, base_path: str = "/"
) -> http.server.ThreadingHTTPServer:
    handler = type("Handler", (_Handler,), {"preview": preview, "base_path": base_path})
    return _Server(("127.0.0.1", port), functools.partial(handler, directory=str(directory)))


def serve(root: Path, config: Config, port: int, search: bool, out: TextIO) -> int:
    preview = Preview()
    rebuild(root, config, search, out, preview)
    output = root / config.output_dir
    output.mkdir(exist_ok=True)
    server = make_server(output, port, preview, config.base_path)
    stop = threading.Event()
    watcher = start_watcher(root, config, lambda: rebuild(root, config, search, out, preview), stop)
    print(
        f"预览地址：http://127.0.0.1:{server.server_address[1]}/（按 Ctrl+C 停止；"
        "保存文件或提交后浏览器会自动刷新）",
        file=out,
        flush=True,
    )
    try:
        server.serve_forever()
    finally:
        stop.set()
        server.server_close()
        watcher.join(timeout=2)
    return 0


def start_watcher(
    root: Path, config: Config, on_change: Callable[[], object], stop: threading.Event
) -> threading.Thread:
    """A thread that calls ``on_change`` after a change to the inputs or to git's refs."""
    folders = [
        root / config.content_dir,
        root / config.template_dir,
        root / config.static_dir,
        root / config.schema_dir,
    ]
    git_folders, git_files = git_paths(root)
    watcher = threading.Thread(
        target=watch,
        args=(folders + git_folders, [root / "towncat.toml", *git_files], on_change, stop),
        daemon=True,
    )
    watcher.start()
    return watcher
