"""Student handouts: copies of the chapter notebooks with the solutions taken out, and a
one-page handout of the base document.

Every cell that belongs to a solution carries the cell tag ``solution`` (the solution
directive in markdown, the ``solution-start``/``solution-end`` markers of a gated
solution, and the code cells between them). A handout keeps every other cell, clears the
outputs and execution counts of its code cells (students run them), and goes to the same
relative path under the output folder.

    python -m book_tools.handouts --out handouts chapters

A notebook with an untagged cell that holds solution markup, or that sits between a
``solution-start`` and its ``solution-end``, is refused (``HandoutError``): a forgotten tag
must not hand the answers out. Handouts are written to a new folder that replaces the old
one only when all of them are written: a failure leaves the old handouts as they were, and
no file of an earlier run survives a later one.

``source-handout.html`` is the base document on one printed page: its paragraphs numbered as
the book numbers them, and one line that says whose wording it is.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable
from copy import deepcopy
from pathlib import Path

import nbformat

SOLUTION_TAG = "solution"
#: Markup that only a solution cell may hold (MyST directives of sphinx-exercise).
SOLUTION_MARKUP = re.compile(r"\{solution(?:-start|-end)?\}|solution-start|solution-end")


class HandoutError(ValueError):
    """A notebook cannot be turned into a handout (an untagged cell holds a solution)."""


def is_solution(cell) -> bool:
    """True for a cell tagged ``solution``."""
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def solution_markup(cell) -> bool:
    """True when the cell's source holds solution markup."""
    return bool(SOLUTION_MARKUP.search(cell.get("source", "")))


def handout(nb: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """A copy of ``nb`` without its solution cells and with code outputs cleared; raises
    HandoutError where a solution cell is not tagged."""
    copy = deepcopy(nb)
    cells = []
    gated = False  # between a solution-start and its solution-end: every cell is a solution
    for index, cell in enumerate(nb.cells):
        source = cell.get("source", "")
        starts, ends = "{solution-start}" in source, "{solution-end}" in source
        inside = gated or starts
        gated = (gated or starts) and not ends
        if is_solution(cell):
            continue
        if inside or solution_markup(cell):
            raise HandoutError(f"{name}: cell {index} belongs to a solution but is not tagged "
                               f"{SOLUTION_TAG!r}; tag it so the handout leaves it out")
        cell = deepcopy(cell)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    if gated:
        raise HandoutError(f"{name}: a solution-start has no solution-end")
    copy.cells = cells
    copy.metadata.pop("widgets", None)  # widget state belongs to the outputs just cleared
    return copy


def notebooks(root: Path) -> list[Path]:
    """Every notebook under ``root``, sorted, without .ipynb_checkpoints copies."""
    return sorted(p for p in root.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def write_handouts(sources: Iterable[Path], out: Path) -> list[Path]:
    """Write a handout of each notebook in ``sources``, and the source handout, to ``out``
    (replacing it whole, and only once everything is written); return the files written.

    A folder's notebooks keep their path relative to that folder (``chapters/classroom/x.ipynb``
    goes to ``out/classroom/x.ipynb``); a notebook named directly goes to ``out/<its name>``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        written = [*_write_notebooks(sources, staging), write_source_handout(staging)]
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out / path.relative_to(staging) for path in written]


def _write_notebooks(sources: Iterable[Path], out: Path) -> list[Path]:
    written = []
    for source in map(Path, sources):
        found = [(p, p.relative_to(source)) for p in notebooks(source)] if source.is_dir() \
            else [(source, Path(source.name))]
        if not found:
            raise HandoutError(f"{source}: no notebook found")
        for path, relative in found:
            nb = nbformat.read(path, as_version=4)
            target = out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(handout(nb, str(path)), target)
            written.append(target)
    return written


SOURCE_HANDOUT = "source-handout.html"
_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>The base document</title>
<style>@page {{ size: A4; margin: 12mm 14mm; }}
body {{ font: 9.5pt/1.3 Georgia, serif; max-width: 46em; margin: auto; }}
h1 {{ font-size: 13pt; margin: 0 0 0.3em; }} p {{ margin: 0 0 0.45em; }}
.note {{ font-size: 8.5pt; font-style: italic; }} b {{ font-family: sans-serif; }}</style>
</head><body><h1>The base document: a news summary of the Geneva talks, 9&ndash;10 January
2022</h1><p class="note">Its sentences are the summary's own, apparently translated, wording:
a sentence under a name is how the summary renders what that person said, not their words.
Paragraphs are numbered as in the book.</p>
{paragraphs}
</body></html>
"""


def write_source_handout(out: Path) -> Path:
    """The base document as a printable one-page HTML file in ``out``."""
    import geneva_talks

    data = geneva_talks.load()
    paragraphs = "\n".join(f"<p><b>{number}</b> {html.escape(text)}</p>"
                           for number, text in geneva_talks.source_paragraphs(data).items())
    target = out / SOURCE_HANDOUT
    target.write_text(_PAGE.format(paragraphs=paragraphs), encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m book_tools.handouts",
        description="Write student copies of notebooks with the cells tagged 'solution' removed.")
    parser.add_argument("sources", nargs="+", type=Path,
                        help="notebooks or folders of notebooks (e.g. chapters)")
    parser.add_argument("--out", type=Path, default=Path("handouts"),
                        help="output folder (default: handouts)")
    args = parser.parse_args(argv)
    try:
        written = write_handouts(args.sources, args.out)
    except HandoutError as error:
        print(f"handouts: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(f"handouts: wrote {path}")
    print(f"handouts: {len(written)} file(s) in {args.out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
