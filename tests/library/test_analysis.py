"""The comparisons behind chapters 2–4: cases made by swapping in hand-made positions (whose
answers follow from the rules in geneva_talks.analysis's docstring), then invariants on the
real data."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import geneva_talks
from geneva_talks import analysis


@pytest.fixture(scope="module")
def data():
    return geneva_talks.load()


def with_positions(data, rows) -> geneva_talks.Dataset:
    """``data`` with positions replaced by ``rows`` of (statement, issue, side, stance),
    typed as load() types them."""
    positions = pd.DataFrame(rows, columns=["statement_id", "issue_id", "side", "stance"])
    for column in ("issue_id", "side", "stance"):
        positions[column] = positions[column].astype(data.positions[column].dtype)
    positions["rationale"] = "a reason"
    return dataclasses.replace(data, positions=positions)


RU, US = ("S02", "Russia"), ("S20", "United States")  # a statement of each side


@pytest.mark.parametrize(("russia", "us", "expected"), [
    (["a"], ["a-if"], "common ground"),            # a condition still leans to A
    (["b", "neutral"], ["b"], "common ground"),    # a neutral remark does not undo a lean
    (["a"], ["b"], "opposed"),
    (["a-if"], ["b-if"], "opposed"),
    (["a"], ["neutral"], "one side leans"),
    (["neutral"], ["neutral"], "neither leans"),
    (["a", "b"], ["a", "b"], "opposed"),          # mixed delegations (the loader refuses
    (["a", "b"], ["a"], "opposed"),               # them, but the rule stands on its own)
    (["b"], [], "one side only"),
    ([], [], "no statement"),
])
def test_classification_rules(data, russia, us, expected):
    rows = [(RU[0] if i == 0 else "S03", "troops", RU[1], s) for i, s in enumerate(russia)]
    rows += [(US[0] if i == 0 else "S19", "troops", US[1], s) for i, s in enumerate(us)]
    rows.append(("S04", "enlargement", "Russia", "neutral"))  # every frame has a row
    classified = analysis.classify_issues(with_positions(data, rows)).set_index("issue_id")
    assert classified.loc["troops", "classification"] == expected


def test_a_reported_position_counts_for_the_side_it_reports(data):
    """S07: Sherman reports what both delegations confirmed: Russia's row is reported."""
    coded = analysis.coded_positions(data)
    s07 = coded[coded["statement_id"] == "S07"].set_index("side")
    assert s07.loc["Russia", "reported"] and not s07.loc["United States", "reported"]
    cells = analysis.side_cells(data).set_index(["issue_id", "side"])
    assert cells.loc[("nuclear-arms", "Russia"), "n_reported"] == \
        cells.loc[("nuclear-arms", "Russia"), "n_positions"]
    matrix = analysis.stance_matrix(data)
    assert matrix.loc["Nuclear arms", "Russia"].endswith("(reported by the other side)")


def test_the_matrix_says_no_statement_and_names_the_poles(data):
    matrix = analysis.stance_matrix(data)
    assert list(matrix.index) == data.issues["label"].tolist()
    assert list(matrix.columns) == ["Russia", "United States"]
    poles = data.issues.set_index("label")
    for issue, row in matrix.iterrows():
        for cell in row:
            assert cell.startswith((poles.loc[issue, "pole_a"], poles.loc[issue, "pole_b"],
                                    "neither pole", analysis.NO_STATEMENT)), cell
    assert (matrix == analysis.NO_STATEMENT).any().any()


def test_a_condition_is_shown_only_when_every_lean_is_conditional(data):
    rows = [("S03", "dialogue", "Russia", "a"), ("S17", "dialogue", "Russia", "a-if"),
            ("S16", "countermeasures", "Russia", "a-if")]
    matrix = analysis.stance_matrix(with_positions(data, rows))
    assert matrix.loc["Continuing the talks", "Russia"] == "continue the talks"
    assert matrix.loc["Military countermeasures", "Russia"].endswith("(on a condition)")


def test_every_position_is_in_exactly_one_cell(data):
    cells = analysis.side_cells(data)
    assert cells["n_positions"].sum() == len(data.positions)
    assert len(cells) == len(data.issues) * 2


def test_classes_are_counted_in_order_with_zeros(data):
    counts = analysis.class_counts(analysis.classify_issues(data))
    assert list(counts.index) == list(analysis.CLASSES)
    assert counts.sum() == len(data.issues)


def test_statements_of_a_delegation_in_document_order_with_their_coding(data):
    us = analysis.statements_of(data, "United States")
    assert us["statement_id"].tolist() == data.statements.loc[
        data.statements["delegation"] == "United States", "statement_id"].tolist()
    s19 = us.set_index("statement_id").loc["S19", "coding"]
    assert "(Russia, as reported)" in s19
    with pytest.raises(KeyError, match="unknown delegation 'USSR'"):
        analysis.statements_of(data, "USSR")


def test_speech_act_table_keeps_every_act_and_adds_up(data):
    table = analysis.speech_act_table(data)
    assert list(table.index) == data.vocabulary("statements", "speech_act")
    assert table.to_numpy().sum() == len(data.statements)
    assert (table.loc["affirmation"] >= 0).all()


def test_number_words_spell_small_counts_and_keep_digits_from_ten():
    from geneva_talks.prose import number_word

    assert [number_word(n) for n in (0, 1, 2, 9, 10, 22)] == [
        "no", "one", "two", "nine", "10", "22"]
    with pytest.raises(ValueError, match="-1"):
        number_word(-1)
