"""Load the book's data package, validated, as typed pandas DataFrames.

``load()`` reads ``data/datapackage.json`` (a Frictionless Data Package) and its CSV tables,
and checks, in this order, stopping at the first stage that finds a fault:

1. the files: the descriptor and every table exist, are UTF-8 and parse as CSV, with the
   columns the schema declares and as many fields in each row as in the header;
2. the schema, with Frictionless: types, required values, enums, patterns, ranges,
   unique values, primary keys and foreign keys;
3. the evidence: every statement's text appears verbatim in the source paragraph it names
   (whitespace, typographic quotes and dashes aside), the statements of a paragraph make up
   the whole paragraph and stand in document order, every statement is attributed to the
   speaker under whose heading it stands and to that speaker's delegation, every statement
   has a position, and every source cited in a ``context`` column exists.

Any fault raises :class:`DataError`, whose message names the file, the row, the column and
the offending value; nothing partial is returned. Rows are counted as data rows from 1 after
the header; the line of the file is given too (a quoted value may span lines).

Vocabularies (Table Schema ``enum`` constraints) become categoricals in the order the
descriptor lists them; issue ids become categoricals in codebook order (``issues.order``);
dates become datetimes; booleans and integers are typed. A validated dataset is cached per
process, keyed on the content of the data files: a repeated ``load()`` of unchanged files
skips validation and returns fresh copies, so a caller who modifies a DataFrame changes
nothing for the next caller.

Across processes (each notebook's kernel is one), the Frictionless pass, by far the slowest
stage (importing Frictionless alone takes most of a second), is skipped for bytes it has
passed before: a small record under the user's cache folder (``$XDG_CACHE_HOME`` or
``~/.cache``, then ``geneva_talks/validated/``) is keyed on the SHA-256 of every file the
package uses and of the validating code (this module and the Frictionless release), never
on paths or modification times. Changed bytes are validated again. The loader's own checks
(files, verbatim evidence, speakers, keys it checks itself) always run.
"""

from __future__ import annotations

import copy
import csv
import difflib
import hashlib
import importlib.util
import io
import json
import os
import re
import sys
import tempfile
import types
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd


def _defer_iri_grammar() -> None:
    """Postpone rfc3987_syntax's import (~1 s: it compiles some forty Earley parsers) until
    something checks an IRI with it.

    jsonschema imports it, when installed, for its "iri" format checker, and jsonschema is
    imported by nbformat (under myst-nb's ``glue``, in every notebook's kernel) and by
    Frictionless, none of which checks an IRI here. A stand-in module answers the import;
    its first use imports the real module and hands every call over to it.
    """
    name = "rfc3987_syntax"
    if name in sys.modules or importlib.util.find_spec(name) is None:
        return
    stand_in = types.ModuleType(name, "Stand-in for rfc3987_syntax (see geneva_talks.data).")

    def real() -> types.ModuleType:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
        return importlib.import_module(name)

    def is_valid_syntax(term: str, value: str):
        return real().is_valid_syntax(term, value)

    def other(attribute: str):  # PEP 562; the import system's probes (__path__...) miss
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return getattr(real(), attribute)

    stand_in.is_valid_syntax = is_valid_syntax
    stand_in.__getattr__ = other
    sys.modules[name] = stand_in


_defer_iri_grammar()

#: The project's data folder, found from this file: the same whatever the working directory.
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
#: Paths in error messages are relative to this folder where possible.
PROJECT_ROOT = DATA_DIR.parent
#: The descriptor's file name inside the data folder.
DESCRIPTOR = "datapackage.json"
#: The tables every package must have, in the order they are loaded and checked.
TABLES = ("sources", "actors", "events", "issues", "paragraphs", "statements", "positions")
#: How rows are counted in error messages.
ROW_COUNTING = "rows count data rows from 1 after the header"

#: Columns the loader's own checks read, by table (the schema may declare more).
REQUIRED_COLUMNS = {
    "sources": ("source_id", "kind", "url", "path", "in_base_document"),
    "actors": ("actor_id", "name", "kind", "affiliation", "in_base_document", "source_id",
               "context"),
    "events": ("event_id", "date", "in_base_document", "source_id", "context"),
    "issues": ("issue_id", "order"),
    "paragraphs": ("source_id", "paragraph", "role", "speaker_id"),
    "statements": ("statement_id", "event_id", "speaker_id", "delegation", "attribution",
                   "paragraph", "part", "text", "source_id", "note"),
    "positions": ("statement_id", "issue_id", "stance"),
}

_MAX_LISTED = 25  # problems listed in one DataError message
_CACHE: dict[tuple[str, str], Dataset] = {}
_CACHE_SIZE = 8


