"""geneva_talks.meetings: the timeline, the formats, passages of the base document.

Unit tests use small made-up tables whose answers are known by reasoning; the invariants at
the end run on the real dataset.
"""

from __future__ import annotations

import html
import re
import types
from pathlib import Path

import matplotlib.colors as mcolors
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

import geneva_talks
from geneva_talks import meetings
from geneva_talks.figures import DELEGATION_COLOURS


def make_events(rows):
    columns = ["event_id", "date", "city", "venue", "format", "level", "chair", "participants",
               "in_base_document", "source_id"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


EVENTS = make_events([
    # Deliberately out of order, with a tie on 2022-01-10.
    ("after", "2022-02-01", None, None, "Later thing", None, None, "Someone", False, "web-2"),
    ("talks-b", "2022-01-10", "Geneva", "A mission", "Talks, part two", "Ministers", None,
     "Two sides", True, "base"),
    ("before", "2021-12-20", None, None, "Earlier thing", None, None, "Someone", False, "web-1"),
    ("talks-a", "2022-01-10", "Geneva", None, "Talks, part one", None, "chairland", "Two sides",
     True, "base"),
    ("council", "2022-01-12", "Brussels", None, "A council", "", None, "Many", True, "base"),
])

ACTORS = pd.DataFrame({
    "actor_id": ["chairland", "alice", "bob", "us"],
    "name": ["Chairland", "Alice A", "Bob B", "United States"],
    "kind": ["state", "person", "person", "state"],
    "affiliation": [None, "us", None, None],
    "role": ["", "Head of one side.", "Observer.", ""],
    "in_base_document": [True, True, False, True],
    "source_id": ["base", "base", "web-1", "base"],
})


def _colours(fig: Figure) -> set[str]:
    """Every face and edge colour drawn in ``fig`` (markers, patches, lines), as hex."""
    found = set()
    for ax in fig.axes:
        for coll in ax.collections:
            for rgba in list(coll.get_facecolors()) + list(coll.get_edgecolors()):
                found.add(mcolors.to_hex(rgba))
        for patch in ax.patches:
            found.add(mcolors.to_hex(patch.get_facecolor()))
            found.add(mcolors.to_hex(patch.get_edgecolor()))
        for line in ax.lines:
            found.add(mcolors.to_hex(line.get_color()))
    for legend in fig.legends:
        for handle in legend.legend_handles:
            for getter in ("get_markerfacecolor", "get_markeredgecolor", "get_facecolor"):
                if hasattr(handle, getter):
                    found.add(mcolors.to_hex(getattr(handle, getter)()))
    return {c.upper() for c in found}


def _markers_by_kind(fig: Figure, ax_index: int) -> dict[str, int]:
    counts = {}
    for coll in fig.axes[ax_index].collections:
        if isinstance(coll, PathCollection):
            counts[coll.get_gid()] = len(coll.get_offsets())
    return counts


# -- timeline -----------------------------------------------------------------------------------

def test_timeline_is_in_date_order_with_ties_by_id():
    table = meetings.timeline(EVENTS)
    assert table["event_id"].tolist() == ["before", "talks-a", "talks-b", "council", "after"]


def test_timeline_says_not_stated_for_a_missing_city_and_keeps_the_flag():
    table = meetings.timeline(EVENTS).set_index("event_id")
    assert table.loc["before", "where"] == meetings.NOT_STATED
    assert table.loc["council", "where"] == "Brussels"
    assert table["in_base_document"].tolist() == [False, True, True, True, False]


def test_timeline_rejects_an_event_without_a_date():
    broken = EVENTS.copy()
    broken.loc[0, "date"] = pd.NaT
    with pytest.raises(ValueError, match="after"):
        meetings.timeline(broken)


def test_talks_week_spans_the_base_document_events_only():
    start, end = meetings.talks_week(EVENTS)
    assert (start, end) == (pd.Timestamp("2022-01-10"), pd.Timestamp("2022-01-12"))


def test_talks_week_needs_a_base_document_event():
    with pytest.raises(ValueError, match="in_base_document"):
        meetings.talks_week(EVENTS.assign(in_base_document=False))


def test_timeline_figure_draws_every_event_once_overall_and_the_week_below():
    fig = meetings.timeline_figure(EVENTS)
    assert isinstance(fig, Figure)
    # Top panel: 3 base-document events (circles) and 2 context events (diamonds).
    assert _markers_by_kind(fig, 0) == {"kind-True": 3, "kind-False": 2}
    # Bottom panel: only the week of 10-12 January, which has no context event.
    assert _markers_by_kind(fig, 1) == {"kind-True": 3}


def test_timeline_figure_marks_kinds_by_shape_and_fill_in_its_legend():
    fig = meetings.timeline_figure(EVENTS)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert meetings.BASE_LABEL in labels and meetings.CONTEXT_LABEL in labels
    assert meetings.BASE_STYLE["marker"] != meetings.CONTEXT_STYLE["marker"]
    assert meetings.BASE_STYLE["facecolor"] != meetings.CONTEXT_STYLE["facecolor"]


# -- formats -------------------------------------------------------------------------------------

def test_formats_table_keeps_the_order_asked_and_marks_gaps():
    table = meetings.formats_table(EVENTS, ACTORS, event_ids=("council", "talks-a"))
    assert table.index.tolist() == ["council", "talks-a"]
    assert table.loc["council", "level"] == meetings.NOT_STATED  # empty string
    assert table.loc["talks-a", "venue"] == meetings.NOT_STATED  # missing
    assert table.loc["talks-a", "chair"] == "Chairland"  # actor id replaced by name
    assert table.loc["talks-a", "format"] == "Talks, part one"  # no short name: data's own


def test_formats_table_names_unknown_events():
    with pytest.raises(KeyError, match="nowhere"):
        meetings.formats_table(EVENTS, event_ids=("talks-a", "nowhere"))


def test_formats_figure_has_one_card_per_format_and_field():
    fig = meetings.formats_figure(EVENTS, ACTORS, event_ids=("talks-a", "talks-b", "council"))
    gids = [p.get_gid() for p in fig.axes[0].patches if isinstance(p, Rectangle)]
    cards = [g for g in gids if g and g.startswith("card-")]
    assert len(cards) == 3 * len(meetings.FORMAT_FIELDS)
    assert sum(1 for g in gids if g and g.startswith("header-")) == 3
    assert not any(g and g.startswith("bar-") for g in gids)  # no counts in these data


def test_formats_figure_draws_counts_as_bars_proportional_to_the_largest():
    events = EVENTS.assign(n_states=[None, 2, None, 2, 8])
    fig = meetings.formats_figure(events, ACTORS, event_ids=("talks-a", "council"))
    bars = {p.get_gid(): p.get_width() for p in fig.axes[0].patches
            if (p.get_gid() or "").startswith("bar-")}
    assert set(bars) == {"bar-talks-a", "bar-council"}
    assert bars["bar-council"] == pytest.approx(4 * bars["bar-talks-a"])


def test_no_delegation_colour_in_the_meeting_figures():
    delegation = {c.upper() for c in DELEGATION_COLOURS.values()}
    for fig in (meetings.timeline_figure(EVENTS),
                meetings.formats_figure(EVENTS.assign(n_states=[1, 2, 3, 4, 5]), ACTORS,
                                        event_ids=("talks-a", "council"))):
        assert not _colours(fig) & delegation


# -- quotes and people ----------------------------------------------------------------------------

def test_quote_html_escapes_text_and_names_speaker_and_paragraph():
    out = meetings.quote_html('<b onclick="x">Hi</b> & bye', "A <i>B</i>", 7)
    assert "<b onclick" not in out and "<i>B" not in out
    assert html.escape('<b onclick="x">Hi</b> & bye') in out
    assert "paragraph 7" in out and "A &lt;i&gt;B&lt;/i&gt;" in out


def test_side_follows_affiliations_up_to_a_state():
    actors = pd.DataFrame({
        "actor_id": ["us", "us-delegation", "carol", "loop-a", "loop-b"],
        "name": ["United States", "US delegation", "Carol C", "A", "B"],
        "kind": ["state", "delegation", "person", "group", "group"],
        "affiliation": [None, "us", "us-delegation", "loop-b", "loop-a"],
    })
    assert meetings.side_of("us-delegation", actors) == "United States"
    assert meetings.side_of("carol", actors) == "United States"
    assert meetings.side_of("loop-a", actors) == meetings.NOT_STATED
    assert meetings.side_of(None, actors) == meetings.NOT_STATED


def test_people_table_lists_persons_with_their_side():
    table = meetings.people_table(ACTORS)
    assert table["Name"].tolist() == ["Alice A", "Bob B"]
    assert table["Side"].tolist() == ["United States", meetings.NOT_STATED]
    assert table["Named in the base document"].tolist() == ["yes", "no"]


def test_timeline_rows_are_strings_in_date_order():
    rows = meetings.timeline_rows(EVENTS)
    assert rows["Date"].tolist() == ["2021-12-20", "2022-01-10", "2022-01-10", "2022-01-12",
                                     "2022-02-01"]
    assert rows["In the base document"].tolist() == ["no", "yes", "yes", "yes", "no"]


def test_closing_assessment_takes_the_last_commentary_paragraph(monkeypatch):
    fake = types.SimpleNamespace(paragraphs=pd.DataFrame({
        "source_id": ["base", "base", "base", "other"],
        "paragraph": [1, 2, 3, 9],
        "role": ["commentary", "statement", "commentary", "commentary"],
    }))
    texts = pd.Series(["one", "two", "three"], index=[1, 2, 3])
    monkeypatch.setattr(meetings, "source_paragraphs", lambda data, source_id="base": texts)
    assert meetings.closing_assessment(fake) == (3, "three")


def test_find_paragraph_needs_exactly_one_match(monkeypatch):
    texts = pd.Series(["Alpha beta.", "Gamma BETA delta.", "Epsilon."], index=[1, 2, 3])
    monkeypatch.setattr(meetings, "source_paragraphs", lambda data, source_id="base": texts)
    assert meetings.find_paragraph(None, "gamma beta") == 2
    with pytest.raises(LookupError, match="2 paragraphs"):
        meetings.find_paragraph(None, "beta")
    with pytest.raises(LookupError, match="none"):
        meetings.find_paragraph(None, "zeta")


# -- Invariants on the real dataset ---------------------------------------------------------------

@pytest.fixture(scope="module")
def data():
    return geneva_talks.load()


def test_real_timeline_is_sorted_and_base_events_fall_on_9_to_13_january(data):
    table = meetings.timeline(data.events)
    assert table["date"].is_monotonic_increasing
    base = table[table["in_base_document"]]
    assert set(base["event_id"]) >= set(meetings.FORMAT_EVENTS) | {"geneva-dinner"}
    assert base["date"].min() == pd.Timestamp("2022-01-09")
    assert base["date"].max() == pd.Timestamp("2022-01-13")


def test_real_context_events_are_flagged_and_cite_an_outside_source(data):
    table = meetings.timeline(data.events)
    start, end = meetings.talks_week(data.events)
    context = table[~table["in_base_document"]]
    assert len(context) >= 1
    assert ((context["date"] < start) | (context["date"] > end)).all()
    outside = set(data.sources.loc[~data.sources["in_base_document"].astype(bool), "source_id"])
    assert set(context["source_id"]) <= outside


def test_real_timeline_figure_has_one_marker_per_event(data):
    fig = meetings.timeline_figure(data.events)
    n_base = int(data.events["in_base_document"].astype(bool).sum())
    n_context = len(data.events) - n_base
    assert _markers_by_kind(fig, 0) == {"kind-True": n_base, "kind-False": n_context}
    assert _markers_by_kind(fig, 1) == {"kind-True": n_base}


def test_real_formats_table_has_the_three_meetings_in_order(data):
    table = meetings.formats_table(data.events, data.actors)
    assert table.index.tolist() == list(meetings.FORMAT_EVENTS)
    assert table["date"].is_monotonic_increasing
    assert table["city"].tolist() == ["Geneva", "Brussels", "Vienna"]


def test_source_paragraphs_agree_with_every_statement(data):
    paragraphs = meetings.source_paragraphs(data)
    assert paragraphs.index.min() == 1
    for row in data.statements.itertuples():
        assert " ".join(row.text.split()) in " ".join(paragraphs.loc[row.paragraph].split()), (
            row.statement_id)


def test_closing_assessment_is_the_last_paragraph_and_no_statement(data):
    number, text = meetings.closing_assessment(data)
    assert number == meetings.source_paragraphs(data).index.max()
    assert number not in set(data.statements["paragraph"])
    assert text.startswith("Probably")


def test_dataset_counts_add_up(data):
    counts = meetings.dataset_counts(data)
    assert counts["n_statements"] == counts["n_statements_russia"] + counts["n_statements_us"]
    assert counts["n_events"] == counts["n_events_base"] + counts["n_events_context"]
    assert counts["n_statements"] == len(data.statements)


def test_paragraph_quote_html_quotes_the_whole_paragraph_as_the_author(data):
    number, text = meetings.closing_assessment(data)
    out = meetings.paragraph_quote_html(data, number)
    assert html.escape(text) in out
    assert html.escape(meetings.AUTHOR) in out and f"paragraph {number}" in out


def test_statement_quote_html_names_the_speaker(data):
    first = data.statements.iloc[0]
    out = meetings.statement_quote_html(data, first["statement_id"])
    assert f"paragraph {int(first['paragraph'])}" in out
    assert first["statement_id"] in out


# -- The bibliography and the chapters' citations ----------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
CITE = re.compile(r"\{cite:[pt]\}`([^`]+)`")


def _bib_entries() -> dict:
    from pybtex.database import parse_file

    return parse_file(str(ROOT / "references.bib")).entries


def test_every_outside_source_has_a_bib_entry_under_its_id_with_its_url(data):
    entries = _bib_entries()
    outside = data.sources[~data.sources["in_base_document"].astype(bool)]
    assert len(outside) > 0
    for row in outside.itertuples():
        assert row.source_id in entries, f"sources.csv {row.source_id} has no references.bib entry"
        url = entries[row.source_id].fields.get("howpublished", "")
        assert row.url in url, f"{row.source_id}: references.bib gives another URL"


def test_every_citation_in_the_book_is_in_references_bib():
    keys = set(_bib_entries())
    pages = [*ROOT.glob("chapters/**/*.ipynb"), *ROOT.glob("chapters/**/*.md"), ROOT / "intro.md"]
    cited = set()
    for page in pages:
        for match in CITE.finditer(page.read_text(encoding="utf-8")):
            cited.update(k.strip() for k in match.group(1).split(","))
    assert cited, "no page cites anything"
    assert cited <= keys, f"cited but not in references.bib: {sorted(cited - keys)}"


def test_number_word_spells_small_counts_and_keeps_digits_from_ten():
    assert [meetings.number_word(n) for n in (0, 1, 2, 9, 10, 22)] == [
        "no", "one", "two", "nine", "10", "22"]
    with pytest.raises(ValueError, match="-1"):
        meetings.number_word(-1)
