"""Sphinx extension: light pages. What a reader's first view does not need is taken out of
its way: from Sphinx's asset lists while a page is written, and, for what the theme's
templates write themselves, from the written pages after the build.

Asset lists (``html-page-context``, after book_tools.html_pages):

* **Print styles for print.** ``print.css`` (all of it inside ``@media print``) gets
  ``media="print"``, so the screen's first paint no longer waits for it.
* **Scripts after the page.** The extensions' scripts in ``<head>`` get ``defer``: they run
  once the page is parsed, in their order, as they did (each waits for the DOM to load).
  ``documentation_options.js`` stays as it is (inline scripts after it use it at once), and
  so do the widget runtime's scripts (book_tools.widget_loading loads them), the search
  page's (its search tools, which the template writes, use doctools.js at once) and the
  one-page build's (it is printed, not read on a phone).
* **sphinx-design where it is used.** Its stylesheet and tab script go to the pages that
  have ``sd-`` elements only.

Written pages and theme files (``build-finished``): the theme writes these tags itself, so
they are changed in the HTML files once the build has written them. Each rule is one
function of a page's path and text, and running it twice changes nothing (pages that an
incremental build did not rewrite are seen again).

* **No Font Awesome script.** ``fontawesome.js`` (530 KB gzipped) only swaps the theme's
  ``<i class="fa-...">`` for SVGs; book_tools.icons draws them with CSS.
* **The search index on the search page only.** The theme loads Sphinx's search tools and
  the whole index (``searchtools.js``, ``language_data.js``, ``searchindex.js``) on every
  page, for a search-as-you-type that this book leaves off; the search box on any page sends
  the reader to ``search.html``, which loads them itself. (Without them, a page opened from
  the search results highlights the words searched for again, as Sphinx intends.)
* **No stylesheet hop.** The theme's ``styles/theme.css`` only ``@import``-s ``basic.css``,
  a second round trip before the first paint; pages link ``basic.css`` itself (only while
  theme.css is that one import).
* **No dead Font Awesome rules.** The theme's stylesheet carries a ``content`` rule for
  each of Font Awesome's 1,800 glyphs (19 KB gzipped, render-blocking); book_tools.icons
  draws the few icons used, so these rules are removed from the copy in the output.
* **Images with their sizes.** An ``<img>`` of an SVG or PNG of the book without
  ``width`` and ``height`` gets them from the file (the logo), so the browser reserves its
  place before it loads; CSS still sizes it.
"""

from __future__ import annotations

import os
import re
import struct
from collections.abc import Callable
from pathlib import Path

from sphinx.application import Sphinx

from .assets import asset_filename, with_attributes

#: The theme's Font Awesome script tag (any depth, any digest).
FONTAWESOME_JS = re.compile(r'[ \t]*<script\b[^>]*\bsrc="[^"]*/fontawesome\.js[^"]*"[^>]*>'
                            r'\s*</script>[ \t]*\n?')

#: The page that searches, and the theme's tags for the search tools on every other page.
SEARCH_DOC = "search"
SEARCH_PAGE = f"{SEARCH_DOC}.html"
SEARCH_SCRIPTS = re.compile(
    r'[ \t]*<script\b[^>]*\bsrc="(?:[^"]*/)?(?:_static/searchtools|_static/language_data|'
    r'searchindex)\.js(?:\?[^"]*)?"[^>]*>\s*</script>[ \t]*\n?')

#: Scripts that must run where they stand, before the inline scripts after them.
IN_PLACE_SCRIPTS = ("documentation_options.js", "widgets/")
SPHINX_DESIGN = ("sphinx-design", "design-tabs.js")
USES_SPHINX_DESIGN = re.compile(r'\bclass="[^"]*\bsd-')

#: The theme's link to theme.css (which only imports ../basic.css): group 1 is its folder.
THEME_CSS_LINK = re.compile(r'<link href="([^"]*_static/)styles/theme\.css(?:\?[^"]*)?"')
THEME_STYLESHEET = "pydata-sphinx-theme.css"
#: A rule (after another rule, or first) whose selectors are all Font Awesome glyphs.
GLYPH_RULES = re.compile(r'(?:(?<=\})|^)(?:\.fa-[a-z0-9-]+:+before,?)+\{content:"[^"]*"\}')
IMG_TAG = re.compile(r'<img\b[^>]*\bsrc="([^"]+)"[^>]*>')
SVG_ROOT = re.compile(r"<svg\b[^>]*>")

Rule = Callable[[str, str], str]


def print_styles_for_print(css_files: list) -> list:
    """``print.css`` with ``media="print"``; the others as they are."""
    return [with_attributes(a, media="print") if asset_filename(a).endswith("/print.css") else a
            for a in css_files]


def defer_scripts(script_files: list) -> list:
    """Every script with a file gets ``defer``, but those that must run in place, those
    already deferred or async, and JSON or module scripts."""
    def deferrable(asset) -> bool:
        attributes = getattr(asset, "attributes", {}) or {}
        return (bool(asset_filename(asset)) and not {"defer", "async"} & set(attributes)
                and attributes.get("type", "text/javascript") == "text/javascript"
                and not any(name in asset_filename(asset) for name in IN_PLACE_SCRIPTS))

    return [with_attributes(a, defer="defer") if deferrable(a) else a for a in script_files]