# -- errors -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One fault in the data: where it is and what is wrong.

    ``row`` counts data rows from 1 after the header (0 means the header itself, ``None`` the
    whole file); ``line`` is the line of the file where that row starts.
    """

    file: str
    message: str
    row: int | None = None
    line: int | None = None
    column: str | None = None
    value: Any = None

    def __str__(self) -> str:
        where = self.file
        if self.row == 0:
            where += ", header (line 1 of the file)"
        elif self.row is not None:
            line = f"line {self.line} of the file; " if self.line else ""
            where += f", row {self.row} ({line}{ROW_COUNTING})"
        if self.column is not None:
            where += f", column '{self.column}'"
        if self.value is not None:
            return f"{where}: value {_show(self.value)} {self.message}"
        return f"{where}: {self.message}"


class DataError(Exception):
    """The data package is invalid. ``str(error)`` names file, row, column and value of every
    fault found (up to 25); ``error.problems`` holds them as :class:`Problem` objects."""

    def __init__(self, problems: Problem | Iterable[Problem]):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        lines = [str(p) for p in self.problems[:_MAX_LISTED]]
        if len(self.problems) == 1:
            message = lines[0]
        else:
            message = f"{len(self.problems)} problems in the data package:\n" + "\n".join(
                f"- {line}" for line in lines
            )
            if len(self.problems) > _MAX_LISTED:
                message += f"\n- ... and {len(self.problems) - _MAX_LISTED} more"
        super().__init__(message)


def _show(value: Any, limit: int = 90) -> str:
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 6] + " [...]"
    return "'" + text + "'"


def _display(path: Path) -> str:
    """``path`` relative to the project root where possible (``data/statements.csv``)."""
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


# -- text helpers -----------------------------------------------------------------------------

_TYPOGRAPHIC = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-",
    }
)


def normalise(text: str) -> str:
    """The form in which texts are compared: typographic quotes and dashes made straight,
    every run of whitespace (no-break spaces and line breaks included) one space, no space
    at either end. Nothing else changes: spelling, punctuation and the ellipsis stay."""
    return " ".join(str(text).translate(_TYPOGRAPHIC).split())


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of a source text: blocks of lines separated by one or more blank lines
    (a blank line holds only whitespace). A heading such as ``Sergei Ryabkov:`` between blank
    lines is a paragraph. Paragraph *n* of the source is ``split_paragraphs(text)[n - 1]``."""
    paragraphs: list[str] = []
    block: list[str] = []
    for line in text.splitlines():
        if line.strip():
            block.append(line)
        elif block:
            paragraphs.append("\n".join(block))
            block = []
    if block:
        paragraphs.append("\n".join(block))
    return paragraphs


_CITATION = re.compile(r"\[([^\[\]]+)\]")


def citations(text: str) -> list[str]:
    """The source ids cited in a ``context`` text: ``[id]`` or ``[id1; id2]``."""
    ids: list[str] = []
    for group in _CITATION.findall(str(text)):
        ids.extend(part.strip() for part in group.split(";") if part.strip())
    return ids


# -- the dataset ------------------------------------------------------------------------------


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
    #: The parsed ``datapackage.json``.
    package: dict = field(repr=False)
    #: The folder the package was read from.
    data_dir: Path = field(default=DATA_DIR, repr=False)
    #: The text of each source with a local copy, by source_id.
    source_texts: dict = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(frame)} rows" for name, frame in self.tables.items())
        return f"Dataset({sizes}; from {_display(self.data_dir)})"

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


# -- loading ----------------------------------------------------------------------------------


def load(data_dir: str | Path | None = None) -> Dataset:
    """Read and validate the data package in ``data_dir`` (default: the project's ``data/``).

    Returns a :class:`Dataset`; raises :class:`DataError` naming file, row, column and value
    of each fault. A package already validated in this process, unchanged since, is served
    from a cache (as fresh copies) without validating again.
    """
    folder = Path(DATA_DIR if data_dir is None else data_dir).resolve()
    package, raw = _read_files(folder)
    key = (str(folder), _digest(raw))
    cached = _CACHE.get(key)
    if cached is not None:
        return cached.copy()
    dataset = _validate_and_build(folder, package, raw)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = dataset
    return dataset.copy()


def clear_cache() -> None:
    """Forget every dataset validated in this process (the next load() validates again)."""
    _CACHE.clear()


def _digest(raw: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(raw):
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(raw[name]).digest())
    return digest.hexdigest()


