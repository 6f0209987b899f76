"""Pages read through pdfium, in the records pdfplumber gives: glyphs here, shapes and images
in `pdfium_shapes`. pdfium reads a page's text about 28 times faster than pdfminer, and a
`PdfiumPage` answers what the extract stage asks of a pdfplumber page without laying it out.
"""

from __future__ import annotations

import ctypes
import functools
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pdfminer.pdfexceptions import PDFException
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import LIT, PSException
from pdfplumber import utils
from pypdfium2 import PdfiumError

from pipeline.extract import forms
from pipeline.extract import pdfium_raw as fx
from pipeline.extract.pdfium_shapes import (
    Matrix,
    Shapes,
    fill_color,
    matrix_of,
    page_shapes,
    placed,
    rgb,
)
from pipeline.extract.visibility import Visibility

Char = dict[str, Any]


# The only characters pdfium invents (spaces and line breaks): no other needs asking whether it
# is generated.
INVENTED = frozenset((0x20, 0x0D, 0x0A))
# A glyph's loose box this many font sizes wide is a vertical-writing glyph's…
VERTICAL_WIDTH = 2.0
# … which stands on its origin less this share of its size (1000 - 880 above it).
VERTICAL_DROP = 0.88


def read_chars(
    textpage: pdfium.PdfTextPage, mb_top: float, seen: Visibility | None = None
) -> list[Char]:
    """Return the page's glyphs as pdfplumber gives them (text, fontname, size, x0, x1, top,
    bottom, upright, matrix, non_stroking_color), in the order they are drawn. pdfium's
    invented spaces and line breaks are left out, except where one stands for a space the text
    object holds (pdfium puts its own in place of a text object's trailing space), and so are
    glyphs `seen` says a reader does not see. `mb_top` is the top of the media box in PDF
    coordinates: pdfplumber's `top` is measured down from it."""
    tp = fx.address(textpage.raw)
    reader = _CharReader(tp, mb_top, seen)
    chars: list[Char] = []
    n = fx.count_chars(tp)
    generated, unicode = fx.char_generated, fx.char_unicode
    for i in range(n):
        code = unicode(tp, i)
        if code in INVENTED and generated(tp, i) == 1:
            continue
        if code in (0, 0xFFFE, 0xFFFF) or 0xDC00 <= code <= 0xDFFF:
            continue  # pdfium's marker of a char it could not place, or a pair's second half
        if 0xD800 <= code <= 0xDBFF and i + 1 < n:  # a character beyond the BMP, as a pair
            low = unicode(tp, i + 1)
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        char = reader.char(i, code)
        if char is not None:
            chars.append(char)
    return chars


def blank_finder(textpage: pdfium.PdfTextPage, mb_top: float) -> tuple[list[Char], Any]:
    """Return a list and a callback for `page_shapes` to hand every text object to: the list
    gets a space char for each text object that draws only spaces and that pdfium's text page
    left out (it puts its own invented space in their place, or none). pdfminer reads each as
    a glyph, and the space it makes between words counts."""
    found: list[Char] = []
    bounds = tuple(ctypes.c_float() for _ in range(4))
    tp = fx.address(textpage.raw)

    def on_text(obj: int, ctm: Matrix) -> None:
        if _is_blank(obj, tp, bounds):
            found.append(_space(obj, placed(obj, ctm), mb_top))

    return found, on_text


def _is_blank(obj: int, tp: int, bounds: tuple[ctypes.c_float, ...]) -> bool:
    """Return whether a text object draws nothing (its glyphs have no outline: spaces) and
    the text page holds none of its chars (`bounds`: four floats to read its box into)."""
    left, bottom, right, top = bounds
    fx.object_bounds(obj, left, bottom, right, top)
    if right.value - left.value > 0.01 or top.value - bottom.value > 0.01:
        return False
    return fx.text_object_text(obj, tp, None, 0) <= 2  # the terminating NUL alone


