"""The bibliography's entries for the data's sources and records (book_tools.references),
formatted by the book's style as the bibliography page shows them."""

from __future__ import annotations

import pandas as pd
from pybtex.database import parse_string

from book_tools.bibliography_style import Style
from book_tools.references import entry


def _formatted(row: dict) -> str:
    """The entry of ``row`` as the bibliography prints it (plain text)."""
    bib = parse_string(entry("key", pd.Series(row)), "bibtex")
    formatted = next(iter(Style().format_entries(bib.entries.values())))
    return formatted.text.render_as("text")


ROW = {"publisher": "TASS", "title": "US urges Russia to pull back troops from Ukraine's border",
       "kind": "news_report", "date": "2022-01-12", "url": None, "via_url": None,
       "accessed": None}


def test_a_title_keeps_its_case_as_published():
    assert "US urges Russia to pull back troops from Ukraine's border" in _formatted(ROW)
    russian = {**ROW, "title": "Рябков: Россия и США не договорились в Женеве"}
    assert "Рябков: Россия и США" in _formatted(russian)


def test_the_original_is_linked_and_the_copy_read_named_in_full():
    text = _formatted({**ROW, "url": "https://tass.com/world/1", "via_url":
                       "https://copy.example/tass-1"})
    assert "https://tass.com/world/1" in text
    assert "Read in a copy: https://copy.example/tass-1" in text


def test_without_the_original_the_copy_is_linked_and_the_note_says_so():
    text = _formatted({**ROW, "via_url": "https://copy.example/tass-1"})
    assert "https://copy.example/tass-1" in text
    assert "the original's address was not found" in text


def test_an_access_date_is_printed_only_where_one_was_recorded():
    assert "Accessed" not in _formatted(ROW)
    assert "Accessed 2026-11-30" in _formatted({**ROW, "accessed": "2026-11-30"})


def test_latex_specials_in_a_title_are_text():
    text = _formatted({**ROW, "title": "Costs & 100% of a_b #1"})
    assert "Costs & 100% of a_b #1" in text


def test_an_entry_gives_its_day_as_its_label_does():
    assert "12 January 2022" in _formatted(ROW)


def test_a_publishers_entries_stand_in_date_order():
    from pybtex.database import BibliographyData

    rows = {"b": {**ROW, "date": "2022-01-12", "title": "A"},
            "a": {**ROW, "date": "2022-01-09", "title": "B"},
            "c": {**ROW, "date": "2022-01-10", "title": "C"}}
    entries = {}
    for key, row in rows.items():
        entries.update(parse_string(entry(key, pd.Series(row)), "bibtex").entries)
    ordered = [e.key for e in Style().format_entries(BibliographyData(entries).entries.values())]
    assert ordered == ["a", "c", "b"]


def test_months_are_english_whatever_the_locale_says(monkeypatch):
    """Sphinx sets the locale from the environment; a German machine's %B is "Januar"."""
    german = pd.Timestamp.strftime
    monkeypatch.setattr(pd.Timestamp, "strftime",
                        lambda self, f: german(self, f).replace("January", "Januar"))
    assert pd.Timestamp("2022-01-12").strftime("%B") == "Januar"
    assert "12 January 2022" in _formatted(ROW)
