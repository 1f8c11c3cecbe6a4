"""``serve``: a local server for the built site, rebuilt when inputs change."""

from __future__ import annotations

import io
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from sitefixture import copy_fixture

from towncat.config import load_config
from towncat.serve import make_server, rebuild, watch


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