def _space(obj: int, matrix: Matrix, mb_top: float) -> Char:
    """Return a space char standing at a text object's origin, as tall as its font size."""
    size_c = ctypes.c_float()
    fx.text_object_font_size(obj, size_c)
    size = size_c.value * abs(matrix[3])
    descent = ctypes.c_float()
    font = fx.text_object_font(obj)
    if not (font and fx.font_descent(font, size_c.value, descent)):
        descent.value = 0.0
    x, y = matrix[4], matrix[5] + descent.value * abs(matrix[3])
    return {"text": " ", "fontname": "", "size": size, "x0": x, "x1": x,
            "top": mb_top - y - size, "bottom": mb_top - y,
            "upright": upright(matrix), "matrix": matrix,
            "non_stroking_color": fill_color(obj)}  # fmt: skip


def upright(matrix: Matrix) -> bool:
    """Return whether text drawn through a matrix stands upright, as pdfminer judges it."""
    return matrix[0] * matrix[3] > 0 and matrix[1] * matrix[2] <= 0


class _CharReader:
    """Reads one glyph of a text page at a time into a pdfplumber char record. What a glyph
    shares with its text object (matrix, font size, font, colour) is read once per object."""

    def __init__(self, tp: int, mb_top: float, seen: Visibility | None = None) -> None:
        self.tp, self.mb_top = tp, mb_top  # tp: the text page's address (`pdfium_raw`)
        self.seen = seen
        self.box = raw.FS_RECTF()
        self.ox, self.oy = ctypes.c_double(), ctypes.c_double()
        self.styles: dict[int, dict[str, Any]] = {}  # by text object address
        self.fonts: dict[int, str] = {}  # base font names by font address
        self.mat, self.rgba = raw.FS_MATRIX(), [ctypes.c_uint() for _ in range(4)]

    def char(self, i: int, code: int) -> Char | None:
        """Return the record of glyph i, whose Unicode value is code (None for a glyph no reader
        sees)."""
        tp, box = self.tp, self.box
        obj = fx.char_text_object(tp, i)  # its address, or None
        style = self.styles.get(obj) or self._style(i, obj)
        matrix, size = style["matrix"], style["font_size"]
        if not fx.char_loose_box(tp, i, box):
            fx.char_origin(tp, i, self.ox, self.oy)
            box.left = box.right = self.ox.value
            box.bottom = box.top = self.oy.value
        if self.seen and not self.seen.sees(obj, (box.left + box.right) / 2,
                                            (box.bottom + box.top) / 2):  # fmt: skip
            return None
        x0, x1, bottom, height = _char_box(box, matrix, size)
        return {
            # U+FFFD for a glyph the font maps to no character (pdfminer writes `(cid:N)`, or
            # reads a simple font's char code as the character)
            "text": "\ufffd" if fx.char_map_error(tp, i) == 1 else chr(code),
            "fontname": style["fontname"],
            "size": height,
            "x0": x0,
            "x1": x1,
            "top": self.mb_top - bottom - height,
            "bottom": self.mb_top - bottom,
            "upright": style["upright"],
            "matrix": matrix,
            "non_stroking_color": style["non_stroking_color"],
        }

    def _style(self, i: int, obj: int | None) -> dict[str, Any]:
        """Return what glyph i shares with the other glyphs of its text object (obj), read
        from pdfium and kept for that object's other glyphs."""
        tp, mat, rgba = self.tp, self.mat, self.rgba
        fx.char_matrix(tp, i, mat)
        fx.char_fill(tp, i, *rgba)
        matrix = matrix_of(mat)
        style = {
            "matrix": matrix,
            "font_size": fx.char_font_size(tp, i),
            "fontname": self._font_name(i, obj),
            "upright": upright(matrix),
            "non_stroking_color": rgb(rgba),
        }
        if obj:
            self.styles[obj] = style
        return style

    def _font_name(self, i: int, obj: int | None) -> str:
        """Return the base font name of glyph i (of text object obj), read once per font."""
        font = fx.text_object_font(obj) if obj else None
        if not font:
            return _font_name(self.tp, i)
        if font not in self.fonts:
            self.fonts[font] = _font_name(self.tp, i)
        return self.fonts[font]


