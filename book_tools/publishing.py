"""Sphinx extension: what the published book takes from one place each.

* **The repository.** ``repository.url`` in ``_config.yml`` is the one setting that names
  the book's repository. The header's repository button is shown when it is set and not
  otherwise (``use_repository_button`` is derived from it here, so ``_config.yml`` does not
  set it): until the repository exists, no page links to one.
* **The version and the citation.** ``CITATION.cff`` (Citation File Format 1.2.0) at the
  root of the book is the home of the version and of how to cite the book. Pages show them
  through two MyST substitutions, ``{{ book_version }}`` and ``{{ book_citation }}``,
  and Sphinx's own ``version`` and ``release`` are set to it.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml
from sphinx.application import Sphinx
from sphinx.config import Config

CITATION_FILE = "CITATION.cff"


def _plain(value):
    """YAML dates as ISO strings (the CFF schema wants strings), everything else as it is."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def read_citation(root: Path) -> dict:
    """The book's CITATION.cff as plain data."""
    return _plain(yaml.safe_load((Path(root) / CITATION_FILE).read_text(encoding="utf-8")))


def author_name(author: dict) -> str:
    """A CFF author (a person or an entity) as a name to print."""
    person = " ".join(filter(None, (author.get("given-names"), author.get("name-particle"),
                                     author.get("family-names"), author.get("name-suffix"))))
    return author.get("name") or person


def citation_text(cff: dict) -> str:
    """How to cite the book, in one line of Markdown: authors, title, version, year, URL."""
    authors = "; ".join(author_name(a) for a in cff["authors"])
    parts = [f"{authors}. *{cff['title']}*, version {cff['version']}"]
    if cff.get("date-released"):
        parts.append(str(cff["date-released"])[:4])
    text = ". ".join(parts) + "."
    url = cff.get("url") or cff.get("repository-code")
    return f"{text} <{url}>" if url else text


def show_repository_button(theme_options: dict) -> dict:
    """``theme_options`` with the repository button on exactly when a repository is named."""
    return {**theme_options, "use_repository_button": bool(theme_options.get("repository_url"))}


def _configure(app: Sphinx, config: Config) -> None:
    config.html_theme_options = show_repository_button(config.html_theme_options or {})
    cff = read_citation(Path(app.srcdir))
    config.version = config.release = str(cff["version"])
    config.myst_substitutions = {**(config.myst_substitutions or {}),
                                 "book_version": str(cff["version"]),
                                 "book_citation": citation_text(cff)}


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _configure)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
