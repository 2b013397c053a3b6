"""`make test` on a bare machine: the Makefile installs Chromium, and then it is required.

The Makefile's ``$(CHROMIUM)`` target installs Debian's Chromium with apt-get when it is
missing and make runs as root (anyone else gets one line saying what to run), before any
other setup; ``make -n test`` shows it. ``make test`` then sets GENEVA_REQUIRE_CHROMIUM=1,
and CI sets CI=true: a browser test that finds no Chromium fails instead of skipping.
"""

from __future__ import annotations

import os
import subprocess

import pytest
from browser_support import no_chromium
from projects import ROOT

APT_LINES = ["DEBIAN_FRONTEND=noninteractive apt-get update -qq",
             "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null"]


def make_dry_run(*args: str) -> subprocess.CompletedProcess:
    """``make -n`` in the project, outside any make that runs this test."""
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    return subprocess.run(["make", "--no-print-directory", "-n", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_make_test_installs_a_missing_chromium_before_anything_else(tmp_path):
    result = make_dry_run("test", f"CHROMIUM={tmp_path / 'chromium'}")
    if os.geteuid() == 0:
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[:2] == APT_LINES, result.stdout
    else:
        assert result.returncode != 0
        message = result.stderr.strip().splitlines()
        assert len(message) == 1 and "apt-get install -y chromium" in message[0], message


def test_make_test_leaves_a_present_chromium_alone_and_requires_it(tmp_path):
    present = tmp_path / "chromium"
    present.touch()
    result = make_dry_run("test", f"CHROMIUM={present}")
    assert result.returncode == 0, result.stderr
    assert "apt-get" not in result.stdout
    assert "GENEVA_REQUIRE_CHROMIUM=1 .venv/bin/python -m pytest" in result.stdout


@pytest.mark.parametrize("environ", [{"GENEVA_REQUIRE_CHROMIUM": "1"}, {"CI": "true"}])
def test_a_missing_chromium_fails_where_it_is_required(environ):
    with pytest.raises(pytest.fail.Exception, match="NO CHROMIUM"):
        no_chromium(environ)


def test_a_missing_chromium_skips_loudly_elsewhere():
    with pytest.warns(UserWarning, match="NO CHROMIUM"), pytest.raises(pytest.skip.Exception):
        no_chromium({"CI": "false"})


def test_requirements_txt_locks_every_package_of_requirements_in():
    """requirements.txt is pip-compile's lock of requirements.in: every line a == pin, every
    direct dependency there at the version requirements.in asks for, and the lock made
    without this machine's package indexes."""
    import re

    def pins(name: str) -> dict[str, str]:
        found = {}
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            line = line.split("#")[0].strip()
            if not line:
                continue
            assert "==" in line and not line.startswith("-"), f"{name}: {line!r} is not a pin"
            package, version = line.split("==")
            found[re.sub(r"[-_.]+", "-", package).lower()] = version
        return found

    direct, lock = pins("requirements.in"), pins("requirements.txt")
    assert len(lock) > 2 * len(direct)  # the transitive closure, not the direct list
    for package, version in direct.items():
        assert lock.get(package) == version, package
    assert "--index-url" not in (ROOT / "requirements.txt").read_text(encoding="utf-8")
