"""Bad data never loads: each case breaks a copy of data/ in one way, and the DataError must
name the file, the row (data rows from 1 after the header, with the line of the file), the
column and the offending value."""

from __future__ import annotations

from pathlib import Path

import pytest
from data_fixtures import copy_data, read_rows, replace_in, write_rows

from geneva_talks import data as gd

ROWS = "rows count data rows from 1 after the header"


@pytest.fixture
def folder(tmp_path) -> Path:
    """A fresh copy of data/ to break."""
    return copy_data(tmp_path)


def where(file: str, row: int, line: int, column: str) -> str:
    return f"{file}, row {row} (line {line} of the file; {ROWS}), column '{column}'"


def load_error(folder: Path) -> gd.DataError:
    with pytest.raises(gd.DataError) as caught:
        gd.load(folder)
    return caught.value


def edit(name: str, old: str, new: str):
    return lambda folder: replace_in(folder / name, old, new)


def drop_rows(name: str, **match):
    def apply(folder: Path) -> None:
        header, rows = read_rows(folder / name)
        kept = [r for r in rows if not all(r[k] == v for k, v in match.items())]
        assert len(kept) < len(rows), f"no row of {name} matches {match}"
        write_rows(folder / name, header, kept)
    return apply


def cut_after(name: str, marker: str):
    """Truncate a file in the middle of a quoted value, just after ``marker``."""
    def apply(folder: Path) -> None:
        data = (folder / name).read_bytes()
        end = data.index(marker.encode("utf-8")) + len(marker)
        (folder / name).write_bytes(data[:end])
    return apply


def latin1(name: str, old: str, new: str):
    """Re-save a file as Latin-1 with one accented letter in it."""
    def apply(folder: Path) -> None:
        text = (folder / name).read_text(encoding="utf-8").replace(old, new, 1)
        (folder / name).write_bytes(text.encode("latin-1", errors="replace"))
    return apply


def both(*breakages):
    def apply(folder: Path) -> None:
        for breakage in breakages:
            breakage(folder)
    return apply


