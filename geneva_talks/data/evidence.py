"""Stage 3: the evidence. Every statement's text is verbatim in the paragraph of the
source it names, the statements of a paragraph make it up in order, each is attributed to
the speaker under whose heading it stands and to that speaker's delegation, each has a
position, no delegation leans both ways on an issue, and every source that a context
note cites exists."""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .paths import display_path
from .problems import Problem, show_value
from .reading import Table, safe_relative
from .text import citations, normalise, split_paragraphs


def rows(frame: pd.DataFrame) -> Iterator[tuple[int, dict]]:
    """(data row number from 1, row as a dict) in file order."""
    yield from enumerate(frame.to_dict("records"), start=1)


def present(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) \
        and value is not pd.NA and value is not pd.NaT and str(value) != ""


def source_texts(folder: Path, frames, tables, raw: dict[str, bytes]):
    """Text of each source with a local copy; problems with the copies and source rows."""
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    table = tables["sources"]
    for row, source in rows(frames["sources"]):
        path = source["path"]
        if not any(present(source[c]) for c in ("url", "via_url", "path")):
            problems.append(table.problem(row, "url", None, "is empty, and so are via_url and "
                                                            "path: a source needs an address, "
                                                            "a copy read, or a local copy"))
        is_base_kind = source["kind"] == "base_document"
        if bool(source["in_base_document"]) != is_base_kind:
            problems.append(table.problem(row, "in_base_document",
                                          str(source["in_base_document"]).lower(),
                                          f"contradicts kind '{source['kind']}': only the "
                                          f"base_document source is in the base document"))
        if not present(path):
            continue
        file = folder / path
        if not safe_relative(path) or path not in raw:
            problems.append(table.problem(row, "path", path, f"is not a file in "
                                                             f"{display_path(folder)}/"))
            continue
        digest = hashlib.sha256(raw[path]).hexdigest()
        if present(source["sha256"]) and source["sha256"] != digest:
            problems.append(table.problem(row, "sha256", source["sha256"],
                                          f"is not the SHA-256 of {display_path(file)} "
                                          f"({digest}): the copy changed, or the checksum is "
                                          f"wrong"))
        try:
            texts[source["source_id"]] = raw[path].decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(table.problem(row, "path", path, f"names a file that is not valid "
                                                             f"UTF-8 ({display_path(file)}, byte "
                                                             f"offset {error.start})"))
    return texts, problems


@dataclass
class _Evidence:
    """What the evidence rules read: the frames and parsed tables, each local source split
    into paragraphs, and (filled by the paragraph index) each paragraph's role."""

    frames: dict[str, pd.DataFrame]
    tables: dict[str, Table]
    split: dict[str, list[str]]
    role_of: dict[tuple[str, int], tuple[str, Any, int]] = field(default_factory=dict)

    def __post_init__(self):
        self.sources = self.frames["sources"].set_index("source_id")
        self.actors = self.frames["actors"].set_index("actor_id")
        self.with_copy = {sid for sid, path in self.sources["path"].items() if present(path)}

    def unreadable(self, table: Table, row: int, sid: str, number: int,
                   what: str) -> list[Problem] | None:
        """None if a row that points into a source can be checked; else its problems (none
        when the source's copy failed: that is reported once, on sources.csv)."""
        if sid not in self.split:
            if sid in self.with_copy:
                return []
            return [table.problem(row, "source_id", sid, f"has no local copy (path) in "
                                                         f"sources.csv to {what}")]
        last = len(self.split[sid])
        if number > last:
            return [table.problem(row, "paragraph", number, f"is beyond the last paragraph "
                                                            f"({last}) of the source '{sid}'")]
        return None


#: The free-text columns where a fact from outside the base document is followed by the
#: id of its source in square brackets ("... [tass-1386819]").
CITING_COLUMNS = {"actors": ("context",),
                  "events": ("venue", "level", "participants", "context")}


def check_evidence(frames, tables, texts: dict[str, str]) -> list[Problem]:
    """Every problem of stage 3 but the positions' (see :func:`check_positions`)."""
    evidence = _Evidence(frames, tables, {sid: split_paragraphs(t) for sid, t in texts.items()})
    problems = _check_sources_cited(evidence)
    problems += _index_paragraphs(evidence)
    found, by_paragraph = _check_statements(evidence)
    problems += found
    problems += _check_paragraph_parts(evidence, by_paragraph)
    return problems


