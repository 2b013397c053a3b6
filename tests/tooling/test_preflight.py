"""The pre-flight check: one bad value stops `make book` in about a second, with one message
naming file, row, column and value, before anything executes."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pytest
from data_fixtures import ROOT, copy_data, replace_in


@pytest.fixture
def project(tmp_path):
    """A copy of the data and the bibliography: what the pre-flight check reads."""
    copy_data(tmp_path)
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    return tmp_path


def run_preflight(project) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "book_tools.preflight", str(project)],
                          capture_output=True, text=True, timeout=60)


def test_the_projects_data_pass(project):
    result = run_preflight(project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "data: valid"


def test_one_bad_value_fails_fast_with_one_message(project):
    replace_in(project / "data" / "positions.csv", "S03,dialogue,Russia,a,",
               "S03,dialogue,Russia,For,")
    started = time.perf_counter()
    result = run_preflight(project)
    elapsed = time.perf_counter() - started
    assert result.returncode == 1
    assert elapsed < 5, f"the pre-flight check took {elapsed:.1f} s"
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "The data package is invalid; nothing was built."
    assert len(lines) == 2, result.stderr
    assert "data/positions.csv, row 3 (line 4 of the file" in lines[1]
    assert "column 'stance': value 'For'" in lines[1]


def test_a_scholarly_entry_may_not_take_a_data_documents_id(project):
    bib = project / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + "\n@misc{state-travel,\n  title = {x},\n}\n",
                   encoding="utf-8")
    result = run_preflight(project)
    assert result.returncode == 1
    assert "data/sources.csv, row 2" in result.stderr
    assert "column 'source_id': value 'state-travel' is also a key of references.bib" \
        in result.stderr
