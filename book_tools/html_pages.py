"""Sphinx extension: what readers expect of the built HTML pages, offline.

* **No dead or doubled scripts.** Jupyter Book always loads sphinx-thebe, whose inline
  configuration names a CDN and is declared twice (a JavaScript error on every page);
  this book has no live code (``launch_buttons.thebe: false``), so its scripts and
  stylesheet are dropped. Any other script or stylesheet declared twice is kept once.
* **MathJax from the book, and only where there is mathematics.** When
  ``node_modules/mathjax`` is installed (package.json), its ``tex-mml-chtml.js`` and fonts
  are copied to ``mathjax/`` at the root of the site and pages load them from there, not
  from a CDN. Jupyter Book makes the one-page build (``make pdf``) load every asset;
  MathJax is dropped from any page that shows no equation of its own.
* **Social-card metadata.** Every page gets ``og:`` and ``twitter:`` tags: its title, a
  description (the page's first paragraph), the site name and the card image
  (``social_card_image``). Set ``html.baseurl`` in _config.yml to make the URLs absolute.
* **Valid ARIA in the bibliography.** Sphinx marks each citation ``doc-biblioentry``
  inside a ``role="list"``; that role is deprecated and not a list item, which axe-core
  reports as critical. Citations become ``listitem``.
* **A one-page build that knows every node.** Sphinx gives a builder the node visitors
  registered under its own name *instead of* those registered for its format, and an
  extension registers some for ``singlehtml``, so myst-nb's (registered for ``html``)
  go missing and ``--builder singlehtml`` fails on hidden cells. The ``html`` visitors
  are copied under ``singlehtml`` where it lacks them. myst-nb gives a page the scripts
  (widget state and runtime) of its own notebook only; the one page gets every notebook's,
  so that the printed book shows the widgets' first views.
* **A 404 page.** ``404.html`` at the root of the site, in the book's theme, with a link
  home. Web hosts serve it for any missing path, so it carries a ``<base>`` pointing at
  the site root (the path of ``html_baseurl``, else ``/``) and its links work at any depth.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

LOGGER = logging.getLogger(__name__)

#: Scripts and stylesheets of sphinx-thebe (live code through Binder), unused in this book.
THEBE_MARKERS = ("THEBE_JS_URL", "sphinx-thebe.js", "sphinx-thebe.css")
DESCRIPTION_CHARS = 200
#: MathJax 3 in node_modules, and the files of it that the book serves (the rest stays).
MATHJAX_DIR = Path("node_modules") / "mathjax" / "es5"
MATHJAX_FILES = ("tex-mml-chtml.js", "output/chtml/fonts/woff-v2")
#: Where pages load the served copy from (Sphinx puts non-URL paths under _static/).
MATHJAX_PATH = "../mathjax/tex-mml-chtml.js"
NOT_FOUND_PAGE = "404"
NOT_FOUND_BODY = """
<h1>Page not found</h1>
<p>There is no page at this address in <em>{title}</em>. It may have moved when the book
was reorganised.</p>
<p><a href="{home}">Go to the start of the book</a>, or use the search box.</p>
"""


# -- Scripts and stylesheets ----------------------------------------------------------------


def _asset_key(asset) -> tuple[str, str]:
    attributes = getattr(asset, "attributes", {}) or {}
    return (str(getattr(asset, "filename", asset) or ""), attributes.get("body", ""))


def _is_thebe(asset) -> bool:
    filename, body = _asset_key(asset)
    return any(marker in filename or marker in body for marker in THEBE_MARKERS)


def _is_mathjax(asset, mathjax_path: str) -> bool:
    filename, body = _asset_key(asset)
    name = filename.split("?")[0].rsplit("/", 1)[-1]
    return (bool(name) and name == mathjax_path.rsplit("/", 1)[-1]) or body.startswith(
        "window.MathJax")


def clean_assets(assets: list, *, mathjax_path: str | None = None) -> list:
    """``assets`` without sphinx-thebe's, without repeats (first one kept, order kept) and,
    when ``mathjax_path`` is given, without MathJax."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for asset in assets:
        key = _asset_key(asset)
        unwanted = _is_thebe(asset) or (mathjax_path and _is_mathjax(asset, mathjax_path))
        if unwanted or key in seen:
            continue
        seen.add(key)
        kept.append(asset)
    return kept


