"""PDF bytes → pages of lines and tables, with page furniture removed.

Two readers stand behind one character model (pdfplumber's char records): pdfium reads a page's
glyphs, shapes and images (`pdfium_page`, many times faster than pdfminer), and pdfplumber's
table finder runs on its shapes; pdfplumber opens the file first (it judges whether the PDF is
readable, as before) and reads alone a page pdfium cannot stand in for (`pdfium_page.stands_in`:
one turned by /Rotate, one with text in a CID font the file does not embed, one drawing forms
inside forms past counting, one pdfium cannot load) and, with `reader="pdfplumber"`, every page.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.pdftypes import resolve1
from pdfminer.psexceptions import PSException
from pdfminer.utils import decode_text
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.errors import (
    DamagedPdfError,
    EmptyFileError,
    EmptyPdfError,
    EncryptedPdfError,
    NotAPdfError,
)
from pipeline.extract import ocr, pdfium_page
from pipeline.extract.grids import find_tables
from pipeline.extract.layout import find_furniture
from pipeline.extract.lines import group_lines

log = logging.getLogger(__name__)

VERSION = "3"
# Fake bold strikes a glyph again a fraction of a point away; real neighbours are a glyph apart.
DEDUPE_TOLERANCE = 1.5
# … and within this share of the glyph's own width (two like digits stand a full width apart)
DOUBLE_SHARE = 0.5
PDF_MAGIC = b"%PDF-"
# What the reader's failures mean, in words for the user (the reader's own message is logged).
READER_FAILURES = [
    (re.compile(r"Unexpected EOF|PSEOF", re.I), "the file ends before the PDF does"),
    (re.compile(r"No /Root object", re.I), "it has no document catalogue (is it really a PDF?)"),
    (re.compile(r"xref|startxref", re.I), "its table of objects is broken"),
]
# How deep a PDF's structure may nest (pdfminer walks the page tree recursively).
RECURSION_LIMIT = 20_000
READER_PACKAGES = (f"{os.sep}pdfminer{os.sep}", f"{os.sep}pdfplumber{os.sep}")
PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
READERS = ("pdfium", "pdfplumber")


def extract_document(
    data: bytes,
    on_page: Callable[[int, int], None] | None = None,
    reader: str = "pdfium",
) -> dict[str, Any]:
    """Return the pages of a PDF: each with its body lines, tables and removed furniture;
    on_page(pages read, pages) is called after each page. The glyphs are read by `reader`:
    "pdfium" (pdfplumber still opens the file, judges whether it is readable and gives the
    geometry), or "pdfplumber" alone.

    Raises a DocumentError subclass with one clear sentence when the bytes are no readable PDF.
    """
    if reader not in READERS:
        raise ValueError(f"reader must be one of {READERS}, not {reader!r}")
    check_magic(data)
    try:
        with deep_structures(), pdfplumber.open(io.BytesIO(data)) as pdf:
            doc = pdfium_page.open_document(data) if reader == "pdfium" else None
            try:
                pages = []
                for page in _pages(pdf, doc):
                    pages.append(_read_page(page))
                    if on_page is not None:
                        on_page(len(pages), len(pdf.pages))
            finally:
                if doc is not None:
                    doc.close()
    except (PdfminerException, PSException, PDFSyntaxError, PDFEncryptionError) as exc:
        if isinstance(exc.args[0] if exc.args else None, MemoryError):
            raise MemoryError from exc  # a stream that inflates past the worker's memory limit
        raise classify_error(exc) from exc
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        if not raised_by_reader(exc):
            raise  # our own bug: the runner reports it as an internal error
        log.debug("the reader failed: %s", _name(exc))
        raise DamagedPdfError("the PDF is damaged and cannot be read.") from exc
    if not pages:
        raise EmptyPdfError("the PDF has no pages.")
    if not any(page["lines"] for page in pages):
        raise EmptyPdfError(_nothing_to_read(pages))
    _drop_furniture(pages)
    return {"n_pages": len(pages), "pages": pages}


def _pages(pdf: pdfplumber.PDF, doc: Any) -> Iterator[Any]:
    """Yield each page to read: read through pdfium when it is open and sees the same pages,
    it can stand in for pdfplumber on the page (`pdfium_page.stands_in`) and load it; else
    the pdfplumber page."""
    plumbed = pdf.pages
    if doc is not None and len(doc) != len(plumbed):
        log.debug("pdfium sees %d pages, pdfplumber %d: pdfplumber reads", len(doc), len(plumbed))
        doc = None
    for i, page in enumerate(plumbed):
        if doc is None or not pdfium_page.stands_in(page):
            yield as_it_reads(page)
            continue
        try:
            yield pdfium_page.read_page(doc, i, page)
        except pdfium_page.PdfiumError as exc:
            log.debug("pdfium cannot read page %d (%s): pdfplumber reads it", i + 1, exc)
            yield as_it_reads(page)


@contextlib.contextmanager
def deep_structures() -> Iterator[None]:
    """Let the reader walk a deep but valid structure (a page tree nested 3000 levels, which
    pdfminer walks recursively) by raising Python's recursion limit for the block."""
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(max(before, RECURSION_LIMIT))
    try:
        yield
    finally:
        sys.setrecursionlimit(before)


