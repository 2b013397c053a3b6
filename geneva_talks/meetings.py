"""Tables and figures about the meetings: the timeline of January 2022 and the three formats.

Chapters 1 (context) and 5 (the follow-on meetings) call these in a line or two. Everything is
computed from the dataset's ``events``, ``actors``, ``statements`` and ``paragraphs`` tables:

* :func:`timeline` and :func:`timeline_figure`: the events in date order, the base document's
  (9–13 January) set apart from the context events before and after it, which come from
  outside pages;
* :func:`formats_table` and :func:`formats_figure`: the bilateral talks in Geneva, the
  NATO–Russia Council and the OSCE Permanent Council side by side (who, at what level, where);
* :func:`source_paragraphs`, :func:`closing_assessment` and :func:`quote_html`: passages of the
  base document, each shown with its speaker (or author) and paragraph number.

Event categories are told apart by marker shape and fill, never by a delegation's colour.
"""

from __future__ import annotations

import html
import textwrap

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .data import state_of
from .figures import OKABE_ITO, as_plain_text, house_style

#: The three formats compared in chapter 5, in the order they met.
FORMAT_EVENTS = ("geneva-talks", "nrc-brussels", "osce-vienna")

#: Short names for the formats, for axes and table headers.
FORMAT_NAMES = {
    "geneva-talks": "Bilateral talks, Geneva",
    "nrc-brussels": "NATO–Russia Council, Brussels",
    "osce-vienna": "OSCE Permanent Council, Vienna",
}

#: Optional events column: how many states took part. Drawn as bars when the data have it.
STATES_COLUMN = "n_states"

#: Shown where the data leave a field empty: the base document does not say.
NOT_STATED = "not stated"

#: How quotes name the base document's own voice (narration and commentary).
AUTHOR = "the author"

#: Marker styles of the two kinds of event. Neither uses a delegation's colour.
BASE_STYLE = {"marker": "o", "s": 90, "facecolor": OKABE_ITO["black"],
              "edgecolor": OKABE_ITO["black"], "linewidth": 1.2}
CONTEXT_STYLE = {"marker": "D", "s": 70, "facecolor": "#FFFFFF",
                 "edgecolor": "#555555", "linewidth": 1.5}
BASE_LABEL = "In the base document (9–13 January)"
CONTEXT_LABEL = "Context from outside pages (cited in the text)"
WEEK_SHADE = "#E8E8E8"

#: Fill of the cards in the formats figure; none is a delegation's colour.
CARD_HEADER = "#DDDDDD"
CARD_MISSING = "#F4F4F4"


# -- The timeline -------------------------------------------------------------------------------

def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width=width)) or str(text)


def timeline(events: pd.DataFrame) -> pd.DataFrame:
    """The events in date order (ties by ``event_id``), with a short ``what`` label and ``where``.

    ``in_base_document`` says whether the base document reports the event; the others are
    context events with an outside source. Raises ``ValueError`` if a date or flag is missing.
    """
    required = ["event_id", "date", "format", "in_base_document", "source_id"]
    missing = [c for c in required if c not in events.columns]
    if missing:
        raise ValueError(f"events lacks column(s) {', '.join(missing)}")
    table = events.copy()
    table["date"] = pd.to_datetime(table["date"])
    if table["date"].isna().any():
        bad = table.loc[table["date"].isna(), "event_id"].tolist()
        raise ValueError(f"events without a date: {bad}")
    if table["in_base_document"].isna().any():
        bad = table.loc[table["in_base_document"].isna(), "event_id"].tolist()
        raise ValueError(f"events without an in_base_document flag: {bad}")
    table["in_base_document"] = table["in_base_document"].astype(bool)
    city = table["city"] if "city" in table else pd.Series("", index=table.index)
    table["where"] = city.fillna("").astype(str).replace("", NOT_STATED)
    table["what"] = table["format"].astype(str)
    table = table.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)
    return table[["event_id", "date", "what", "where", "in_base_document", "source_id"]]


