"""Re-execute notebooks in place, as authors should before committing: `make notebooks`.

Each notebook runs top to bottom in a fresh kernel, in its own folder (as the book build and
nbval run it), and is saved with its outputs and widget state but without timing metadata,
so that a re-run leaves unchanged what did not change. Usage:
``python -m geneva_talks.execute [NOTEBOOK ...]`` (default: every notebook under chapters/).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from .handouts import notebooks

ROOT = Path(__file__).resolve().parent.parent


def execute(path: Path, timeout: int = 300) -> None:
    """Run ``path`` in place; raise nbclient's CellExecutionError if a cell fails."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            record_timing=False, store_widget_state=True,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    nbformat.write(notebook, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = args.notebooks or notebooks(ROOT / "chapters")
    for path in paths:
        print(f"executing {path}", flush=True)
        execute(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
