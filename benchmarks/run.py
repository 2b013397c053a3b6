"""Benchmarks for building, rebuilding and testing the book: `make bench` writes results.md.

Each figure is the median of several runs (``--runs``), measured side by side in one run of
this script on this machine, in throwaway copies of the project (tests/projects.py), so the
working tree and its _build/ are never touched. Goals live here, not in timed tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(HERE))

from projects import build_book, copy_project, rewrite_statement  # noqa: E402

FLOOR_IMPORTS = "import pandas\nimport matplotlib\nimport ipywidgets\n"


# -- measuring ---------------------------------------------------------------------------------

class PeakMemory:
    """Samples the summed resident memory of this process's children (the build and its
    kernels) every 50 ms; ``peak`` is the largest sum seen, in bytes."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for child in me.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(0.05)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


@dataclass
class Figure:
    name: str
    runs: list[float] = field(default_factory=list)
    unit: str = "s"
    goal: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def cell(self) -> str:
        if self.unit == "s":
            return f"{self.median:.2f} s"
        if self.unit == "MiB":
            return f"{self.median:.0f} MiB"
        return f"{self.median:g} {self.unit}"


# -- the floor book ----------------------------------------------------------------------------

def make_floor(project: Path) -> None:
    """Turn a project copy into the floor book: same _config.yml and _toc.yml, every notebook
    one cell importing pandas, matplotlib and ipywidgets, every Markdown page a bare title."""
    for page in (project / "chapters").rglob("*"):
        if page.suffix == ".ipynb":
            page.write_text(json.dumps(_floor_notebook(page.stem)), encoding="utf-8")
        elif page.suffix == ".md":
            page.write_text(f"# {page.stem}\n", encoding="utf-8")
    (project / "intro.md").write_text("# Floor\n", encoding="utf-8")


def _floor_notebook(title: str) -> dict:
    return {
        "cells": [
            {"cell_type": "markdown", "id": "t", "metadata": {}, "source": f"# {title}"},
            {"cell_type": "code", "id": "c", "metadata": {}, "execution_count": None,
             "outputs": [], "source": FLOOR_IMPORTS},
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }


# -- the figures -------------------------------------------------------------------------------

def bench_builds(work: Path, runs: int) -> tuple[list[Figure], Path]:
    """Cold builds of the book and of the floor book, then warm rebuilds of the book."""
    cold = Figure("cold build of the book (no _build, .venv present)")
    floor = Figure("cold build of the floor book")
    memory = Figure("peak memory of a cold build (build + kernels)", unit="MiB")
    for i in range(runs):
        project = copy_project(work / f"book-{i}")
        with PeakMemory() as peak:
            cold.runs.append(timed(lambda p=project: build_book(p)))
        memory.runs.append(peak.peak / 2**20)
        floor_project = copy_project(work / f"floor-{i}")
        make_floor(floor_project)
        floor.runs.append(timed(lambda p=floor_project: build_book(p, flags=())))
    ratio = cold.median / floor.median
    cold.goal, cold.met = "within 1.3x of the floor", ratio <= 1.3
    cold.note = f"{ratio:.2f}x the floor"

    warm = Figure("warm rebuild, nothing changed")
    one_nb = Figure("rebuild after one notebook changed")
    one_csv = Figure("rebuild after one CSV changed")
    reached = []
    for i in range(runs):
        warm.runs.append(timed(lambda: build_book(project)))
        _touch_notebook(project / "chapters" / "02-russian-delegation.ipynb", i)
        one_nb.runs.append(timed(lambda: build_book(project)))
        marker = f"benchmarker{i}x"
        rewrite_statement(project, "S02", marker)
        one_csv.runs.append(timed(lambda: build_book(project)))
        reached.append(any(marker in page.read_text(encoding="utf-8")
                           for page in (project / "_build" / "html").rglob("*.html")))
    warm.goal, warm.met = "under a quarter of the cold build", warm.median < cold.median / 4
    warm.note = f"{warm.median / cold.median:.0%} of the cold build"
    one_csv.goal, one_csv.met = "the change always reaches the book", all(reached)
    one_csv.note = f"reached the HTML in {sum(reached)} of {len(reached)} runs"
    return [cold, floor, memory, warm, one_nb, one_csv], project


def _touch_notebook(path: Path, i: int) -> None:
    """Change one notebook's prose (not its code), as an author fixing a sentence would."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook["cells"].append({"cell_type": "markdown", "id": f"bench{i}", "metadata": {},
                              "source": f"Benchmark edit {i}."})
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")


def notebook_times(project: Path) -> list[Figure]:
    """Each notebook's execution time, as recorded by the execution cache of a cold build."""
    from jupyter_cache import get_cache

    cache = get_cache(project / "_build" / ".jupyter_cache")
    figures = []
    for record in cache.list_project_records():
        cached = cache.get_cached_project_nb(record.uri)
        if cached is None:
            continue
        name = Path(record.uri).relative_to(project).as_posix()
        figures.append(Figure(f"execute {name}", [cached.data.get("execution_seconds", 0.0)]))
    return sorted(figures, key=lambda f: f.name)


def bench_load(runs: int) -> list[Figure]:
    """geneva_talks.load(): first call in a fresh process (import + validate), and a repeat."""
    script = ("import time; t0 = time.perf_counter(); import geneva_talks; "
              "t1 = time.perf_counter(); geneva_talks.load(); t2 = time.perf_counter(); "
              "geneva_talks.load(); t3 = time.perf_counter(); print(t1 - t0, t2 - t1, t3 - t2)")
    imports, first, again = Figure("import geneva_talks"), Figure("load(): first call"), \
        Figure("load(): repeated call in the same process")
    for _ in range(max(runs, 5)):
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             check=True).stdout.split()
        for figure, value in zip((imports, first, again), out, strict=True):
            figure.runs.append(float(value))
    first.goal, first.met = "well under a second", first.median < 0.5
    return [imports, first, again]


