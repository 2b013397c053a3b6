"""The meetings: the timeline of January 2022, the three formats side by side, the people.

Chapters 1 (context) and 5 (the meetings that followed) call these in a line or two.
Everything is computed from the dataset's ``events`` and ``actors``; facts from outside the
base document carry their citations ([id] in the data), shown as numbered notes.
"""

from __future__ import annotations

import re
import textwrap

import pandas as pd
from matplotlib.lines import Line2D

from .data import citations, source_paragraphs, state_of
from .display import escape, html_table, locator_html, source_entry
from .figures import MAX_WIDTH, OKABE_ITO, house_style, new_figure, show

#: The three formats compared in chapter 5, in the order they met.
FORMAT_EVENTS = ("geneva-talks", "nrc-brussels", "osce-vienna")
#: Shown where the data leave a field empty.
NOT_STATED = "not stated"
#: Characters per line of a timeline label: the figure stays legible at phone width.
LABEL_CHARS = 34
#: Markers of the two kinds of event; neither is a delegation's colour.
BASE_MARKER = {"marker": "o", "s": 80, "facecolor": OKABE_ITO["black"], "edgecolor": "#000"}
CONTEXT_MARKER = {"marker": "D", "s": 60, "facecolor": "#FFFFFF", "edgecolor": "#555555",
                  "linewidth": 1.5}


def timeline(events: pd.DataFrame) -> pd.DataFrame:
    """The events in date order (ties by event_id): date, what, where, whether the base
    document reports it, and its source."""
    table = events.sort_values(["date", "event_id"], kind="stable")
    return pd.DataFrame({
        "event_id": table["event_id"].astype(str),
        "date": pd.to_datetime(table["date"]),
        "what": table["format"].astype(str),
        "where": table["city"].fillna(NOT_STATED).astype(str),
        "in_base_document": table["in_base_document"].astype(bool),
        "source_id": table["source_id"].astype(str),
    }).reset_index(drop=True)


