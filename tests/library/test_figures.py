"""Figures: inline SVG with an alt text from the data, house colours, no approval colours,
text drawn as text, and the stance table."""

from __future__ import annotations

import re

import matplotlib as mpl
import pytest

import geneva_talks
from geneva_talks import analysis, figures


@pytest.fixture(scope="module")
def data():
    return geneva_talks.load()


def _hue(colour: str) -> float:
    return mpl.colors.rgb_to_hsv(mpl.colors.to_rgb(colour))[0] * 360


def test_poles_carry_no_approval_and_are_not_a_delegations_colour():
    approval = {c.upper() for c in figures.APPROVAL_COLOURS}
    for pole, colour in figures.POLE_COLOURS.items():
        assert colour.upper() not in approval, pole
        assert colour not in figures.DELEGATION_COLOURS.values(), pole
        saturation = mpl.colors.rgb_to_hsv(mpl.colors.to_rgb(colour))[1]
        if saturation > 0.05:  # a tint, not a grey: neither green nor red
            assert not 75 <= _hue(colour) <= 165, f"{pole} reads as green"
            assert not (_hue(colour) <= 15 or _hue(colour) >= 345), f"{pole} reads as red"
    assert figures.POLE_COLOURS["A"] != figures.POLE_COLOURS["B"]


def test_the_stance_table_uses_pole_tints_and_words_only(data):
    table = figures.stance_table_html(analysis.stance_matrix(data), analysis.lean_matrix(data),
                                     data.issues)
    used = {c.upper() for c in re.findall(r"#[0-9A-Fa-f]{6}", table)}
    assert not used & {c.upper() for c in figures.APPROVAL_COLOURS}
    assert used <= {c.upper() for c in (*figures.POLE_COLOURS.values(),
                                        *figures.DELEGATION_COLOURS.values())}
    for pole in (*data.issues["pole_a"], *data.issues["pole_b"]):
        assert pole in table
    assert table.count("<tr>") == len(data.issues) + 1


def test_a_figure_is_inline_svg_named_by_its_alt_text_escaped(data):
    table = analysis.speech_act_table(data)
    shown = figures.speech_acts_figure(table)
    svg = shown._repr_html_()
    assert svg.startswith("<svg ") and 'role="img"' in svg
    assert "Russia: assessment" in shown.alt
    label = re.search(r'aria-label="([^"]*)"', svg).group(1)
    assert label.startswith("Bar chart of statements per speech act")
    hostile = figures.SvgFigure("<svg ></svg>", 'a "quote" <b>')
    assert 'aria-label="a &quot;quote&quot; &lt;b&gt;"' in hostile._repr_html_()


def test_figures_are_deterministic_and_keep_text_as_text(data):
    table = analysis.speech_act_table(data)
    first = figures.speech_acts_figure(table)._repr_html_()
    second = figures.speech_acts_figure(table)._repr_html_()
    assert first == second
    assert "<text" in first and "assessment" in first  # svg.fonttype none: real text


def test_text_from_the_data_is_never_a_formula():
    fig = figures.new_figure(3, 2)
    with figures.house_style():
        fig.subplots().set_title(r"costs $5 and $\bogus{x}$")
    svg = figures.show(fig, "a title with dollars")._repr_html_()
    assert "$5 and $" in svg


def test_figures_are_narrow_enough_for_a_phone():
    fig = figures.new_figure(9, 3)
    assert fig.get_figwidth() == figures.MAX_WIDTH


def test_delegation_colours_are_fixed_and_unknown_names_are_refused():
    assert figures.delegation_colour("Russia") == "#D55E00"
    with pytest.raises(KeyError, match="USSR"):
        figures.delegation_colour("USSR")
