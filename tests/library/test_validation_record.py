"""load() skips the Frictionless pass for bytes it has passed before, in any process, and
only for exactly those bytes: the record is keyed on content, never on path or mtime."""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest
from data_fixtures import copy_data, replace_in

from geneva_talks import data as gd
from geneva_talks.data import dataset, reading, record


@pytest.fixture
def frictionless_runs(tmp_path, monkeypatch) -> list:
    """Records go to a fresh folder; each Frictionless pass is logged in the returned list.
    The in-process cache is cleared, so every load() below reads and checks the files."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    runs = []
    real = dataset.frictionless_problems

    def logged(folder, package, tables):
        runs.append(folder)
        return real(folder, package, tables)

    monkeypatch.setattr(dataset, "frictionless_problems", logged)
    gd.clear_cache()
    yield runs
    gd.clear_cache()


def records(tmp_path) -> list:
    folder = tmp_path / "cache" / "geneva_talks" / "validated"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_the_same_bytes_are_validated_once_whatever_their_path_or_mtime(tmp_path,
                                                                        frictionless_runs):
    first = gd.load(copy_data(tmp_path / "a"))
    assert len(frictionless_runs) == 1
    assert len(records(tmp_path)) == 1
    record = json.loads(records(tmp_path)[0].read_text(encoding="utf-8"))
    assert "statements.csv" in record["files"] and "datapackage.json" in record["files"]

    elsewhere = copy_data(tmp_path / "b")
    for file in elsewhere.rglob("*"):
        os.utime(file, (1_000_000_000, 1_000_000_000))
    gd.clear_cache()
    second = gd.load(elsewhere)
    assert len(frictionless_runs) == 1, "identical bytes at another path were validated again"
    pd.testing.assert_frame_equal(first.positions, second.positions)


def test_changed_bytes_are_validated_again(tmp_path, frictionless_runs):
    folder = copy_data(tmp_path / "a")
    gd.load(folder)
    # A valid edit: Frictionless runs on the new bytes and records them too.
    replace_in(folder / "positions.csv", "Limits the talks", "Restricts the talks")
    gd.clear_cache()
    assert gd.load(folder).positions.loc[0, "rationale"].startswith("Restricts")
    assert len(frictionless_runs) == 2 and len(records(tmp_path)) == 2
    # A fault only Frictionless sees (a stance outside the vocabulary), in the folder whose
    # earlier bytes were recorded, and in a fresh copy: both still raise, and record nothing.
    replace_in(folder / "positions.csv", "S03,dialogue,Russia,a,", "S03,dialogue,Russia,favour,")
    broken = copy_data(tmp_path / "b")
    replace_in(broken / "positions.csv", "S03,dialogue,Russia,a,", "S03,dialogue,Russia,favour,")
    for bad in (folder, broken, folder):
        gd.clear_cache()
        with pytest.raises(gd.DataError, match="favour"):
            gd.load(bad)
    assert len(frictionless_runs) == 5 and len(records(tmp_path)) == 2


def test_the_loaders_own_checks_run_even_when_frictionless_is_skipped(tmp_path,
                                                                      frictionless_runs):
    folder = copy_data(tmp_path / "a")
    gd.load(folder)
    saved = records(tmp_path)[0]
    # Pretend Frictionless had passed the broken bytes: the verbatim check still catches them.
    statements = folder / "statements.csv"
    replace_in(statements, "were difficult, long and concrete", "were easy, long and concrete")
    raw = reading.read_files(folder)[1]
    saved.rename(record.validation_record(raw))
    gd.clear_cache()
    with pytest.raises(gd.DataError, match="does not appear verbatim"):
        gd.load(folder)
    assert len(frictionless_runs) == 1


def test_an_unusable_cache_folder_only_costs_time(tmp_path, monkeypatch, frictionless_runs):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(not_a_folder))
    folder = copy_data(tmp_path / "a")
    for _ in range(2):
        gd.clear_cache()
        assert len(gd.load(folder).statements) > 0
    assert len(frictionless_runs) == 2
