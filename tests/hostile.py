"""A hostile copy of the data: markup in every text field of every table, and a
5,000-character token.

``make_hostile(project)`` rewrites the copy's data/ (and the base document, where a statement
or a speaker's heading must stay verbatim) so that the package still loads. The book built
from it must show every piece of markup as text, run none of it, and never scroll sideways
(tests/test_book.py, tests/test_browser.py).
"""

from __future__ import annotations

import json
from pathlib import Path

from data_fixtures import read_rows, write_rows

#: Appended to every free-text value: ends a script block in any case, then tries to run.
PAYLOAD = "</SCRIPT><img src=x onerror=alert(1)>"
#: Marks text that came from the hostile data.
MARK = "zq7"
SUFFIX = f" {MARK}{PAYLOAD}"
#: Issue labels are at most 28 characters: two labels are payloads of their own.
LABELS = {"nato-enlargement": "<img src=x onerror=alert(5)>",
          "third-states": "</ScRiPt> zq8",
          "missiles": r"M $\bogus{x}$ <i>zq8</i>"}
#: One unbroken token, long enough to widen any table that does not wrap it.
LONG_TOKEN = "W" * 5000
LONG_IN = {("statements", "S03"), ("actors", "sherman")}

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


def _hostile(value: str, limit: int | None) -> str:
    if limit is None:
        return value + SUFFIX
    return value[: max(limit - len(SUFFIX), 1)] + SUFFIX


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
