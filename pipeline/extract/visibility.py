"""Which glyphs of a page a reader sees on the rendered page: those whose centre stands on the
page (its crop box) and inside the clip path of their text object. A text frame that runs over a
page break (a WPS or Excel export's long 说明 cell, a table cell at a page's foot) is drawn whole
on both pages and clipped to each; read without its clip, its text is read twice (pdftotext
heeds the page's box, not clip paths, and reads it twice)."""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from pipeline.extract import pdfium_raw as fx

# How far (points) a glyph's centre may stand outside the page or its clip path and still be
# seen.
CLIP_TOLERANCE = 1.0
Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF coordinates


class Visibility:
    """Whether a reader sees a glyph of one page. A text object inside a form is tested against
    the page only (its clip path is in the form's space)."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        self.page = tuple(page.get_cropbox())
        handle = fx.address(page.raw)
        objects = (fx.get_object(handle, i) for i in range(fx.count_objects(handle)))
        # the text objects the page draws itself (not inside a form)
        self.direct = {obj for obj in objects if fx.object_type(obj) == raw.FPDF_PAGEOBJ_TEXT}
        self.clips: dict[int, Box | None] = {}
        self.whole: dict[int | None, bool] = {}  # by text object: all its glyphs are seen
        self.point = ctypes.c_float(), ctypes.c_float()
        self.bounds = tuple(ctypes.c_float() for _ in range(4))

    def sees(self, obj: int | None, x: float, y: float) -> bool:
        """Return whether a glyph of text object obj centred at (x, y) is seen."""
        whole = self.whole.get(obj)
        if whole is None:
            whole = self.whole[obj] = self._seen_whole(obj)
        if whole:
            return True
        clip = self.clips.get(obj)
        return _within(self.page, x, y) and (clip is None or _within(clip, x, y))

    def _seen_whole(self, obj: int | None) -> bool:
        """Return whether every glyph of a text object is seen: its box stands inside the page
        and inside its clip path (each glyph is tested when it does not)."""
        if obj is None or obj not in self.direct:
            return False
        clip = self.clips[obj] = self._clip_box(obj)
        left, bottom, right, top = self.bounds
        fx.object_bounds(obj, left, bottom, right, top)
        box = (left.value, bottom.value, right.value, top.value)
        return _inside(box, self.page) and (clip is None or _inside(box, clip))

    def _clip_box(self, obj: int) -> Box | None:
        """Return the box a page object's clip paths leave visible (the boxes of its paths
        intersected), None when it has none."""
        clip = fx.clip_path(obj)
        if not clip:
            return None
        x, y = self.point
        boxes = []
        for path in range(fx.clip_count_paths(clip)):
            xs, ys = [], []
            for i in range(fx.clip_count_segments(clip, path)):
                if fx.segment_point(fx.clip_segment(clip, path, i), x, y):
                    xs.append(x.value)
                    ys.append(y.value)
            if xs:
                boxes.append((min(xs), min(ys), max(xs), max(ys)))
        if not boxes:
            return None
        lefts, bottoms, rights, tops = zip(*boxes, strict=True)
        return max(lefts), max(bottoms), min(rights), min(tops)


def _inside(inner: Box, outer: Box) -> bool:
    """Return whether a box stands inside another (CLIP_TOLERANCE aside)."""
    return _within(outer, inner[0], inner[1]) and _within(outer, inner[2], inner[3])


def _within(box: Box, x: float, y: float) -> bool:
    left, bottom, right, top = box
    return (left - CLIP_TOLERANCE <= x <= right + CLIP_TOLERANCE
            and bottom - CLIP_TOLERANCE <= y <= top + CLIP_TOLERANCE)  # fmt: skip
