"""`make notebooks` (book_tools.execute): a re-run leaves every byte of a notebook as it was,
widget notebooks included (ipywidgets names its models with random uuids)."""

from __future__ import annotations

import shutil

import nbformat
from projects import ROOT

from book_tools import execute

WIDGET_NOTEBOOK = ROOT / "chapters" / "classroom" / "explorer.ipynb"


def test_executing_a_widget_notebook_twice_writes_the_same_bytes(tmp_path):
    copy = tmp_path / "explorer.ipynb"
    shutil.copy(WIDGET_NOTEBOOK, copy)
    execute.execute(copy)
    first = copy.read_bytes()
    execute.execute(copy)
    assert copy.read_bytes() == first
    state = nbformat.reads(first.decode("utf-8"), as_version=4).metadata["widgets"][
        execute.WIDGET_STATE]["state"]
    assert len(state) > 100  # the explorer's precomputed views: the test has teeth


def test_renaming_keeps_every_reference_between_models():
    notebook = nbformat.read(WIDGET_NOTEBOOK, as_version=4)
    before = execute.widget_models_in_order(notebook)
    execute.renumber_widget_models(notebook, seed="elsewhere")
    after = notebook.metadata["widgets"][execute.WIDGET_STATE]["state"]
    assert len(after) == len(before)
    text = nbformat.writes(notebook)
    assert not any(model_id in text for model_id in before), "an old id survived"
    referenced = set(execute._REFERENCE.findall(text))
    assert referenced and referenced <= set(after), "a reference points at no model"
    shown = [o["data"][execute.WIDGET_VIEW]["model_id"] for cell in notebook.cells
             for o in cell.get("outputs", []) if execute.WIDGET_VIEW in o.get("data", {})]
    assert shown and set(shown) <= set(after)
