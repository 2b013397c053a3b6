"""Load the book's data package, validated, as typed pandas DataFrames.

``load()`` reads ``data/datapackage.json`` (a Frictionless Data Package) and its CSV tables,
and checks them in three stages, stopping at the first that finds a fault:

1. the files (:mod:`.reading`): the descriptor and every table exist, are UTF-8 and parse
   as CSV, with the columns the schema declares and as many fields in each row;
2. the schema (:mod:`.frictionless_check`): types, required values, vocabularies, patterns,
   ranges, unique values, primary and foreign keys;
3. the evidence (:mod:`.evidence`): every statement is verbatim in the source paragraph it
   names and the statements of a paragraph make it up in order; each is attributed to the
   speaker under whose heading it stands and to that speaker's delegation; each has a
   position, and no delegation leans both ways on an issue; every cited source exists.

Any fault raises :class:`DataError`, whose message names the file, the row, the column and
the value (:mod:`.problems`); nothing partial is returned. The DataFrames are typed
(:mod:`.frames`): vocabularies are ordered categoricals, issues in codebook order,
statements in document order. A dataset validated once is cached in the process, and
Frictionless is skipped for bytes it has passed before (:mod:`.record`).
"""

from .dataset import Dataset, clear_cache, load, source_paragraphs
from .dictionary import dictionary_overview, dictionary_tables
from .evidence import LEAN, state_of
from .frames import DOCUMENT_ORDER, in_document_order
from .lazy_iri import defer_iri_grammar
from .paths import DATA_DIR
from .problems import DataError, Problem
from .record import validation_records_dir
from .text import citations, normalise, split_paragraphs

defer_iri_grammar()

__all__ = [
    "DATA_DIR", "DOCUMENT_ORDER", "LEAN", "DataError", "Dataset", "Problem", "citations",
    "clear_cache", "dictionary_overview", "dictionary_tables", "in_document_order", "load",
    "normalise", "source_paragraphs", "split_paragraphs", "state_of", "validation_records_dir",
]
