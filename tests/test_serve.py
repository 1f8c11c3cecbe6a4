"""``serve``: a local server for the built site, rebuilt when inputs change."""

from __future__ import annotations

import io
import json
import socket
import struct
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from sitefixture import copy_fixture

from towncat.cli import main
from towncat.config import load_config
from towncat.serve import Preview, make_server, rebuild, start_watcher, watch


def test_server_serves_pages_and_the_404_page(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    assert rebuild(root, load_config(root), False, io.StringIO())
    server = make_server(root / "site", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with urllib.request.urlopen(base + "towns/alpha/") as response:
            assert "甲镇" in response.read().decode("utf-8")
        try:
            urllib.request.urlopen(base + "no/such/page/")
            raise AssertionError("expected a 404")
        except urllib.error.HTTPError as err:
            assert err.code == 404
            assert "页面未找到" in err.read().decode("utf-8")
    finally:
        server.shutdown()
        server.server_close()


def test_watcher_rebuilds_after_an_edit_and_keeps_the_site_after_a_bad_one(tmp_path: Path
                                                                          ) -> None:
    root = copy_fixture(tmp_path)
    config = load_config(root)
    out = io.StringIO()
    assert rebuild(root, config, False, out)
    rebuilt = threading.Event()
    stop = threading.Event()

    def on_change() -> None:
        rebuild(root, config, False, out)
        rebuilt.set()

    watcher = threading.Thread(target=watch, args=([root / "content"], [], on_change, stop),
                               daemon=True)
    watcher.start()
    try:
        time.sleep(0.7)
        town = root / "content" / "towns" / "beta" / "town.yaml"
        town.write_text(town.read_text(encoding="utf-8").replace("乙街道", "乙新街道"),
                        encoding="utf-8")
        assert rebuilt.wait(20)
        page = (root / "site" / "towns" / "beta" / "index.html").read_text(encoding="utf-8")
        assert "乙新街道" in page
        rebuilt.clear()
        town.write_text("code: [", encoding="utf-8")
        assert rebuilt.wait(20)
        assert "生成失败" in out.getvalue()
        page = (root / "site" / "towns" / "beta" / "index.html").read_text(encoding="utf-8")
        assert "乙新街道" in page  # the last good site stays
    finally:
        stop.set()


def test_html_gets_the_reload_script_only_from_the_server(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    preview = Preview()
    assert rebuild(root, load_config(root), False, io.StringIO(), preview)
    server = make_server(root / "site", 0, preview, "/cat/")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with urllib.request.urlopen(base + "towns/alpha/") as response:
            assert "data-towncat-preview" in response.read().decode("utf-8")
        with urllib.request.urlopen(base + "cat/towns/alpha/") as response:  # the base path
            assert "甲镇" in response.read().decode("utf-8")
        with urllib.request.urlopen(base + "__towncat/wait?version=-5") as response:
            assert json.loads(response.read()) == {"version": 1, "errors": []}
    finally:
        server.shutdown()
        server.server_close()
    pages = list((root / "site").rglob("*.html"))
    assert pages
    assert not any("data-towncat-preview" in p.read_text(encoding="utf-8") for p in pages)


def test_a_failed_rebuild_is_published_with_file_line_and_column(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    preview = Preview()
    town = root / "content/towns/beta/town.yaml"
    town.write_text(town.read_text(encoding="utf-8").replace("name: ", "name:", 1),
                    encoding="utf-8")
    assert not rebuild(root, load_config(root), False, io.StringIO(), preview)
    version, errors = preview.wait(0, timeout=0)
    assert version == 1
    assert any(e.startswith("content/towns/beta/town.yaml:") and "[missing-space]" in e
               for e in errors), errors


def test_a_cancelled_request_prints_no_traceback(tmp_path: Path, capsys) -> None:
    root = copy_fixture(tmp_path)
    assert rebuild(root, load_config(root), False, io.StringIO())
    server = make_server(root / "site", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for _ in range(20):
            with socket.create_connection(server.server_address) as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.sendall(b"GET /towns/alpha/ HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.5)
    finally:
        server.shutdown()
        server.server_close()
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out


def test_a_commit_triggers_a_rebuild(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    for command in (["init", "-q", "-b", "main"], ["add", "-A"],
                    ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one"]):
        subprocess.run(["git", *command], cwd=root, check=True)
    changed = threading.Event()
    stop = threading.Event()
    watcher = start_watcher(root, load_config(root), changed.set, stop)
    try:
        time.sleep(0.8)
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit",
                        "--allow-empty", "-qm", "two"], cwd=root, check=True)
        assert changed.wait(10)
    finally:
        stop.set()
        watcher.join(timeout=5)


def test_no_search_is_accepted_without_a_command(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    out = io.StringIO()
    assert main(["--root", str(root), "--no-search"], out=out) == 0, out.getvalue()
    assert (root / "site/index.html").is_file()
    assert not (root / "site/pagefind").exists()
