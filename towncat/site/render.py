"""Pages to HTML with Jinja2 (autoescape, StrictUndefined), plus sitemaps and robots.txt."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import jinja2
import markupsafe
from markupsafe import _escape_inner  # type: ignore[attr-defined]

from ..config import Config
from . import urls
from .jsonld import render_json_ld
from .views import Page, tel_href

_DICT_ATTRIBUTES = frozenset(dir(dict))


def _escape_output(value: Any) -> Any:
    """What ``{{ value }}`` writes: ``markupsafe.escape`` without wrapping a plain string's
    escaped text in ``Markup``, which cost more than the escaping. Compiled templates use
    ``escape`` only for output, which is joined into a string at once (and into ``Markup``
    in macros and blocks), so the result is the same text."""
    return _escape_inner(value) if type(value) is str else markupsafe.escape(value)


class _Template(jinja2.Template):
    """A compiled template whose output escaping is ``_escape_output`` (its module-level
    ``escape``, which the compiled code imported from Jinja)."""

    @classmethod
    def from_code(
        cls,
        environment: jinja2.Environment,
        code: Any,
        globals: Any,
        uptodate: Any = None,
    ) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        template.root_render_func.__globals__["escape"] = _escape_output
        return template


class _Environment(jinja2.Environment):
    """Jinja's environment, faster on the two things every page does most.

    Views are plain dicts, and Jinja reads ``x.name`` as an attribute first: on a dict
    that raises and catches an AttributeError each time, about a sixth of rendering.
    Here a plain dict's key is looked up first unless the name is one of dict's own
    attributes (``items``, ``get`` …), which is exactly Jinja's rule for dicts. Output
    escaping is ``_escape_output``."""

    template_class = _Template

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def make_environment(template_dir: Path, cache_dir: Path | None = None) -> jinja2.Environment:
    """The templates' environment; with ``cache_dir``, compiled templates are kept there
    (keyed by each template's source, so an edited template is compiled again)."""
    bytecode = None
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        bytecode = jinja2.FileSystemBytecodeCache(str(cache_dir))
    env = _Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        bytecode_cache=bytecode,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one build renders with one set of templates
    )
    env.filters["tel"] = tel_href
    env.filters["json_ld"] = render_json_ld
    env.filters["css_string"] = css_string
    return env


_CSS_PLAIN = frozenset(" .,:/-_·，、：（）")


def css_string(value: Any) -> str:
    """``value`` as a quoted CSS string (for ``content: var(…)`` in print margins): letters,
    digits, CJK and a few punctuation marks as they are, every other character escaped as
    ``\\hex `` so that no value can end the string or the declaration."""
    text = "".join(
        ch if ch.isalnum() or ch in _CSS_PLAIN else f"\\{ord(ch):x} " for ch in str(value)
    )
    return f'"{text}"'


def page_globals(page: Page, config: Config, nav: Mapping[str, Any]) -> dict[str, Any]:
    root = config.base_path if page.url == urls.NOT_FOUND else urls.root_prefix(page.url)
    return {
        "page": page,
        "root": root,
        "site": config,
        "nav": nav["links"],
        "history_note": nav["history_note"],
        "snapshot": nav.get("edition"),
        "canonical": config.base_url + page.url,
    }


def render_page(env: jinja2.Environment, page: Page, config: Config, nav: Mapping[str, Any]) -> str:
    template = env.get_template(page.template)
    return template.render(**page.context, **page_globals(page, config, nav))


SITEMAP_MAX_URLS = 50_000  # sitemaps.org: at most 50,000 URLs (and 50 MB) in one file
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>'
_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def render_sitemaps(
    page_urls: Iterable[str], base_url: str, max_urls: int = SITEMAP_MAX_URLS
) -> dict[str, str]:
    """Output path → text: ``sitemap.xml`` listing every page, or, past ``max_urls`` pages
    (a province), a sitemap index over ``sitemap-1.xml``, ``sitemap-2.xml`` … of at most
    ``max_urls`` pages each, in the order given."""
    locs = [base_url + url for url in page_urls if url != urls.NOT_FOUND]
    if len(locs) <= max_urls:
        return {"sitemap.xml": _sitemap_file("urlset", "url", locs)}
    parts = {
        f"sitemap-{number}.xml": _sitemap_file("urlset", "url", locs[start : start + max_urls])
        for number, start in enumerate(range(0, len(locs), max_urls), start=1)
    }
    index = _sitemap_file("sitemapindex", "sitemap", [base_url + path for path in parts])
    return {"sitemap.xml": index, **parts}


def _sitemap_file(root: str, entry: str, locs: Iterable[str]) -> str:
    lines = [_XML_HEAD, f'<{root} xmlns="{_SITEMAP_NS}">']
    lines += [f"  <{entry}><loc>{escape(loc)}</loc></{entry}>" for loc in locs]
    lines.append(f"</{root}>")
    return "\n".join(lines) + "\n"


def render_robots(base_url: str) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n"
