"""The Makefile's setup rules, seen through `make -n` (what make would run) in scratch folders:
stamps notice missing files, a missing npm gets a clear message, `make lab` starts as root,
`make book` runs the pre-flight check before anything else, and only `make bench` installs
the npm dev dependencies (Lighthouse)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from projects import ROOT

NODE_FILES = ("node_modules/requirejs/require.js",
              "node_modules/@jupyter-widgets/html-manager/dist/embed-amd.js",
              "node_modules/mathjax/es5/tex-mml-chtml.js")
LIGHTHOUSE = "node_modules/.bin/lighthouse"
MAKE = shutil.which("make") or "make"


def make(folder: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([MAKE, "--no-print-directory", *args], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def scratch(tmp_path) -> Path:
    """The Makefile and the files its stamps depend on, with both stamps up to date."""
    for name in ("Makefile", "requirements.txt", "pyproject.toml", "package.json",
                 "package-lock.json"):
        shutil.copy(ROOT / name, tmp_path / name)
    for name in (".venv/bin/python", ".venv/bin/jupyter-book", *NODE_FILES):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
        os.utime(tmp_path / name, (1_000_000_000, 1_000_000_000))
    for stamp in (".venv/.installed", "node_modules/.installed"):
        (tmp_path / stamp).write_text("")
    return tmp_path


def test_stamps_that_are_current_install_nothing(scratch):
    plan = make(scratch, "-n", "book").stdout
    assert "npm ci" not in plan and "pip install" not in plan, plan
    assert plan.splitlines()[0].endswith("-m book_tools.preflight"), plan


@pytest.mark.parametrize("missing", NODE_FILES)
def test_a_missing_front_end_file_reinstalls_node_modules(scratch, missing):
    (scratch / missing).unlink()
    assert "npm ci" in make(scratch, "-n", "book").stdout


def test_a_missing_venv_tool_reinstalls_the_venv(scratch):
    (scratch / ".venv/bin/jupyter-book").unlink()
    assert "pip install" in make(scratch, "-n", "book").stdout


def test_a_missing_npm_gets_one_clear_line(scratch, tmp_path_factory):
    (scratch / "node_modules/.installed").unlink()
    empty = tmp_path_factory.mktemp("no-npm-here")
    result = make(scratch, "node_modules/.installed", env={"PATH": str(empty)})
    assert result.returncode != 0
    assert "make: npm is missing: install Node.js with npm" in result.stderr, result.stderr


def test_lab_starts_as_root_where_the_user_is_root(scratch):
    plan = make(scratch, "-n", "lab").stdout
    assert ("--allow-root" in plan) == (os.getuid() == 0), plan


def test_book_installs_the_production_npm_dependencies_only(scratch):
    (scratch / "node_modules/.installed").unlink()
    plan = make(scratch, "-n", "book").stdout
    npm = [line for line in plan.splitlines() if line.startswith("npm ci")]
    assert len(npm) == 1 and "--omit=dev" in npm[0], plan


def test_bench_installs_the_dev_dependencies_once(scratch):
    plan = make(scratch, "-n", "bench").stdout
    npm = [line for line in plan.splitlines() if line.startswith("npm ci")]
    assert len(npm) == 1 and "--include=dev" in npm[0], plan
    for name in (LIGHTHOUSE, "node_modules/.installed-dev"):
        (scratch / name).parent.mkdir(parents=True, exist_ok=True)
        (scratch / name).write_text("")
    plan = make(scratch, "-n", "bench").stdout
    assert "npm ci" not in plan, plan
    (scratch / LIGHTHOUSE).unlink()
    assert "--include=dev" in make(scratch, "-n", "bench").stdout