def _char_box(box: raw.FS_RECTF, matrix: Matrix, size: float) -> tuple[float, ...]:
    """Return a glyph's x0, x1, bottom (PDF coordinates) and height as pdfminer makes them: as
    wide as its advance, as tall as its font size (pdfium's loose box is as tall as the font's
    ascent and descent), standing on its descent."""
    left, right, low, high = box.left, box.right, box.bottom, box.top
    x0, x1 = (left, right) if left <= right else (right, left)
    bottom, top = (low, high) if low <= high else (high, low)
    b, c, d = matrix[1], matrix[2], matrix[3]
    if b != 0 or c != 0:
        return x0, x1, bottom, top - bottom
    height = abs(d) * size
    if x1 - x0 > VERTICAL_WIDTH * height:
        # a glyph of a vertical-writing font, whose loose box pdfium runs far to the right:
        # pdfminer centres it on its origin and hangs it below (default metrics, 880 / -1000)
        return x0, x0 + height, matrix[5] - VERTICAL_DROP * height, height
    return x0, x1, bottom, height


def _font_name(tp: int, i: int) -> str:
    """Return the base font name of glyph i."""
    buf = ctypes.create_string_buffer(256)
    n = fx.char_font_info(tp, i, buf, len(buf), None)
    return buf.raw[: max(n - 1, 0)].decode("utf-8", "replace")


# --------------------------------------------------------------------------- the page


class PdfiumPage:
    """A page read through pdfium standing in for its pdfplumber page: glyphs, shapes and
    images from pdfium; annotations, the content streams and the rendering for OCR from the
    pdfplumber page, none of which lays it out."""

    def __init__(self, plumber_page: Any, chars: list[Char], shapes: Shapes,
                 n_annots: int) -> None:  # fmt: skip
        self.plumber = plumber_page
        self.chars = chars
        self.rects, self.lines = shapes["rects"], shapes["lines"]
        self.curves, self.images = shapes["curves"], shapes["images"]
        self.n_annots = n_annots
        self.page_number = plumber_page.page_number
        self.rotation = plumber_page.rotation
        self.page_obj = plumber_page.page_obj
        self.bbox = plumber_page.bbox
        self.width = plumber_page.width
        self.height = plumber_page.height

    @functools.cached_property
    def edges(self) -> list[dict[str, Any]]:
        """Return the edges of the page's lines, rects and curves, as pdfplumber makes them,
        with the keys its table finder reads (EDGE_KEYS): it copies an edge each time it
        moves or extends one, and a rect's edge would carry all of the rect's keys."""
        return (
            [line_edge(line) for line in self.lines]
            + [e for rect in self.rects for e in rect_edges(rect)]
            + [e for curve in self.curves for e in utils.curve_to_edges(curve)]
        )

    @property
    def annots(self) -> list[dict[str, Any]]:
        return self.plumber.annots if self.n_annots else []

    def to_image(self, **kwargs: Any) -> Any:
        return self.plumber.to_image(**kwargs)  # pdfplumber renders through pdfium

    def close(self) -> None:
        self.plumber.close()


# The keys of an edge pdfplumber's table finder reads (those curve_to_edges gives an edge).
EDGE_KEYS = ("x0", "x1", "top", "doctop", "bottom", "width", "height")


def line_edge(line: dict[str, Any]) -> dict[str, Any]:
    """Return a line's edge as pdfplumber's line_to_edge makes it, with EDGE_KEYS alone."""
    return {"object_type": line["object_type"], **{k: line[k] for k in EDGE_KEYS},
            "orientation": "h" if line["top"] == line["bottom"] else "v"}  # fmt: skip


