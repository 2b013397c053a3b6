"""Pre-flight: check the data before anything executes. ``make book`` and ``make notebooks``
run it first, so that one bad value fails in about a second with one message, instead of
failing every notebook at once.

Usage: ``python -m book_tools.preflight [PROJECT]`` (default: this project). It loads the
data package (every rule of :func:`geneva_talks.load`) and checks the one rule that joins
the data to the book: every outside source in ``sources.csv`` has an entry under its id in
``references.bib``, with the same URL. Exit status 0 when all is well, 1 with the message
on standard error otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geneva_talks import DataError, Dataset, Problem, load

BIBLIOGRAPHY = "references.bib"


def bibliography_problems(data: Dataset, bibfile: Path) -> list[Problem]:
    """Outside sources without an entry in ``bibfile``, or whose entry gives another URL."""
    from pybtex.database import parse_file

    entries = parse_file(str(bibfile)).entries
    shown = "data/" + next(r["path"] for r in data.package["resources"]
                           if r["name"] == "sources")
    problems = []
    for row, source in enumerate(data.sources.to_dict("records"), start=1):
        if bool(source["in_base_document"]):
            continue
        entry = entries.get(source["source_id"])
        if entry is None:
            problems.append(Problem(shown, f"has no entry in {BIBLIOGRAPHY}: every outside "
                                           f"source is cited there under its source_id",
                                    row=row, column="source_id", value=source["source_id"]))
        elif str(source["url"]) not in entry.fields.get("howpublished", ""):
            problems.append(Problem(shown, f"is not the URL of the entry "
                                           f"'{source['source_id']}' in {BIBLIOGRAPHY}",
                                    row=row, column="url", value=source["url"]))
    return problems


def check(project: Path) -> None:
    """Raise DataError if the project's data or its bibliography is wrong."""
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