# -- Social-card metadata -------------------------------------------------------------------


def first_paragraph(doctree: nodes.document | None, limit: int = DESCRIPTION_CHARS) -> str:
    """The first non-empty paragraph's text, cut at a word boundary to ``limit`` characters."""
    if doctree is None:
        return ""
    for paragraph in doctree.findall(nodes.paragraph):
        text = " ".join(paragraph.astext().split())
        if text:
            if len(text) > limit:
                text = text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
            return text
    return ""


def social_meta_tags(*, title: str, description: str, site_name: str, image: str,
                     url: str | None) -> str:
    """Open Graph and Twitter card <meta> tags, every value escaped."""
    tags = {
        "og:title": title, "og:description": description, "og:type": "website",
        "og:site_name": site_name, "og:image": image, "og:image:alt": site_name,
    }
    if url:
        tags["og:url"] = url
    lines = [f'<meta property="{k}" content="{html.escape(v)}" />' for k, v in tags.items()]
    lines += [
        '<meta name="twitter:card" content="summary_large_image" />',
        f'<meta name="description" content="{html.escape(description)}" />',
    ]
    return "\n".join(lines) + "\n"


def _plain(text: str) -> str:
    """Title text from Sphinx's context (HTML, entities) as plain text."""
    return html.unescape(re.sub(r"<[^>]+>", "", text or ""))


# -- JSON inside <script> -------------------------------------------------------------------

#: Characters that could end a script block, open a comment in it, or start an entity.
_SCRIPT_DATA_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}
_JSON_SCRIPT = re.compile(
    r'(<script\b[^>]*\btype="application/[^"]*json"[^>]*>)(.*?)(</script\s*>)',
    re.IGNORECASE | re.DOTALL)


def escape_script_json(text: str) -> str:
    """JSON made safe inside an HTML ``<script>`` block: every ``<``, ``>`` and ``&`` written
    as a JSON ``\\u`` escape, so no text in it (``</SCRIPT>``, ``<!--``) can end the block.
    The JSON means the same: those characters only ever occur inside its strings."""
    for char, escape in _SCRIPT_DATA_ESCAPES.items():
        text = text.replace(char, escape)
    return text


def escape_json_scripts(assets: list) -> list:
    """``assets`` with the body of every inline JSON script (myst-nb's widget state) escaped
    by :func:`escape_script_json`. myst-nb itself only rewrites a lower-case ``</script>``."""
    kept = []
    for asset in assets:
        attributes = getattr(asset, "attributes", None) or {}
        if "json" in attributes.get("type", "") and attributes.get("body"):
            body = escape_script_json(attributes["body"].replace("<\\/", "</"))
            asset = type(asset)(asset.filename, priority=asset.priority,
                                **{**attributes, "body": body})
        kept.append(asset)
    return kept


def escape_json_in_body(body: str) -> str:
    """The page body with the content of every inline JSON script (widget views) escaped."""
    return _JSON_SCRIPT.sub(
        lambda m: m.group(1) + escape_script_json(m.group(2).replace("<\\/", "</"))
        + m.group(3), body)


def page_has_equations(app: Sphinx, pagename: str) -> bool:
    """Whether a page shows mathematics: its own document's equations (Sphinx also counts
    those of every page in its toctree, so the start page would load MathJax for all);
    in the one-page build, those of the whole book."""
    math = app.env.get_domain("math")
    if app.builder.name == "singlehtml":
        return math.has_equations(pagename)  # type: ignore[attr-defined]
    return bool(math.data["has_equations"].get(pagename, False))


def _add_page_metadata(app: Sphinx, pagename: str, templatename: str, context: dict,
                       doctree) -> None:
    if app.builder.name == "singlehtml":
        _add_every_notebooks_scripts(app)
    if isinstance(context.get("body"), str):
        context["body"] = escape_json_in_body(
            context["body"].replace('role="doc-biblioentry"', 'role="listitem"'))
    no_math = not page_has_equations(app, pagename)
    mathjax = (app.config.mathjax_path or "") if no_math else None
    for key in ("script_files", "css_files"):
        if isinstance(context.get(key), list):
            context[key][:] = clean_assets(context[key], mathjax_path=mathjax)
    if isinstance(context.get("script_files"), list):
        context["script_files"][:] = escape_json_scripts(context["script_files"])

    config = app.config
    site = config.html_title or config.project or ""
    title = _plain(context.get("title", "")) or site
    description = first_paragraph(doctree) or config.social_card_description
    base = config.html_baseurl
    page_url = urljoin(base, app.builder.get_target_uri(pagename)) if base else None
    image = (urljoin(base, config.social_card_image) if base
             else context["pathto"](config.social_card_image, 1))
    context["metatags"] = context.get("metatags", "") + social_meta_tags(
        title=title, description=description, site_name=site, image=image, url=page_url)


