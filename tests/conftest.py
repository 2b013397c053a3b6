"""Shared fixtures: a throwaway copy of the project, and the book built from it.

The book tests never build into the working tree: they copy the project (tests/projects.py)
to a temporary folder and build there, with the copy's geneva_talks first on PYTHONPATH so
that its notebooks read the copy's data/. One build serves every test of the session, and
a second, independent one carries hostile data.

`make test` runs pytest-xdist (`-n auto --dist loadgroup`): every test that needs one of
the builds is grouped with the others that need it (one build per group, on one worker),
and each notebook's nbval cells stay together on one worker and one kernel.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import book_url, browser  # noqa: F401 (fixtures for every test module)
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
def hostile_project(tmp_path_factory) -> Path:
    """A copy of the project whose statement HOSTILE_STATEMENT (and its source paragraph)
    carries markup, built from scratch: every page that shows it must show it as text."""
    try:
        project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    except FileNotFoundError as error:
        pytest.fail(str(error), pytrace=False)
    rewrite_statement(project, HOSTILE_STATEMENT, HOSTILE)
    _build_or_fail(project)
    return project


#: Fixtures that each stand for one build; tests using one are grouped on one xdist worker.
BUILD_GROUPS = {"hostile_project": "hostile-build", "book_project": "book-build"}


def pytest_collection_modifyitems(config, items):
    """Group tests for pytest-xdist's loadgroup: by the build they use, and nbval cells by
    notebook (a notebook's cells share one kernel, so they must run together, in order)."""
    for item in items:
        if item.nodeid.endswith(".ipynb") or ".ipynb::" in item.nodeid:
            group = "nbval:" + item.nodeid.split("::", 1)[0]
        else:
            group = next((g for name, g in BUILD_GROUPS.items() if name in item.fixturenames),
                         None)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))


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
