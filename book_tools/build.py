"""The book's build command, in one place.

``make book`` runs ``python -m book_tools.build``; the PDF build, the tests (which build
copies of the project) and the benchmarks call :func:`build_command`. The flags make a
warning, a broken reference or a failing notebook fail the build.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

#: -n: nitpicky (every reference must resolve); -W: warnings are errors; --keep-going:
#: report them all before failing.
BUILD_FLAGS = ("-n", "-W", "--keep-going")


def build_command(project: Path, *extra: str, flags=BUILD_FLAGS) -> list[str]:
    """The ``jupyter-book build`` command line for ``project`` (the venv's jupyter-book)."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    return [str(jupyter_book), "build", str(project), *flags, *extra]


def main(argv: list[str] | None = None) -> int:
    """Build the book in the current folder (or the folder given) and return the exit code."""
    args = sys.argv[1:] if argv is None else argv
    project = Path(args[0]) if args else Path(".")
    return subprocess.run(build_command(project)).returncode


if __name__ == "__main__":
    sys.exit(main())