def talks_week(events: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last date of the events the base document reports."""
    base = timeline(events).query("in_base_document")
    if base.empty:
        raise ValueError("no event is flagged in_base_document")
    return base["date"].min(), base["date"].max()


def _scatter_kinds(ax, table: pd.DataFrame, y: float = 0.0) -> None:
    """One scatter per kind of event, so a legend and a test can tell them apart."""
    kinds = ((True, BASE_STYLE, BASE_LABEL), (False, CONTEXT_STYLE, CONTEXT_LABEL))
    for flag, style, label in kinds:
        rows = table[table["in_base_document"] == flag]
        if rows.empty:
            continue
        ax.scatter(rows["date"], [y] * len(rows), zorder=3, label=label, gid=f"kind-{flag}",
                   **style)


def timeline_figure(events: pd.DataFrame) -> Figure:
    """Two panels: the whole span with the talks' week shaded, then that week day by day.

    Base-document events are filled circles, context events open diamonds; a legend says
    which is which. Returns the figure (closed to pyplot, so a notebook shows it once).
    """
    table = timeline(events)
    start, end = talks_week(events)
    week = table[(table["date"] >= start) & (table["date"] <= end)]
    outside = table[(table["date"] < start) | (table["date"] > end)]
    pad = pd.Timedelta(days=1)

    with house_style():
        fig, (top, bottom) = plt.subplots(
            2, 1, figsize=(7.2, 6.6), gridspec_kw={"height_ratios": [1, 1.2], "hspace": 0.6})

        # Top: the whole span; the week of the talks is a shaded band, its events unlabelled.
        top.axhline(0, color="#777777", linewidth=1, zorder=1)
        top.axvspan(start - pad / 2, end + pad / 2, color=WEEK_SHADE, zorder=0)
        _scatter_kinds(top, table)
        for i, row in enumerate(outside.itertuples()):
            up = i % 2 == 0
            top.annotate(f"{row.date:%-d %b %Y}\n{_wrap(row.what, 20)}",
                         (row.date, 0), xytext=(0, 12 if up else -12), textcoords="offset points",
                         ha="center", va="bottom" if up else "top", fontsize=9.5)
        top.annotate("9–13 January:\nthe talks (below)", ((start + (end - start) / 2), 0),
                     xytext=(0, 12), textcoords="offset points", ha="center", va="bottom",
                     fontsize=9.5, fontweight="bold")
        span = table["date"].max() - table["date"].min()
        top.set_xlim(table["date"].min() - span * 0.08, table["date"].max() + span * 0.08)
        top.set_title("December 2021 to February 2022", pad=22)

        # Bottom: the week itself, one labelled marker per event.
        bottom.axhline(0, color="#777777", linewidth=1, zorder=1)
        _scatter_kinds(bottom, week)
        for i, row in enumerate(week.itertuples()):
            up = i % 2 == 0
            bottom.annotate(f"{row.date:%a %-d %b}, {row.where}\n{_wrap(row.what, 22)}",
                            (row.date, 0), xytext=(0, 12 if up else -12),
                            textcoords="offset points", ha="center",
                            va="bottom" if up else "top", fontsize=9.5)
        bottom.set_xlim(start - pad * 1.2, end + pad * 1.2)
        bottom.set_title("The week of the talks, as the base document reports it")

        for ax in (top, bottom):
            ax.set_ylim(-1, 1)
            ax.set_yticks([])
            ax.spines["left"].set_visible(False)
            ax.tick_params(axis="x", labelsize=9.5)
        top.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        bottom.xaxis.set_major_formatter(mdates.DateFormatter("%-d %b"))
        top.xaxis.set_major_locator(mdates.MonthLocator())
        bottom.xaxis.set_major_locator(mdates.DayLocator())

        handles = [
            Line2D([], [], linestyle="", marker=BASE_STYLE["marker"], markersize=8,
                   markerfacecolor=BASE_STYLE["facecolor"],
                   markeredgecolor=BASE_STYLE["edgecolor"], label=BASE_LABEL),
            Line2D([], [], linestyle="", marker=CONTEXT_STYLE["marker"], markersize=7,
                   markerfacecolor=CONTEXT_STYLE["facecolor"],
                   markeredgecolor=CONTEXT_STYLE["edgecolor"], label=CONTEXT_LABEL),
            Patch(facecolor=WEEK_SHADE, label="The week of 9–13 January"),
        ]
        fig.legend(handles=handles, loc="lower center", ncol=1, fontsize=9.5,
                   bbox_to_anchor=(0.5, -0.1))
        fig.subplots_adjust(bottom=0.12)
    plt.close(fig)
    return as_plain_text(fig)


# -- The three formats ----------------------------------------------------------------------------

def _text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return NOT_STATED
    text = str(value).strip()
    return text if text else NOT_STATED


def formats_table(events: pd.DataFrame, actors: pd.DataFrame | None = None,
                  event_ids: tuple[str, ...] = FORMAT_EVENTS) -> pd.DataFrame:
    """One row per format: date, city, venue, level, chair and participants, as the data say.

    Empty fields read ``"not stated"``. With ``actors``, a chair given as an ``actor_id`` is
    replaced by the actor's name. Raises ``KeyError`` naming any event id not in ``events``.
    """
    indexed = events.set_index("event_id")
    unknown = [e for e in event_ids if e not in indexed.index]
    if unknown:
        raise KeyError(f"no such event(s) in events: {', '.join(unknown)}")
    names = {} if actors is None else dict(zip(actors["actor_id"], actors["name"], strict=True))
    rows = []
    for event_id in event_ids:
        event = indexed.loc[event_id]
        chair = _text(event.get("chair"))
        rows.append({
            "event_id": event_id,
            "format": FORMAT_NAMES.get(event_id, _text(event.get("format"))),
            "date": pd.Timestamp(event["date"]),
            "city": _text(event.get("city")),
            "venue": _text(event.get("venue")),
            "level": _text(event.get("level")),
            "chair": names.get(chair, chair),
            "participants": _text(event.get("participants")),
            STATES_COLUMN: _count(event.get(STATES_COLUMN)),
        })
    return pd.DataFrame(rows).set_index("event_id")


def _count(value) -> int | None:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return int(value)


#: The rows of the formats figure: (column of formats_table, heading).
FORMAT_FIELDS = (("participants", "Who took part"), ("level", "Level"),
                 ("venue", "Venue"), ("chair", "Chair"))


def formats_figure(events: pd.DataFrame, actors: pd.DataFrame | None = None,
                   event_ids: tuple[str, ...] = FORMAT_EVENTS) -> Figure:
    """The formats side by side as cards: a column per format, a row per field.

    Each card shows the data's own words; a field the data leave empty is drawn as a pale,
    italic "not stated" card, so the figure shows what the base document leaves open.
    If ``events`` has an ``n_states`` column, a first row draws those counts as grey bars.
    """
    table = formats_table(events, actors, event_ids)
    fields = FORMAT_FIELDS
    counts = table[STATES_COLUMN].dropna()
    if not counts.empty:
        fields = ((STATES_COLUMN, "States taking part"), *FORMAT_FIELDS)
    most = max(int(counts.max()), 1) if not counts.empty else 1
    heights = [ROW_HEIGHTS.get(field, 1.0) for field, _ in fields]
    tops = [HEADER_HEIGHT + sum(heights[:i]) for i in range(len(fields))]
    n_cols = len(table)
    with house_style():
        fig, ax = plt.subplots(figsize=(2.15 * n_cols + 1.0, 0.95 * (tops[-1] + heights[-1])))
        ax.set_xlim(-LABEL_WIDTH, n_cols)
        ax.set_ylim(0, tops[-1] + heights[-1])
        ax.invert_yaxis()
        ax.axis("off")
        fig.subplots_adjust(left=0.01, right=0.99, top=0.99, bottom=0.01)
        for x, (event_id, row) in enumerate(table.iterrows()):
            header = f"{_wrap(row['format'], 20)}\n{row['date']:%-d %B %Y}"
            ax.add_patch(plt.Rectangle((x + 0.03, 0.04), 0.94, HEADER_HEIGHT - 0.08,
                                       facecolor=CARD_HEADER, edgecolor="none",
                                       gid=f"header-{event_id}"))
            ax.text(x + 0.5, HEADER_HEIGHT / 2, header, ha="center", va="center", fontsize=10,
                    fontweight="bold")
            for (field, _heading), top, height in zip(fields, tops, heights, strict=True):
                if field == STATES_COLUMN:
                    _count_card(ax, x, top, height, row[field], most, event_id)
                    continue
                value = row[field]
                stated = value != NOT_STATED
                ax.add_patch(plt.Rectangle(
                    (x + 0.03, top + 0.04), 0.94, height - 0.08,
                    facecolor="#FFFFFF" if stated else CARD_MISSING,
                    edgecolor="#999999", linewidth=0.8, gid=f"card-{event_id}-{field}"))
                ax.text(x + 0.5, top + height / 2, _wrap(value, 25), ha="center", va="center",
                        fontsize=9.5, style="normal" if stated else "italic",
                        color="#000000" if stated else "#555555")
        for (_field, heading), top, height in zip(fields, tops, heights, strict=True):
            ax.text(-0.06, top + height / 2, _wrap(heading, 10), ha="right", va="center",
                    fontsize=10, fontweight="bold")
    plt.close(fig)
    return as_plain_text(fig)


#: Layout of the formats figure, in card units (a column is 1 wide).
HEADER_HEIGHT = 0.75
LABEL_WIDTH = 0.55
ROW_HEIGHTS = {"participants": 1.75, "level": 1.25, STATES_COLUMN: 0.7}


def _count_card(ax, x: float, top: float, height: float, count, most: int,
                event_id: str) -> None:
    """A card with a bar of length ``count`` out of ``most`` (grey: not a delegation's colour)."""
    ax.add_patch(plt.Rectangle((x + 0.03, top + 0.04), 0.94, height - 0.08, facecolor="#FFFFFF",
                               edgecolor="#999999", linewidth=0.8, gid=f"card-{event_id}-count"))
    middle = top + height / 2
    if count is None or pd.isna(count):
        ax.text(x + 0.5, middle, NOT_STATED, ha="center", va="center", fontsize=9.5,
                style="italic", color="#555555")
        return
    width = 0.7 * int(count) / most
    ax.add_patch(plt.Rectangle((x + 0.08, middle - height * 0.2), width, height * 0.4,
                               facecolor=OKABE_ITO["grey"], edgecolor="none",
                               gid=f"bar-{event_id}"))
    ax.text(x + 0.1 + width, middle, str(int(count)), ha="left", va="center", fontsize=9,
            fontweight="bold")


# -- Passages of the base document -----------------------------------------------------------------

def source_paragraphs(data, source_id: str = "base") -> pd.Series:
    """The paragraphs of a source's text, numbered from 1 as ``statements.paragraph`` counts them.

    Uses the dataset loader's own splitter, so a paragraph number here is the number the
    data's verbatim check uses.
    """
    from . import data as data_module

    return data_module.source_paragraphs(data, source_id)


def find_paragraph(data, phrase: str, source_id: str = "base") -> int:
    """The number of the one paragraph of a source that contains ``phrase`` (case-insensitive).

    Raises ``LookupError`` if no paragraph or more than one contains it, so a quote in a
    chapter cannot silently point at the wrong paragraph.
    """
    paragraphs = source_paragraphs(data, source_id)
    hits = paragraphs[paragraphs.str.contains(phrase, case=False, regex=False)]
    if len(hits) != 1:
        found = ", ".join(str(n) for n in hits.index) or "none"
        raise LookupError(f"{phrase!r} is in {len(hits)} paragraphs of {source_id!r} ({found})")
    return int(hits.index[0])


def closing_assessment(data, source_id: str = "base") -> tuple[int, str]:
    """The base document's closing assessment: the last paragraph whose role is ``commentary``.

    Returns ``(paragraph number, text)``. The paragraph is the author's, not a head of
    delegation's, so it is not a row of ``statements``.
    """
    roles = data.paragraphs
    rows = roles[(roles["source_id"] == source_id) & (roles["role"] == "commentary")]
    if rows.empty:
        raise ValueError(f"no paragraph of {source_id!r} has the role 'commentary'")
    number = int(rows["paragraph"].max())
    return number, source_paragraphs(data, source_id).loc[number]


def quote_html(text: str, speaker: str, paragraph: int, source: str = "base document") -> str:
    """A blockquote of ``text`` that names its speaker and source paragraph, all HTML-escaped."""
    return (
        '<blockquote class="geneva-quote">'
        f"<p>{html.escape(str(text))}</p>"
        f"<footer>— {html.escape(str(speaker))}, {html.escape(str(source))}, "
        f"paragraph {int(paragraph)}</footer>"
        "</blockquote>"
    )


def source_name(data, source_id: str) -> str:
    """How a quote names its source: "base document" for the base document, else the
    source's title (from ``sources``)."""
    sources = data.sources.set_index("source_id")
    if source_id not in sources.index:
        raise KeyError(f"no source {source_id!r}")
    if str(sources.loc[source_id, "kind"]) == "base_document":
        return "base document"
    return str(sources.loc[source_id, "title"])


def paragraph_quote_html(data, paragraph: int, source_id: str = "base") -> str:
    """:func:`quote_html` for a whole paragraph of a source in the author's voice (narration)."""
    return quote_html(source_paragraphs(data, source_id).loc[paragraph], AUTHOR, paragraph,
                      source_name(data, source_id))


def statement_quote_html(data, statement_id: str) -> str:
    """:func:`quote_html` for one row of ``statements``, with the speaker's name from ``actors``."""
    statements = data.statements.set_index("statement_id")
    if statement_id not in statements.index:
        raise KeyError(f"no statement {statement_id!r}")
    row = statements.loc[statement_id]
    names = dict(zip(data.actors["actor_id"], data.actors["name"], strict=True))
    speaker = names.get(row["speaker_id"], str(row["speaker_id"]))
    return quote_html(row["text"], f"{speaker} ({statement_id})", row["paragraph"],
                      source_name(data, row["source_id"]))


# -- Numbers in prose ----------------------------------------------------------------------------

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def number_word(n: int) -> str:
    """``n`` as prose writes it: a word below ten ("no", "one" ... "nine"), digits from ten up.

    Chapters glue this beside the number itself, for sentences such as "Ryabkov made one
    demand" that the data must still decide."""
    n = int(n)
    if n < 0:
        raise ValueError(f"no word for a negative count: {n}")
    return _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else str(n)


# -- The people and the dataset at a glance ----------------------------------------------------

def side_of(actor_id, actors: pd.DataFrame) -> str:
    """The state an actor serves: its affiliation followed up to an actor of kind ``state``
    (a delegation member's side is the delegation's state); ``not stated`` if none."""
    return state_of(actor_id, actors.set_index("actor_id")) or NOT_STATED


def people_table(actors: pd.DataFrame) -> pd.DataFrame:
    """The people in the dataset, ready to show: name, role, side (the state each serves),
    whether the base document names them, and the source that does."""
    people = actors[actors["kind"] == "person"]
    return pd.DataFrame({
        "Name": people["name"],
        "Role": people["role"],
        "Side": people["affiliation"].map(lambda a: side_of(a, actors)),
        "Named in the base document": people["in_base_document"].map({True: "yes", False: "no"}),
        "Source": people["source_id"],
    }).reset_index(drop=True)


def timeline_rows(events: pd.DataFrame) -> pd.DataFrame:
    """:func:`timeline` ready to show: ISO dates, yes/no for the base document, titled columns."""
    table = timeline(events)
    return pd.DataFrame({
        "Date": table["date"].dt.strftime("%Y-%m-%d"),
        "What": table["what"],
        "Where": table["where"],
        "In the base document": table["in_base_document"].map({True: "yes", False: "no"}),
        "Source": table["source_id"],
    })


def dataset_counts(data) -> dict[str, int]:
    """Counts for the chapters' prose: statements, events, actors, issues, sources and more."""
    events = data.events
    base_events = events["in_base_document"].astype(bool)
    statements = data.statements
    by_delegation = statements["delegation"].astype(str).value_counts()
    sources = data.sources
    return {
        "n_statements": len(statements),
        "n_statements_russia": int(by_delegation.get("Russia", 0)),
        "n_statements_us": int(by_delegation.get("United States", 0)),
        "n_events": len(events),
        "n_events_base": int(base_events.sum()),
        "n_events_context": int((~base_events).sum()),
        "n_actors": len(data.actors),
        "n_people": int((data.actors["kind"] == "person").sum()),
        "n_issues": len(data.issues),
        "n_positions": len(data.positions),
        "n_sources": len(sources),
        "n_outside_sources": int((~sources["in_base_document"].astype(bool)).sum()),
        "n_paragraphs": len(source_paragraphs(data)),
    }
