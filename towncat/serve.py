"""``python build.py serve``: build, serve the output on 127.0.0.1, rebuild on change.

Pages link to each other with relative URLs, so the preview works without
changing the base URL; canonical links keep the configured production URL and
nothing local leaks into ``site/``.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from .build.pipeline import run_build
from .config import Config
from .content.problems import format_problem

POLL_SECONDS = 0.5


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
    folders: list[Path], extra: list[Path], on_change: Callable[[], None], stop: threading.Event
) -> None:
    """Call ``on_change`` whenever a watched file is added, removed or modified."""
    before = snapshot(folders, extra)
    while not stop.wait(POLL_SECONDS):
        now = snapshot(folders, extra)
        if now != before:
            before = now
            on_change()


def rebuild(root: Path, config: Config, search: bool, out: TextIO) -> bool:
    try:
        result = run_build(root, config, search=search)
    except Exception as err:  # keep serving the last good site whatever went wrong
        print(f"生成失败：{type(err).__name__}: {err}", file=out, flush=True)
        return False
    for problem in result.check.problems:
        print(format_problem(problem), file=out)
    if result.pages:
        print(
            f"[{time.strftime('%H:%M:%S')}] 已重新生成：{result.pages} 个页面", file=out, flush=True
        )
        return True
    print("生成失败：请修正上面的问题，预览仍显示上一次成功生成的网站", file=out, flush=True)
    return False


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


def make_server(directory: Path, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_Handler, directory=str(directory))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def serve(root: Path, config: Config, port: int, search: bool, out: TextIO) -> int:
    rebuild(root, config, search, out)
    output = root / config.output_dir
    output.mkdir(exist_ok=True)
    server = make_server(output, port)
    stop = threading.Event()
    folders = [
        root / config.content_dir,
        root / config.template_dir,
        root / config.static_dir,
        root / config.schema_dir,
    ]
    watcher = threading.Thread(
        target=watch,
        args=(folders, [root / "towncat.toml"], lambda: rebuild(root, config, search, out), stop),
        daemon=True,
    )
    watcher.start()
    print(
        f"预览地址：http://127.0.0.1:{server.server_address[1]}/（按 Ctrl+C 停止）",
        file=out,
        flush=True,
    )
    try:
        server.serve_forever()
    finally:
        stop.set()
        server.server_close()
    return 0
