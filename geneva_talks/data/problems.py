"""What the loader reports: a :class:`Problem` names file, row, line, column and value;
a :class:`DataError` carries every problem found, and its message lists them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: How rows are counted in error messages.
ROW_COUNTING = "rows count data rows from 1 after the header"


_MAX_LISTED = 25  # problems listed in one DataError message


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
            return f"{where}: value {show_value(self.value)} {self.message}"
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


def show_value(value: Any, limit: int = 90) -> str:
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 6] + " [...]"
    return "'" + text + "'"