def _read_files(folder: Path) -> tuple[dict, dict[str, bytes]]:
    """The parsed descriptor and the bytes of every file the package uses, by relative path."""
    descriptor_path = folder / DESCRIPTOR
    shown = _display(descriptor_path)
    if not folder.is_dir():
        raise DataError(Problem(_display(folder), "the data folder does not exist"))
    if not descriptor_path.is_file():
        raise DataError(Problem(shown, "file not found: the data package descriptor is missing"))
    descriptor_bytes = descriptor_path.read_bytes()
    try:
        package = json.loads(descriptor_bytes.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise DataError(Problem(shown, f"is not valid UTF-8 ({error.reason} at byte "
                                       f"{error.start})")) from None
    except json.JSONDecodeError as error:
        raise DataError(Problem(shown, f"is not valid JSON: {error.msg} at line {error.lineno}, "
                                       f"column {error.colno}")) from None
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        raise DataError(Problem(shown, "has no list of resources"))
    problems = []
    raw = {DESCRIPTOR: descriptor_bytes}
    by_name = {r.get("name"): r for r in package["resources"] if isinstance(r, dict)}
    for name in TABLES:
        resource = by_name.get(name)
        if resource is None:
            problems.append(Problem(shown, f"has no resource named '{name}'"))
            continue
        path = resource.get("path")
        if not isinstance(path, str) or not _safe_relative(path):
            problems.append(Problem(shown, f"resource '{name}' needs a relative 'path' inside "
                                           f"the data folder, not {path!r}"))
            continue
        if not isinstance(resource.get("schema"), dict):
            problems.append(Problem(shown, f"resource '{name}' has no inline schema"))
            continue
        declared = {f.get("name") for f in resource["schema"].get("fields", [])
                    if isinstance(f, dict)}
        for column in REQUIRED_COLUMNS[name]:
            if column not in declared:
                problems.append(Problem(shown, f"resource '{name}' declares no field "
                                               f"'{column}', which the loader needs"))
        file = folder / path
        if not file.is_file():
            problems.append(Problem(_display(file), f"file not found (resource '{name}' of "
                                                    f"{shown})"))
            continue
        raw[path] = file.read_bytes()
    sources_dir = folder / "sources"
    if sources_dir.is_dir():
        for file in sorted(sources_dir.rglob("*")):
            if file.is_file():
                raw[file.relative_to(folder).as_posix()] = file.read_bytes()
    if problems:
        raise DataError(problems)
    return package, raw


def _safe_relative(path: str) -> bool:
    parts = Path(path).parts
    return bool(parts) and not Path(path).is_absolute() and ".." not in parts


@dataclass
class _Table:
    """A table as parsed from its CSV: header, data records, the line each record starts on."""

    name: str
    file: str
    fields: list[dict]
    primary_key: list[str]
    header: list[str]
    records: list[list[str]]
    lines: list[int]  # lines[i] is the line where data row i + 1 starts

    def line(self, row: int) -> int | None:
        return self.lines[row - 1] if 1 <= row <= len(self.lines) else None

    def problem(self, row: int, column: str, value: Any, message: str) -> Problem:
        return Problem(self.file, message, row=row, line=self.line(row), column=column,
                       value=value)


def _validate_and_build(folder: Path, package: dict, raw: dict[str, bytes]) -> Dataset:
    resources = {r["name"]: r for r in package["resources"] if isinstance(r, dict)}
    tables: dict[str, _Table] = {}
    problems: list[Problem] = []
    for name in TABLES:
        resource = resources[name]
        table, found = _parse_table(name, folder / resource["path"], raw[resource["path"]],
                                    resource["schema"])
        problems.extend(found)
        if table is not None:
            tables[name] = table
    if problems:
        raise DataError(problems)

    record = _validation_record(raw)
    if record is None or not record.is_file():
        problems = _frictionless_problems(folder, package, tables)
        if problems:
            raise DataError(problems)
        _remember(record, raw)

    frames = {name: _frame(table) for name, table in tables.items()}
    _type_issue_ids(frames)
    texts, problems = _source_texts(folder, frames, tables, raw)
    problems += _check_evidence(frames, tables, texts)
    problems += _check_positions(frames, tables)
    if problems:
        raise DataError(problems)
    # Only now: the checks above number rows as they stand in the files.
    frames["statements"] = in_document_order(frames["statements"], frames["sources"])
    return Dataset(**frames, package=package, data_dir=folder, source_texts=texts)


# -- stage 1: files and CSV structure ---------------------------------------------------------


def _parse_table(name: str, path: Path, data: bytes, schema: dict):
    shown = _display(path)
    fields = schema.get("fields", [])
    primary_key = _as_list(schema.get("primaryKey"))
    problems: list[Problem] = []
    if data.startswith(b"\xef\xbb\xbf"):
        return None, [Problem(shown, "starts with a byte-order mark: save it as UTF-8 without "
                                     "BOM", row=0, column=None)]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, [_encoding_problem(shown, data, error)]
    if not text.strip():
        return None, [Problem(shown, "is empty: it needs at least a header row")]
    records, lines, error, start = _csv_records(text, strict=True)
    if error is not None:
        row = len(records)  # the header is record 0, so this is the failing data row
        column, value = _where_parse_failed(text, start, records[0] if records else [])
        if "end of data" in str(error):
            message = ("cannot be read as CSV: a quoted value is never closed (truncated file "
                       "or missing closing quote)")
        elif "expected after" in str(error):
            message = ("cannot be read as CSV: a quote inside a quoted value must be doubled "
                       '(write "" for ")')
        else:
            message = f"cannot be read as CSV ({error})"
        return None, [Problem(shown, message, row=row, line=start, column=column,
                              value=value)]
    header, records, lines = records[0], records[1:], lines[1:]
    expected = [f.get("name") for f in fields]
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    for column in missing:
        problems.append(Problem(shown, f"is missing from the header (expected columns: "
                                       f"{', '.join(expected)})", row=0, column=column))
    for column in extra:
        problems.append(Problem(shown, "is not a column of the schema in datapackage.json",
                                row=0, column=column, value=column))
    if not missing and not extra and header != expected:
        problems.append(Problem(shown, f"columns are out of order: expected "
                                       f"{', '.join(expected)}", row=0))
    if problems:
        return None, problems
    for index, record in enumerate(records, start=1):
        line = lines[index - 1]
        if not record:
            problems.append(Problem(shown, "the row is blank: remove it", row=index, line=line))
        elif len(record) < len(header):
            column = header[len(record)]
            problems.append(Problem(shown, f"is missing: the row has {len(record)} fields, the "
                                           f"header {len(header)} (truncated row or missing "
                                           f"comma?)", row=index, line=line, column=column))
        elif len(record) > len(header):
            problems.append(Problem(shown, f"is one field too many: the row has {len(record)} "
                                           f"fields, the header {len(header)} (unquoted comma?)",
                                    row=index, line=line, column=f"#{len(header) + 1}",
                                    value=record[len(header)]))
    if problems:
        return None, problems
    return _Table(name, shown, fields, primary_key, header, records, lines), []


def _csv_records(text: str, strict: bool = False):
    """Read ``text`` as CSV as far as it goes: the records, the line each starts on, the
    csv.Error that stopped the reading (None if none did), and the line after the last
    record read."""
    records: list[list[str]] = []
    starts: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=strict)
    previous = 0
    try:
        for record in reader:
            records.append(record)
            starts.append(previous + 1)
            previous = reader.line_num
    except csv.Error as error:
        return records, starts, error, previous + 1
    return records, starts, None, previous + 1


