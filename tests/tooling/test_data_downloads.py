"""The book's downloads (book_tools.data_downloads): the data zip and the source zip hold
the right files, and a rebuild writes the same bytes."""

from __future__ import annotations

import os
import subprocess
import zipfile
from pathlib import Path

from book_tools.data_downloads import source_files, write_zip

ROOT = Path(__file__).resolve().parents[2]


def test_the_source_zip_holds_the_project_and_nothing_built_or_installed(tmp_path):
    project = tmp_path / "project"
    for name in ("README.md", "Makefile", "geneva_talks/__init__.py", "chapters/a.ipynb",
                 "data/statements.csv", ".ci/run", "_build/html/index.html",
                 ".venv/bin/python", "node_modules/x/index.js", "geneva_talks/__pycache__/a.pyc",
                 "handouts/a.ipynb", "book.pdf", "chapters/.ipynb_checkpoints/a.ipynb"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text("x")
    assert set(source_files(project)) == {"README.md", "Makefile", "geneva_talks/__init__.py",
                                          "chapters/a.ipynb", "data/statements.csv", ".ci/run"}


def test_in_a_git_checkout_the_source_zip_holds_what_git_tracks_only(tmp_path):
    project = tmp_path / "checkout"
    for name in ("README.md", "chapters/a.ipynb", ".env", ".vscode/settings.json", "notes.txt"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text("x")
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    subprocess.run(["git", "-C", str(project), "add", "README.md", "chapters/a.ipynb"],
                   check=True)
    assert set(source_files(project)) == {"README.md", "chapters/a.ipynb"}


def test_the_real_project_zips_with_what_a_reader_needs_to_run_it():
    names = set(source_files(ROOT))
    for needed in ("README.md", "Makefile", "requirements.txt", "package.json", "_config.yml",
                   "_toc.yml", "geneva_talks/__init__.py", "data/datapackage.json",
                   "chapters/04-issue-by-issue.ipynb"):
        assert needed in names, needed
    assert not [n for n in names if n.startswith(("_build/", ".venv/", "node_modules/"))]


def test_a_zip_is_the_same_bytes_whatever_the_files_times(tmp_path):
    files = {}
    for name in ("b.txt", "a/c.csv"):
        path = tmp_path / "in" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name)
        files[name] = path
    write_zip(tmp_path / "one.zip", files, "p")
    for path in files.values():
        os.utime(path, (1_700_000_000, 1_700_000_000))
    write_zip(tmp_path / "two.zip", files, "p")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.zip") as archive:
        assert archive.namelist() == ["p/a/c.csv", "p/b.txt"]
        assert archive.read("p/a/c.csv") == b"a/c.csv"
