"""Read a PDF in Python (pypdf, pinned in requirements.txt): no system tool, no subprocess.

``read_pdf(path)`` returns what the PDF tests check: the page count, the text of every page
(normalised for comparison) and the number of colour images drawn on its pages.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ContentStream

#: Colour components of PDF colour spaces given by name.
COMPONENTS = {"/DeviceGray": 1, "/CalGray": 1, "/DeviceRGB": 3, "/CalRGB": 3, "/Lab": 3,
              "/DeviceCMYK": 4}


@dataclass(frozen=True)
class PdfFacts:
    """What the tests read from a PDF."""

    pages: int
    text: str
    colour_images: int


def normalise(text: str) -> str:
    """Text for comparison: ligatures unfolded, one space for any run of whitespace."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def components(colour_space) -> int:
    """Colour components of a PDF colour space (1 grey, 3 colour, ...); 0 if unknown.

    An indexed (palette) image has those of its palette's colour space."""
    colour_space = colour_space.get_object() if colour_space is not None else None
    if isinstance(colour_space, list) and colour_space:
        family = colour_space[0]
        if family == "/ICCBased":
            return int(colour_space[1].get_object()["/N"])
        if family == "/Indexed":
            return components(colour_space[1])
        return COMPONENTS.get(family, 0)
    return COMPONENTS.get(colour_space, 0)


def _get(dictionary, key):
    """``dictionary[key]`` resolved, or an empty dictionary."""
    value = dictionary.get(key) if dictionary is not None else None
    return value.get_object() if value is not None else {}


def drawn_images(content, resources, reader: PdfReader) -> list:
    """The image XObjects that ``content`` draws (``Do``), through form XObjects too."""
    if content is None:
        return []
    xobjects = _get(resources, "/XObject")
    found = []
    for operands, operator in ContentStream(content, reader).operations:
        if operator != b"Do" or operands[0] not in xobjects:
            continue
        xobject = xobjects[operands[0]].get_object()
        if xobject.get("/Subtype") == "/Image":
            found.append(xobject)
        elif xobject.get("/Subtype") == "/Form":
            found += drawn_images(xobject, _get(xobject, "/Resources") or resources, reader)
    return found


def read_pdf(path: Path) -> PdfFacts:
    """Page count, normalised text and colour images (per page, as drawn) of the PDF."""
    reader = PdfReader(path)
    texts, colour = [], 0
    for page in reader.pages:
        texts.append(page.extract_text() or "")
        images = drawn_images(page.get_contents(), _get(page, "/Resources"), reader)
        colour += sum(components(image.get("/ColorSpace")) >= 3 for image in images)
    return PdfFacts(pages=len(reader.pages), text=normalise("\n".join(texts)),
                    colour_images=colour)
