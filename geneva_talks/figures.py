"""The book's house style for figures: one colour per delegation everywhere, colour-blind safe.

Colours come from the Okabe–Ito palette (Okabe and Ito, *Color Universal Design*, 2008),
which stays distinguishable under the common colour-vision deficiencies. The two
delegations own two of its colours; stances and other categories use the rest, so a
delegation's colour never means anything else anywhere in the book.
"""

from __future__ import annotations

from contextlib import contextmanager

import matplotlib as mpl

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
