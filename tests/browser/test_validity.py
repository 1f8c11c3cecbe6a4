"""The built site is valid: every page type passes the W3C Nu HTML checker (vnu) with no
errors, the Atom feeds parse without a bozo error, the sitemap is a sitemap of absolute
URLs under ``base_url``, and no two pages share a ``<title>``.

vnu is the ``vnu-jar`` npm package, run with ``java``; ``.ci/run`` installs it into
``.ci/vnu/``, or point ``TOWNCAT_VNU_JAR`` at a ``vnu.jar``. Without it (or without java)
the vnu test is skipped, unless ``TOWNCAT_REQUIRE_BROWSER=1`` or ``CI=true`` is set, in
which case it fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from gitsite import MOVED, SNAPSHOT, WITHDRAWN, build_history_site

from towncat.config import load_config

REPO = Path(__file__).resolve().parents[2]
VNU_JAR = REPO / ".ci" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def tool_missing(reason: str) -> None:
    if os.environ.get("TOWNCAT_REQUIRE_BROWSER") == "1" or os.environ.get("CI") == "true":
        pytest.fail(f"vnu is required here but {reason}", pytrace=False)
    pytest.skip(reason)


def vnu_command() -> list[str]:
    jar = Path(os.environ.get("TOWNCAT_VNU_JAR") or VNU_JAR)
    java = shutil.which("java")
    if java is None:
        tool_missing("no java on PATH (apt-get install default-jre-headless)")
    if not jar.is_file():
        tool_missing(f"no vnu.jar at {jar} (npm install --prefix .ci/vnu vnu-jar)")
    return [str(java), "-Xss8m", "-jar", str(jar)]


@pytest.fixture(scope="module")
def history_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small site with withdrawn and moved pages and an edition snapshot."""
    return build_history_site(tmp_path_factory.mktemp("history-site"))[1]


def page_file(site: Path, url: str) -> Path:
    return site / (url + "index.html" if url == "" or url.endswith("/") else url)


def test_every_page_type_and_the_style_sheet_pass_the_nu_checker(
    site_dir: Path, site_pages: dict[str, str | None], history_site: Path
) -> None:
    command = vnu_command()
    town = "towns/maqiao/"
    urls = [u for u in site_pages.values() if u is not None]
    urls += [town + "duties/", town + "institutions/", town + "changes/", "changes/", "search/"]
    files = [page_file(site_dir, u) for u in urls]
    files += [page_file(history_site, u) for u in (WITHDRAWN, MOVED, SNAPSHOT, "editions/")]
    missing = [str(f) for f in files if not f.is_file()]
    assert not missing, f"pages not built: {missing}"
    done = subprocess.run(
        [
            *command,
            "--errors-only",
            "--also-check-css",
            "--format",
            "json",
            "--exit-zero-always",
            *(str(f) for f in files),
            str(site_dir / "assets" / "style.css"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    messages = json.loads(done.stderr)["messages"]
    problems = [
        f"{urlsplit(m.get('url', '')).path}:{m.get('lastLine', '?')}: {m['type']}: {m['message']}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]
    assert not problems, f"{len(problems)} vnu errors:\n" + "\n".join(problems[:30])


def test_vnu_reports_an_invalid_page(tmp_path: Path) -> None:
    """The check above can fail: the checker finds the errors the issue named."""
    command = vnu_command()
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<title>x</title><meta data-pagefind-filter="镇街[content]" content="甲镇">'
        '</head><body><form action=""></form></body></html>',
        encoding="utf-8",
    )
    done = subprocess.run(
        [*command, "--errors-only", "--format", "json", "--exit-zero-always", str(page)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    errors = [m for m in json.loads(done.stderr)["messages"] if m["type"] == "error"]
    assert len(errors) == 2, errors


def test_feeds_parse_without_bozo_errors(site_dir: Path, history_site: Path) -> None:
    feedparser = pytest.importorskip("feedparser")
    feeds = [
        site_dir / "changes.xml",
        *sorted((site_dir / "towns").glob("*/changes.xml")),
        history_site / "changes.xml",
        history_site / "towns/alpha/changes.xml",
    ]
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.version == "atom10", path
        for entry in parsed.entries:
            assert entry.link.startswith(("https://", "http://")), (path, entry.link)
    alpha = feedparser.parse((history_site / "towns/alpha/changes.xml").read_bytes())
    assert len(alpha.entries) == 3


def sitemap_locs(site: Path) -> list[str]:
    root = ET.parse(site / "sitemap.xml").getroot()
    assert root.tag in (f"{SITEMAP_NS}urlset", f"{SITEMAP_NS}sitemapindex"), root.tag
    entry = "url" if root.tag.endswith("urlset") else "sitemap"
    locs = [(e.findtext(f"{SITEMAP_NS}loc") or "") for e in root.findall(f"{SITEMAP_NS}{entry}")]
    assert len(locs) == len(root), "an element of the sitemap is not a <url>/<sitemap>"
    return locs


def test_sitemap_lists_absolute_urls_under_base_url(site_dir: Path) -> None:
    base = load_config(REPO).base_url
    locs = sitemap_locs(site_dir)
    assert len(locs) == len(set(locs)) > 100
    for loc in locs:
        parts = urlsplit(loc)
        assert parts.scheme in ("http", "https") and parts.netloc, loc
        assert loc.startswith(base), loc
        assert page_file(site_dir, loc[len(base) :]).is_file(), f"{loc} is not a built page"
    assert base + "towns/maqiao/" in locs and base + "404.html" not in locs


def titles(site: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(site.rglob("*.html")):
        if "pagefind" in path.parts:
            continue
        match = TITLE.search(path.read_text(encoding="utf-8"))
        assert match, f"{path} has no <title>"
        found[match.group(1)].append(path.relative_to(site).as_posix())
    return found


@pytest.mark.parametrize("which", ["shipped", "history"])
def test_no_two_pages_share_a_title(site_dir: Path, history_site: Path, which: str) -> None:
    found = titles(site_dir if which == "shipped" else history_site)
    shared = {title: paths for title, paths in found.items() if len(paths) > 1}
    assert not shared, list(shared.items())[:5]


def test_town_scoped_titles_name_the_town(site_dir: Path) -> None:
    found = {path: title for title, paths in titles(site_dir).items() for path in paths}
    for slug, name in (("maqiao", "马桥镇"), ("jinshan", "金山镇")):
        pages = [p for p in found if p.startswith(f"towns/{slug}/")]
        assert len(pages) > 50
        for path in pages:
            assert name in found[path], (path, found[path])
    centre = "towns/{}/institutions/service-center/index.html"
    assert found[centre.format("maqiao")] != found[centre.format("jinshan")]
