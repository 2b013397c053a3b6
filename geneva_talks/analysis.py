"""Tables and comparisons behind the delegation chapters and the issue-by-issue chapter.

Every function takes the loaded dataset (``geneva_talks.load()``, or anything with the
same DataFrame attributes: ``statements``, ``positions``, ``issues``, ``actors``) and
returns a new DataFrame or Series; nothing here draws or prints. All of it is
vectorised (pandas and numpy on integer codes, one pass of ``str.join`` per group):
the cost grows linearly with the number of statements (benchmarks/scaling.py).

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
import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from .data import LEAN, in_document_order

#: The stance vocabulary in ordinal order (the rank of a stance is its index here).
STANCES: tuple[str, ...] = ("for", "conditional", "neutral", "against")
#: Label of a cell whose positions take more than one stance.
MIXED = "mixed"
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
    "where": "Where",
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
    codes, uniques = pd.factorize(stance)  # on a categorical: its codes, no string work
    names = [str(u) for u in uniques]
    unknown = sorted(set(names) - set(STANCES)) + (["nan"] if (codes < 0).any() else [])
    if unknown:
        raise ValueError(f"unknown stance(s) {unknown}; expected one of {list(STANCES)}")
    rank_of = {s: i for i, s in enumerate(STANCES)}
    ranks = np.array([rank_of[name] for name in names], dtype="int64")
    return pd.Series(ranks[codes], index=stance.index, dtype="int64")


def _unique_index(values: pd.Series, side: str) -> pd.Index:
    """``values`` as an Index to look keys up in; duplicate keys raise as a many-to-one
    merge would."""
    index = pd.Index(values)
    if not index.is_unique:
        raise pd.errors.MergeError(f"Merge keys are not unique in {side} dataset; not a "
                                   f"many-to-one merge")
    return index


def _join_groups(codes: np.ndarray, n_groups: int, values: Sequence[str], sep: str) -> list[str]:
    """``sep.join`` of the values of each group 0 .. n_groups - 1 (``codes[i]`` is the group
    of ``values[i]``), keeping the rows' order within a group; "" for an empty group.

    One stable sort of integer codes and one ``str.join`` per group: linear in the rows,
    however many groups there are and however large they are.
    """
    if n_groups == 0:
        return []
    order = np.argsort(codes, kind="stable")
    ordered = np.asarray(values, dtype=object)[order].tolist()
    ends = np.cumsum(np.bincount(codes, minlength=n_groups)).tolist()
    return [sep.join(ordered[start:end]) for start, end in zip([0, *ends[:-1]], ends,
                                                                strict=True)]


def _speakers(data) -> pd.Series:
    """actor_id -> display name."""
    actors = data.actors
    return pd.Series(actors["name"].astype(str).to_numpy(),
                     index=actors["actor_id"].astype(str).to_numpy())


def locators(data, statements: pd.DataFrame) -> pd.Series:
    """Where each statement is quoted from, as the book shows it: "¶7" for a paragraph of
    the base document, "<source title>, ¶2" for another source's (index of ``statements``)."""
    sources = getattr(data, "sources", None)
    if sources is None or "source_id" not in statements.columns:  # one source: the base
        return statements["paragraph"].map(lambda n: f"¶{int(n)}").astype("str")
    sources = sources.set_index(sources["source_id"].astype(str))
    base = {sid for sid, kind in sources["kind"].astype(str).items() if kind == "base_document"}
    titles = sources["title"].astype(str)
    return pd.Series([f"¶{int(paragraph)}" if str(sid) in base
                      else f"{titles.get(str(sid), str(sid))}, ¶{int(paragraph)}"
                      for sid, paragraph in zip(statements["source_id"],
                                                statements["paragraph"], strict=True)],
                     index=statements.index, dtype="str")


def _check_delegation(data, delegation: str) -> None:
    known = delegations(data)
    if delegation not in known:
        raise KeyError(f"unknown delegation {delegation!r} (known: {', '.join(known)})")


# -- positions joined with what was said ----------------------------------------------------


