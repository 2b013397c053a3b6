"""The statement explorer: filter the statements by delegation, issue and speech act.

It must work in the static book, where no Python kernel runs. So nothing is computed
when a reader picks a filter: every combination of the three filters is rendered once,
in Python, into its own ``Output`` widget, and the browser only switches which one is
shown. The combinations sit in three levels of nested ``Stack`` widgets:

* the outer Stack has one child per delegation option (``All`` first),
* each of those is a Stack with one child per issue option,
* each of those is a Stack with one ``Output`` per speech-act option.

Each Dropdown is ``jslink``-ed to the ``selected_index`` of every Stack at its level (one
link per Stack; a link copies one value in the browser, it cannot compute), so the three
choices combine with no Python callback. The same widget works in a live notebook.

All the Outputs and Stacks share one ``Layout`` and the table style is given once, which
keeps the embedded widget state small. Text from the data is HTML-escaped before it goes
into a table.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd

from .analysis import locators
from .figures import DELEGATION_COLOURS, STANCE_COLOURS, text_colour_on

ALL = None  # the "All ..." option of a filter
NO_MATCH = "No statement matches these filters."
#: Shown once per explorer (in an HTML widget), not repeated in every precomputed table.
TABLE_CSS = """<style>
.geneva-explorer-table { width: 100%; border-collapse: collapse; font-size: 0.9em; }
.geneva-explorer-table caption { caption-side: top; text-align: left; font-weight: bold;
  padding: 0.4em 0; }
