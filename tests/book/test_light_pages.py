"""Light pages (issue 16), in the built book and in headless Chromium, offline.

What the pages no longer carry stays gone: no Font Awesome (its script or its fonts), yet
every icon the pages ask for is drawn; the search index only on the search page, yet the
search box of any page finds a word, and the page found highlights it; the widget runtime
only once the reader heads for a widget, which then renders. Every page stays within the
issue's weight budget, counted as a static host serving gzip would send it: the files the
page requested (its widgets shown), from the build. Lighthouse itself runs in ``make bench``
(benchmarks/lighthouse.py), not here: it is slow and its scores vary with the machine's load.
"""

from __future__ import annotations

import contextlib
import gzip
import re
import zlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from browser_support import (
    PAGE_BUDGET_KB,
    WIDGET_PAGE_BUDGET_KB,
    WIDGET_RUNTIME,
    WIDGETS_SHOWN_JS,
    PageReport,
    book_pages,
    each_page,
    new_page,
    sent_bytes,
    show_widgets,
)

from book_tools import icons

pytestmark = pytest.mark.book

SEARCH_FILES = ("searchtools.js", "language_data.js", "searchindex.js")
SEARCH_WORD = "Ryabkov"
FONT_AWESOME = re.compile(r"fontawesome|/webfonts/fa-", re.IGNORECASE)
#: Every visible icon element: its classes, and the size and mask of what draws it.
ICONS_JS = """() => Array.from(document.querySelectorAll('[class*="fa-"]'))
  .filter(e => e.getClientRects().length > 0)
  .map(e => { const b = getComputedStyle(e, '::before');
    return {classes: e.getAttribute('class'), width: parseFloat(b.width) || 0,
            height: parseFloat(b.height) || 0, mask: b.maskImage || b.webkitMaskImage,
            font: getComputedStyle(e).fontFamily}; })"""


def has_widgets(html_dir, name: str) -> bool:
    return "application/vnd.jupyter.widget-state+json" in (html_dir / name).read_text("utf-8")


def transferred_kb(html_dir, paths: list[str]) -> float:
    """What sending the files at ``paths`` (URL paths, each once) weighs, gzipped where a
    static host would gzip them, in KiB."""
    total = 0
    for path in set(paths):
        file = html_dir / path.lstrip("/")
        file = file / "index.html" if file.is_dir() else file
        total += len(sent_bytes(file))
    return total / 1024


@dataclass
class Load:
    """One page as Chromium loaded it: the paths its first view requested, every path
    requested once its widgets were shown, and its icons."""

    report: PageReport
    first_view: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    icons: list[dict] = field(default_factory=list)
    widgets: int = 0


@pytest.fixture(scope="session")
def page_loads(browser, book_url, book_html) -> dict[str, Load]:  # noqa: F811
    """Open every page once, offline; record what its first view requested, how its icons
    look, and what it requested once its widgets were shown."""

    def look(chromium, name: str) -> Load:
        load = Load(PageReport(url=book_url + name))
        page = new_page(chromium, load.report)
        page.on("request", lambda r, load=load: r.url.startswith("http")
                and load.paths.append(urlsplit(r.url).path))
        try:
            page.goto(load.report.url, wait_until="load")
            with contextlib.suppress(Exception):
                page.wait_for_load_state("networkidle", timeout=5_000)
            page.wait_for_timeout(300)  # nothing more should come unless the reader scrolls
            load.first_view = list(load.paths)
            load.icons = page.evaluate(ICONS_JS)
            load.widgets = show_widgets(page)
            page.mouse.wheel(0, 4000)  # the reader scrolls on, whether or not it has widgets
            with contextlib.suppress(Exception):
                page.wait_for_load_state("networkidle", timeout=5_000)
            page.wait_for_timeout(300)
        finally:
            page.context.close()
        return load

    return each_page(look, book_pages(book_html))


def test_no_page_loads_fontawesome_js(book_html):
    for name in book_pages(book_html):
        assert "fontawesome.js" not in (book_html / name).read_text("utf-8"), name