# -- The one-page build -----------------------------------------------------------------------


def _share_html_visitors(app: Sphinx) -> None:
    """Let the singlehtml builder use every visitor registered for the html format."""
    handlers = app.registry.translation_handlers
    if app.builder.name in handlers and app.builder.format in handlers:
        for node, visitors in handlers[app.builder.format].items():
            handlers[app.builder.name].setdefault(node, visitors)


def _add_every_notebooks_scripts(app: Sphinx) -> None:
    """Add each notebook's own scripts (widget state and runtime) to the one page."""
    from myst_nb.sphinx_ import NbMetadataCollector

    for docname in sorted(app.env.found_docs):
        for path, kwargs in NbMetadataCollector.get_js_files(app.env, docname).values():
            app.add_js_file(path, **kwargs)


# -- MathJax from the book -------------------------------------------------------------------


def _use_local_mathjax(app: Sphinx) -> None:
    """Point pages at the book's own MathJax (package.json pins it; `npm ci` installs it)."""
    script = Path(app.srcdir) / MATHJAX_DIR / MATHJAX_FILES[0]
    if not script.is_file():
        raise ExtensionError(f"geneva_talks: {script} is missing; run `npm ci` (make book "
                             "does) to install the MathJax that the book serves offline")
    app.config.mathjax_path = MATHJAX_PATH


def _copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    """Copy MathJax into <html>/mathjax/ when some page has mathematics."""
    if exception is not None or app.builder.format != "html":
        return
    source = Path(app.srcdir) / MATHJAX_DIR
    math = app.env.get_domain("math")
    if app.config.mathjax_path != MATHJAX_PATH or not math.has_equations():  # type: ignore
        return
    target = Path(app.outdir) / "mathjax"
    for name in MATHJAX_FILES:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, dirs_exist_ok=True)
        else:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / name, target / name)


# -- The 404 page ---------------------------------------------------------------------------


def _collect_not_found_page(app: Sphinx):
    if app.builder.format != "html" or app.builder.name == "singlehtml":
        return []
    body = NOT_FOUND_BODY.format(title=html.escape(app.config.html_title or "this book"),
                                 home=app.builder.get_target_uri(app.config.root_doc))
    context = {"title": "Page not found", "pagetitle": "Page not found", "body": body}
    return [(NOT_FOUND_PAGE, context, "page.html")]


def site_root(baseurl: str) -> str:
    """The path at which the site is served: that of ``html_baseurl``, else ``/``."""
    path = urlsplit(baseurl).path if baseurl else "/"
    return path if path.endswith("/") else path + "/"


def _anchor_not_found_page(app: Sphinx, exception: Exception | None) -> None:
    """Give 404.html a <base> at the site root, so that it works at any missing path."""
    if exception is not None or app.builder.format != "html":
        return
    page = Path(app.outdir) / f"{NOT_FOUND_PAGE}.html"
    if not page.is_file():
        return
    text = page.read_text(encoding="utf-8")
    if "<base " not in text:
        base = f'<head>\n    <base href="{html.escape(site_root(app.config.html_baseurl))}" />'
        page.write_text(text.replace("<head>", base, 1), encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.add_config_value("social_card_image", "_static/social-card.png", "html")
    app.add_config_value(
        "social_card_description",
        "What the US and Russian delegations said at the Geneva security talks of "
        "January 2022, statement by statement, with open data and notebooks.",
        "html",
    )
    # After myst-nb, which adds the widget scripts to the pages that need them.
    app.connect("html-page-context", _add_page_metadata, priority=900)
    app.connect("html-collect-pages", _collect_not_found_page)
    app.connect("builder-inited", _use_local_mathjax)
    app.connect("builder-inited", _share_html_visitors)
    app.connect("build-finished", _copy_mathjax)
    app.connect("build-finished", _anchor_not_found_page)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