def _encoding_problem(shown: str, data: bytes, error: UnicodeDecodeError) -> Problem:
    line = data[: error.start].count(b"\n") + 1
    byte = data[error.start : error.start + 1].hex().upper()
    message = (f"is not valid UTF-8 (byte 0x{byte} at byte offset {error.start}): "
               f"save the file as UTF-8")
    text = data.decode("utf-8", errors="replace")
    records, starts, _error, _next = _csv_records(text)
    row = max((i for i, start in enumerate(starts) if start <= line), default=None)
    if row is None or not records:
        return Problem(shown, message)
    record = records[row]
    header = records[0]
    for position, value in enumerate(record):
        if "\ufffd" in value:
            column = header[position] if row and position < len(header) else None
            return Problem(shown, message, row=row, line=starts[row], column=column,
                           value=value)
    return Problem(shown, message, row=row, line=starts[row])


def _where_parse_failed(text: str, start: int, header: list[str]) -> tuple[str | None, Any]:
    """Column and value so far of the field where the record starting on line ``start``
    breaks the CSV rules (a stray quote, or a quote that is never closed)."""
    rest = "".join(text.splitlines(keepends=True)[start - 1 :])
    index, value, quoted, position = 0, [], False, 0
    while position < len(rest):
        char = rest[position]
        if quoted:
            if char == '"':
                following = rest[position + 1 : position + 2]
                if following == '"':
                    value.append('"')
                    position += 1
                elif following in {",", "\r", "\n", ""}:
                    quoted = False
                else:
                    break  # a stray quote inside a quoted value
            else:
                value.append(char)
        elif char == '"' and not value:
            quoted = True
        elif char == ",":
            index, value = index + 1, []
        elif char in "\r\n":
            break
        else:
            value.append(char)
        position += 1
    column = header[index] if index < len(header) else None
    return column, "".join(value)


# -- stage 2: Frictionless --------------------------------------------------------------------


def validation_records_dir() -> Path | None:
    """Where load() records the packages Frictionless has passed (one small file each):
    ``$XDG_CACHE_HOME/geneva_talks/validated``, by default under ``~/.cache``; None when
    there is no home folder to put it in."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None
    return Path(base) / "geneva_talks" / "validated"


_VALIDATOR: str | None = None


def _validator() -> str:
    """A fingerprint of the validating code: this module's bytes and the Frictionless release
    (read from its installed metadata folder's name, without importing it)."""
    global _VALIDATOR
    if _VALIDATOR is None:
        digest = hashlib.sha256(Path(__file__).read_bytes())
        spec = importlib.util.find_spec("frictionless")
        if spec is not None and spec.origin:
            site = Path(spec.origin).resolve().parent.parent
            digest.update(" ".join(sorted(p.name for p in site.glob("frictionless-*.dist-info")))
                          .encode("utf-8"))
        _VALIDATOR = digest.hexdigest()
    return _VALIDATOR


def _validation_record(raw: dict[str, bytes]) -> Path | None:
    """The record that says Frictionless passed exactly these bytes with this code (it may not
    exist yet); None when there is no usable cache folder."""
    folder = validation_records_dir()
    if folder is None:
        return None
    return folder / hashlib.sha256(f"{_validator()}\0{_digest(raw)}".encode("ascii")).hexdigest()


def _remember(record: Path | None, raw: dict[str, bytes]) -> None:
    """Write ``record`` (atomically; a read-only or missing cache folder is not an error)."""
    if record is None:
        return
    files = {name: hashlib.sha256(data).hexdigest() for name, data in sorted(raw.items())}
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=record.parent, delete=False,
                                         encoding="utf-8", suffix=".tmp") as handle:
            json.dump({"passed": "frictionless", "validator": _validator(), "files": files},
                      handle, indent=1)
        os.replace(handle.name, record)
    except OSError:
        pass


