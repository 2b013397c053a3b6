"""The book builds with -n -W, every page exists, nothing comes from a CDN, data is escaped,
no page links to a repository that _config.yml does not name, the version is shown."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import hostile
import pytest
from projects import ROOT, configured_repository, toc_docnames

from book_tools.publishing import read_citation

pytestmark = pytest.mark.book

CDN_HOSTS = ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "unpkg.com")
#: Hosts of code repositories: a link to one of them names a repository.
REPOSITORY_HOSTS = ("github.com", "githubusercontent.com", "gitlab.com", "bitbucket.org",
                    "codeberg.org", "sr.ht", "sourceforge.net")


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
            # A src, or the data-* attribute of the loader (book_tools.widget_loading).
            match = re.search(rf'(?:src|data-[a-z]+)="([^"]*widgets/{script})"', text)
            assert match, f"{page.name} does not load widgets/{script}"
            assert (page.parent / match.group(1)).resolve().is_file()
    plain = book_html / "intro.html"
    assert "embed-amd.js" not in plain.read_text(encoding="utf-8"), "widget runtime on every page"


# -- Links to a repository ----------------------------------------------------------------


class _Hrefs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href:
            self.hrefs.append(href)


def unnamed_repository_links(html_dir: Path, named: str | None) -> list[str]:
    """Every <a href> of the build to a code host that is not under the ``named`` repository."""
    found = []
    for page in sorted(html_dir.rglob("*.html")):
        parser = _Hrefs()
        parser.feed(page.read_text(encoding="utf-8"))
        for href in parser.hrefs:
            host = (urlsplit(href).hostname or "").lower()
            if not any(host == h or host.endswith("." + h) for h in REPOSITORY_HOSTS):
                continue
            if named and (href.rstrip("/") == named or href.startswith(named + "/")):
                continue
            found.append(f"{page.relative_to(html_dir)}: {href}")
    return found


def test_no_page_links_to_a_repository_the_config_does_not_name(book_html):
    links = unnamed_repository_links(book_html, configured_repository())
    assert links == [], "links to repositories that _config.yml does not name:\n" + \
        "\n".join(links)


def test_the_repository_link_check_can_fail(tmp_path):
    (tmp_path / "a.html").write_text(
        '<a href="https://github.com/o/book/tree/main">ok</a>'
        '<a href="https://github.com/o/bookish">other</a>'
        '<a href="https://gitlab.com/x/y">gitlab</a><a href="https://example.org/">plain</a>'
        '<a href="https://raw.githubusercontent.com/o/book/main/x">raw</a>')
    assert unnamed_repository_links(tmp_path, "https://github.com/o/book") == [
        "a.html: https://github.com/o/bookish", "a.html: https://gitlab.com/x/y",
        "a.html: https://raw.githubusercontent.com/o/book/main/x"]
    assert len(unnamed_repository_links(tmp_path, None)) == 4


# -- Whose words: no page passes the base document off as a speaker's own --------------------

#: Words that tie "verbatim" to the base document (or the package's copy of it).
VERBATIM_OF_SOURCE = ("source", "base document", "paragraph", "summary", "package", "dataset")
#: A quote signed with a dash and a speaker's name, as an epigraph signs a quotation.
SIGNED_QUOTE = re.compile(r"[—–]\s*(?:Wendy|Sergei|Sergey|Alexander|Jens)?\s*"
                          r"(?:Sherman|Ryabkov|Grushko|Stoltenberg)\b")
NEGATION = re.compile(r"\b(?:never|not|no|if)\b|n[’']t\b")
#: "own words" of whom: the book's, the project's and the source's own words are no speaker's.
OWN_WORDS = re.compile(r"\b(\w+)(?:[’']s)? own words")
OUR_OWN = {"book", "project", "our", "its", "your", "document", "summary", "source"}


class _Words(HTMLParser):
    """Visible text of a page as sentences, and the text of its headings and captions."""

    HIDDEN = {"script", "style", "template"}
    HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "th", "caption", "figcaption", "summary"}
    END = "\ue000"  # ends a block's text (a private-use character, never whitespace)
    BLOCKS = HEADINGS | {"p", "div", "li", "td", "tr", "blockquote", "br", "section", "dd", "dt"}

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.headings: list[str] = []
        self._hidden = 0
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in self.HIDDEN
        self._break(tag)
        if tag in self.HEADINGS:
            self._heading = []

    def handle_endtag(self, tag):
        self._hidden -= tag in self.HIDDEN and self._hidden > 0
        self._break(tag)
        if tag in self.HEADINGS and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None

    def _break(self, tag):
        """A block ends a sentence that lacks its full stop (a heading, a cell, a line)."""
        if tag in self.BLOCKS:
            self.text.append(self.END)

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)
            if self._heading is not None:
                self._heading.append(data)

    def sentences(self) -> list[str]:
        flat = " ".join("".join(self.text).split())
        sentences = re.split(rf"(?<=[.!?])\s+|\s*{self.END}\s*", flat)
        return [s for s in sentences if s]


def words_claimed_as_the_speakers(html_dir: Path) -> list[str]:
    """Every place in the built pages that presents a statement as a speaker's own words."""
    found = []
    for page in sorted(html_dir.rglob("*.html")):
        parser = _Words()
        parser.feed(page.read_text(encoding="utf-8"))
        name = str(page.relative_to(html_dir))
        found += [f"{name}: heading '{h}' says verbatim" for h in parser.headings
                  if "verbatim" in h.lower()]
        for sentence in parser.sentences():
            low = sentence.lower()
            if "verbatim" in low and not any(w in low for w in VERBATIM_OF_SOURCE):
                found.append(f"{name}: '{sentence}' says verbatim without the source")
            owners = {m.group(1) for m in OWN_WORDS.finditer(low)} - OUR_OWN
            if owners and not NEGATION.search(low):
                found.append(f"{name}: '{sentence}' speaks of a speaker's own words")
            if SIGNED_QUOTE.search(sentence):
                found.append(f"{name}: '{sentence}' signs a quote with a speaker's name")
    return found