def test_every_icon_a_page_asks_for_has_its_path(book_html):
    asked = {}
    for name in book_pages(book_html):
        for icon in icons.icon_names((book_html / name).read_text("utf-8")):
            asked.setdefault(icon, name)
    assert {"magnifying-glass", "bars"} <= set(asked), asked
    missing = {icon: page for icon, page in asked.items() if icon not in icons.ICONS}
    assert not missing, f"icons with no path in book_tools/icons.json (first page): {missing}"


def test_every_page_links_the_icon_stylesheet_as_it_is(book_html):
    checksum = f"{zlib.crc32((book_html / '_static' / icons.CSS_FILE).read_bytes()):08x}"
    for name in book_pages(book_html):
        text = (book_html / name).read_text("utf-8")
        if 'http-equiv="Refresh"' in text and "<body" not in text:
            continue  # index.html only redirects to the first page
        match = re.search(rf'href="[^"]*_static/{icons.CSS_FILE}\?v=([0-9a-f]{{8}})"', text)
        assert match, f"{name} does not link {icons.CSS_FILE} with Sphinx's checksum"
        # The checksum is the file's own (written before the pages): a changed icon set
        # reaches readers whose browsers cached the old one.
        assert match.group(1) == checksum, f"{name}: {icons.CSS_FILE}?v={match.group(1)}"


@pytest.mark.browser
def test_no_page_downloads_font_awesome(page_loads):
    fetched = {name: [p for p in load.paths if FONT_AWESOME.search(p)]
               for name, load in page_loads.items()}
    assert not any(fetched.values()), {n: p for n, p in fetched.items() if p}


@pytest.mark.browser
def test_every_visible_icon_is_drawn(page_loads):
    seen, bad = 0, {}
    for name, load in page_loads.items():
        for icon in load.icons:
            if not icons.icon_names(f'class="{icon["classes"]}"'):
                continue
            seen += 1
            if icon["width"] < 4 or icon["height"] < 4 or "data:image/svg" not in icon["mask"] \
                    or "Awesome" in icon["font"]:
                bad.setdefault(name, []).append(icon)
    assert seen >= len(page_loads), f"only {seen} icons seen on {len(page_loads)} pages"
    assert not bad, f"icons not drawn: {bad}"


def test_print_styles_and_scripts_wait_and_sphinx_design_is_where_used(book_html):
    designed = []
    for name in book_pages(book_html):
        text = (book_html / name).read_text("utf-8")
        head = text.split("</head>", 1)[0]
        for tag in re.findall(r'<link[^>]*print\.css[^>]*>', head):
            assert 'media="print"' in tag, f"{name}: {tag}"
        for tag in re.findall(r"<script\b[^>]*\bsrc=[^>]*>", head):
            if "documentation_options.js" not in tag and name != "search.html":
                assert "defer" in tag, f"{name}: a script blocks the first paint: {tag}"
        uses = bool(re.search(r'class="[^"]*\bsd-', text.split("<body", 1)[-1]))
        assert uses == ("sphinx-design" in head), f"{name}: sphinx-design {uses}"
        designed += [name] if uses else []
    assert designed, "no page uses sphinx-design: the check above checked nothing"


def test_images_have_sizes_and_the_theme_css_has_no_glyph_rules(book_html):
    for name in book_pages(book_html):
        for tag in re.findall(r"<img\b[^>]*>", (book_html / name).read_text("utf-8")):
            assert re.search(r'\bwidth="\d+"', tag) and re.search(r'\bheight="\d+"', tag), \
                f"{name}: {tag}"
    theme = (book_html / "_static" / "styles" / "pydata-sphinx-theme.css").read_text("utf-8")
    assert ".fa-lg" in theme and not re.search(r'\.fa-sun:+before\{content:', theme)


def test_only_the_search_page_loads_the_search_index(book_html):
    for name in book_pages(book_html):
        text = (book_html / name).read_text("utf-8")
        loaded = [f for f in SEARCH_FILES if re.search(rf'<script[^>]+src="[^"]*{f}"', text)]
        assert loaded == (list(SEARCH_FILES) if name == "search.html" else []), name