def _frictionless_problems(folder: Path, package: dict, tables: dict[str, _Table]):
    from frictionless import FrictionlessException, Package

    shown = _display(folder / DESCRIPTOR)
    try:
        report = Package(copy.deepcopy(package), basepath=str(folder)).validate()
    except FrictionlessException as error:
        return [Problem(shown, f"is not a valid data package: {error.error.note or error}")]
    problems, seen = [], set()
    for task in report.tasks:
        table = tables.get(task.name)
        for error in task.errors:
            problem = _convert(error, table, tables, shown)
            where = (problem.file, problem.row, problem.column, str(problem.value))
            if where not in seen:  # a single-column primary key is also a unique column
                seen.add(where)
                problems.append(problem)
    for error in report.errors:
        problems.append(Problem(shown, f"is not a valid data package: {error.note}"))
    return problems


def _convert(error, table: _Table | None, tables: dict[str, _Table], shown: str) -> Problem:
    """A Frictionless error as a Problem with file, data row, line, column and value."""
    file = table.file if table else shown
    number = getattr(error, "row_number", None)
    if number is None or table is None:
        label = getattr(error, "label", None) or getattr(error, "field_name", None)
        return Problem(file, f"{error.title}: {error.note}", row=0 if label else None,
                       column=label)
    row = number - 1  # Frictionless counts the header as row 1
    kind = error.type
    if kind == "foreign-key":
        columns = list(error.field_names)
        values = [str(v) for v in error.field_cells]
        target = error.reference_name or table.name
        target_file = tables[target].file.rsplit("/", 1)[-1] if target in tables else target
        keys = ", ".join(error.reference_field_names)
        article = "an" if keys[:1] in "aeiou" else "a"
        return table.problem(row, ", ".join(columns), ", ".join(values),
                             f"is not {article} {keys} in {target_file}")
    if kind in {"primary-key", "unique-error"}:
        if kind == "primary-key":
            columns = table.primary_key
            record = dict(zip(table.header, table.records[row - 1], strict=False))
            cells = [record.get(c, "") for c in columns]
        else:
            columns, cells = [error.field_name], [error.cell]
        earlier = re.search(r"position \"?(\d+)", error.note or "")
        where = f"row {int(earlier.group(1)) - 1}" if earlier else "an earlier row"
        what = "primary key" if kind == "primary-key" else "value of a unique column"
        return table.problem(row, ", ".join(columns), ", ".join(str(c) for c in cells),
                             f"is a duplicate {what}: {where} has it already")
    column = getattr(error, "field_name", None)
    value = getattr(error, "cell", None)
    spec = next((f for f in table.fields if f.get("name") == column), {})
    if kind == "type-error":
        return table.problem(row, column, value, f"is not a valid {_type_name(spec)}")
    if kind == "constraint-error":
        return table.problem(row, column, value if value is not None else "",
                             _constraint_message(error.note or "", spec))
    return table.problem(row, column, value or None, f"{error.title}: {error.note}")


def _type_name(spec: dict) -> str:
    kind = spec.get("type", "string")
    if kind == "date":
        return "date (expected an existing day written YYYY-MM-DD)"
    if kind == "boolean":
        words = spec.get("trueValues", ["true"]) + spec.get("falseValues", ["false"])
        return f"boolean (expected {' or '.join(words)})"
    if kind == "integer":
        return "integer (expected a whole number such as 7)"
    return kind


def _constraint_message(note: str, spec: dict) -> str:
    match = re.search(r'constraint "(\w+)"', note)
    name = match.group(1) if match else ""
    constraints = spec.get("constraints", {})
    if name == "required":
        return "is empty, but the column is required"
    if name == "enum":
        allowed = ", ".join(str(v) for v in constraints.get("enum", []))
        return f"is not in the column's vocabulary ({allowed}), declared in datapackage.json"
    if name == "pattern":
        return f"does not match the pattern {constraints.get('pattern')!r}"
    if name in {"minimum", "maximum", "minLength", "maxLength"}:
        return f"breaks the constraint {name} = {constraints.get(name)!r}"
    if name == "unique":
        return "is a duplicate: the column's values must be unique"
    return f"breaks a constraint: {note}"


# -- building the DataFrames ------------------------------------------------------------------


def _frame(table: _Table) -> pd.DataFrame:
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


def _type_issue_ids(frames: dict[str, pd.DataFrame]) -> None:
    """Issues in codebook order; issue ids as categoricals in that order."""
    issues = frames["issues"].sort_values("order", kind="stable").reset_index(drop=True)
    order = list(issues["issue_id"].astype(str))
    issues["issue_id"] = pd.Categorical(issues["issue_id"].astype(str), categories=order,
                                        ordered=True)
    frames["issues"] = issues
    positions = frames["positions"]
    positions["issue_id"] = pd.Categorical(positions["issue_id"].astype(str), categories=order,
                                           ordered=True)


# -- stage 3: the evidence --------------------------------------------------------------------


def _rows(frame: pd.DataFrame) -> Iterator[tuple[int, dict]]:
    """(data row number from 1, row as a dict) in file order."""
    yield from enumerate(frame.to_dict("records"), start=1)


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) \
        and value is not pd.NA and value is not pd.NaT and str(value) != ""


