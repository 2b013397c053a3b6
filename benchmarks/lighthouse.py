"""Lighthouse over every page of a built book, as a static host would serve it.

``python benchmarks/lighthouse.py [HTML_DIR]`` serves the built book on 127.0.0.1 with gzip
(as static hosts compress text), runs Lighthouse (the npm package pinned in package.json,
in Debian's Chromium through CHROME_PATH) on every page with the mobile and the desktop
presets, and prints each page's scores, transferred weight and time to interactive as a
Markdown table beside the goals. ``make bench`` calls :func:`audit_book` and writes the table
into benchmarks/results.md.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
#: Goals (issue 16): performance per preset; weight per kind of page; the rest at 100.
GOALS = {"mobile": 90, "desktop": 95, "widget page KB": 1500, "page KB": 500, "other": 100}
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".txt", ".csv", ".map")
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped when the client accepts it and the type compresses."""

    def log_message(self, format, *args):  # noqa: A002
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        import io

        return io.BytesIO(body)


@contextlib.contextmanager
def serve_gzip(html_dir: Path) -> Iterator[str]:
    handler = functools.partial(_GzipHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


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


def book_pages(html_dir: Path) -> list[str]:
    """The reader's pages of a build (no search, index redirect or 404)."""
    skip = {"_static", "_sources", "_images", "widgets", "mathjax", "data"}
    return sorted(p.relative_to(html_dir).as_posix() for p in html_dir.rglob("*.html")
                  if not skip & set(p.relative_to(html_dir).parts)
                  and p.name not in {"search.html", "genindex.html", "404.html", "index.html"})


def audit_book(html_dir: Path, presets=("mobile", "desktop")) -> list[Audit]:
    """Every page of the build under every preset."""
    found = []
    with serve_gzip(html_dir) as url:
        for page in book_pages(html_dir):
            for preset in presets:
                found.append(audit(url + page, page, preset))
                print(f"lighthouse: {page} ({preset}) done", flush=True)
    return found


def is_widget_page(html_dir: Path, page: str) -> bool:
    return "widget-state+json" in (html_dir / page).read_text(encoding="utf-8")


def table(audits: list[Audit], html_dir: Path) -> str:
    """The Markdown table of results.md: a row per page, each figure beside its goal."""
    by_page: dict[str, dict[str, Audit]] = {}
    for found in audits:
        by_page.setdefault(found.page, {})[found.preset] = found
    lines = ["| page | performance, mobile (goal ≥ 90) | performance, desktop (goal ≥ 95) | "
             "accessibility | best practices | SEO | transferred (goal) | "
             "time to interactive, mobile |",
             "|---|---|---|---|---|---|---|---|"]
    for page, presets in by_page.items():
        mobile, desktop = presets["mobile"], presets["desktop"]
        goal = GOALS["widget page KB"] if is_widget_page(html_dir, page) else GOALS["page KB"]
        others = [min(mobile.scores[c], desktop.scores[c]) for c in CATEGORIES[1:]]
        lines.append(f"| {page} | {mobile.scores['performance']} | "
                     f"{desktop.scores['performance']} | " + " | ".join(map(str, others))
                     + f" | {mobile.weight_kb:,.0f} KB (≤ {goal:,} KB) | "
                       f"{mobile.interactive_s:.1f} s |")
    return "\n".join(lines)


def goals_met(audits: list[Audit], html_dir: Path) -> dict[str, bool]:
    """Which goals every page meets."""
    def weight_ok(found: Audit) -> bool:
        widget = is_widget_page(html_dir, found.page)
        return found.weight_kb <= GOALS["widget page KB" if widget else "page KB"]

    return {
        "performance ≥ 90 on mobile": all(a.scores["performance"] >= GOALS["mobile"]
                                          for a in audits if a.preset == "mobile"),
        "performance ≥ 95 on desktop": all(a.scores["performance"] >= GOALS["desktop"]
                                           for a in audits if a.preset == "desktop"),
        "weight within its goal": all(weight_ok(a) for a in audits if a.preset == "mobile"),
        "accessibility, best practices, SEO at 100": all(
            a.scores[c] == 100 for a in audits for c in CATEGORIES[1:]),
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    html_dir = Path(args[0] if args else ROOT / "_build" / "html")
    audits = audit_book(html_dir)
    print(table(audits, html_dir))
    for goal, met in goals_met(audits, html_dir).items():
        print(f"{'met' if met else 'NOT MET'}: {goal}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
