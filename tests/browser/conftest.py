"""Fixtures for the real-browser tests: one build, one HTTP server, one Chromium per session.

* ``site_dir`` builds the shipped content (``content/`` of this repository) into a
  temporary folder with ``towncat.build.pipeline.run_build``; the repository's ``site/`` is
  never touched.
* ``base_url`` serves that folder at ``http://127.0.0.1:<port>/``;
  ``prefix_url`` serves it a second time mounted under ``/prefix/`` only (everything
  outside the prefix is a 404), to show that the site works from a path prefix;
  ``published_url`` serves it at the path of the configured ``base_url`` (``/zibo/``)
  with ``404.html`` as the error page, which is where that page's absolute links point.
* ``browser`` is one Chromium for the whole session. Without Chromium or the
  ``playwright`` package the tests are skipped, unless ``TOWNCAT_REQUIRE_BROWSER=1``
  is set, in which case they fail.
* ``site_pages`` maps the names of the pages under test to their URLs, chosen from the
  built site rather than hard-coded (only ``towns/maqiao/`` and the office id
  ``service-center`` are part of the contract); ``addresses`` turns them into the
  absolute URLs to open.
* ``new_page(**context_options)`` opens a tab and records its console errors, uncaught
  exceptions and HTTP errors.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import re
import shutil
import sys
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import unquote, urljoin, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # so that plain ``pytest`` works without installing towncat
    sys.path.insert(0, str(REPO))

PREFIX = "/prefix/"
CONTRACT_TOWN = "maqiao"
CONTRACT_OFFICE = "service-center"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def browser_unavailable(reason: str) -> NoReturn:
    """Skip, or fail when the environment says a browser is required."""
    if os.environ.get("TOWNCAT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"TOWNCAT_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


# -- The built site ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content built once into a temporary folder."""
    from towncat.build.pipeline import run_build
    from towncat.config import load_config
    from towncat.content.problems import count_by_severity

    output = tmp_path_factory.mktemp("browser") / "site"
    config = dataclasses.replace(load_config(REPO), output_dir=str(output))
    result = run_build(REPO, config)
    if result.files == 0:
        errors = [p for p in result.check.problems if count_by_severity([p])[0]]
        pytest.fail("building the shipped content failed:\n" + "\n".join(
            f"{p.file}:{p.line}: {p.message} [{p.code}]" for p in errors[:20]), pytrace=False)
    return output


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _MountedHandler(_QuietHandler):
    """Serves the folder under ``mount`` only; any other path is a 404.

    With ``not_found`` set, a missing file under the mount answers 404 with that page,
    the way a web server's ``ErrorDocument``/``error_page`` would.
    """

    mount = PREFIX
    not_found: str | None = None

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if clean.startswith(self.mount):
            return super().translate_path("/" + path[len(self.mount):])
        if clean == self.mount.rstrip("/"):
            return super().translate_path("/")  # a directory: redirects to the mount
        return os.path.join(self.directory, ".outside-the-mount", "missing")

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        page = Path(self.directory, self.not_found) if self.not_found else None
        if code != 404 or page is None or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def mounted(prefix: str, not_found: str | None = None) -> type[_MountedHandler]:
    return type("Handler", (_MountedHandler,), {"mount": prefix, "not_found": not_found})


@contextlib.contextmanager
def _serve(handler: type[SimpleHTTPRequestHandler], folder: Path) -> Iterator[str]:
    """A stdlib HTTP server for ``folder`` on a free port, in a background thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(handler, directory=str(folder)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="towncat-test-http",
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """``http://127.0.0.1:<port>/`` serving the built site at the root."""
    with _serve(_QuietHandler, site_dir) as origin:
        yield origin + "/"


@pytest.fixture(scope="session")
def prefix_url(site_dir: Path) -> Iterator[str]:
    """``http://127.0.0.1:<port>/prefix/`` serving the built site under a path prefix."""
    with _serve(mounted(PREFIX), site_dir) as origin:
        yield origin + PREFIX


