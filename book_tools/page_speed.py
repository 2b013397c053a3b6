"""Sphinx extension: light pages. What the theme's templates write into every page and a
reader's first view does not need is taken out of the written pages after the build.

The theme writes these ``<script>`` tags itself (not through Sphinx's asset lists, which
book_tools.html_pages edits), so they are removed from the HTML files once the build has
written them. Each rule is one function of a page's path and text, and running it twice
changes nothing (pages that an incremental build did not rewrite are seen again).

* **No Font Awesome script.** ``fontawesome.js`` (530 KB gzipped) only swaps the theme's
  ``<i class="fa-...">`` for SVGs; book_tools.icons draws them with CSS.
* **The search index on the search page only.** The theme loads Sphinx's search tools and
  the whole index (``searchtools.js``, ``language_data.js``, ``searchindex.js``) on every
  page, for a search-as-you-type that this book leaves off; the search box on any page sends
  the reader to ``search.html``, which loads them itself. (Without them, a page opened from
  the search results highlights the words searched for again, as Sphinx intends.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from sphinx.application import Sphinx

#: The theme's Font Awesome script tag (any depth, any digest).
FONTAWESOME_JS = re.compile(r'[ \t]*<script\b[^>]*\bsrc="[^"]*/fontawesome\.js[^"]*"[^>]*>'
                            r'\s*</script>[ \t]*\n?')

#: The page that searches, and the theme's tags for the search tools on every other page.
SEARCH_PAGE = "search.html"
SEARCH_SCRIPTS = re.compile(
    r'[ \t]*<script\b[^>]*\bsrc="(?:[^"]*/)?(?:_static/searchtools|_static/language_data|'
    r'searchindex)\.js(?:\?[^"]*)?"[^>]*>\s*</script>[ \t]*\n?')

Rule = Callable[[str, str], str]


def drop_fontawesome(page: str, text: str) -> str:
    """The page without the theme's fontawesome.js."""
    return FONTAWESOME_JS.sub("", text)


def search_tools_on_the_search_page(page: str, text: str) -> str:
    """Every page but the search page without the search tools and index."""
    return text if page == SEARCH_PAGE else SEARCH_SCRIPTS.sub("", text)


RULES: tuple[Rule, ...] = (drop_fontawesome, search_tools_on_the_search_page)


def lighten_page(page: str, text: str, rules: tuple[Rule, ...] = RULES) -> str:
    """``text`` (the page at ``page``, a path relative to the output) after every rule."""
    for rule in rules:
        text = rule(page, text)
    return text


def lighten_pages(outdir: Path) -> list[str]:
    """Apply the rules to every HTML page under ``outdir``; return the pages changed."""
    changed = []
    for path in sorted(outdir.rglob("*.html")):
        page = path.relative_to(outdir).as_posix()
        text = path.read_text(encoding="utf-8")
        light = lighten_page(page, text)
        if light != text:
            path.write_text(light, encoding="utf-8")
            changed.append(page)
    return changed


def _lighten_built_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        lighten_pages(Path(app.outdir))


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", _lighten_built_pages)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
