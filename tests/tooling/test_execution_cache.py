"""A change to data/ reaches the rebuilt book, although the notebooks' code did not change,
even when the build that first saw it was killed while it wrote the pages; a change to
_static/ alone reaches the book too, without executing anything again.

Jupyter Book's execution cache keys on code cells only; book_tools.sphinx_ext empties it
when data/ or geneva_talks/ change. These tests build a copy of the project (one chapter,
to be quick), change the copy, rebuild, and look at the pages and at the cache's records
(a record per executed notebook, stamped with when it was executed).
"""

from __future__ import annotations

import json

import pytest
from jupyter_cache import get_cache
from projects import BuildFailed, build_book, copy_project, rewrite_statement

pytestmark = pytest.mark.book

CHAPTER = "chapters/02-russian-delegation"
TOC = f"""format: jb-book
root: cache-test
chapters:
  - file: {CHAPTER}
"""
#: One chapter alone has references to pages left out: these builds run without -W.
FLAGS = ("--keep-going",)


@pytest.fixture
def project(tmp_path):
    """A copy of the project whose book is one chapter, built once."""
    project = copy_project(tmp_path / "project")
    (project / "cache-test.md").write_text("# Cache test\n", encoding="utf-8")
    (project / "_toc.yml").write_text(TOC, encoding="utf-8")
    build_book(project, flags=FLAGS)
    return project


def _page(project) -> str:
    return (project / "_build" / "html" / f"{CHAPTER}.html").read_text(encoding="utf-8")


def _executions(project) -> set:
    """(notebook hash, time executed) of every notebook in the execution cache."""
    cache = get_cache(project / "_build" / ".jupyter_cache")
    return {(record.hashkey, record.created) for record in cache.list_cache_records()}


def test_a_data_change_reaches_the_rebuilt_book(project):
    executed = _executions(project)
    assert len(executed) == 1, "the chapter's execution is not in the cache"
    # An edit to prose only: the page is read again, and its outputs come from the cache.
    notebook = project / f"{CHAPTER}.ipynb"
    title = "# What the Russian delegation said"
    notebook.write_text(notebook.read_text(encoding="utf-8").replace(
        title, f"{title} (edited)", 1), encoding="utf-8")
    again = build_book(project, flags=FLAGS)
    assert "(edited)" in _page(project)
    assert "Using cached notebook" in again.stdout + again.stderr, "the cache is not used"
    assert _executions(project) == executed
    assert "cachemarker42" not in _page(project)

    rewrite_statement(project, "S02", "cachemarker42")
    build_book(project, flags=FLAGS)
    assert "cachemarker42" in _page(project), "the execution cache served stale output"
    assert _executions(project).isdisjoint(executed), "the notebook was not executed again"


def test_a_stylesheet_change_alone_reaches_the_book_without_executing_again(project):
    executed = _executions(project)
    css = project / "_static" / "book.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* stylemarker42 */\n", encoding="utf-8")
    build_book(project, flags=FLAGS)
    built = project / "_build" / "html" / "_static" / "book.css"
    assert "stylemarker42" in built.read_text(encoding="utf-8"), "the new stylesheet was not copied"
    assert _executions(project) == executed, "a stylesheet change executed the notebook again"


def test_a_failing_notebook_fails_the_build_with_its_error(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "cache-test.md").write_text("# Cache test\n", encoding="utf-8")
    (project / "_toc.yml").write_text(TOC, encoding="utf-8")
    notebook = project / f"{CHAPTER}.ipynb"
    content = json.loads(notebook.read_text(encoding="utf-8"))
    content["cells"].append({"cell_type": "code", "id": "boom", "metadata": {},
                             "execution_count": None, "outputs": [],
                             "source": "raise RuntimeError('failmarker42')"})
    notebook.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(BuildFailed, match="failmarker42"):
        build_book(project, flags=FLAGS)


#: A Sphinx extension for the test only: the build process dies, as if killed, when it is
#: about to write the page named in $CRASH_WHILE_WRITING (pages before it are written).
CRASH_EXTENSION = """import os


def _crash(app, pagename, *args):
    if os.environ.get("CRASH_WHILE_WRITING") == pagename:
        os._exit(9)


def setup(app):
    app.connect("html-page-context", _crash)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
"""


def test_a_build_killed_while_writing_pages_is_repaired_by_the_next(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "cache-test.md").write_text("# Cache test\n", encoding="utf-8")
    (project / "_toc.yml").write_text(TOC, encoding="utf-8")
    (project / "crash_while_writing.py").write_text(CRASH_EXTENSION, encoding="utf-8")
    config = project / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  extra_extensions:\n", "  extra_extensions:\n    - crash_while_writing\n", 1),
        encoding="utf-8")
    build_book(project, flags=FLAGS)
    rewrite_statement(project, "S02", "killmarker42")
    with pytest.raises(BuildFailed):
        build_book(project, flags=FLAGS, env={"CRASH_WHILE_WRITING": CHAPTER})
    assert "killmarker42" not in _page(project), "the test did not stop the build in time"
    build_book(project, flags=FLAGS)
    assert "killmarker42" in _page(project), "the build after an interrupted one left stale pages"


def test_a_tooling_edit_executes_nothing_and_a_library_edit_everything(project):
    """The fingerprint covers what outputs depend on: the reader's library, not the tooling."""
    executed = _executions(project)
    tooling = project / "book_tools" / "pdf.py"
    tooling.write_text(tooling.read_text(encoding="utf-8") + "\n# an edit to the tooling\n",
                       encoding="utf-8")
    build_book(project, flags=FLAGS)
    assert _executions(project) == executed, "editing the tooling executed the notebook again"
    library = project / "geneva_talks" / "prose.py"
    library.write_text(library.read_text(encoding="utf-8") + "\n# an edit to the library\n",
                       encoding="utf-8")
    build_book(project, flags=FLAGS)
    assert _executions(project).isdisjoint(executed), "a library edit left a stale output"
