"""The book's house style for figures: one colour per delegation everywhere, colour-blind safe.

Colours come from the Okabe–Ito palette (Okabe and Ito, *Color Universal Design*, 2008),
which stays distinguishable under the common colour-vision deficiencies. The two
delegations own two of its colours; stances and other categories use the rest, so a
delegation's colour never means anything else anywhere in the book.
"""

from __future__ import annotations

from contextlib import contextmanager

import matplotlib as mpl
from matplotlib.text import Text

OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
    "grey": "#999999",
}

#: The one colour of each delegation, in every figure and table of the book.
DELEGATION_COLOURS = {
    "Russia": OKABE_ITO["vermillion"],
    "United States": OKABE_ITO["blue"],
}

#: Stance toward an issue's proposition; none of these is a delegation's colour.
STANCE_COLOURS = {
    "for": OKABE_ITO["bluish_green"],
    "conditional": OKABE_ITO["yellow"],
    "neutral": "#DDDDDD",
    "against": OKABE_ITO["reddish_purple"],
}

#: Colour for "no statement" cells and other absences.
MISSING_COLOUR = "#FFFFFF"

HOUSE_RC = {
    "figure.figsize": (8.0, 4.5),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "legend.frameon": False,
    "svg.hashsalt": "geneva-talks",  # stable SVG ids, so outputs do not change run to run
    "text.parse_math": False,  # text from the data is text: a "$" is not a formula
}


def delegation_colour(delegation: str) -> str:
    """The house colour of ``delegation``; a KeyError names the unknown value."""
    try:
        return DELEGATION_COLOURS[delegation]
    except KeyError:
        known = ", ".join(DELEGATION_COLOURS)
        raise KeyError(f"no house colour for delegation {delegation!r} (known: {known})") from None


@contextmanager
def house_style():
    """Draw inside this context to get the book's fonts, sizes and spines."""
    with mpl.rc_context(HOUSE_RC):
        yield


