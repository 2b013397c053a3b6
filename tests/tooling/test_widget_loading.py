"""The widget runtime's scripts on a page (book_tools.widget_loading), without a build: the
web book's pages get the small loader instead of require.js and the manager; the one-page
build keeps them, with the widget paths mapped first; other pages are left alone."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from sphinx.builders.html._assets import _JavaScript

from book_tools import widget_loading

WIDGETS = "../../widgets/"


def assets() -> list:
    """The scripts myst-nb gives a widget page (the state, then the runtime)."""
    return [_JavaScript("_static/doctools.js"),
            _JavaScript(None, type="application/vnd.jupyter.widget-state+json", body="{}"),
            _JavaScript("_static/../widgets/require.js?v=1"),
            _JavaScript("_static/../widgets/embed-amd.js",
                        **{"data-jupyter-widgets-cdn": "../widgets/"}),
            _JavaScript(None, body="DOCUMENTATION_OPTIONS.pagename = 'x';")]


def test_the_web_page_gets_one_loader_instead_of_the_runtime():
    found = widget_loading.widget_scripts(assets(), WIDGETS)
    names = [str(a.filename) for a in found]
    assert not any("require.js" in n or "embed-amd.js" in n for n in names), names
    loaders = [a for a in found if a.attributes.get("body") == widget_loading.LOADER_JS]
    assert len(loaders) == 1
    assert found.index(loaders[0]) == 2, "the loader takes the runtime's place"
    attributes = loaders[0].attributes
    assert attributes["data-require"] == WIDGETS + "require.js"
    assert attributes["data-manager"] == WIDGETS + "embed-amd.js"
    assert attributes["data-widgets"] == WIDGETS
    assert len(found) == len(assets()) - 1


def test_the_one_page_build_loads_the_runtime_with_the_paths_mapped_first():
    found = widget_loading.widget_scripts(assets(), WIDGETS, lazy=False)
    names = [str(a.filename) for a in found]
    manager = next(i for i, n in enumerate(names) if n.endswith("embed-amd.js"))
    assert any(n.startswith("_static/../widgets/require.js") for n in names[:manager])
    paths = found[manager - 1].attributes["body"]
    assert "require.config" in paths and json.dumps(WIDGETS) in paths
    assert found[manager].attributes["data-jupyter-widgets-cdn"] == WIDGETS


def test_a_page_without_widgets_is_left_alone():
    plain = [a for a in assets() if "widgets/" not in str(a.filename)]
    assert widget_loading.widget_scripts(plain, WIDGETS) == plain


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_the_loader_is_valid_javascript(tmp_path):
    script = tmp_path / "loader.js"
    script.write_text(widget_loading.LOADER_JS, encoding="utf-8")
    result = subprocess.run(["node", "--check", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
