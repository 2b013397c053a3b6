"""The bibliography style: corporate authors sort by name and get readable labels."""

from __future__ import annotations

from pybtex.database import Entry, Person

from book_tools.bibliography_style import LabelStyle, SortingStyle, first_author


def _entry(authors: list[str], year: str, title: str) -> Entry:
    return Entry("misc", fields={"year": year, "title": title},
                 persons={"author": [Person(a) for a in authors]})


def test_braced_corporate_authors_sort_with_the_others_by_name():
    entries = [_entry(["{TASS}"], "2021", "Drafts"), _entry(["Carpenter, Michael"], "2022", "B"),
               _entry(["{U.S. Department of State}"], "2022", "Travel"),
               _entry(["Landis, J. Richard", "Koch, Gary G."], "1977", "Agreement")]
    ordered = SortingStyle().sort(entries)
    assert [first_author(e) for e in ordered] == [
        "Carpenter", "Landis and Koch", "TASS", "U.S. Department of State"]


def test_labels_are_author_and_year_with_letters_only_where_two_would_clash():
    entries = [_entry(["{TASS}"], "2021", "A"), _entry(["{TASS}"], "2021", "B"),
               _entry(["{TASS}"], "2022", "C"),
               _entry(["Mohammad, Saif", "Kiritchenko, S.", "Sobhani, P."], "2016", "D")]
    assert list(LabelStyle().format_labels(entries)) == [
        "TASS 2021a", "TASS 2021b", "TASS 2022", "Mohammad et al. 2016"]
