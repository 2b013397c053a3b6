"""What readers see, defined once: names, where a statement stands in its source, whose
wording it is, stances in the words of the codebook, and escaped HTML tables and quotes.

Every text from the data is escaped here before it becomes HTML: nothing in a CSV can turn
into markup. A paragraph reference is a link of the form ``geneva-base:7``; the book's
tooling points it at paragraph 7 of the base document's page, wherever the page is.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

import pandas as pd

#: Link scheme for a paragraph of the base document (resolved by the book's tooling).
PARAGRAPH_LINK = "geneva-base:{paragraph}"
#: Shown for a missing value.
MISSING = "–"
#: How a statement's form is said, after "the base document's wording": see statements.form.
FORM_PHRASES = {
    "direct": "in quotation marks, as the base document quotes {speaker}",
    "attributed": "under {speaker}'s name",
    "reported": "reporting {speaker}",
    "paraphrase": "summarising {speaker}",
}
_CODE_SPAN = re.compile(r"`([^`]+)`")


def categories(column: pd.Series) -> list[str]:
    """The values a column may take, in vocabulary order: a categorical's categories (the
    order datapackage.json declares), else the sorted values present."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return [str(c) for c in column.cat.categories]
    return sorted(str(v) for v in column.dropna().unique())


def speaker_names(data) -> pd.Series:
    """actor_id -> the name the book shows."""
    return pd.Series(data.actors["name"].astype(str).to_numpy(),
                     index=data.actors["actor_id"].astype(str).to_numpy())


def speaker_phrase(data, actor_id: str) -> str:
    """The speaker as prose names it: a person by name, a group with "the" ("the US
    delegation")."""
    actors = data.actors.set_index(data.actors["actor_id"].astype(str))
    if str(actor_id) not in actors.index:
        return str(actor_id)
    name = str(actors.loc[str(actor_id), "name"])
    return name if str(actors.loc[str(actor_id), "kind"]) == "person" else f"the {name}"


def source_name(data, source_id: str) -> str:
    """How a quote names its source: "base document", or the source's title."""
    if str(source_id) in data.base_source_ids():
        return "base document"
    sources = data.sources.set_index(data.sources["source_id"].astype(str))
    if str(source_id) not in sources.index:
        raise KeyError(f"no source {source_id!r}")
    return str(sources.loc[str(source_id), "title"])


def locators(data, statements: pd.DataFrame) -> pd.Series:
    """Where each statement stands, as text: "¶7" in the base document, "<title>, ¶2" in
    another source (index of ``statements``)."""
    marks = "¶" + statements["paragraph"].astype(int).astype(str)
    if "source_id" not in statements:
        return marks.astype("str")
    sources = statements["source_id"].astype(str)
    base = sources.isin(data.base_source_ids())
    if base.all():
        return marks.astype("str")
    names = {sid: source_name(data, sid) for sid in set(sources[~base])}
    return marks.where(base, sources.map(names).astype(str) + ", " + marks).astype("str")


def locator_html(data, source_id: str, paragraph: int) -> str:
    """The locator as HTML: a link to the paragraph on the base document's page, or the
    other source's name and paragraph, escaped."""
    if str(source_id) in data.base_source_ids():
        link = PARAGRAPH_LINK.format(paragraph=int(paragraph))
        return f'<a class="geneva-paragraph" href="{link}">¶{int(paragraph)}</a>'
    return escape(f"{source_name(data, source_id)}, ¶{int(paragraph)}")


def form_phrase(form: str, speaker: str) -> str:
    """How the book says whose wording a statement is (see :data:`FORM_PHRASES`)."""
    return FORM_PHRASES[str(form)].format(speaker=speaker)


def stance_words(stance: str, pole_a: str, pole_b: str) -> str:
    """A stance in the codebook's words: "leans to: a legal bar ...", "neither pole"."""
    stance = str(stance)
    if stance == "neutral":
        return "neither pole"
    pole = pole_a if stance.startswith("a") else pole_b
    return f"{pole} (on a condition)" if stance.endswith("-if") else pole


def escape(value) -> str:
    """``value`` as HTML text (missing values as :data:`MISSING`)."""
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return MISSING
    return html.escape(str(value), quote=True)


