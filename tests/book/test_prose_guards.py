"""Prose that the data must support: a guard (geneva_talks.prose.claim) stops the build with
a message naming the sentence, instead of publishing a sentence the data contradict."""

from __future__ import annotations

import subprocess
import sys

import pytest
from data_fixtures import replace_in
from projects import build_env, copy_project

from geneva_talks.prose import ProseOutOfDate, claim

CHAPTER_4 = "chapters/04-issue-by-issue.ipynb"


def test_a_claim_that_holds_passes_and_one_that_does_not_names_its_sentence():
    claim(True, "a sentence that holds")
    with pytest.raises(ProseOutOfDate, match="revisit it: §9 'the sky is green'"):
        claim(1 + 1 == 3, "§9 'the sky is green'")


@pytest.mark.book
def test_data_that_contradict_a_sentence_fail_the_chapter_with_that_sentence(tmp_path):
    """The United States recoded as leaning against continuing the talks: chapter 4's
    section on that issue no longer matches the data, and its guard says so."""
    project = copy_project(tmp_path / "project")
    positions = project / "data" / "positions.csv"
    for statement in ("S12", "S20"):
        replace_in(positions, f"{statement},dialogue,United States,a,",
                   f"{statement},dialogue,United States,b,")
    result = subprocess.run([sys.executable, "-m", "book_tools.execute",
                             str(project / CHAPTER_4)], cwd=project, env=build_env(project),
                            capture_output=True, text=True, timeout=600)
    assert result.returncode != 0, "the chapter ran although its prose is now false"
    output = result.stderr + result.stdout
    assert "ProseOutOfDate" in output
    assert "§ Continuing the talks: the statements behind the leans" in output