# Each case: (what is broken, how, the fragments the message must contain).
CASES = [
    ("duplicate key",
     edit("statements.csv", "S03,geneva-talks", "S02,geneva-talks"),
     [where("statements.csv", 3, 4, "statement_id"), "value 'S02'", "duplicate",
      "row 2 has it already"]),
    ("duplicate composite key",
     edit("positions.csv", "S12,nuclear-arms,United States", "S12,missiles,United States"),
     [where("positions.csv", 17, 18, "statement_id, issue_id, side"),
      "value 'S12, missiles, United States'", "duplicate primary key", "row 16"]),
    ("dangling foreign key",
     edit("statements.csv", "S07,geneva-talks,sherman", "S07,geneva-talks,shermann"),
     [where("statements.csv", 7, 8, "speaker_id"), "value 'shermann'",
      "is not an actor_id in actors.csv"]),
    ("dangling self-reference",
     edit("actors.csv", "sherman,Wendy Sherman,person,us,", "sherman,Wendy Sherman,person,usa,"),
     [where("actors.csv", 3, 4, "affiliation"), "value 'usa'",
      "is not an actor_id in actors.csv"]),
    ("paragraph that does not exist",
     edit("statements.csv", "head_of_delegation,13,", "head_of_delegation,31,"),
     [where("statements.csv", 7, 8, "source_id, paragraph"), "value 'base, 31'",
      "is not a source_id, paragraph in paragraphs.csv"]),
    ("paragraph beyond the source, indexed too",
     both(edit("paragraphs.csv", "base,29,commentary,,",
               "base,31,statement,sherman,\nbase,29,commentary,,"),
          edit("statements.csv", "head_of_delegation,13,", "head_of_delegation,31,")),
     [where("statements.csv", 7, 8, "paragraph"), "value '31'",
      "is beyond the last paragraph (29) of the source 'base'"]),
    ("impossible date",
     edit("events.csv", "nrc-brussels,2022-01-12", "nrc-brussels,2022-02-30"),
     [where("events.csv", 4, 5, "date"), "value '2022-02-30'", "is not a valid date"]),
    ("date out of range",
     edit("events.csv", "nrc-brussels,2022-01-12", "nrc-brussels,2202-01-12"),
     [where("events.csv", 4, 5, "date"), "value '2202-01-12'", "maximum"]),
    ("date in another format",
     edit("events.csv", "osce-vienna,2022-01-13", "osce-vienna,13/01/2022"),
     [where("events.csv", 5, 6, "date"), "value '13/01/2022'", "YYYY-MM-DD"]),
    ("unknown vocabulary value",
     edit("positions.csv", "S03,dialogue,Russia,a,", "S03,dialogue,Russia,favour,"),
     [where("positions.csv", 3, 4, "stance"), "value 'favour'",
      "is not in the column's vocabulary (a, a-if, neutral, b-if, b)"]),
    ("unknown speech act",
     edit("statements.csv", "is possible.\",attributed,assessment",
          "is possible.\",attributed,opinion"),
     [where("statements.csv", 3, 4, "speech_act"), "value 'opinion'", "vocabulary"]),
    ("delegation outside the vocabulary",
     edit("statements.csv", "S04,geneva-talks,ryabkov,Russia", "S04,geneva-talks,ryabkov,USSR"),
     [where("statements.csv", 4, 5, "delegation"), "value 'USSR'", "vocabulary"]),
    ("empty required text",
     edit("statements.csv",
          '"There is a basis for reaching an agreement with the United States and NATO on '
          'security guarantees, the search for a balance of interests is possible."', '""'),
     [where("statements.csv", 3, 4, "text"), "value ''", "is empty, but the column is "
                                                        "required"]),
    ("text not verbatim",
     edit("statements.csv", "no attempts to embellish", "no attempt to embellish"),
     [where("statements.csv", 2, 3, "text"), "value 'Negotiations on security guarantees",
      "does not appear verbatim in paragraph 7", "'fic, with no attempt to embellish anythi'"]),
    ("text in the wrong paragraph",
     edit("statements.csv", "head_of_delegation,9,1,There was no progress",
          "head_of_delegation,8,1,There was no progress"),
     [where("statements.csv", 4, 5, "text"), "value 'There was no progress",
      "does not appear verbatim in paragraph 8", "(it is in paragraph 9)"]),
    ("typographic quotes straightened are accepted, but a changed word is not",
     edit("statements.csv", "no plans to \u201cattack\u201d Ukraine",
          'no plans to ""invade"" Ukraine'),
     [where("statements.csv", 14, 15, "text"), "does not appear verbatim in paragraph 20"]),
    ("split paragraph that no longer adds up",
     lambda f: (drop_rows("statements.csv", statement_id="S09")(f),
                drop_rows("positions.csv", statement_id="S09")(f),
                drop_rows("codings.csv", statement_id="S09")(f),
                drop_rows("corroboration.csv", statement_id="S09")(f)),
     [where("statements.csv", 8, 9, "text"), "do not make up the whole paragraph",
      "left over: 'ready to impose sanctions"]),
    ("split paragraph without a note",
     edit("statements.csv", '"Second claim of paragraph 14 (see S08). The source drops its '
                            'subject (read: the US is ready); the claim is Sherman\'s, under her '
                            'heading."', ""),
     [where("statements.csv", 9, 10, "note"), "paragraph 14 is split into 2 statements"]),
    ("statement given to the wrong speaker",
     edit("statements.csv", "S04,geneva-talks,ryabkov,Russia", "S04,geneva-talks,sherman,Russia"),
     [where("statements.csv", 4, 5, "speaker_id"), "value 'sherman'",
      "is not the speaker of paragraph 9, which paragraphs.csv gives to 'ryabkov'"]),
    ("delegation that is not the speaker's",
     edit("statements.csv", "S04,geneva-talks,ryabkov,Russia",
          "S04,geneva-talks,ryabkov,United States"),
     [where("statements.csv", 4, 5, "delegation"), "value 'United States'",
      "is not the delegation of the speaker 'ryabkov' ('Russia'"]),
    ("paragraph index that contradicts a heading",
     edit("paragraphs.csv", "base,13,statement,sherman", "base,13,statement,ryabkov"),
     [where("paragraphs.csv", 13, 14, "speaker_id"), "value 'ryabkov'",
      "is not the speaker of the heading above paragraph 13 ('sherman')"]),
    ("paragraph index with a hole",
     drop_rows("paragraphs.csv", paragraph="29"),
     ["paragraphs.csv", "paragraph 29 of the source 'base' has no row", "'Probably, the"]),
    ("statement without a position",
     drop_rows("positions.csv", statement_id="S20"),
     [where("statements.csv", 19, 20, "statement_id"), "value 'S20'",
      "has no row in positions.csv"]),
    ("context that cites an unknown source",
     edit("events.csv", "[state-carpenter]", "[state-carpentr]"),
     [where("events.csv", 5, 6, "context"), "value '[state-carpentr]'",
      "is neither a source_id of sources.csv nor a record_id of records.csv"]),
    ("a level that cites an unknown source",
     edit("events.csv", "defence ministers [tass-grushko-2022-01-12]",
          "defence ministers [tass-grushko]"),
     [where("events.csv", 4, 5, "level"), "value '[tass-grushko]'",
      "is neither a source_id of sources.csv nor a record_id of records.csv"]),
    ("context event that cites the base document",
     edit("events.csv", "false,kremlin-address-2022-02-24,", "false,base,"),
     [where("events.csv", 7, 8, "source_id"), "value 'base'", "is the base document"]),
    ("invalid boolean",
     edit("sources.csv", "2026-12-01,false,\"The State Department's page",
          "2026-12-01,no,\"The State Department's page"),
     [where("sources.csv", 2, 3, "in_base_document"), "value 'no'", "true or false"]),
    ("invalid integer",
     edit("issues.csv", "missiles,4,", "missiles,four,"),
     [where("issues.csv", 4, 5, "order"), "value 'four'", "is not a valid integer"]),
    ("rationale longer than one line",
     edit("positions.csv", "S03,dialogue,Russia,a,Sees a basis for agreement and a possible "
                           "balance of interests: the talks are worth pursuing.",
          'S03,dialogue,Russia,a,"Sees a basis for agreement\nand a possible balance of '
          'interests: the talks are worth pursuing."'),
     [where("positions.csv", 3, 4, "rationale"), "pattern"]),
    ("missing column",
     edit("statements.csv", "speech_act,source_id,note", "source_id,note"),
     ["statements.csv, header (line 1 of the file), column 'speech_act'",
      "is missing from the header"]),
    ("unexpected column",
     edit("issues.csv", "issue_id,order,label", "issue_id,order,labels"),
     ["issues.csv, header (line 1 of the file), column 'labels'", "value 'labels'",
      "is not a column of the schema"]),
    ("missing file",
     lambda f: (f / "positions.csv").unlink(),
     ["positions.csv: file not found (resource 'positions'"]),
    ("missing descriptor",
     lambda f: (f / "datapackage.json").unlink(),
     ["datapackage.json: file not found"]),
    ("missing source text",
     lambda f: (f / "sources" / "geneva-talks-2022-summary.txt").unlink(),
     [where("sources.csv", 1, 2, "path"), "value 'sources/geneva-talks-2022-summary.txt'",
      "is not a file"]),
    ("descriptor without a column the loader needs",
     edit("datapackage.json", '"name": "attribution",', '"name": "attributed",'),
     ["datapackage.json: resource 'statements' declares no field 'attribution'"]),
    ("broken JSON descriptor",
     edit("datapackage.json", '"resources": [', '"resources": [,'),
     ["datapackage.json: is not valid JSON", "line"]),
    ("truncated file: a row cut short",
     cut_after("issues.csv", "missiles,4,Missiles in Europe"),
     [where("issues.csv", 4, 5, "definition"), "the row has 3 fields, the header 6"]),
    ("truncated file: a quote never closed",
     cut_after("statements.csv",
               "S06,geneva-talks,ryabkov,Russia,head_of_delegation,11,1,\"Attempts"),
     [where("statements.csv", 6, 7, "text"), "value 'Attempts'", "a quoted value is never closed"]),
    ("stray quote inside a quoted value",
     edit("statements.csv", "no plans to \u201cattack\u201d Ukraine",
          'no plans to "attack" Ukraine'),
     [where("statements.csv", 14, 15, "text"), "value 'We explained to our colleagues that we "
                                               "have no plans to '",
      "a quote inside a quoted value must be doubled"]),
    ("wrong encoding",
     latin1("actors.csv", "Zbigniew Rau", "Zbigniew Ra\u00fa"),
     [where("actors.csv", 20, 21, "name"), "value 'Zbigniew Ra", "is not valid UTF-8",
      "byte 0xFA"]),
    ("byte-order mark",
     lambda f: (f / "issues.csv").write_bytes(b"\xef\xbb\xbf" + (f / "issues.csv").read_bytes()),
     ["issues.csv, header (line 1 of the file)", "byte-order mark"]),
    ("blank row",
     edit("issues.csv", "\nmissiles,4,", "\n\nmissiles,4,"),
     ["issues.csv, row 4 (line 5 of the file", "the row is blank"]),
    ("one field too many",
     edit("issues.csv", "Missiles in Europe,", "Missiles,in Europe,"),
     [where("issues.csv", 4, 5, "#7"), "one field too many"]),
    ("corroboration against an unknown record",
     edit("corroboration.csv", "S02,mid-ryabkov-briefing-2022-01-10,",
          "S02,mid-ryabkov-briefing-2022-01-11,"),
     ["corroboration.csv", "column 'record_id': value 'mid-ryabkov-briefing-2022-01-11'",
      "is not a record_id in records.csv"]),
    ("verdict outside the vocabulary",
     edit("corroboration.csv", ",confirmed in other words,", ",roughly true,"),
     ["corroboration.csv", "column 'verdict': value 'roughly true'",
      "is not in the column's vocabulary (confirmed, confirmed in other words, partly, not in "
      "the record, contradicted)"]),
    ("corroboration of an unknown statement",
     edit("corroboration.csv", "\nS02,mid-ryabkov", "\nS22,mid-ryabkov"),
     ["corroboration.csv", "column 'statement_id': value 'S22'",
      "is not a statement_id in statements.csv"]),
    ("statement never checked against its own side's record",
     drop_rows("corroboration.csv", statement_id="S20"),
     [where("statements.csv", 19, 20, "statement_id"), "value 'S20'",
      "against a record of its own side (United States)"]),
    ("record with no address at all",
     edit("records.csv", ",https://tass.com/politics/1387253,,", ",,,"),
     ["records.csv", "column 'url'", "and so is via_url"]),
    ("record that takes a source's id",
     edit("records.csv", "\ntass-grushko-2022-01-12,", "\nstate-travel,"),
     ["records.csv", "column 'record_id': value 'state-travel' is also a source_id"]),
    ("base document changed under its checksum",
     lambda f: (f / "sources" / "geneva-talks-2022-summary.txt").write_text(
         (f / "sources" / "geneva-talks-2022-summary.txt").read_text(encoding="utf-8")
         .replace("almost 8 hours", "almost 9 hours"), encoding="utf-8"),
     [where("sources.csv", 1, 2, "sha256"), "is not the SHA-256 of",
      "the copy changed, or the checksum is wrong"]),
    ("second coding with an unknown coder",
     edit("codings.csv", "\nB,S01,", "\nC,S01,"),
     ["codings.csv", "column 'coder': value 'C'", "vocabulary (A, B)"]),
    ("issue without its second pole",
     edit("issues.csv", "limits on deployments,no limits on deployments",
          "limits on deployments,"),
     [where("issues.csv", 4, 5, "pole_b"), "is empty, but the column is required"]),
]


