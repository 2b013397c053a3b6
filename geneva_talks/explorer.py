"""The statement explorer: filter the statements by delegation, issue and speech act.

It must work in the static book, where no Python kernel runs, so nothing is computed when a
reader picks a filter. Each statement is drawn once, as a card (an ``HTML`` widget); each
combination of the three filters is a box that lists the cards it shows (the same card
widgets: a widget may appear in many boxes, and is stored once). The boxes sit in three
levels of nested ``Stack`` widgets, one level per filter, and each Dropdown is ``jslink``-ed
to the ``selected_index`` of every Stack at its level, so the three choices combine in the
browser with no Python callback. The same widget works in a live notebook.

Text from the data is escaped in the cards; a paragraph link (``geneva-base:7``) is pointed
at the base document's page by the book's tooling.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd

from .analysis import coded_positions, reported_mark
from .display import (
    categories,
    escape,
    form_phrase,
    locator_html,
    speaker_phrase,
)
from .figures import DELEGATION_COLOURS

ALL = None  # the "All ..." option of a filter
NO_MATCH = "No statement matches these filters."


@dataclass(frozen=True)
class Filter:
    """One filter: its label and its options as (value, label) pairs, "All ..." first."""

    name: str
    options: tuple[tuple[str | None, str], ...]

    @property
    def labels(self) -> list[str]:
        return [label for _value, label in self.options]


def explorer_filters(data) -> tuple[Filter, Filter, Filter]:
    """The three filters (delegation, issue, speech act), with the full vocabularies."""
    statements = data.statements
    return (
        Filter("Delegation", ((ALL, "All delegations"),)
               + tuple((d, d) for d in categories(statements["delegation"]))),
        Filter("Issue", ((ALL, "All issues"),)
               + tuple((str(i), str(label)) for i, label in
                       zip(data.issues["issue_id"], data.issues["label"], strict=True))),
        Filter("Speech act", ((ALL, "All speech acts"),)
               + tuple((a, a) for a in categories(statements["speech_act"]))),
    )


def statement_rows(data, statements: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per statement (document order): id, delegation, speech act, the issue ids
    it was coded on, and its card as HTML (every data value escaped)."""
    statements = data.statements if statements is None else statements
    coded = coded_positions(data)
    coding = {sid: group for sid, group in coded.groupby("statement_id", sort=False)}
    rows = []
    for st in statements.itertuples():
        # The speaker's own side first, then any position it reports for the other side.
        mine = coding.get(st.statement_id, coded.iloc[0:0]).sort_values("reported",
                                                                         kind="stable")
        rows.append({"statement_id": st.statement_id, "delegation": str(st.delegation),
                     "speech_act": str(st.speech_act),
                     "issue_ids": sorted(set(mine["issue_id"].astype(str))),
                     "card": _card(data, st, mine)})
    return pd.DataFrame(rows, columns=["statement_id", "delegation", "speech_act", "issue_ids",
                                       "card"])


def _card(data, st, coding: pd.DataFrame) -> str:
    colour = DELEGATION_COLOURS.get(str(st.delegation), "#999999")
    stances = "".join(
        f'<li>{escape(row.issue)}: <strong>{escape(row.stance_words)}</strong>'
        + escape(reported_mark(row.side, row.reported)) + "</li>"
        for row in coding.itertuples())
    return (f'<article class="geneva-card" style="border-left-color:{colour}">'
            f'<p class="geneva-card-head"><strong>{escape(st.statement_id)}</strong> · '
            f"{escape(st.delegation)} · {locator_html(data, st.source_id, st.paragraph)} · "
            f"{escape(st.speech_act)}</p>"
            f'<p class="geneva-card-text">{escape(st.text)}</p>'
            f'<p class="geneva-card-form">The base document\'s wording, '
            f"{escape(form_phrase(st.form, speaker_phrase(data, st.speaker_id)))}.</p>"
            f'<ul class="geneva-card-coding">{stances}</ul></article>')


def matching(rows: pd.DataFrame, delegation: str | None = ALL, issue_id: str | None = ALL,
             speech_act: str | None = ALL) -> pd.DataFrame:
    """The rows that pass all three filters; ``None`` means all."""
    keep = pd.Series(True, index=rows.index)
    if delegation is not None:
        keep &= rows["delegation"] == delegation
    if issue_id is not None:
        keep &= rows["issue_ids"].map(lambda ids: issue_id in ids)
    if speech_act is not None:
        keep &= rows["speech_act"] == speech_act
    return rows[keep]


def statement_explorer(data, statements: pd.DataFrame | None = None,
                       filters: Sequence[Filter] | None = None) -> widgets.VBox:
    """The explorer: three labelled Dropdowns over nested Stacks of boxes of cards.

    ``statements`` restricts it to a subset of ``data.statements``; the filters keep the
    full vocabularies, so an empty combination says so instead of vanishing."""
    rows = statement_rows(data, statements)
    filters = filters or explorer_filters(data)
    layout = widgets.Layout()
    cards = {sid: widgets.HTML(card, layout=layout)
             for sid, card in zip(rows["statement_id"], rows["card"], strict=True)}
    counts = {n: widgets.HTML(f'<p class="geneva-count" role="status">{n} statement'
                              f'{"" if n == 1 else "s"}</p>', layout=layout)
              for n in range(1, len(rows) + 1)}
    empty = widgets.HTML(f'<p class="geneva-count" role="status"><strong>{NO_MATCH}</strong> '
                         f'Choose "All" in a filter to widen the search.</p>', layout=layout)
    dropdowns = [widgets.Dropdown(options=[(label, i) for i, label in enumerate(f.labels)],
                                  value=0, description=f.name,
                                  style={"description_width": "initial"}) for f in filters]

    def view(values: list) -> widgets.Widget:
        found = matching(rows, *values)["statement_id"]
        if found.empty:
            return empty
        return widgets.VBox([counts[len(found)], *(cards[s] for s in found)], layout=layout)

    def level(depth: int, chosen: list) -> widgets.Widget:
        if depth == len(filters):
            return view(chosen)
        stack = widgets.Stack([level(depth + 1, [*chosen, value])
                               for value, _label in filters[depth].options],
                              selected_index=0, layout=layout)
        widgets.jslink((dropdowns[depth], "index"), (stack, "selected_index"))
        return stack

    box = widgets.VBox([widgets.HBox(dropdowns, layout=widgets.Layout(flex_flow="row wrap")),
                        level(0, [])])
    box.add_class("geneva-explorer")
    return box


def explorer_dropdowns(box: widgets.VBox) -> list[widgets.Dropdown]:
    """The three Dropdowns of an explorer made by :func:`statement_explorer`."""
    return list(box.children[0].children)
