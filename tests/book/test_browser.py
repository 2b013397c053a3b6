"""The rendered book as readers get it, in a real browser (Debian's headless Chromium).

Every page of the session's build is served on 127.0.0.1 and opened offline: no request
may fail or leave the machine, no JavaScript error may occur, every image must load,
and axe-core must find no serious or critical accessibility violation. Search works with
no network; internal links and anchors resolve; each page carries what readers of a
Jupyter Book expect (notebook download, favicon, logo, a repository button exactly when
_config.yml names a repository, last-updated date, social-card metadata, a 404 page).
Markup hidden in the data is shown as text and never runs. The first tests check the
checkers on a tiny site built to fail them.
"""

from __future__ import annotations

import contextlib
import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import hostile
import pytest
from browser_support import (
    PageReport,
    book_pages,
    each_page,
    new_page,
    serve,
    show_widgets,
    visit,
)
from projects import ROOT, configured_repository, toc_docnames

pytestmark = pytest.mark.book

#: axe-core impacts that fail the suite (moderate and minor are reported by axe only).
FAILING_IMPACTS = {"serious", "critical"}
#: Folders of the build that hold assets, not pages.
SEARCH_WORD = "Ryabkov"
#: A valid 1x1 GIF: an image that loads, beside one that does not.
DOT_GIF = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


# -- Helpers ----------------------------------------------------------------------------------


def axe_violations(page) -> list[str]:
    """Serious and critical axe-core violations on ``page``, one line per rule.

    ``preload: false`` stops axe from fetching stylesheets itself (it resolves the theme's
    ``@import`` against the page instead of the stylesheet, a 404 of axe's own making)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"], "preload": False})
    return [f"{v['id']} ({v['impact']}): {v['help']}; at "
            + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
            for v in results.response["violations"] if v["impact"] in FAILING_IMPACTS]


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(name):
                self.ids.add(attrs[name])
        url = {"a": attrs.get("href"), "link": attrs.get("href"), "img": attrs.get("src"),
               "script": attrs.get("src"), "source": attrs.get("src")}.get(tag)
        if url:
            self.links.append(url)


def parse_page(path: Path) -> _LinkParser:
    parser = _LinkParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(html_dir: Path) -> list[str]:
    """Internal links (href/src) of every page whose file, or #anchor, is not in the build."""
    parsed = {page: parse_page(html_dir / page) for page in book_pages(html_dir)}
    problems = []
    for page, parser in parsed.items():
        if page == "404.html":  # resolved against the site root (<base>), checked apart
            continue
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:")):
                continue
            target = urljoin(page, unquote(parts.path)) if parts.path else page
            if not (html_dir / target).is_file():
                problems.append(f"{page}: {link} -> missing {target}")
            elif parts.fragment and target.endswith(".html"):
                ids = (parsed.get(target) or parse_page(html_dir / target)).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{page}: {link} -> no id {parts.fragment!r} in {target}")
    return problems


def toc_titles(html_dir: Path) -> dict[str, str]:
    """The <h1> text of every page in _toc.yml, by document name."""
    titles = {}
    for doc in toc_docnames():
        text = (html_dir / f"{doc}.html").read_text(encoding="utf-8")
        match = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
        assert match, f"{doc} has no <h1>"
        plain = html.unescape(re.sub(r"<[^>]+>", "", match.group(1)))
        titles[doc] = " ".join(plain.replace("#", " ").split())
    return titles


# -- The checkers can fail -------------------------------------------------------------------


@pytest.fixture
def broken_site(tmp_path) -> Path:
    """A two-page site with every fault the suite looks for."""
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>'
        '<main><h1>Broken</h1><img src="missing.png" alt="a missing picture">'
        f'<img src="{DOT_GIF}" alt="a dot">'
        '<a href="other.html#nowhere">anchor</a> <a href="gone.html">gone</a>'
        '<a href="other.html#here">fine</a>'
        '<script src="https://cdn.jsdelivr.net/npm/x.js"></script>'
        '<script>undefinedFunction()</script></main></body></html>', encoding="utf-8")
    (tmp_path / "other.html").write_text(
        '<!DOCTYPE html><html><body><p id="here">x</p>'
        '<p style="color:#eee;background:#fff">faint</p></body></html>', encoding="utf-8")
    return tmp_path