@pytest.mark.parametrize("breakage, fragments", [(c[1], c[2]) for c in CASES],
                         ids=[c[0] for c in CASES])
def test_bad_input_is_named_precisely(folder, breakage, fragments):
    breakage(folder)
    message = str(load_error(folder))
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in:\n{message}"


def test_there_are_many_distinct_kinds_of_bad_input():
    assert len(CASES) >= 30


def test_statement_ids_are_names_not_positions(folder):
    """Rows in any order, and ids in no order, load: document order comes from the order
    columns, and ids are only names."""
    header, rows = read_rows(folder / "statements.csv")
    for row in rows:
        if row["statement_id"] == "S03":
            row["statement_id"] = "ryabkov-basis-for-agreement"
    write_rows(folder / "statements.csv", header, list(reversed(rows)))
    for table in ("positions.csv", "codings.csv", "corroboration.csv"):
        text = (folder / table).read_text(encoding="utf-8")
        (folder / table).write_text(text.replace(",S03,", ",ryabkov-basis-for-agreement,")
                                    .replace("\nS03,", "\nryabkov-basis-for-agreement,"),
                                    encoding="utf-8")
    loaded = gd.load(folder)
    assert loaded.statements["statement_id"].tolist()[:4] == [
        "S01", "S02", "ryabkov-basis-for-agreement", "S04"]
    assert loaded.statements["paragraph"].is_monotonic_increasing


