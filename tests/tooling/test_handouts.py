"""Student handouts: the solution cells go, everything else stays, and no solution survives."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from projects import ROOT

from book_tools import handouts

CHAPTERS = ROOT / "chapters"
EXERCISE_LABEL = re.compile(r"```\{exercise\}[^\n]*\n:label:\s*(\S+)")
SOLUTION_OF = re.compile(r"\{solution(?:-start)?\}\s*(\S+)")
#: Traces that a solution survived: the directives, the markers of gated solutions.
SOLUTION_TRACES = ("{solution", "solution-start", "solution-end")
#: How many exercises the book promises (three per chapter, twelve or more in all).
MIN_EXERCISES = 12


def tagged(cell, *tags):
    cell.metadata["tags"] = list(tags)
    return cell


def small_notebook():
    computed = new_code_cell("answer = 6 * 7\nanswer", execution_count=3,
                             outputs=[new_output("execute_result", {"text/plain": "42"},
                                                 execution_count=3)])
    return new_notebook(cells=[
        new_markdown_cell("# A chapter"),
        computed,
        new_markdown_cell("```{exercise} Count\n:label: ex-small-1\nHow many?\n```"),
        tagged(new_markdown_cell("```{solution} ex-small-1\n:class: dropdown\nThree.\n```"),
               "solution"),
        new_markdown_cell("```{exercise} Compute\n:label: ex-small-2\nCompute it.\n```"),
        tagged(new_markdown_cell("```{solution-start} ex-small-2\n:class: dropdown\n```"),
               "solution"),
        tagged(new_code_cell("secret = answer + 1"), "solution", "hide-input"),
        tagged(new_markdown_cell("```{solution-end}\n```"), "solution"),
        tagged(new_code_cell("print('kept')"), "hide-input"),
    ], metadata={"widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}}})


def test_a_handout_drops_tagged_cells_and_clears_outputs():
    nb = small_notebook()
    out = handouts.handout(nb)
    sources = [c.source for c in out.cells]
    assert sources == [nb.cells[i].source for i in (0, 1, 2, 4, 8)]
    assert out.cells[1].outputs == [] and out.cells[1].execution_count is None
    assert out.cells[-1].metadata["tags"] == ["hide-input"]  # other tags are kept
    assert "widgets" not in out.metadata
    assert nb.cells[1].outputs, "the source notebook must not be changed"
    assert len(nb.cells) == 9


def test_an_untagged_solution_is_refused_not_handed_out():
    nb = small_notebook()
    nb.cells[3].metadata["tags"] = []
    with pytest.raises(handouts.HandoutError, match="cell 3 belongs to a solution but is not"):
        handouts.handout(nb, "small.ipynb")


def test_the_command_writes_handouts_keeping_the_folder_layout(tmp_path):
    source = tmp_path / "chapters"
    (source / "classroom").mkdir(parents=True)
    (source / ".ipynb_checkpoints").mkdir()
    nbformat.write(small_notebook(), source / "one.ipynb")
    nbformat.write(small_notebook(), source / "classroom" / "two.ipynb")
    nbformat.write(small_notebook(), source / ".ipynb_checkpoints" / "one-checkpoint.ipynb")
    out = tmp_path / "handouts"
    result = subprocess.run([sys.executable, "-m", "book_tools.handouts", "--out", str(out),
                             str(source)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.ipynb"))
    assert written == ["classroom/two.ipynb", "one.ipynb"]
    text = (out / "one.ipynb").read_text(encoding="utf-8")
    assert "ex-small-1" in text and "Three." not in text and "secret" not in text


def test_the_command_fails_on_an_untagged_solution(tmp_path):
    nb = small_notebook()
    nb.cells[6].metadata["tags"] = []
    nbformat.write(nb, tmp_path / "bad.ipynb")
    result = subprocess.run([sys.executable, "-m", "book_tools.handouts", "--out",
                             str(tmp_path / "out"), str(tmp_path / "bad.ipynb")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1 and "not tagged" in result.stderr


def test_a_failed_run_leaves_the_old_handouts_and_a_run_leaves_no_stale_file(tmp_path):
    good, bad = tmp_path / "good.ipynb", tmp_path / "bad.ipynb"
    nbformat.write(small_notebook(), good)
    broken = small_notebook()
    broken.cells[6].metadata["tags"] = []
    nbformat.write(broken, bad)
    out = tmp_path / "handouts"
    handouts.write_handouts([good], out)
    (out / "stale.ipynb").write_text("{}")
    before = sorted(p.name for p in out.iterdir())
    with pytest.raises(handouts.HandoutError):
        handouts.write_handouts([good, bad], out)
    assert sorted(p.name for p in out.iterdir()) == before, "a failed run changed the handouts"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".handouts-")]
    handouts.write_handouts([good], out)
    assert not (out / "stale.ipynb").exists()


def test_the_source_handout_holds_the_whole_base_document_escaped(tmp_path):
    import geneva_talks

    page = handouts.write_source_handout(tmp_path).read_text(encoding="utf-8")
    paragraphs = geneva_talks.source_paragraphs(geneva_talks.load())
    assert page.count("<p><b>") == len(paragraphs)
    assert f"<p><b>{len(paragraphs)}</b> Probably" in page
    assert "not their words" in page
    assert "Russia’s proposals" in page  # the text as kept, typographic apostrophe and all


# -- The book's own chapters ---------------------------------------------------------------------


def exercises_and_solutions(nb) -> tuple[list[str], set[str]]:
    labels, solved = [], set()
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            labels += EXERCISE_LABEL.findall(cell.source)
            solved.update(SOLUTION_OF.findall(cell.source))
    return labels, solved


@pytest.fixture(scope="module")
def book_handouts(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("handouts")
    handouts.write_handouts([CHAPTERS], out)
    return out


def test_the_chapters_have_exercises_with_solutions_to_remove():
    labels, solved = [], set()
    for path in handouts.notebooks(CHAPTERS):
        found, answers = exercises_and_solutions(nbformat.read(path, as_version=4))
        labels += found
        solved |= answers
        unsolved = sorted(set(found) - answers)
        assert not unsolved, f"{path.relative_to(ROOT)}: exercises without a solution: {unsolved}"
    assert len(labels) == len(set(labels)), "exercise labels must be unique across the book"
    assert len(labels) >= MIN_EXERCISES, f"only {len(labels)} exercises in the chapters"


def test_no_solution_survives_in_the_handouts(book_handouts):
    sources = handouts.notebooks(CHAPTERS)
    made = handouts.notebooks(book_handouts)
    assert [p.relative_to(book_handouts) for p in made] == [p.relative_to(CHAPTERS)
                                                            for p in sources]
    for path in made:
        nb = nbformat.read(path, as_version=4)
        labels, solved = exercises_and_solutions(nb)
        assert not solved, f"{path.name}: solutions of {sorted(solved)} survived"
        for index, cell in enumerate(nb.cells):
            assert handouts.SOLUTION_TAG not in cell.metadata.get("tags", []), (path.name, index)
            for trace in SOLUTION_TRACES:
                assert trace not in cell.source, f"{path.name} cell {index} holds {trace!r}"
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None


def test_the_handouts_keep_every_exercise(book_handouts):
    for path in handouts.notebooks(CHAPTERS):
        labels, _ = exercises_and_solutions(nbformat.read(path, as_version=4))
        kept, _ = exercises_and_solutions(
            nbformat.read(book_handouts / path.relative_to(CHAPTERS), as_version=4))
        assert kept == labels, path.name