@pytest.fixture(scope="session")
def published_url(site_dir: Path) -> Iterator[str]:
    """The built site at the path of the configured ``base_url`` (e.g. ``/zibo/``), with
    ``404.html`` answering every missing path there, as on the real web server.

    ``404.html`` is the one page whose links are absolute (it is served from any
    depth), so it only works at the configured path.
    """
    from towncat.config import load_config

    path = load_config(REPO).base_path
    with _serve(mounted(path, "404.html"), site_dir) as origin:
        yield origin + path


# -- Choosing pages from the built site --------------------------------------------------


class _TableLinks(HTMLParser):
    """The hrefs of links inside ``<tbody>``, in document order, and the number of rows."""

    def __init__(self) -> None:
        super().__init__()
        self.in_tbody = 0
        self.links: list[str] = []
        self.rows = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tbody":
            self.in_tbody += 1
        elif self.in_tbody and tag == "tr":
            self.rows += 1
        elif self.in_tbody and tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self.in_tbody -= 1


def table_links(site: Path, url: str) -> _TableLinks:
    """Links and row count of the table body in the built page at ``url``."""
    parser = _TableLinks()
    parser.feed((site / url / "index.html").read_text(encoding="utf-8"))
    return parser


def _towns_with(site: Path, kind: str) -> list[str]:
    """Town slugs that have a built ``kind`` list, the contractual town first."""
    towns = sorted(p.parent.parent.name for p in (site / "towns").glob(f"*/{kind}/index.html"))
    towns.sort(key=lambda slug: slug != CONTRACT_TOWN)
    return towns


def first_item_url(site: Path, list_url: str) -> str | None:
    """The site-relative URL of the first item linked from the table of ``list_url``."""
    for href in table_links(site, list_url).links:
        target = urlsplit(urljoin("http://x/" + list_url, href)).path.lstrip("/")
        if re.fullmatch(r"towns/[^/]+/[^/]+/[^/]+/", unquote(target)):
            return unquote(target)
    return None


def list_url(site: Path, kind: str) -> str | None:
    towns = _towns_with(site, kind)
    return f"towns/{towns[0]}/{kind}/" if towns else None


def office_url(site: Path) -> str | None:
    """``towns/maqiao/institutions/service-center/``, or the nearest thing that was built."""
    for slug in _towns_with(site, "institutions"):
        if (site / f"towns/{slug}/institutions/{CONTRACT_OFFICE}/index.html").is_file():
            return f"towns/{slug}/institutions/{CONTRACT_OFFICE}/"
    for slug in _towns_with(site, "institutions"):
        found = first_item_url(site, f"towns/{slug}/institutions/")
        if found:
            return found
    return None


def county_url(site: Path) -> str | None:
    if (site / "counties/huantai/index.html").is_file():
        return "counties/huantai/"
    found = sorted((site / "counties").glob("*/index.html"))
    return f"counties/{found[0].parent.name}/" if found else None


@pytest.fixture(scope="session")
def site_pages(site_dir: Path) -> dict[str, str | None]:
    """Page name → site-relative URL (``None`` when the built site has no such page)."""
    powers = list_url(site_dir, "powers")
    duties = list_url(site_dir, "duties")
    return {
        "home": "",
        "county": county_url(site_dir),
        "town": f"towns/{CONTRACT_TOWN}/",  # contractual: a 404 here is a failure, not a skip
        "powers-list": powers,
        "power-item": first_item_url(site_dir, powers) if powers else None,
        "duty-item": first_item_url(site_dir, duties) if duties else None,
        "office": office_url(site_dir),
        "overview": "overview/",
        "compare": "compare/",
        "data": "data/",
        "404": "404.html",
    }


