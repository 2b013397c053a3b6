"""A change to data/ reaches the rebuilt book, although the notebooks' code did not change;
a change to _static/ alone reaches it too, without executing anything again.

Jupyter Book's execution cache keys on code cells only; geneva_talks.sphinx_ext empties it
when data/ or geneva_talks/ change. This builds a copy of the project (one chapter, to be
quick), rewrites a statement in the copy's data, rebuilds, and looks for the new text.
"""

from __future__ import annotations

import pytest
from projects import build_book, copy_project, rewrite_statement

pytestmark = pytest.mark.book

CHAPTER = "chapters/02-russian-delegation"
TOC = f"""format: jb-book
root: cache-test
chapters:
  - file: {CHAPTER}
"""


def _page(project) -> str:
    return (project / "_build" / "html" / f"{CHAPTER}.html").read_text(encoding="utf-8")


def test_a_data_change_reaches_the_rebuilt_book(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "cache-test.md").write_text("# Cache test\n", encoding="utf-8")
    (project / "_toc.yml").write_text(TOC, encoding="utf-8")
    # One chapter alone has references to pages left out: build without -W.
    first = build_book(project, flags=("--keep-going",))
    assert "Executing notebook" in first.stdout + first.stderr
    # An edit to prose only: the page is read again, and its outputs come from the cache.
    notebook = project / f"{CHAPTER}.ipynb"
    notebook.write_text(notebook.read_text(encoding="utf-8").replace(
        "# The Russian delegation", "# The Russian delegation (edited)", 1), encoding="utf-8")
    again = build_book(project, flags=("--keep-going",))
    assert "(edited)" in _page(project)
    assert "Using cached notebook" in again.stdout + again.stderr, "the cache is not used"
    assert "cachemarker42" not in _page(project)

    rewrite_statement(project, "S02", "cachemarker42")
    build_book(project, flags=("--keep-going",))
    assert "cachemarker42" in _page(project), "the execution cache served stale output"


def test_a_stylesheet_change_alone_reaches_the_book_without_executing_again(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "cache-test.md").write_text("# Cache test\n", encoding="utf-8")
    (project / "_toc.yml").write_text(TOC, encoding="utf-8")
    build_book(project, flags=("--keep-going",))
    css = project / "_static" / "book.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* stylemarker42 */\n", encoding="utf-8")
    again = build_book(project, flags=("--keep-going",))
    built = project / "_build" / "html" / "_static" / "book.css"
    assert "stylemarker42" in built.read_text(encoding="utf-8"), "the new stylesheet was not copied"
    assert "Executing notebook" not in again.stdout + again.stderr, "a CSS change re-executed"