def _source_texts(folder: Path, frames, tables, raw: dict[str, bytes]):
    """Text of each source with a local copy; problems with the copies and source rows."""
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    table = tables["sources"]
    for row, source in _rows(frames["sources"]):
        path = source["path"]
        if not _present(source["url"]) and not _present(path):
            problems.append(table.problem(row, "url", None, "is empty, and so is path: a "
                                                            "source needs a URL or a local copy"))
        is_base_kind = source["kind"] == "base_document"
        if bool(source["in_base_document"]) != is_base_kind:
            problems.append(table.problem(row, "in_base_document",
                                          str(source["in_base_document"]).lower(),
                                          f"contradicts kind '{source['kind']}': only the "
                                          f"base_document source is in the base document"))
        if not _present(path):
            continue
        file = folder / path
        if not _safe_relative(path) or path not in raw:
            problems.append(table.problem(row, "path", path, f"is not a file in "
                                                             f"{_display(folder)}/"))
            continue
        try:
            texts[source["source_id"]] = raw[path].decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(table.problem(row, "path", path, f"names a file that is not valid "
                                                             f"UTF-8 ({_display(file)}, byte "
                                                             f"offset {error.start})"))
    return texts, problems


def _check_evidence(frames, tables, texts: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    sources = frames["sources"].set_index("source_id")
    actors = frames["actors"].set_index("actor_id")
    source_ids = set(sources.index)
    with_copy = {sid for sid, path in sources["path"].items() if _present(path)}

    # context citations, and whether each row's source fits its in_base_document flag
    for name in ("actors", "events"):
        table = tables[name]
        for row, record in _rows(frames[name]):
            if _present(record["context"]):
                for cited in citations(record["context"]):
                    if cited not in source_ids:
                        problems.append(table.problem(row, "context", f"[{cited}]",
                                                      "cites a source_id that is not in "
                                                      "sources.csv"))
            base_source = bool(sources.loc[record["source_id"], "in_base_document"])
            if bool(record["in_base_document"]) and not base_source:
                problems.append(table.problem(row, "source_id", record["source_id"],
                                              "is an outside page, but in_base_document is "
                                              "true: cite the base document"))
            if not bool(record["in_base_document"]) and base_source:
                problems.append(table.problem(row, "source_id", record["source_id"],
                                              "is the base document, but in_base_document is "
                                              "false: cite the outside page"))

    # paragraphs: a complete index of each local source, with speakers under headings
    paragraphs = frames["paragraphs"]
    table = tables["paragraphs"]
    split = {sid: split_paragraphs(text) for sid, text in texts.items()}
    role_of: dict[tuple[str, int], tuple[str, Any, int]] = {}
    heading_speaker: dict[tuple[str, int], Any] = {}
    current: dict[str, Any] = {}
    ordered = sorted(_rows(paragraphs), key=lambda item: (str(item[1]["source_id"]),
                                                         item[1]["paragraph"]))
    for row, record in ordered:
        sid, number, role = record["source_id"], int(record["paragraph"]), str(record["role"])
        speaker = record["speaker_id"] if _present(record["speaker_id"]) else None
        if sid not in split:
            if sid not in with_copy:  # a missing copy is reported once, on sources.csv
                problems.append(table.problem(row, "source_id", sid, "has no local copy (path) "
                                                                     "in sources.csv to index"))
            continue
        if (problem := _beyond_source(table, row, sid, number, split)) is not None:
            problems.append(problem)
            continue
        role_of[(sid, number)] = (role, speaker, row)
        text = split[sid][number - 1]
        if role in {"heading", "statement"} and speaker is None:
            problems.append(table.problem(row, "speaker_id", None, f"is empty: a {role} "
                                                                   f"paragraph needs a speaker"))
        if role in {"narration", "commentary"} and speaker is not None:
            problems.append(table.problem(row, "speaker_id", speaker,
                                          f"is given for a {role} paragraph, which is "
                                          f"attributed to nobody"))
        if role == "heading" and speaker is not None:
            name = str(actors.loc[speaker, "name"])
            if normalise(text) != f"{name}:":
                problems.append(table.problem(row, "speaker_id", speaker,
                                              f"does not match the heading: paragraph {number} "
                                              f"reads {_show(text, 60)}, not '{name}:'"))
            current[sid] = speaker
        if role == "statement" and speaker is not None and current.get(sid) is not None \
                and speaker != current[sid]:
            problems.append(table.problem(row, "speaker_id", speaker,
                                          f"is not the speaker of the heading above paragraph "
                                          f"{number} ('{current[sid]}')"))
        heading_speaker[(sid, number)] = current.get(sid)
    for sid, paras in split.items():
        indexed = {n for (s, n) in role_of if s == sid}
        if sid in set(paragraphs["source_id"].astype(str)):
            for number in range(1, len(paras) + 1):
                if number not in indexed:
                    problems.append(Problem(table.file, f"paragraph {number} of the source "
                                                        f"'{sid}' has no row (reads "
                                                        f"{_show(paras[number - 1], 60)})"))

    # statements
    statements = frames["statements"]
    table = tables["statements"]
    positioned = set(frames["positions"]["statement_id"].astype(str))
    events = frames["events"].set_index("event_id")
    by_paragraph: dict[tuple[str, int], list[tuple[int, dict]]] = {}
    quoted: set[tuple[str, int]] = set()
    for row, record in _rows(statements):
        sid, number = record["source_id"], int(record["paragraph"])
        text, speaker = str(record["text"]), record["speaker_id"]
        if sid not in split:
            if sid not in with_copy:
                problems.append(table.problem(row, "source_id", sid, "has no local copy (path) "
                                                                     "in sources.csv to check "
                                                                     "the text against"))
            continue
        if (problem := _beyond_source(table, row, sid, number, split)) is not None:
            problems.append(problem)
            continue
        role, para_speaker, _ = role_of.get((sid, number), (None, None, None))
        if role is not None and role != "statement":
            problems.append(table.problem(row, "paragraph", number, f"is a {role} paragraph in "
                                                                    f"paragraphs.csv, not a "
                                                                    f"statement"))
        elif role is not None and para_speaker is not None and speaker != para_speaker:
            problems.append(table.problem(row, "speaker_id", speaker,
                                          f"is not the speaker of paragraph {number}, which "
                                          f"paragraphs.csv gives to '{para_speaker}'"))
        quoted.add((sid, number))
        paragraph = normalise(split[sid][number - 1])
        offset = paragraph.find(normalise(text))
        if offset < 0:
            elsewhere = [n for n, p in enumerate(split[sid], start=1)
                         if normalise(text) in normalise(p)]
            hint = (f" (it is in paragraph {elsewhere[0]})" if elsewhere
                    else _first_difference(normalise(text), paragraph))
            problems.append(table.problem(row, "text", text,
                                          f"does not appear verbatim in paragraph {number} of "
                                          f"the source '{sid}'{hint}"))
        else:
            by_paragraph.setdefault((sid, number), []).append((row, record))
        delegation = state_of(speaker, actors)
        if delegation is not None and str(record["delegation"]) != delegation:
            problems.append(table.problem(row, "delegation", record["delegation"],
                                          f"is not the delegation of the speaker '{speaker}' "
                                          f"('{delegation}', from actors.csv)"))
        kind = str(actors.loc[speaker, "kind"])
        expected = "head_of_delegation" if kind == "person" else "delegation"
        if str(record["attribution"]) != expected:
            problems.append(table.problem(row, "attribution", record["attribution"],
                                          f"does not fit the speaker '{speaker}', a {kind}: "
                                          f"expected '{expected}'"))
        if bool(sources.loc[sid, "in_base_document"]) \
                and not bool(events.loc[record["event_id"], "in_base_document"]):
            problems.append(table.problem(row, "event_id", record["event_id"],
                                          "is a context event, but the statement comes from "
                                          "the base document"))
        if str(record["statement_id"]) not in positioned:
            problems.append(table.problem(row, "statement_id", record["statement_id"],
                                          "has no row in positions.csv: every statement needs "
                                          "at least one position"))

    # the statements of a paragraph make up the paragraph; split paragraphs say so
    for (sid, number), members in by_paragraph.items():
        if role_of.get((sid, number), ("statement",))[0] != "statement":
            continue
        members = sorted(members, key=lambda item: int(item[1]["part"]))
        problems += _parts_problems(table, number, members, split[sid][number - 1])
        if len(members) > 1:
            for row, record in members:
                if not _present(record["note"]):
                    problems.append(table.problem(row, "note", None,
                                                  f"is empty, but paragraph {number} is split "
                                                  f"into {len(members)} statements: the note "
                                                  f"must say so"))
    # every statement paragraph has its statements
    for (sid, number), (role, _, prow) in role_of.items():
        if role == "statement" and (sid, number) not in quoted:
            problems.append(tables["paragraphs"].problem(
                prow, "role", "statement",
                f"but no row of statements.csv quotes paragraph {number}"))

    return problems


def _parts_problems(table, number: int, members: list, paragraph: str) -> list[Problem]:
    """Problems with the statements of one paragraph (``members``: (row, record) sorted by
    part): their parts must run 1, 2, ... and their texts, in that order, make it up."""
    problems = []
    parts = [int(record["part"]) for _, record in members]
    for (row, record), want in zip(members, range(1, len(members) + 1), strict=True):
        if int(record["part"]) != want:
            problems.append(table.problem(row, "part", record["part"],
                                          f"breaks the numbering of paragraph {number}'s "
                                          f"statements: their parts must run 1, 2, ... in the "
                                          f"order of the text (found "
                                          f"{', '.join(map(str, parts))})"))
            break
    texts = [normalise(str(record["text"])) for _, record in members]
    whole = normalise(paragraph)
    if " ".join(texts) == whole:
        return problems
    row, record = members[0]
    by_place = sorted(texts, key=whole.find)
    if " ".join(by_place) == whole:
        return problems + [table.problem(row, "part", record["part"],
                                         f"puts the statements of paragraph {number} out of "
                                         f"the order of the text: number their parts as the "
                                         f"text runs")]
    rest = whole
    for text in texts:
        rest = rest.replace(text, " | ", 1)
    missing = " ".join(piece.strip() for piece in rest.split("|") if piece.strip())
    return problems + [table.problem(row, "text", record["text"],
                                     f"and the other statements of paragraph {number} do not "
                                     f"make up the whole paragraph, in order; left over: "
                                     f"{_show(missing or '(overlap)', 80)}")]


#: Which way each stance leans toward an issue's proposition (analysis reads it too).
LEAN = {"for": "for", "conditional": "for", "neutral": "neither", "against": "against"}


def _check_positions(frames, tables) -> list[Problem]:
    """No delegation leans both for and against one issue's proposition: a coding that
    does is a coding error (the stances of one side's statements on one issue contradict)."""
    positions = frames["positions"]
    delegation = dict(zip(frames["statements"]["statement_id"].astype(str),
                          frames["statements"]["delegation"].astype(str), strict=True))
    first: dict[tuple[str, str, str], tuple[int, str]] = {}
    problems = []
    for row, record in _rows(positions):
        side = delegation.get(str(record["statement_id"]))
        lean = LEAN.get(str(record["stance"]))
        if side is None or lean not in {"for", "against"}:
            continue
        other = "against" if lean == "for" else "for"
        key = (side, str(record["issue_id"]))
        if (key + (other,)) in first:
            row_before, statement = first[key + (other,)]
            problems.append(tables["positions"].problem(
                row, "stance", record["stance"],
                f"contradicts row {row_before} ({statement}): the {side} delegation would "
                f"lean both for and against issue '{key[1]}'"))
        first.setdefault(key + (lean,), (row, str(record["statement_id"])))
    return problems


def _beyond_source(table, row: int, sid: str, number: int, split) -> Problem | None:
    """The problem of a row whose paragraph is past the end of its source's local copy."""
    last = len(split[sid])
    if number <= last:
        return None
    return table.problem(row, "paragraph", number,
                         f"is beyond the last paragraph ({last}) of the source '{sid}'")


def _first_difference(text: str, paragraph: str) -> str:
    """Where ``text`` first departs from the closest passage of ``paragraph``."""
    matcher = difflib.SequenceMatcher(None, text, paragraph, autojunk=False)
    first = matcher.get_matching_blocks()[0]
    at = first.size if first.a == 0 else 0
    start = first.b + at if first.a == 0 else 0
    ours = text[max(at - 20, 0) : at + 20]
    theirs = paragraph[max(start - 20, 0) : start + 20]
    return f"; it departs from the source at character {at + 1}: {_show(ours)} against " \
           f"{_show(theirs)} in the source"


def state_of(actor_id: Any, actors: pd.DataFrame) -> str | None:
    """Name of the state an actor belongs to, following affiliations up to an actor of kind
    ``state`` (None if there is none). ``actors`` is indexed by actor_id."""
    seen = set()
    while _present(actor_id) and actor_id in actors.index and actor_id not in seen:
        seen.add(actor_id)
        if str(actors.loc[actor_id, "kind"]) == "state":
            return str(actors.loc[actor_id, "name"])
        actor_id = actors.loc[actor_id, "affiliation"]
    return None


# -- the data dictionary ----------------------------------------------------------------------


def dictionary_overview(data: Dataset | None = None) -> pd.DataFrame:
    """One row per table of datapackage.json: file, rows, primary key, links, description."""
    data = data if data is not None else load()
    rows = []
    for resource in data.package["resources"]:
        schema = resource["schema"]
        links = [f"{', '.join(fk['fields'])} → "
                 f"{fk['reference'].get('resource') or resource['name']}."
                 f"{', '.join(fk['reference']['fields'])}"
                 for fk in schema.get("foreignKeys", [])]
        rows.append({
            "table": resource["name"],
            "file": f"data/{resource['path']}",
            "rows": len(getattr(data, resource["name"])),
            "primary key": ", ".join(_as_list(schema.get("primaryKey"))),
            "links to": "; ".join(links),
            "description": resource.get("description", ""),
        })
    return pd.DataFrame(rows)


def dictionary_tables(data: Dataset | None = None) -> dict[str, pd.DataFrame]:
    """For each table, one row per column: type, whether required or unique, the allowed
    values or other constraints, the table it links to, and the description."""
    data = data if data is not None else load()
    tables = {}
    for resource in data.package["resources"]:
        schema = resource["schema"]
        primary = _as_list(schema.get("primaryKey"))
        links = {}
        for fk in schema.get("foreignKeys", []):
            target = fk["reference"].get("resource") or resource["name"]
            for own, theirs in zip(_as_list(fk["fields"]), _as_list(fk["reference"]["fields"]),
                                   strict=True):
                links[own] = f"{target}.{theirs}"
        rows = []
        for spec in schema["fields"]:
            constraints = dict(spec.get("constraints", {}))
            enum = constraints.pop("enum", None)
            required = constraints.pop("required", False) or spec["name"] in primary
            unique = constraints.pop("unique", False)
            kind = spec.get("type", "string")
            if spec.get("format") and kind != "date":
                kind += f" ({spec['format']})"
            rows.append({
                "column": spec["name"],
                "type": kind,
                "required": "yes" if required else "no",
                "key": "primary" if spec["name"] in primary else ("unique" if unique else ""),
                "allowed values": " | ".join(enum) if enum else "",
                "other constraints": "; ".join(f"{k} {v}" for k, v in constraints.items()),
                "links to": links.get(spec["name"], ""),
                "description": spec.get("description", ""),
            })
        tables[resource["name"]] = pd.DataFrame(rows)
    return tables


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)
