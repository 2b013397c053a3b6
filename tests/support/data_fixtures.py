"""Helpers shared by tests/test_data.py and tests/test_bad_input.py.

They work on throwaway copies of data/ (never on the project's own files) and re-implement
the few text rules they check (paragraph splitting, normalising) independently of
geneva_talks.data, so that a bug in the loader cannot hide itself.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

from projects import ROOT

DATA = ROOT / "data"
BASE_TEXT = DATA / "sources" / "geneva-talks-2022-summary.txt"
#: The shared original of the base document (beside the project, when it is there).
SHARED_BASE_TEXT = ROOT.parent / "shared" / "sources" / "geneva-talks-2022-summary.txt"


def copy_data(tmp_path: Path) -> Path:
    """A copy of data/ under ``tmp_path``; returns the copy's data folder."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in a UTF-8 file; fail loudly if ``old`` is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path.name}: the test is out of date"
    path.write_text(text.replace(old, new, count), encoding="utf-8", newline="")


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def blocks(text: str) -> list[str]:
    """Paragraphs as blocks between blank lines, by a regular expression (not the loader's)."""
    return [b.strip() for b in re.split(r"\n[ \t\u00a0]*\n", text.strip()) if b.strip()]


def flat(text: str) -> str:
    """Whitespace collapsed, curly quotes straightened: the only liberties the data may take."""
    for curly, straight in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(curly, straight)
    return re.sub(r"\s+", " ", text).strip()