def without_sphinx_design(assets: list) -> list:
    """``assets`` without sphinx-design's stylesheet and script."""
    return [a for a in assets if not any(name in asset_filename(a) for name in SPHINX_DESIGN)]


def _lighten_assets(app: Sphinx, pagename: str, templatename: str, context: dict,
                    doctree) -> None:
    css, scripts = context.get("css_files"), context.get("script_files")
    if not (isinstance(css, list) and isinstance(scripts, list)):
        return
    css[:] = print_styles_for_print(css)
    if app.builder.name != "singlehtml" and pagename != SEARCH_DOC:
        scripts[:] = defer_scripts(scripts)
    if not USES_SPHINX_DESIGN.search(str(context.get("body", ""))):
        css[:] = without_sphinx_design(css)
        scripts[:] = without_sphinx_design(scripts)


def drop_fontawesome(page: str, text: str) -> str:
    """The page without the theme's fontawesome.js."""
    return FONTAWESOME_JS.sub("", text)


def search_tools_on_the_search_page(page: str, text: str) -> str:
    """Every page but the search page without the search tools and index."""
    return text if page == SEARCH_PAGE else SEARCH_SCRIPTS.sub("", text)


RULES: tuple[Rule, ...] = (drop_fontawesome, search_tools_on_the_search_page)


def link_basic_css(page: str, text: str) -> str:
    """The page linking basic.css where it linked the theme's theme.css (which imports it)."""
    return THEME_CSS_LINK.sub(lambda m: f'<link href="{m.group(1)}basic.css"', text)


def strip_glyph_rules(css: str) -> str:
    """A Font Awesome stylesheet without its glyphs' ``content`` rules."""
    return GLYPH_RULES.sub("", css)


def image_size(path: Path) -> tuple[int, int] | None:
    """The width and height of an SVG (its width and height, else its viewBox) or a PNG."""
    data = path.read_bytes()[:4096]
    if path.suffix == ".png" and data[:8] == b"\x89PNG\r\n\x1a\n":
        return struct.unpack(">II", data[16:24])
    if path.suffix == ".svg":
        head = SVG_ROOT.search(data.decode("utf-8", "replace"))
        if head:
            sizes = dict(re.findall(r'\b(width|height|viewBox)="([^"]*)"', head.group(0)))
            if {"width", "height"} <= set(sizes) and all(
                    sizes[k].isdigit() for k in ("width", "height")):
                return int(sizes["width"]), int(sizes["height"])
            box = sizes.get("viewBox", "").replace(",", " ").split()
            if len(box) == 4:
                return round(float(box[2])), round(float(box[3]))
    return None


def size_images(outdir: Path) -> Rule:
    """A rule giving each ``<img>`` of a file of the build without sizes its sizes."""
    def rule(page: str, text: str) -> str:
        def sized(match: re.Match) -> str:
            tag, src = match.group(0), match.group(1)
            file = Path(os.path.normpath((outdir / page).parent / src.split("?")[0]))
            if re.search(r"\b(width|height)=", tag) or "://" in src or not file.is_file():
                return tag
            size = image_size(file)
            if size is None:
                return tag
            end = 2 if tag.endswith("/>") else 1
            return f'{tag[:-end].rstrip()} width="{size[0]}" height="{size[1]}"{tag[-end:]}'
        return IMG_TAG.sub(sized, text)
    return rule


def site_rules(outdir: Path) -> tuple[Rule, ...]:
    """The rules for the pages of the build in ``outdir``: :data:`RULES`, the basic.css
    link while theme.css is only its import, and the image sizes."""
    rules = [*RULES]
    theme_css = outdir / "_static" / "styles" / "theme.css"
    if theme_css.is_file() and re.sub(r"/\*.*?\*/", "", theme_css.read_text("utf-8"),
                                      flags=re.S).split() == ['@import', '"../basic.css";']:
        rules.append(link_basic_css)
    rules.append(size_images(outdir))
    return tuple(rules)


def lighten_page(page: str, text: str, rules: tuple[Rule, ...] = RULES) -> str:
    """``text`` (the page at ``page``, a path relative to the output) after every rule."""
    for rule in rules:
        text = rule(page, text)
    return text


def lighten_pages(outdir: Path) -> list[str]:
    """Apply the rules to every HTML page under ``outdir`` and strip the glyph rules from
    the theme's stylesheet; return the pages changed."""
    theme = outdir / "_static" / "styles" / THEME_STYLESHEET
    if theme.is_file():
        css = theme.read_text(encoding="utf-8")
        if strip_glyph_rules(css) != css:
            theme.write_text(strip_glyph_rules(css), encoding="utf-8")
    rules, changed = site_rules(outdir), []
    for path in sorted(outdir.rglob("*.html")):
        page = path.relative_to(outdir).as_posix()
        text = path.read_text(encoding="utf-8")
        light = lighten_page(page, text, rules)
        if light != text:
            path.write_text(light, encoding="utf-8")
            changed.append(page)
    return changed


def _lighten_built_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        lighten_pages(Path(app.outdir))


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", _lighten_assets, priority=920)
    app.connect("build-finished", _lighten_built_pages)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