def _check_sources_cited(evidence: _Evidence) -> list[Problem]:
    """Bracketed citations (:data:`CITING_COLUMNS`) name known sources or records; an
    actor's source is a source or a record; a row's source fits its in_base_document flag."""
    problems = []
    known = set(evidence.sources.index) | set(evidence.frames["records"]["record_id"])
    for name, columns in CITING_COLUMNS.items():
        table = evidence.tables[name]
        for row, record in rows(evidence.frames[name]):
            for column in columns:
                for cited in citations(record[column]) if present(record[column]) else []:
                    if cited not in known:
                        problems.append(table.problem(row, column, f"[{cited}]",
                                                      "cites an id that is neither a "
                                                      "source_id of sources.csv nor a "
                                                      "record_id of records.csv"))
            if record["source_id"] not in known:
                problems.append(table.problem(row, "source_id", record["source_id"],
                                              "is neither a source_id of sources.csv nor a "
                                              "record_id of records.csv"))
                continue
            base_source = record["source_id"] in evidence.sources.index and bool(
                evidence.sources.loc[record["source_id"], "in_base_document"])
            if bool(record["in_base_document"]) != base_source:
                problems.append(table.problem(
                    row, "source_id", record["source_id"],
                    "is an outside page, but in_base_document is true: cite the base document"
                    if not base_source else
                    "is the base document, but in_base_document is false: cite the outside "
                    "page"))
    return problems


def _index_paragraphs(evidence: _Evidence) -> list[Problem]:
    """paragraphs.csv indexes every paragraph of each local source it covers, with speakers
    under their headings; fills ``evidence.role_of``."""
    table, paragraphs = evidence.tables["paragraphs"], evidence.frames["paragraphs"]
    problems, current = [], {}
    for row, record in sorted(rows(paragraphs), key=lambda item: (
            str(item[1]["source_id"]), item[1]["paragraph"])):
        sid, number, role = record["source_id"], int(record["paragraph"]), str(record["role"])
        speaker = record["speaker_id"] if present(record["speaker_id"]) else None
        if (found := evidence.unreadable(table, row, sid, number, "index")) is not None:
            problems += found
            continue
        evidence.role_of[(sid, number)] = (role, speaker, row)
        if (role in {"heading", "statement"}) != (speaker is not None):
            problems.append(table.problem(
                row, "speaker_id", speaker,
                f"is empty: a {role} paragraph needs a speaker" if speaker is None else
                f"is given for a {role} paragraph, which is attributed to nobody"))
        if role == "heading" and speaker is not None:
            name, text = str(evidence.actors.loc[speaker, "name"]), evidence.split[sid][number - 1]
            if normalise(text) != f"{name}:":
                problems.append(table.problem(row, "speaker_id", speaker,
                                              f"does not match the heading: paragraph {number} "
                                              f"reads {show_value(text, 60)}, not '{name}:'"))
            current[sid] = speaker
        elif role == "statement" and speaker not in (None, current.get(sid, speaker)):
            problems.append(table.problem(row, "speaker_id", speaker,
                                          f"is not the speaker of the heading above paragraph "
                                          f"{number} ('{current[sid]}')"))
    indexed_sources = set(paragraphs["source_id"].astype(str))
    for sid, paras in evidence.split.items():
        for number in range(1, len(paras) + 1):
            if sid in indexed_sources and (sid, number) not in evidence.role_of:
                problems.append(Problem(table.file, f"paragraph {number} of the source '{sid}' "
                                                    f"has no row (reads "
                                                    f"{show_value(paras[number - 1], 60)})"))
    return problems


