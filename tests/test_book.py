"""The book builds with -n -W, every page exists, nothing comes from a CDN, data is escaped."""

from __future__ import annotations

import html
import re

import pytest
from conftest import toc_docnames

pytestmark = pytest.mark.book

CDN_HOSTS = ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "unpkg.com")


def test_every_toc_page_is_built_with_a_title(book_html):
    for doc in toc_docnames():
        page = book_html / f"{doc}.html"
        assert page.is_file(), f"{doc} is in _toc.yml but {page.name} was not built"
        assert re.search(r"<h1[ >]", page.read_text(encoding="utf-8")), f"{doc} has no <h1>"


def test_no_page_loads_anything_from_a_cdn(book_html):
    for page in book_html.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for host in CDN_HOSTS:
            assert host not in text, f"{page.relative_to(book_html)} refers to {host}"


def test_widget_pages_load_the_runtime_from_the_book(book_html):
    widget_pages = [p for p in book_html.rglob("*.html")
                    if "application/vnd.jupyter.widget-state+json" in p.read_text("utf-8")]
    assert widget_pages, "no page embeds widget state: the explorer should"
    for page in widget_pages:
        text = page.read_text(encoding="utf-8")
        for script in ("require.js", "embed-amd.js"):
            match = re.search(rf'src="([^"]*widgets/{script})"', text)
            assert match, f"{page.name} does not load widgets/{script}"
            assert (page.parent / match.group(1)).resolve().is_file()
    plain = book_html / "intro.html"
    assert "embed-amd.js" not in plain.read_text(encoding="utf-8"), "widget runtime on every page"


# -- Markup in the data is shown as text -----------------------------------------------


def _pages_showing(project, marker: str) -> dict[str, str]:
    html_dir = project / "_build" / "html"
    pages = {p.relative_to(html_dir).as_posix(): p.read_text(encoding="utf-8")
             for p in html_dir.rglob("*.html")}
    return {name: text for name, text in pages.items() if marker in text}


def test_the_hostile_statement_reaches_the_pages_that_quote_it(hostile_project):
    showing = _pages_showing(hostile_project, "zq7")
    # The statement is Ryabkov's: his chapter and the explorer quote every one of his claims.
    for page in ("chapters/02-russian-delegation.html", "chapters/classroom/explorer.html"):
        assert page in showing, f"{page} does not show the rewritten statement"


def test_markup_in_the_data_is_shown_as_text(hostile_project):
    escaped = html.escape("<script>window.__pwned=1</script>", quote=False)
    showing = _pages_showing(hostile_project, "zq7")
    assert showing
    for name, text in showing.items():
        assert "<script>window.__pwned" not in text, f"{name} puts the data's <script> in markup"
        assert "<img src=x onerror" not in text, f"{name} puts the data's <img> in markup"
        assert escaped in text, f"{name} does not show the markup as text"


def test_markup_in_an_issue_label_is_shown_as_text(hostile_project):
    showing = _pages_showing(hostile_project, "zq8")
    # The label is in the comparison chapter's tables and in the explorer's issue filter.
    assert "chapters/04-issue-by-issue.html" in showing
    for name, text in showing.items():
        # Widget state is JSON in a script block: the explorer's filter options are data
        # there, shown by the widget as text (the browser suite checks it on screen).
        markup = re.sub(r"<script\b.*?</script>", "", text, flags=re.S)
        assert "<i>zq8</i>" not in markup, f"{name} puts an issue label's markup in the page"