@pytest.mark.browser
def test_visit_reports_failed_requests_cdn_fetches_js_errors_and_broken_images(
        browser, broken_site):  # noqa: F811
    with serve(broken_site) as url:
        report = visit(browser, url + "index.html")
    assert report.external_requests == ["https://cdn.jsdelivr.net/npm/x.js"]
    assert any(line.startswith("404 ") and "missing.png" in line
               for line in report.failed_requests)
    assert any("undefinedFunction" in error for error in report.page_errors)
    assert report.broken_images == ["missing.png"]


@pytest.mark.browser
def test_axe_reports_missing_heading_language_and_contrast(browser, broken_site):  # noqa: F811
    with serve(broken_site) as url:
        found = []
        visit(browser, url + "other.html", lambda page, _report: found.extend(axe_violations(page)))
    rules = {line.split()[0] for line in found}
    assert {"html-has-lang", "color-contrast"} <= rules, found


def test_link_checker_reports_missing_files_and_anchors(broken_site):
    problems = broken_links(broken_site)
    assert any("gone.html" in p for p in problems), problems
    assert any("nowhere" in p for p in problems), problems
    assert not any("#here" in p for p in problems), problems


@pytest.mark.browser
def test_404_server_answers_with_the_page(browser, tmp_path):  # noqa: F811
    (tmp_path / "404.html").write_text("<html><body><h1>Lost</h1></body></html>")
    with serve(tmp_path, not_found="404.html") as url:
        page = browser.new_page()
        response = page.goto(url + "deep/missing.html")
        assert response.status == 404
        assert page.inner_text("h1") == "Lost"
        page.close()


# -- Every page of the book, in the browser --------------------------------------------------


@pytest.fixture(scope="session")
def page_reports(browser, book_url, book_html):  # noqa: F811
    """Visit every page once; keep its PageReport and its axe violations."""

    def look(chromium, name: str) -> tuple[PageReport, list[str]]:
        found: list[str] = []
        report = visit(chromium, book_url + name, lambda p, _r: found.extend(axe_violations(p)))
        return report, found

    seen = each_page(look, book_pages(book_html))
    return ({name: report for name, (report, _) in seen.items()},
            {name: found for name, (_, found) in seen.items()})


def _failures(by_page: dict[str, list[str]]) -> str:
    return "\n".join(f"{page}:\n  " + "\n  ".join(lines)
                     for page, lines in by_page.items() if lines)


@pytest.mark.browser
def test_every_page_loads_offline_with_no_failed_request(page_reports):
    reports, _ = page_reports
    assert len(reports) >= len(toc_docnames()), "fewer pages than the table of contents"
    bad = {page: [f"left 127.0.0.1: {u}" for u in r.external_requests] + r.failed_requests
           for page, r in reports.items()}
    assert not _failures(bad), "requests that failed or left the machine:\n" + _failures(bad)


@pytest.mark.browser
def test_no_page_has_a_javascript_or_console_error(page_reports):
    reports, _ = page_reports
    bad = {page: r.page_errors + r.console_errors for page, r in reports.items()}
    assert not _failures(bad), "JavaScript errors:\n" + _failures(bad)


@pytest.mark.browser
def test_every_image_loads(page_reports):
    reports, _ = page_reports
    bad = {page: r.broken_images for page, r in reports.items()}
    assert not _failures(bad), "images that did not load:\n" + _failures(bad)


@pytest.mark.browser
def test_no_serious_or_critical_accessibility_violation(page_reports):
    _, violations = page_reports
    assert not _failures(violations), "axe-core violations:\n" + _failures(violations)


