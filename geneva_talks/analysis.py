"""The comparisons behind the delegation chapters and the issue chapter, in plain pandas.

Every function takes the loaded dataset (``geneva_talks.load()``) and returns a new
DataFrame; nothing here draws or prints. The rules that turn coded positions into
comparisons are stated once, here:

* **Stances.** Each position says which pole of an issue a side leans to: ``a`` or ``b``,
  ``a-if`` or ``b-if`` when the leaning depends on a condition, ``neutral`` when the
  statement addresses the issue without leaning (the codebook, in ``issues``).
* **A side's lean on an issue** (:func:`side_cells`): the pole its positions lean to
  (conditional stances included); *neither* when all its positions are neutral; missing
  when the base document gives that side no position on the issue, not even as reported
  by the other side. The loader refuses a side that leans to both poles.
* **Classification of an issue** (:func:`classify_issues`): *common ground* when both sides
  lean to the same pole; *opposed* when they lean to opposite poles; *one side leans* when
  one leans and the other is neutral; *neither leans* when both are neutral; *one side
  only* when the other side has no position; *no statement* when neither has.

No mean or distance is computed: a mean of one to four ordinal codes would claim a
precision the coding does not have. Counts and the positions themselves are shown instead.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .data import LEAN
from .display import categories, locators, speaker_names, stance_words

#: The classes of :func:`classify_issues`, in the order the book discusses them.
CLASSES = ("common ground", "opposed", "one side leans", "neither leans", "one side only",
           "no statement")
#: How a side with no position on an issue is shown.
NO_STATEMENT = "no statement in the base document"


def coded_positions(data) -> pd.DataFrame:
    """One row per position, with its statement, speaker, issue and stance in words.

    Columns: issue_id, issue, side, reported (the side is not the speaker's: the speaker
    reports it), statement_id, speaker, delegation, where, form, speech_act, stance,
    stance_words, lean, text, rationale. Sorted by issue (codebook order), side, and the
    statements' document order.
    """
    statements = data.statements.assign(order=range(len(data.statements)),
                                        speaker=lambda s: s["speaker_id"].astype(str).map(
                                            speaker_names(data)),
                                        where=lambda s: locators(data, s))
    issues = data.issues.rename(columns={"label": "issue"})
    table = (data.positions
             .merge(statements[["statement_id", "order", "speaker", "delegation", "where",
                                "form", "speech_act", "text"]], on="statement_id")
             .merge(issues[["issue_id", "issue", "pole_a", "pole_b"]], on="issue_id"))
    table["reported"] = table["side"].astype(str) != table["delegation"].astype(str)
    table["lean"] = table["stance"].astype(str).map(LEAN)
    # Few distinct (stance, issue) pairs however many positions: word each pair once.
    key = table["stance"].astype(str).str.cat(table["issue_id"].astype(str), sep="|")
    pairs = table.assign(key=key).drop_duplicates("key")
    words = {k: stance_words(s, a, b) for k, s, a, b in zip(
        pairs["key"], pairs["stance"], pairs["pole_a"], pairs["pole_b"], strict=True)}
    table["stance_words"] = key.map(words)
    table = table.sort_values(["issue_id", "side", "order"], kind="stable")
    return table[["issue_id", "issue", "side", "reported", "statement_id", "speaker",
                  "delegation", "where", "form", "speech_act", "stance", "stance_words", "lean",
                  "text", "rationale"]].reset_index(drop=True)


def side_cells(data) -> pd.DataFrame:
    """One row per (issue, side), every pair present, issues in codebook order.

    Columns: issue_id, issue, side, n_positions, n_reported (positions the other side
    reports), stances (the distinct stances, " / "-joined), lean ("A", "B", "neither", or
    missing when the side has no position).
    """
    coded = coded_positions(data)
    grouped = coded.groupby(["issue_id", "side"], observed=False)
    cells = pd.DataFrame({
        "n_positions": grouped.size(),
        "n_reported": grouped["reported"].sum(),
        "stances": grouped["stance"].agg(lambda s: " / ".join(map(str, s.unique()))),
        "lean": grouped["lean"].agg(_lean_of),
    }).reset_index()
    cells["n_reported"] = cells["n_reported"].astype("int64")
    cells.loc[cells["n_positions"] == 0, ["stances", "lean"]] = pd.NA
    labels = data.issues.set_index("issue_id")["label"].astype(str)
    cells.insert(1, "issue", cells["issue_id"].map(labels).astype(str))
    return cells


def _lean_of(leans: pd.Series):
    """A side's lean from its positions' leans: the pole, else "neither" (NA if none)."""
    poles = set(leans.unique()) - {"neither"}
    if not len(leans):
        return pd.NA
    return poles.pop() if len(poles) == 1 else ("neither" if not poles else "both")


def classify_issues(data) -> pd.DataFrame:
    """One row per issue (codebook order): each side's lean, and the classification (one
    of :data:`CLASSES`, by the rule in the module docstring).

    Columns: issue_id, issue, pole_a, pole_b, then ``lean: <side>`` and ``n: <side>`` for
    each side, and classification (an ordered categorical)."""
    cells = side_cells(data)
    wide = cells.pivot(index="issue_id", columns="side", values=["lean", "n_positions"])
    sides = categories(data.positions["side"])
    result = data.issues[["issue_id", "label", "pole_a", "pole_b"]].rename(
        columns={"label": "issue"}).set_index("issue_id")
    for side in sides:
        result[f"lean: {side}"] = wide["lean"][side]
        result[f"n: {side}"] = wide["n_positions"][side].astype("int64")
    result["classification"] = pd.Categorical(
        [_classify([result.loc[i, f"lean: {s}"] for s in sides]) for i in result.index],
        categories=CLASSES, ordered=True)
    return result.reset_index()


def _classify(leans: list) -> str:
    present = [lean for lean in leans if not pd.isna(lean)]
    if not present:
        return "no statement"
    if len(present) < len(leans):
        return "one side only"
    poles = {lean for lean in present if lean != "neither"}
    if len(poles) > 1 or "both" in poles:  # a side leaning both ways is a disagreement too
        return "opposed"
    if not poles:
        return "neither leans"
    return "common ground" if "neither" not in present else "one side leans"


def class_counts(classified: pd.DataFrame) -> pd.Series:
    """How many issues fall in each class (every class kept, in :data:`CLASSES` order)."""
    counts = classified["classification"].astype(str).value_counts()
    return counts.reindex(list(CLASSES), fill_value=0).astype("int64")


def stance_matrix(data) -> pd.DataFrame:
    """Issues (rows, by label, codebook order) by sides (columns): what each side's
    positions lean to, in the codebook's words; "reported by the other side" where all of
    them are; :data:`NO_STATEMENT` where there is none."""
    cells = side_cells(data).merge(data.issues[["issue_id", "pole_a", "pole_b"]], on="issue_id")

    def words(row) -> str:
        if pd.isna(row["lean"]):
            return NO_STATEMENT
        text = {"A": row["pole_a"], "B": row["pole_b"], "neither": "neither pole"}[row["lean"]]
        leaning = [st for st in str(row["stances"]).split(" / ") if st != "neutral"]
        if leaning and all(st.endswith("-if") for st in leaning):
            text += " (on a condition)"
        if row["n_reported"] == row["n_positions"]:
            text += " (reported by the other side)"
        return text

    cells["cell"] = cells.apply(words, axis=1)
    matrix = cells.pivot(index="issue", columns="side", values="cell")
    return matrix.reindex(index=data.issues["label"].astype(str),
                          columns=categories(data.positions["side"]))


def lean_matrix(data) -> pd.DataFrame:
    """The same shape as :func:`stance_matrix`: each side's lean ("A", "B", "neither", or
    missing), for the table's tints."""
    cells = side_cells(data)
    matrix = cells.pivot(index="issue", columns="side", values="lean")
    return matrix.reindex(index=data.issues["label"].astype(str),
                          columns=categories(data.positions["side"]))


