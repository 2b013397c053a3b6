"""The rules that join the records of the meetings to the rest of the package: every record
can be found (an original or a copy), its id is not a source's, and every statement has been
checked against at least one record of its own side."""

from __future__ import annotations

from .evidence import present, rows
from .problems import Problem


def check_records(frames, tables) -> list[Problem]:
    """Problems with records and corroboration (see the module docstring)."""
    problems = []
    table, sources = tables["records"], set(frames["sources"]["source_id"].astype(str))
    for row, record in rows(frames["records"]):
        if not present(record["url"]) and not present(record["via_url"]):
            problems.append(table.problem(row, "url", None, "is empty, and so is via_url: "
                                                            "a record needs the original's "
                                                            "address or the copy read"))
        if str(record["record_id"]) in sources:
            problems.append(table.problem(row, "record_id", record["record_id"],
                                          "is also a source_id in sources.csv: a citation "
                                          "must name one document"))
    side_of = dict(zip(frames["records"]["record_id"].astype(str),
                       frames["records"]["side"].astype(str), strict=True))
    checked: dict[str, set[str]] = {}
    for _, record in rows(frames["corroboration"]):
        checked.setdefault(str(record["statement_id"]), set()).add(
            side_of.get(str(record["record_id"]), ""))
    table = tables["statements"]
    for row, record in rows(frames["statements"]):
        sid, side = str(record["statement_id"]), str(record["delegation"])
        if side not in checked.get(sid, set()):
            problems.append(table.problem(row, "statement_id", sid,
                                          f"has no row in corroboration.csv against a record "
                                          f"of its own side ({side}): every statement is "
                                          f"checked against its own side's record"))
    return problems