@pytest.mark.browser
def test_the_search_box_of_a_page_finds_a_word_that_the_result_highlights(
        browser, book_url):  # noqa: F811
    report = PageReport(url=book_url + "chapters/04-issue-by-issue.html")
    page = new_page(browser, report)
    try:
        page.goto(report.url, wait_until="load")
        page.keyboard.press("Control+k")
        box = page.locator("#pst-search-dialog input[name=q]")
        box.fill(SEARCH_WORD)
        box.press("Enter")
        page.wait_for_url(f"**/search.html?q={SEARCH_WORD}*")
        # Every result shown, and every summary (each fetched from its page) arrived.
        page.wait_for_function("(document.querySelector('.search-summary') || {}).innerText"
                               "?.startsWith('Search finished')", timeout=15_000)
        page.wait_for_load_state("networkidle")
        page.locator("#search-results ul.search li a").first.click()
        page.wait_for_load_state("load")
        shown = page.locator("span.highlighted:visible").first
        shown.wait_for(timeout=5_000)
        assert SEARCH_WORD in shown.inner_text()
    finally:
        page.context.close()
    assert not report.problems(), report.problems()


@pytest.mark.browser
def test_the_widget_runtime_waits_for_the_reader_and_then_renders(page_loads, book_html):
    shown = {name: load for name, load in page_loads.items() if load.widgets}
    assert "chapters/classroom/explorer.html" in shown, sorted(shown)
    # Widget state without a widget to show: scrolling it must not fetch the runtime.
    hidden = [n for n in page_loads if has_widgets(book_html, n) and not page_loads[n].widgets]
    assert "chapters/classroom/code-it-yourself.html" in hidden, hidden
    for name, load in page_loads.items():
        early = [p for p in load.first_view if p.endswith(WIDGET_RUNTIME)]
        assert not early, f"{name}: the first view loads the widget runtime {early}"
        late = [p for p in load.paths if p.endswith(WIDGET_RUNTIME)]
        assert len(late) == (2 if load.widgets else 0), f"{name}: runtime requests {late}"
        assert not load.report.problems(), (name, load.report.problems())


@pytest.mark.browser
def test_a_widget_already_in_view_renders_without_a_scroll(browser, book_url):  # noqa: F811
    """On a window tall enough to show the explorer at once, the loader starts because the
    widget is in view (IntersectionObserver), with no scroll or print to start it."""
    report = PageReport(url=book_url + "chapters/classroom/explorer.html")
    page = new_page(browser, report)
    requested = []
    page.on("request", lambda r: requested.append(urlsplit(r.url).path))
    try:
        page.set_viewport_size({"width": 1280, "height": 20_000})
        page.goto(report.url, wait_until="load")
        page.wait_for_function(WIDGETS_SHOWN_JS, timeout=15_000)
        assert page.evaluate("window.scrollY") == 0
    finally:
        page.context.close()
    assert [p for p in requested if p.endswith(WIDGET_RUNTIME)], "the runtime never loaded"
    assert not report.problems(), report.problems()


@pytest.mark.browser
def test_every_page_stays_within_its_weight_budget(page_loads, book_html):
    over = {}
    for name, load in page_loads.items():
        budget = WIDGET_PAGE_BUDGET_KB if load.widgets else PAGE_BUDGET_KB  # widgets shown
        weight = transferred_kb(book_html, load.paths)
        if weight > budget:
            over[name] = f"{weight:,.0f} KiB > {budget:,} KiB"
    assert not over, f"pages over their budget (widgets shown, gzipped): {over}"


def test_the_weight_counts_each_file_once_gzipped_text_and_raw_images(tmp_path):
    page = ("<p>" + "words " * 2000 + "</p>").encode()
    image = b"\x89PNG" + bytes(range(256)) * 8
    (tmp_path / "a.html").write_bytes(page)
    (tmp_path / "b.png").write_bytes(image)
    weight = transferred_kb(tmp_path, ["/a.html", "/a.html", "/b.png"]) * 1024
    assert weight == len(gzip.compress(page, 6)) + len(image)
    assert weight < len(image) + len(page) / 10