def text_colour_on(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (WCAG relative luminance)."""
    red, green, blue = mpl.colors.to_rgb(background)

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)
    # Contrast against black is (L + 0.05) / 0.05, against white 1.05 / (L + 0.05).
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#FFFFFF"


# -- Plots for the delegation and issue chapters ------------------------------------------------

#: Fill of a stance-matrix cell whose positions take several stances (Okabe–Ito grey).
MIXED_COLOUR = OKABE_ITO["grey"]
#: Label of a cell where the delegation took no position on the issue.
NOT_RAISED = "not raised"


def as_plain_text(fig):
    """Draw every text of ``fig`` as plain text: labels come from the data, and a ``$`` in a
    CSV field must print as a dollar sign, not start (or break) a mathtext formula."""
    for text in fig.findobj(Text):
        text.set_parse_math(False)
    return fig


def _new_figure(size):
    """A pyplot figure of ``size`` inches, created outside ``house_style()``.

    Creating it inside the style's rc_context would let the context's exit undo what the
    notebook backend sets up on first use (interactive mode), and later figures would then
    not be shown in notebooks.
    """
    import matplotlib.pyplot as plt

    return plt.figure(figsize=size, dpi=HOUSE_RC["figure.dpi"])


def _cell_colour(label) -> str:
    """Fill for a stance-matrix cell: its stance's colour, grey when mixed, white when empty."""
    import pandas as pd

    if label is None or pd.isna(label):
        return MISSING_COLOUR
    return STANCE_COLOURS.get(str(label), MIXED_COLOUR)


def plot_stance_matrix(matrix, labels=None, title: str | None = None):
    """Draw a stance matrix (issues as rows, delegations as columns) and return the Figure.

    Each cell is filled with its stance's colour and carries the stance as text, so the
    figure reads without colour; empty cells say "not raised". Delegation names on the
    x-axis are written in the delegation's house colour. ``labels`` maps the matrix's index
    to display names (e.g. issue ids to labels).
    """
    import pandas as pd
    from matplotlib.patches import Patch, Rectangle

    rows = [str(labels[i]) if labels is not None else str(i) for i in matrix.index]
    columns = [str(c) for c in matrix.columns]
    fig = _new_figure((3.4 + 1.7 * len(columns), 2.0 + 0.62 * len(rows)))
    with house_style():
        ax = fig.subplots()
        for r, issue in enumerate(matrix.index):
            for c, delegation in enumerate(matrix.columns):
                value = matrix.loc[issue, delegation]
                fill = _cell_colour(value)
                ax.add_patch(Rectangle((c, r), 1, 1, facecolor=fill, edgecolor="#FFFFFF",
                                       linewidth=2, gid="stance-cell"))
                # Several stances go one per line, so that the label fits its cell.
                text = NOT_RAISED if fill == MISSING_COLOUR else str(value).replace(" / ", "\n")
                ax.text(c + 0.5, r + 0.5, text, ha="center", va="center",
                        fontsize=10 if "\n" not in text else 8.5, linespacing=1.05,
                        color=text_colour_on(fill) if fill != MISSING_COLOUR else "#555555",
                        fontstyle="italic" if fill == MISSING_COLOUR else "normal")
        ax.set_xlim(0, len(columns))
        ax.set_ylim(len(rows), 0)
        ax.set_xticks([c + 0.5 for c in range(len(columns))], columns, fontweight="bold")
        ax.xaxis.tick_top()
        for tick, name in zip(ax.get_xticklabels(), columns, strict=True):
            tick.set_color(DELEGATION_COLOURS.get(name, OKABE_ITO["black"]))
        ax.set_yticks([r + 0.5 for r in range(len(rows))], rows)
        ax.tick_params(length=0)
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
        values = [v for v in matrix.to_numpy().ravel() if not pd.isna(v)]
        handles = [Patch(facecolor=colour, edgecolor="#555555", label=stance)
                   for stance, colour in STANCE_COLOURS.items()]
        if any(str(v) not in STANCE_COLOURS for v in values):
            handles.append(Patch(facecolor=MIXED_COLOUR, edgecolor="#555555",
                                 label="several stances"))
        handles.append(Patch(facecolor=MISSING_COLOUR, edgecolor="#555555", label=NOT_RAISED))
        ax.legend(handles=handles, title="Stance toward the issue's proposition",
                  loc="upper center", bbox_to_anchor=(0.5 if len(columns) > 1 else 0.2, -0.02),
                  ncols=3, fontsize=9.5, title_fontsize=9.5)
        if title:
            ax.set_title(title, pad=28)
        fig.tight_layout()
    return as_plain_text(fig)


def plot_speech_acts(table, title: str | None = None):
    """Horizontal bars: statements per speech act (rows of ``table``) for each delegation
    (columns of ``table``), each delegation in its house colour; zero counts keep their row.

    ``table`` is a DataFrame indexed by speech act with one column per delegation (see
    ``geneva_talks.analysis.speech_act_table``); pass one column for one delegation.
    """
    import numpy as np

    if hasattr(table, "to_frame"):
        table = table.to_frame()
    acts = [str(a) for a in table.index]
    columns = [str(c) for c in table.columns]
    height = 0.8 / len(columns)
    positions = np.arange(len(acts))
    fig = _new_figure((7.5, 0.9 + 0.45 * len(acts) * max(1, len(columns) / 1.5)))
    with house_style():
        ax = fig.subplots()
        for k, name in enumerate(columns):
            offset = (k - (len(columns) - 1) / 2) * height
            counts = table.iloc[:, k].to_numpy()
            bars = ax.barh(positions + offset, counts, height=height * 0.95,
                           color=delegation_colour(name), label=name)
            ax.bar_label(bars, padding=3, fontsize=9)
        ax.set_yticks(positions, acts)
        ax.invert_yaxis()
        ax.set_xlabel("Statements")
        ax.xaxis.get_major_locator().set_params(integer=True)
        top = max(1, int(table.to_numpy().max()))
        ax.set_xlim(0, top + 0.8)
        if len(columns) > 1:
            ax.legend(loc="lower right")
        if title:
            ax.set_title(title)
        fig.tight_layout()
    return as_plain_text(fig)


def plot_stance_distance(cells, title: str | None = None):
    """Dot plot: for each issue (rows), each delegation's mean stance on the ordinal scale
    for (0) ... against (3), in its house colour and its own marker, joined by a grey line
    whose length is the distance between the sides. A delegation that did not raise an
    issue has no dot on that row.

    ``cells`` is ``geneva_talks.analysis.stance_cells(data)`` (columns issue, delegation,
    mean_rank); delegations are drawn in the order they appear there.
    """

    delegations = list(dict.fromkeys(cells["delegation"].astype(str)))
    issues = list(dict.fromkeys(cells["issue"].astype(str)))
    row = {name: i for i, name in enumerate(issues)}
    fig = _new_figure((7.0, 1.0 + 0.5 * len(issues)))
    with house_style():
        ax = fig.subplots()
        for issue, group in cells.groupby("issue", sort=False):
            ranks = group["mean_rank"].dropna()
            if len(ranks) > 1:
                ax.plot([ranks.min(), ranks.max()], [row[str(issue)]] * 2, color="#999999",
                        linewidth=2, zorder=1)
        # Where the sides' places coincide, the markers sit one above the other (a small
        # vertical dodge), so that neither hides the other and no row looks one-sided.
        dodge = {}
        for issue, group in cells.groupby("issue", sort=False):
            ranks = group.dropna(subset=["mean_rank"])
            if len(ranks) > 1 and ranks["mean_rank"].nunique() == 1:
                for k, name in enumerate(ranks["delegation"].astype(str)):
                    dodge[(str(issue), name)] = (k - (len(ranks) - 1) / 2) * 0.3
        markers = ("o", "s", "D", "^")
        for k, name in enumerate(delegations):
            mine = cells[(cells["delegation"].astype(str) == name) & cells["mean_rank"].notna()]
            ys = [row[str(i)] + dodge.get((str(i), name), 0.0) for i in mine["issue"]]
            ax.scatter(mine["mean_rank"], ys, s=90,
                       color=delegation_colour(name), marker=markers[k % len(markers)],
                       label=name, zorder=2, edgecolor="#FFFFFF", linewidth=0.8)
        ax.set_yticks(range(len(issues)), issues)
        ax.set_ylim(len(issues) - 0.5, -0.5)
        ax.set_xticks(range(len(STANCE_COLOURS)), list(STANCE_COLOURS))
        ax.set_xlim(-0.3, len(STANCE_COLOURS) - 0.7)
        ax.set_xlabel("Mean stance toward the issue's proposition")
        ax.grid(axis="x", color="#EEEEEE")
        ax.set_axisbelow(True)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        if title:
            ax.set_title(title)
        fig.tight_layout()
    return as_plain_text(fig)
