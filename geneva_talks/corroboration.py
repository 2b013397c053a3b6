"""How far the records of the meetings bear out the base document (chapter 6).

Each statement was checked against its own side's record of the talks and, where one speaks
to the same point, against the other side's (``corroboration``). The verdicts run from
*confirmed* to *contradicted*; a statement's best verdict from its own side is the
strongest of them.
"""

from __future__ import annotations

import pandas as pd

from .display import categories, html_table, source_entry, speaker_phrase
from .figures import grouped_bars


def checks(data) -> pd.DataFrame:
    """One row per check: the statement (id, delegation, speaker), the record (id, side,
    publisher, kind), whether the record is the statement's own side's, the verdict, where
    in the record, and the note. In document order, own side first."""
    statements = data.statements[["statement_id", "speaker_id", "delegation"]].assign(
        order=range(len(data.statements)))
    records = data.records[["record_id", "side", "publisher", "kind"]].rename(
        columns={"side": "record_side"})
    table = data.corroboration.merge(statements, on="statement_id").merge(records, on="record_id")
    table["own_side"] = table["record_side"].astype(str) == table["delegation"].astype(str)
    table["speaker"] = table["speaker_id"].map(lambda a: speaker_phrase(data, a))
    table = table.sort_values(["order", "own_side", "record_id"], ascending=[True, False, True])
    return table[["statement_id", "delegation", "speaker", "record_id", "record_side",
                  "publisher", "kind", "own_side", "verdict", "locator",
                  "note"]].reset_index(drop=True)


def verdict_counts(data) -> pd.DataFrame:
    """Checks per verdict (rows, vocabulary order, zeros kept), against the statement's own
    side's records and against others' (columns)."""
    table = checks(data)
    where = table["own_side"].map({True: "own side's records", False: "other records"})
    counts = pd.crosstab(table["verdict"], where).reindex(
        index=categories(data.corroboration["verdict"]),
        columns=["own side's records", "other records"], fill_value=0)
    counts.index.name, counts.columns.name = "verdict", None
    return counts.astype("int64")


def best_verdicts(data) -> pd.DataFrame:
    """One row per statement (document order): its delegation and the strongest verdict of
    its own side's records (the vocabulary runs from strongest to weakest)."""
    table = checks(data)
    own = table[table["own_side"]].copy()
    own["rank"] = own["verdict"].cat.codes
    best = own.sort_values("rank").drop_duplicates("statement_id").set_index("statement_id")
    result = data.statements[["statement_id", "delegation"]].copy()
    result["best verdict"] = result["statement_id"].map(best["verdict"]).astype(
        data.corroboration["verdict"].dtype)
    return result.reset_index(drop=True)


def verdicts_figure(data):
    """Bars: statements by their best verdict from their own side's records, one colour per
    delegation; a verdict no statement got keeps its row."""
    best = best_verdicts(data)
    table = pd.crosstab(best["best verdict"], best["delegation"]).reindex(
        index=categories(data.corroboration["verdict"]),
        columns=categories(data.statements["delegation"]), fill_value=0)
    return grouped_bars(table, "Statements", "Bar chart of statements by the best verdict "
                                              "of their own side's records.")


def checks_html(data, statement_id: str) -> str:
    """The checks of one statement as a table: record, verdict, where, what it says."""
    table = checks(data)
    table = table[table["statement_id"] == statement_id].assign(
        record=lambda t: t["record_id"])
    return html_table(table, ["record", "verdict", "locator", "note"],
                      headers={"record": "Record", "verdict": "Verdict",
                               "locator": "Where", "note": "What the record says"},
                      cells={"record": lambda row: source_entry(data, row["record_id"])})


def records_html(data) -> str:
    """Every record, by meeting and side: the meeting (date and city), the side, the record
    (publisher, title as published, date, links to the original and the copy read), its
    kind and language."""
    events = data.events.set_index("event_id")
    records = data.records.assign(
        meeting=data.records["event_id"].map(
            lambda e: f"{events.loc[e, 'date']:%-d %b}, {events.loc[e, 'city']}"),
        event_order=data.records["event_id"].map(
            {e: i for i, e in enumerate(data.events["event_id"])}))
    records = records.sort_values(["event_order", "side", "date"], kind="stable")
    return html_table(records, ["meeting", "side", "record_id", "kind", "language"],
                      headers={"meeting": "Meeting", "side": "Side", "record_id": "Record",
                               "kind": "Kind", "language": "Language"},
                      cells={"record_id": lambda row: source_entry(data, row["record_id"])})
