"""A hostile copy of the data: markup in every text field of every table, a 5,000-character
token, and a statement from a second source file.

``make_hostile(project)`` rewrites the copy's data/ (and the base document, where a statement
or a speaker's heading must stay verbatim) so that the package still loads. The book built
from it must show every piece of markup as text, run none of it, never scroll sideways, and
show the second source's statement as what it is (tests/test_book.py, tests/test_browser.py).
"""

from __future__ import annotations

import json
from pathlib import Path

from data_fixtures import read_rows, write_rows
from projects import update_checksum

#: Appended to every free-text value: ends a script block in any case, then tries to run.
PAYLOAD = "</SCRIPT><img src=x onerror=alert(1)>"
#: Marks text that came from the hostile data.
MARK = "zq7"
SUFFIX = f" {MARK}{PAYLOAD}"
#: Issue labels are at most 28 characters: two labels are payloads of their own.
LABELS = {"enlargement": "<img src=x onerror=alert(5)>",
          "say-of-others": "</ScRiPt> zq8",
          "missiles": r"M $\bogus{x}$ <i>zq8</i>"}
#: One unbroken token, long enough to widen any table that does not wrap it.
LONG_TOKEN = "W" * 5000
LONG_IN = {("statements", "S03"), ("actors", "sherman")}

#: The statement from a second source file, and what it is coded as.
EXTENSION_SOURCE = "extension-test"
EXTENSION_STATEMENT = "X-extension-1"
EXTENSION_MARK = "zq9"
EXTENSION_TEXT = f"{EXTENSION_MARK} The extension speaker judges that the talks should go on."
EXTENSION_SPEAKER = "extension-speaker"


def free_text_fields(package: dict) -> dict[str, list[str]]:
    """Per table, the string columns that hold free text: no enum, pattern or format, and
    no key of any kind (ids and references must stay as they are)."""
    fields = {}
    for resource in package["resources"]:
        schema = resource["schema"]
        keys = set(schema.get("primaryKey") or [])
        for fk in schema.get("foreignKeys", []):
            keys.update(fk["fields"])
        fields[resource["name"]] = [
            f["name"] for f in schema["fields"]
            if f.get("type", "string") == "string" and "format" not in f
            and not {"enum", "pattern"} & set(f.get("constraints", {}))
            and f["name"] not in keys and f["name"] != "path"]
    return fields


#: For a field too short for SUFFIX: markup that still tries to run.
SHORT_SUFFIX = f" {MARK}<img src=x onerror=alert(1)>"


def _hostile(value: str, limit: int | None) -> str:
    if limit is None:
        return value + SUFFIX
    suffix = SUFFIX if limit > len(SUFFIX) + 4 else SHORT_SUFFIX
    return value[: max(limit - len(suffix), 1)] + suffix


def make_hostile(project: Path) -> None:
    """Rewrite ``project``'s data/ as the module docstring says."""
    data = project / "data"
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    source = data / "sources" / "geneva-talks-2022-summary.txt"
    text = source.read_text(encoding="utf-8")
    for table, columns in free_text_fields(package).items():
        spec = next(r for r in package["resources"] if r["name"] == table)["schema"]
        limits = {f["name"]: f.get("constraints", {}).get("maxLength") for f in spec["fields"]}
        key = (spec.get("primaryKey") or [None])[0]
        header, rows = read_rows(data / f"{table}.csv")
        for row in rows:
            for column in columns:
                old = row[column]
                if table == "issues" and column == "label":
                    row[column] = LABELS.get(row["issue_id"], old)
                    continue
                if not old or (table == "actors" and column == "name"
                               and row["kind"] == "state"):  # a state's name is a delegation
                    continue
                new = _hostile(old, limits[column])
                if (table, row.get(key)) in LONG_IN and column in {"text", "role"}:
                    new += " " + LONG_TOKEN
                if table == "statements" and column == "text":
                    if text.count(old) != 1:  # whitespace differs from the source's: skip
                        continue
                    text = text.replace(old, new)
                if table == "actors" and column == "name" and f"\n{old}:\n" in text:
                    text = text.replace(f"\n{old}:\n", f"\n{new}:\n")
                row[column] = new
        write_rows(data / f"{table}.csv", header, rows)
    source.write_text(text, encoding="utf-8")
    update_checksum(project)
    _add_second_source(project)


def _append(path: Path, row: dict[str, str]) -> None:
    header, rows = read_rows(path)
    write_rows(path, header, [*rows, {c: row.get(c, "") for c in header}])


def _add_second_source(project: Path) -> None:
    """A second source with a local copy: a heading and one statement, coded on one issue
    the way its side already leans, so that no sentence of the book becomes false."""
    data = project / "data"
    (data / "sources" / f"{EXTENSION_SOURCE}.txt").write_text(
        f"Extension Speaker:\n\n{EXTENSION_TEXT}\n", encoding="utf-8")
    _append(data / "sources.csv", {
        "source_id": EXTENSION_SOURCE, "title": f"Extension test source {EXTENSION_MARK}",
        "kind": "press_report", "publisher": "Test publisher",
        "url": "https://example.org/extension-test", "path": f"sources/{EXTENSION_SOURCE}.txt",
        "language": "en", "in_base_document": "false", "note": "A source made up for the tests."})
    _append(data / "actors.csv", {
        "actor_id": EXTENSION_SPEAKER, "name": "Extension Speaker", "kind": "person",
        "affiliation": "russia-delegation", "role": "A speaker made up for the tests.",
        "in_base_document": "false", "source_id": EXTENSION_SOURCE})
    for number, role in ((1, "heading"), (2, "statement")):
        _append(data / "paragraphs.csv", {
            "source_id": EXTENSION_SOURCE, "paragraph": str(number), "role": role,
            "speaker_id": EXTENSION_SPEAKER})
    _append(data / "statements.csv", {
        "statement_id": EXTENSION_STATEMENT, "event_id": "nrc-brussels",
        "speaker_id": EXTENSION_SPEAKER, "delegation": "Russia",
        "attribution": "head_of_delegation", "paragraph": "2", "part": "1",
        "text": EXTENSION_TEXT, "form": "attributed", "speech_act": "assessment",
        "source_id": EXTENSION_SOURCE})
    _append(data / "positions.csv", {
        "statement_id": EXTENSION_STATEMENT, "issue_id": "dialogue", "side": "Russia",
        "stance": "a", "rationale": "Judges that the talks should go on."})
    _append(data / "corroboration.csv", {
        "statement_id": EXTENSION_STATEMENT, "record_id": "tass-grushko-2022-01-12",
        "verdict": "partly", "locator": "made up for the tests",
        "note": "A check made up for the tests."})