def check_magic(data: bytes) -> None:
    """Raise when the bytes are empty or carry no PDF header in their first kilobyte."""
    if not data:
        raise EmptyFileError("the file is empty (0 bytes).")
    if PDF_MAGIC not in data[:1024]:
        raise NotAPdfError("the file is not a PDF (no %PDF- header).")


def raised_by_reader(exc: BaseException) -> bool:
    """Return whether an exception was raised inside pdfminer or pdfplumber (a damaged PDF
    trips them up) rather than in this package's own code: the innermost frame that is either's
    decides (frames of the standard library below it count for their caller)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if any(part in frame.filename for part in READER_PACKAGES):
            return True
        if frame.filename.startswith(PACKAGE_DIR):
            return False
    return False


def classify_error(exc: Exception) -> Exception:
    """Return the DocumentError that explains a pdfminer/pdfplumber failure in one sentence."""
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
        return EncryptedPdfError("the PDF is encrypted with a password; remove it or decrypt it.")
    log.debug("the reader failed: %s", _name(cause))
    why = next((said for pattern, said in READER_FAILURES if pattern.search(_name(cause))), None)
    detail = f": {why}" if why else ""
    return DamagedPdfError(f"the PDF is truncated or damaged and cannot be read{detail}.")


def _name(exc: object) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def as_it_reads(page: pdfplumber.page.Page) -> pdfplumber.page.Page:
    """Return the page in the frame its text reads in: a page whose /Rotate turns text that
    was set upright sideways or upside down (most of its glyphs then read in another
    direction) is read as if unrotated; a landscape table drawn turned on a page whose /Rotate
    turns it back reads upright already and is kept."""
    if not page.rotation or sum(map(_reads_forward, page.chars)) * 2 >= len(page.chars):
        return page
    obj = page.page_obj
    obj.attrs = {**obj.attrs, "Rotate": 0}
    obj.rotate = 0
    page.close()
    return pdfplumber.page.Page(page.pdf, obj, page.page_number, page.initial_doctop)


def _reads_forward(char: dict[str, Any]) -> bool:
    """Return whether a glyph stands upright and reads left to right (italic shear allowed)."""
    a, b, _, d = char["matrix"][:4]
    return a > 0 and d > 0 and abs(b) < a / 4


def _read_page(page: pdfplumber.page.Page) -> dict[str, Any]:
    """Return one page: size, body lines (tables left out, a marker where each stands), its
    tables, where its text came from and how many glyphs had no Unicode mapping."""
    try:
        chars, n_hidden = page_chars(page)
        head = {
            "page_no": page.page_number,
            "width": round(float(page.width), 2),
            "height": round(float(page.height), 2),
            "n_chars_raw": len(page.chars),
            "n_unreadable": count_unreadable(chars),
        }
        notes = page_notes(page, n_hidden)
        reason = ocr.ocr_reason(page, chars)
        if reason is not None:
            lines = ocr.ocr_page(page, scanned=reason == ocr.SCAN)
            if reason != ocr.SCAN:
                notes.append(f"page {page.page_number}: its text layer does not read as text "
                             f"({reason}), so it was read by OCR")  # fmt: skip
            if ocr.render_resolution(page) < ocr.RESOLUTION:
                notes.append(f"page {page.page_number}: so large that it was read by OCR at "
                             f"{ocr.render_resolution(page)} dpi")  # fmt: skip
            return {**head, "source": "ocr", "ocr_reason": reason, "lines": lines, "tables": [],
                    "notes": notes}  # fmt: skip
        tables = find_tables(page)
        boxes = [t["bbox"] for t in tables]
        lines = group_lines([c for c in chars if not _in_any(c, boxes)] if boxes else chars)
        fields = form_field_lines(page)
        if fields:
            lines += fields
            what = "value" if len(fields) == 1 else "values"
            notes.append(f"page {page.page_number}: {len(fields)} form field {what} read as text")
        lines += [{"table": i, "top": t["bbox"][1], "text": ""} for i, t in enumerate(tables)]
        lines.sort(key=lambda ln: ln["top"])
        if not lines and not notes:
            notes.append(f"page {page.page_number}: no text and no image")
        return {**head, "source": "text", "lines": lines, "tables": tables, "notes": notes}
    finally:
        page.close()


def form_field_lines(page: pdfplumber.page.Page) -> list[dict[str, Any]]:
    """Return a line for each filled-in form field of the page (its /V value, placed where the
    field's box stands), unless the page's own text already says the same (an appearance the
    reader drew)."""
    annots = page.annots
    text = "".join(c["text"] for c in page.chars) if annots else ""
    lines = []
    for annot in annots:
        value = resolve1((annot.get("data") or {}).get("V"))
        value = decode_text(value) if isinstance(value, bytes) else value
        if not isinstance(value, str) or not value.strip() or value.strip() in text:
            continue
        height = float(annot["bottom"]) - float(annot["top"])
        lines.append({"text": value.strip(), "x0": round(float(annot["x0"]), 2),
                      "x1": round(float(annot["x1"]), 2), "top": round(float(annot["top"]), 2),
                      "bottom": round(float(annot["bottom"]), 2),
                      "size": round(min(max(height * 0.6, 6.0), 24.0), 2)})  # fmt: skip
    return lines


def _nothing_to_read(pages: list[dict[str, Any]]) -> str:
    """Return the sentence for a PDF none of whose pages gave anything to read."""
    if any("could not be decoded" in note for page in pages for note in page["notes"]):
        return "the PDF has no readable content: its page content could not be decoded."
    if any(page["source"] == "ocr" for page in pages):
        return "the PDF has no readable content: OCR found no text on its scanned pages."
    return (f"the PDF has no readable content: none of its {len(pages)} pages holds text, an "
            "image to read or a form field.")  # fmt: skip


def page_notes(page: pdfplumber.page.Page, n_hidden: int) -> list[str]:
    """Return what a reader of the tables should know about a page: content streams that could
    not be decoded (the page then reads as empty), hidden text left out."""
    notes = []
    undecoded = sum(1 for stream in _content_streams(page)
                    if _stored_length(stream) and not stream.get_data())  # fmt: skip
    if undecoded:
        notes.append(f"page {page.page_number}: its content could not be decoded and reads as "
                     "empty")  # fmt: skip
    if n_hidden:
        what = "character" if n_hidden == 1 else "characters"
        notes.append(f"page {page.page_number}: {n_hidden} {what} of hidden text (white on the "
                     "white page) left out")  # fmt: skip
    return notes


def _content_streams(page: pdfplumber.page.Page) -> list[Any]:
    streams = getattr(page.page_obj, "contents", None) or []
    return [s for s in streams if hasattr(s, "attrs") and hasattr(s, "get_data")]


def _stored_length(stream: Any) -> int:
    """Return how many bytes a stream holds in the file (its /Length)."""
    length = resolve1(stream.attrs.get("Length", 0))
    return length if isinstance(length, int) else 0


def readable_chars(page: pdfplumber.page.Page) -> list[dict[str, Any]]:
    """Return the page's upright, visible glyphs, fake-bold doubles merged. Rotated glyphs
    (chart axis labels) and white glyphs on no dark ground (hidden text) are left out."""
    return page_chars(page)[0]


def page_chars(page: pdfplumber.page.Page) -> tuple[list[dict[str, Any]], int]:
    """Return the page's readable glyphs (`readable_chars`) and how many hidden ones were left
    out."""
    upright = [c for c in page.chars if c.get("upright", True)]
    visible = visible_chars(page, upright)
    return dedupe_chars(visible), len(upright) - len(visible)


def visible_chars(page: pdfplumber.page.Page, chars: list[dict[str, Any]]) -> list[dict]:
    """Return the chars a reader sees: a white glyph counts only on a filled, non-white shape
    or an image (white text on a coloured table header), not on the white page."""
    colours = {_colour_key(c.get("non_stroking_color")) for c in chars}
    white = {key for key in colours if is_white(key)}
    if not white:
        return chars
    grounds = [o for o in page.rects + page.curves
               if o.get("fill") and not is_white(o.get("non_stroking_color"))] + page.images
    return [c for c in chars if _colour_key(c.get("non_stroking_color")) not in white
            or any(_inside(c, g) for g in grounds)]  # fmt: skip


def _colour_key(color: Any) -> Any:
    """Return a colour as a hashable value (pdfminer may give a list)."""
    return tuple(color) if isinstance(color, list) else color


def is_white(color: Any) -> bool:
    """Return whether a fill colour is white: gray 1, RGB 1 1 1 or CMYK 0 0 0 0."""
    if color is None or isinstance(color, str):
        return False
    values = [float(v) for v in (color if isinstance(color, (list, tuple)) else [color])
              if isinstance(v, (int, float))]  # fmt: skip
    if len(values) == 4:
        return all(v <= 0.01 for v in values)
    return len(values) in (1, 3) and all(v >= 0.99 for v in values)


def _inside(char: dict[str, Any], ground: dict[str, Any]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return ground["x0"] <= x <= ground["x1"] and ground["top"] <= y <= ground["bottom"]


def dedupe_chars(chars: Iterable[dict[str, Any]], tol: float = DEDUPE_TOLERANCE) -> list[dict]:
    """Return the chars without fake-bold doubles: the same glyph struck again within `tol`
    points of where it already stands."""
    kept: list[dict[str, Any]] = []
    seen: dict[tuple[str, int], list[float]] = {}
    for char in chars:
        text, row = char["text"], round(char["top"] / tol)
        if not text.isspace() and _struck_again(char, seen, row, tol):
            continue
        seen.setdefault((text, row), []).append(char["x0"])
        kept.append(char)
    return kept


def _struck_again(char: dict[str, Any], seen: dict, row: int, tol: float) -> bool:
    """Return whether the same glyph already stands where char stands (in its row of `tol`
    points or the rows beside it)."""
    x0, reach = char["x0"], None
    for r in (row - 1, row, row + 1):
        xs = seen.get((char["text"], r))
        if xs:
            if reach is None:
                # in a tiny font two like digits (11) stand closer than `tol`: a double is
                # struck within a fraction of its own glyph's width
                reach = min(tol, DOUBLE_SHARE * (char["x1"] - x0))
            if any(abs(x0 - x) <= reach for x in xs):
                return True
    return False


def count_unreadable(chars: list[dict[str, Any]]) -> int:
    """Return how many glyphs have no Unicode mapping: `(cid:N)` or U+FFFD."""
    return sum(1 for c in chars if c["text"].startswith("(cid:") or c["text"] == "\ufffd")


def _in_any(char: dict[str, Any], boxes: list[list[float]]) -> bool:
    cx, cy = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)


def _drop_furniture(pages: list[dict[str, Any]]) -> None:
    """Move header, footer and page-number lines from each page's lines to its 'furniture'."""
    for page, drop in zip(pages, find_furniture(pages), strict=True):
        page["furniture"] = [ln["text"] for i, ln in enumerate(page["lines"]) if i in drop]
        page["lines"] = [ln for i, ln in enumerate(page["lines"]) if i not in drop]
