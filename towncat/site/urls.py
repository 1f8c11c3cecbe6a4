"""The site's URLs: part of the public contract, so they live in one place.

URLs here are relative to the site root and end in ``/`` for pages (served as
``…/index.html``). Pages link to each other with relative paths, so the site
works from any path prefix; only canonical URLs, the sitemap and feeds use the
configured base URL.
"""

from __future__ import annotations

from posixpath import normpath

HOME = ""
TOWNS = "towns/"
OVERVIEW = "overview/"
COMPARE = "compare/"
DATA = "data/"
SEARCH = "search/"
CHANGES = "changes/"
NOT_FOUND = "404.html"
LIST_KINDS = ("powers", "duties", "institutions")


def county_url(slug: str) -> str:
    return f"counties/{slug}/"


def town_url(slug: str) -> str:
    return f"towns/{slug}/"


def list_url(town: str, kind: str) -> str:
    return f"towns/{town}/{kind}/"


def item_url(town: str, kind: str, item_id: str) -> str:
    return f"towns/{town}/{kind}/{item_id}/"


def town_data_url(town: str, name: str) -> str:
    return f"data/towns/{town}/{name}"


def output_path(url: str) -> str:
    """The file that serves ``url``: ``towns/x/`` → ``towns/x/index.html``."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def root_prefix(url: str) -> str:
    """The relative path from the page at ``url`` back to the site root."""
    depth = output_path(url).count("/")
    return "../" * depth if depth else "./"


def is_safe_path(path: str) -> bool:
    """True when ``path`` is relative and stays inside the output folder."""
    if not path or path.startswith(("/", "\\")) or "\\" in path or "\x00" in path:
        return False
    normal = normpath(path)
    return normal == path.rstrip("/") and not normal.startswith("..") and normal != "."
