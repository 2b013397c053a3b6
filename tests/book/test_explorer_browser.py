"""The statement explorer in the built book, in headless Chromium, offline: every dropdown
changes what the page shows, and the filters combine with no kernel.

Uses the shared pieces of tests/browser_support.py (the 127.0.0.1 server, Debian's
Chromium, the offline guard that records and blocks any request leaving 127.0.0.1).
"""

from __future__ import annotations

import re

import pytest
from browser_support import PageReport, new_page, show_widgets

import geneva_talks
from geneva_talks import explorer

pytestmark = [pytest.mark.book, pytest.mark.browser]

PAGE = "chapters/classroom/explorer.html"
#: The text of the explorer's visible result: its cards, or its count / "no match" line.
VISIBLE_RESULT_JS = """() => Array.from(document.querySelectorAll(
    '.geneva-explorer .geneva-card, .geneva-explorer .geneva-count'))
  .filter(e => e.offsetParent !== null).map(e => e.innerText).join('\\n')"""


def shown_ids(text: str) -> list[str]:
    return re.findall(r"^(S\d+) · ", text, flags=re.MULTILINE)


@pytest.fixture(scope="module")
def explorer_page(browser, book_url):  # noqa: F811 (pytest fixtures)
    report = PageReport(url=book_url + PAGE)
    page = new_page(browser, report)
    page.goto(report.url, wait_until="load")
    assert show_widgets(page) == 1, "the explorer should be the page's one widget"
    page.locator(".geneva-explorer .geneva-card").first.wait_for(state="visible")
    yield page, report
    page.context.close()
    assert not report.problems(), "\n".join(report.problems())


def visible_result(page) -> str:
    return page.evaluate(VISIBLE_RESULT_JS)


def dropdowns(page):
    selects = page.locator(".geneva-explorer select")
    assert selects.count() == 3, "the explorer should show three dropdowns"
    return [selects.nth(i) for i in range(3)]


def test_the_explorer_renders_with_labels_and_every_statement(explorer_page):
    page, report = explorer_page
    data = geneva_talks.load()
    labels = [page.locator(".geneva-explorer label").nth(i).inner_text() for i in range(3)]
    assert labels == ["Delegation", "Issue", "Speech act"]
    assert len(shown_ids(visible_result(page))) == len(data.statements)
    assert not report.problems(), "\n".join(report.problems())


def test_every_option_of_every_dropdown_changes_what_the_page_shows(explorer_page):
    page, report = explorer_page
    everything = visible_result(page)
    for select in dropdowns(page):
        options = select.locator("option").all_inner_texts()
        assert len(options) > 1
        for index in range(1, len(options)):
            select.select_option(index=index)
            shown = visible_result(page)
            assert shown and shown != everything, f"choosing {options[index]!r} changed nothing"
        select.select_option(index=0)
        assert visible_result(page) == everything, "back to 'All' should show everything again"
    assert not report.problems(), "\n".join(report.problems())


def test_the_filters_combine_in_the_browser(explorer_page):
    page, report = explorer_page
    data = geneva_talks.load()
    rows = explorer.statement_rows(data)
    delegation, issue, act = dropdowns(page)
    issue_label = data.issues.set_index("issue_id").loc["enlargement", "label"]
    for chosen in ("Russia", "United States"):
        delegation.select_option(label=chosen)
        issue.select_option(label=issue_label)
        expected = list(explorer.matching(rows, chosen, "enlargement")["statement_id"])
        assert expected and shown_ids(visible_result(page)) == expected
        act.select_option(label="warning")
        expected = list(explorer.matching(rows, chosen, "enlargement", "warning")
                        ["statement_id"])
        shown = visible_result(page)
        assert shown_ids(shown) == expected
        if not expected:
            assert explorer.NO_MATCH in shown
        act.select_option(index=0)
    for select in (delegation, issue):
        select.select_option(index=0)
    assert not report.problems(), "\n".join(report.problems())