def rect_edges(rect: dict[str, Any]) -> list[dict[str, Any]]:
    """Return a rect's top, bottom, left and right edges as pdfplumber's rect_to_edges makes
    them, with EDGE_KEYS alone."""
    x0, x1, top, bottom = rect["x0"], rect["x1"], rect["top"], rect["bottom"]
    doctop, width, height = rect["doctop"], rect["width"], rect["height"]
    kind = "rect_edge"
    return [
        {"object_type": kind, "x0": x0, "x1": x1, "top": top, "doctop": doctop,
         "bottom": top, "width": width, "height": 0, "orientation": "h"},
        {"object_type": kind, "x0": x0, "x1": x1, "top": top + height,
         "doctop": doctop + height, "bottom": bottom, "width": width, "height": 0,
         "orientation": "h"},
        {"object_type": kind, "x0": x0, "x1": x0, "top": top, "doctop": doctop,
         "bottom": bottom, "width": 0, "height": height, "orientation": "v"},
        {"object_type": kind, "x0": x1, "x1": x1, "top": top, "doctop": doctop,
         "bottom": bottom, "width": 0, "height": height, "orientation": "v"},
    ]  # fmt: skip


def read_page(doc: pdfium.PdfDocument, index: int, plumber_page: Any) -> PdfiumPage:
    """Return the page at index read through pdfium, standing in for its pdfplumber page."""
    page = doc[index]
    try:
        height = float(plumber_page.height)  # pdfium's, in single precision, rounds apart
        textpage = page.get_textpage()
        try:
            blanks, on_text = blank_finder(textpage, height)
            shapes = page_shapes(page, height, on_text)
            chars = read_chars(textpage, height, Visibility(page)) + blanks
        finally:
            textpage.close()
        n_annots = max(raw.FPDFPage_GetAnnotCount(page.raw), 0)
        return PdfiumPage(plumber_page, chars, shapes, n_annots)
    finally:
        page.close()


def stands_in(plumber_page: Any) -> bool:
    """Return whether pdfium can read a page as pdfminer does: it is not turned by /Rotate
    and draws no text in a CID font the file does not embed (pdfium's text page leaves out
    glyphs of such a font it has no outline for, as reportlab's STSong-Light digits), and
    does not draw forms inside forms past counting (`forms.form_draws`)."""
    if plumber_page.rotation or _draws_too_many_forms(plumber_page):
        return False
    fonts = resolve1((resolve1(plumber_page.page_obj.resources) or {}).get("Font")) or {}
    return not any(_unembedded_cid(resolve1(font)) for font in fonts.values())


def _draws_too_many_forms(plumber_page: Any) -> bool:
    """Return whether the page's forms, drawn inside each other, would be drawn so often that
    pdfium's layout of them would take the machine's memory (or its forms cannot be counted)."""
    try:
        return forms.form_draws(plumber_page.page_obj) > forms.MAX_FORM_DRAWS
    except (PSException, PDFException, ValueError, TypeError, KeyError, AttributeError):
        return True


def _unembedded_cid(font: Any) -> bool:
    """Return whether a font dictionary is a composite (CID) font without its font file."""
    if not isinstance(font, dict) or resolve1(font.get("Subtype")) != LIT("Type0"):
        return False
    for descendant in resolve1(font.get("DescendantFonts")) or []:
        descriptor = resolve1((resolve1(descendant) or {}).get("FontDescriptor")) or {}
        if not any(key in descriptor for key in ("FontFile", "FontFile2", "FontFile3")):
            return True
    return False


def open_document(data: bytes) -> pdfium.PdfDocument | None:
    """Return the PDF opened by pdfium, or None when pdfium cannot open it (pdfplumber, which
    opened it first, then reads it alone)."""
    try:
        return pdfium.PdfDocument(data)
    except PdfiumError:
        return None
