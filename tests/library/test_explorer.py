"""The statement explorer: filters, precomputed tables, browser links, escaping.

Most tests use a tiny hand-made dataset whose answers are known; the last ones build the
explorer on the real data. The browser side (does a click change the page?) is in
test_explorer_browser.py.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import ipywidgets as widgets
import pandas as pd
import pytest

from geneva_talks import explorer

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def categorical(values, categories):
    return pd.Categorical(values, categories=categories, ordered=True)


@pytest.fixture
def tiny():
    """Four statements, three issues (one never coded), speech acts with one unused."""
    acts = ["assessment", "demand", "refusal", "warning"]
    statements = pd.DataFrame({
        "statement_id": ["T1", "T2", "T3", "T4"],
        "speaker_id": ["ryabkov", "ryabkov", "sherman", "sherman"],
        "delegation": categorical(["Russia", "Russia", "United States", "United States"],
                                  ["Russia", "United States"]),
        "paragraph": [7, 9, 13, 14],
        "text": ["No progress on non-expansion.", f"Hostile {HOSTILE} text.",
                 "The door stays open.", "Ready to impose sanctions."],
        "speech_act": categorical(["assessment", "demand", "refusal", "refusal"], acts),
    })
    positions = pd.DataFrame({
        "statement_id": ["T1", "T2", "T3", "T3", "T4"],
        "issue_id": ["enlargement", "enlargement", "enlargement", "allies", "sanctions"],
        "stance": categorical(["for", "for", "against", "for", "for"],
                              ["for", "conditional", "neutral", "against"]),
    })
    issues = pd.DataFrame({
        "issue_id": ["allies", "enlargement", "sanctions", "missiles"],
        "order": [2, 1, 3, 4],
        "label": ["Say of <allies>", "NATO enlargement", "Sanctions", "Missiles"],
    })
    actors = pd.DataFrame({"actor_id": ["ryabkov", "sherman"],
                           "name": ["Sergei Ryabkov", "Wendy Sherman"]})
    return SimpleNamespace(statements=statements, positions=positions, issues=issues,
                           actors=actors)


def ids(frame: pd.DataFrame) -> list[str]:
    return list(frame["statement_id"])


def test_filters_hold_every_vocabulary_value_after_all(tiny):
    delegation, issue, act = explorer.explorer_filters(tiny)
    assert delegation.labels == ["All delegations", "Russia", "United States"]
    # issues in their `order`, not in file order; the uncoded issue is still offered
    assert issue.labels == ["All issues", "NATO enlargement", "Say of <allies>", "Sanctions",
                            "Missiles"]
    assert act.labels == ["All speech acts", "assessment", "demand", "refusal", "warning"]


@pytest.mark.parametrize(("delegation", "issue", "act", "expected"), [
    (None, None, None, ["T1", "T2", "T3", "T4"]),
    ("Russia", None, None, ["T1", "T2"]),
    (None, "enlargement", None, ["T1", "T2", "T3"]),
    ("United States", "enlargement", None, ["T3"]),
    (None, None, "refusal", ["T3", "T4"]),
    ("United States", "allies", "refusal", ["T3"]),
    ("Russia", "sanctions", None, []),
    (None, "missiles", None, []),
    (None, None, "warning", []),
])
def test_filters_combine(tiny, delegation, issue, act, expected):
    rows = explorer.statement_rows(tiny)
    assert ids(explorer.matching(rows, delegation, issue, act)) == expected


def test_rows_carry_speaker_names_and_issues_with_stances_in_issue_order(tiny):
    rows = explorer.statement_rows(tiny).set_index("statement_id")
    assert rows.loc["T3", "speaker"] == "Wendy Sherman"
    assert rows.loc["T3", "issue_labels"] == ["NATO enlargement", "Say of <allies>"]
    assert rows.loc["T3", "stances"] == ["against", "for"]


def test_table_escapes_the_data_and_shows_speaker_paragraph_and_stance(tiny):
    rows = explorer.statement_rows(tiny)
    page = explorer.table_html(rows, "All")
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "Say of &lt;allies&gt;" in page
    row_t3 = re.search(r"<tr><td>T3</td>.*?</tr>", page).group(0)
    for cell in ("Wendy Sherman", "United States", "¶13", "refusal", "against", "for"):
        assert cell in row_t3


def test_an_empty_combination_says_so(tiny):
    page = explorer.table_html(explorer.matching(explorer.statement_rows(tiny), "Russia",
                                                 "sanctions"), "Russia · Sanctions")
    assert explorer.NO_MATCH in page and "<table" not in page


def test_the_widget_nests_one_stack_level_per_filter(tiny):
    box = explorer.statement_explorer(tiny)
    dropdowns = explorer.explorer_dropdowns(box)
    assert [d.description for d in dropdowns] == ["Delegation", "Issue", "Speech act"]
    outer = box.children[1]
    assert len(outer.children) == 3
    for middle in outer.children:
        assert len(middle.children) == 5
        for inner in middle.children:
            assert len(inner.children) == 5
            assert all(isinstance(o, widgets.Output) for o in inner.children)


def test_every_stack_is_linked_in_the_browser_to_its_level_s_dropdown(tiny):
    box = explorer.statement_explorer(tiny)
    deleg, issue, act = explorer.explorer_dropdowns(box)
    outer = box.children[1]
    expected = {(id(deleg), id(outer))}
    expected |= {(id(issue), id(m)) for m in outer.children}
    expected |= {(id(act), id(i)) for m in outer.children for i in m.children}
    links = box._geneva_links
    assert all(type(link).__name__ == "Link" and link._model_name == "LinkModel"
               for link in links)  # jslink: runs in the browser, not a Python callback
    found = {(id(link.source[0]), id(link.target[0])) for link in links
             if link.source[1] == "index" and link.target[1] == "selected_index"}
    assert found == expected


def test_each_combination_shows_its_own_table_stored_in_the_model(tiny):
    box = explorer.statement_explorer(tiny)
    deleg, issue, act = explorer.explorer_dropdowns(box)
    deleg.index, issue.index, act.index = 2, 2, 3  # United States, Say of <allies>, refusal
    shown = explorer.shown_output(box)
    (output,) = shown.outputs  # in the model itself: it survives without a kernel
    page = output["data"]["text/html"]
    assert "<td>T3</td>" in page and "<td>T4</td>" not in page
    assert "United States · Say of &lt;allies&gt; · refusal" in page
    deleg.index = 1  # Russia: nothing
    assert explorer.NO_MATCH in explorer.shown_output(box).outputs[0]["data"]["text/html"]


def test_a_subset_of_statements_keeps_the_full_filters(tiny):
    box = explorer.statement_explorer(tiny, statements=tiny.statements.iloc[:2])
    assert len(explorer.explorer_dropdowns(box)[0].options) == 3
    page = explorer.shown_output(box).outputs[0]["data"]["text/html"]
    assert "<td>T1</td>" in page and "<td>T3</td>" not in page


def test_the_plain_text_repr_is_the_same_every_time(tiny):
    first = explorer.statement_explorer(tiny)._repr_mimebundle_()["text/plain"]
    second = explorer.statement_explorer(tiny)._repr_mimebundle_()["text/plain"]
    assert first == second
    assert not re.search(r"0x[0-9a-f]{6,}|[0-9a-f]{32}", first)


# -- On the real data ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data():
    import geneva_talks

    return geneva_talks.load()


def test_the_real_explorer_shows_every_statement_under_all_filters(data):
    box = explorer.statement_explorer(data)
    page = explorer.shown_output(box).outputs[0]["data"]["text/html"]
    shown = re.findall(r"<tr><td>(S\d+)</td>", page)
    assert shown == sorted(data.statements["statement_id"].astype(str),
                           key=lambda s: (int(data.statements.set_index("statement_id")
                                                 .loc[s, "paragraph"]), s))


def test_each_real_dropdown_offers_a_choice_that_changes_the_table(data):
    """Every non-"All" option of every filter shows other statements than "All" does."""
    box = explorer.statement_explorer(data)

    def shown_ids():
        return re.findall(r"<tr><td>(S\d+)</td>", explorer.shown_output(box).outputs[0]["data"]
                          ["text/html"])

    everything = shown_ids()
    for dropdown in explorer.explorer_dropdowns(box):
        for index in range(1, len(dropdown.options)):
            dropdown.index = index
            assert shown_ids() != everything, f"{dropdown.description}: {dropdown.label}"
        dropdown.index = 0
