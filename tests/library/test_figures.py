"""The chapter figures: right number of marks, the house colours, and no pyplot leaks."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from geneva_talks import analysis, figures  # noqa: E402

RUSSIA = mcolors.to_hex(figures.DELEGATION_COLOURS["Russia"])
US = mcolors.to_hex(figures.DELEGATION_COLOURS["United States"])


def hexes(colours):
    return [mcolors.to_hex(c) for c in colours]


@pytest.fixture(autouse=True)
def close_all():
    yield
    plt.close("all")


@pytest.fixture
def matrix():
    return pd.DataFrame(
        {"Russia": ["for", "for / against", None], "United States": ["against", "neutral", None]},
        index=pd.Index(["x", "y", "z"], name="issue_id"),
    )


def test_stance_matrix_has_one_coloured_labelled_cell_per_pair(matrix):
    fig = figures.plot_stance_matrix(matrix, labels={"x": "Ex", "y": "Why", "z": "Zed"})
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    cells = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_gid() == "stance-cell"]
    assert len(cells) == 6
    # Row-major: x/Russia, x/US, y/Russia, y/US, z/Russia, z/US.
    assert hexes(p.get_facecolor() for p in cells) == [
        figures.STANCE_COLOURS["for"].lower(), figures.STANCE_COLOURS["against"].lower(),
        figures.MIXED_COLOUR.lower(), figures.STANCE_COLOURS["neutral"].lower(),
        figures.MISSING_COLOUR.lower(), figures.MISSING_COLOUR.lower(),
    ]
    assert [t.get_text() for t in ax.texts] == [
        "for", "against", "for\nagainst", "neutral", "not raised", "not raised"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Ex", "Why", "Zed"]
    assert hexes(t.get_color() for t in ax.get_xticklabels()) == [RUSSIA, US]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [*figures.STANCE_COLOURS, "several stances", "not raised"]


def test_stance_matrix_text_is_readable_on_its_cell(matrix):
    fig = figures.plot_stance_matrix(matrix)
    cells = [p for p in fig.axes[0].patches if p.get_gid() == "stance-cell"]
    for patch, text in zip(cells, fig.axes[0].texts, strict=True):
        fill = mcolors.to_hex(patch.get_facecolor())
        if fill != figures.MISSING_COLOUR.lower():
            assert mcolors.to_hex(text.get_color()) == figures.text_colour_on(fill).lower()


def test_speech_act_bars_use_the_delegation_colours_and_keep_zeros():
    table = pd.DataFrame({"Russia": [2, 0, 1], "United States": [0, 3, 1]},
                         index=["demand", "offer", "warning"])
    fig = figures.plot_speech_acts(table)
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 6
    assert hexes(b.get_facecolor() for b in bars) == [RUSSIA] * 3 + [US] * 3
    assert [b.get_width() for b in bars] == [2, 0, 1, 0, 3, 1]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["demand", "offer", "warning"]


def test_speech_act_bars_for_one_delegation_from_a_series():
    counts = pd.Series([1, 0], index=["demand", "offer"], name="United States")
    fig = figures.plot_speech_acts(counts)
    bars = fig.axes[0].patches
    assert len(bars) == 2 and hexes(b.get_facecolor() for b in bars) == [US, US]


def test_unknown_delegation_has_no_colour():
    with pytest.raises(KeyError, match="Atlantis"):
        figures.plot_speech_acts(pd.DataFrame({"Atlantis": [1]}, index=["demand"]))


def test_stance_distance_draws_one_dot_per_raised_cell():
    cells = pd.DataFrame({
        "issue": ["X", "X", "Y", "Y"],
        "delegation": ["Russia", "United States", "Russia", "United States"],
        "mean_rank": [0.0, 3.0, None, 1.0],
    })
    fig = figures.plot_stance_distance(cells)
    ax = fig.axes[0]
    russia, us = ax.collections
    assert len(russia.get_offsets()) == 1 and len(us.get_offsets()) == 2
    assert hexes(russia.get_facecolor()) == [RUSSIA]
    assert hexes(us.get_facecolor()) == [US]
    assert len(ax.lines) == 1  # only X has two dots to join


def test_figures_on_the_real_data_do_not_leak_open_figures():
    import geneva_talks

    data = geneva_talks.load()
    before = len(plt.get_fignums())
    matrix = analysis.stance_matrix(data)
    fig = figures.plot_stance_matrix(matrix)
    cells = [p for p in fig.axes[0].patches if p.get_gid() == "stance-cell"]
    assert len(cells) == matrix.size
    assert len(plt.get_fignums()) == before + 1  # the returned figure only


def test_stance_distance_keeps_both_markers_visible_where_the_sides_coincide():
    cells = pd.DataFrame({
        "issue": ["X", "X", "Y", "Y"],
        "delegation": ["Russia", "United States", "Russia", "United States"],
        "mean_rank": [0.0, 0.0, 0.0, 3.0],
    })
    ax = figures.plot_stance_distance(cells).axes[0]
    russia, us = (c.get_offsets() for c in ax.collections)
    assert russia[0][0] == us[0][0] == 0.0
    assert russia[0][1] != us[0][1]  # X: same place, drawn one above the other
    assert russia[1][1] == us[1][1] == 1.0  # Y: different places, on the row itself


def test_dollar_signs_in_the_data_print_as_text_in_every_figure():
    """A `$` in a CSV field must not start (or break) a mathtext formula when drawn."""
    import dataclasses
    import io

    import geneva_talks
    from geneva_talks import analysis, meetings

    data = geneva_talks.load()
    issues = data.issues.assign(label=data.issues["label"].astype(str))
    issues.loc[0, "label"] = r"NATO $\bogus{x}$ for $5"
    hostile = dataclasses.replace(data, issues=issues)
    events = data.events.assign(participants=data.events["participants"].astype(str),
                                format=data.events["format"].astype(str))
    events.loc[events["event_id"] == "nrc-brussels", "participants"] = r"all $\bogus{x}$"
    events.loc[events["event_id"] == "invasion", "format"] = r"war $\bogus{y}$"
    drawn = [
        figures.plot_stance_matrix(analysis.stance_matrix(hostile, index="label")),
        figures.plot_stance_matrix(analysis.stance_matrix(hostile, index="label")[["Russia"]]),
        figures.plot_stance_distance(analysis.stance_cells(hostile)),
        meetings.formats_figure(events, data.actors),
        meetings.timeline_figure(events),
    ]
    for fig in drawn:
        fig.savefig(io.BytesIO(), format="png")  # mathtext would raise ParseFatalException
        texts = [t.get_text() for t in fig.findobj(figures.Text) if "bogus" in t.get_text()]
        assert texts, "the label from the data is not in the figure"
