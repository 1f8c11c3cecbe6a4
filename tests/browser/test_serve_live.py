"""``serve`` in a real browser: an edit reloads the page, a broken file shows an overlay
with file:line:col, a fix takes it away. The screenshots of docs/editor-guide.md are
taken here."""

from __future__ import annotations

import io
import re
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from sitefixture import copy_fixture  # noqa: E402

from towncat.config import load_config  # noqa: E402
from towncat.serve import Preview, make_server, rebuild, start_watcher  # noqa: E402

SCREENSHOTS = REPO / "docs" / "images"


@pytest.fixture
def live(tmp_path: Path):
    """A running ``serve`` of a copy of the small fixture site; yields (root, url, builds)."""
    root = copy_fixture(tmp_path)
    config = load_config(root)
    preview = Preview()
    out = io.StringIO()
    builds: list[float] = []  # when each rebuild after the first finished (monotonic)
    assert rebuild(root, config, False, out, preview), out.getvalue()

    def on_change() -> None:
        rebuild(root, config, False, out, preview)
        builds.append(time.monotonic())

    server = make_server(root / config.output_dir, 0, preview, config.base_path)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stop = threading.Event()
    watcher = start_watcher(root, config, on_change, stop)
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}/", builds
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        watcher.join(timeout=5)


def test_edit_reloads_broken_yaml_shows_overlay_fix_clears_it(live, browser: Any) -> None:
    from playwright.sync_api import expect

    root, url, builds = live
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    page = context.new_page()
    loads: list[float] = []
    page.on("load", lambda _: loads.append(time.monotonic()))
    try:
        page.goto(url + "towns/beta/")
        expect(page.locator("h1")).to_contain_text("乙街道")
        town = root / "content/towns/beta/town.yaml"
        good = town.read_text(encoding="utf-8")

        town.write_text(good.replace("乙街道", "乙新街道"), encoding="utf-8")
        expect(page.locator("h1")).to_contain_text("乙新街道", timeout=20_000)
        assert builds and loads
        assert loads[-1] - builds[-1] < 2.0, (loads[-1], builds[-1])

        broken = good.replace("name: 乙街道", "name：乙街道")
        town.write_text(broken, encoding="utf-8")
        overlay = page.locator("#towncat-overlay")
        expect(overlay).to_be_visible(timeout=20_000)
        text = overlay.inner_text()
        assert re.search(r"content/towns/beta/town\.yaml:\d+:\d+: error: .*全角冒号", text), text
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "serve-overlay.png"))

        town.write_text(good, encoding="utf-8")
        expect(overlay).to_have_count(0, timeout=20_000)
        expect(page.locator("h1")).to_contain_text("乙街道")
        page.screenshot(path=str(SCREENSHOTS / "serve-preview.png"))
    finally:
        context.close()
    for path in (root / "site").rglob("*.html"):
        assert "data-towncat-preview" not in path.read_text(encoding="utf-8"), path


def test_404_under_serve_is_styled_and_its_links_work(live, browser: Any) -> None:
    _, url, _ = live
    context = browser.new_context()
    page = context.new_page()
    try:
        response = page.goto(url + "no/such/page/")
        assert response is not None and response.status == 404
        background = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert background and background != "Times New Roman"
        links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        internal = [link for link in links if link.startswith(url) and "#" not in link]
        assert internal
        for link in internal[:5]:
            assert page.request.get(link).status == 200, link
    finally:
        context.close()
