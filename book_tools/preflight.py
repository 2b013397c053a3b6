"""Pre-flight: check the data before anything executes. ``make book`` and ``make notebooks``
run it first, so that one bad value fails in about a second with one message, instead of
failing every notebook at once.

Usage: ``python -m book_tools.preflight [PROJECT]`` (default: this project). It loads the
data package (every rule of :func:`geneva_talks.load`) and checks the one rule that joins
the data to the book: no entry of ``references.bib`` (the scholarly works) takes the id of
a source or record, whose entries the build makes from the data (book_tools.references).
Exit status 0 when all is well, 1 with the message on standard error otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geneva_talks import DataError, Dataset, Problem, load

BIBLIOGRAPHY = "references.bib"


def bibliography_problems(data: Dataset, bibfile: Path) -> list[Problem]:
    """Entries of ``bibfile`` whose key is also the id of a source or a record."""
    from pybtex.database import parse_file

    keys = set(parse_file(str(bibfile)).entries)
    problems = []
    for table, key in (("sources", "source_id"), ("records", "record_id")):
        for row, value in enumerate(getattr(data, table)[key].astype(str), start=1):
            if value in keys:
                problems.append(Problem(f"data/{table}.csv", f"is also a key of {BIBLIOGRAPHY}: "
                                                             f"the build makes this entry from "
                                                             f"the data, so remove it there",
                                        row=row, column=key, value=value))
    return problems


def check(project: Path) -> None:
    """Raise DataError if the project's data, or its bibliography, is wrong."""
    data = load(project / "data")
    problems = bibliography_problems(data, project / BIBLIOGRAPHY)
    if problems:
        raise DataError(problems)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", type=Path,
                        default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args(argv)
    try:
        check(args.project.resolve())
    except DataError as error:
        print(f"The data package is invalid; nothing was built.\n{error}", file=sys.stderr)
        return 1
    print("data: valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
