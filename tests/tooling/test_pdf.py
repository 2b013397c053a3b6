"""`make pdf`: the whole book as one PDF, with figures, chapter titles and page numbers.

The one-page (singlehtml) build runs in the session's built project, so it reuses the
notebooks' execution cache; book_tools.pdf prints it with Debian's Chromium. The PDF is
read back in Python (tests/pdf_support.py, pypdf): no system tool is needed to check it.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from pdf_support import PdfFacts, normalise, read_pdf
from projects import build_book, toc_docnames

from book_tools.pdf import PrintError, book_page, print_pdf

pytestmark = [pytest.mark.book, pytest.mark.browser]

#: Fewer pages than this means chapters or figures went missing.
MIN_PAGES = 40


@pytest.fixture(scope="session")
def book_pdf(book_project, browser) -> Path:  # noqa: F811
    """The session's project printed to one PDF (singlehtml build, then Chromium)."""
    build_book(book_project, "--builder", "singlehtml")
    return print_pdf(book_project / "_build" / "singlehtml",
                     book_project / "_build" / "pdf" / "book.pdf", browser)


@pytest.fixture(scope="session")
def pdf(book_pdf) -> PdfFacts:
    return read_pdf(book_pdf)


def test_pdf_has_a_page_per_few_screens_of_the_book(pdf):
    assert pdf.pages >= MIN_PAGES, f"only {pdf.pages} pages"


def test_pdf_holds_every_chapter_title(book_project, pdf):
    html_dir = book_project / "_build" / "html"
    for doc in toc_docnames():
        page = (html_dir / f"{doc}.html").read_text(encoding="utf-8")
        title = re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)[1])
        title = normalise(html.unescape(title).replace("#", ""))
        assert title in pdf.text, f"{doc}: title {title!r} is not in the PDF"


def test_pdf_numbers_its_pages(pdf):
    assert "Page 1 of" in pdf.text
    assert f"Page {pdf.pages} of {pdf.pages}" in pdf.text


def test_pdf_has_the_figures(pdf, book_project):
    """Figures are inline SVG with their text kept as text: every figure prints, labels and
    all (a figure lost in print would lose its labels from the PDF's text)."""
    page = book_page(book_project / "_build" / "singlehtml").read_text(encoding="utf-8")
    figures = re.findall(r'<svg role="img"[^>]*class="geneva-figure".*?</svg>', page, re.S)
    assert figures, "the book has no figure to print"
    for figure in figures:
        labels = {normalise(html.unescape(text)) for text in
                  re.findall(r"<text\b[^>]*>([^<]+)</text>", figure)} - {""}
        missing = sorted(label for label in labels if label not in pdf.text)
        assert labels and not missing, f"figure text missing from the PDF: {missing[:5]}"


def test_print_refuses_a_page_that_reaches_outside(tmp_path, browser):  # noqa: F811
    (tmp_path / "index.html").write_text(
        '<html><body><h1>x</h1><img src="https://example.org/a.png" alt="remote"></body></html>')
    with pytest.raises(PrintError, match="example.org"):
        print_pdf(tmp_path, tmp_path / "out.pdf", browser)
    assert not (tmp_path / "out.pdf").exists()