def reported_mark(side: str, reported: bool) -> str:
    """How a position that a statement reports for the other side is marked, after its
    stance words: " (Russia, as reported)"; nothing for the speaker's own side."""
    return f" ({side}, as reported)" if reported else ""


def codings(coded: pd.DataFrame) -> pd.Series:
    """Per statement id, its coding in words ("issue: stance words", "; "-joined): the
    speaker's own side first, in codebook order, then the positions it reports for the
    other side, marked by :func:`reported_mark`. ``coded`` is :func:`coded_positions`."""
    coded = coded.sort_values("reported", kind="stable")
    marks = [reported_mark(side, reported) for side, reported in
             zip(coded["side"].astype(str), coded["reported"], strict=True)]
    return _joined_by_statement(coded.assign(
        item=coded["issue"].astype(str) + ": " + coded["stance_words"].astype(str) + marks))


def statements_of(data, delegation: str) -> pd.DataFrame:
    """Every statement of ``delegation``, in document order, with how it was coded.

    Columns: statement_id, speaker, where, form, speech_act, text, coding (see
    :func:`codings`)."""
    if delegation not in categories(data.statements["delegation"]):
        raise KeyError(f"unknown delegation {delegation!r}")
    mine = data.statements[data.statements["delegation"].astype(str) == delegation]
    coding = codings(coded_positions(data))
    table = mine.assign(speaker=mine["speaker_id"].astype(str).map(speaker_names(data)),
                        where=locators(data, mine),
                        coding=mine["statement_id"].map(coding).fillna(""))
    return table[["statement_id", "speaker", "where", "form", "speech_act", "text",
                  "coding"]].reset_index(drop=True)


def _joined_by_statement(coded: pd.DataFrame) -> pd.Series:
    """Each statement's items, "; "-joined in the order of ``coded`` (one pass, no
    per-group pandas call: fast at any number of statements)."""
    ids = coded["statement_id"].astype(str).to_numpy()
    order = np.argsort(ids, kind="stable")
    ids, items = ids[order], coded["item"].to_numpy()[order].tolist()
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]) if len(ids) else np.array([], int)
    ends = np.r_[starts[1:], len(ids)]
    return pd.Series(["; ".join(items[s:e]) for s, e in zip(starts, ends, strict=True)],
                     index=ids[starts], dtype=object)


def speech_act_table(data) -> pd.DataFrame:
    """Statements per speech act (rows, vocabulary order) and delegation (columns)."""
    table = pd.crosstab(data.statements["speech_act"], data.statements["delegation"],
                        dropna=False)
    table = table.reindex(index=categories(data.statements["speech_act"]),
                          columns=categories(data.statements["delegation"]), fill_value=0)
    table.index.name, table.columns.name = "speech act", "delegation"
    return table.astype("int64")
