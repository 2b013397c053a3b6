"""Benchmarks for building, rebuilding and testing the book: `make bench` writes results.md.

Each figure is the median of several runs (``--runs``), measured side by side in one run of
this script on this machine, in throwaway copies of the project (tests/projects.py), so the
working tree and its _build/ are never touched. Goals live here, not in timed tests. Last,
Lighthouse audits every page of the book built in a copy (benchmarks/lighthouse.py) and its
section joins results.md (``--skip-lighthouse`` leaves it out).
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
sys.path.insert(0, str(ROOT / "tests" / "support"))
sys.path.insert(0, str(HERE))

from projects import build_book, build_env, copy_project, rewrite_statement  # noqa: E402

FLOOR_IMPORTS = "import pandas\nimport matplotlib\nimport ipywidgets\n"

#: Run by the build's Python in a project copy: executes every notebook of the copy into its
#: execution cache with jupyter-cache's local-parallel executor (one process per core), and
#: stamps the cache with book_tools.sphinx_ext's input fingerprint, so that the build that
#: follows finds every notebook executed and does not empty the cache.
PRE_EXECUTE = """
import sys
from pathlib import Path
from jupyter_cache import get_cache
from jupyter_cache.executors import load_executor
from book_tools.sphinx_ext import FINGERPRINT_FILE, input_fingerprint
project = Path(sys.argv[1])
cache_dir = project / "_build" / ".jupyter_cache"
cache = get_cache(cache_dir)
cache_dir.mkdir(parents=True, exist_ok=True)
(cache_dir / FINGERPRINT_FILE).write_text(input_fingerprint() + "\\n")
for notebook in sorted((project / "chapters").rglob("*.ipynb")):
    cache.add_nb_to_project(str(notebook))
result = load_executor("local-parallel", cache).run_and_cache(timeout=120)
sys.exit(1 if result.errored else 0)
"""


class ColdCaches:
    """A fresh, empty user cache folder (XDG_CACHE_HOME) for the builds inside the block, so
    that a cold build also starts without geneva_talks' record of validated data."""

    def __init__(self, work: Path) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="xdg-", dir=work))
        self._saved: str | None = None

    def __enter__(self) -> ColdCaches:
        self._saved = os.environ.get("XDG_CACHE_HOME")
        os.environ["XDG_CACHE_HOME"] = str(self.folder)
        return self

    def __exit__(self, *exc) -> None:
        if self._saved is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = self._saved


def pre_execute_in_parallel(project: Path) -> None:
    subprocess.run([sys.executable, "-c", PRE_EXECUTE, str(project)], cwd=project,
                   env=build_env(project), check=True, capture_output=True, timeout=1800)


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
            # The comment makes each notebook's code distinct: the execution cache would
            # otherwise run one floor notebook and serve the others' outputs from it.
            {"cell_type": "code", "id": "c", "metadata": {}, "execution_count": None,
             "outputs": [], "source": f"# floor page: {title}\n{FLOOR_IMPORTS}"},
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }


# -- the figures -------------------------------------------------------------------------------

