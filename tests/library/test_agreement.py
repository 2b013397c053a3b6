"""Agreement with the reference coding: kappa, its Landis and Koch band, the confusion table,
the coding sample and the live form."""

from __future__ import annotations

import math

import pytest

from geneva_talks import agreement

LABELS = ["for", "conditional", "neutral", "against"]


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
    # observed 3/4; chance: P(for)=2/4*1/4 + P(against)=2/4*3/4 = 1/2; kappa = (3/4-1/2)/(1/2)
    reference = {("A", "x"): "for", ("B", "x"): "for", ("C", "x"): "against", ("D", "x"): "against"}
    coded = {("A", "x"): "for", ("B", "x"): "against", ("C", "x"): "against",
             ("D", "x"): "against"}
    found = agreement.agreement(reference, coded, LABELS)
    assert found.n == 4 and found.observed == pytest.approx(0.75)
    assert found.kappa == pytest.approx(0.5)
    assert found.band == "moderate"
    assert "0.50" in found.reading() and "moderate" in found.reading() and "75%" in found.reading()


def test_perfect_agreement_is_almost_perfect_and_pairs_left_uncoded_are_skipped():
    reference = {("A", "x"): "for", ("B", "x"): "against", ("C", "x"): "neutral"}
    coded = {("A", "x"): "for", ("B", "x"): "against", ("C", "x"): None}
    found = agreement.agreement(reference, coded, LABELS)
    assert (found.n, found.kappa, found.band) == (2, pytest.approx(1.0), "almost perfect")


def test_kappa_is_undefined_when_every_code_is_the_same():
    reference = {("A", "x"): "for", ("B", "x"): "for"}
    found = agreement.agreement(reference, dict(reference), LABELS)
    assert math.isnan(found.kappa) and found.band == "undefined"
    assert "undefined" in found.reading()


def test_bad_codings_are_refused_with_a_reason():
    reference = {("A", "x"): "for"}
    with pytest.raises(ValueError, match="'maybe' is not a stance"):
        agreement.agreement(reference, {("A", "x"): "maybe"}, LABELS)
    with pytest.raises(KeyError, match="not in the sample"):
        agreement.agreement(reference, {("Z", "x"): "for"}, LABELS)
    with pytest.raises(ValueError, match="no pair has been coded"):
        agreement.agreement(reference, {("A", "x"): None}, LABELS)


def test_confusion_table_has_every_stance_in_codebook_order_with_totals():
    reference = {("A", "x"): "for", ("B", "x"): "for", ("C", "x"): "against"}
    coded = {("A", "x"): "for", ("B", "x"): "against", ("C", "x"): "against"}
    table = agreement.confusion_table(reference, coded, LABELS)
    assert list(table.index) == [*LABELS, "total"]
    assert list(table.columns) == [*LABELS, "total"]
    assert table.loc["for", "for"] == 1 and table.loc["for", "against"] == 1
    assert table.loc["against", "against"] == 1
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
    assert set(sample["reference"]) == set(data.positions["stance"].astype(str))
    counts = sample["reference"].value_counts()
    assert counts.max() <= agreement.PER_STANCE
    positions = data.positions.astype({"stance": str}).set_index(["statement_id", "issue_id"])
    for row in sample.itertuples():
        assert positions.loc[(row.statement_id, row.issue_id), "stance"] == row.reference
        assert row.text and row.speaker and row.proposition and row.issue
    assert len(set(agreement.pairs(sample))) == len(sample)


def test_another_seed_draws_another_sample(data):
    first = agreement.pairs(agreement.coding_sample(data, seed=1))
    assert first != agreement.pairs(agreement.coding_sample(data, seed=2))


def test_the_live_form_computes_kappa_when_the_button_is_pressed(data):
    sample = agreement.coding_sample(data).head(4)
    labels = agreement.stance_labels(data)
    form = agreement.coding_form(sample, labels)
    dropdowns = list(form._geneva_dropdowns.values())
    assert len(dropdowns) == 4 and dropdowns[0].options[1:] == tuple(labels)
    for dropdown, stance in zip(dropdowns, sample["reference"], strict=True):
        dropdown.value = stance
    form._geneva_compute()
    result = form.children[-1]
    shown = "".join(str(o["data"].get("text/html", "")) for o in result.outputs)
    assert "almost perfect" in shown or "undefined" in shown
    assert "<table" in shown  # the confusion table
