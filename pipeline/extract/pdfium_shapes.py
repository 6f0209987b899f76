"""A page's shapes and images read from pdfium's page objects, in the records pdfplumber makes
of them (rects, lines, curves, images in top-left coordinates), so that pdfplumber's table
finder and the hidden-text test need no pdfminer layout of the page.

pdfminer makes one record of each subpath that is painted: a straight segment is a line, four
segments closing on a right-angled box a rect, anything else a curve through the segments' end
points; the rules are repeated here on pdfium's path segments.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from pipeline.extract import pdfium_raw as fx

Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]
Shapes = dict[str, list[dict[str, Any]]]

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# Page objects are looked into this deep (forms inside forms).
MAX_DEPTH = 15


def page_shapes(
    page: pdfium.PdfPage, height: float, on_text: Callable[[int, Matrix], None] | None = None
) -> Shapes:
    """Return the page's rects, lines, curves and images as pdfplumber gives them; `height` is
    the media box's height, from which pdfplumber measures `top` down. Each text object met on
    the way is handed to on_text (its address, `pdfium_raw`) with the matrix of the forms
    around it."""
    shapes: Shapes = {"rects": [], "lines": [], "curves": [], "images": []}
    handle = fx.address(page.raw)
    objects = [fx.get_object(handle, i) for i in range(fx.count_objects(handle))]
    _walk(objects, IDENTITY, height, shapes, 0, on_text)
    return shapes


def _walk(objects: list[int], ctm: Matrix, height: float, shapes: Shapes, depth: int,
          on_text: Callable[[int, Matrix], None] | None) -> None:  # fmt: skip
    """Add the shapes and images among page objects (and inside their forms) to shapes."""
    for obj in objects:
        kind = fx.object_type(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            if on_text is not None:
                on_text(obj, ctm)
        elif kind == raw.FPDF_PAGEOBJ_IMAGE:
            shapes["images"].append(_image(obj, ctm, height))
        elif kind == raw.FPDF_PAGEOBJ_PATH:
            for shape, record in _path_records(obj, placed(obj, ctm), height):
                shapes[shape].append(record)
        elif kind == raw.FPDF_PAGEOBJ_FORM and depth < MAX_DEPTH:
            inner = [fx.form_object(obj, i) for i in range(fx.form_count(obj))]
            _walk(inner, placed(obj, ctm), height, shapes, depth + 1, on_text)


def _image(obj: int, ctm: Matrix, height: float) -> dict[str, Any]:
    """Return an image's box: its unit square through its matrix and its forms'."""
    matrix = placed(obj, ctm)
    corners = [_apply(matrix, x, y) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
    return _box("image", corners, height)


def _path_records(path: int, matrix: Matrix, height: float) -> list[tuple[str, dict]]:
    """Return (kind, record) for each subpath of a painted path, as pdfminer classifies it."""
    records: list[tuple[str, dict]] = []
    subpaths = [(kind, pts) for kind, pts in map(_classify_subpath, _subpaths(path, matrix))
                if kind is not None]  # fmt: skip
    if not subpaths:
        return records
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    fx.draw_mode(path, fill, stroke)
    color = fill_color(path)
    for kind, pts in subpaths:
        record = _box(kind, pts if kind != "rect" else [pts[0], pts[2]], height)
        record["fill"] = bool(fill.value)
        record["stroke"] = bool(stroke.value)
        record["non_stroking_color"] = color
        if kind == "curve":
            record["pts"] = [(x, height - y) for x, y in pts]
        records.append((kind + "s", record))
    return records


def _subpaths(path: int, matrix: Matrix) -> list[tuple[str, list[Point]]]:
    """Return the path's subpaths as pdfminer sees them: the operators (m, l, c, h) and the
    end point of each, in page coordinates (as `_apply` gives them); a Bézier curve's three
    points are one `c`."""
    a, b, c, d, e, f = matrix
    get_segment, get_point = fx.path_segment, fx.segment_point
    get_type, get_close = fx.segment_type, fx.segment_closes
    subpaths: list[tuple[str, list[Point]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    shape: list[str] = []
    pts: list[Point] = []
    curve = 0
    for i in range(fx.count_segments(path)):
        seg = get_segment(path, i)
        get_point(seg, x, y)
        px, py = x.value, y.value
        point = (round(a * px + c * py + e, 4), round(b * px + d * py + f, 4))
        kind = get_type(seg)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            if shape:
                subpaths.append(("".join(shape), pts))
            shape, pts = ["m"], [point]
        elif kind == raw.FPDF_SEGMENT_BEZIERTO:
            curve += 1
            if curve % 3 == 0:  # the curve's end point, after its two control points
                shape.append("c")
                pts.append(point)
        else:
            shape.append("l")
            pts.append(point)
        if get_close(seg) and pts:
            shape.append("h")
            pts.append(pts[0])
    if shape:
        subpaths.append(("".join(shape), pts))
    return subpaths


def _classify_subpath(subpath: tuple[str, list[Point]]) -> tuple[str | None, list[Point]]:
    return _classify(*subpath)


def _classify(shape: str, pts: list[Point]) -> tuple[str | None, list[Point]]:
    """Return what pdfminer makes of a subpath (line, rect or curve; None for none) and its
    points, a redundant last segment before the closing one dropped."""
    if shape[:1] != "m":
        return None, pts
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape, pts = shape[:-2] + "h", pts[:-2] + pts[-1:]
    if shape in ("mlh", "ml"):
        return "line", pts[:2]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        closed = pts[0] == pts[4]
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if closed and square:
            return "rect", pts
    return "curve", pts


def _box(kind: str, pts: list[Point], height: float) -> dict[str, Any]:
    """Return a pdfplumber record of the box around points (PDF coordinates)."""
    x0, x1 = min(p[0] for p in pts), max(p[0] for p in pts)
    y0, y1 = min(p[1] for p in pts), max(p[1] for p in pts)
    return {"object_type": kind, "x0": x0, "x1": x1, "y0": y0, "y1": y1,
            "top": height - y1, "bottom": height - y0, "doctop": height - y1,
            "width": x1 - x0, "height": y1 - y0}  # fmt: skip


def fill_color(obj: int) -> tuple[float, float, float]:
    """Return an object's fill colour as RGB in 0…1."""
    fx.fill_rgba(obj, *_RGBA)
    return rgb(_RGBA)


