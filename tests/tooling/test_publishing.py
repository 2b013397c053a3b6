"""Publishing: the GitHub Actions workflow, and the repository button's one setting.

The workflow (.github/workflows/publish.yml) passes actionlint (pinned in requirements.txt,
so the check runs offline), runs the README's commands, pins every action to a commit, and
deploys to GitHub Pages only on a push to main, with the Pages permissions in that job only.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from projects import ROOT

from book_tools.publishing import show_repository_button

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
ACTIONLINT = Path(sys.executable).with_name("actionlint")
DEPLOY_CONDITION = "github.event_name == 'push' && github.ref == 'refs/heads/main'"


def actionlint(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(ACTIONLINT), "-no-color", *map(str, paths)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def workflow() -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); the workflow's triggers sit under it.
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_workflow_passes_actionlint():
    result = actionlint(*sorted(WORKFLOW.parent.glob("*.y*ml")))
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8")
                      .replace("needs: test", "needs: tests")
                      .replace("steps.deployment.outputs", "steps.nowhere.outputs"))
    result = actionlint(broken)
    assert result.returncode == 1, result.stdout + result.stderr
    assert '"tests"' in result.stdout and "nowhere" in result.stdout, result.stdout


def test_workflow_tests_with_the_readmes_commands(workflow):
    runs = [step.get("run") for step in workflow["jobs"]["test"]["steps"]]
    assert "make test" in runs and "make book" in runs


def test_every_action_is_pinned_to_a_commit(workflow):
    uses = [step["uses"] for job in workflow["jobs"].values()
            for step in job["steps"] if "uses" in step]
    expected = {"actions/checkout", "actions/setup-python", "actions/setup-node",
                "actions/upload-pages-artifact", "actions/deploy-pages"}
    assert {u.split("@")[0] for u in uses} == expected
    unpinned = [u for u in uses if not re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u)]
    assert unpinned == [], f"actions not pinned to a commit: {unpinned}"


def test_only_a_push_to_main_deploys_and_only_deploy_may_write(workflow):
    assert workflow[True]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read"}
    deploy, test = workflow["jobs"]["deploy"], workflow["jobs"]["test"]
    assert deploy["if"] == DEPLOY_CONDITION and deploy["needs"] == "test"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "permissions" not in test
    upload = next(s for s in test["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["if"] == DEPLOY_CONDITION and upload["with"]["path"] == "_build/html"


@pytest.mark.parametrize(("url", "shown"), [
    ("https://github.com/o/book", True), ("", False), (None, False)])
def test_the_repository_button_follows_repository_url(url, shown):
    options = {"repository_url": url, "use_repository_button": not shown}
    assert show_repository_button(options)["use_repository_button"] is shown
    assert show_repository_button({})["use_repository_button"] is False
