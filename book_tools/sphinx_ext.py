"""Sphinx extension: keep executed outputs in step with the data; serve widgets offline.

Three jobs that stock Jupyter Book 1 does not do:

* **Fingerprint the inputs the cache cannot see.** myst-nb's execution cache keys on a
  notebook's code cells only, so a change to the data or to the reader's library
  (``geneva_talks``) would leave stale outputs in the book. We hash both (the data folder
  that ``geneva_talks.load()`` reads, wherever the library is imported from); when the
  hash differs from the one recorded beside the cache, the cache is emptied and every page
  is re-read, so the next build re-executes the notebooks against the new data. The book's
  tooling (this package) is not hashed: editing it executes no notebook.
  The pages record what they were written from only once they are all written
  (``PAGES_STAMP`` in the output folder, removed when a build starts and written when it
  finishes): a build interrupted while it writes pages leaves no record, and the next build
  writes every page again. A change to ``_static/`` alone also marks every page outdated
  (Sphinx would otherwise write nothing, and copy no static file).
* **Execute notebooks in parallel.** Before Sphinx reads the pages, the notebooks the cache
  lacks run in jupyter-cache's ``local-parallel`` executor (a process per core) and land in
  the cache that myst-nb reads; Sphinx itself reads them one after another. ``make bench``
  measures what it saves.
* **Ship the widget runtime with the book.** ``require.js`` and the widget manager's
  ``embed-amd.js`` (with the fonts it loads) are copied from ``node_modules/`` into
  ``widgets/`` at the root of the HTML output, outside ``_static/`` (Jupyter Book would
  otherwise load them on every page). ``nb_ipywidgets_js`` in ``_config.yml`` points
  widget pages at them, so widgets render with no network.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

LOGGER = logging.getLogger(__name__)
FINGERPRINT_FILE = "geneva-talks-inputs.sha256"
#: In the HTML output: the inputs every page was written from, once all were written.
PAGES_STAMP = ".geneva-talks-pages.sha256"

#: Files of the widget runtime, relative to the book's node_modules/, copied to widgets/.
WIDGET_ASSETS = {
    "requirejs/require.js": "require.js",
    "@jupyter-widgets/html-manager/dist/embed-amd.js": "embed-amd.js",
}
WIDGET_FONT_DIR = "@jupyter-widgets/html-manager/dist"
WIDGET_FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".eot", ".svg")


def folders_fingerprint(folders: dict[str, Path], pattern: str = "*") -> str:
    """Hash the files under each folder matching ``pattern``: their paths (under the
    folder's label) and bytes, in sorted order."""
    digest = hashlib.sha256()
    for label, folder in sorted(folders.items()):
        for path in sorted(p for p in folder.rglob(pattern) if p.is_file()):
            digest.update(f"{label}/{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def input_fingerprint() -> str:
    """What executed outputs depend on beyond the code cells: the reader's library (every
    module of the ``geneva_talks`` that notebooks import) and the data folder that its
    ``load()`` reads. The book's tooling is not part of it: editing it executes nothing."""
    import geneva_talks

    library = Path(geneva_talks.__file__).resolve().parent
    return (folders_fingerprint({"library": library}, "*.py")
            + folders_fingerprint({"data": Path(geneva_talks.DATA_DIR).resolve()}))


def static_fingerprint(srcdir: Path) -> str:
    """The book's own static files (_static/): Sphinx copies them only when some page is
    written, so a change to them alone must mark the pages outdated."""
    return folders_fingerprint({"_static": srcdir / "_static"})


def _reset_stale_cache(app: Sphinx) -> None:
    """Empty the execution cache when data/ or geneva_talks/ changed since it was filled,
    and forget that the pages are current until this build has written them all."""
    srcdir = Path(app.srcdir)
    fingerprint = input_fingerprint()
    app.env.geneva_fingerprint_now = (  # type: ignore[attr-defined]
        f"{fingerprint}:{static_fingerprint(srcdir)}")
    cache_dir = Path(app.env.mystnb_config.execution_cache_path)  # type: ignore[attr-defined]
    stamp = cache_dir / FINGERPRINT_FILE
    recorded = stamp.read_text().strip() if stamp.exists() else None
    if recorded != fingerprint:
        if cache_dir.exists():
            LOGGER.info("geneva_talks: data/ or geneva_talks/ changed; emptying %s", cache_dir)
            shutil.rmtree(cache_dir)
        cache_dir.mkdir(parents=True, exist_ok=True)
        stamp.write_text(fingerprint + "\n")
    pages = Path(app.outdir) / PAGES_STAMP
    app.env.geneva_pages_were = (  # type: ignore[attr-defined]
        pages.read_text().strip() if pages.exists() else None)
    pages.unlink(missing_ok=True)


def _execute_in_parallel(app: Sphinx) -> None:
    """Execute the book's notebooks that the cache lacks, one process per core, before
    Sphinx reads them; myst-nb then finds their outputs in the cache. (A notebook that fails
    here is executed again by myst-nb, which reports its error and fails the build.)"""
    config = app.env.mystnb_config  # type: ignore[attr-defined]
    site_map = getattr(app.config, "external_site_map", None)
    if config.execution_mode != "cache" or site_map is None:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    srcdir = Path(app.srcdir)
    notebooks = [p for p in (srcdir / f"{doc}.ipynb" for doc in site_map) if p.is_file()]
    cache = get_cache(config.execution_cache_path)
    uris = [cache.add_nb_to_project(str(p)).uri for p in notebooks]
    if uris:
        load_executor("local-parallel", cache).run_and_cache(
            filter_uris=uris, timeout=config.execution_timeout,
            allow_errors=config.execution_allow_errors)


def _outdated_on_new_inputs(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Re-read every page unless every page was written, by a build that finished, from
    the data/, geneva_talks/ and _static/ there are now (after a data change, the emptied
    cache makes the notebooks execute again)."""
    now = getattr(env, "geneva_fingerprint_now", None)
    if now is not None and getattr(env, "geneva_pages_were", None) != now:
        return sorted(env.found_docs - set(added) - set(removed))
    return []


def _record_pages_written(app: Sphinx, exception: Exception | None) -> None:
    """After a build that wrote every page without error, record what they were written from."""
    now = getattr(app.env, "geneva_fingerprint_now", None)
    if exception is None and now is not None and app.builder.format == "html":
        (Path(app.outdir) / PAGES_STAMP).write_text(now + "\n")


def _copy_widget_runtime(app: Sphinx, exception: Exception | None) -> None:
    """Copy the widget runtime into <html>/widgets/ after an HTML build."""
    if exception is not None or app.builder.format != "html":
        return
    modules = Path(app.srcdir) / "node_modules"
    target = Path(app.outdir) / "widgets"
    target.mkdir(exist_ok=True)
    for source, name in WIDGET_ASSETS.items():
        path = modules / source
        if not path.is_file():
            raise ExtensionError(
                f"geneva_talks: {path} is missing; run `npm ci` (make book does) to install "
                "the widget runtime that the book serves offline"
            )
        shutil.copy2(path, target / name)
    for font in (modules / WIDGET_FONT_DIR).iterdir():
        if font.suffix in WIDGET_FONT_SUFFIXES:
            shutil.copy2(font, target / font.name)


def setup(app: Sphinx) -> dict:
    # After myst-nb's own builder-inited handler, which sets the cache path.
    app.connect("builder-inited", _reset_stale_cache, priority=900)
    app.connect("builder-inited", _execute_in_parallel, priority=901)
    app.connect("env-get-outdated", _outdated_on_new_inputs)
    app.connect("build-finished", _copy_widget_runtime)
    app.connect("build-finished", _record_pages_written, priority=999)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