def _check_statements(evidence: _Evidence):
    """Each statement: verbatim in a statement paragraph of its source, given to that
    paragraph's speaker and the speaker's delegation, on a base-document event if it comes
    from the base document, with a position. Returns the problems and the statements found
    verbatim, by paragraph."""
    table, problems = evidence.tables["statements"], []
    positioned = set(evidence.frames["positions"]["statement_id"].astype(str))
    by_paragraph: dict[tuple[str, int], list[tuple[int, dict]]] = {}
    for row, record in rows(evidence.frames["statements"]):
        sid, number = record["source_id"], int(record["paragraph"])
        if (found := evidence.unreadable(table, row, sid, number,
                                         "check the text against")) is not None:
            problems += found
            continue
        problems += _statement_paragraph_problems(evidence, table, row, record)
        if (problem := _verbatim_problem(evidence, table, row, record)) is not None:
            problems.append(problem)
        else:
            by_paragraph.setdefault((sid, number), []).append((row, record))
        problems += _attribution_problems(evidence, table, row, record)
        if str(record["statement_id"]) not in positioned:
            problems.append(table.problem(row, "statement_id", record["statement_id"],
                                          "has no row in positions.csv: every statement needs "
                                          "at least one position"))
    return problems, by_paragraph


def _statement_paragraph_problems(evidence, table, row: int, record: dict) -> list[Problem]:
    """The paragraph a statement names is a statement paragraph, of its speaker."""
    number = int(record["paragraph"])
    role, speaker, _ = evidence.role_of.get((record["source_id"], number), (None, None, None))
    if role is not None and role != "statement":
        return [table.problem(row, "paragraph", number, f"is a {role} paragraph in "
                                                        f"paragraphs.csv, not a statement")]
    if role is not None and speaker is not None and record["speaker_id"] != speaker:
        return [table.problem(row, "speaker_id", record["speaker_id"],
                              f"is not the speaker of paragraph {number}, which paragraphs.csv "
                              f"gives to '{speaker}'")]
    return []


def _verbatim_problem(evidence, table, row: int, record: dict) -> Problem | None:
    """None if the statement's text is in its paragraph (whitespace, quotes and dashes
    aside); else where it is instead, or where it departs from the source."""
    sid, number, text = record["source_id"], int(record["paragraph"]), str(record["text"])
    paragraph = normalise(evidence.split[sid][number - 1])
    if normalise(text) in paragraph:
        return None
    elsewhere = [n for n, p in enumerate(evidence.split[sid], start=1)
                 if normalise(text) in normalise(p)]
    hint = (f" (it is in paragraph {elsewhere[0]})" if elsewhere
            else _first_difference(normalise(text), paragraph))
    return table.problem(row, "text", text, f"does not appear verbatim in paragraph {number} "
                                            f"of the source '{sid}'{hint}")


def _attribution_problems(evidence, table, row: int, record: dict) -> list[Problem]:
    """The delegation is the speaker's state; a person is a head of delegation, a group a
    delegation; a base-document statement is about a base-document event."""
    problems, speaker = [], record["speaker_id"]
    delegation = state_of(speaker, evidence.actors)
    if delegation is not None and str(record["delegation"]) != delegation:
        problems.append(table.problem(row, "delegation", record["delegation"],
                                      f"is not the delegation of the speaker '{speaker}' "
                                      f"('{delegation}', from actors.csv)"))
    kind = str(evidence.actors.loc[speaker, "kind"])
    expected = "head_of_delegation" if kind == "person" else "delegation"
    if str(record["attribution"]) != expected:
        problems.append(table.problem(row, "attribution", record["attribution"],
                                      f"does not fit the speaker '{speaker}', a {kind}: "
                                      f"expected '{expected}'"))
    events = evidence.frames["events"].set_index("event_id")
    if bool(evidence.sources.loc[record["source_id"], "in_base_document"]) \
            and not bool(events.loc[record["event_id"], "in_base_document"]):
        problems.append(table.problem(row, "event_id", record["event_id"],
                                      "is a context event, but the statement comes from the "
                                      "base document"))
    return problems


def _check_paragraph_parts(evidence: _Evidence, by_paragraph) -> list[Problem]:
    """The statements of a paragraph make it up, in order, and split paragraphs say so; every
    statement paragraph has its statements."""
    table, problems = evidence.tables["statements"], []
    for (sid, number), members in by_paragraph.items():
        if evidence.role_of.get((sid, number), ("statement",))[0] != "statement":
            continue
        members = sorted(members, key=lambda item: int(item[1]["part"]))
        problems += _parts_problems(table, number, members, evidence.split[sid][number - 1])
        for row, record in members if len(members) > 1 else ():
            if not present(record["note"]):
                problems.append(table.problem(row, "note", None,
                                              f"is empty, but paragraph {number} is split into "
                                              f"{len(members)} statements: the note must say so"))
    quoted = {(record["source_id"], int(record["paragraph"]))
              for _, record in rows(evidence.frames["statements"])}
    for (sid, number), (role, _, prow) in evidence.role_of.items():
        if role == "statement" and (sid, number) not in quoted:
            problems.append(evidence.tables["paragraphs"].problem(
                prow, "role", "statement",
                f"but no row of statements.csv quotes paragraph {number}"))
    return problems


