"""How many times a page draws form XObjects, counted from its PDF objects without drawing it.

pdfium lays out every drawing of a form (and of the forms inside it) in memory when it loads a
page, while pdfminer interprets them one at a time under the document's timeout: a page whose
forms would be drawn a billion times (ten forms, each drawing the next ten times) must go to
pdfminer. The count is an upper bound: each `Do` of a content stream counts as a drawing of
the costliest form its resources name.
"""

from __future__ import annotations

from typing import Any

from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psparser import LIT

# A page drawing forms more times than this is read by pdfminer (a real report's page draws a
# few: a letterhead, a logo, a stamp).
MAX_FORM_DRAWS = 10_000
# Forms nested deeper than this count as drawn too often.
MAX_NESTING = 15
FORM = LIT("Form")


def form_draws(page_obj: Any) -> int:
    """Return an upper bound of how many forms the page draws (capped past MAX_FORM_DRAWS)."""
    streams = resolve1(page_obj.attrs.get("Contents"))
    streams = streams if isinstance(streams, list) else [streams]
    return _draws(resolve1(page_obj.resources), streams, 0, {})


def _draws(resources: Any, streams: list[Any], depth: int, memo: dict[int, int]) -> int:
    """Return how many forms content `streams` with `resources` draw, forms inside included."""
    forms = _forms(resources)
    if not forms:
        return 0
    uses = sum(_data(stream).count(b"Do") for stream in streams)
    if not uses:
        return 0
    if depth >= MAX_NESTING:
        return MAX_FORM_DRAWS + 1
    inner = max(_form_draws(form, depth + 1, memo) for form in forms)
    return min(uses * (1 + inner), MAX_FORM_DRAWS + 1)


def _form_draws(form: PDFStream, depth: int, memo: dict[int, int]) -> int:
    """Return how many forms one drawing of `form` draws inside it (once per form object)."""
    key = id(form)
    if key not in memo:
        memo[key] = MAX_FORM_DRAWS + 1  # a form that draws itself is drawn too often
        resources = resolve1(form.attrs.get("Resources"))
        memo[key] = _draws(resources, [form], depth, memo)
    return memo[key]


def _forms(resources: Any) -> list[PDFStream]:
    """Return the form XObjects a resource dictionary names."""
    xobjects = resolve1((resources or {}).get("XObject")) if isinstance(resources, dict) else None
    found = [resolve1(x) for x in (xobjects or {}).values()] if isinstance(xobjects, dict) else []
    return [
        x for x in found if isinstance(x, PDFStream) and resolve1(x.attrs.get("Subtype")) == FORM
    ]


def _data(stream: Any) -> bytes:
    """Return a content stream's decoded bytes (none when it is no stream)."""
    stream = resolve1(stream)
    return stream.get_data() if isinstance(stream, PDFStream) else b""
