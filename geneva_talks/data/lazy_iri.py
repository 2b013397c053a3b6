"""Postpone an import that costs every notebook's kernel about a second."""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types


def defer_iri_grammar() -> None:
    """Postpone rfc3987_syntax's import (~1 s: it compiles some forty Earley parsers) until
    something checks an IRI with it.

    jsonschema imports it, when installed, for its "iri" format checker, and jsonschema is
    imported by nbformat (under myst-nb's ``glue``, in every notebook's kernel) and by
    Frictionless, none of which checks an IRI here. A stand-in module answers the import;
    its first use imports the real module and hands every call over to it.
    """
    name = "rfc3987_syntax"
    if name in sys.modules or importlib.util.find_spec(name) is None:
        return
    stand_in = types.ModuleType(name, "Stand-in for rfc3987_syntax (see geneva_talks.data).")

    def real() -> types.ModuleType:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
        return importlib.import_module(name)

    def is_valid_syntax(term: str, value: str):
        return real().is_valid_syntax(term, value)

    def other(attribute: str):  # PEP 562; the import system's probes (__path__...) miss
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return getattr(real(), attribute)

    stand_in.is_valid_syntax = is_valid_syntax
    stand_in.__getattr__ = other
    sys.modules[name] = stand_in