def coded_positions(data) -> pd.DataFrame:
    """One row per coded position, with the statement, its speaker and the issue label.

    Sorted by issue (codebook order), delegation and document order: this is the
    long table of quotes behind every cell of the stance matrix.
    """
    issues = _issue_order(data)
    statements = in_document_order(data.statements.astype({"statement_id": str}))
    positions = data.positions.astype({"statement_id": str, "issue_id": str})
    # An inner join on integer positions: each position's statement and issue (or -1).
    at_statement = _unique_index(statements["statement_id"], "right").get_indexer(
        positions["statement_id"])
    at_issue = _unique_index(issues["issue_id"], "right").get_indexer(positions["issue_id"])
    keep = (at_statement >= 0) & (at_issue >= 0)
    # The sort, as two integer keys: issue order, then the statement's place when statements
    # are sorted by delegation, then in document order (ties keep the positions' order).
    statement_rank = np.empty(len(statements), dtype="int64")
    by_statement = statements.sort_values("delegation", kind="stable").index.to_numpy()
    statement_rank[by_statement] = np.arange(len(statements))
    kept = np.flatnonzero(keep)
    kept = kept[np.lexsort((statement_rank[at_statement[kept]], at_issue[kept]))]
    pos = positions.iloc[kept].reset_index(drop=True)
    st = statements.iloc[at_statement[kept]].reset_index(drop=True)
    rank = _stance_rank(pos["stance"])
    table = pd.DataFrame({
        "issue_id": pos["issue_id"],
        "issue": issues["label"].iloc[at_issue[kept]].reset_index(drop=True),
        "delegation": st["delegation"],
        "statement_id": pos["statement_id"],
        "speaker": st["speaker_id"].astype(str).map(_speakers(data)),
        "speaker_id": st["speaker_id"],
        "paragraph": st["paragraph"],
        "where": locators(data, st),
        "speech_act": st["speech_act"],
        "stance": pd.Categorical.from_codes(rank.to_numpy(), categories=STANCES, ordered=True),
        "stance_rank": rank,
        "text": st["text"],
    })
    for source in (pos, st):  # the coder's rationale, where the data has one
        if "rationale" in source.columns:
            table["rationale"] = source["rationale"]
            break
    return table


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
    """Every statement of ``delegation``, once each, in document order, with what it was coded as.

    Columns: statement_id, speaker, paragraph, where (:func:`locators`), speech_act, text, and
    ``issues`` (the labels
    of the issues it was coded against, in codebook order, joined by "; "), ``coding``
    (the same with each stance: "NATO enlargement: for") and ``n_issues``. A statement
    coded against no issue keeps empty strings there.
    """
    _check_delegation(data, delegation)
    statements = data.statements[data.statements["delegation"].astype(str) == delegation]
    statements = in_document_order(statements.astype({"statement_id": str}))
    coded = coded_positions(data)
    coded = coded[coded["delegation"].astype(str) == delegation]
    # coded_positions is already in codebook order, so the joins below follow it.
    group, ids = pd.factorize(coded["statement_id"])
    labels = coded["issue"].tolist()
    coding = [f"{issue}: {stance}" for issue, stance in zip(labels, coded["stance"].astype(str),
                                                            strict=True)]
    # Each statement's group among the coded ones; -1 (coded against no issue) picks the
    # appended empty value.
    at = pd.Index(ids).get_indexer(statements["statement_id"])
    table = statements.assign(
        issues=pd.Series(np.asarray([*_join_groups(group, len(ids), labels, "; "), ""],
                                    dtype=object)[at], dtype="str"),
        coding=pd.Series(np.asarray([*_join_groups(group, len(ids), coding, "; "), ""],
                                    dtype=object)[at], dtype="str"),
        n_issues=np.append(np.bincount(group, minlength=len(ids)), 0)[at].astype("int64"),
    )
    table["speaker"] = table["speaker_id"].astype(str).map(_speakers(data))
    table["where"] = locators(data, table)
    columns = ["statement_id", "speaker", "speaker_id", "delegation", "event_id", "paragraph",
               "where",
               "speech_act", "text", "issues", "coding", "n_issues"]
    return table[columns]


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
    used = set(coded["speech_act"].astype(str))
    acts = [a for a in speech_acts(data) if a in used]
    row, issues = pd.factorize(coded["issue"])  # already in codebook order
    column = pd.Index(acts).get_indexer(coded["speech_act"].astype(str))
    keep = column >= 0
    refs = [f"{sid} (¶{paragraph})" for sid, paragraph in zip(
        coded["statement_id"].to_numpy()[keep], coded["paragraph"].to_numpy()[keep],
        strict=True)]
    cells = _join_groups(row[keep] * len(acts) + column[keep], len(issues) * len(acts), refs,
                         ", ")
    grid = pd.DataFrame(np.asarray(cells, dtype=object).reshape(len(issues), len(acts)),
                        index=pd.Index(issues, name="issue"), columns=acts, dtype="str")
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
    # Each position's cell (issue-major, as in the table), on integer codes.
    issue = pd.Index(issues["issue_id"]).get_indexer(coded["issue_id"])
    delegation = pd.Index(dels).get_indexer(coded["delegation"].astype(str))
    keep = (issue >= 0) & (delegation >= 0)
    n_cells = len(issues) * len(dels)
    cell = issue[keep] * len(dels) + delegation[keep]
    rank = coded["stance_rank"].to_numpy()[keep]
    statement, _ = pd.factorize(coded["statement_id"].to_numpy()[keep])
    n_positions = np.bincount(cell, minlength=n_cells)
    width = int(statement.max(initial=0)) + 1
    pairs = pd.unique(cell * width + statement)  # each (cell, statement) once
    n_statements = np.bincount(pairs // width, minlength=n_cells)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_rank = np.bincount(cell, weights=rank, minlength=n_cells) / n_positions
    present = np.zeros((n_cells, len(STANCES)), dtype=bool)
    present[cell, rank] = True
    # A cell's stance label and lean follow from which stances it holds.
    label, lean = [], []
    for held, n in zip(present.tolist(), n_positions.tolist(), strict=True):
        stances = [s for s, here in zip(STANCES, held, strict=True) if here]
        sides = {LEAN[s] for s in stances} - {"neither"}
        label.append(" / ".join(stances) if n else np.nan)
        lean.append(np.nan if not n else MIXED if len(sides) > 1 else
                    next(iter(sides)) if sides else "neither")
    keys = ["issue_id", "delegation"]
    full = pd.MultiIndex.from_product([issues["issue_id"], dels], names=keys)
    cells = pd.DataFrame({
        "n_statements": n_statements.astype("int64"),
        "stance": pd.array(label, dtype="string"),
        "mixed": present.sum(axis=1) > 1,
        "mean_rank": mean_rank,
        "lean": pd.array(lean, dtype="string"),
    }, index=full).reset_index()
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
                headers: dict[str, str] | None = None, caption: str | None = None,
                code_spans: bool = False, css_class: str = "geneva-quotes") -> str:
    """An HTML table of ``table``'s rows with every heading and value escaped.

    Data from the CSVs is untrusted: nothing in it can become markup here. ``columns``
    defaults to speaker, paragraph, speech act and text (those present); headings come from
    :data:`QUOTE_HEADERS` unless ``headers`` overrides them. Missing values show as "–".
    With ``code_spans``, text between backticks (as in the data package's descriptions) is
    set as code, after escaping. ``css_class`` names the table's style (see _static/book.css).
    """
    if columns is None:
        columns = [c for c in ("speaker", "paragraph", "speech_act", "text")
                   if c in table.columns]
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise KeyError(f"no column(s) {missing} in the table")
    names = {**QUOTE_HEADERS, **(headers or {})}

    def cell(value) -> str:
        if pd.isna(value):
            return "–"
        text = html.escape(str(value), quote=True)
        return _CODE_SPAN.sub(r"<code>\1</code>", text) if code_spans else text

    head = "".join(f'<th scope="col">{html.escape(names.get(c, c))}</th>' for c in columns)
    body = _rows_html(table[list(columns)].itertuples(index=False, name=None), cell)
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (f'<table class="{html.escape(css_class)}">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


_CODE_SPAN = re.compile(r"`([^`]+)`")


def _rows_html(rows: Iterable[tuple], cell) -> str:
    return "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>"
                   for row in rows)
