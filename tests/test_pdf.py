"""`make pdf`: the whole book as one PDF, with figures, chapter titles and page numbers.

The one-page (singlehtml) build runs in the session's built project, so it reuses the
notebooks' execution cache; geneva_talks.pdf prints it with Debian's Chromium. The PDF is
read back with poppler's pdfinfo, pdftotext and pdfimages (Debian's poppler-utils).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from conftest import toc_docnames
from projects import build_book

from geneva_talks.pdf import PrintError, print_pdf

pytestmark = [pytest.mark.book, pytest.mark.browser]

#: Fewer pages than this means chapters or figures went missing.
MIN_PAGES = 40
POPPLER = ("pdfinfo", "pdftotext", "pdfimages")


def _poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: install Debian's poppler-utils (.ci/run does)",
                    pytrace=False)
    return subprocess.run([tool, *args], check=True, capture_output=True, text=True).stdout


def normalise(text: str) -> str:
    """Text for comparison: ligatures unfolded, one space for any run of whitespace."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="session")
def book_pdf(book_project, browser) -> Path:  # noqa: F811
    """The session's project printed to one PDF (singlehtml build, then Chromium)."""
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: `apt-get install poppler-utils` "
                    "(.ci/run installs it)", pytrace=False)
    build_book(book_project, "--builder", "singlehtml")
    return print_pdf(book_project / "_build" / "singlehtml",
                     book_project / "_build" / "pdf" / "book.pdf", browser)


@pytest.fixture(scope="session")
def pdf_text(book_pdf) -> str:
    return normalise(_poppler("pdftotext", str(book_pdf), "-"))


def test_pdf_has_a_page_per_few_screens_of_the_book(book_pdf):
    pages = int(re.search(r"^Pages:\s+(\d+)", _poppler("pdfinfo", str(book_pdf)), re.M)[1])
    assert pages >= MIN_PAGES, f"only {pages} pages"


def test_pdf_holds_every_chapter_title(book_project, pdf_text):
    html_dir = book_project / "_build" / "html"
    for doc in toc_docnames():
        page = (html_dir / f"{doc}.html").read_text(encoding="utf-8")
        title = re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)[1])
        title = normalise(html.unescape(title).replace("#", ""))
        assert title in pdf_text, f"{doc}: title {title!r} is not in the PDF"


def test_pdf_numbers_its_pages(book_pdf, pdf_text):
    pages = int(re.search(r"^Pages:\s+(\d+)", _poppler("pdfinfo", str(book_pdf)), re.M)[1])
    assert "Page 1 of" in pdf_text
    assert f"Page {pages} of {pages}" in pdf_text


def test_pdf_has_the_figures(book_pdf, book_project):
    listing = _poppler("pdfimages", "-list", str(book_pdf)).splitlines()[2:]
    # Figures are colour images (3 components); Chromium's grey shadows are not figures.
    colour = [line for line in listing
              if line.split()[2] == "image" and int(line.split()[6]) >= 3]
    figures = list((book_project / "_build" / "singlehtml" / "_images").glob("*.png"))
    assert figures, "the book has no figure to print"
    assert len(colour) >= len(figures), f"{len(colour)} images in the PDF, {len(figures)} figures"


def test_print_refuses_a_page_that_reaches_outside(tmp_path, browser):  # noqa: F811
    (tmp_path / "index.html").write_text(
        '<html><body><h1>x</h1><img src="https://example.org/a.png" alt="remote"></body></html>')
    with pytest.raises(PrintError, match="example.org"):
        print_pdf(tmp_path, tmp_path / "out.pdf", browser)
    assert not (tmp_path / "out.pdf").exists()
