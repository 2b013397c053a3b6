"""Lighthouse over every page of a built book, as a static host would serve it.

``python benchmarks/lighthouse.py [HTML_DIR] [--pages PAGE ...] [--write RESULTS]`` serves
the built book on 127.0.0.1 with gzip (as static hosts compress text), runs Lighthouse (the
npm package pinned in package.json as a dev dependency, in Debian's Chromium through
CHROME_PATH) on every page (or the pages given) with the mobile and the desktop presets,
and prints each page's scores, transferred weight and time to interactive as a Markdown
table beside the goals. ``--write`` puts that section into a results file in place of its
own earlier one, keeping the rest. ``make bench`` (benchmarks/run.py) audits the book it
builds and writes the section into benchmarks/results.md.

Lighthouse sees a page's first view: a page with widgets loads their runtime only when the
reader heads for them (book_tools.widget_loading), so its weight with the widgets shown is
given beside it, counting the runtime's two scripts as gzip sends them.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
sys.path.insert(0, str(ROOT / "tests" / "support"))
from browser_support import (  # noqa: E402
    COMPRESSIBLE,
    PAGE_BUDGET_KB,
    WIDGET_PAGE_BUDGET_KB,
    WIDGET_RUNTIME,
    QuietHandler,
    book_pages,
    sent_bytes,
    serve,
)

#: Goals (issue 16): performance per preset; weight per kind of page (tests/support).
GOALS = {"mobile": 90, "desktop": 95, "widget page KB": WIDGET_PAGE_BUDGET_KB,
         "page KB": PAGE_BUDGET_KB}

CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")


class _GzipHandler(QuietHandler):
    """Static files, gzipped when the client accepts it and the type compresses."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = sent_bytes(path)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)


def serve_gzip(html_dir: Path) -> contextlib.AbstractContextManager[str]:
    """Serve ``html_dir`` on 127.0.0.1 with gzip while the block runs; yield its base URL."""
    return serve(html_dir, handler=_GzipHandler)


@dataclass
class Audit:
    """One page under one preset."""

    page: str
    preset: str
    scores: dict[str, int]
    weight_kb: float
    interactive_s: float


def audit(url: str, page: str, preset: str) -> Audit:
    """Run Lighthouse once on ``url`` with the ``mobile`` or ``desktop`` preset."""
    with tempfile.TemporaryDirectory() as work:
        report = Path(work) / "report.json"
        command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
                   f"--only-categories={','.join(CATEGORIES)}",
                   f"--chrome-flags={CHROME_FLAGS} --user-data-dir={work}/profile"]
        if preset == "desktop":
            command.append("--preset=desktop")
        env = {**os.environ, "CHROME_PATH": CHROMIUM}
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        if result.returncode != 0 or not report.is_file():
            raise RuntimeError(f"lighthouse failed on {page} ({preset}): {result.stderr[-2000:]}")
        data = json.loads(report.read_text(encoding="utf-8"))
    scores = {c: round(100 * (data["categories"][c]["score"] or 0)) for c in CATEGORIES}
    audits = data["audits"]
    return Audit(page, preset, scores,
                 audits["total-byte-weight"]["numericValue"] / 1024,
                 audits["interactive"]["numericValue"] / 1000)


def audited_pages(html_dir: Path) -> list[str]:
    """Every page of a build (search, index and 404 pages included), but the root
    index.html, which only redirects to the first page."""
    return [page for page in book_pages(html_dir) if page != "index.html"]


def audit_book(html_dir: Path, pages: list[str] | None = None,
               presets=("mobile", "desktop")) -> list[Audit]:
    """Every page of the build (or ``pages``) under every preset."""
    found = []
    with serve_gzip(html_dir) as url:
        for page in pages or audited_pages(html_dir):
            for preset in presets:
                found.append(audit(url + page, page, preset))
                print(f"lighthouse: {page} ({preset}) done", flush=True)
    return found




def runtime_kb(html_dir: Path) -> float:
    """The widget runtime's scripts as gzip sends them, in KiB."""
    return sum(len(sent_bytes(html_dir / name))
               for name in WIDGET_RUNTIME if (html_dir / name).is_file()) / 1024


def shows_widgets(html_dir: Path, page: str) -> bool:
    """Whether the page shows a widget: such a page loads the runtime and has the widget
    page's budget (some pages carry widget state and show none, and load nothing more)."""
    text = (html_dir / page).read_text(encoding="utf-8")
    return 'type="application/vnd.jupyter.widget-view+json">' in text


def full_weight_kb(found: Audit, html_dir: Path) -> float:
    """The page's weight once its widgets are shown: the first view plus the runtime."""
    extra = runtime_kb(html_dir) if shows_widgets(html_dir, found.page) else 0.0
    return found.weight_kb + extra