#: On a phone, in dark mode: does the page scroll sideways, and how small is figure text?
PHONE_PROBE_JS = """() => {
  const sizes = Array.from(document.querySelectorAll('svg.geneva-figure text')).map(t => {
    const scale = t.ownerSVGElement.getScreenCTM().a;
    return parseFloat(getComputedStyle(t).fontSize) * scale;
  });
  return {scrolls: document.documentElement.scrollWidth > window.innerWidth + 1,
          width: document.documentElement.scrollWidth,
          smallest: sizes.length ? Math.min(...sizes) : null};
}"""
DARK_MODE_JS = ("document.documentElement.dataset.theme = 'dark'; "
                "document.documentElement.dataset.mode = 'dark';")
#: The smallest text a figure may render at on a 390 px phone, in CSS pixels.
MIN_FIGURE_TEXT_PX = 9


@pytest.fixture(scope="session")
def phone_reports(browser, book_url, book_html):  # noqa: F811
    """Visit every page at 390 px wide in dark mode: its probe and its axe violations."""

    def look(chromium, name: str) -> tuple[dict, list[str]]:
        page = new_page(chromium, PageReport(url=book_url + name))
        page.set_viewport_size({"width": 390, "height": 844})
        try:
            page.goto(book_url + name, wait_until="load")
            with contextlib.suppress(Exception):
                page.wait_for_load_state("networkidle", timeout=5_000)
            show_widgets(page)
            page.evaluate(DARK_MODE_JS)
            page.wait_for_timeout(100)
            return page.evaluate(PHONE_PROBE_JS), axe_violations(page)
        finally:
            page.context.close()

    return each_page(look, book_pages(book_html))


@pytest.mark.browser
def test_no_page_scrolls_sideways_on_a_phone(phone_reports):
    wide = {name: probe["width"] for name, (probe, _) in phone_reports.items()
            if probe["scrolls"]}
    assert not wide, f"pages wider than a 390 px phone (document width in px): {wide}"


@pytest.mark.browser
def test_figure_text_is_legible_on_a_phone(phone_reports):
    small = {name: round(probe["smallest"], 1) for name, (probe, _) in phone_reports.items()
             if probe["smallest"] is not None and probe["smallest"] < MIN_FIGURE_TEXT_PX}
    assert any(probe["smallest"] for probe, _ in phone_reports.values()), "no figure measured"
    assert not small, f"figure text below {MIN_FIGURE_TEXT_PX} px at 390 px wide: {small}"


@pytest.mark.browser
def test_no_serious_accessibility_violation_in_dark_mode_on_a_phone(phone_reports):
    bad = {name: violations for name, (_, violations) in phone_reports.items()}
    assert not _failures(bad), "axe-core violations (dark mode, 390 px):\n" + _failures(bad)


@pytest.mark.browser
def test_search_finds_a_word_offline(browser, book_url):  # noqa: F811
    found = {}

    def results(page, _report):
        page.wait_for_selector("#search-results ul.search li", timeout=15_000)
        found["items"] = page.locator("#search-results ul.search li").count()
        found["text"] = page.inner_text("#search-results")
        found["links"] = page.eval_on_selector_all(
            "#search-results ul.search li a", "links => links.map(a => a.href)")

    report = visit(browser, f"{book_url}search.html?q={SEARCH_WORD}", results)
    assert not report.problems(), report.problems()
    assert found["items"] >= 1, found["text"]
    assert found["links"], found["text"]


