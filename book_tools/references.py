"""Sphinx extension: the bibliography's entries for the data's sources and records, made
from the data.

``sources.csv`` and ``records.csv`` are the one home of every outside document the book
cites: publisher, title as published, date, the original's URL (and the copy read, where
the original was out of reach), the access date. Before the bibliography is read, this
extension writes them as BibTeX entries, keyed by their ids, to a file of the build folder
that ``bibtex_bibfiles`` then lists beside ``references.bib`` (which keeps the scholarly
works). A chapter cites ``{cite:p}`tass-1386819``` and can never cite a source the data do
not hold, or a title the data do not give.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
from sphinx.application import Sphinx

from .bibliography_style import MONTH_NAMES

#: Where the entries are written, relative to the book's folder.
GENERATED = "_build/.generated/data-references.bib"
_LATEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
          "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
          "^": r"\textasciicircum{}"}


def latex(text) -> str:
    """``text`` with LaTeX's special characters escaped (BibTeX field values)."""
    return "".join(_LATEX.get(char, char) for char in str(text))


def entry(key: str, row: pd.Series) -> str:
    """One ``@misc`` entry: the publisher as a corporate author, title, date, URL, and a
    note naming the copy read and the access date."""
    publisher = row.get("publisher")
    if publisher is None or pd.isna(publisher) or not str(publisher).strip():
        publisher = "Anonymous" if row.get("kind") != "base_document" else "Base document"
    # Braces keep the title's case as published (BibTeX styles would lowercase it).
    fields = {"author": "{" + latex(publisher) + "}", "title": "{" + latex(row["title"]) + "}"}
    date = row.get("date")
    if date is not None and not pd.isna(date):
        date = pd.Timestamp(date)
        fields["year"], fields["month"], fields["day"] = (
            str(date.year), MONTH_NAMES[date.month - 1], str(date.day))
    else:
        fields["year"] = "n.d."
    url, via = row.get("url"), row.get("via_url")
    if url is not None and not pd.isna(url):
        fields["url"] = str(url)
    notes = []
    if via is not None and not pd.isna(via):
        if "url" in fields:
            notes.append(f"Read in a copy: {via}")
        else:
            notes.append(f"Read in a copy at {urlsplit(str(via)).hostname}; the original's "
                         "address was not found")
            fields["url"] = str(via)
    accessed = row.get("accessed")
    if accessed is not None and not pd.isna(accessed):
        notes.append(f"Accessed {pd.Timestamp(accessed):%Y-%m-%d}")
    if notes:
        fields["note"] = latex("; ".join(notes))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
    return f"@misc{{{key},\n{body},\n}}\n"


def entries(data) -> str:
    """Every source and record of the data, as BibTeX."""
    out = [entry(str(row["source_id"]), row) for _, row in data.sources.iterrows()]
    records = getattr(data, "records", None)
    if records is not None:
        out += [entry(str(row["record_id"]), row) for _, row in records.iterrows()]
    return "\n".join(out)


def _write_entries(app: Sphinx, config) -> None:
    import geneva_talks

    path = Path(app.confdir) / GENERATED
    text = entries(geneva_talks.load())
    # Written only when it changed: a new file would make every citing page be read again.
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if GENERATED not in config.bibtex_bibfiles:
        config.bibtex_bibfiles = [*config.bibtex_bibfiles, GENERATED]


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _write_entries)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
