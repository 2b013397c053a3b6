"""What chapters 2 and 3 (one delegation each) compute alike, written once for both.

``DelegationChapter(data, "Russia")`` takes the base document's statements of one side, sorts
them into the chapters' sections by speech act, and gives the quote blocks, stances and glue
values that both chapters show. Each chapter keeps only the prose guards of its own sentences.
"""

from __future__ import annotations

import pandas as pd

from . import analysis, display
from .data import source_paragraphs
from .prose import claim, number_word

#: The chapters' sections, each holding the statements of one or two speech acts.
SECTIONS = {"proposed": ["proposal", "demand"], "refused": ["refusal"],
            "affirmed": ["affirmation", "assurance"], "warned": ["warning"],
            "judged": ["assessment"], "next": ["announcement"]}
#: The one statement read outside its speech act's section: S20, a proposal to meet again,
#: stands with what the side said comes next.
EXCEPTIONS = {"S20": "next"}
#: Each side's head of delegation (an actor id) and the other side.
HEADS = {"Russia": "ryabkov", "United States": "sherman"}
OTHER_SIDE = {"Russia": "United States", "United States": "Russia"}


def listing(items) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
          "seventeen", "eighteen", "nineteen", "twenty")


def count_word(n: int) -> str:
    """A count as both chapters write their totals: a word up to twenty ("nine", "ten"),
    digits above, so that two sides' totals read alike on either side of ten."""
    n = int(n)
    return number_word(n) if n < 10 else _TEENS[n - 10] if n <= 20 else str(n)


def counted(n: int, noun: str) -> str:
    """``one proposal``, ``two refusals``."""
    return f"{number_word(n)} {noun}{'' if n == 1 else 's'}"


class DelegationChapter:
    """One side's statements in the base document, read as chapters 2 and 3 read them."""

    def __init__(self, data, side: str):
        self.data, self.side, self.other = data, side, OTHER_SIDE[side]
        section_of_act = {act: key for key, acts in SECTIONS.items() for act in acts}
        claim(set(section_of_act) == set(data.vocabulary("statements", "speech_act")),
              "§ intro: 'A section holds the statements of one or two speech acts'")
        statements = data.base_statements().copy()
        statements["section"] = [EXCEPTIONS.get(i, section_of_act[a]) for i, a in zip(
            statements["statement_id"], statements["speech_act"].astype(str), strict=True)]
        self.statements = statements
        self.mine = statements[statements["delegation"].astype(str) == side]
        self.head = self.mine[self.mine["speaker_id"].astype(str) == HEADS[side]]
        self.delegation = self.mine[self.mine["attribution"].astype(str) == "delegation"]
        coded = analysis.coded_positions(data)
        self.based = coded[coded["statement_id"].isin(statements["statement_id"])]
        #: Each statement's coding in words, the speaker's side first (every source's).
        self.coding = analysis.codings(coded)
        reported = self.based[self.based["reported"]]
        #: Positions this side's statements give the other side, and the other way round.
        self.reports = reported[reported["delegation"].astype(str) == side]
        self.reported = reported[reported["delegation"].astype(str) == self.other]
        self.shown: dict[str, list[str]] = {}

    def acts(self, rows: pd.DataFrame | None = None) -> pd.Series:
        """How many statements of each speech act (the head's, or ``rows``')."""
        rows = self.head if rows is None else rows
        return rows["speech_act"].astype(str).value_counts()

    def quotes(self, section: str, *ids: str) -> str:
        """The statements quoted in full, each with its coding line (noted as shown)."""
        self.shown.setdefault(section, []).extend(ids)
        return "".join(display.statement_quote_html(self.data, i)
                       + f'<p class="geneva-coding"><strong>Coding</strong> · '
                         f"{display.escape(self.coding[i])}</p>" for i in ids)

    def stance(self, statement_id: str, issue_id: str, side: str | None = None) -> str | None:
        """The stance a statement takes for a side (this one by default); None if uncoded."""
        rows = self.based[(self.based["statement_id"] == statement_id)
                          & (self.based["issue_id"] == issue_id)
                          & (self.based["side"].astype(str) == (side or self.side))]
        return None if rows.empty else str(rows["stance"].iloc[0])

    def every_statement_shown(self) -> bool:
        """Whether the sections quoted exactly this side's statements, each in its section."""
        expected = {key: sorted(group["statement_id"])
                    for key, group in self.mine.groupby("section")}
        return {key: sorted(ids) for key, ids in self.shown.items()} == expected

    def glance_html(self, caption: str) -> str:
        """The side's statements at a glance: id, place in the source, speech act, coding."""
        glance = analysis.statements_of(self.data, self.side).merge(
            self.data.statements[["statement_id", "source_id", "paragraph"]], on="statement_id")
        return display.html_table(
            glance, ["statement_id", "where", "speech_act", "coding"],
            headers={"statement_id": "Statement", "where": "Where", "speech_act": "Speech act",
                     "coding": "Coding (issue: pole)"}, caption=caption,
            cells={"where": lambda row: display.locator_html(self.data, row["source_id"],
                                                             row["paragraph"])})

    def glue_values(self) -> dict[str, str]:
        """The chapter's numbers and lists for its prose, by glue name."""
        heading = f"{display.speaker_names(self.data)[HEADS[self.side]]}:"
        claim(heading in set(source_paragraphs(self.data)),
              f"§ Who speaks: 'set under the heading “{heading}”'")
        order = list(self.statements["statement_id"])
        n_head, n_delegation = len(self.head), len(self.delegation)
        values = {
            "n_side": count_word(len(self.mine)),
            "who_split": ("all" if n_head == len(self.mine) else number_word(n_head))
            + f" set under the heading “{heading}”, "
            + (f"{number_word(n_delegation)} attributed to the delegation as a whole "
               f"({listing(self.delegation['statement_id'])})" if n_delegation
               else "none attributed to the delegation as a whole"),
            "acts": listing(counted(n, act) for act, n in self._in_vocabulary_order(
                self.acts(self.mine)).items()),
            "n_reports": number_word(self.reports["statement_id"].nunique()).capitalize(),
            "reports_ids": listing(sorted(set(self.reports["statement_id"]), key=order.index)),
            "n_reported": number_word(self.reported["statement_id"].nunique()),
            "reported_ids": listing(sorted(set(self.reported["statement_id"]), key=order.index)),
        }
        for act in self.data.vocabulary("statements", "speech_act"):
            values[f"head_{act}"] = number_word(self.acts().get(act, 0))
            values[f"delegation_{act}"] = number_word(self.acts(self.delegation).get(act, 0))
        for statement_id in self.mine["statement_id"]:
            values[f"n_issues_{statement_id}"] = number_word(self.based.loc[
                self.based["statement_id"] == statement_id, "issue_id"].nunique())
        return values

    def _in_vocabulary_order(self, counts: pd.Series) -> pd.Series:
        vocabulary = self.data.vocabulary("statements", "speech_act")
        return pd.Series({act: counts[act] for act in vocabulary if counts.get(act, 0)},
                         dtype=int)

    def positions_per_issue(self) -> pd.DataFrame:
        """Per issue: how many positions this side holds, and how many of them are reported."""
        coded = analysis.coded_positions(self.data)
        return coded[coded["side"].astype(str) == self.side].groupby("issue", sort=False).agg(
            positions=("statement_id", "size"), reported=("reported", "sum"))
