"""Sphinx extension: the data package, and the book's own source, downloadable from the book.

After an HTML build, every file of the data package (``datapackage.json``, its tables and
the source texts) is copied to ``data/`` at the root of the site, with one zip of all of
them (``geneva-talks-data.zip``) and one of the whole project (``geneva-talks-book-source.zip``:
notebooks, library, data, Makefile; what a reader needs to run the exercises offline).
The library writes download links as ``geneva-data:statements.csv``; they are pointed at
the copies, page by page, so that they cannot drift from ``data/``. A link to a file that is
not there fails the build. Both zips are byte-identical from one build to the next.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from geneva_talks.display import DATA_ZIP, SOURCE_ZIP

#: The link scheme the library writes (geneva_talks.display.DATA_LINK).
SCHEME = re.compile(r"geneva-data:([A-Za-z0-9._/-]+)")
FOLDER = "data"
#: Never in the source zip: builds, environments, caches, outputs (as in .gitignore).
NOT_SOURCE = {"_build", ".venv", "node_modules", ".git", "__pycache__", ".pytest_cache",
              ".ruff_cache", ".ipynb_checkpoints", "handouts", "_work", ".jupyter_cache"}
NOT_SOURCE_SUFFIXES = (".pyc", ".pdf", ".egg-info")
#: A fixed time for every zip entry, so that a rebuild writes the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def package_files() -> dict[str, Path]:
    """Every file of the data package, by its path inside the data folder."""
    import geneva_talks

    folder = Path(geneva_talks.DATA_DIR)
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def _rewrite(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    known = {*package_files(), DATA_ZIP, SOURCE_ZIP}

    def replace(match) -> str:
        name = match.group(1)
        if name not in known:
            raise ExtensionError(f"{pagename}: no file {name!r} in the data package")
        return context["pathto"](f"{FOLDER}/{name}", 1)

    if isinstance(context.get("body"), str):
        context["body"] = SCHEME.sub(replace, context["body"])


def tracked_files(root: Path) -> list[str] | None:
    """The files git tracks under ``root`` (a checkout), or None where there is no git."""
    if not (root / ".git").exists():
        return None
    try:
        listing = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], check=True,
                                 capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return [name for name in listing.decode("utf-8").split("\0") if name]


def source_files(root: Path) -> dict[str, Path]:
    """The project's own files under ``root``, by relative path. In a git checkout (as the
    publishing workflow builds), exactly what git tracks, so that nothing a maintainer keeps
    beside the project (a ``.env``, an editor's folder) is ever published. Elsewhere (a copy
    without ``.git``), every file but builds, environments, caches and outputs
    (:data:`NOT_SOURCE`; those folders are not even walked)."""
    tracked = tracked_files(root)
    if tracked is not None:
        return {name: root / name for name in sorted(tracked) if (root / name).is_file()}
    found = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in NOT_SOURCE and not d.endswith(NOT_SOURCE_SUFFIXES)]
        for name in names:
            if not name.endswith(NOT_SOURCE_SUFFIXES):
                path = Path(folder) / name
                found[path.relative_to(root).as_posix()] = path
    return dict(sorted(found.items()))


def write_zip(target: Path, files: dict[str, Path], prefix: str) -> None:
    """``files`` in one zip under ``prefix/``, in name order, with fixed times and modes."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in sorted(files.items()):
            info = zipfile.ZipInfo(f"{prefix}/{name}", date_time=ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())


def _copy(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / FOLDER
    files = package_files()
    for name, path in files.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target / name)
    write_zip(target / DATA_ZIP, files, "geneva-talks-data")
    write_zip(target / SOURCE_ZIP, source_files(Path(app.srcdir)), "geneva-talks-book")


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", _rewrite, priority=850)
    app.connect("build-finished", _copy)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
