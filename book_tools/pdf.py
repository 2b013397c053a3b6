"""Print the whole book to one PDF: a ``singlehtml`` build, printed by headless Chromium.

``make pdf`` runs ``python -m book_tools.pdf``, which

1. builds the book with ``jupyter-book build . --builder singlehtml`` into ``_build/singlehtml``
   (the notebooks' outputs come from the execution cache that ``make book`` fills, so
   nothing runs twice), then
2. opens ``_build/singlehtml/index.html`` in Debian's Chromium (through Playwright, with every
   request off the local disk blocked), and prints it with page numbers in the footer
   and the book's print stylesheet (``_static/print.css``) to ``_build/pdf/book.pdf``.

Jupyter Book's own ``--builder pdfhtml`` is not used: it downloads a browser.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .build import BUILD_FLAGS, build_command

#: Chromium flags for a quiet, offline, headless run.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium")
FOOTER = (
    '<div style="font-size:8pt;width:100%;margin:0 15mm;color:#333;'
    'font-family:DejaVu Sans,sans-serif;display:flex;justify-content:space-between">'
    '<span class="title"></span>'
    '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>'
)
MARGINS = {"top": "15mm", "bottom": "18mm", "left": "15mm", "right": "15mm"}

_WAIT_FOR_IMAGES_JS = """async () => {
  const images = Array.from(document.images);
  images.forEach(i => { i.loading = 'eager'; });
  await Promise.all(images.map(i => i.complete ? null : new Promise(done => {
    i.addEventListener('load', done); i.addEventListener('error', done);
  })));
  return images.filter(i => i.naturalWidth === 0).map(i => i.getAttribute('src'));
}"""


class PrintError(RuntimeError):
    """The book could not be built or printed; the message says why."""


def find_chromium() -> str:
    """Debian's Chromium, or PrintError naming the package to install."""
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    raise PrintError("no Chromium found: install Debian's package (`apt-get install chromium`)")


def build_singlehtml(project: Path, *flags: str) -> Path:
    """Build ``project`` as one HTML page (reusing its execution cache); return the folder."""
    cmd = build_command(project, "--builder", "singlehtml", flags=flags or BUILD_FLAGS)
    result = subprocess.run(cmd, cwd=project, capture_output=True, text=True)
    if result.returncode != 0:
        raise PrintError(f"singlehtml build failed ({result.returncode}):\n"
                         f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return project / "_build" / "singlehtml"


def book_page(html_dir: Path) -> Path:
    """The one page of a singlehtml build (index.html only redirects to it)."""
    index = html_dir / "index.html"
    if index.is_file():
        redirect = r'http-equiv="Refresh" content="0; url=([^"]+)"'
        match = re.search(redirect, index.read_text(encoding="utf-8"))
        if match:
            return html_dir / match.group(1)
    return index


def print_pdf(html_dir: Path, output: Path, browser=None) -> Path:
    """Print the singlehtml book in ``html_dir`` to ``output`` with page numbers; return it.

    ``browser`` is a Playwright Chromium to print with (a new one is launched if None).
    Raises PrintError when the page asks for anything outside ``html_dir`` or an image
    does not load: a PDF with holes is not a PDF of the book."""
    index = book_page(html_dir).resolve()
    if not index.is_file():
        raise PrintError(f"{index} is missing: build the singlehtml book first")
    if browser is not None:
        return _print_page(browser, index, output)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(),
                                             args=CHROMIUM_ARGS)
        try:
            return _print_page(browser, index, output)
        finally:
            browser.close()


def _print_page(browser, index: Path, output: Path) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []

    def offline_only(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort("blockedbyclient")

    context = browser.new_context()
    try:
        page = context.new_page()
        page.route("**/*", offline_only)
        page.emulate_media(media="print")
        page.goto(index.as_uri(), wait_until="load", timeout=120_000)
        page.wait_for_load_state("networkidle", timeout=60_000)
        broken = page.evaluate(_WAIT_FOR_IMAGES_JS)
        if broken or outside:
            raise PrintError(f"images that did not load: {broken}; "
                             f"requests outside the book: {outside}")
        page.pdf(path=str(output), format="A4", print_background=True,
                 display_header_footer=True, header_template="<span></span>",
                 footer_template=FOOTER, margin=MARGINS, outline=True, tagged=True)
    finally:
        context.close()
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=Path("."), help="the book's folder")
    parser.add_argument("--output", type=Path, default=None,
                        help="the PDF to write (default: <project>/_build/pdf/book.pdf)")
    parser.add_argument("--no-build", action="store_true",
                        help="print the existing _build/singlehtml without rebuilding it")
    args = parser.parse_args(argv)
    project = args.project.resolve()
    output = args.output or project / "_build" / "pdf" / "book.pdf"
    try:
        html_dir = (project / "_build" / "singlehtml" if args.no_build
                    else build_singlehtml(project))
        print_pdf(html_dir, output)
    except PrintError as error:
        print(f"make pdf: {error}", file=sys.stderr)
        return 1
    print(f"Printed: {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
