"""The data package: it loads, it is typed, and it says what the base document says.

The checks on content re-read the base document independently of geneva_talks.data (see
tests/data_fixtures.py), so they test the data and the loader at once.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from data_fixtures import (
    BASE_TEXT,
    DATA,
    ROOT,
    SHARED_BASE_TEXT,
    blocks,
    copy_data,
    flat,
    read_rows,
    replace_in,
    write_rows,
)

import geneva_talks
from geneva_talks import data as gd
from geneva_talks.data.paths import display_path

PACKAGE = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
TABLES = ["sources", "actors", "events", "issues", "paragraphs", "statements", "positions",
          "codings", "records", "corroboration"]
HEADS = {"Sergei Ryabkov": "ryabkov", "Wendy Sherman": "sherman"}


@pytest.fixture(scope="module")
def data():
    return geneva_talks.load()


def fields(table: str) -> list[dict]:
    resource = next(r for r in PACKAGE["resources"] if r["name"] == table)
    return resource["schema"]["fields"]


# -- the package and the loader ---------------------------------------------------------------


def test_the_package_names_every_table_and_nothing_else():
    assert [r["name"] for r in PACKAGE["resources"]] == TABLES
    assert sorted(p.name for p in DATA.glob("*.csv")) == sorted(f"{t}.csv" for t in TABLES)


def test_frictionless_cli_validates_the_package():
    cli = Path(sys.executable).parent / "frictionless"
    result = subprocess.run([str(cli), "validate", "datapackage.json"], cwd=DATA,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "VALID" in result.stdout and "INVALID" not in result.stdout


def test_frictionless_api_validates_the_package():
    from frictionless import Package

    report = Package(str(DATA / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert {task.name for task in report.tasks} == set(TABLES)


def test_load_returns_every_table(data):
    assert isinstance(data, geneva_talks.Dataset)
    for table in TABLES:
        frame = getattr(data, table)
        assert isinstance(frame, pd.DataFrame) and len(frame) > 0, table
        assert list(frame.columns) == [f["name"] for f in fields(table)], table
    assert data.package["resources"][0]["name"] == "sources"
    assert list(data.tables) == TABLES
    assert repr(data).startswith(f"Dataset(sources={len(data.sources)} rows, ")
    assert f"statements={len(data.statements)} rows" in repr(data)
    assert repr(data).endswith("from data)")


def test_every_table_and_column_is_described_for_a_student():
    for resource in PACKAGE["resources"]:
        assert len(resource.get("description", "")) > 40, resource["name"]
        for spec in resource["schema"]["fields"]:
            assert spec.get("title"), (resource["name"], spec["name"])
            assert len(spec.get("description", "")) > 20, (resource["name"], spec["name"])


def test_each_vocabulary_value_is_defined_in_its_field_description():
    for resource in PACKAGE["resources"]:
        for spec in resource["schema"]["fields"]:
            for value in spec.get("constraints", {}).get("enum", []):
                assert value in spec["description"], (resource["name"], spec["name"], value)


def test_default_data_dir_is_the_projects_whatever_the_working_directory(tmp_path,
                                                                         monkeypatch):
    assert gd.DATA_DIR == DATA
    monkeypatch.chdir(tmp_path)
    assert len(geneva_talks.load().statements) == len(read_rows(DATA / "statements.csv")[1])


def test_types(data):
    assert str(data.events["date"].dtype) == "datetime64[ns]"
    assert data.events.set_index("event_id").loc["geneva-talks", "date"] == \
        pd.Timestamp("2022-01-10")
    assert str(data.sources["accessed"].dtype) == "datetime64[ns]"
    for table in ("sources", "actors", "events"):
        assert data.tables[table]["in_base_document"].dtype == bool, table
    assert data.statements["paragraph"].dtype == "int64"
    assert data.issues["order"].dtype == "int64"
    assert pd.api.types.is_string_dtype(data.statements["text"])
    assert data.statements["note"].isna().any()  # empty optional text is missing, not ""


def test_vocabularies_are_categoricals_in_declared_order(data):
    checked = 0
    for table in TABLES:
        for spec in fields(table):
            enum = spec.get("constraints", {}).get("enum")
            if enum is None:
                continue
            column = getattr(data, table)[spec["name"]]
            assert isinstance(column.dtype, pd.CategoricalDtype), (table, spec["name"])
            assert list(column.cat.categories) == enum, (table, spec["name"])
            assert column.cat.ordered
            assert data.vocabulary(table, spec["name"]) == enum
            checked += 1
    assert checked >= 6
    assert data.vocabulary("statements", "delegation") == ["Russia", "United States"]
    assert data.vocabulary("positions", "stance") == ["a", "a-if", "neutral", "b-if", "b"]
    assert data.vocabulary("statements", "form") == ["direct", "attributed", "reported",
                                                      "paraphrase"]


def test_issues_in_codebook_order(data):
    assert data.issues["order"].tolist() == sorted(data.issues["order"])
    order = data.issues["issue_id"].astype(str).tolist()
    assert list(data.positions["issue_id"].cat.categories) == order
    assert list(data.issues["issue_id"].cat.categories) == order
    assert data.vocabulary("positions", "issue_id") == order


def test_repeated_loads_are_independent_copies(data):
    first = geneva_talks.load()
    first.statements.loc[0, "text"] = "tampered"
    first.package["resources"].clear()
    second = geneva_talks.load()
    assert second.statements.loc[0, "text"] != "tampered"
    assert len(second.package["resources"]) == len(TABLES)
    pd.testing.assert_frame_equal(second.positions, data.positions)


def test_the_cache_notices_a_changed_file(tmp_path):
    folder = copy_data(tmp_path)
    assert gd.load(folder).positions.loc[0, "rationale"].startswith("Limits the talks")
    replace_in(folder / "positions.csv", "Limits the talks", "Restricts the talks")
    assert gd.load(folder).positions.loc[0, "rationale"].startswith("Restricts")
    replace_in(folder / "positions.csv", "S03,dialogue,Russia,a,", "S03,dialogue,Russia,favour,")
    with pytest.raises(gd.DataError, match="favour"):
        gd.load(folder)


def test_load_accepts_a_string_path(tmp_path):
    folder = copy_data(tmp_path)
    assert len(gd.load(str(folder)).statements) == len(gd.load().statements)


def test_error_paths_are_relative_to_the_project():
    assert display_path(DATA / "statements.csv") == "data/statements.csv"
    problem = gd.Problem("data/statements.csv", "is not an actor_id in actors.csv", row=7,
                         line=8, column="speaker_id", value="shermann")
    assert str(problem) == (
        "data/statements.csv, row 7 (line 8 of the file; rows count data rows from 1 after the "
        "header), column 'speaker_id': value 'shermann' is not an actor_id in actors.csv")


# -- the base document and the statements -----------------------------------------------------


def test_base_document_is_a_byte_copy_with_its_checksum(data):
    if SHARED_BASE_TEXT.is_file():
        assert BASE_TEXT.read_bytes() == SHARED_BASE_TEXT.read_bytes()
    base = data.sources.set_index("source_id").loc["base"]
    assert base["path"] == "sources/geneva-talks-2022-summary.txt"
    assert base["sha256"] == hashlib.sha256(BASE_TEXT.read_bytes()).hexdigest()
    assert base["kind"] == "base_document" and bool(base["in_base_document"])


def test_paragraph_splitting_agrees_with_an_independent_reading(data):
    text = BASE_TEXT.read_text(encoding="utf-8")
    independent = blocks(text)
    assert len(independent) == 29
    assert gd.split_paragraphs(text) == independent
    assert gd.source_paragraphs(data).tolist() == independent
    assert data.paragraph_text(6) == "Sergei Ryabkov:"
    assert len(data.paragraphs) == len(independent)


def test_every_statement_is_verbatim_in_its_paragraph(data):
    paragraphs = blocks(BASE_TEXT.read_text(encoding="utf-8"))
    for row in data.statements.itertuples():
        assert flat(row.text) in flat(paragraphs[row.paragraph - 1]), row.statement_id
        assert row.text == row.text.strip()


def test_statements_keep_the_sources_oddities(data):
    text = dict(zip(data.statements["statement_id"], data.statements["text"], strict=True))
    assert "concrete, is specific," in text["S02"]
    assert text["S10"].endswith("without Kiev.")
    assert "American side\u2026 claims" in text["S13"]
    assert "\u201cattack\u201d" in text["S14"]
    assert "Russia\u2019s proposals" in text["S01"]
    assert text["S12"].endswith("scale of military exercises")  # no full stop in the source


#: An independent reading of the base document (paragraphs counted as blocks between blank
#: lines): who makes the claim in each paragraph that a head of delegation is reported to
#: make. Headings are 6, 12, 18 and 24; 1-5 are narration (4 a claim of the US delegation
#: as a whole); 27-28 schedule the next meetings in the author's voice ("the delegations
#: will travel"), and 29 is the author's closing commentary.
HEADS_CLAIMS = {**dict.fromkeys([7, 8, 9, 10, 11, 19, 20, 21, 22, 23], "ryabkov"),
                **dict.fromkeys([13, 14, 15, 16, 17, 25, 26], "sherman")}


def test_every_claim_of_a_head_of_delegation_is_a_statement_of_that_speaker(data):
    """Each paragraph of the reading above is quoted, whole, by statements of its speaker,
    and no other paragraph is attributed to a head of delegation."""
    paragraphs = blocks(BASE_TEXT.read_text(encoding="utf-8"))
    statements = data.statements
    heads = statements[statements["attribution"] == "head_of_delegation"]
    assert set(heads["paragraph"]) == set(HEADS_CLAIMS)
    for number, speaker in HEADS_CLAIMS.items():
        rows = heads[heads["paragraph"] == number]
        assert set(rows["speaker_id"]) == {speaker}, number
        assert flat(" ".join(rows["text"])) == flat(paragraphs[number - 1]), number
    for number in (6, 12, 18, 24):
        assert paragraphs[number - 1].endswith(":"), f"paragraph {number} is not a heading"


def test_heads_of_delegation_and_the_one_delegation_claim(data):
    statements = data.statements
    heads = statements[statements["attribution"] == "head_of_delegation"]
    assert set(heads["speaker_id"]) == {"sherman", "ryabkov"}
    # One paragraph joins two claims (14) and is split in two; 23 is one argument, one row.
    assert len(heads) == len(HEADS_CLAIMS) + 1
    others = statements[statements["attribution"] == "delegation"]
    assert others[["statement_id", "speaker_id", "paragraph"]].values.tolist() == \
        [["S01", "us-delegation", 4]]
    assert others["note"].notna().all()


def test_split_paragraphs_are_two_rows_each_with_notes(data):
    counts = data.statements.groupby("paragraph").size()
    assert counts[counts > 1].to_dict() == {14: 2}
    split = data.statements[data.statements["paragraph"] == 14]
    assert split["statement_id"].tolist() == ["S08", "S09"]
    assert split["note"].str.contains("(?i)paragraph 14", regex=True).all()
    assert split["text"].iloc[0].endswith("to any country")
    assert split["text"].iloc[1].startswith("ready to impose sanctions")
    whole = data.statements.set_index("statement_id").loc["S17"]
    assert whole["paragraph"] == 23 and "codebook 2 joins it again" in whole["note"]


def test_every_statement_says_whose_wording_it_is(data):
    forms = data.statements.set_index("statement_id")["form"].astype(str)
    assert forms["S01"] == "reported"  # "The U.S. delegation claimed that ..."
    assert (forms.drop("S01") == "attributed").all()  # under a heading, no quotation marks
    base = data.sources.set_index("source_id").loc["base"]
    assert base["language"] == "en" and base["translated_from"] == "ru"
    assert "not the speakers' words" in base["note"]


def test_load_gives_statements_in_document_order(data):
    assert data.statements.groupby("paragraph")["part"].apply(list).map(
        lambda parts: parts == list(range(1, len(parts) + 1))).all()
    paragraphs = blocks(BASE_TEXT.read_text(encoding="utf-8"))
    places = [(row.paragraph, flat(paragraphs[row.paragraph - 1]).find(flat(row.text)))
              for row in data.statements.itertuples()]
    assert places == sorted(places)


def test_speakers_match_delegations(data):
    expected = {"sherman": "United States", "us-delegation": "United States",
                "ryabkov": "Russia"}
    for row in data.statements.itertuples():
        assert row.delegation == expected[row.speaker_id], row.statement_id
    assert data.statements["event_id"].eq("geneva-talks").all()


def test_paragraph_roles(data):
    roles = data.paragraphs.set_index("paragraph")["role"].astype(str)
    assert roles[[6, 12, 18, 24]].eq("heading").all()
    assert roles[29] == "commentary"
    assert set(roles[roles == "statement"].index) == set(data.statements["paragraph"])


# -- positions and the codebook ---------------------------------------------------------------


def test_every_statement_has_a_position_and_every_issue_is_used(data):
    assert set(data.positions["statement_id"]) == set(data.statements["statement_id"])
    used = set(data.positions["issue_id"].astype(str))
    assert used == set(data.issues["issue_id"].astype(str))


def test_positions_are_complete_and_one_line(data):
    positions = data.positions
    assert not positions.duplicated(["statement_id", "issue_id", "side"]).any()
    assert positions["stance"].notna().all()
    assert positions["rationale"].str.len().between(10, 160).all()
    assert not positions["rationale"].str.contains("\n").any()


def test_codebook_entries_are_disputes_with_two_named_poles(data):
    issues = data.issues
    assert issues["label"].str.len().le(28).all()
    assert (issues["pole_a"].str.len() > 3).all() and (issues["pole_b"].str.len() > 3).all()
    assert (issues["pole_a"] != issues["pole_b"]).all()
    assert "proposition" not in issues.columns  # a proposition takes one side; poles do not
    assert issues["issue_id"].astype(str).tolist()[0] == "enlargement"


def test_reported_positions_are_the_other_sides_and_say_so(data):
    merged = data.positions.merge(data.statements[["statement_id", "delegation"]])
    reported = merged[merged["side"].astype(str) != merged["delegation"].astype(str)]
    assert set(reported["statement_id"]) >= {"S07", "S13"}
    own = merged[merged["side"].astype(str) == merged["delegation"].astype(str)]
    assert set(own["statement_id"]) == set(data.statements["statement_id"])


def test_two_codings_by_the_same_codebook(data):
    coders = data.codings.groupby("coder", observed=True)["statement_id"].nunique()
    assert coders.to_dict() == {"A": len(data.statements), "B": len(data.statements)}


def test_every_statement_is_checked_against_a_record_of_its_own_side(data):
    sides = data.records.set_index("record_id")["side"].astype(str)
    checked = data.corroboration.assign(side=data.corroboration["record_id"].map(sides))
    for row in data.statements.itertuples():
        mine = checked[checked["statement_id"] == row.statement_id]
        assert (mine["side"] == str(row.delegation)).any(), row.statement_id


def test_records_cover_the_meetings_from_both_sides(data):
    records = data.records
    assert len(records) >= 10
    assert set(records["event_id"].astype(str)) >= {"geneva-talks", "nrc-brussels",
                                                     "osce-vienna"}
    assert {"United States", "Russia", "NATO", "OSCE"} <= set(records["side"].astype(str))
    assert (records["url"].notna() | records["via_url"].notna()).all()
    speakers = set(records["speaker_id"].dropna())
    assert {"sherman", "ryabkov", "grushko", "stoltenberg", "rau", "lukashevich"} <= speakers


# -- events, actors and sources ---------------------------------------------------------------


def test_the_four_meetings_of_the_base_document(data):
    events = data.events.set_index("event_id")
    base = events[events["in_base_document"]]
    assert list(base.index) == ["geneva-dinner", "geneva-talks", "nrc-brussels", "osce-vienna"]
    assert base["date"].dt.strftime("%Y-%m-%d").tolist() == \
        ["2022-01-09", "2022-01-10", "2022-01-12", "2022-01-13"]
    assert base["city"].tolist() == ["Geneva", "Geneva", "Brussels", "Vienna"]
    assert "since 2019" in base.loc["nrc-brussels", "summary"]
    assert "all 30 members" in base.loc["nrc-brussels", "summary"]
    osce = base.loc["osce-vienna"]
    assert osce["chair"] == "poland" and osce["level"] == "Ambassadors"
    assert "Finland and Sweden" in osce["participants"]
    assert base["source_id"].eq("base").all()


def test_context_events_come_from_outside_sources(data):
    events = data.events.set_index("event_id")
    context = events[~events["in_base_document"]]
    assert {"russia-drafts", "written-responses", "invasion"} <= set(context.index)
    sources = data.sources.set_index("source_id")
    for source_id in context["source_id"]:
        assert not sources.loc[source_id, "in_base_document"]
        assert sources.loc[source_id, "url"].startswith("https://")
    assert data.events["date"].is_monotonic_increasing


def test_every_outside_document_is_used_and_every_use_is_one(data):
    """Every source or record is cited, by the data or by a page of the book; every citation
    in the data names one."""
    cited = set(data.actors["source_id"]) | set(data.events["source_id"])
    for text in pd.concat([data.actors["context"], data.events["context"]]).dropna():
        cited |= set(gd.citations(text))
    documents = set(data.sources["source_id"]) | set(data.records["record_id"])
    assert cited <= documents
    pages = [*ROOT.glob("chapters/**/*.ipynb"), *ROOT.glob("chapters/**/*.md"),
             ROOT / "intro.md"]
    for page in pages:
        for keys in re.findall(r"\{cite:[pt]\}`([^`]+)`", page.read_text(encoding="utf-8")):
            cited |= {k.strip() for k in keys.split(",")}
    assert set(data.sources["source_id"]) <= cited, set(data.sources["source_id"]) - cited


def test_actors(data):
    actors = data.actors.set_index("actor_id")
    assert actors.loc["sherman", "affiliation"] == "us"
    assert actors.loc["ryabkov", "affiliation"] == "russia"
    assert actors.loc["us", "name"] == "United States" and actors.loc["russia", "name"] == "Russia"
    for actor in ["nato", "osce", "poland", "finland", "sweden", "ukraine", "nrc", "osce-pc"]:
        assert bool(actors.loc[actor, "in_base_document"]), actor
    outside = actors[~actors["in_base_document"]]
    assert not outside["source_id"].eq("base").any()


# -- helpers, the dictionary and the appendix pages -------------------------------------------


def test_normalise_changes_only_whitespace_quotes_and_dashes():
    messy = " a\u00a0 \n b\u2019s \u201cc\u201d \u2013 d\u2026 "
    assert gd.normalise(messy) == 'a b\'s "c" - d\u2026'
    assert gd.normalise("Kiev") == "Kiev"


def test_citations():
    assert gd.citations("a [x-1]. b [y; z-2].") == ["x-1", "y", "z-2"]
    assert gd.citations("none") == []


def test_data_dictionary_is_generated_from_the_descriptor(data):
    overview = gd.dictionary_overview(data)
    assert overview["table"].tolist() == TABLES
    assert overview.set_index("table").loc["statements", "rows"] == len(data.statements)
    tables = gd.dictionary_tables(data)
    assert list(tables) == TABLES
    for table in TABLES:
        assert tables[table]["column"].tolist() == [f["name"] for f in fields(table)]
        described = dict(zip(tables[table]["column"], tables[table]["description"],
                             strict=True))
        for spec in fields(table):
            assert described[spec["name"]] == spec["description"]
    stance = tables["positions"].set_index("column").loc["stance"]
    assert stance["allowed values"] == "a | a-if | neutral | b-if | b"
    assert tables["statements"].set_index("column").loc["speaker_id", "links to"] == \
        "actors.actor_id"


def test_appendix_pages_exist_and_open_with_a_title():
    methodology = json.loads((ROOT / "chapters" / "appendix" / "methodology.ipynb")
                             .read_text(encoding="utf-8"))
    prose = "".join("".join(c["source"]) for c in methodology["cells"]
                    if c["cell_type"] == "markdown")
    assert prose.startswith("(methodology)=\n# ")
    # The literature it rests on, and the hard cases of segmentation it explains.
    for needle in ("koopmans-statham-1999", "mohammad-2016", "SemEval", "S08", "S09", "S17",
                   "S01", "{para}`27-29`"):
        assert needle in prose, needle
    notebook = json.loads((ROOT / "chapters" / "appendix" / "data-dictionary.ipynb")
                          .read_text(encoding="utf-8"))
    first = notebook["cells"][0]
    assert first["cell_type"] == "markdown"
    assert "".join(first["source"]).startswith("(data-dictionary)=\n# The data")
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert code and all(c.get("execution_count") for c in code), "execute the notebook"
    assert code[-1].get("outputs"), "save the notebook's outputs"


def test_tables_are_in_canonical_csv_form(tmp_path):
    """Each table is as Python's csv module writes it (minimal quoting, LF line ends), so that
    a scripted edit of one row leaves every other byte of the file alone."""
    folder = copy_data(tmp_path)
    for table in TABLES:
        header, rows = read_rows(folder / f"{table}.csv")
        write_rows(folder / f"{table}.csv", header, rows)
        assert (folder / f"{table}.csv").read_bytes() == (DATA / f"{table}.csv").read_bytes(), \
            table
