"""Corroboration: each statement against the records, counted and shown."""

from __future__ import annotations

import dataclasses

import pytest

import geneva_talks
from geneva_talks import corroboration


@pytest.fixture(scope="module")
def data():
    return geneva_talks.load()


def test_checks_know_whose_record_it_is(data):
    checks = corroboration.checks(data)
    assert len(checks) == len(data.corroboration)
    s09 = checks[checks["statement_id"] == "S09"]
    assert s09["own_side"].tolist()[0]  # own side's first
    assert (s09.loc[s09["own_side"], "record_side"] == "United States").all()


def test_counts_add_up_and_keep_every_verdict(data):
    counts = corroboration.verdict_counts(data)
    assert list(counts.index) == data.vocabulary("corroboration", "verdict")
    assert counts.to_numpy().sum() == len(data.corroboration)


def test_a_statements_best_verdict_is_its_strongest_own_side_verdict(data):
    records = data.records.assign(side="United States")  # every record now the US side's
    rows = data.corroboration.copy()
    rows.loc[rows["statement_id"] == "S20", "verdict"] = "partly"
    first = rows.index[rows["statement_id"] == "S20"][0]
    rows.loc[first, "verdict"] = "confirmed"
    best = corroboration.best_verdicts(dataclasses.replace(data, records=records,
                                                           corroboration=rows))
    assert best.set_index("statement_id").loc["S20", "best verdict"] == "confirmed"
    assert best["statement_id"].tolist() == data.statements["statement_id"].tolist()


def test_the_figure_and_tables_come_from_the_data(data):
    shown = corroboration.verdicts_figure(data)
    assert shown.alt.startswith("Bar chart of statements by the best verdict")
    assert "Russia: confirmed" in shown.alt
    table = corroboration.checks_html(data, "S11")
    assert table.count("<tr>") == 1 + (data.corroboration["statement_id"] == "S11").sum()
    records = corroboration.records_html(data)
    assert records.count("<tr>") == 1 + len(data.records)
