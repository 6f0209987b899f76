"""pdfium's functions with its handles (of a page, page object, path segment, font or text page)
as plain ints, for the calls made once per glyph, page object or path segment. Through
pypdfium2's bindings ctypes allocates a pointer object for every handle a call gives back and
checks the type of every one it is given, which costs more than many of those calls do.

pdfium is used by one thread at a time (pypdfium2 says so), as everywhere in this package.
"""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2.raw as raw


def _plain(kind: Any) -> Any:
    """Return c_void_p for a pdfium handle type (a pointer to an opaque struct_fpdf_… struct),
    else the type itself."""
    target = getattr(kind, "_type_", None)
    is_handle = isinstance(target, type) and issubclass(target, ctypes.Structure)
    return ctypes.c_void_p if is_handle and target.__name__.startswith("struct_fpdf_") else kind


def by_address(func: Any) -> Any:
    """Return a pypdfium2 function that takes and gives handles as ints (NULL as None)."""
    proto = ctypes.CFUNCTYPE(_plain(func.restype), *map(_plain, func.argtypes))
    return proto(ctypes.cast(func, ctypes.c_void_p).value)


def address(handle: Any) -> int:
    """Return the address a pypdfium2 handle holds (0 for NULL)."""
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


count_objects = by_address(raw.FPDFPage_CountObjects)
get_object = by_address(raw.FPDFPage_GetObject)
object_type = by_address(raw.FPDFPageObj_GetType)
object_matrix = by_address(raw.FPDFPageObj_GetMatrix)
object_bounds = by_address(raw.FPDFPageObj_GetBounds)
fill_rgba = by_address(raw.FPDFPageObj_GetFillColor)
form_count = by_address(raw.FPDFFormObj_CountObjects)
form_object = by_address(raw.FPDFFormObj_GetObject)
count_segments = by_address(raw.FPDFPath_CountSegments)
path_segment = by_address(raw.FPDFPath_GetPathSegment)
draw_mode = by_address(raw.FPDFPath_GetDrawMode)
segment_point = by_address(raw.FPDFPathSegment_GetPoint)
segment_type = by_address(raw.FPDFPathSegment_GetType)
segment_closes = by_address(raw.FPDFPathSegment_GetClose)
text_object_text = by_address(raw.FPDFTextObj_GetText)
text_object_font_size = by_address(raw.FPDFTextObj_GetFontSize)
text_object_font = by_address(raw.FPDFTextObj_GetFont)
font_descent = by_address(raw.FPDFFont_GetDescent)
char_text_object = by_address(raw.FPDFText_GetTextObject)
count_chars = by_address(raw.FPDFText_CountChars)
char_unicode = by_address(raw.FPDFText_GetUnicode)
char_generated = by_address(raw.FPDFText_IsGenerated)
char_map_error = by_address(raw.FPDFText_HasUnicodeMapError)
char_loose_box = by_address(raw.FPDFText_GetLooseCharBox)
char_origin = by_address(raw.FPDFText_GetCharOrigin)
char_matrix = by_address(raw.FPDFText_GetMatrix)
char_fill = by_address(raw.FPDFText_GetFillColor)
char_font_size = by_address(raw.FPDFText_GetFontSize)
char_font_info = by_address(raw.FPDFText_GetFontInfo)
clip_path = by_address(raw.FPDFPageObj_GetClipPath)
clip_count_paths = by_address(raw.FPDFClipPath_CountPaths)
clip_count_segments = by_address(raw.FPDFClipPath_CountPathSegments)
clip_segment = by_address(raw.FPDFClipPath_GetPathSegment)