.geneva-explorer-table th, .geneva-explorer-table td { text-align: left; vertical-align: top;
  padding: 0.3em 0.5em; border-bottom: 1px solid #ccc; }
.geneva-explorer-table td { overflow-wrap: anywhere; }
.geneva-explorer-table td.geneva-quote { min-width: 14em; }
.geneva-explorer-table .geneva-nowrap { white-space: nowrap; }
.geneva-explorer-table .geneva-delegation { display: block; font-size: 0.9em; }
.geneva-explorer-table .geneva-coding { display: block; margin-bottom: 0.2em; }
</style>"""


@dataclass(frozen=True)
class Filter:
    """One filter of the explorer: its label and its options as (value, label) pairs.

    The first option is always ``(None, "All ...")``."""

    name: str
    options: tuple[tuple[str | None, str], ...]

    @property
    def labels(self) -> list[str]:
        return [label for _value, label in self.options]


def _vocabulary(column: pd.Series) -> list[str]:
    """The values a categorical column may take, in vocabulary order (else sorted values)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return [str(c) for c in column.cat.categories]
    return sorted(str(v) for v in column.dropna().unique())


def explorer_filters(data) -> tuple[Filter, Filter, Filter]:
    """The three filters (delegation, issue, speech act) with the dataset's full vocabularies."""
    statements = data.statements
    issues = data.issues
    if "order" in issues.columns:
        issues = issues.sort_values(["order", "issue_id"])
    delegation = Filter("Delegation", ((ALL, "All delegations"),)
                        + tuple((d, d) for d in _vocabulary(statements["delegation"])))
    issue = Filter("Issue", ((ALL, "All issues"),)
                   + tuple((str(r.issue_id), str(r.label)) for r in issues.itertuples()))
    act = Filter("Speech act", ((ALL, "All speech acts"),)
                 + tuple((a, a) for a in _vocabulary(statements["speech_act"])))
    return delegation, issue, act


def statement_rows(data, statements: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per statement, with speaker name and its coded issues and stances as lists.

    Columns: statement_id, speaker, delegation, paragraph, speech_act, text, issue_ids,
    issue_labels, stances (the last three aligned, in issue order)."""
    statements = data.statements if statements is None else statements
    names = data.actors.set_index("actor_id")["name"].astype(str)
    issues = data.issues
    order = issues["order"] if "order" in issues.columns else pd.Series(range(len(issues)))
    rank = dict(zip(issues["issue_id"].astype(str), order, strict=True))
    labels = dict(zip(issues["issue_id"].astype(str), issues["label"].astype(str), strict=True))
    coded: dict[str, list[tuple[str, str]]] = {}
    for pos in data.positions.itertuples():
        coded.setdefault(str(pos.statement_id), []).append((str(pos.issue_id), str(pos.stance)))
    rows = []
    where = locators(data, statements)
    for st in statements.itertuples():  # load() gives them in document order
        pairs = sorted(coded.get(str(st.statement_id), []), key=lambda p: (rank.get(p[0], 0), p[0]))
        speaker = str(st.speaker_id)
        rows.append({
            "statement_id": str(st.statement_id),
            "speaker": str(names.get(speaker, speaker)),
            "delegation": str(st.delegation),
            "paragraph": int(st.paragraph),
            "where": str(where[st.Index]),
            "speech_act": str(st.speech_act),
            "text": str(st.text),
            "issue_ids": [p[0] for p in pairs],
            "issue_labels": [labels.get(p[0], p[0]) for p in pairs],
            "stances": [p[1] for p in pairs],
        })
    return pd.DataFrame(rows, columns=["statement_id", "speaker", "delegation", "paragraph",
                                       "where", "speech_act", "text", "issue_ids",
                                       "issue_labels", "stances"])


def matching(rows: pd.DataFrame, delegation: str | None = ALL, issue_id: str | None = ALL,
             speech_act: str | None = ALL) -> pd.DataFrame:
    """The rows (from :func:`statement_rows`) that pass all three filters; ``None`` means all."""
    keep = pd.Series(True, index=rows.index)
    if delegation is not None:
        keep &= rows["delegation"] == delegation
    if issue_id is not None:
        keep &= rows["issue_ids"].map(lambda ids: issue_id in ids)
    if speech_act is not None:
        keep &= rows["speech_act"] == speech_act
    return rows[keep]


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _stance_badge(stance: str) -> str:
    background = STANCE_COLOURS.get(stance, "#FFFFFF")
    return (f'<span style="background:{background};color:{text_colour_on(background)};'
            f'padding:0 0.3em;border-radius:3px">{_e(stance)}</span>')


def table_html(rows: pd.DataFrame, caption: str) -> str:
    """An HTML table of ``rows`` (every data value escaped), or a clear no-match message."""
    if rows.empty:
        return (f'<p class="geneva-explorer-empty" role="status"><strong>{_e(NO_MATCH)}</strong> '
                f'({_e(caption)}). Choose "All" in one of the filters to widen the search.</p>')
    count = f"{len(rows)} statement{'s' if len(rows) != 1 else ''}"
    # Six columns, so that the issues and stances fit beside the quote on a laptop screen:
    # the delegation goes under the speaker, each issue beside its stance.
    head = "".join(f'<th scope="col">{h}</th>' for h in
                   ("ID", "Speaker", "Where", "Speech act", "Quote", "Issue: stance"))
    body = []
    for row in rows.itertuples():
        colour = DELEGATION_COLOURS.get(row.delegation, "#999999")
        coding = "".join(
            f'<span class="geneva-coding">{_e(label)}: '
            f'<span class="geneva-nowrap">{_stance_badge(stance)}</span></span>'
            for label, stance in zip(row.issue_labels, row.stances, strict=True)) or "—"
        body.append(
            f'<tr><td>{_e(row.statement_id)}</td><td>{_e(row.speaker)}'
            f'<span class="geneva-delegation geneva-nowrap">'
            f'<span aria-hidden="true" style="color:{colour}">■</span> '
            f'{_e(row.delegation)}</span></td>'
            f'<td>{_e(row.where)}</td><td>{_e(row.speech_act)}</td>'
            f'<td class="geneva-quote">“{_e(row.text)}”</td><td>{coding}</td></tr>')
    return (f'<table class="geneva-explorer-table">'
            f'<caption>{count}: {_e(caption)}</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')


def _output(html_text: str, plain: str, layout: widgets.Layout) -> widgets.Output:
    """An Output widget whose content is stored in its model (so it survives without a kernel)."""
    return widgets.Output(layout=layout, outputs=(
        {"output_type": "display_data",
         "data": {"text/html": html_text, "text/plain": plain},
         "metadata": {}},
    ))


def statement_explorer(data, statements: pd.DataFrame | None = None,
                       filters: Sequence[Filter] | None = None) -> widgets.VBox:
    """The explorer widget: three labelled Dropdowns over nested Stacks of precomputed tables.

    ``statements`` restricts the explorer to a subset of ``data.statements`` (a chapter may
    show only one delegation's or one meeting's statements); the filters keep the full
    vocabularies, so an empty combination says so instead of vanishing."""
    rows = statement_rows(data, statements)
    delegation_f, issue_f, act_f = filters or explorer_filters(data)
    shared = widgets.Layout()
    links = []
    dropdowns = [
        widgets.Dropdown(options=[(label, i) for i, label in enumerate(f.labels)], value=0,
                         description=f.name, style={"description_width": "initial"})
        for f in (delegation_f, issue_f, act_f)
    ]
    outer_children = []
    for d_value, d_label in delegation_f.options:
        issue_children = []
        for i_value, i_label in issue_f.options:
            outputs = []
            for a_value, a_label in act_f.options:
                found = matching(rows, d_value, i_value, a_value)
                caption = " · ".join((d_label, i_label, a_label))
                plain = f"{len(found)} statement(s): {caption}"
                outputs.append(_output(table_html(found, caption), plain, shared))
            inner = widgets.Stack(outputs, selected_index=0, layout=shared)
            links.append(widgets.jslink((dropdowns[2], "index"), (inner, "selected_index")))
            issue_children.append(inner)
        middle = widgets.Stack(issue_children, selected_index=0, layout=shared)
        links.append(widgets.jslink((dropdowns[1], "index"), (middle, "selected_index")))
        outer_children.append(middle)
    outer = widgets.Stack(outer_children, selected_index=0)
    links.append(widgets.jslink((dropdowns[0], "index"), (outer, "selected_index")))
    box = widgets.VBox([widgets.HBox(dropdowns, layout=widgets.Layout(flex_flow="row wrap")),
                        outer, widgets.HTML(TABLE_CSS)])
    box.add_class("geneva-explorer")
    box._geneva_links = links  # keep the links alive with the widget
    return box


def explorer_dropdowns(box: widgets.VBox) -> list[widgets.Dropdown]:
    """The three Dropdowns of an explorer made by :func:`statement_explorer`."""
    return list(box.children[0].children)


def shown_output(box: widgets.VBox) -> widgets.Output:
    """The Output that the current Dropdown indices select (what a browser would show)."""
    d, i, a = (dd.index for dd in explorer_dropdowns(box))
    return box.children[1].children[d].children[i].children[a]