def bench_builds(work: Path, runs: int) -> tuple[list[Figure], Path]:
    """Cold builds of the book and of the floor book, then warm rebuilds of the book; the
    figures, and a cold-built copy of the book as it is (for page weights and Lighthouse)."""
    cold = Figure("cold build of the book (no _build, .venv present)")
    floor = Figure("cold build of the floor book")
    parallel = Figure("cold build, notebooks first executed in parallel (jupyter-cache "
                      "local-parallel), then the build")
    parallel_floor = Figure("cold build of the floor book, notebooks first executed in "
                            "parallel, then the build")
    memory = Figure("peak memory of a cold build (build + kernels)", unit="MiB")
    for i in range(runs):
        project = copy_project(work / f"book-{i}")
        with ColdCaches(work), PeakMemory() as peak:
            cold.runs.append(timed(lambda p=project: build_book(p)))
        memory.runs.append(peak.peak / 2**20)
        floor_project = copy_project(work / f"floor-{i}")
        make_floor(floor_project)
        with ColdCaches(work):
            floor.runs.append(timed(lambda p=floor_project: build_book(p, flags=())))
        parallel_project = copy_project(work / f"parallel-{i}")
        with ColdCaches(work):
            parallel.runs.append(timed(lambda p=parallel_project: (pre_execute_in_parallel(p),
                                                                   build_book(p))))
        parallel_floor_project = copy_project(work / f"parallel-floor-{i}")
        make_floor(parallel_floor_project)
        with ColdCaches(work):
            parallel_floor.runs.append(timed(lambda p=parallel_floor_project: (
                pre_execute_in_parallel(p), build_book(p, flags=()))))
    ratio = cold.median / floor.median
    cold.goal, cold.met = "within 1.3x of the floor", ratio <= 1.3
    cold.note = f"{ratio:.2f}x the floor"
    floor.note = ("same _config.yml and _toc.yml; every notebook one cell importing pandas, "
                  "matplotlib and ipywidgets")
    gain = 1 - parallel.median / cold.median
    parallel.goal = "measure whether it pays on this machine"
    parallel.met = None
    parallel.note = (f"{parallel.median / parallel_floor.median:.2f}x the floor built the same "
                     f"way ({parallel.median / floor.median:.2f}x the serial floor); {gain:.0%} "
                     f"{'faster' if gain >= 0 else 'slower'} than the serial cold build")
    parallel_floor.note = (f"{1 - parallel_floor.median / floor.median:.0%} faster than the "
                           f"serial floor")
    memory.goal = "(no goal set)"
    rebuilds = bench_rebuilds(work, runs, cold)
    return [cold, floor, parallel, parallel_floor, memory, *rebuilds], work / "book-0"


def bench_rebuilds(work: Path, runs: int, cold: Figure) -> list[Figure]:
    """Warm rebuilds: nothing changed, one notebook changed, one CSV changed. They work on a
    copy of their own, so that the cold builds stay the book as it is."""
    project = copy_project(work / "rebuilt")
    build_book(project)
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
    one_nb.goal = "(no goal set)"
    one_nb.note = f"{one_nb.median / cold.median:.0%} of the cold build"
    one_csv.note += (f"; {one_csv.median / cold.median:.0%} of the cold build (every notebook "
                     f"re-runs: the data fingerprint empties the execution cache)")
    return [warm, one_nb, one_csv]


def median_run(figure: Figure) -> int:
    """The index of the run whose time is the median (the lower middle for an even count)."""
    ranked = sorted(range(len(figure.runs)), key=figure.runs.__getitem__)
    return ranked[(len(ranked) - 1) // 2]


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
        figures.append(Figure(f"execute {name}", [cached.data.get("execution_seconds", 0.0)],
                              goal="(no goal set)",
                              note="from the cold build of median time"))
    figures.sort(key=lambda f: f.name)
    total = Figure("all notebooks, executed one after another",
                   [sum(f.median for f in figures)], goal="(no goal set)")
    return [*figures, total]


def bench_load(runs: int, work: Path) -> list[Figure]:
    """geneva_talks.load() in a fresh process (as each notebook's kernel calls it): the first
    call with no record of validated data (Frictionless runs), the first call once the record
    exists, and a repeated call in the same process."""
    script = ("import time; t0 = time.perf_counter(); import geneva_talks; "
              "t1 = time.perf_counter(); geneva_talks.load(); t2 = time.perf_counter(); "
              "geneva_talks.load(); t3 = time.perf_counter(); print(t1 - t0, t2 - t1, t3 - t2)")
    imports = Figure("import geneva_talks (pandas included)", goal="(no goal set)")
    unrecorded = Figure("load(): first call in a process, data not validated before")
    recorded = Figure("load(): first call in a process, same bytes validated before")
    again = Figure("load(): repeated call in the same process")

    def run() -> list[float]:
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             check=True).stdout.split()
        return [float(v) for v in out]

    for _ in range(max(runs, 5)):
        with ColdCaches(work):
            t_import, t_first, _ = run()
            imports.runs.append(t_import)
            unrecorded.runs.append(t_first)
            _, t_first, t_again = run()
            recorded.runs.append(t_first)
            again.runs.append(t_again)
    unrecorded.goal = "(no goal set): once per change of the data"
    unrecorded.note = "Frictionless imported and run"
    recorded.goal, recorded.met = "well under a second", recorded.median < 0.5
    recorded.note = "the loader's own checks run; Frictionless skipped"
    again.goal, again.met = "no repeated validation in one process", again.median < 0.05
    return [imports, unrecorded, recorded, again]


