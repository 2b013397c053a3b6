"""Sphinx extension: the widget runtime, found at any depth and loaded when it is needed.

myst-nb gives a page with widgets two ordinary scripts in ``<head>``: ``require.js`` and the
widget manager, ``embed-amd.js`` (3.5 MB, 900 KB gzipped). book_tools.sphinx_ext serves them
from ``widgets/`` at the root of the site. Two things are done to them here:

* **Found at any depth.** The manager takes its asset folder from the AMD module's path,
  which require.js resolves against the page, so its icon fonts would 404 on every widget
  page. Before the manager loads, the widget modules are mapped to ``widgets/`` (relative to
  the page), and ``data-jupyter-widgets-cdn`` points there too.
* **Loaded when the reader heads for a widget.** On the pages of the web book, the two
  scripts become one small inline loader. When a widget's place in the page comes into view
  (above the bottom tenth of the window), or the reader first scrolls the page, or prints
  it, the loader loads require.js, maps the paths and loads the manager, which then renders
  every widget of the page from the state embedded in it: the download overlaps the reading
  of the text above the widget, and the first view of a page never waits for it. A browser
  without ``IntersectionObserver`` loads it at once; a page whose widgets are not shown
  (their output removed) never does. The one-page build that
  ``make pdf`` prints keeps the plain scripts, so the printed book shows the first views.
"""

from __future__ import annotations

import json

from sphinx.application import Sphinx

from .assets import asset_filename, with_attributes

REQUIRE = "widgets/require.js"
MANAGER = "widgets/embed-amd.js"
#: Maps the widget modules (and so their fonts) to the widgets/ folder at ``w``.
PATHS_JS = (
    "window.__jupyter_widgets_assets_path__ = w; "
    "require.config({paths: {'@jupyter-widgets/html-manager/dist': w.slice(0, -1), "
    "'@jupyter-widgets': w.slice(0, -1)}});"
)
#: Runs before embed-amd.js where it is loaded as it is (the one-page build); ``widgets``
#: is the folder's URL as a JSON string.
EAGER_PATHS_JS = ("(function () {{ var w = new URL({widgets}, document.baseURI).href; "
                  + PATHS_JS.replace("{", "{{").replace("}", "}}") + " }})();")
#: The loader: its own data-* attributes name the scripts and the widgets/ folder.
LOADER_JS = """(function () {
  var me = document.currentScript, started = false;
  var views = 'script[type="application/vnd.jupyter.widget-view+json"]';
  function add(src, done) {
    var s = document.createElement('script');
    s.src = src;
    if (done) { s.onload = done; }
    else { s.setAttribute('data-jupyter-widgets-cdn', me.dataset.widgets); }
    document.head.appendChild(s);
  }
  function start() {
    // A page may embed widget state yet show no widget (its output removed): nothing to load.
    if (started || !document.querySelector(views)) { return; }
    started = true;
    add(me.dataset.require, function () {
      var w = new URL(me.dataset.widgets, document.baseURI).href;
      MAP_PATHS
      add(me.dataset.manager);
    });
  }
  function watch() {
    if (!('IntersectionObserver' in window)) { return start(); }
    var seen = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) {
        seen.disconnect();
        start();
      }
    }, {rootMargin: '0px 0px -10% 0px'});
    document.querySelectorAll(views).forEach(function (v) { seen.observe(v.parentElement); });
  }
  window.addEventListener('scroll', start, {once: true, passive: true});
  window.addEventListener('beforeprint', start);
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', watch); }
  else { watch(); }
})();""".replace("MAP_PATHS", PATHS_JS)


def _index(assets: list, suffix: str) -> int | None:
    return next((i for i, a in enumerate(assets) if asset_filename(a).endswith(suffix)), None)


def widget_scripts(assets: list, widgets_url: str, *, lazy: bool = True) -> list:
    """``assets`` with the widget runtime loaded from ``widgets_url`` (the page's relative
    path to widgets/): by the loader when ``lazy``, else as they are, with the paths mapped
    first. A page without the widget manager is returned as it is."""
    manager_at, require_at = _index(assets, MANAGER), _index(assets, REQUIRE)
    if manager_at is None:
        return assets
    manager = assets[manager_at]
    script = type(manager)  # Sphinx's (private) script asset class, without importing it
    if lazy and require_at is not None:
        loader = script(None, priority=manager.priority, body=LOADER_JS, **{
            "data-require": widgets_url + REQUIRE.rsplit("/", 1)[1],
            "data-manager": widgets_url + MANAGER.rsplit("/", 1)[1], "data-widgets": widgets_url})
        return [loader if i == manager_at else a for i, a in enumerate(assets)
                if i != require_at]
    if "data-jupyter-widgets-cdn" in manager.attributes:
        manager = with_attributes(manager, **{"data-jupyter-widgets-cdn": widgets_url})
    paths = script(None, priority=manager.priority,
                   body=EAGER_PATHS_JS.format(widgets=json.dumps(widgets_url)))
    return [*assets[:manager_at], paths, manager, *assets[manager_at + 1:]]


def _load_widgets_when_needed(app: Sphinx, pagename: str, templatename: str, context: dict,
                              doctree) -> None:
    if isinstance(context.get("script_files"), list):
        widgets_url = context["pathto"]("widgets/", 1)
        context["script_files"][:] = widget_scripts(
            context["script_files"], widgets_url, lazy=app.builder.name != "singlehtml")


def setup(app: Sphinx) -> dict:
    # After myst-nb, which adds the widget scripts, and book_tools.html_pages (priority 900).
    app.connect("html-page-context", _load_widgets_when_needed, priority=910)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
