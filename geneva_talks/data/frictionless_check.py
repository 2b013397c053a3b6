"""Stage 2: the schema, checked by Frictionless (types, required values, vocabularies,
patterns, ranges, unique values, primary and foreign keys), each error turned into a
:class:`Problem` with file, row, line, column and value."""

from __future__ import annotations

import copy
import re
from pathlib import Path

from .paths import DESCRIPTOR, display_path
from .problems import Problem
from .reading import Table


def frictionless_problems(folder: Path, package: dict, tables: dict[str, Table]):
    from frictionless import FrictionlessException, Package

    shown = display_path(folder / DESCRIPTOR)
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


def _convert(error, table: Table | None, tables: dict[str, Table], shown: str) -> Problem:
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