def bench_make_test(runs: int) -> list[Figure]:
    """Wall time of `make test` in the working tree (it builds its own copies of the book)."""
    wall = Figure("make test (wall time)")
    outcomes, codes = [], []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(["make", "test"], cwd=ROOT, capture_output=True, text=True)
        wall.runs.append(time.perf_counter() - start)
        summary = [line for line in result.stdout.splitlines()
                   if re.search(r"\d+ (passed|failed)", line)]
        outcomes.append(summary[-1].strip("= ") if summary else f"exit {result.returncode}")
        codes.append(result.returncode)
    passed = all(code == 0 for code in codes)
    wall.goal = "under three minutes on 2 cores (and the suite passes)"
    wall.met = wall.median < 180 and passed
    wall.note = "; ".join(outcomes) + ("" if passed else ": a failing run does not count")
    return [wall]


def page_weights(html: Path) -> list[tuple[str, int, int, int, bool]]:
    """Per page: HTML bytes, local image bytes, page-specific script bytes, widget bundle?"""
    # Reader pages only: not the theme's template fragments under _static/, nor the redirect.
    pages = sorted(p for p in html.rglob("*.html")
                   if "_static" not in p.relative_to(html).parts
                   and "<script" in p.read_text(encoding="utf-8"))
    # A script's src, or the data-* attribute by which book_tools.widget_loading's loader
    # names the widget runtime that it loads when the reader heads for a widget.
    scripts_of = {p: {src for tag in re.findall(r"<script\b[^>]*>", p.read_text("utf-8"))
                      for src in re.findall(r'\b(?:src|data-require|data-manager)="([^"?#]+)',
                                            tag)}
                  for p in pages}
    resolved = {p: {(p.parent / s).resolve() for s in scripts_of[p] if "://" not in s}
                for p in pages}
    # The scripts every page loads (the theme's) are shared, cached once by the browser.
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