def _goal_kb(html_dir: Path, page: str) -> int:
    return GOALS["widget page KB"] if shows_widgets(html_dir, page) else GOALS["page KB"]


def table(audits: list[Audit], html_dir: Path) -> str:
    """The Markdown table of results.md: a row per page, each figure beside its goal."""
    by_page: dict[str, dict[str, Audit]] = {}
    for found in audits:
        by_page.setdefault(found.page, {})[found.preset] = found
    lines = ["| page | performance, mobile (goal ≥ 90) | performance, desktop (goal ≥ 95) | "
             "accessibility | best practices | SEO | transferred, first view | "
             "transferred, widgets shown (goal) | time to interactive, mobile / desktop |",
             "|---|---|---|---|---|---|---|---|---|"]
    for page, presets in by_page.items():
        mobile, desktop = presets["mobile"], presets["desktop"]
        others = [min(mobile.scores[c], desktop.scores[c]) for c in CATEGORIES[1:]]
        lines.append(f"| {page} | {mobile.scores['performance']} | "
                     f"{desktop.scores['performance']} | " + " | ".join(map(str, others))
                     + f" | {mobile.weight_kb:,.0f} KB | "
                       f"{full_weight_kb(mobile, html_dir):,.0f} KB (≤ "
                       f"{_goal_kb(html_dir, page):,} KB) | "
                       f"{mobile.interactive_s:.1f} s / {desktop.interactive_s:.1f} s |")
    return "\n".join(lines)


def goals_met(audits: list[Audit], html_dir: Path) -> dict[str, bool]:
    """Which goals every page meets."""
    def weight_ok(found: Audit) -> bool:
        return full_weight_kb(found, html_dir) <= _goal_kb(html_dir, found.page)

    return {
        "performance ≥ 90 on every page with the mobile preset": all(
            a.scores["performance"] >= GOALS["mobile"] for a in audits if a.preset == "mobile"),
        "performance ≥ 95 on every page with the desktop preset": all(
            a.scores["performance"] >= GOALS["desktop"]
            for a in audits if a.preset == "desktop"),
        "the explorer (every page with widgets) ≤ 1.5 MB transferred, widgets shown, and "
        "every page without widgets ≤ 500 KB": all(
            weight_ok(a) for a in audits if a.preset == "mobile"),
        "accessibility, best practices and SEO at 100 on every page": all(
            a.scores[c] == 100 for a in audits for c in CATEGORIES[1:]),
    }


SECTION = "## Lighthouse"


def pinned_version(root: Path | None = None) -> str:
    """Lighthouse's version as package-lock.json pins it (known without node_modules)."""
    lock = json.loads(((root or ROOT) / "package-lock.json").read_text(encoding="utf-8"))
    return lock["packages"]["node_modules/lighthouse"]["version"]


def section(audits: list[Audit], html_dir: Path, seconds: float) -> str:
    """The results section: how it was measured, the goals met or not, the table."""
    version = pinned_version()
    pages = len({a.page for a in audits})
    lines = [SECTION, "",
             f"Lighthouse {version} (npm, package.json) in Debian's Chromium, over {pages} pages "
             f"of the built book, each with the mobile and the desktop preset (one run each; "
             f"{seconds / 60:.1f} min), served on 127.0.0.1 with gzip as a static host "
             f"would (benchmarks/lighthouse.py). A page's scores vary by a few points from run "
             f"to run with the machine's load. Lighthouse sees the first view; a page with "
             f"widgets loads their runtime ({runtime_kb(html_dir):,.0f} KB gzipped) when the "
             f"reader heads for them, so its weight with the widgets shown adds it. "
             f"Accessibility, best practices and SEO: the lower of the two presets.", "",
             "Goals (issue 16):", ""]
    lines += [f"- {goal}: **{'met' if met else 'not met'}**"
              for goal, met in goals_met(audits, html_dir).items()]
    return "\n".join([*lines, "", table(audits, html_dir), ""])


def update_results(path: Path, text: str) -> None:
    """Put ``text`` (a section starting with :data:`SECTION`) into the results file at
    ``path`` in place of its earlier Lighthouse section, or at its end."""
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(old):
        new = pattern.sub(lambda _m: text.rstrip("\n") + "\n\n", old, count=1)
    else:
        new = old.rstrip("\n") + ("\n\n" if old else "") + text
    path.write_text(new.rstrip("\n") + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("html_dir", nargs="?", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--pages", nargs="+", help="audit these pages only")
    parser.add_argument("--write", type=Path, help="put the section into this results file")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    audits = audit_book(args.html_dir, args.pages)
    text = section(audits, args.html_dir, time.perf_counter() - started)
    print(text)
    if args.write:
        update_results(args.write, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
