"""The validated dataset and ``load()``, which runs the three stages in order and stops at
the first that finds a fault."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .evidence import check_evidence, check_positions, source_texts
from .frames import frame, in_document_order, type_issue_ids
from .frictionless_check import frictionless_problems
from .paths import DATA_DIR, display_path
from .problems import DataError, Problem
from .reading import TABLES, Table, parse_table, read_files
from .record import digest, remember, validation_record
from .records import check_records
from .text import split_paragraphs

#: Datasets validated in this process, by folder and content digest (at most _CACHE_SIZE).
_CACHE: dict[tuple[str, str], Dataset] = {}
_CACHE_SIZE = 8


@dataclass(frozen=True, eq=False, repr=False)
class Dataset:
    """The validated data package: one typed DataFrame per table, and the descriptor.

    Each call of :func:`load` returns new DataFrames: changing them changes nothing else.
    """

    sources: pd.DataFrame
    actors: pd.DataFrame
    events: pd.DataFrame
    issues: pd.DataFrame
    paragraphs: pd.DataFrame
    statements: pd.DataFrame
    positions: pd.DataFrame
    codings: pd.DataFrame
    records: pd.DataFrame
    corroboration: pd.DataFrame
    #: The parsed ``datapackage.json``.
    package: dict = field(repr=False)
    #: The folder the package was read from.
    data_dir: Path = field(default=DATA_DIR, repr=False)
    #: The text of each source with a local copy, by source_id.
    source_texts: dict = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(table)} rows" for name, table in self.tables.items())
        return f"Dataset({sizes}; from {display_path(self.data_dir)})"

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name, in package order."""
        return {name: getattr(self, name) for name in TABLES}

    def schema(self, table: str) -> dict:
        """The Table Schema of ``table`` (a dict from the descriptor)."""
        for resource in self.package["resources"]:
            if resource["name"] == table:
                return resource["schema"]
        raise KeyError(f"no table {table!r} in the data package")

    def vocabulary(self, table: str, column: str) -> list[str]:
        """The closed vocabulary of a column, in its declared order: the ``enum`` of the
        field in datapackage.json, or the codebook order of issues for an ``issue_id``."""
        if column == "issue_id" and table in {"issues", "positions"}:
            return list(self.issues.sort_values("order")["issue_id"].astype(str))
        for item in self.schema(table)["fields"]:
            if item["name"] == column:
                enum = item.get("constraints", {}).get("enum")
                if enum is None:
                    raise KeyError(f"{table}.{column} has no closed vocabulary")
                return list(enum)
        raise KeyError(f"no column {column!r} in table {table!r}")

    def describe(self, table: str, column: str) -> str:
        """The description of a column, from datapackage.json."""
        for item in self.schema(table)["fields"]:
            if item["name"] == column:
                return item.get("description", "")
        raise KeyError(f"no column {column!r} in table {table!r}")

    def base_source_ids(self) -> set[str]:
        """The source_id of every base document (``sources.kind`` is ``base_document``)."""
        kind = self.sources["kind"].astype(str)
        return set(self.sources.loc[kind == "base_document", "source_id"].astype(str))

    def base_statements(self) -> pd.DataFrame:
        """The statements taken from a base document (not from any other source)."""
        from_base = self.statements["source_id"].astype(str).isin(self.base_source_ids())
        return self.statements[from_base]

    def paragraph_text(self, paragraph: int, source_id: str = "base") -> str:
        """Paragraph ``paragraph`` (1-based) of a source with a local copy, as in the file."""
        return split_paragraphs(self.source_texts[source_id])[int(paragraph) - 1]

    def copy(self) -> Dataset:
        """A deep copy: new DataFrames and a new descriptor dict."""
        return Dataset(
            **{name: frame.copy(deep=True) for name, frame in self.tables.items()},
            package=copy.deepcopy(self.package),
            data_dir=self.data_dir,
            source_texts=dict(self.source_texts),
        )


def source_paragraphs(data: Dataset, source_id: str = "base") -> pd.Series:
    """The paragraphs of a source's local copy as a Series indexed by paragraph number (from 1),
    split exactly as the verbatim check splits them."""
    paragraphs = split_paragraphs(data.source_texts[source_id])
    index = pd.RangeIndex(1, len(paragraphs) + 1, name="paragraph")
    return pd.Series(paragraphs, index=index, name="text", dtype="str")


def load(data_dir: str | Path | None = None) -> Dataset:
    """Read and validate the data package in ``data_dir`` (default: the project's ``data/``).

    Returns a :class:`Dataset`; raises :class:`DataError` naming file, row, column and value
    of each fault. A package already validated in this process, unchanged since, is served
    from a cache (as fresh copies) without validating again.
    """
    folder = Path(DATA_DIR if data_dir is None else data_dir).resolve()
    package, raw = read_files(folder)
    key = (str(folder), digest(raw))
    cached = _CACHE.get(key)
    if cached is not None:
        return cached.copy()
    dataset = validate_and_build(folder, package, raw)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = dataset
    return dataset.copy()


def clear_cache() -> None:
    """Forget every dataset validated in this process (the next load() validates again)."""
    _CACHE.clear()


def validate_and_build(folder: Path, package: dict, raw: dict[str, bytes]) -> Dataset:
    """The three stages on the files' bytes (``raw``, by path in the folder): the tables
    parsed, Frictionless (unless a record says these bytes passed), the evidence; then the
    typed Dataset. Raises DataError with every problem of the first stage that finds any."""
    resources = {r["name"]: r for r in package["resources"] if isinstance(r, dict)}
    tables: dict[str, Table] = {}
    problems: list[Problem] = []
    for name in TABLES:
        resource = resources[name]
        table, found = parse_table(name, folder / resource["path"], raw[resource["path"]],
                                    resource["schema"])
        problems.extend(found)
        if table is not None:
            tables[name] = table
    if problems:
        raise DataError(problems)

    record = validation_record(raw)
    if record is None or not record.is_file():
        problems = frictionless_problems(folder, package, tables)
        if problems:
            raise DataError(problems)
        remember(record, raw)

    frames = {name: frame(table) for name, table in tables.items()}
    type_issue_ids(frames)
    texts, problems = source_texts(folder, frames, tables, raw)
    problems += check_evidence(frames, tables, texts)
    problems += check_positions(frames, tables)
    problems += check_records(frames, tables)
    if problems:
        raise DataError(problems)
    # Only now: the checks above number rows as they stand in the files.
    frames["statements"] = in_document_order(frames["statements"], frames["sources"])
    return Dataset(**frames, package=package, data_dir=folder, source_texts=texts)
