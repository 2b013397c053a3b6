"""The statement explorer: filters, cards stored once, one box per combination, links."""

from __future__ import annotations

import dataclasses
import html
import itertools
import re

import ipywidgets as widgets
import pytest

import geneva_talks
from geneva_talks import explorer

MARKUP = "</SCRIPT><img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def data():
    return geneva_talks.load()


@pytest.fixture(scope="module")
def box(data):
    return explorer.statement_explorer(data)


def shown(box, d: int, i: int, a: int) -> widgets.Widget:
    """What the browser shows for dropdown indices (d, i, a)."""
    return box.children[1].children[d].children[i].children[a]


def test_filters_carry_the_full_vocabularies(data):
    delegation, issue, act = explorer.explorer_filters(data)
    assert delegation.labels == ["All delegations", "Russia", "United States"]
    assert issue.labels[1:] == data.issues["label"].tolist()
    assert act.labels[1:] == data.vocabulary("statements", "speech_act")


def test_every_combination_shows_exactly_its_statements(data, box):
    rows = explorer.statement_rows(data)
    filters = explorer.explorer_filters(data)
    cards = dict(zip(rows["card"], rows["statement_id"], strict=True))
    for (d, dv), (i, iv), (a, av) in itertools.product(
            *(enumerate(v for v, _ in f.options) for f in filters)):
        view = shown(box, d, i, a)
        expected = explorer.matching(rows, dv, iv, av)["statement_id"].tolist()
        if not expected:
            assert explorer.NO_MATCH in view.value
            continue
        assert [cards[c.value] for c in view.children[1:]] == expected
        assert view.children[0].value.count(f"{len(expected)} statement") == 1


def test_each_card_is_one_widget_shared_by_every_view(data, box):
    everything = shown(box, 0, 0, 0)
    firsts = {id(card) for card in everything.children[1:]}
    russia = shown(box, 1, 0, 0)
    assert {id(card) for card in russia.children[1:]} <= firsts


def test_each_dropdown_is_linked_to_every_stack_of_its_level(data, box):
    """As the notebook stores it: the embedded state holds a link from each dropdown's index
    to the selected index of every Stack at its level."""
    from ipywidgets.embed import embed_data

    state = embed_data(views=[box])["manager_state"]["state"]
    links = [m["state"] for m in state.values() if m["model_name"] == "LinkModel"]
    for depth, dropdown in enumerate(explorer.explorer_dropdowns(box)):
        stacks = _level(box, depth)
        targets = {link["target"][0] for link in links
                   if link["source"] == [f"IPY_MODEL_{dropdown.model_id}", "index"]}
        assert {f"IPY_MODEL_{s.model_id}" for s in stacks} <= targets, depth
        assert all(link["target"][1] == "selected_index" for link in links)


def _level(box, depth):
    level = [box.children[1]]
    for _ in range(depth):
        level = [child for stack in level for child in stack.children]
    return level


def test_cards_escape_the_data_and_say_whose_wording_it_is(data):
    statements = data.statements.copy()
    statements.loc[1, "text"] = MARKUP
    rows = explorer.statement_rows(dataclasses.replace(data, statements=statements))
    card = rows.loc[1, "card"]
    assert "<img" not in card and html.escape(MARKUP) in card
    assert "The base document's wording, under Sergei Ryabkov's name" in html.unescape(card)
    assert 'href="geneva-base:7"' in card


def test_a_card_lists_its_own_sides_stance_before_one_it_reports(data):
    # S07 (Sherman) gives the US stance on nuclear arms and reports Russia's.
    card = explorer.statement_rows(data).set_index("statement_id").loc["S07", "card"]
    items = re.findall(r"<li>(.*?)</li>", card)
    assert len(items) >= 2 and "as reported" not in items[0] and "as reported" in items[-1]