def rgb(rgba: tuple[ctypes.c_uint, ...] | list[ctypes.c_uint]) -> tuple[float, float, float]:
    """Return the RGB in 0…1 of four colour channels pdfium read (0…255, alpha last)."""
    return (rgba[0].value / 255, rgba[1].value / 255, rgba[2].value / 255)


_RGBA = tuple(ctypes.c_uint() for _ in range(4))  # read into by one call at a time


def placed(obj: int, ctm: Matrix) -> Matrix:
    """Return a page object's matrix on the page: its own, then its forms' (`ctm`)."""
    return _compose(_matrix(obj), ctm)


def _matrix(obj: int) -> Matrix:
    m = raw.FS_MATRIX()
    if not fx.object_matrix(obj, m):
        return IDENTITY
    return matrix_of(m)


def matrix_of(m: raw.FS_MATRIX) -> Matrix:
    """Return a matrix pdfium read as the six numbers pdfplumber keeps."""
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(m: Matrix, n: Matrix) -> Matrix:
    """Return the matrix that applies m, then n."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
            e * p + f * r + t, e * q + f * s + u)  # fmt: skip


def _apply(m: Matrix, x: float, y: float) -> Point:
    """Return the point through the matrix, to 4 decimals: pdfium keeps coordinates in single
    precision (73.985 is 73.98500061), and rounded they are the file's numbers as pdfminer
    reads them (a table's box then rounds to 73.98 in both)."""
    return (round(m[0] * x + m[2] * y + m[4], 4), round(m[1] * x + m[3] * y + m[5], 4))
