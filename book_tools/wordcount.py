"""Count the words a reader meets on the book's pages: ``python -m book_tools.wordcount``.

Counts the words of each page's article (the text of ``<article>``, code cells and scripts
left out) in a built book (default ``_build/html``), per page and in all, for the chapter
pages (``chapters/``) and for the whole book. With ``--prose``, only the running text:
tables, the bibliography's entries, numbered notes and quotation blocks are left out too.
"""

from __future__ import annotations

import argparse
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

SKIP_TAGS = {"script", "style", "pre", "code", "nav", "svg"}
SKIP_CLASSES = ("cell_input", "headerlink", "toggle-hidden", "prev-next-area")
#: Left out of --prose: tables, quotations, bibliography entries and notes.
NOT_PROSE_TAGS = {"table", "blockquote"}
NOT_PROSE_CLASSES = ("citation", "geneva-notes", "geneva-source", "geneva-legend")


class _Article(HTMLParser):
    """The words inside <article>, without code, scripts or figures' own text."""

    def __init__(self, prose: bool = False):
        super().__init__()
        self.depth, self.skip, self.words, self.prose = 0, 0, [], prose
        self.stack: list[bool] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"br", "img", "input", "meta", "link", "hr", "wbr"}:
            return
        classes = dict(attrs).get("class") or ""
        skipped = tag in SKIP_TAGS or any(c in classes for c in SKIP_CLASSES) or (
            self.prose and (tag in NOT_PROSE_TAGS or any(c in classes
                                                         for c in NOT_PROSE_CLASSES)))
        self.stack.append(skipped)
        if tag == "article":
            self.depth += 1
        self.skip += skipped

    def handle_endtag(self, tag):
        if tag in {"br", "img", "input", "meta", "link", "hr", "wbr"} or not self.stack:
            return
        self.skip -= self.stack.pop()
        if tag == "article":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.words += re.findall(r"[\w’'-]+", data)


def page_words(page: Path, prose: bool = False) -> int:
    parser = _Article(prose)
    parser.feed(page.read_text(encoding="utf-8"))
    return len(parser.words)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", nargs="?", type=Path, default=Path("_build/html"))
    parser.add_argument("--prose", action="store_true", help="running text only")
    args = parser.parse_args(argv)
    counts = {p.relative_to(args.html).as_posix(): page_words(p, args.prose)
              for p in sorted(args.html.rglob("*.html"))
              if not {"_static", "_sources", "widgets"} & set(p.relative_to(args.html).parts)
              and p.name not in {"search.html", "genindex.html", "404.html"}}
    for page, words in counts.items():
        print(f"{words:7d}  {page}")
    chapters = sum(w for p, w in counts.items() if p.startswith("chapters/"))
    print(f"{chapters:7d}  chapter pages (chapters/)\n{sum(counts.values()):7d}  all pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
