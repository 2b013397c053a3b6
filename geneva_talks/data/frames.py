"""Typed DataFrames: vocabularies as ordered categoricals in the order the descriptor
lists them, issue ids in codebook order, dates as datetimes, integers and booleans typed;
statements in document order."""

from __future__ import annotations

import pandas as pd

from .reading import Table


def frame(table: Table) -> pd.DataFrame:
    columns = {}
    for position, spec in enumerate(table.fields):
        values = [record[position] for record in table.records]
        columns[spec["name"]] = _typed(values, spec)
    frame = pd.DataFrame(columns)
    frame.index = pd.RangeIndex(len(frame))
    return frame


def _typed(values: list[str], spec: dict) -> pd.Series:
    kind = spec.get("type", "string")
    required = spec.get("constraints", {}).get("required", False)
    enum = spec.get("constraints", {}).get("enum")
    if enum is not None:
        return pd.Series(pd.Categorical([v if v != "" else None for v in values],
                                        categories=list(enum), ordered=True))
    if kind == "integer":
        numbers = [int(v) if v != "" else None for v in values]
        return pd.Series(numbers, dtype="int64" if required else "Int64")
    if kind == "number":
        return pd.Series([float(v) if v != "" else None for v in values], dtype="float64")
    if kind == "boolean":
        true = set(spec.get("trueValues", ["true"]))
        flags = [(v in true) if v != "" else None for v in values]
        return pd.Series(flags, dtype="bool" if required else "boolean")
    if kind == "date":
        dates = pd.to_datetime(pd.Series(values, dtype="str").replace("", None),
                               format="%Y-%m-%d")
        return dates.astype("datetime64[ns]")
    return pd.Series([v if v != "" else None for v in values], dtype="str")

#: Document order of statements: their source (in the order of sources.csv), paragraph, part.
DOCUMENT_ORDER = ("source_id", "paragraph", "part")


def in_document_order(statements: pd.DataFrame, sources: pd.DataFrame | None = None):
    """``statements`` sorted stably into document order (:data:`DOCUMENT_ORDER`; sources in
    the order of ``sources``, when given), index reset. Missing order columns are skipped."""
    keys = [c for c in DOCUMENT_ORDER if c in statements.columns]
    frame = statements
    if "source_id" in keys and sources is not None:
        rank = {sid: i for i, sid in enumerate(sources["source_id"].astype(str))}
        frame = frame.assign(source_id=frame["source_id"].astype(str).map(rank))
    order = frame.sort_values(keys, kind="stable").index
    return statements.loc[order].reset_index(drop=True)


def type_issue_ids(frames: dict[str, pd.DataFrame]) -> None:
    """Issues in codebook order; every issue_id column a categorical in that order."""
    issues = frames["issues"].sort_values("order", kind="stable").reset_index(drop=True)
    frames["issues"] = issues
    order = list(issues["issue_id"].astype(str))
    for frame in frames.values():
        if "issue_id" in frame.columns:
            frame["issue_id"] = pd.Categorical(frame["issue_id"].astype(str), categories=order,
                                               ordered=True)
