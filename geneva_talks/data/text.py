"""The text rules the loader and the chapters share: how texts are compared, how a source
splits into paragraphs, how a context note cites its sources."""

from __future__ import annotations

import re

_TYPOGRAPHIC = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-",
    }
)


def normalise(text: str) -> str:
    """The form in which texts are compared: typographic quotes and dashes made straight,
    every run of whitespace (no-break spaces and line breaks included) one space, no space
    at either end. Nothing else changes: spelling, punctuation and the ellipsis stay."""
    return " ".join(str(text).translate(_TYPOGRAPHIC).split())


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of a source text: blocks of lines separated by one or more blank lines
    (a blank line holds only whitespace). A heading such as ``Sergei Ryabkov:`` between blank
    lines is a paragraph. Paragraph *n* of the source is ``split_paragraphs(text)[n - 1]``."""
    paragraphs: list[str] = []
    block: list[str] = []
    for line in text.splitlines():
        if line.strip():
            block.append(line)
        elif block:
            paragraphs.append("\n".join(block))
            block = []
    if block:
        paragraphs.append("\n".join(block))
    return paragraphs


_CITATION = re.compile(r"\[([^\[\]]+)\]")


def citations(text: str) -> list[str]:
    """The source ids cited in a ``context`` text: ``[id]`` or ``[id1; id2]``."""
    ids: list[str] = []
    for group in _CITATION.findall(str(text)):
        ids.extend(part.strip() for part in group.split(";") if part.strip())
    return ids
