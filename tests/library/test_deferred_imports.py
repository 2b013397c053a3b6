"""geneva_talks.data defers rfc3987_syntax (jsonschema's IRI checker, ~1 s to import) until an
IRI is checked: importing jsonschema after geneva_talks stays cheap, and IRIs are still checked
by the real module."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
import geneva_talks
import jsonschema
print("compiled at import:", "rfc3987_syntax.syntax_helpers" in sys.modules)
check = jsonschema.Draft202012Validator.FORMAT_CHECKER
print("bad iri passes:", check.conforms("http://example.org/a b", "iri"))
print("good iri passes:", check.conforms("http://example.org/ab", "iri"))
import rfc3987_syntax
print("real module:", hasattr(rfc3987_syntax, "syntax_parser"))
"""


def test_the_iri_grammar_is_compiled_only_when_an_iri_is_checked():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out == ["compiled at import: False", "bad iri passes: False",
                   "good iri passes: True", "real module: True"]
