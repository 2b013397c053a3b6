"""CITATION.cff is valid Citation File Format 1.2.0, and the version has one home.

The file is checked against the official CFF 1.2.0 JSON schema, kept in
tests/support/schemas/citation-file-format-1.2.0.json (copied unchanged from the release;
(c) Stephan Druskat, Jurriaan H. Spaaks and the Citation File Format contributors,
licensed CC BY 4.0). ``cffconvert``, the usual validator, needs jsonschema<4, which
frictionless (jsonschema>=4.20) rules out, so the ``jsonschema`` package checks it here.

CITATION.cff holds the version; data/datapackage.json and pyproject.toml repeat it, and
the title and authors repeat _config.yml's: any difference fails here.
"""

from __future__ import annotations

import copy
import json
import tomllib

import pytest
import yaml
from jsonschema import Draft7Validator
from projects import ROOT

from book_tools.publishing import citation_text, read_citation

SCHEMA = ROOT / "tests" / "support" / "schemas" / "citation-file-format-1.2.0.json"


def cff_errors(cff: dict) -> list[str]:
    """Every way ``cff`` breaks the CFF 1.2.0 schema, one line each (empty: valid)."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
    return sorted(f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
                  for error in validator.iter_errors(cff))


@pytest.fixture(scope="module")
def cff() -> dict:
    return read_citation(ROOT)


def test_citation_file_is_valid_cff_1_2_0(cff):
    assert cff["cff-version"] == "1.2.0"
    assert cff_errors(cff) == []


@pytest.mark.parametrize(("break_it", "complaint"), [
    (lambda c: c.pop("authors"), "'authors' is a required property"),
    (lambda c: c.update(version=["1.0.0"]), "version"),
    (lambda c: c.update(licence="MIT"), "Additional properties"),
    (lambda c: c.update({"date-released": "10 January 2022"}), "date-released"),
    (lambda c: c["authors"].append({"given-names": 7}), "authors/1"),
])
def test_a_broken_citation_file_is_rejected(cff, break_it, complaint):
    broken = copy.deepcopy(cff)
    break_it(broken)
    errors = cff_errors(broken)
    assert any(complaint in line for line in errors), errors


def test_the_version_has_one_home(cff):
    version = str(cff["version"])
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert package["version"] == version, "data/datapackage.json: version differs from CITATION.cff"
    assert project["project"]["version"] == version, \
        "pyproject.toml: version differs from CITATION.cff"


def test_the_citation_names_the_book_as_the_book_names_itself(cff):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert cff["title"] == config["title"]
    assert [a.get("name") for a in cff["authors"]] == [config["author"]]
    assert [c["title"] for c in package["contributors"]] == [config["author"]]
    assert cff["license"] in {licence["name"] for licence in package["licenses"]}
    named = (config.get("repository") or {}).get("url") or None
    assert cff.get("repository-code") in (None, named), \
        "CITATION.cff names a repository that _config.yml's repository.url does not"


def test_citation_text_gives_authors_title_version_and_url():
    cff = {"title": "A book", "version": "2.1.0", "date-released": "2026-03-01",
           "url": "https://example.org/book/",
           "authors": [{"given-names": "Ada", "family-names": "Lovelace"}, {"name": "Team"}]}
    assert citation_text(cff) == ("Ada Lovelace; Team. *A book*, version 2.1.0. 2026. "
                                  "<https://example.org/book/>")
    del cff["url"], cff["date-released"]
    assert citation_text(cff) == "Ada Lovelace; Team. *A book*, version 2.1.0."
