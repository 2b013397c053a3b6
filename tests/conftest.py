"""Shared fixtures: throwaway copies of the project, and the book built from them.

The book tests never build into the working tree: they copy the project (tests/projects.py)
to a temporary folder and build there, with the copy's geneva_talks first on PYTHONPATH so
that its notebooks read the copy's data/. Two builds serve the whole session: the book as it
is (``book_project``) and a copy whose data carries markup (``hostile_project``).

The builds take most of the suite's time, so they start in the background as soon as the
tests are collected, and the tests that need them run last: the library, data and notebook
tests run meanwhile, on the other core.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from browser_support import book_url, browser  # noqa: F401 (fixtures for every test module)
from hostile import make_hostile
from projects import BackgroundBuild, BuildFailed, copy_project


def _prepare_book(project: Path) -> None:
    """The book as it is."""


#: Session builds, by the fixture that serves each: how to prepare its copy of the project.
BUILDS = {"book_project": _prepare_book, "hostile_project": make_hostile}
_started: dict[str, BackgroundBuild | Exception] = {}
_workdir: list[Path] = []


def _builds_needed(item) -> set[str]:
    """The session builds a collected test uses (nbval cells have no fixtures)."""
    return set(BUILDS).intersection(getattr(item, "fixturenames", ()))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Run the tests that need a build last (stable: a notebook's cells keep their order)."""
    items[:] = ([i for i in items if not _builds_needed(i)]
                + [i for i in items if _builds_needed(i)])


def pytest_collection_finish(session):
    """Start, in the background, every build that some selected test will need."""
    needed = set().union(*map(_builds_needed, session.items))
    if not needed or session.config.option.collectonly:
        return
    workdir = Path(tempfile.mkdtemp(prefix="geneva-book-tests-"))
    _workdir.append(workdir)
    for name in sorted(needed):
        try:
            project = copy_project(workdir / name / "project")
            BUILDS[name](project)
            _started[name] = BackgroundBuild(project)
        except Exception as error:  # reported by the fixture, in the tests that need it
            _started[name] = error


def pytest_sessionfinish(session, exitstatus):
    for build in _started.values():
        if isinstance(build, BackgroundBuild):
            build.stop()
    for workdir in _workdir:
        shutil.rmtree(workdir, ignore_errors=True)


def _finished(name: str) -> Path:
    build = _started.get(name)
    if build is None:
        pytest.fail(f"the {name} build was never started", pytrace=False)
    if isinstance(build, Exception):
        pytest.fail(f"could not start the {name} build: {build}", pytrace=False)
    try:
        return build.wait()
    except BuildFailed as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def book_project() -> Path:
    """A copy of the project, built with `-n -W --keep-going` (started after collection)."""
    return _finished("book_project")


@pytest.fixture(scope="session")
def book_html(book_project) -> Path:
    """The built book's HTML folder."""
    return book_project / "_build" / "html"


@pytest.fixture(scope="session")
def hostile_project() -> Path:
    """A copy of the project whose data carry markup in every text field, a very long token
    and a statement from a second source (tests/hostile.py), built like the book."""
    return _finished("hostile_project")