@pytest.mark.browser
def test_a_missing_page_gets_the_404_page_with_styles_and_a_way_home(
        browser, book_html):  # noqa: F811
    with serve(book_html, not_found="404.html") as url:
        seen = {}

        def look(page, _report):
            seen["h1"] = page.inner_text("h1")
            seen["header"] = page.evaluate(
                "getComputedStyle(document.querySelector('.bd-header')).display")
            home = page.get_by_role("link", name="Go to the start of the book")
            home.click()
            page.wait_for_load_state("load")
            seen["home"] = page.url

        report = visit(browser, url + "chapters/no/such-page.html", look)
    assert [p for p in report.failed_requests if "such-page" not in p] == []
    assert not report.external_requests and not report.page_errors
    assert seen["h1"].startswith("Page not found")
    assert seen["header"] != "none", "the 404 page has lost the theme's stylesheets"
    assert seen["home"] == url + "intro.html"


# -- What readers of a Jupyter Book expect (checked on the HTML files) -----------------------


def test_every_internal_link_and_anchor_resolves(book_html):
    problems = broken_links(book_html)
    assert not problems, "broken internal links:\n" + "\n".join(problems)


def test_every_page_has_social_card_metadata(book_html):
    for page in book_pages(book_html):
        if page == "index.html":  # a redirect to the root page
            continue
        text = (book_html / page).read_text(encoding="utf-8")
        for prop in ("og:title", "og:description", "og:image", "og:site_name"):
            match = re.search(rf'<meta property="{prop}" content="([^"]+)"', text)
            assert match, f"{page} has no {prop}"
        image = re.search(r'<meta property="og:image" content="([^"]+)"', text).group(1)
        if not urlsplit(image).scheme:
            assert (book_html / urljoin(page, image)).is_file(), f"{page}: {image} missing"


def test_every_notebook_page_offers_its_notebook_for_download(book_html):
    notebooks = sorted(ROOT.glob("chapters/**/*.ipynb"))
    assert notebooks
    for notebook in notebooks:
        doc = notebook.relative_to(ROOT).with_suffix("").as_posix()
        if doc not in toc_docnames():
            continue
        text = (book_html / f"{doc}.html").read_text(encoding="utf-8")
        match = re.search(r'href="([^"]+\.ipynb)"', text)
        assert match, f"{doc}.html has no notebook download link"
        assert (book_html / urljoin(f"{doc}.html", match.group(1))).is_file()


#: The header's repository button (sphinx-book-theme), with the URL it links to.
REPOSITORY_BUTTON = re.compile(r'<a href="([^"]*)"[^>]*class="[^"]*btn-source-repository-button')


def test_repository_button_follows_the_one_configured_url(book_html):
    """Every page has the button when _config.yml names a repository, and none has it while
    the setting is empty (no repository exists yet)."""
    url = configured_repository()
    for doc in toc_docnames():
        buttons = REPOSITORY_BUTTON.findall((book_html / f"{doc}.html").read_text("utf-8"))
        if url:
            assert [b.rstrip("/") for b in buttons] == [url], f"{doc}.html: buttons {buttons}"
        else:
            assert buttons == [], f"{doc}.html links to a repository that no setting names"


def test_the_button_pattern_finds_the_themes_button():
    page = ('<a href="https://github.com/o/r" target="_blank"\n'
            '   class="btn btn-sm btn-source-repository-button"\n   title="Source repository">')
    assert REPOSITORY_BUTTON.findall(page) == ["https://github.com/o/r"]


def test_every_page_has_favicon_logo_and_last_updated_date(book_html):
    for doc in toc_docnames():
        page = f"{doc}.html"
        text = (book_html / page).read_text(encoding="utf-8")
        favicon = re.search(r'<link rel="icon" href="([^"]+)"', text)
        logo = re.search(r'<img src="([^"]+)" class="logo__image', text)
        assert favicon and (book_html / urljoin(page, favicon.group(1))).is_file(), page
        assert logo and (book_html / urljoin(page, logo.group(1))).is_file(), page
        assert re.search(r"Last updated on \d{4}-\d{2}-\d{2}", text), f"{page}: no date"


# -- Markup in the data is shown as text and never runs -------------------------------------

