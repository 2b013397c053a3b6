"""Sphinx extension: every paragraph reference points at the base document's page.

The base document's page (``base_document_page`` in the config, ``chapters/base-document``
by default) shows the whole text with an anchor per paragraph (``p7``). Two kinds of
reference lead there, and both are resolved here for whichever page they are on:

* in prose, the role ``{para}`7``` (or ``{para}`7-8```) writes "¶7" as a link;
* in HTML that the reader's library writes (quote blocks, tables, the explorer's cards,
  inside widget state too), a link to ``geneva-base:7``.

A paragraph number that the base document does not have fails the build.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxRole

#: The link scheme the library writes (geneva_talks.display.PARAGRAPH_LINK).
SCHEME = re.compile(r"geneva-base:(\d+)")
ANCHOR = "p{}"


class paragraph_ref(nodes.reference):
    """A paragraph reference, resolved once the page it stands on is known."""


class ParagraphRole(SphinxRole):
    """``{para}`7``` or ``{para}`7-8```: "¶7" linked to paragraph 7 of the base document."""

    def run(self):
        match = re.fullmatch(r"(\d+)(?:[-–](\d+))?", self.text.strip())
        if not match:
            msg = self.inliner.reporter.error(
                f"{{para}} takes a paragraph number or a range, not {self.text!r}",
                line=self.lineno)
            return [], [msg]
        first, last = match.group(1), match.group(2)
        label = f"¶{first}" + (f"–{last}" if last else "")
        return [paragraph_ref(label, label, paragraph=int(first))], []


def _target(app: Sphinx, fromdocname: str, paragraph: int) -> str:
    page = app.config.base_document_page
    if app.builder.name == "singlehtml":
        return f"#{ANCHOR.format(paragraph)}"
    return app.builder.get_relative_uri(fromdocname, page) + f"#{ANCHOR.format(paragraph)}"


def _check(app: Sphinx, paragraph: int, where: str) -> None:
    count = getattr(app.env, "geneva_paragraphs", None)
    if count is not None and not 1 <= paragraph <= count:
        raise ExtensionError(f"{where}: paragraph {paragraph} is not in the base document "
                             f"(it has {count})")


def _count_paragraphs(app: Sphinx) -> None:
    """How many paragraphs the base document has, from the reader's library."""
    import geneva_talks

    data = geneva_talks.load()
    app.env.geneva_paragraphs = len(geneva_talks.source_paragraphs(data))


def _resolve_roles(app: Sphinx, doctree, fromdocname: str) -> None:
    for node in list(doctree.findall(paragraph_ref)):
        _check(app, node["paragraph"], fromdocname)
        link = nodes.reference(node.astext(), node.astext(),
                               refuri=_target(app, fromdocname, node["paragraph"]),
                               classes=["geneva-paragraph"], internal=True)
        node.replace_self(link)


def _resolve_links(app: Sphinx, pagename: str, templatename: str, context: dict,
                   doctree) -> None:
    """Point every ``geneva-base:N`` on the page (its body, and inline scripts such as the
    widget state) at the base document's page."""
    def replace(match) -> str:
        _check(app, int(match.group(1)), pagename)
        return _target(app, pagename, int(match.group(1)))

    if isinstance(context.get("body"), str):
        context["body"] = SCHEME.sub(replace, context["body"])
    for key in ("script_files",):
        assets = context.get(key)
        if isinstance(assets, list):
            for i, asset in enumerate(assets):
                attributes = getattr(asset, "attributes", None) or {}
                body = attributes.get("body")
                if body and SCHEME.search(body):
                    assets[i] = type(asset)(asset.filename, priority=asset.priority,
                                            **{**attributes, "body": SCHEME.sub(replace, body)})


def setup(app: Sphinx) -> dict:
    app.add_config_value("base_document_page", "chapters/base-document", "env")
    app.add_node(paragraph_ref)
    app.add_role("para", ParagraphRole())
    app.connect("builder-inited", _count_paragraphs)
    app.connect("doctree-resolved", _resolve_roles)
    # After myst-nb (which adds the widget state) and before html_pages escapes it.
    app.connect("html-page-context", _resolve_links, priority=850)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
