"""geneva_talks: the data and helpers behind the Geneva 2022 security talks book.

Every notebook starts with ``data = geneva_talks.load()``: the validated dataset,
one typed DataFrame per table.
"""

from .data import DATA_DIR, DataError, Dataset, Problem, load, source_paragraphs

__all__ = ["DATA_DIR", "DataError", "Dataset", "Problem", "load", "source_paragraphs"]
