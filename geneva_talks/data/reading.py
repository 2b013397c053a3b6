"""Stage 1: the files. The descriptor and every table must exist, be UTF-8, parse as CSV,
and have the columns the schema declares, in order, and as many fields in each row."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .paths import DESCRIPTOR, display_path
from .problems import DataError, Problem

#: The tables every package must have, in the order they are loaded and checked.
TABLES = ("sources", "actors", "events", "issues", "paragraphs", "statements", "positions",
          "codings", "records", "corroboration")

#: Columns the loader's own checks read, by table (the schema may declare more).
REQUIRED_COLUMNS = {
    "sources": ("source_id", "kind", "url", "via_url", "path", "sha256", "in_base_document"),
    "actors": ("actor_id", "name", "kind", "affiliation", "in_base_document", "source_id",
               "context"),
    "events": ("event_id", "date", "in_base_document", "source_id", "venue", "level",
               "participants", "context"),
    "issues": ("issue_id", "order"),
    "paragraphs": ("source_id", "paragraph", "role", "speaker_id"),
    "statements": ("statement_id", "event_id", "speaker_id", "delegation", "attribution",
                   "paragraph", "part", "text", "source_id", "note"),
    "positions": ("statement_id", "issue_id", "side", "stance"),
    "codings": ("coder", "statement_id", "issue_id", "side", "stance"),
    "records": ("record_id", "event_id", "side", "url", "via_url"),
    "corroboration": ("statement_id", "record_id", "verdict"),
}


def read_files(folder: Path) -> tuple[dict, dict[str, bytes]]:
    """The parsed descriptor and the bytes of every file the package uses, by relative path."""
    descriptor_path = folder / DESCRIPTOR
    shown = display_path(descriptor_path)
    if not folder.is_dir():
        raise DataError(Problem(display_path(folder), "the data folder does not exist"))
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
        if not isinstance(path, str) or not safe_relative(path):
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
            problems.append(Problem(display_path(file), f"file not found (resource '{name}' of "
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


def safe_relative(path: str) -> bool:
    parts = Path(path).parts
    return bool(parts) and not Path(path).is_absolute() and ".." not in parts


@dataclass
class Table:
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


def parse_table(name: str, path: Path, data: bytes, schema: dict):
    shown = display_path(path)
    fields = schema.get("fields", [])
    primary_key = as_list(schema.get("primaryKey"))
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
    return Table(name, shown, fields, primary_key, header, records, lines), []


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


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)
