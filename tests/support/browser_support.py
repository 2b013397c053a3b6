"""Serve a built HTML folder on 127.0.0.1 and look at its pages in Debian's headless Chromium.

Small, shared pieces for the browser tests (any test file may use them):

* ``serve(html_dir)``: a context manager that serves a folder on 127.0.0.1 (a free port)
  and yields the base URL, ending in ``/``.
* ``browser``: a session fixture, a Playwright ``Browser`` driving ``/usr/bin/chromium``.
  Where no Chromium exists it fails when Chromium is required (``make test``, which installs
  it first, sets ``GENEVA_REQUIRE_CHROMIUM=1``; CI sets ``CI=true``) and skips, with a loud
  reason, otherwise (a bare ``pytest``). Playwright's own browser downloads are never used.
* ``visit(browser, url)``: open one page offline, scroll to its widgets (the widget runtime
  loads when a reader heads for them: book_tools.widget_loading) and wait until they have
  rendered, and return a ``PageReport``: requests that failed or tried to leave 127.0.0.1,
  console errors, uncaught JavaScript errors, images that did not load.
  ``show_widgets(page)`` does the scrolling and waiting on its own. ``new_page(browser)``
  gives a page with the same offline guard, for tests that want to click around.
* ``book_url``: a session fixture serving the session's built book (``book_html``).

tests/conftest.py imports the fixtures, so every test module can use them.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import os
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from book_tools.pdf import CHROMIUM_ARGS, PrintError, find_chromium

LOCAL_HOSTS = {"127.0.0.1"}
#: How long one page may take to load, in milliseconds.
PAGE_TIMEOUT_MS = 30_000


def chromium_path() -> str | None:
    """The Chromium executable to drive (Debian's; `make test` installs it), or None where
    the machine has none."""
    try:
        return find_chromium()
    except PrintError:
        return None


def chromium_required(environ=os.environ) -> bool:
    """Whether a missing Chromium is a failure: under `make test` and in CI."""
    return environ.get("GENEVA_REQUIRE_CHROMIUM") == "1" or environ.get("CI") == "true"


def no_chromium(environ=os.environ) -> None:
    """Fail (Chromium is required) or skip loudly: the browser tests cannot run."""
    if chromium_required(environ):
        pytest.fail("NO CHROMIUM, but this run requires it (make test or CI): "
                    "`apt-get install chromium` (make test does, as root)", pytrace=False)
    reason = ("NO CHROMIUM ON THIS MACHINE: browser tests skipped. "
              "`make test` installs it (as root) and never skips them.")
    warnings.warn(reason, stacklevel=2)
    pytest.skip(reason)


# -- The pages of a build ----------------------------------------------------------------------

#: Folders of a build that hold assets and downloads, not pages.
ASSET_DIRS = {"_static", "_sources", "_images", "widgets", "mathjax", "data"}


def book_pages(html_dir: Path) -> list[str]:
    """Every HTML page of a build (relative POSIX paths), assets excluded."""
    return sorted(p.relative_to(html_dir).as_posix() for p in html_dir.rglob("*.html")
                  if not ASSET_DIRS.intersection(p.relative_to(html_dir).parts))


# -- What a static host sends -------------------------------------------------------------------

#: Issue 16's budgets, in KiB transferred: a page that shows widgets (with them shown), any other.
WIDGET_PAGE_BUDGET_KB = 1500
PAGE_BUDGET_KB = 500
#: What a static host compresses, and at which gzip level.
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".txt", ".csv", ".map")
GZIP_LEVEL = 6
#: The widget runtime's two scripts, which a page loads when the reader heads for a widget.
WIDGET_RUNTIME = ("widgets/require.js", "widgets/embed-amd.js")


def sent_bytes(file: Path) -> bytes:
    """What a static host sends for ``file``: gzipped if its type compresses, else as it is."""
    data = file.read_bytes()
    return gzip.compress(data, GZIP_LEVEL) if file.suffix in COMPRESSIBLE else data


# -- A quiet static server on 127.0.0.1 -------------------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serve files without logging every request to stderr; on a missing file, answer 404
    with the body of ``not_found`` (a file of the served folder) if set, as web hosts do."""

    not_found: str | None = None

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / self.not_found if self.not_found else None
        if code != 404 or page is None or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextlib.contextmanager
def serve(html_dir: Path, not_found: str | None = None,
          handler: type[QuietHandler] = QuietHandler) -> Iterator[str]:
    """Serve ``html_dir`` on 127.0.0.1 (a free port) while the block runs; yield its base URL.

    ``not_found`` (e.g. ``"404.html"``) is the page sent with every 404, as web hosts do;
    ``handler`` a subclass of QuietHandler that serves differently (benchmarks/lighthouse.py
    gzips)."""
    handler_class = type("Handler", (handler,), {"not_found": not_found})
    handler = functools.partial(handler_class, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# -- The browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium for the whole session (Debian's, never a Playwright download)."""
    executable = chromium_path()
    if executable is None:
        no_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


#: Pages visited at once by :func:`each_page`: a visit mostly waits (for the network to go
#: quiet, for a handler to fire), so three Chromiums share two cores well.
PAGE_WORKERS = 3


def each_page(visit_one: Callable, names: list[str], workers: int = PAGE_WORKERS) -> dict:
    """``visit_one(browser, name)`` for every name, spread over ``workers`` threads, each with
    a Chromium of its own (Playwright's sync API serves one thread); results by name, in the
    order of ``names``. An error in any visit is raised here, once every thread has ended."""
    from playwright.sync_api import sync_playwright

    results: dict = {}
    errors: list[BaseException] = []

    def work(share: list[str]) -> None:
        try:
            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(executable_path=chromium_path(),
                                                      args=CHROMIUM_ARGS)
                try:
                    for name in share:
                        results[name] = visit_one(chromium, name)
                finally:
                    chromium.close()
        except BaseException as error:  # noqa: BLE001 (re-raised in the calling thread)
            errors.append(error)

    threads = [threading.Thread(target=work, args=(names[i::workers],))
               for i in range(min(workers, len(names)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return {name: results[name] for name in names}


@pytest.fixture(scope="session")
def book_url(book_html) -> Iterator[str]:
    """The session's built book, served on 127.0.0.1 (base URL ending in /)."""
    with serve(book_html) as url:
        yield url


# -- Looking at one page -----------------------------------------------------------------------


@dataclass
class PageReport:
    """What went wrong while one page loaded (every list empty: the page is clean)."""

    url: str
    external_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Every problem as one readable line."""
        lines = [f"request left 127.0.0.1: {u}" for u in self.external_requests]
        lines += [f"failed request: {u}" for u in self.failed_requests]
        lines += [f"console error: {m}" for m in self.console_errors]
        lines += [f"JavaScript error: {m}" for m in self.page_errors]
        lines += [f"image did not load: {u}" for u in self.broken_images]
        return lines


def is_local(url: str) -> bool:
    """True for URLs the book may load: 127.0.0.1, data: and blob: URLs."""
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname in LOCAL_HOSTS


def guard_offline(page, report: PageReport) -> None:
    """Record (in ``report``) and block every request that would leave 127.0.0.1; record
    failed requests, HTTP errors, console errors and uncaught exceptions."""

    def route(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            report.external_requests.append(route.request.url)
            route.abort("blockedbyclient")

    page.route("**/*", route)
    page.on("response", lambda r: r.status >= 400 and report.failed_requests.append(
        f"{r.status} {r.url}"))
    page.on("requestfailed", lambda r: is_local(r.url) and report.failed_requests.append(
        f"{r.failure} {r.url}"))
    page.on("console", lambda m: m.type == "error" and report.console_errors.append(
        f"{m.text} ({m.location.get('url', '')})"))
    page.on("pageerror", lambda e: report.page_errors.append(str(e)))


def new_page(browser, report: PageReport | None = None):
    """A new page (in its own context) guarded offline; problems go to ``report`` if given."""
    context = browser.new_context()
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    guard_offline(page, report if report is not None else PageReport(url=""))
    return page


_BROKEN_IMAGES_JS = """async () => {
  const images = Array.from(document.images);
  images.forEach(i => { if (i.loading === 'lazy') i.loading = 'eager'; });
  await Promise.all(images.map(i => i.complete ? null : new Promise(done => {
    i.addEventListener('load', done); i.addEventListener('error', done);
  })));
  return images.filter(i => i.naturalWidth === 0).map(i => i.getAttribute('src'));
}"""


#: Scrolls each widget's place into view in turn, then back to the top; returns how many.
_SHOW_WIDGETS_JS = """async () => {
  const views = Array.from(document.querySelectorAll(
    'script[type="application/vnd.jupyter.widget-view+json"]'));
  for (const view of views) {
    view.parentElement.scrollIntoView();
    await new Promise(done => requestAnimationFrame(() => setTimeout(done, 50)));
  }
  window.scrollTo(0, 0);
  return views.length;
}"""
#: True once every widget view of the page has rendered (the manager puts it before its tag).
WIDGETS_SHOWN_JS = """() => Array.from(document.querySelectorAll(
    'script[type="application/vnd.jupyter.widget-view+json"]'))
  .every(v => v.parentElement.querySelector('.widget-subarea > *'))"""


def show_widgets(page, timeout_ms: int = PAGE_TIMEOUT_MS) -> int:
    """Scroll to each widget of ``page``, as a reader would, and wait until all have rendered;
    return how many there are (0 on a page without widgets)."""
    count = page.evaluate(_SHOW_WIDGETS_JS)
    if count:
        page.wait_for_function(WIDGETS_SHOWN_JS, timeout=timeout_ms)
    return count


def broken_images(page) -> list[str]:
    """The ``src`` of every <img> on ``page`` that has not loaded (naturalWidth 0)."""
    return page.evaluate(_BROKEN_IMAGES_JS)


def visit(browser, url: str, inspect=None) -> PageReport:
    """Load ``url`` offline, wait until the network is idle, and report what went wrong.

    ``inspect(page, report)``, if given, runs on the loaded page before it closes (to run
    axe, read the DOM, ...)."""
    report = PageReport(url=url)
    page = new_page(browser, report)
    try:
        page.goto(url, wait_until="load")
        with contextlib.suppress(Exception):  # a page that keeps polling is still judged
            page.wait_for_load_state("networkidle", timeout=5_000)
        show_widgets(page)
        report.broken_images = broken_images(page)
        if inspect is not None:
            inspect(page, report)
    finally:
        page.context.close()
    return report