def test_no_page_calls_a_statement_the_speakers_own_or_verbatim_words(book_html):
    found = words_claimed_as_the_speakers(book_html)
    assert found == [], "statements presented as a speaker's own words:\n" + "\n".join(found)


def test_the_whose_words_check_can_fail(tmp_path):
    (tmp_path / "a.html").write_text(
        "<h2>What was said (verbatim)</h2><blockquote><p>Our demands are specific.</p>"
        "<p>— Sergei Ryabkov (S03)</p></blockquote><p>These are her own words.</p>"
        "<p>The text is verbatim from paragraph 3. Quoted verbatim as she spoke.</p>"
        "<p>Never read them as Sherman’s own words.</p><script>'verbatim'</script>")
    assert words_claimed_as_the_speakers(tmp_path) == [
        "a.html: heading 'What was said (verbatim)' says verbatim",
        "a.html: 'What was said (verbatim)' says verbatim without the source",
        "a.html: '— Sergei Ryabkov (S03)' signs a quote with a speaker's name",
        "a.html: 'These are her own words.' speaks of a speaker's own words",
        "a.html: 'Quoted verbatim as she spoke.' says verbatim without the source"]


# -- The version, from CITATION.cff ---------------------------------------------------------


def test_how_to_cite_page_shows_the_version(book_html):
    version = str(read_citation(ROOT)["version"])
    text = (book_html / "chapters" / "appendix" / "how-to-cite.html").read_text("utf-8")
    assert f"version {version} of the book" in text
    assert f"</em>, version {version}." in text, "the citation does not give the version"


# -- Markup in the data is shown as text; a second source's statement is shown as its own ----


def _pages_showing(project, marker: str) -> dict[str, str]:
    html_dir = project / "_build" / "html"
    pages = {p.relative_to(html_dir).as_posix(): p.read_text(encoding="utf-8")
             for p in html_dir.rglob("*.html")}
    return {name: text for name, text in pages.items() if marker in text}


def test_the_hostile_data_reach_the_pages_that_show_them(hostile_project):
    showing = _pages_showing(hostile_project, hostile.MARK)
    for page in ("chapters/01-context.html", "chapters/02-russian-delegation.html",
                 "chapters/04-issue-by-issue.html", "chapters/05-follow-on-meetings.html",
                 "chapters/classroom/explorer.html"):
        assert page in showing, f"{page} shows none of the hostile data"


def test_no_markup_from_the_data_reaches_any_page_even_inside_scripts(hostile_project):
    """Not in the HTML, and not in the JSON of the widget state either: every <, > and &
    inside a script's JSON is escaped, so no case of </script> can end the block."""
    showing = _pages_showing(hostile_project, hostile.MARK)
    assert showing
    html_dir = hostile_project / "_build" / "html"
    for page in html_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        name = page.relative_to(html_dir).as_posix()
        lowered = text.lower()
        assert "<img src=x onerror" not in lowered, f"{name} puts the data's <img> in markup"
        assert "</script><img" not in lowered, f"{name} lets the data end a script block"
        assert "<i>zq8</i>" not in text, f"{name} puts an issue label's markup in the page"
    # Long fields carry the whole payload, short ones (labels, poles) an <img> alone.
    shown_as_text = (html.escape(hostile.PAYLOAD, quote=False), "\\u003c/SCRIPT\\u003e",
                     html.escape("<img src=x onerror=alert(1)>", quote=False),
                     "\\u003cimg src=x onerror=alert(1)\\u003e")
    for name, text in showing.items():
        assert any(s in text for s in shown_as_text), f"{name} does not show the markup as text"