def test_parts_of_a_paragraph_must_run_in_the_order_of_the_text(folder):
    replace_in(folder / "statements.csv", "head_of_delegation,14,1,", "head_of_delegation,14,2,")
    replace_in(folder / "statements.csv", "head_of_delegation,14,2,\"ready",
               "head_of_delegation,14,1,\"ready")
    message = str(load_error(folder))
    assert where("statements.csv", 9, 10, "part") in message
    assert "puts the statements of paragraph 14 out of the order of the text" in message


def test_parts_of_a_paragraph_are_numbered_from_one(folder):
    replace_in(folder / "statements.csv", "head_of_delegation,14,2,", "head_of_delegation,14,3,")
    message = str(load_error(folder))
    assert where("statements.csv", 9, 10, "part") in message
    assert "value '3' breaks the numbering of paragraph 14's statements" in message


def test_a_side_may_not_lean_to_both_poles_of_one_issue(folder):
    header, rows = read_rows(folder / "positions.csv")
    rows.append({"statement_id": "S15", "issue_id": "enlargement", "side": "Russia",
                 "stance": "b", "rationale": "A contradictory coding, made for the test."})
    write_rows(folder / "positions.csv", header, rows)
    message = str(load_error(folder))
    assert where("positions.csv", len(rows), len(rows) + 1, "stance") in message
    assert "value 'b' contradicts row 5 (S05): Russia would lean to both poles of issue " \
           "'enlargement'" in message