def bench_make_test(runs: int) -> list[Figure]:
    wall = Figure("make test (wall time)")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(["make", "test"], cwd=ROOT, check=True, capture_output=True)
        wall.runs.append(time.perf_counter() - start)
    wall.goal, wall.met = "under three minutes on 2 cores", wall.median < 180
    return [wall]


def page_weights(html: Path) -> list[tuple[str, int, int, int, bool]]:
    """Per page: HTML bytes, local image bytes, page-specific script bytes, widget bundle?"""
    pages = sorted(html.rglob("*.html"))
    scripts_of = {p: set(re.findall(r'<script[^>]+src="([^"?#]+)', p.read_text("utf-8")))
                  for p in pages}
    resolved = {p: {(p.parent / s).resolve() for s in scripts_of[p] if "://" not in s}
                for p in pages}
    common = set.intersection(*resolved.values()) if resolved else set()
    rows = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        images = {(page.parent / s).resolve() for s in re.findall(r'<img[^>]+src="([^"]+)"', text)
                  if "://" not in s and not s.startswith("data:")}
        img_bytes = sum(i.stat().st_size for i in images if i.is_file())
        own = resolved[page] - common
        script_bytes = sum(s.stat().st_size for s in own if s.is_file())
        widgets = any(s.name == "embed-amd.js" for s in own)
        rows.append((page.relative_to(html).as_posix(), page.stat().st_size, img_bytes,
                     script_bytes, widgets))
    return rows


# -- the report --------------------------------------------------------------------------------

def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = psutil.virtual_memory().total / 2**30
    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB memory, Python "
            f"{platform.python_version()}, {platform.system()} {platform.release()}")


def write_report(path: Path, runs: int, sections: dict[str, list[Figure]], weights, scaling,
                 seconds: float) -> None:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` ({Path(__file__).name}, {runs} run(s) per figure, median shown; "
        f"the whole run took {seconds / 60:.1f} min).",
        "",
        f"Machine: {machine()}.",
        "",
    ]
    for title, figures in sections.items():
        lines += [f"## {title}", "", "| figure | median | runs | goal | met | note |",
                  "|---|---|---|---|---|---|"]
        for f in figures:
            met = "" if f.met is None else ("yes" if f.met else "**no**")
            runs_text = ", ".join(f"{r:.2f}" for r in f.runs)
            lines.append(f"| {f.name} | {f.cell()} | {runs_text} | {f.goal} | {met} | {f.note} |")
        lines.append("")
    if scaling:
        lines += scaling
    lines += ["## Page weight", "",
              "Bytes per page: the HTML, its local images, and the scripts it loads that not "
              "every page loads (the widget runtime among them).", "",
              "| page | HTML | images | page-specific scripts | widget runtime |",
              "|---|---|---|---|---|"]
    for name, html_bytes, img, scripts, widgets in weights:
        lines.append(f"| {name} | {html_bytes:,} | {img:,} | {scripts:,} | "
                     f"{'yes' if widgets else 'no'} |")
    lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median reported)")
    parser.add_argument("--skip-make-test", action="store_true", help="do not time make test")
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    from scaling import scaling_report

    with tempfile.TemporaryDirectory(prefix="geneva-bench-") as tmp:
        work = Path(tmp)
        print("benchmarks: builds …", flush=True)
        builds, project = bench_builds(work, args.runs)
        sections = {"Building the book": builds,
                    "Executing each notebook (cold build)": notebook_times(work / "book-0")}
        weights = page_weights(project / "_build" / "html")
        print("benchmarks: load() …", flush=True)
        sections["Loading the data"] = bench_load(args.runs)
        print("benchmarks: analysis scaling …", flush=True)
        scaling = scaling_report(args.runs)
        if not args.skip_make_test:
            print("benchmarks: make test …", flush=True)
            sections["Testing"] = bench_make_test(1)
        write_report(args.out, args.runs, sections, weights, scaling,
                     time.perf_counter() - started)
    print(f"benchmarks: wrote {args.out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