def test_the_explorers_widget_state_is_escaped_json(hostile_project):
    page = hostile_project / "_build" / "html" / "chapters" / "classroom" / "explorer.html"
    scripts = re.findall(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)'
                         r"</script>", page.read_text(encoding="utf-8"), re.S)
    assert len(scripts) == 1
    assert not set("<>&") & set(scripts[0]), "raw <, > or & inside the widget state"
    state = json.loads(scripts[0])["state"]
    options = [label for model in state.values()
               for label in model["state"].get("_options_labels", [])]
    assert hostile.LABELS["enlargement"] in options  # the label, intact as data
    assert hostile.LABELS["say-of-others"] in options


def _plain_text(page: str) -> str:
    """A page's text, with the HTML its widgets' state holds (the explorer's tables)."""
    parts = [re.sub(r"<script\b.*?</script>", " ", page, flags=re.S)]
    for state in re.findall(r'<script type="application/vnd.jupyter.widget-state\+json">'
                            r"(.*?)</script>", page, re.S):
        for model in json.loads(state)["state"].values():
            for output in model["state"].get("outputs", []):
                parts.append(output.get("data", {}).get("text/html", ""))
    return html.unescape(re.sub(r"<[^>]+>", " ", "\n".join(parts)))


def test_a_second_sources_statement_is_shown_with_its_own_source(hostile_project):
    showing = _pages_showing(hostile_project, hostile.EXTENSION_MARK)
    # Chapter 2 lists every Russian statement; the explorer shows every statement. (Chapter
    # 4 reads the base document's statements by id; its stance table counts the new one.)
    for page in ("chapters/02-russian-delegation.html", "chapters/classroom/explorer.html"):
        assert page in showing, f"{page} does not show the second source's statement"
    for name, text in showing.items():
        plain = _plain_text(text)
        for match in re.finditer(hostile.EXTENSION_MARK + " The extension speaker", plain):
            row = plain[max(match.start() - 400, 0):match.start()]
            assert f"Extension test source {hostile.EXTENSION_MARK}, ¶2" in row, \
                f"{name}: the statement is not located in its own source"
            assert "base document" not in row.rsplit("Extension test source", 1)[-1], name


# -- Paragraph and download links ---------------------------------------------------------------


def _widget_html(text: str) -> str:
    """The HTML inside a page's widget state (the explorer's cards), decoded."""
    parts = []
    for state in re.findall(r'<script type="application/vnd.jupyter.widget-state\+json">'
                            r"(.*?)</script>", text, re.S):
        for model in json.loads(state)["state"].values():
            parts.append(str(model["state"].get("value", "")))
    return "\n".join(parts)


def test_every_paragraph_and_download_link_resolves(book_html):
    """Every link to a paragraph of the base document (in the page or in widget state) and
    every download link points at a file of the build, and at an anchor that exists."""
    base = (book_html / "chapters" / "base-document.html").read_text(encoding="utf-8")
    anchors = set(re.findall(r'id="(p\d+)"', base))
    seen = {"paragraph": 0, "download": 0}
    for page in book_html.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "geneva-base:" not in text and "geneva-data:" not in text, \
            f"{page.name} has a link the tooling did not resolve"
        for href in re.findall(r'href="([^"#]*base-document\.html)#(p\d+)"',
                               text + _widget_html(text)):
            target, anchor = href
            assert (page.parent / target).resolve().is_file(), (page.name, target)
            assert anchor in anchors, (page.name, anchor)
            seen["paragraph"] += 1
        for target in re.findall(r'href="([^"]*data/[^"]+)" download', text):
            assert (page.parent / target).resolve().is_file(), (page.name, target)
            seen["download"] += 1
    assert seen["paragraph"] > 50 and seen["download"] > 10, seen
    assert len(anchors) == 29


def test_the_downloads_are_the_data_packages_files(book_html, book_project):
    import zipfile

    data = book_html / "data"
    for csv_file in (book_project / "data").glob("*.csv"):
        assert (data / csv_file.name).read_bytes() == csv_file.read_bytes()
    with zipfile.ZipFile(data / "geneva-talks-data.zip") as archive:
        names = set(archive.namelist())
    assert "geneva-talks-data/datapackage.json" in names
    assert "geneva-talks-data/sources/geneva-talks-2022-summary.txt" in names
    # The source zip: the built project itself, to run the exercises from the book.
    with zipfile.ZipFile(data / "geneva-talks-book-source.zip") as archive:
        names = set(archive.namelist())
        readme = archive.read("geneva-talks-book/README.md")
    assert readme == (book_project / "README.md").read_bytes()
    assert "geneva-talks-book/geneva_talks/__init__.py" in names
    assert not [n for n in names if "/_build/" in n or "/.venv/" in n]