def test_the_error_carries_structured_problems(folder):
    edit("statements.csv", "S07,geneva-talks,sherman", "S07,geneva-talks,shermann")(folder)
    error = load_error(folder)
    [problem] = error.problems
    assert problem.file.endswith("data/statements.csv")
    assert (problem.row, problem.line, problem.column, problem.value) == \
        (7, 8, "speaker_id", "shermann")


def test_several_faults_are_all_reported(folder):
    edit("positions.csv", "S03,dialogue,Russia,a,", "S03,dialogue,Russia,favour,")(folder)
    edit("positions.csv", "S20,dialogue,United States,a,", "S20,dialogue,United States,maybe,")(
        folder)
    error = load_error(folder)
    message = str(error)
    assert message.startswith("2 problems in the data package:")
    assert "value 'favour'" in message and "value 'maybe'" in message
    assert len(error.problems) == 2


def test_missing_data_folder(tmp_path):
    error = load_error(tmp_path / "nowhere")
    assert "the data folder does not exist" in str(error)


def test_a_failed_load_caches_nothing(folder):
    edit("positions.csv", "S03,dialogue,Russia,a,", "S03,dialogue,Russia,favour,")(folder)
    load_error(folder)
    load_error(folder)  # still fails: nothing was cached
    replace_in(folder / "positions.csv", "S03,dialogue,Russia,favour,", "S03,dialogue,Russia,a,")
    assert len(gd.load(folder).positions) == len(gd.load().positions)


def test_a_valid_copy_loads(folder):
    """The cases above fail for their breakage alone: the untouched copy is valid."""
    assert len(gd.load(folder).statements) == len(gd.load().statements)