@pytest.fixture(scope="session")
def addresses(base_url: str, published_url: str,
              site_pages: dict[str, str | None]) -> dict[str, str | None]:
    """Page name → absolute URL to open. ``404.html`` is opened at the configured path."""
    return {name: None if url is None else (published_url if name == "404" else base_url) + url
            for name, url in site_pages.items()}


@pytest.fixture(scope="session")
def list_rows(site_dir: Path, site_pages: dict[str, str | None]) -> int:
    """The number of table rows in the built HTML of the ``powers-list`` page."""
    url = site_pages["powers-list"]
    if url is None:
        pytest.skip("the built site has no powers list")
    return table_links(site_dir, url).rows


@pytest.fixture(scope="session")
def link_town(site_dir: Path) -> str:
    """The town for the path-prefix walk: maqiao, unless it has no list yet."""
    for slug in [CONTRACT_TOWN, *sorted(p.name for p in (site_dir / "towns").iterdir())]:
        if any((site_dir / f"towns/{slug}/{kind}/index.html").is_file()
               for kind in ("powers", "duties", "institutions")):
            return slug
    pytest.skip("no town in the built site has a list")


# -- The browser -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium (the system's ``chromium``) for the whole session."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_unavailable("the playwright package is not installed "
                            "(pip install playwright axe-playwright-python)")
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        browser_unavailable("no chromium executable on PATH (apt-get install chromium)")
    with sync_playwright() as p:
        try:
            instance = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except PlaywrightError as err:
            browser_unavailable(f"chromium at {executable} did not start: {err}")
        try:
            yield instance
        finally:
            instance.close()


@dataclasses.dataclass
class PageProblems:
    """What went wrong while a page loaded: console errors, uncaught exceptions, 4xx/5xx."""

    console: list[str] = dataclasses.field(default_factory=list)
    exceptions: list[str] = dataclasses.field(default_factory=list)
    bad_responses: list[str] = dataclasses.field(default_factory=list)

    def all(self) -> list[str]:
        return ([f"console error: {m}" for m in self.console]
                + [f"uncaught exception: {m}" for m in self.exceptions]
                + [f"HTTP error: {m}" for m in self.bad_responses])


def watch(page: Any) -> PageProblems:
    """Start recording ``page``'s console errors, page errors and failed responses."""
    problems = PageProblems()
    page.on("console", lambda msg: problems.console.append(
        f"{msg.text} ({msg.location.get('url', '')})") if msg.type == "error" else None)
    page.on("pageerror", lambda err: problems.exceptions.append(str(err)))
    page.on("response", lambda res: problems.bad_responses.append(
        f"{res.status} {res.url}") if res.status >= 400 else None)
    return problems


@pytest.fixture(scope="session")
def _contexts(browser: Any) -> Iterator[dict[str, Any]]:
    """Browser contexts shared by the session, one per set of context options."""
    contexts: dict[str, Any] = {}
    yield contexts
    for context in contexts.values():
        context.close()


@pytest.fixture
def new_page(_contexts: dict[str, Any], browser: Any) -> Iterator[Any]:
    """``new_page(**context_options)`` → ``(page, problems)``: a fresh tab.

    Tabs with the same context options (viewport, JavaScript on or off…) share one
    browser context for the session, which is quicker than a context per test and
    harmless for a static site; every tab is closed when its test ends.
    """
    pages: list[Any] = []

    def make(**options: Any) -> tuple[Any, PageProblems]:
        key = repr(sorted(options.items()))
        if key not in _contexts:
            _contexts[key] = browser.new_context(**options)
        page = _contexts[key].new_page()
        page.set_default_timeout(10_000)
        pages.append(page)
        return page, watch(page)

    yield make
    for page in pages:
        page.close()


@pytest.fixture(scope="session")
def axe() -> Any:
    """An ``axe_playwright_python`` runner (axe-core), or skip/fail when it is missing."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        browser_unavailable("the axe-playwright-python package is not installed")
    return Axe()
