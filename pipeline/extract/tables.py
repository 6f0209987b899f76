"""Ruled tables, read cell by cell with merged cells spread over the grid positions they cover."""

from __future__ import annotations

from typing import Any

from pdfplumber.page import Page

from pipeline.extract.lines import group_lines

Box = tuple[float, float, float, float]
# Tables smaller than this (rows × cols) are frames or decoration, not tables.
MIN_CELLS = 4


def find_tables(page: Page) -> list[dict[str, Any]]:
    """Return the ruled tables of a page: bbox and a grid of cell texts (merged cells spread)."""
    tables = []
    for found in page.find_tables():
        grid = read_grid(page, found.cells)
        if grid and len(grid) * max(len(r) for r in grid) >= MIN_CELLS and len(grid[0]) > 1:
            tables.append({"bbox": [round(v, 2) for v in found.bbox], "rows": grid})
    return tables


def read_grid(page: Page, cells: list[Box]) -> list[list[str]]:
    """Return the table's texts on a rectangular grid; a merged cell fills every slot it covers."""
    xs = _edges([c[0] for c in cells] + [c[2] for c in cells])
    ys = _edges([c[1] for c in cells] + [c[3] for c in cells])
    if len(xs) < 2 or len(ys) < 2:
        return []
    grid = [["" for _ in xs[:-1]] for _ in ys[:-1]]
    chars = page.chars
    for cell in cells:
        text = cell_text(chars, cell)
        for r in _slots(ys, cell[1], cell[3]):
            for c in _slots(xs, cell[0], cell[2]):
                grid[r][c] = text
    return grid


def cell_text(chars: list[dict[str, Any]], box: Box) -> str:
    """Return the text inside a cell box, its wrapped lines joined without a break."""
    x0, top, x1, bottom = box
    inside = [
        ch
        for ch in chars
        if ch.get("upright", True)
        and x0 <= (ch["x0"] + ch["x1"]) / 2 <= x1
        and top <= (ch["top"] + ch["bottom"]) / 2 <= bottom
    ]
    return join_wrapped([line["text"] for line in group_lines(inside)])


def join_wrapped(lines: list[str]) -> str:
    """Return wrapped lines joined: no space between CJK, one space between Latin words."""
    out = ""
    for line in lines:
        if (
            out
            and out[-1].isascii()
            and out[-1].isalnum()
            and line[:1].isascii()
            and line[:1].isalpha()
        ):
            out += " "
        out += line
    return out


def _edges(values: list[float], tol: float = 1.5) -> list[float]:
    """Return the distinct coordinates among values, those within tol of each other merged."""
    edges: list[float] = []
    for v in sorted(values):
        if not edges or v - edges[-1] > tol:
            edges.append(v)
    return edges


def _slots(edges: list[float], start: float, end: float, tol: float = 1.5) -> range:
    """Return the grid slots between two coordinates."""
    first = min(range(len(edges)), key=lambda i: abs(edges[i] - start))
    last = min(range(len(edges)), key=lambda i: abs(edges[i] - end))
    return range(first, max(first + 1, last))
