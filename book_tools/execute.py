"""Re-execute notebooks in place, as authors should before committing: `make notebooks`.

Each notebook runs top to bottom in a fresh kernel, in its own folder (as the book build and
nbval run it), and is saved with its outputs and widget state but without timing metadata,
and with its widget models renamed in a fixed order (ipywidgets names them with random
uuids), so that a re-run leaves the file byte for byte unchanged. Usage:
``python -m book_tools.execute [NOTEBOOK ...]`` (default: every notebook under chapters/).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from .handouts import notebooks

ROOT = Path(__file__).resolve().parent.parent
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_REFERENCE = re.compile(r"IPY_MODEL_([0-9a-f]{32})")


def widget_models_in_order(notebook) -> list[str]:
    """The ids of a notebook's widget models in a fixed order: those its outputs show, in
    the order shown, each followed by the models it refers to (depth first); then the
    models no output shows (links), in the order of their content."""
    state = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    order: list[str] = []

    def visit(model_id: str) -> None:
        stack = [model_id]
        while stack:
            current = stack.pop()
            if current in state and current not in order:
                order.append(current)
                refs = _REFERENCE.findall(json.dumps(state[current]["state"]))
                stack.extend(reversed(refs))

    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view:
                visit(view["model_id"])
    shown = {old: str(i) for i, old in enumerate(order)}

    def content(model_id: str) -> str:
        text = json.dumps(state[model_id], sort_keys=True)
        return _REFERENCE.sub(lambda m: "IPY_MODEL_" + shown.get(m.group(1), "?"), text)

    for model_id in sorted(set(state) - set(order), key=content):
        visit(model_id)
    return order


def renumber_widget_models(notebook, seed: str) -> None:
    """Rename the notebook's widget models, in :func:`widget_models_in_order`, to ids made
    from ``seed`` (the notebook's path: pages of the one-page book never share an id)."""
    state_box = notebook.metadata.get("widgets", {}).get(WIDGET_STATE)
    if not state_box or not state_box.get("state"):
        return
    order = widget_models_in_order(notebook)
    new = {old: hashlib.sha256(f"{seed}#{i}".encode()).hexdigest()[:32]
           for i, old in enumerate(order)}
    state_box["state"] = {old: state_box["state"][old] for old in order}
    pattern = re.compile("|".join(map(re.escape, new)))
    renamed = json.loads(pattern.sub(lambda m: new[m.group(0)], json.dumps(notebook)))
    notebook.clear()
    notebook.update(nbformat.from_dict(renamed))


def execute(path: Path, timeout: int = 300) -> None:
    """Run ``path`` in place; raise nbclient's CellExecutionError if a cell fails."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            record_timing=False, store_widget_state=True,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    renumber_widget_models(notebook, seed=Path(os.path.relpath(path.resolve(), ROOT)).as_posix())
    nbformat.write(notebook, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = args.notebooks or notebooks(ROOT / "chapters")
    for path in paths:
        print(f"executing {path}", flush=True)
        execute(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
