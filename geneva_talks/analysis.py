"""Tables and comparisons behind the delegation chapters and the issue-by-issue chapter.

Every function takes the loaded dataset (``geneva_talks.load()``, or anything with the
same DataFrame attributes: ``statements``, ``positions``, ``issues``, ``actors``) and
returns a new DataFrame or Series; nothing here draws or prints. All of it is
vectorised pandas: the cost grows linearly with the number of statements.

The rules that turn coded positions into comparisons are stated once, here:

* **A delegation's stance on an issue** (:func:`stance_cells`) is the stance of its
  positions on that issue when they all agree; when they differ, the cell is *mixed* and
  its label lists the distinct stances in vocabulary order (``"for / conditional"``);
  when the delegation has no position on the issue, the cell is missing (not raised).
* **Distance** between the delegations on an issue (:func:`classify_issues`) is on the
  ordinal scale for = 0, conditional = 1, neutral = 2, against = 3: the absolute
  difference between the two delegations' mean ranks over their positions. It runs from
  0 (the same stance) to 3 (for against against), and is missing unless both spoke.
* **Lean** of a delegation on an issue: for and conditional lean *for* the proposition,
  against leans *against* it, neutral takes no side. A delegation leans the way its
  non-neutral positions lean; *neither* if all its positions are neutral; *mixed* if
  some lean for and some against. (A neutral remark beside a clear stance does not
  undo that stance.)
* **Classification** of an issue. *Common ground*: both delegations took positions and
  lean the same way (both for, both against, or both neither). *Open disagreement*: both
  took positions and lean differently (including one side taking a side and the other
  none, and a mixed side). *Raised by one side only*: one delegation took no position.
  *Not raised*: neither did.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

import pandas as pd

#: The stance vocabulary in ordinal order (the rank of a stance is its index here).
STANCES: tuple[str, ...] = ("for", "conditional", "neutral", "against")
#: Label of a cell whose positions take more than one stance.
MIXED = "mixed"
#: Which way each stance leans toward the issue's proposition.
LEAN = {"for": "for", "conditional": "for", "neutral": "neither", "against": "against"}
#: The closed set of issue classifications, in the order the book discusses them.
CLASSES: tuple[str, ...] = (
    "common ground",
    "open disagreement",
    "raised by one side only",
    "not raised",
)
#: Column headings for quote tables (see :func:`quotes_html`).
QUOTE_HEADERS = {
    "statement_id": "Statement",
    "speaker": "Speaker",
    "delegation": "Delegation",
    "paragraph": "¶",
    "speech_act": "Speech act",
    "issue": "Issue",
    "issues": "Issues",
    "stance": "Stance",
    "coding": "Issues (stance)",
    "text": "What was said (verbatim)",
    "rationale": "Why it was coded so",
    "issue_label": "Issue",
}


# -- helpers ------------------------------------------------------------------------------


def delegations(data) -> list[str]:
    """The delegations in the dataset's vocabulary order (categories if categorical)."""
    column = data.statements["delegation"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        return [str(c) for c in column.cat.categories]
    return sorted(column.dropna().astype(str).unique())


def speech_acts(data) -> list[str]:
    """The speech-act vocabulary, in its declared order (categories if categorical)."""
    column = data.statements["speech_act"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        return [str(c) for c in column.cat.categories]
    return sorted(column.dropna().astype(str).unique())


def _issue_order(data) -> pd.DataFrame:
    """issue_id and label in codebook order (the ``order`` column if there is one)."""
    issues = data.issues
    if "order" in issues.columns:
        issues = issues.sort_values("order", kind="stable")
    return issues[["issue_id", "label"]].reset_index(drop=True).astype({"issue_id": str,
                                                                         "label": str})


def _stance_rank(stance: pd.Series) -> pd.Series:
    """The ordinal rank (0 = for ... 3 = against) of each stance; unknown values raise."""
    values = stance.astype(str)
    unknown = sorted(set(values) - set(STANCES))
    if unknown:
        raise ValueError(f"unknown stance(s) {unknown}; expected one of {list(STANCES)}")
    return values.map({s: i for i, s in enumerate(STANCES)}).astype("int64")


def _speakers(data) -> pd.Series:
    """actor_id -> display name."""
    actors = data.actors
    return pd.Series(actors["name"].astype(str).to_numpy(),
                     index=actors["actor_id"].astype(str).to_numpy())


def _check_delegation(data, delegation: str) -> None:
    known = delegations(data)
    if delegation not in known:
        raise KeyError(f"unknown delegation {delegation!r} (known: {', '.join(known)})")


# -- positions joined with what was said ----------------------------------------------------


def coded_positions(data) -> pd.DataFrame:
    """One row per coded position, with the statement, its speaker and the issue label.

    Sorted by issue (codebook order), delegation, paragraph and statement id: this is the
    long table of quotes behind every cell of the stance matrix.
    """
    issues = _issue_order(data)
    issues["issue_order"] = range(len(issues))
    statements = data.statements.astype({"statement_id": str})
    positions = data.positions.astype({"statement_id": str, "issue_id": str})
    table = positions.merge(statements, on="statement_id", how="inner", validate="many_to_one")
    table = table.merge(issues.rename(columns={"label": "issue"}), on="issue_id", how="inner",
                        validate="many_to_one")
    table["speaker"] = table["speaker_id"].astype(str).map(_speakers(data))
    table["stance_rank"] = _stance_rank(table["stance"])
    table["stance"] = pd.Categorical(table["stance"].astype(str), categories=STANCES,
                                     ordered=True)
    table = table.sort_values(["issue_order", "delegation", "paragraph", "statement_id"],
                              kind="stable").reset_index(drop=True)
    columns = ["issue_id", "issue", "delegation", "statement_id", "speaker", "speaker_id",
               "paragraph", "speech_act", "stance", "stance_rank", "text"]
    extra = [c for c in ("rationale",) if c in table.columns]
    return table[columns + extra]


def quotes_behind(data, issue_id: str, delegation: str | None = None) -> pd.DataFrame:
    """The coded positions behind one issue (and optionally one delegation)."""
    known = set(data.issues["issue_id"].astype(str))
    if issue_id not in known:
        raise KeyError(f"unknown issue {issue_id!r}")
    table = coded_positions(data)
    keep = table["issue_id"] == issue_id
    if delegation is not None:
        _check_delegation(data, delegation)
        keep &= table["delegation"].astype(str) == delegation
    return table[keep].reset_index(drop=True)


def statements_of(data, delegation: str) -> pd.DataFrame:
    """Every statement of ``delegation``, once each, in source order, with what it was coded as.

    Columns: statement_id, speaker, paragraph, speech_act, text, and ``issues`` (the labels
    of the issues it was coded against, in codebook order, joined by "; "), ``coding``
    (the same with each stance: "NATO enlargement: for") and ``n_issues``. A statement
    coded against no issue keeps empty strings there.
    """
    _check_delegation(data, delegation)
    statements = data.statements[data.statements["delegation"].astype(str) == delegation]
    statements = statements.astype({"statement_id": str}).sort_values(
        ["paragraph", "statement_id"], kind="stable")
    coded = coded_positions(data)
    coded = coded[coded["delegation"].astype(str) == delegation]
    coded = coded.assign(coding=coded["issue"] + ": " + coded["stance"].astype(str))
    # coded_positions is already in codebook order, so the joins below follow it.
    grouped = coded.groupby("statement_id", sort=False)
    summary = pd.DataFrame({
        "issues": grouped["issue"].agg("; ".join),
        "coding": grouped["coding"].agg("; ".join),
        "n_issues": grouped.size(),
    })
    table = statements.merge(summary, left_on="statement_id", right_index=True, how="left")
    table["issues"] = table["issues"].fillna("")
    table["coding"] = table["coding"].fillna("")
    table["n_issues"] = table["n_issues"].fillna(0).astype("int64")
    table["speaker"] = table["speaker_id"].astype(str).map(_speakers(data))
    columns = ["statement_id", "speaker", "speaker_id", "delegation", "event_id", "paragraph",
               "speech_act", "text", "issues", "coding", "n_issues"]
    return table[columns].reset_index(drop=True)


# -- counts -------------------------------------------------------------------------------


def by_speech_act(data, delegation: str) -> pd.Series:
    """How many statements of ``delegation`` fall under each speech act (vocabulary order,
    zeros kept)."""
    _check_delegation(data, delegation)
    acts = speech_acts(data)
    mine = data.statements.loc[data.statements["delegation"].astype(str) == delegation,
                               "speech_act"].astype(str)
    counts = mine.value_counts().reindex(acts, fill_value=0).astype("int64")
    counts.index.name = "speech_act"
    counts.name = delegation
    return counts


def speech_act_table(data) -> pd.DataFrame:
    """Statements per speech act (rows, vocabulary order) and delegation (columns); zeros kept."""
    return pd.concat([by_speech_act(data, d) for d in delegations(data)], axis=1)


def issue_counts(data, delegation: str) -> pd.DataFrame:
    """Per issue (codebook order): how many of ``delegation``'s statements were coded on it,
    and with which stances; issues it never raised keep a count of 0."""
    _check_delegation(data, delegation)
    cells = stance_cells(data)
    cells = cells[cells["delegation"] == delegation]
    return cells[["issue_id", "issue", "n_statements", "stance"]].reset_index(drop=True)


def themes_by_speech_act(data, delegation: str) -> pd.DataFrame:
    """Where each of ``delegation``'s statements sits: issues (rows, codebook order, only
    those it raised) by speech acts (columns, vocabulary order, only those it used).

    A cell lists the statements as "S05 (¶10)", joined by ", "; empty when there are none.
    A statement coded against two issues appears in both rows.
    """
    _check_delegation(data, delegation)
    coded = coded_positions(data)
    coded = coded[coded["delegation"].astype(str) == delegation]
    coded = coded.assign(ref=coded["statement_id"] + " (¶" + coded["paragraph"].astype(str)
                         + ")", speech_act=coded["speech_act"].astype(str))
    acts = [a for a in speech_acts(data) if a in set(coded["speech_act"])]
    grid = coded.pivot_table(index="issue", columns="speech_act", values="ref",
                             aggfunc=", ".join, sort=False)
    issues = coded["issue"].drop_duplicates()  # already in codebook order
    grid = grid.reindex(index=issues, columns=acts).fillna("")
    grid.columns.name = None
    return grid


# -- the stance matrix --------------------------------------------------------------------


def stance_cells(data) -> pd.DataFrame:
    """One row per (issue, delegation), every pair present, issues in codebook order.

    Columns: issue_id, issue (label), delegation, n_statements, stance (the agreed stance,
    "for / against"-style list when mixed, missing when not raised), mixed (bool),
    mean_rank (mean ordinal rank of the positions, 0 = for ... 3 = against), and lean
    ("for", "against", "neither" or "mixed", by the rule in the module docstring;
    missing when not raised).
    """
    issues = _issue_order(data)
    dels = delegations(data)
    coded = coded_positions(data)
    lean = coded["stance"].astype(str).map(LEAN)
    coded = coded.assign(delegation=coded["delegation"].astype(str),
                         side=lean.where(lean != "neither"))
    keys = ["issue_id", "delegation"]
    grouped = coded.groupby(keys, sort=False)
    distinct = (coded.drop_duplicates(keys + ["stance_rank"])
                .sort_values(keys + ["stance_rank"], kind="stable"))
    cells = pd.DataFrame({
        "n_statements": grouped["statement_id"].nunique(),
        "mean_rank": grouped["stance_rank"].mean(),
        "n_stances": grouped["stance_rank"].nunique(),
        "n_sides": grouped["side"].nunique(),
        "side": grouped["side"].first(),
        "stance": distinct.groupby(keys, sort=False)["stance"].agg(
            lambda s: " / ".join(s.astype(str))),
    })
    full = pd.MultiIndex.from_product([issues["issue_id"], dels], names=keys)
    cells = cells.reindex(full).reset_index()
    cells["n_statements"] = cells["n_statements"].fillna(0).astype("int64")
    cells["mixed"] = cells["n_stances"].fillna(0) > 1
    n_sides = cells["n_sides"].fillna(0)
    cells["lean"] = cells["side"].where(n_sides == 1, MIXED).where(n_sides > 0, "neither")
    cells["lean"] = cells["lean"].where(cells["n_statements"] > 0)
    cells["stance"] = cells["stance"].astype("string")
    cells["lean"] = cells["lean"].astype("string")
    cells = cells.merge(issues.rename(columns={"label": "issue"}), on="issue_id", how="left")
    return cells[["issue_id", "issue", "delegation", "n_statements", "stance", "mixed",
                  "mean_rank", "lean"]]


def stance_matrix(data, index: str = "issue_id") -> pd.DataFrame:
    """Issues (rows, codebook order) by delegations (columns): each cell's stance label.

    A cell holds one stance when all of the delegation's positions on the issue agree,
    the distinct stances joined by " / " when they differ, and <NA> when the delegation
    took no position on it. ``index`` is "issue_id" or "label".
    """
    if index not in ("issue_id", "label"):
        raise ValueError("index must be 'issue_id' or 'label'")
    cells = stance_cells(data)
    row = "issue_id" if index == "issue_id" else "issue"
    matrix = cells.pivot(index=row, columns="delegation", values="stance")
    matrix = matrix.reindex(index=cells[row].drop_duplicates(), columns=delegations(data))
    matrix.index.name = "issue_id" if index == "issue_id" else "issue"
    matrix.columns.name = "delegation"
    return matrix


def classify_issues(data) -> pd.DataFrame:
    """One row per issue (codebook order): each delegation's stance, the distance between
    them, and the classification (one of :data:`CLASSES`; rules in the module docstring).

    Columns: issue_id, issue, then ``stance: <delegation>`` and ``n: <delegation>`` for
    each delegation, distance, classification (ordered categorical).
    """
    cells = stance_cells(data)
    dels = delegations(data)
    wide = cells.pivot(index="issue_id", columns="delegation",
                       values=["stance", "n_statements", "mean_rank", "lean"])
    order = cells["issue_id"].drop_duplicates()
    wide = wide.reindex(order)
    spoke = wide["n_statements"][dels].gt(0)
    n_spoke = spoke.sum(axis=1)
    leans = wide["lean"][dels]
    same_lean = leans.nunique(axis=1, dropna=True).eq(1) & leans.ne(MIXED).all(axis=1)
    ranks = wide["mean_rank"][dels].astype("float64")
    distance = (ranks.max(axis=1) - ranks.min(axis=1)).where(n_spoke == len(dels))
    label = pd.Series(CLASSES[1], index=wide.index)
    label = label.mask(same_lean & (n_spoke == len(dels)), CLASSES[0])
    label = label.mask((n_spoke > 0) & (n_spoke < len(dels)), CLASSES[2])
    label = label.mask(n_spoke == 0, CLASSES[3])
    result = pd.DataFrame({"issue_id": wide.index})
    labels = cells.drop_duplicates("issue_id").set_index("issue_id")["issue"]
    result["issue"] = labels.reindex(wide.index).to_numpy()
    for d in dels:
        result[f"stance: {d}"] = wide["stance"][d].to_numpy()
        result[f"n: {d}"] = wide["n_statements"][d].astype("int64").to_numpy()
    result["distance"] = distance.to_numpy()
    result["classification"] = pd.Categorical(label.to_numpy(), categories=CLASSES,
                                              ordered=True)
    return result


def extremes(classified: pd.DataFrame) -> dict[str, list[str]]:
    """The issues on which the delegations came closest and furthest apart.

    Among issues both sides spoke on (distance not missing): {"closest": [...],
    "furthest": [...]} as issue ids, all ties kept, in codebook order; empty lists when
    no issue was raised by both.
    """
    both = classified.dropna(subset=["distance"])
    if both.empty:
        return {"closest": [], "furthest": []}
    low, high = both["distance"].min(), both["distance"].max()
    return {
        "closest": both.loc[both["distance"] == low, "issue_id"].tolist(),
        "furthest": both.loc[both["distance"] == high, "issue_id"].tolist(),
    }


def class_counts(classified: pd.DataFrame) -> pd.Series:
    """How many issues fall in each class (all classes kept, in :data:`CLASSES` order)."""
    counts = classified["classification"].astype(str).value_counts()
    return counts.reindex(list(CLASSES), fill_value=0).astype("int64")


# -- rendering quotes safely --------------------------------------------------------------


def quotes_html(table: pd.DataFrame, columns: Sequence[str] | None = None,
                headers: dict[str, str] | None = None, caption: str | None = None) -> str:
    """An HTML table of ``table``'s rows with every heading and value escaped.

    Data from the CSVs is untrusted: nothing in it can become markup here. ``columns``
    defaults to speaker, paragraph, speech act and text (those present); headings come from
    :data:`QUOTE_HEADERS` unless ``headers`` overrides them. Missing values show as "–".
    """
    if columns is None:
        columns = [c for c in ("speaker", "paragraph", "speech_act", "text")
                   if c in table.columns]
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise KeyError(f"no column(s) {missing} in the table")
    names = {**QUOTE_HEADERS, **(headers or {})}

    def cell(value) -> str:
        return "–" if pd.isna(value) else html.escape(str(value), quote=True)

    head = "".join(f'<th scope="col">{html.escape(names.get(c, c))}</th>' for c in columns)
    body = _rows_html(table[list(columns)].itertuples(index=False, name=None), cell)
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (f'<table class="geneva-quotes">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def _rows_html(rows: Iterable[tuple], cell) -> str:
    return "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>"
                   for row in rows)
