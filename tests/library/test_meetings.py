"""The meetings: timeline, formats table with numbered notes, people, counts."""

from __future__ import annotations

import dataclasses
import re

import pytest

import geneva_talks
from geneva_talks import meetings


@pytest.fixture(scope="module")
def data():
    return geneva_talks.load()


def test_timeline_in_date_order_with_the_base_documents_week(data):
    table = meetings.timeline(data.events)
    assert table["date"].is_monotonic_increasing
    start, end = meetings.talks_week(data.events)
    base = table[table["in_base_document"]]
    assert (start, end) == (base["date"].min(), base["date"].max())
    assert f"{start:%Y-%m-%d}" == "2022-01-09"


def test_the_timelines_alt_text_lists_every_event_from_the_data(data):
    shown = meetings.timeline_figure(data.events)
    assert shown.alt.startswith(f"Timeline of {len(data.events)} events")
    for what in data.events["format"]:
        assert what in shown.alt


def test_formats_table_fills_in_cited_facts_with_numbered_notes(data):
    table = meetings.formats_table_html(data)
    assert table.count('<th scope="col">') == 1 + len(meetings.FORMAT_EVENTS)
    notes = re.findall(r"<li>(.*?)</li>", table.split('<ol class="geneva-notes">')[1])
    marks = {int(n) for group in re.findall(r"<sup>\[([\d, ]+)\]</sup>", table)
             for n in group.split(", ")}
    assert marks == set(range(1, len(notes) + 1)), "every note is cited, in order"
    assert "[tass-" not in table and "[state-" not in table  # no raw citation left


def test_formats_table_has_one_rule_for_every_cell(data):
    """Five rows of facts; a fact from an outside page (the chair of Brussels included) has
    its note; the base document's paragraphs are links; nothing is left as "(paragraph n)"."""
    table = meetings.formats_table_html(data)
    rows = re.findall(r"<tr><td>([^<]*)</td>", table)
    assert rows == ["Date", "Place", "Level", "Chair", "Who took part"]
    chair_row = table.split("<tr><td>Chair</td>")[1].split("</tr>")[0]
    brussels = re.findall(r"<td>(.*?)</td>", chair_row)[1]
    assert meetings.NOT_STATED not in brussels and "<sup>[" in brussels
    assert 'href="geneva-base:27"' in table and "(paragraph" not in table


def test_formats_table_refuses_an_unknown_event(data):
    with pytest.raises(KeyError, match="no-such-meeting"):
        meetings.formats_table_html(data, ("geneva-talks", "no-such-meeting"))


def test_people_table_gives_each_person_the_state_they_serve(data):
    people = meetings.people_table(data).set_index("Name")
    assert people.loc["Wendy Sherman", "Side"] == "United States"
    assert people.loc["Sergei Ryabkov", "Side"] == "Russia"
    assert set(people["In the base document"]) <= {"yes", "no"}


def test_dataset_counts_follow_the_data(data):
    counts = meetings.dataset_counts(data)
    assert counts["n_statements"] == counts["n_statements_russia"] + counts["n_statements_us"]
    fewer = dataclasses.replace(data, statements=data.statements.iloc[1:])
    assert meetings.dataset_counts(fewer)["n_statements"] == counts["n_statements"] - 1