def talks_week(events: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last date of the events the base document reports."""
    base = timeline(events).query("in_base_document")
    if base.empty:
        raise ValueError("no event is flagged in_base_document")
    return base["date"].min(), base["date"].max()


def timeline_figure(events: pd.DataFrame):
    """Every event on one dated line, top to bottom: filled circles for the events the base
    document reports, open diamonds for context events from outside pages."""
    table = timeline(events)
    fig = new_figure(MAX_WIDTH, 0.9 + 0.55 * len(table))
    with house_style():
        ax = fig.subplots()
        ax.plot([0, 0], [-0.5, len(table) - 0.5], color="#999999", linewidth=1, zorder=1)
        for y, row in enumerate(table.itertuples()):
            style = BASE_MARKER if row.in_base_document else CONTEXT_MARKER
            ax.scatter([0], [y], zorder=2, **style)
            ax.text(-0.3, y, f"{row.date:%-d %b %Y}", ha="right", va="center")
            label = f"{row.what} ({row.where})" if row.where != NOT_STATED else row.what
            ax.text(0.3, y, textwrap.fill(label, LABEL_CHARS), ha="left", va="center",
                    linespacing=1.1)
        ax.set_xlim(-2.2, 6)
        ax.set_ylim(len(table) - 0.5, -1.9)
        ax.axis("off")
        handles = [Line2D([], [], linestyle="", marker="o", color="#000", label="in the base "
                          "document"),
                   Line2D([], [], linestyle="", marker="D", markerfacecolor="#FFF",
                          markeredgecolor="#555", label="context from outside pages")]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, 1.0), ncols=1)
        fig.tight_layout()
    base = table[table["in_base_document"]]
    alt = (f"Timeline of {len(table)} events from {table['date'].min():%-d %B %Y} to "
           f"{table['date'].max():%-d %B %Y}. The base document reports "
           + ", ".join(f"{r.what} on {r.date:%-d %B}" for r in base.itertuples())
           + ". From outside pages: " + ", ".join(
               f"{r.what} on {r.date:%-d %B %Y}" for r in table[~table["in_base_document"]]
               .itertuples()) + ".")
    return show(fig, alt)


def formats_table_html(data, event_ids: tuple[str, ...] = FORMAT_EVENTS) -> str:
    """The formats side by side (a column each): date, place, level, chair and who took part.

    One rule for every cell: the base document's fact, its paragraph linked ("(paragraph 2)"
    in the data becomes a ¶ link); else a fact from an outside page, which carries its
    source in the data ("[id]", or the chair's own source in actors) and is shown with a
    numbered note; else "not stated"."""
    events = data.events.set_index("event_id")
    unknown = [e for e in event_ids if e not in events.index]
    if unknown:
        raise KeyError(f"no such event(s) in events: {', '.join(unknown)}")
    actors = data.actors.set_index(data.actors["actor_id"].astype(str))
    cited: list[str] = []

    def mark(source_ids) -> str:
        marks = []
        for source_id in source_ids:
            if source_id not in cited:
                cited.append(source_id)
            marks.append(str(cited.index(source_id) + 1))
        return f"<sup>[{', '.join(marks)}]</sup>"

    def cell(text) -> str:
        if pd.isna(text) or not str(text).strip():
            return escape(NOT_STATED)
        html = re.sub(r" ?\[[^\[\]]+\]", lambda m: mark(citations(m.group(0))), escape(text))
        return re.sub(r"\(paragraphs? (\d+)(?:[–-](\d+))?\)", _paragraph_links(data), html)

    def place(event) -> str:
        parts = [str(v) for v in (event["city"], event["venue"]) if not pd.isna(v)]
        return cell(" · ".join(parts)) if parts else escape(NOT_STATED)

    def chair(event) -> str:
        actor_id = str(event["chair"]) if not pd.isna(event["chair"]) else ""
        if actor_id not in actors.index:
            return escape(NOT_STATED)
        actor = actors.loc[actor_id]
        source_id = str(actor["source_id"])
        name = str(actor["name"])
        if str(actor["kind"]) == "person":  # "Jens Stoltenberg, NATO Secretary General"
            name += ", " + str(actor["role"]).split(";")[0].rstrip(".")
        html = escape(name)
        return html if source_id == "base" else html + mark([source_id])

    fields = {"Date": lambda e: escape(f"{e['date']:%-d %B %Y}"),
              "Place": place,
              "Level": lambda e: cell(e["level"]),
              "Chair": chair,
              "Who took part": lambda e: cell(e["participants"])}
    rows = pd.DataFrame([{"field": field, **{event_id: render(events.loc[event_id])
                                              for event_id in event_ids}}
                         for field, render in fields.items()])
    headers = {e: str(events.loc[e, "format"]) for e in event_ids}
    table = html_table(rows, ["field", *event_ids], headers={"field": "", **headers},
                       cells={e: (lambda row, e=e: row[e]) for e in event_ids},
                       css_class="geneva-table geneva-formats")
    notes = "".join(f"<li>{source_entry(data, source_id)}</li>" for source_id in cited)
    return table + (f'<ol class="geneva-notes">{notes}</ol>' if notes else "")


def _paragraph_links(data):
    """A replacement for "(paragraph 2)" or "(paragraphs 27–28)": the ¶ links, in brackets."""
    def links(match) -> str:
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        return "(" + "–".join(locator_html(data, "base", n) for n in sorted({first, last})) + ")"
    return links


def people_table(data) -> pd.DataFrame:
    """The people in the dataset: name, role, the side each speaks for (the state their
    affiliations lead to, else the organisation they belong to), whether the base document
    names them, and their source (a source or record id)."""
    actors = data.actors
    indexed = actors.set_index("actor_id")
    names = indexed["name"].astype(str)
    people = actors[actors["kind"].astype(str) == "person"]
    return pd.DataFrame({
        "Name": people["name"],
        "Role": people["role"],
        "Side": people["affiliation"].map(
            lambda a: state_of(a, indexed) or names.get(str(a), NOT_STATED)),
        "In the base document": people["in_base_document"].map({True: "yes", False: "no"}),
        "Source": people["source_id"],
    }).reset_index(drop=True)


def dataset_counts(data) -> dict[str, int]:
    """Counts for the chapters' prose: statements, events, actors, issues, sources, records."""
    events, statements = data.events, data.statements
    base = events["in_base_document"].astype(bool)
    by_delegation = statements["delegation"].astype(str).value_counts()
    counts = {
        "n_statements": len(statements),
        "n_statements_russia": int(by_delegation.get("Russia", 0)),
        "n_statements_us": int(by_delegation.get("United States", 0)),
        "n_events": len(events),
        "n_events_base": int(base.sum()),
        "n_events_context": int((~base).sum()),
        "n_actors": len(data.actors),
        "n_people": int((data.actors["kind"].astype(str) == "person").sum()),
        "n_issues": len(data.issues),
        "n_positions": len(data.positions),
        "n_sources": len(data.sources),
        "n_paragraphs": len(source_paragraphs(data)),
    }
    if hasattr(data, "records"):
        counts["n_records"] = len(data.records)
    return counts