def html_table(table: pd.DataFrame, columns: Sequence[str], headers: dict[str, str] | None = None,
               caption: str | None = None, css_class: str = "geneva-table",
               cells: dict[str, Callable[[pd.Series], str]] | None = None,
               code_spans: bool = False) -> str:
    """An HTML table of ``table``'s ``columns``, every heading and value escaped.

    ``cells`` maps a column to a function that renders a row's cell as HTML (it escapes what
    it takes from the data; see :func:`locator_html`). With ``code_spans``, text between
    backticks is set as code, after escaping. The table scrolls inside its own box on a
    narrow screen (``_static/book.css``).
    """
    cells = cells or {}
    missing = [c for c in columns if c not in table.columns and c not in cells]
    if missing:
        raise KeyError(f"no column(s) {missing} in the table")
    names = headers or {}

    def cell(row: pd.Series, column: str) -> str:
        if column in cells:
            return cells[column](row)
        text = escape(row[column])
        return _CODE_SPAN.sub(r"<code>\1</code>", text) if code_spans else text

    head = "".join(f'<th scope="col">{escape(names.get(c, c))}</th>' for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{cell(row, c)}</td>" for c in columns) + "</tr>"
                   for _, row in table.iterrows())
    label = caption or "Table of " + ", ".join(str(names.get(c, c)) for c in columns)
    return table_box(f'<table class="{escape(css_class)}">{caption_html(caption)}'
                     f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>", label)


def caption_html(caption: str | None) -> str:
    """A table's ``<caption>``, escaped; nothing without a caption."""
    return f"<caption>{escape(caption)}</caption>" if caption else ""


def table_box(table: str, label: str) -> str:
    """``table`` (HTML) in a box that scrolls sideways on its own on a narrow screen. The
    box is a named region that takes keyboard focus, so the keys can scroll it too."""
    return (f'<div class="geneva-table-box" role="region" tabindex="0" '
            f'aria-label="{escape(label)}">{table}</div>')


def quote_html(text: str, footer_html: str) -> str:
    """A quotation block: ``text`` escaped, and a footer (already HTML) saying whose wording
    it is and where it stands."""
    return (f'<blockquote class="geneva-quote"><p>{escape(text)}</p>'
            f"<footer>{footer_html}</footer></blockquote>")


def statement_quote_html(data, statement_id: str) -> str:
    """One statement as a quotation, with its id, its place in its source (a link) and
    whose wording it is: "S07 · ¶13 · the base document's wording, under Wendy Sherman's
    name" (each page that quotes says once what that wording is)."""
    statements = data.statements.set_index(data.statements["statement_id"].astype(str))
    if statement_id not in statements.index:
        raise KeyError(f"no statement {statement_id!r}")
    row = statements.loc[statement_id]
    speaker = speaker_phrase(data, row["speaker_id"])
    whose = f"the {escape(source_name(data, row['source_id']))}'s wording, " \
            f"{escape(form_phrase(row['form'], speaker))}"
    footer = (f"{escape(statement_id)} · {locator_html(data, row['source_id'], row['paragraph'])}"
              f" · {whose}")
    return quote_html(row["text"], footer)


def paragraph_quote_html(data, paragraph: int, source_id: str = "base") -> str:
    """A whole paragraph of a source in its author's voice, its role named (narration or
    commentary, from the paragraph index)."""
    from .data import source_paragraphs

    text = source_paragraphs(data, source_id).loc[int(paragraph)]
    index = data.paragraphs[(data.paragraphs["source_id"].astype(str) == source_id)
                            & (data.paragraphs["paragraph"] == int(paragraph))]
    role = str(index["role"].iloc[0]) if len(index) else "narration"
    footer = (f"{locator_html(data, source_id, paragraph)} · the "
              f"{escape(source_name(data, source_id))}'s own voice "
              f"({escape(ROLE_NAMES.get(role, role))})")
    return quote_html(text, footer)


def source_entry(data, source_id: str) -> str:
    """A source or record as one escaped line of HTML: publisher, title as published, date,
    a link to the original (and to the copy read, where there is one)."""
    for table, key in (("sources", "source_id"), ("records", "record_id")):
        frame = getattr(data, table, None)
        if frame is not None and source_id in set(frame[key].astype(str)):
            row = frame.set_index(frame[key].astype(str)).loc[source_id]
            break
    else:
        raise KeyError(f"no source or record {source_id!r}")
    parts = [escape(row["publisher"]) if not pd.isna(row.get("publisher")) else "",
             f"“{escape(row['title'])}”"]
    if not pd.isna(row.get("date", pd.NA)):
        parts.append(escape(f"{pd.Timestamp(row['date']):%-d %B %Y}"))
    links = [f'<a href="{escape(row[c])}">{label}</a>'
             for c, label in (("url", "original"), ("via_url", "copy read"))
             if c in row and not pd.isna(row[c])]
    return ", ".join(p for p in parts if p) + (". " + ", ".join(links) if links else "")


#: How the base document's page names each role of a paragraph.
ROLE_NAMES = {"narration": "the author's narration", "heading": "a speaker's heading",
              "statement": "statement", "commentary": "the author's commentary"}


def source_text_html(data, source_id: str = "base") -> str:
    """A source's whole text, paragraph by paragraph, each anchored (``id="p7"``) and marked
    with its role, and each statement with its id, its speaker and whose wording it is."""
    from .data import source_paragraphs

    paragraphs = source_paragraphs(data, source_id)
    index = data.paragraphs[data.paragraphs["source_id"].astype(str) == source_id].set_index(
        "paragraph")
    statements = data.statements[data.statements["source_id"].astype(str) == source_id]
    out = []
    for number, text in paragraphs.items():
        role = str(index.loc[number, "role"]) if number in index.index else "narration"
        here = statements[statements["paragraph"] == number]
        if role == "heading":
            out.append(f'<p id="p{number}" class="geneva-para geneva-heading">'
                       f'<span class="geneva-pnum">¶{number}</span> <strong>{escape(text)}'
                       f"</strong></p>")
            continue
        # Statements of one paragraph that share their wording's form say it once:
        # "S08, S09: the base document's wording, under Wendy Sherman's name".
        whose: dict[str, list[str]] = {}
        for row in here.itertuples():
            phrase = form_phrase(row.form, speaker_phrase(data, row.speaker_id))
            whose.setdefault(phrase, []).append(str(row.statement_id))
        notes = [f"{escape(', '.join(ids))}: the base document's wording, {escape(phrase)}"
                 for phrase, ids in whose.items()]
        meta = "; ".join(notes) if notes else escape(ROLE_NAMES.get(role, role))
        out.append(f'<p id="p{number}" class="geneva-para geneva-role-{escape(role)}">'
                   f'<span class="geneva-pnum">¶{number}</span> {escape(text)}'
                   f'<span class="geneva-para-meta">{meta}</span></p>')
    return f'<div class="geneva-source">{"".join(out)}</div>'


#: Link scheme for a file of the data package (resolved by the book's tooling).
DATA_LINK = "geneva-data:{name}"
#: The zip of the whole package that the book serves beside the files.
DATA_ZIP = "geneva-talks-data.zip"
#: The whole project (notebooks, library, data, Makefile), to run the exercises offline.
SOURCE_ZIP = "geneva-talks-book-source.zip"


def downloads_html(data) -> str:
    """A table of download links: the whole package as one zip, the descriptor, every table
    (with its title and rows) and every local source text, made from the package itself."""
    def link(name: str) -> str:
        return f'<a href="{DATA_LINK.format(name=name)}" download>{escape(name)}</a>'

    rows = [{"file": SOURCE_ZIP, "what": "The whole book's source: notebooks, the geneva_talks "
                                   "library, the data and the Makefile. Unzip it and follow "
                                   "README.md to run the notebooks and exercises", "rows": None},
            {"file": DATA_ZIP, "what": "Every file below, in one zip", "rows": None},
            {"file": "datapackage.json", "what": "The descriptor: every table and column, "
                                                 "described (Frictionless Data Package)",
             "rows": None}]
    for resource in data.package["resources"]:
        rows.append({"file": resource["path"], "what": resource["title"],
                     "rows": len(getattr(data, resource["name"]))})
    for path in data.sources["path"].dropna():
        rows.append({"file": str(path), "what": "A source text, kept byte for byte",
                     "rows": None})
    table = pd.DataFrame(rows).astype({"rows": "Int64"})
    return html_table(table, ["file", "what", "rows"],
                      headers={"file": "File", "what": "What it holds", "rows": "Rows"},
                      cells={"file": lambda row: link(row["file"])})
