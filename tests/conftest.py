"""Shared fixtures: a throwaway copy of the project, and the book built from it.

The book tests never build into the working tree: they copy the project (without
_build, .venv and node_modules, which is linked) to a temporary folder and build there,
with that copy's geneva_talks first on PYTHONPATH so that the notebooks read the
copy's data/. One build serves every test of the session.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SKIP_DIRS = {
    "_build", ".venv", "node_modules", ".git", "handouts", "__pycache__",
    ".pytest_cache", ".ruff_cache", ".ipynb_checkpoints", "_work",
}


def copy_project(target: Path) -> Path:
    """Copy the project's sources to ``target`` and link its node_modules; return ``target``."""
    shutil.copytree(ROOT, target, ignore=lambda _dir, names: SKIP_DIRS.intersection(names))
    modules = ROOT / "node_modules"
    if not modules.is_dir():
        pytest.fail("node_modules/ is missing: run `make test` (it runs `npm ci`), not bare pytest")
    (target / "node_modules").symlink_to(modules, target_is_directory=True)
    return target


def build_env(project: Path) -> dict[str, str]:
    """Environment in which ``project``'s own geneva_talks and data/ win over the installed ones."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(project), env.get("PYTHONPATH")]))
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
    return env


def build_book(project: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run ``jupyter-book build`` with the flags of ``make book``; fail the test with its log."""
    cmd = [str(BIN / "jupyter-book"), "build", str(project), "-n", "-W", "--keep-going", *extra]
    result = subprocess.run(cmd, cwd=project, env=build_env(project), capture_output=True,
                            text=True, timeout=1200)
    if result.returncode != 0:
        pytest.fail(f"jupyter-book build failed ({result.returncode}):\n"
                    f"{result.stdout[-6000:]}\n{result.stderr[-6000:]}")
    return result


@pytest.fixture(scope="session")
def book_project(tmp_path_factory) -> Path:
    """A copy of the project, built once with `-n -W --keep-going`."""
    project = copy_project(tmp_path_factory.mktemp("book") / "project")
    build_book(project)
    return project


@pytest.fixture(scope="session")
def book_html(book_project) -> Path:
    """The built book's HTML folder."""
    return book_project / "_build" / "html"


def toc_docnames(root: Path = ROOT) -> list[str]:
    """Every document named in _toc.yml (jb-book format), root first, without suffix."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                names.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return [str(Path(n).with_suffix("")) for n in names]


# -- A statement rewritten to carry markup: a change to data/ that must reach the book as text --

#: Markup appended to one statement (and to its source paragraph) in the hostile copy.
HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> zq7'
STATEMENT = "S01"


def _rewrite_statement(project: Path, statement_id: str, suffix: str) -> str:
    """Append ``suffix`` to one statement, in statements.csv and in its source paragraph alike."""
    path = project / "data" / "statements.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
        fields = list(rows[0])
    row = next(r for r in rows if r["statement_id"] == statement_id)
    old = row["text"]
    row["text"] = old + " " + suffix
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    source = project / "data" / "sources" / "geneva-talks-2022-summary.txt"
    text = source.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{statement_id} is not found once in the source"
    source.write_text(text.replace(old, row["text"]), encoding="utf-8")
    return row["text"]


@pytest.fixture(scope="session")
def hostile_project(book_project, tmp_path_factory) -> Path:
    """The built project copied with its _build (execution cache included), then a statement
    rewritten to carry markup, then rebuilt: the cache alone would serve the old outputs."""
    project = tmp_path_factory.mktemp("hostile") / "project"
    shutil.copytree(book_project, project, symlinks=True)
    _rewrite_statement(project, STATEMENT, HOSTILE)
    build_book(project)
    return project
