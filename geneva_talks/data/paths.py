"""Where the data are: one definition, found from this package, whatever the working
directory; and how error messages show a path."""

from __future__ import annotations

from pathlib import Path

#: The project's data folder, found from this file: the same whatever the working directory.
DATA_DIR = Path(__file__).resolve().parents[2] / "data"

#: Paths in error messages are relative to this folder where possible.
PROJECT_ROOT = DATA_DIR.parent

#: The descriptor's file name inside the data folder.
DESCRIPTOR = "datapackage.json"


def display_path(path: Path) -> str:
    """``path`` relative to the project root where possible (``data/statements.csv``)."""
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)
