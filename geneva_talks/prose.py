"""Sentences whose truth depends on the data, checked where they are written.

Numbers, ids and labels in a chapter's prose come from the data (myst-nb's ``glue``). A
sentence whose *meaning* depends on the data ("so the issue counts as common ground") cannot
be glued; the chapter guards it instead, in a hidden cell right after it::

    claim(classes["dialogue"] == "common ground",
          "§4.10: 'so the issue counts as common ground'")

When the data change and the sentence becomes false, the cell raises
:class:`ProseOutOfDate`, the notebook fails, and so does the book's build, with a message
that names the sentence to revisit. Nothing is published that the data contradict.
"""

from __future__ import annotations


class ProseOutOfDate(AssertionError):
    """A sentence of the book that the data no longer support."""


def claim(holds: bool, sentence: str) -> None:
    """Raise :class:`ProseOutOfDate` naming ``sentence`` unless ``holds`` is true."""
    if not bool(holds):
        raise ProseOutOfDate(
            f"The data no longer support this sentence of the book; revisit it: {sentence}")


_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def number_word(n: int) -> str:
    """``n`` as prose writes it: a word below ten ("no", "one" ... "nine"), digits from ten
    up. Chapters glue it for sentences such as "Ryabkov made one demand"."""
    n = int(n)
    if n < 0:
        raise ValueError(f"no word for a negative count: {n}")
    return _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else str(n)