def goal_lines(sections: dict[str, list[Figure]], scaling_met: bool | None, weights) -> list[str]:
    """One bullet per goal of the speed issue: the figure, and met or not."""
    figures = {f.name: f for fs in sections.values() for f in fs}

    def find(prefix: str) -> Figure | None:
        return next((f for name, f in figures.items() if name.startswith(prefix)), None)

    def verdict(met: bool | None) -> str:
        return "not measured" if met is None else ("**met**" if met else "**not met**")

    lines = []
    for prefix, goal in (("cold build of the book", "cold build within 1.3x of the floor"),
                         ("warm rebuild", "warm rebuild under a quarter of the cold build"),
                         ("rebuild after one CSV", "a data change always reaches the book"),
                         ("make test", "make test under three minutes on 2 cores"),
                         ("load(): first call in a process, same",
                          "load() well under a second in a fresh process")):
        figure = find(prefix)
        if figure is None:
            lines.append(f"- {goal}: {verdict(None)}")
        else:
            lines.append(f"- {goal}: {verdict(figure.met)} ({figure.cell()}; {figure.note})")
    lines.append(f"- analysis functions linear in the statements and under a second at 10^5: "
                 f"{verdict(scaling_met)} (table below)")
    widget_pages = [name for name, *_, widgets in weights if widgets]
    lines.append(f"- the widget runtime loads only on pages with widgets: "
                 f"{', '.join(widget_pages) or 'no page'} (page weight below)")
    return lines


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


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def write_report(path: Path, runs: int, sections: dict[str, list[Figure]], weights, scaling,
                 seconds: float, loads: list[tuple[str, str]], goals: list[str]) -> None:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` ({Path(__file__).name}, {runs} run(s) per figure, median shown; "
        f"the whole run took {seconds / 60:.1f} min).",
        "",
        f"Machine: {machine()}.",
        "",
        "Load average (1 / 5 / 15 min) when each part started: "
        + "; ".join(f"{part} {load}" for part, load in loads)
        + ". A load above the core count means other work shared the CPU and times are "
          "inflated.",
        "",
        "## Goals",
        "",
        *goals,
        "",
        "How it is measured: every build runs in a throwaway copy of the project "
        "(tests/projects.py), never in the working tree. A cold build starts with no `_build/` "
        "and an empty user cache folder (so without geneva_talks' record of validated data). "
        "The floor book keeps `_config.yml`, `_toc.yml` and the extensions; each of its "
        "notebooks is one cell importing pandas, matplotlib and ipywidgets, with a comment "
        "naming the page so that the execution cache cannot serve one notebook's run for "
        "all. Every build, the floor's included, runs the notebooks the cache lacks in "
        "jupyter-cache's local-parallel executor before Sphinx reads the pages "
        "(geneva_talks/sphinx_ext.py); the 'executed in parallel first' figures run that "
        "executor once more from outside, before the build, so they measure what a separate "
        "pre-execution step would add on top of it.",
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
              "every page loads (the widget runtime among them, loaded when the reader heads "
              "for a widget). Uncompressed; Lighthouse's weights below are as gzip sends "
              "them.", "",
              "| page | HTML | images | page-specific scripts | widget runtime |",
              "|---|---|---|---|---|"]
    for name, html_bytes, img, scripts, widgets in weights:
        lines.append(f"| {name} | {html_bytes:,} | {img:,} | {scripts:,} | "
                     f"{'yes' if widgets else 'no'} |")
    lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def audit_pages(html_dir: Path, out: Path) -> None:
    """Lighthouse over every page of the built copy; its section goes into ``out``."""
    import lighthouse

    print("benchmarks: lighthouse …", flush=True)
    started = time.perf_counter()
    audits = lighthouse.audit_book(html_dir)
    lighthouse.update_results(out, lighthouse.section(audits, html_dir,
                                                      time.perf_counter() - started))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median reported)")
    parser.add_argument("--skip-make-test", action="store_true", help="do not time make test")
    parser.add_argument("--skip-lighthouse", action="store_true",
                        help="do not audit the pages with Lighthouse")
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    from scaling import scaling_report

    loads = []

    def part(name: str) -> None:
        loads.append((name, load_average()))
        print(f"benchmarks: {name} …", flush=True)

    with tempfile.TemporaryDirectory(prefix="geneva-bench-") as tmp:
        work = Path(tmp)
        part("builds")
        builds, project = bench_builds(work, args.runs)
        sections = {"Building the book": builds,
                    "Executing each notebook (cold build)": notebook_times(
                        work / f"book-{median_run(builds[0])}")}
        weights = page_weights(project / "_build" / "html")
        part("load()")
        sections["Loading the data"] = bench_load(args.runs, work)
        part("analysis scaling")
        scaling, scaling_met = scaling_report(args.runs)
        if not args.skip_make_test:
            part("make test")
            sections["Testing"] = bench_make_test(1)
        loads.append(("end", load_average()))
        goals = goal_lines(sections, scaling_met, weights)
        write_report(args.out, args.runs, sections, weights, scaling,
                     time.perf_counter() - started, loads, goals)
        if not args.skip_lighthouse:
            audit_pages(project / "_build" / "html", args.out)
    print(f"benchmarks: wrote {args.out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
