"""The bibliography's style: author–year labels, sorted by author as a reader expects.

pybtex's stock styles sort a corporate author written ``{{TASS}}`` after every personal
name (the brace sorts last) and give it a label such as ``[Anonymousnsummary22]``. This
style, registered with pybtex as ``geneva`` and chosen in ``_config.yml``
(``bibtex_default_style``), sorts on names without braces and labels each entry as the
chapters cite it (``bibtex_reference_style: label``): ``TASS 12 Jan 2022``, ``Cohen 1960``,
with the day where the entry has one, so that a publisher's records of one week are told
apart.
"""

from __future__ import annotations

from collections import Counter
from string import ascii_lowercase

from pybtex.plugin import register_plugin
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting.author_year_title import SortingStyle as AuthorYearTitle
from pybtex.style.template import field, optional, optional_field, sentence, words


def plain(text: str) -> str:
    """``text`` without BibTeX braces."""
    return text.replace("{", "").replace("}", "")


def first_author(entry) -> str:
    """The first author's (or editor's) last name, or the whole name of a corporate author."""
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    if not persons:
        return plain(entry.fields.get("title", "Anonymous"))
    person = persons[0]
    name = " ".join(person.prelast_names + person.last_names) or str(person)
    suffix = " et al." if len(persons) > 2 else (
        f" and {plain(' '.join(persons[1].last_names))}" if len(persons) == 2 else "")
    return plain(name) + suffix


#: English month names, whatever the machine's locale (Sphinx sets LC_ALL from the
#: environment, so ``calendar.month_name`` and ``%B`` could be German on a German machine).
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
MONTHS = {name: number for number, name in enumerate(MONTH_NAMES, start=1)}


class SortingStyle(AuthorYearTitle):
    """Author, date (year, month, day), title, ignoring braces (so ``{{TASS}}`` sorts
    under T, and a publisher's records of one week stand in the order of their days)."""

    def sorting_key(self, entry):
        author, year, title = super().sorting_key(entry)
        month = MONTHS.get(entry.fields.get("month", ""), 0)
        day = int(entry.fields["day"]) if entry.fields.get("day", "").isdigit() else 0
        return plain(author).lower(), year, month, day, plain(title).lower()


def when(entry) -> str:
    """The entry's date as a label gives it: "10 Jan 2022" where it has a day and a month,
    else the year (or "n.d.")."""
    year = entry.fields.get("year", "n.d.")
    day, month = entry.fields.get("day"), entry.fields.get("month")
    return f"{day} {month[:3]} {year}" if day and month else year


class LabelStyle(BaseLabelStyle):
    """``Author Date`` ("TASS 12 Jan 2022", "Cohen 1960"), with a, b, ... where two entries
    would share a label."""

    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        bases = [f"{first_author(e)} {when(e)}" for e in entries]
        totals, seen = Counter(bases), Counter()
        for base in bases:
            if totals[base] == 1:
                yield base
            else:
                yield base + ascii_lowercase[seen[base]]
                seen[base] += 1


class Style(UnsrtStyle):
    default_sorting_style = SortingStyle
    default_label_style = LabelStyle

    def get_misc_template(self, e):
        """unsrt's template for @misc, with the day in the date ("12 January 2022"), as
        the label has it."""
        return toplevel[
            optional[sentence[self.format_names("author")]],
            optional[self.format_title(e, "title")],
            sentence[optional[field("howpublished")],
                     optional[words[optional_field("day"), optional_field("month"),
                                    field("year")]]],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]


def setup(app):
    register_plugin("pybtex.style.formatting", "geneva", Style)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
