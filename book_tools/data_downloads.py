"""Sphinx extension: the data package, downloadable from the book itself.

After an HTML build, every file of the data package (``datapackage.json``, its tables and
the source texts) is copied to ``data/`` at the root of the site, with one zip of all of
them (``data/geneva-talks-data.zip``). The library writes download links as
``geneva-data:statements.csv``; they are pointed at the copies, page by page, so that they
cannot drift from ``data/``. A link to a file the data package does not have fails the build.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

#: The link scheme the library writes (geneva_talks.display.DATA_LINK).
SCHEME = re.compile(r"geneva-data:([A-Za-z0-9._/-]+)")
FOLDER = "data"
ZIP_NAME = "geneva-talks-data.zip"


def package_files() -> dict[str, Path]:
    """Every file of the data package, by its path inside the data folder."""
    import geneva_talks

    folder = Path(geneva_talks.DATA_DIR)
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def _rewrite(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    known = {*package_files(), ZIP_NAME}

    def replace(match) -> str:
        name = match.group(1)
        if name not in known:
            raise ExtensionError(f"{pagename}: no file {name!r} in the data package")
        return context["pathto"](f"{FOLDER}/{name}", 1)

    if isinstance(context.get("body"), str):
        context["body"] = SCHEME.sub(replace, context["body"])


def _copy(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / FOLDER
    files = package_files()
    for name, path in files.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target / name)
    with zipfile.ZipFile(target / ZIP_NAME, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in files.items():
            archive.write(path, f"geneva-talks-data/{name}")


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", _rewrite, priority=850)
    app.connect("build-finished", _copy)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
