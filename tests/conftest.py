"""Shared fixtures: a throwaway copy of the project, and the book built from it.

The book tests never build into the working tree: they copy the project (tests/projects.py)
to a temporary folder and build there, with the copy's geneva_talks first on PYTHONPATH so
that its notebooks read the copy's data/. One build serves every test of the session.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from projects import ROOT, BuildFailed, build_book, copy_project, rewrite_statement

#: Markup appended to one statement (and to its source paragraph) in the hostile copy.
HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> zq7'
#: The statement that carries it.
HOSTILE_STATEMENT = "S02"


def _build_or_fail(project: Path, *extra: str) -> None:
    try:
        build_book(project, *extra)
    except (BuildFailed, FileNotFoundError) as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def book_project(tmp_path_factory) -> Path:
    """A copy of the project, built once with `-n -W --keep-going`."""
    try:
        project = copy_project(tmp_path_factory.mktemp("book") / "project")
    except FileNotFoundError as error:
        pytest.fail(str(error), pytrace=False)
    _build_or_fail(project)
    return project


@pytest.fixture(scope="session")
def book_html(book_project) -> Path:
    """The built book's HTML folder."""
    return book_project / "_build" / "html"


@pytest.fixture(scope="session")
def hostile_project(book_project, tmp_path_factory) -> Path:
    """The built project copied with its _build (execution cache included), a statement
    rewritten to carry markup, then rebuilt: the cache alone would serve the old outputs."""
    project = tmp_path_factory.mktemp("hostile") / "project"
    shutil.copytree(book_project, project, symlinks=True)
    rewrite_statement(project, HOSTILE_STATEMENT, HOSTILE)
    _build_or_fail(project)
    return project


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