#: What became of the hostile data on a page: injected elements, text, sideways scrolling.
HOSTILE_PROBE_JS = """(mark) => ({
    injected: document.querySelectorAll('img[src="x"]').length,
    text: document.body.textContent.includes(mark),
    scrolls: document.documentElement.scrollWidth > window.innerWidth + 1,
    width: document.documentElement.scrollWidth,
})"""
#: Desktop and phone widths, in CSS pixels.
WIDTHS = (1280, 390)


def _hostile_look(browser, url: str, width: int, carrying: bool) -> tuple[dict, list[str]]:
    """Open one page of the hostile build at ``width``; record every dialog it opens."""
    dialogs: list[str] = []
    report = PageReport(url=url)
    page = new_page(browser, report)
    page.set_viewport_size({"width": width, "height": 900})
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(url, wait_until="load")
        with contextlib.suppress(Exception):
            page.wait_for_load_state("networkidle", timeout=5_000)
        show_widgets(page)
        if carrying:
            page.wait_for_function(f"document.body.textContent.includes('{hostile.MARK}')",
                                   timeout=20_000)
        page.wait_for_timeout(300)  # time for an onerror handler to fire, if one exists
        seen = page.evaluate(HOSTILE_PROBE_JS, hostile.MARK)
    finally:
        page.context.close()
    return seen, dialogs + report.page_errors


@pytest.mark.browser
def test_markup_in_any_field_never_runs_and_no_page_scrolls_sideways(
        browser, hostile_project):  # noqa: F811
    html_dir = hostile_project / "_build" / "html"
    # Pages whose text (not only an attribute, such as a citation's tooltip) holds the data.
    carrying = {p for p in book_pages(html_dir) if hostile.MARK in
                re.sub(r"<[^>]+>", " ", (html_dir / p).read_text(encoding="utf-8"))}
    assert len(carrying) >= 5, carrying
    ran, wide, shown = {}, {}, set()
    with serve(html_dir) as url:
        looks = each_page(lambda chromium, name: [_hostile_look(
            chromium, url + name, width, name in carrying) for width in WIDTHS],
            book_pages(html_dir))
    for page_name, by_width in looks.items():
        for width, (seen, dialogs) in zip(WIDTHS, by_width, strict=True):
            if dialogs or seen["injected"]:
                ran[f"{page_name} @{width}"] = dialogs + [f"{seen['injected']} <img>"]
            if seen["scrolls"]:
                wide[f"{page_name} @{width}"] = seen["width"]
            if seen["text"]:
                shown.add(page_name)
    assert not ran, f"markup from the data ran: {ran}"
    assert not wide, f"pages that scroll sideways (document width in px): {wide}"
    assert carrying <= shown, f"pages that do not show the data as text: {carrying - shown}"


PRINT_LAYOUT_JS = """() => {
  const teams = [...document.querySelectorAll('section')].filter(
      s => s.querySelector(':scope > #team-sheets'));
  const sheets = teams.length ? [...teams[0].querySelectorAll(':scope > section')] : [];
  return {sheets: sheets.map(s => getComputedStyle(s).breakBefore),
          boxes: [...document.querySelectorAll('.geneva-answer')].map(
              b => b.getBoundingClientRect().height)};
}"""


@pytest.mark.browser
def test_printed_sheets_start_each_team_on_a_page_and_leave_room_to_answer(
        browser, book_url):  # noqa: F811
    found = {}

    def layout(page, _report):
        page.emulate_media(media="print")
        found.update(page.evaluate(PRINT_LAYOUT_JS))

    visit(browser, f"{book_url}chapters/classroom/team-sheets.html", layout)
    assert len(found["sheets"]) >= 3, found
    assert found["sheets"][1:] == ["page"] * (len(found["sheets"]) - 1), found
    visit(browser, f"{book_url}chapters/classroom/worksheet.html", layout)
    assert len(found["boxes"]) >= 4 and min(found["boxes"]) >= 60, found
