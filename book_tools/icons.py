"""Sphinx extension: the theme's few icons as small CSS masks, without Font Awesome.

pydata-sphinx-theme loads all of Font Awesome on every page: ``scripts/fontawesome.js``
(1.4 MB, 530 KB gzipped), which swaps each ``<i class="fa-...">`` for an SVG, and the solid
webfont (150 KB) for the icons its CSS draws (admonition titles). The book shows about twenty
icons. This extension writes ``_static/geneva-icons.css``, which draws each of them on the
element's ``::before`` (or the theme's own pseudo-element) as a mask in the text colour, from
the SVG path in ``icons.json`` (Font Awesome Free 6.5.2, the version the theme bundles; icons
CC BY 4.0, https://fontawesome.com/license/free). No text is drawn in the Font Awesome font,
so browsers never download it; book_tools.page_speed drops fontawesome.js from the pages.

An icon class that ``icons.json`` lacks is drawn as nothing, never as a filled box; the book
tests check that every ``fa-`` class of the built pages has its icon.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

from sphinx.application import Sphinx

#: name -> [width, height, SVG path] (Font Awesome Free 6.5.2, solid style).
ICONS: dict[str, list] = json.loads(
    Path(__file__).with_name("icons.json").read_text(encoding="utf-8"))
CSS_FILE = "geneva-icons.css"
#: Characters left as they are in the SVG data URI (the rest are percent-encoded).
SAFE = " /:=.,-'"
#: The elements that Font Awesome's CSS would draw with its font (any style prefix).
FA_ELEMENTS = ":is(.fa, .fa-solid, .fas, .fa-regular, .far, .fa-brands, .fab)"
#: Font Awesome classes that name a style or a size, not an icon.
STYLE_CLASSES = frozenset({"fa", "fa-solid", "fas", "fa-regular", "far", "fa-brands", "fab",
                           "fa-lg", "fa-xs", "fa-sm", "fa-xl", "fa-2x", "fa-3x", "fa-fw"})
_CLASS_ATTRIBUTE = re.compile(r'\bclass="([^"]*)"')
#: The icon of each admonition class ("" is the default), as pydata-sphinx-theme and
#: sphinx-exercise draw them; None: no icon.
ADMONITIONS: dict[str, str | None] = {
    "": "bell", "note": "circle-info", "attention": "circle-exclamation",
    "caution": "triangle-exclamation", "warning": "triangle-exclamation",
    "danger": "triangle-exclamation", "error": "circle-xmark", "hint": "lightbulb",
    "tip": "lightbulb", "important": "circle-exclamation", "seealso": "share",
    "admonition-todo": "pencil", "exercise": "pencil", "solution": None,
}
#: The property holding an admonition's icon (not --geneva-icon: it would be inherited by
#: the icons inside the admonition).
ADMONITION_ICON = "--geneva-admonition-icon"
#: Other pseudo-elements that the theme draws with the font: selector -> icon.
PSEUDO_ICONS = {
    "a.reference.download::before": "download",
    ".nav-link.nav-external::after": "up-right-from-square",
    "nav.bd-links li > a.reference.external::after": "up-right-from-square",
    ".bd-sidebar-secondary.hide:not(:hover) .onthispage::after": "angle-down",
}
#: A mask that shows nothing: the fallback for an icon that has no path.
NOTHING = "linear-gradient(transparent, transparent)"


def mask(variable: str = "--geneva-icon") -> str:
    """Declarations that paint the icon in ``variable`` in the text colour (or nothing)."""
    image = f"var({variable}, {NOTHING}) center / contain no-repeat"
    return f"background-color: currentColor; -webkit-mask: {image}; mask: {image};"


HEADER = """/* Written by book_tools/icons.py: the theme's icons as CSS masks, without Font Awesome.
   Icon paths: Font Awesome Free 6.5.2 by @fontawesome, https://fontawesome.com, licensed
   CC BY 4.0 (https://fontawesome.com/license/free). */
"""


def icon_names(page: str) -> set[str]:
    """The Font Awesome icons that the HTML text ``page`` asks for (``fa-sun`` -> ``sun``)."""
    names = set()
    for attribute in _CLASS_ATTRIBUTE.findall(page):
        names.update(c.removeprefix("fa-") for c in attribute.split()
                     if c.startswith("fa-") and c not in STYLE_CLASSES)
    return names


def icon_url(name: str) -> str:
    """A ``url("data:...")`` of the icon's SVG (percent-encoded, so quotes and ``#`` in it
    cannot end the CSS string)."""
    width, height, path = ICONS[name]
    svg = (f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'>"
           f"<path d='{path}'/></svg>")
    return f'url("data:image/svg+xml,{quote(svg, safe=SAFE)}")'


def _icon_properties(name: str) -> str:
    width, height, _path = ICONS[name]
    return f"--geneva-icon: {icon_url(name)}; --geneva-icon-width: {width / height:.4g}em;"


def icons_css() -> str:
    """The stylesheet: every icon class, the admonition titles and the other pseudo-elements."""
    lines = [HEADER,
             # The font's metrics would still be needed to lay out the (empty) element.
             f"{FA_ELEMENTS} {{ font-family: inherit !important; }}",
             f"{FA_ELEMENTS}::before {{ content: \"\" !important; display: inline-block; "
             f"width: var(--geneva-icon-width, 1em); height: 1em; vertical-align: -0.125em; "
             f"{mask()} }}"]
    lines += [f".fa-{name} {{ {_icon_properties(name)} }}" for name in sorted(ICONS)]
    titles = ":is(.admonition, div.admonition) > .admonition-title::after"
    lines.append(f"{titles} {{ content: \"\" !important; font-family: inherit !important; "
                 f"height: 1em; top: calc(0.4rem + (1lh - 1em) / 2); "
                 f"{mask(ADMONITION_ICON)} }}")
    for kind, name in ADMONITIONS.items():
        selector = f".admonition.{kind}" if kind else ".admonition"
        lines.append(f"{selector} {{ {ADMONITION_ICON}: {icon_url(name)}; }}" if name else
                     f"div{selector} > p.admonition-title::after {{ content: none !important; }}")
    for selector, name in PSEUDO_ICONS.items():
        lines.append(f"{selector} {{ content: \"\" !important; font-family: inherit !important; "
                     f"display: inline-block; "
                     f"width: 1em; height: 1em; vertical-align: -0.125em; "
                     f"--geneva-icon: {icon_url(name)}; {mask()} }}")
    return "\n".join(lines) + "\n"


def _write_css(app: Sphinx) -> None:
    """Write the stylesheet into the HTML output's _static/ (every page links it) before
    any page is written, so that each page's link carries the checksum of this very file."""
    if app.builder.format == "html":
        static = Path(app.outdir) / "_static"
        static.mkdir(parents=True, exist_ok=True)
        (static / CSS_FILE).write_text(icons_css(), encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.add_css_file(CSS_FILE)
    app.connect("builder-inited", _write_css)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