def _parts_problems(table, number: int, members: list, paragraph: str) -> list[Problem]:
    """Problems with the statements of one paragraph (``members``: (row, record) sorted by
    part): their parts must run 1, 2, ... and their texts, in that order, make it up."""
    problems = []
    parts = [int(record["part"]) for _, record in members]
    for (row, record), want in zip(members, range(1, len(members) + 1), strict=True):
        if int(record["part"]) != want:
            problems.append(table.problem(row, "part", record["part"],
                                          f"breaks the numbering of paragraph {number}'s "
                                          f"statements: their parts must run 1, 2, ... in the "
                                          f"order of the text (found "
                                          f"{', '.join(map(str, parts))})"))
            break
    texts = [normalise(str(record["text"])) for _, record in members]
    whole = normalise(paragraph)
    if " ".join(texts) == whole:
        return problems
    row, record = members[0]
    by_place = sorted(texts, key=whole.find)
    if " ".join(by_place) == whole:
        return problems + [table.problem(row, "part", record["part"],
                                         f"puts the statements of paragraph {number} out of "
                                         f"the order of the text: number their parts as the "
                                         f"text runs")]
    rest = whole
    for text in texts:
        rest = rest.replace(text, " | ", 1)
    missing = " ".join(piece.strip() for piece in rest.split("|") if piece.strip())
    return problems + [table.problem(row, "text", record["text"],
                                     f"and the other statements of paragraph {number} do not "
                                     f"make up the whole paragraph, in order; left over: "
                                     f"{show_value(missing or '(overlap)', 80)}")]

#: Which pole each stance leans to (analysis reads it too): "A", "B", or "neither".
LEAN = {"a": "A", "a-if": "A", "neutral": "neither", "b-if": "B", "b": "B"}


def check_positions(frames, tables) -> list[Problem]:
    """No side leans to both poles of one issue: a coding that does contradicts itself (the
    stances of one side's statements on one issue point both ways)."""
    first: dict[tuple[str, str, str], tuple[int, str]] = {}
    problems = []
    for row, record in rows(frames["positions"]):
        side, lean = str(record["side"]), LEAN.get(str(record["stance"]))
        if lean not in {"A", "B"}:
            continue
        key = (side, str(record["issue_id"]))
        other = "B" if lean == "A" else "A"
        if (key + (other,)) in first:
            row_before, statement = first[key + (other,)]
            problems.append(tables["positions"].problem(
                row, "stance", record["stance"],
                f"contradicts row {row_before} ({statement}): {side} would lean to both poles "
                f"of issue '{key[1]}'"))
        first.setdefault(key + (lean,), (row, str(record["statement_id"])))
    return problems


def _first_difference(text: str, paragraph: str) -> str:
    """Where ``text`` first departs from the closest passage of ``paragraph``."""
    matcher = difflib.SequenceMatcher(None, text, paragraph, autojunk=False)
    first = matcher.get_matching_blocks()[0]
    at = first.size if first.a == 0 else 0
    start = first.b + at if first.a == 0 else 0
    ours = text[max(at - 20, 0) : at + 20]
    theirs = paragraph[max(start - 20, 0) : start + 20]
    return f"; it departs from the source at character {at + 1}: {show_value(ours)} against " \
           f"{show_value(theirs)} in the source"


def state_of(actor_id: Any, actors: pd.DataFrame) -> str | None:
    """Name of the state an actor belongs to, following affiliations up to an actor of kind
    ``state`` (None if there is none). ``actors`` is indexed by actor_id."""
    seen = set()
    while present(actor_id) and actor_id in actors.index and actor_id not in seen:
        seen.add(actor_id)
        if str(actors.loc[actor_id, "kind"]) == "state":
            return str(actors.loc[actor_id, "name"])
        actor_id = actors.loc[actor_id, "affiliation"]
    return None
