"""The Lighthouse section of benchmarks/results.md (benchmarks/lighthouse.py), without running
Lighthouse: the table and goals from made-up audits, and the section put in place of its
earlier self while the rest of the file (benchmarks/run.py's) stays."""

from __future__ import annotations

import json
import os
import sys

import pytest
from projects import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import lighthouse  # noqa: E402

SCORES = {"performance": 96, "accessibility": 100, "best-practices": 100, "seo": 100}


@pytest.fixture
def site(tmp_path):
    """A tiny build: a plain page and a page showing a widget, with the runtime."""
    (tmp_path / "widgets").mkdir()
    (tmp_path / "widgets" / "require.js").write_text("var r = 1;\n" * 100)
    (tmp_path / "widgets" / "embed-amd.js").write_bytes(os.urandom(512 * 1024))  # no gzip
    (tmp_path / "plain.html").write_text("<p>text</p>")
    (tmp_path / "explorer.html").write_text(
        '<script type="application/vnd.jupyter.widget-state+json">{}</script>'
        '<script type="application/vnd.jupyter.widget-view+json">{}</script>')
    return tmp_path


def audits(weight_kb: float = 150, mobile: int = 96) -> list:
    return [lighthouse.Audit(page, preset, {**SCORES, "performance": score}, weight_kb, 2.3)
            for page in ("plain.html", "explorer.html")
            for preset, score in (("mobile", mobile), ("desktop", 100))]


def test_the_widget_page_counts_its_runtime_and_the_plain_page_does_not(site):
    plain, explorer = audits()[0], audits()[2]
    assert lighthouse.full_weight_kb(plain, site) == 150
    assert lighthouse.full_weight_kb(explorer, site) == pytest.approx(
        150 + lighthouse.runtime_kb(site))
    assert lighthouse.runtime_kb(site) > 500


def test_goals_are_met_or_not_by_every_page(site):
    assert all(lighthouse.goals_met(audits(), site).values())
    missed = lighthouse.goals_met(audits(weight_kb=600, mobile=89), site)
    assert [met for met in missed.values()] == [False, True, False, True]


def test_the_section_replaces_its_earlier_self_and_keeps_the_rest(site):
    results = site / "results.md"
    results.write_text("# Benchmarks\n\n## Building\n\nfast\n\n## Page weight\n\nsmall\n")
    first = lighthouse.section(audits(), site, 60.0)
    lighthouse.update_results(results, first)
    lighthouse.update_results(results, lighthouse.section(audits(mobile=91), site, 60.0))
    text = results.read_text()
    assert text.count(lighthouse.SECTION) == 1 and "## Building\n\nfast" in text
    assert "## Page weight\n\nsmall" in text
    assert "| plain.html | 91 | 100 |" in text and "| plain.html | 96 |" not in text
    assert "**met**" in text and "≤ 1,500 KB" in text and "≤ 500 KB" in text


def test_the_version_comes_from_the_lock_without_node_modules(site, tmp_path, monkeypatch):
    """make test installs no dev dependency, so the report may not need Lighthouse installed."""
    (tmp_path / "package-lock.json").write_bytes((ROOT / "package-lock.json").read_bytes())
    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]["lighthouse"]
    assert lighthouse.pinned_version(tmp_path) == pinned
    monkeypatch.setattr(lighthouse, "ROOT", tmp_path)  # a project without node_modules
    assert f"Lighthouse {pinned} (npm" in lighthouse.section(audits(), site, 60.0)


@pytest.mark.parametrize("script", ["run.py", "lighthouse.py"])
def test_the_benchmark_scripts_start(script):
    """make bench runs them from the project root: their imports must resolve there."""
    import subprocess

    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), "--help"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
