"""Agreement between coders: kappa and its Landis and Koch band, alpha, the book's two codings
and their disagreements, the confusion table, the coding sample and the live form."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from projects import ROOT

from geneva_talks import agreement

LABELS = ["a", "a-if", "neutral", "b-if", "b"]
#: Issues whose poles were reworded after the blind coding (methodology, "Two codings").
REWORDED_AFTER_THE_BLIND_CODING = {"nuclear-arms", "sanctions", "countermeasures"}


@pytest.mark.parametrize(("kappa", "band"), [
    (-0.30, "poor"), (-0.01, "poor"), (0.0, "slight"), (0.20, "slight"), (0.21, "fair"),
    (0.40, "fair"), (0.41, "moderate"), (0.60, "moderate"), (0.61, "substantial"),
    (0.80, "substantial"), (0.81, "almost perfect"), (1.0, "almost perfect"),
    (math.nan, "undefined"),
])
def test_landis_koch_bands(kappa, band):
    assert agreement.landis_koch_band(kappa) == band


def test_a_kappa_outside_minus_one_to_one_is_refused():
    with pytest.raises(ValueError, match="between -1 and 1"):
        agreement.landis_koch_band(1.2)


def test_kappa_matches_a_hand_computation():
    # observed 3/4; chance: P(a)=2/4*1/4 + P(b)=2/4*3/4 = 1/2; kappa = (3/4-1/2)/(1/2)
    reference = {("A", "x"): "a", ("B", "x"): "a", ("C", "x"): "b", ("D", "x"): "b"}
    coded = {("A", "x"): "a", ("B", "x"): "b", ("C", "x"): "b",
             ("D", "x"): "b"}
    found = agreement.agreement(reference, coded, LABELS)
    assert found.n == 4 and found.observed == pytest.approx(0.75)
    assert found.kappa == pytest.approx(0.5)
    assert found.band == "moderate"
    assert "0.50" in found.reading() and "moderate" in found.reading() and "75%" in found.reading()


def test_perfect_agreement_is_almost_perfect_and_pairs_left_uncoded_are_skipped():
    reference = {("A", "x"): "a", ("B", "x"): "b", ("C", "x"): "neutral"}
    coded = {("A", "x"): "a", ("B", "x"): "b", ("C", "x"): None}
    found = agreement.agreement(reference, coded, LABELS)
    assert (found.n, found.kappa, found.band) == (2, pytest.approx(1.0), "almost perfect")


def test_a_kappa_of_zero_reads_as_chance_not_as_slight_agreement():
    # A lazy coder who codes everything "a": observed 1/2, chance 1/2, kappa 0.
    reference = {("A", "x"): "a", ("B", "x"): "b", ("C", "x"): "a", ("D", "x"): "b"}
    found = agreement.agreement(reference, dict.fromkeys(reference, "a"), LABELS)
    assert found.kappa == pytest.approx(0.0)
    assert "no better than chance" in found.reading()
    assert "would call" not in found.reading()


def test_kappa_is_undefined_when_every_code_is_the_same():
    reference = {("A", "x"): "a", ("B", "x"): "a"}
    found = agreement.agreement(reference, dict(reference), LABELS)
    assert math.isnan(found.kappa) and found.band == "undefined"
    assert "undefined" in found.reading()


def test_bad_codings_are_refused_with_a_reason():
    reference = {("A", "x"): "a"}
    with pytest.raises(ValueError, match="'maybe' is not a stance"):
        agreement.agreement(reference, {("A", "x"): "maybe"}, LABELS)
    with pytest.raises(KeyError, match="not in the sample"):
        agreement.agreement(reference, {("Z", "x"): "a"}, LABELS)
    with pytest.raises(ValueError, match="no pair has been coded"):
        agreement.agreement(reference, {("A", "x"): None}, LABELS)


def test_confusion_table_has_every_stance_in_codebook_order_with_totals():
    reference = {("A", "x"): "a", ("B", "x"): "a", ("C", "x"): "b"}
    coded = {("A", "x"): "a", ("B", "x"): "b", ("C", "x"): "b"}
    table = agreement.confusion_table(reference, coded, LABELS)
    assert list(table.index) == [*LABELS, "total"]
    assert list(table.columns) == [*LABELS, "total"]
    assert table.loc["a", "a"] == 1 and table.loc["a", "b"] == 1
    assert table.loc["b", "b"] == 1
    assert table.loc["neutral"].sum() == 0  # an unused stance is still a row
    assert table.loc["total", "total"] == 3


# -- On the real data ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data():
    import geneva_talks

    return geneva_talks.load()


def test_the_sample_is_fixed_covers_every_stance_and_carries_the_reference(data):
    sample = agreement.coding_sample(data)
    assert sample.equals(agreement.coding_sample(data))
    own = data.positions.merge(data.statements[["statement_id", "delegation"]])
    own = own[own["side"].astype(str) == own["delegation"].astype(str)]
    assert set(sample["reference"]) == set(own["stance"].astype(str))
    assert sample["reference"].value_counts().max() <= agreement.PER_STANCE
    settled = own.astype({"stance": str, "issue_id": str}).set_index(
        ["statement_id", "issue_id"])["stance"]
    for row in sample.itertuples():
        assert settled.loc[(row.statement_id, row.issue_id)] == row.reference
        assert row.text and row.speaker and row.pole_a and row.pole_b and row.issue
    assert len(set(agreement.pairs(sample))) == len(sample)


def test_another_seed_draws_another_sample(data):
    first = agreement.pairs(agreement.coding_sample(data, seed=1))
    assert first != agreement.pairs(agreement.coding_sample(data, seed=2))


def test_the_two_codings_are_counted_unit_by_unit(data):
    """The reliability figures, recomputed here from codings.csv by hand."""
    codings = data.codings.astype(str)
    a = {tuple(r[1:4]): r[4] for r in codings[codings["coder"] == "A"][
        ["coder", "statement_id", "issue_id", "side", "stance"]].itertuples(index=False)}
    b = {tuple(r[1:4]): r[4] for r in codings[codings["coder"] == "B"][
        ["coder", "statement_id", "issue_id", "side", "stance"]].itertuples(index=False)}
    both = set(a) & set(b)
    found = agreement.reliability(data)
    stance, units = found.iloc[0], found.iloc[1]
    assert stance["units"] == len(both)
    assert stance["agreed"] == sum(a[k] == b[k] for k in both)
    assert units["units"] == len(set(a) | set(b))
    assert units["agreed"] == stance["agreed"]
    assert 0 < units["kappa"] < stance["kappa"] <= 1
    assert -1 <= units["alpha"] <= 1 and stance["band"] == agreement.landis_koch_band(
        stance["kappa"])


def test_krippendorff_alpha_matches_a_hand_computation():
    # Units (x,x) (y,y) (z,z) (z,x): 8 pairable values, x 3, y 2, z 3. Observed
    # disagreement: the z-x unit's two ordered pairs, 2/8. Expected: pairs of unlike values,
    # 2 * (3*2 + 3*3 + 2*3) / (8*7) = 42/56. alpha = 1 - (2/8) / (42/56) = 2/3.
    assert agreement.krippendorff_alpha(["x", "y", "z", "z"], ["x", "y", "z", "x"]) == \
        pytest.approx(2 / 3)
    assert math.isnan(agreement.krippendorff_alpha(["x", "x"], ["x", "x"]))


def test_every_disagreement_is_listed_with_how_it_was_settled(data):
    table = agreement.two_codings(data)
    differ = agreement.disagreements(data)
    assert len(differ) == (table["A"].fillna("") != table["B"].fillna("")).sum()
    assert differ["settled"].notna().all() and differ["rationale"].notna().all()
    kept = differ[differ["settled"] != "dropped"]
    positions = data.positions.astype(str).set_index(["statement_id", "issue_id", "side"])
    for row in kept.itertuples():
        assert positions.loc[(row.statement_id, row.issue_id, row.side), "stance"] == \
            row.settled


def test_the_live_form_computes_kappa_when_the_button_is_pressed(data):
    import ipywidgets as widgets

    sample = agreement.coding_sample(data).head(4)
    labels = agreement.stance_labels(data)
    form = agreement.coding_form(sample, labels)
    dropdowns = [w for w in form.children if isinstance(w, widgets.Dropdown)]
    button = next(w for w in form.children if isinstance(w, widgets.Button))
    assert len(dropdowns) == 4 and dropdowns[0].options[1:] == tuple(labels)
    for dropdown, stance in zip(dropdowns, sample["reference"], strict=True):
        dropdown.value = stance
    button.click()
    result = form.children[-1]
    shown = "".join(str(o["data"].get("text/html", "")) for o in result.outputs)
    assert "almost perfect" in shown or "undefined" in shown
    assert "<table" in shown  # the confusion table


def test_the_second_coder_was_given_the_statements_and_the_codebook_only(data):
    """coding/ keeps what coder B received: each statement as the data hold it, and a brief
    that names no statement (so it carries no worked example and no position)."""
    given = pd.read_csv(ROOT / "coding" / "second-coder-statements.csv", dtype=str)
    assert list(given.columns) == ["statement_id", "attributed_to", "text"]
    held = data.base_statements().set_index("statement_id")["text"].astype(str)
    assert dict(zip(given["statement_id"], given["text"], strict=True)) == held.to_dict()
    brief = (ROOT / "coding" / "second-coder-brief.md").read_text(encoding="utf-8")
    assert not re.search(r"\bS\d+\b", brief), "the brief names a statement"
    # Every pole stands in the brief as coder B read it, but those the methodology says
    # were reworded afterwards.
    for issue in data.issues.itertuples():
        if issue.issue_id not in REWORDED_AFTER_THE_BLIND_CODING:
            assert f"| {issue.pole_a} | {issue.pole_b} |" in brief, issue.issue_id
