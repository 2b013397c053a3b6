"""The book's figures: house colours, one way to draw, and one way to show.

* **Colours.** The Okabe–Ito palette (Okabe and Ito, *Color Universal Design*, 2008) stays
  distinguishable under the common colour-vision deficiencies. Each delegation owns one
  colour, everywhere. The two poles of an issue get two soft tints that carry no approval
  (no green against red) and that no delegation uses; every cell also says its pole in
  words, so nothing depends on colour.
* **Drawing.** :func:`new_figure` makes every figure inside the house style; text from the
  data is drawn as plain text (a ``$`` in a CSV is a dollar sign, not a formula).
* **Showing.** :func:`show` turns a figure into an inline SVG whose accessible name is an
  alt text computed from the data (escaped), so a figure's description can never give old
  counts. SVG keeps its text sharp at any width; figures are drawn narrow enough that their
  text stays at least 9 px on a 390 px phone screen.
"""

from __future__ import annotations

import html
import io
import re
from contextlib import contextmanager

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.text import Text

from .display import caption_html, escape, table_box

OKABE_ITO = {
    "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7", "black": "#000000", "grey": "#999999",
}
#: The one colour of each delegation, in every figure and table of the book.
DELEGATION_COLOURS = {"Russia": OKABE_ITO["vermillion"], "United States": OKABE_ITO["blue"]}
#: Fills of the stance table: the two poles (soft lilac and sand), neither, and no statement.
POLE_COLOURS = {"A": "#E4DDF4", "B": "#F3E3BC", "neither": "#E9E9E9", None: "#FFFFFF"}
#: Colours that read as approval and disapproval: no stance or pole may use them.
APPROVAL_COLOURS = (OKABE_ITO["bluish_green"], OKABE_ITO["reddish_purple"], "#008000",
                    "#FF0000")
#: Widest figure, in inches: at 390 px its 11 pt text still renders at about 10 px.
MAX_WIDTH = 5.0

HOUSE_RC = {
    "figure.dpi": 100,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "svg.hashsalt": "geneva-talks",  # stable SVG ids: outputs do not change run to run
    "svg.fonttype": "none",  # text stays text: sharp, searchable, small
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
    """The book's fonts, sizes and spines, for drawing inside the block."""
    with mpl.rc_context(HOUSE_RC):
        yield


def new_figure(width: float, height: float):
    """A figure in the house style, at most :data:`MAX_WIDTH` inches wide. Draw on it
    inside :func:`house_style`, then pass it to :func:`show`."""
    with house_style():
        return plt.figure(figsize=(min(width, MAX_WIDTH), height))


class SvgFigure:
    """A figure shown as inline SVG with an accessible name (its alt text)."""

    def __init__(self, svg: str, alt: str):
        self.svg, self.alt = svg, alt

    def _repr_html_(self) -> str:
        label = escape(self.alt)
        return self.svg.replace("<svg ", f'<svg role="img" aria-label="{label}" '
                                         f'class="geneva-figure" ', 1)

    def __repr__(self) -> str:
        return f"<figure: {self.alt}>"


def show(fig, alt: str) -> SvgFigure:
    """``fig`` as an :class:`SvgFigure` with ``alt`` (computed from the data, not typed),
    every text drawn as plain text; the figure is closed, so a notebook shows it once."""
    for text in fig.findobj(Text):
        text.set_parse_math(False)
    buffer = io.StringIO()
    with house_style():
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg "):]  # no XML prolog or DOCTYPE inside an HTML page
    svg = re.sub(r'(<svg [^>]*?)width="[^"]*" height="[^"]*"', r"\1", svg, count=1)
    return SvgFigure(svg, alt)


def text_colour_on(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (WCAG relative luminance)."""
    red, green, blue = mpl.colors.to_rgb(background)

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#FFFFFF"


def grouped_bars(table: pd.DataFrame, xlabel: str, alt: str) -> SvgFigure:
    """Horizontal bars: one row per index value of ``table`` (zeros kept), one bar per
    delegation (columns), each in its house colour, counts written at the bars' ends.
    ``alt`` opens the alt text; the counts themselves complete it."""
    rows, sides = [str(a) for a in table.index], [str(c) for c in table.columns]
    height = 0.8 / len(sides)
    fig = new_figure(MAX_WIDTH, 0.9 + 0.32 * len(rows) * len(sides))
    with house_style():
        ax = fig.subplots()
        for k, side in enumerate(sides):
            offset = (k - (len(sides) - 1) / 2) * height
            bars = ax.barh([i + offset for i in range(len(rows))], table[side].to_numpy(),
                           height=height * 0.95, color=delegation_colour(side), label=side)
            ax.bar_label(bars, padding=3)
        ax.set_yticks(range(len(rows)), rows)
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlim(0, max(1, int(table.to_numpy().max())) + 0.8)
        ax.legend(loc="lower right")
        fig.tight_layout()
    parts = [f"{side}: " + ", ".join(f"{row} {int(n)}" for row, n in table[side].items())
             for side in sides]
    return show(fig, f"{alt} " + "; ".join(parts) + ".")


def speech_acts_figure(table: pd.DataFrame) -> SvgFigure:
    """Statements per speech act (rows of ``table``), one bar per delegation (columns)."""
    return grouped_bars(table, "Statements",
                        "Bar chart of statements per speech act, by delegation.")


def stance_table_html(matrix: pd.DataFrame, leans: pd.DataFrame, issues: pd.DataFrame,
                      caption: str | None = None) -> str:
    """The stance matrix as an HTML table: issues as rows (each with its two poles), sides
    as columns, each cell in the pole's tint and in the pole's words (all escaped).
    ``leans`` has the matrix's shape and holds "A", "B", "neither" or missing (the tints);
    ``issues`` is the codebook (label, pole_a, pole_b)."""
    poles = issues.set_index(issues["label"].astype(str))
    head = "".join(f'<th scope="col"><span class="geneva-side" style="border-color:'
                   f'{DELEGATION_COLOURS.get(str(c), "#999")}">{escape(c)}</span></th>'
                   for c in matrix.columns)
    rows = []
    for issue in matrix.index:
        cells = []
        for side in matrix.columns:
            lean = leans.loc[issue, side]
            fill = POLE_COLOURS[None if pd.isna(lean) else lean]
            kind = "none" if pd.isna(lean) else str(lean).lower()
            cells.append(f'<td class="geneva-pole geneva-pole-{kind}" style="background:{fill}">'
                         f"{escape(matrix.loc[issue, side])}</td>")
        rows.append(f'<tr><th scope="row">{escape(issue)}<span class="geneva-poles">A: '
                    f'{escape(poles.loc[issue, "pole_a"])} · B: '
                    f'{escape(poles.loc[issue, "pole_b"])}</span></th>{"".join(cells)}</tr>')
    return table_box(f'<table class="geneva-table geneva-stances">{caption_html(caption)}'
                     f'<thead><tr><th scope="col">Issue</th>{head}</tr></thead>'
                     f'<tbody>{"".join(rows)}</tbody></table>', caption or "Stance table")


def pole_legend_html() -> str:
    """A key to the stance table's tints, in words (the cells say their pole anyway)."""
    keys = (("A", "leans to the issue's pole A"), ("B", "leans to its pole B"),
            ("neither", "addresses the issue, leaning to neither pole"),
            (None, "no statement in the base document"))
    items = "".join(f'<li><span class="geneva-swatch" style="background:{POLE_COLOURS[k]}">'
                    f"</span>{html.escape(text)}</li>" for k, text in keys)
    return f'<ul class="geneva-legend">{items}</ul>'
