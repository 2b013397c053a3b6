"""The comparisons behind chapters 2–4: hand-made cases whose answers follow from the rules
in geneva_talks.analysis's docstring, then invariants on the real data."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from geneva_talks import analysis

DELEGATIONS = ["Russia", "United States"]
ACTS = ["assessment", "demand", "warning", "refusal", "proposal"]


def make_data(statements, positions, issues=None):
    """A Dataset-like object from plain rows, typed like geneva_talks.load() types them."""
    issues = issues or [("b", 1, "Bee"), ("a", 2, "Ay"), ("c", 3, "Sea"), ("d", 4, "Dee")]
    st = pd.DataFrame(statements, columns=["statement_id", "speaker_id", "delegation",
                                           "paragraph", "speech_act", "text"])
    st["delegation"] = pd.Categorical(st["delegation"], categories=DELEGATIONS)
    st["speech_act"] = pd.Categorical(st["speech_act"], categories=ACTS, ordered=True)
    st["event_id"] = "geneva-talks"
    pos = pd.DataFrame(positions, columns=["statement_id", "issue_id", "stance"])
    pos["stance"] = pd.Categorical(pos["stance"], categories=list(analysis.STANCES),
                                   ordered=True)
    # Codebook order differs from alphabetical and from row order on purpose.
    iss = pd.DataFrame(issues, columns=["issue_id", "order", "label"]).iloc[::-1]
    actors = pd.DataFrame({"actor_id": ["ryabkov", "sherman"],
                           "name": ["Sergei Ryabkov", "Wendy Sherman"]})
    return SimpleNamespace(statements=st, positions=pos, issues=iss, actors=actors)


@pytest.fixture
def small():
    """Two statements a side.

    Russia: R1 is for A; R2 is against B and conditional on A.
    United States: U1 is against A; U2 (earlier paragraph than U1) is against B, neutral on C.
    Nobody speaks on D.
    """
    statements = [
        ("R2", "ryabkov", "Russia", 5, "warning", "Second Russian claim."),
        ("R1", "ryabkov", "Russia", 2, "demand", "First Russian claim."),
        ("U1", "sherman", "United States", 4, "refusal", "A US refusal."),
        ("U2", "sherman", "United States", 3, "proposal", "A US proposal."),
    ]
    positions = [
        ("R1", "a", "for"), ("R2", "b", "against"), ("R2", "a", "conditional"),
        ("U1", "a", "against"), ("U2", "c", "neutral"), ("U2", "b", "against"),
    ]
    return make_data(statements, positions)


def test_stance_matrix_of_the_small_case(small):
    matrix = analysis.stance_matrix(small)
    assert list(matrix.index) == ["b", "a", "c", "d"]  # codebook order
    assert list(matrix.columns) == DELEGATIONS
    assert matrix.loc["b"].tolist() == ["against", "against"]
    assert matrix.loc["a"].tolist() == ["for / conditional", "against"]
    assert pd.isna(matrix.loc["c", "Russia"]) and matrix.loc["c", "United States"] == "neutral"
    assert matrix.loc["d"].isna().all()


def test_stance_matrix_by_label(small):
    assert list(analysis.stance_matrix(small, index="label").index) == ["Bee", "Ay", "Sea", "Dee"]


def test_stance_cells_count_statements_and_mean_ranks(small):
    cells = analysis.stance_cells(small).set_index(["issue_id", "delegation"])
    assert len(cells) == 4 * 2
    assert cells.loc[("a", "Russia"), "n_statements"] == 2
    assert cells.loc[("a", "Russia"), "mean_rank"] == pytest.approx(0.5)  # for 0, conditional 1
    assert bool(cells.loc[("a", "Russia"), "mixed"])
    assert cells.loc[("a", "Russia"), "lean"] == "for"  # both lean for the proposition
    assert cells.loc[("d", "Russia"), "n_statements"] == 0


def test_classification_and_distance_of_the_small_case(small):
    result = analysis.classify_issues(small).set_index("issue_id")
    assert result["classification"].astype(str).to_dict() == {
        "b": "common ground", "a": "open disagreement",
        "c": "raised by one side only", "d": "not raised",
    }
    assert result.loc["b", "distance"] == 0
    assert result.loc["a", "distance"] == pytest.approx(3 - 0.5)
    assert pd.isna(result.loc["c", "distance"]) and pd.isna(result.loc["d", "distance"])
    assert result.loc["a", "n: Russia"] == 2 and result.loc["a", "n: United States"] == 1
    assert analysis.extremes(result.reset_index()) == {"closest": ["b"], "furthest": ["a"]}
    counts = analysis.class_counts(result)
    assert list(counts.index) == list(analysis.CLASSES)
    assert counts.tolist() == [1, 1, 1, 1]


@pytest.mark.parametrize(("russia", "us", "expected"), [
    (["for"], ["conditional"], "common ground"),       # both lean for
    (["neutral"], ["neutral"], "common ground"),       # both lean neither way
    (["for"], ["neutral"], "open disagreement"),
    (["conditional"], ["against"], "open disagreement"),
    (["for", "against"], ["for"], "open disagreement"),  # Russia leans both ways
    (["neutral", "for", "conditional"], ["for"], "common ground"),  # neutral takes no side
    (["neutral"], ["against"], "open disagreement"),
    (["for", "against"], ["against", "for"], "open disagreement"),  # both sides mixed
])
def test_classification_rules(russia, us, expected):
    statements, positions = [], []
    for k, stance in enumerate(russia):
        statements.append((f"R{k}", "ryabkov", "Russia", k + 1, "demand", "r"))
        positions.append((f"R{k}", "a", stance))
    for k, stance in enumerate(us):
        statements.append((f"U{k}", "sherman", "United States", 10 + k, "proposal", "u"))
        positions.append((f"U{k}", "a", stance))
    data = make_data(statements, positions, issues=[("a", 1, "Ay")])
    assert analysis.classify_issues(data)["classification"].astype(str).tolist() == [expected]


def test_extremes_keep_ties_and_handle_no_shared_issue(small):
    table = pd.DataFrame({"issue_id": ["x", "y", "z"], "distance": [1.0, 1.0, float("nan")]})
    assert analysis.extremes(table) == {"closest": ["x", "y"], "furthest": ["x", "y"]}
    assert analysis.extremes(table.iloc[2:]) == {"closest": [], "furthest": []}


def test_statements_of_one_delegation(small):
    table = analysis.statements_of(small, "United States")
    assert table["statement_id"].tolist() == ["U2", "U1"]  # source (paragraph) order
    first = table.iloc[0]
    assert first["speaker"] == "Wendy Sherman"
    assert first["issues"] == "Bee; Sea"  # codebook order, not coding order
    assert first["coding"] == "Bee: against; Sea: neutral"
    assert table["n_issues"].tolist() == [2, 1]


def test_statement_without_positions_is_kept(small):
    small.statements = pd.concat([small.statements, small.statements.iloc[[0]].assign(
        statement_id="R3", paragraph=9)], ignore_index=True)
    table = analysis.statements_of(small, "Russia")
    assert table["statement_id"].tolist() == ["R1", "R2", "R3"]
    assert table.iloc[2][["issues", "coding", "n_issues"]].tolist() == ["", "", 0]


def test_a_delegation_with_no_coded_position_still_gets_its_tables(small):
    small.positions = small.positions[
        ~small.positions["statement_id"].isin(small.statements.loc[
            small.statements["delegation"] == "Russia", "statement_id"])]
    table = analysis.statements_of(small, "Russia")
    assert table["statement_id"].tolist() == ["R1", "R2"]
    assert table["n_issues"].tolist() == [0, 0] and set(table["issues"]) == {""}
    assert analysis.themes_by_speech_act(small, "Russia").empty


def test_by_speech_act_keeps_vocabulary_order_and_zeros(small):
    counts = analysis.by_speech_act(small, "Russia")
    assert list(counts.index) == ACTS
    assert counts.tolist() == [0, 1, 1, 0, 0]
    table = analysis.speech_act_table(small)
    assert list(table.columns) == DELEGATIONS
    assert table["United States"].tolist() == [0, 0, 0, 1, 1]


def test_themes_by_speech_act_places_each_statement(small):
    grid = analysis.themes_by_speech_act(small, "Russia")
    assert list(grid.index) == ["Bee", "Ay"]  # codebook order; Sea and Dee not raised
    assert list(grid.columns) == ["demand", "warning"]  # vocabulary order; unused acts dropped
    assert grid.loc["Ay", "demand"] == "R1 (¶2)"
    assert grid.loc["Ay", "warning"] == "R2 (¶5)"
    assert grid.loc["Bee", "demand"] == ""


def test_unknown_delegation_and_issue_are_named(small):
    with pytest.raises(KeyError, match="Atlantis"):
        analysis.statements_of(small, "Atlantis")
    with pytest.raises(KeyError, match="zz"):
        analysis.quotes_behind(small, "zz")


def test_unknown_stance_is_refused(small):
    small.positions = small.positions.astype({"stance": str})
    small.positions.loc[0, "stance"] = "maybe"
    with pytest.raises(ValueError, match="maybe"):
        analysis.stance_matrix(small)


def test_quotes_behind_one_cell(small):
    quotes = analysis.quotes_behind(small, "a", "Russia")
    assert quotes["statement_id"].tolist() == ["R1", "R2"]
    assert quotes["stance"].astype(str).tolist() == ["for", "conditional"]
    assert len(analysis.quotes_behind(small, "a")) == 3


def test_quotes_html_escapes_markup():
    table = pd.DataFrame({"speaker": ["Mallory <b>"], "paragraph": [3], "speech_act": ["demand"],
                          "text": ['<script>alert("x")</script> & more']})
    out = analysis.quotes_html(table)
    assert "<script>" not in out and "<b>" not in out
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in out
    assert out.count("<tr>") == 2  # header and one row
    assert '<th scope="col">¶</th>' in out


def test_quotes_html_shows_missing_values_and_refuses_unknown_columns():
    table = pd.DataFrame({"speaker": [None], "text": ["t"]})
    assert "<td>–</td>" in analysis.quotes_html(table, columns=["speaker", "text"])
    with pytest.raises(KeyError, match="nope"):
        analysis.quotes_html(table, columns=["nope"])


def test_quotes_html_sets_backticked_text_as_code_only_when_asked_and_after_escaping():
    table = pd.DataFrame({"description": ["Use `base` or `<img src=x>`; not `this"]})
    plain = analysis.quotes_html(table, columns=["description"])
    assert "<code>" not in plain and "`base`" in plain
    coded = analysis.quotes_html(table, columns=["description"], code_spans=True)
    assert "<code>base</code>" in coded
    assert "<code>&lt;img src=x&gt;</code>" in coded and "<img" not in coded
    assert "`this" in coded  # an unpaired backtick stays as it is


# -- the real data ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data():
    import geneva_talks

    return geneva_talks.load()


def test_every_statement_is_in_its_delegations_table_once(data):
    seen = []
    for delegation in analysis.delegations(data):
        table = analysis.statements_of(data, delegation)
        assert table["statement_id"].is_unique
        assert (table["delegation"].astype(str) == delegation).all()
        assert table["speaker"].notna().all(), "a speaker has no name in actors"
        seen += table["statement_id"].tolist()
    assert sorted(seen) == sorted(data.statements["statement_id"].astype(str))


def test_matrix_covers_every_issue_in_codebook_order(data):
    matrix = analysis.stance_matrix(data)
    expected = data.issues.sort_values("order")["issue_id"].astype(str).tolist()
    assert list(matrix.index) == expected
    assert list(matrix.columns) == analysis.delegations(data)


def test_speech_act_counts_add_up(data):
    table = analysis.speech_act_table(data)
    assert list(table.index) == analysis.speech_acts(data)
    assert int(table.to_numpy().sum()) == len(data.statements)


def test_classification_is_from_the_closed_set_and_agrees_with_the_matrix(data):
    result = analysis.classify_issues(data)
    assert set(result["classification"].astype(str)) <= set(analysis.CLASSES)
    matrix = analysis.stance_matrix(data)
    raised = matrix.notna().sum(axis=1).to_numpy()
    one_side = (result["classification"] == "raised by one side only").to_numpy()
    assert ((raised == 1) == one_side).all()
    assert (result["distance"].dropna().between(0, 3)).all()


def test_every_position_is_behind_exactly_one_cell(data):
    quotes = analysis.coded_positions(data)
    assert len(quotes) == len(data.positions)
    cells = analysis.stance_cells(data)
    assert int(cells["n_statements"].sum()) == len(
        data.positions.drop_duplicates(["statement_id", "issue_id"]))


def test_chapter_4_has_a_labelled_section_per_issue(data):
    """The delegation chapters link to `issue-<id>`: each issue needs that label in chapter 4,
    above a heading that names it as the codebook does."""
    import json
    from pathlib import Path

    notebook = Path(__file__).resolve().parents[1] / "chapters" / "04-issue-by-issue.ipynb"
    markdown = "\n".join("".join(cell["source"]) for cell in json.loads(
        notebook.read_text(encoding="utf-8"))["cells"] if cell["cell_type"] == "markdown")
    for issue in data.issues.itertuples():
        assert f"(issue-{issue.issue_id})=\n## {issue.label}\n" in markdown, issue.issue_id
