"""The PDF tests read the printed book in Python: no poppler, no system tool at all.

A two-page PDF made here (matplotlib: a colour picture on page 1, a line on page 2) is read
with every way to start a program blocked and PATH emptied: reading it with ``pdfinfo``,
``pdftotext`` or ``pdfimages`` (or any other program) fails this test.
"""

from __future__ import annotations

import os
import subprocess

import numpy as np
import pytest
from pdf_support import components, read_pdf
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject


@pytest.fixture
def sample_pdf(tmp_path):
    """Two pages, each with its footer text; a colour picture on the first only (matplotlib
    lists it in the resources of both pages: only drawn images count)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    path = tmp_path / "sample.pdf"
    picture = np.random.default_rng(11).random((4, 4, 3))
    with plt.rc_context({"pdf.fonttype": 42}), PdfPages(path) as pdf:
        for number in (1, 2):
            figure, axes = plt.subplots(figsize=(3, 3))
            if number == 1:
                axes.imshow(picture)
            else:
                axes.plot([0, 1], [1, 0])
            figure.text(0.1, 0.02, f"Page {number} of 2")
            pdf.savefig(figure)
            plt.close(figure)
    return path


def _refuse(*args, **_kwargs):
    raise AssertionError(f"reading a PDF started a program: {args[:1]!r}")


def test_reading_a_pdf_needs_no_system_tool(sample_pdf, tmp_path, monkeypatch):
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    for name in ("Popen", "call", "run", "check_output"):
        monkeypatch.setattr(subprocess, name, _refuse)
    for name in ("system", "popen", "posix_spawn", "posix_spawnp", "execv", "execvp"):
        if hasattr(os, name):
            monkeypatch.setattr(os, name, _refuse)
    facts = read_pdf(sample_pdf)
    assert facts.pages == 2
    assert "Page 1 of 2" in facts.text and "Page 2 of 2" in facts.text, facts.text
    assert facts.colour_images == 1, "an image counted on a page that does not draw it"


@pytest.mark.parametrize(("colour_space", "expected"), [
    (NameObject("/DeviceGray"), 1),
    (NameObject("/DeviceRGB"), 3),
    (ArrayObject([NameObject("/Indexed"), NameObject("/DeviceGray"), NumberObject(3)]), 1),
    (ArrayObject([NameObject("/Indexed"), NameObject("/DeviceRGB"), NumberObject(15)]), 3),
    (ArrayObject([NameObject("/ICCBased"),
                  DictionaryObject({NameObject("/N"): NumberObject(3)})]), 3),
])
def test_colour_is_told_from_grey(colour_space, expected):
    """Figures are colour images; Chromium's grey shadows must not count as figures."""
    assert components(colour_space) == expected


def test_the_guard_stops_a_reader_that_calls_a_program(monkeypatch):
    """The guard above would catch a reader that shells out (as poppler's tools do)."""
    monkeypatch.setattr(subprocess, "Popen", _refuse)
    with pytest.raises(AssertionError, match="started a program"):
        subprocess.run(["pdfinfo", "book.pdf"], capture_output=True)
