"""What readers see: locators, whose wording, stance words, and escaped HTML."""

from __future__ import annotations

import dataclasses
import html
import re

import pandas as pd
import pytest

import geneva_talks
from geneva_talks import display

MARKUP = '</SCRIPT><img src=x onerror=alert(1)> & "quotes"'


@pytest.fixture(scope="module")
def data():
    return geneva_talks.load()


def test_a_statement_quote_says_whose_wording_it_is_and_links_its_paragraph(data):
    quote = display.statement_quote_html(data, "S07")
    assert 'href="geneva-base:13">¶13</a>' in quote
    assert "the base document's wording, under Wendy Sherman&#x27;s name" in quote
    s01 = display.statement_quote_html(data, "S01")
    assert "reporting the US delegation" in s01
    with pytest.raises(KeyError, match="S99"):
        display.statement_quote_html(data, "S99")


def test_every_form_has_a_phrase_and_none_claims_the_speakers_own_words(data):
    assert set(display.FORM_PHRASES) == set(data.vocabulary("statements", "form"))
    for form, phrase in display.FORM_PHRASES.items():
        assert "{speaker}" in phrase, form
        assert "own words" not in phrase and "verbatim" not in phrase, form
    # Even quotation marks are the base document's: it quotes, the book reports its quoting.
    assert "base document" in display.FORM_PHRASES["direct"]


def test_data_text_is_escaped_everywhere_it_is_written(data):
    statements = data.statements.copy()
    statements.loc[0, "text"] = MARKUP
    hostile = dataclasses.replace(data, statements=statements)
    quote = display.statement_quote_html(hostile, statements.loc[0, "statement_id"])
    assert "<img" not in quote and html.escape(MARKUP) in quote
    table = display.html_table(pd.DataFrame({"a": [MARKUP], "b": [None]}), ["a", "b"],
                               headers={"a": "<b>head</b>"}, caption=MARKUP)
    assert "<img" not in table and "<b>head" not in table
    assert f"<td>{display.MISSING}</td>" in table


def test_locators_name_another_source_and_its_paragraph(data):
    statements = data.statements.head(2).assign(source_id=["base", "state-travel"])
    assert display.locators(data, statements).tolist() == [
        "¶4", "Travel to Switzerland and Belgium, January 8-13, 2022, ¶7"]
    assert display.locator_html(data, "state-travel", 7).endswith(", ¶7")


def test_stance_words_use_the_poles(data):
    assert display.stance_words("a", "A words", "B words") == "A words"
    assert display.stance_words("b-if", "A words", "B words") == "B words (on a condition)"
    assert display.stance_words("neutral", "A words", "B words") == "neither pole"


def test_source_entries_escape_and_link_the_original(data):
    entry = display.source_entry(data, "state-travel")
    assert entry.startswith("U.S. Department of State, “Travel to Switzerland")
    assert '<a href="https://www.state.gov/' in entry
    with pytest.raises(KeyError, match="nowhere"):
        display.source_entry(data, "nowhere")


def test_the_source_page_anchors_every_paragraph_and_says_whose_wording_once(data):
    page = display.source_text_html(data)
    assert re.findall(r'<p id="p(\d+)"', page) == [str(n) for n in range(1, 30)]
    p14 = html.unescape(re.search(r'<p id="p14".*?</p>', page).group(0))
    assert "S08, S09: the base document's wording, under Wendy Sherman's name" in p14
    assert p14.count("the base document") == 1
    assert "narration" in re.search(r'<p id="p27".*?</p>', page).group(0)


def test_the_source_page_escapes_the_text(data):
    statements = data.statements.copy()
    statements.loc[statements["statement_id"] == "S02", "statement_id"] = MARKUP
    page = display.source_text_html(dataclasses.replace(data, statements=statements))
    assert "<img" not in page and html.escape(MARKUP) in page
