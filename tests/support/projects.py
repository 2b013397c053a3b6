"""Throwaway copies of the project, built as `make book` builds it.

Used by the test fixtures (tests/conftest.py) and by the benchmarks (benchmarks/run.py).
A copy holds the project's sources (not _build, .venv or .git) and links node_modules;
its own geneva_talks comes first on PYTHONPATH, so its notebooks read its own data/.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

from book_tools.build import BUILD_FLAGS, build_command
from book_tools.data_downloads import NOT_SOURCE

#: The project's root folder: the one definition the tests and benchmarks use.
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
#: Not copied: builds, environments, caches, outputs (what the source zip leaves out).
SKIP_DIRS = NOT_SOURCE
SOURCE_TEXT = Path("data") / "sources" / "geneva-talks-2022-summary.txt"


class BuildFailed(RuntimeError):
    """jupyter-book exited non-zero; the message carries the tail of its log."""


def copy_project(target: Path, root: Path = ROOT) -> Path:
    """Copy the project's sources to ``target`` and link its node_modules; return ``target``."""
    modules = root / "node_modules"
    if not modules.is_dir():
        raise FileNotFoundError(f"{modules} is missing: `make test` and `make bench` run `npm ci`")
    shutil.copytree(root, target, ignore=lambda _dir, names: SKIP_DIRS.intersection(names))
    (target / "node_modules").symlink_to(modules, target_is_directory=True)
    return target


def build_env(project: Path) -> dict[str, str]:
    """Environment in which ``project``'s own geneva_talks and data/ win over the installed ones."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(project), env.get("PYTHONPATH")]))
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
    return env


def build_book(project: Path, *extra: str, flags=BUILD_FLAGS,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Build ``project`` and wait for it (``env``: more environment variables); raise
    BuildFailed with the log's tail."""
    result = subprocess.run(build_command(project, *extra, flags=flags), cwd=project,
                            env={**build_env(project), **(env or {})}, capture_output=True,
                            text=True, timeout=1800)
    if result.returncode != 0:
        raise BuildFailed(f"jupyter-book build failed ({result.returncode}):\n"
                          f"{result.stdout[-6000:]}\n{result.stderr[-6000:]}")
    return result


class BackgroundBuild:
    """A build of ``project`` started now, in its own process; ``wait()`` returns the project
    when it succeeded and raises BuildFailed otherwise."""

    def __init__(self, project: Path, *extra: str, flags=BUILD_FLAGS):
        self.project = project
        self.log = project.parent / f"{project.name}-build.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(build_command(project, *extra, flags=flags),
                                            cwd=project, env=build_env(project), stdout=log,
                                            stderr=subprocess.STDOUT)

    def wait(self, timeout: float = 1800) -> Path:
        code = self.process.wait(timeout=timeout)
        if code != 0:
            tail = self.log.read_text(errors="replace")[-8000:]
            raise BuildFailed(f"jupyter-book build of {self.project} failed ({code}):\n{tail}")
        return self.project

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def rewrite_statement(project: Path, statement_id: str, suffix: str) -> str:
    """Append ``suffix`` to one statement, in statements.csv and in its source paragraph alike,
    so that the copy's data stays valid; return the new text."""
    path = project / "data" / "statements.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    row = next(r for r in rows if r["statement_id"] == statement_id)
    old = row["text"]
    row["text"] = f"{old} {suffix}"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    source = project / SOURCE_TEXT
    text = source.read_text(encoding="utf-8")
    if text.count(old) != 1:
        raise ValueError(f"{statement_id} is not found exactly once in {SOURCE_TEXT}")
    source.write_text(text.replace(old, row["text"]), encoding="utf-8")
    update_checksum(project)
    return row["text"]


def update_checksum(project: Path) -> None:
    """Set the base document's sha256 in sources.csv to its copy's (after a test edits it)."""
    import hashlib

    path = project / "data" / "sources.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["path"]:
            row["sha256"] = hashlib.sha256((project / "data" / row["path"]).read_bytes()
                                           ).hexdigest()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def rewrite_field(project: Path, table: str, key: str, value: str, column: str, new: str) -> None:
    """Set ``column`` to ``new`` in the row of data/``table``.csv whose ``key`` is ``value``."""
    path = project / "data" / f"{table}.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    matches = [r for r in rows if r[key] == value]
    if len(matches) != 1:
        raise ValueError(f"{table}.csv has {len(matches)} rows with {key} = {value!r}")
    matches[0][column] = new
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def toc_docnames(root: Path = ROOT) -> list[str]:
    """Every document named in _toc.yml (jb-book format), root first, without suffix."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                names.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return [str(Path(n).with_suffix("")) for n in names]


def configured_repository(root: Path = ROOT) -> str | None:
    """The repository that _config.yml names (``repository.url``), or None while it is empty."""
    import yaml

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    url = ((config.get("repository") or {}).get("url") or "").strip().rstrip("/")
    return url or None
