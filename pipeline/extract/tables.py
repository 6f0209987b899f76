"""Ruled tables, read cell by cell with merged cells spread over the grid positions they cover."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from itertools import groupby
from typing import Any

from pdfplumber.page import Page

from pipeline.extract.lines import group_lines

Box = tuple[float, float, float, float]
# Tables smaller than this (rows × cols) are frames or decoration, not tables.
MIN_CELLS = 4
# A full-width cell with at least this many characters of punctuated text is prose in a frame.
PROSE_MIN_CHARS = 30
# A cell line that is one number, as in the value columns of a table.
NUMBER_LINE = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")


def find_tables(page: Page) -> list[dict[str, Any]]:
    """Return the ruled tables of a page: bbox and a grid of cell texts (merged cells spread).

    Prose inside a ruled frame is not a table: rows that are one full-width cell of running
    text are left out (their text stays in the page body), and what remains must still have
    two columns and four cells.
    """
    tables = []
    for found in page.find_tables():
        xs, ys, grid, covered = read_grid(page, found.cells)
        for first, last in table_runs(grid):
            rows = grid[first:last]
            if len(rows[0]) > 1 and len(rows) * len(rows[0]) >= MIN_CELLS:
                bbox = [round(v, 2) for v in (xs[0], ys[first], xs[-1], ys[last])]
                spread = [[r - first, c] for r, c in covered if first <= r < last]
                tables.append({"bbox": bbox, "rows": rows, "covered": spread})
    return tables


def table_runs(grid: list[list[str]]) -> list[tuple[int, int]]:
    """Return [first, last) row ranges of the grid that are not full-width prose rows."""
    runs, start = [], None
    for i, row in enumerate(grid + [None]):
        prose = row is None or is_prose_row(row)
        if not prose and start is None:
            start = i
        elif prose and start is not None:
            runs.append((start, i))
            start = None
    return runs


def is_prose_row(row: list[str]) -> bool:
    """Return whether a grid row is one cell across the whole width holding running text."""
    text = row[0]
    whole_width = len(row) == 1 or all(cell == text for cell in row)
    punctuated = any(p in text for p in "，。；：、")
    return whole_width and (len(text) >= PROSE_MIN_CHARS or (len(text) >= 8 and punctuated))


def read_grid(page: Page, cells: list[Box]) -> tuple[list, list, list[list[str]], list]:
    """Return the grid's column and row edges, its texts on a rectangular grid (a merged cell
    filling every slot it covers), and the (row, col) slots a merged cell spreads into."""
    xs = _edges([c[0] for c in cells] + [c[2] for c in cells])
    ys = _edges([c[1] for c in cells] + [c[3] for c in cells])
    if len(xs) < 2 or len(ys) < 2:
        return xs, ys, [], []
    chars = CharIndex(cell_chars(page.chars, (xs[0], ys[0], xs[-1], ys[-1])))
    cells = list(split_unruled_rows(chars, cells))
    ys = _edges([c[1] for c in cells] + [c[3] for c in cells])
    grid = [["" for _ in xs[:-1]] for _ in ys[:-1]]
    covered = []
    for cell in cells:
        text = cell_text(chars, cell)
        slots = [
            (r, c) for r in _slots(ys, cell[1], cell[3]) for c in _slots(xs, cell[0], cell[2])
        ]
        for r, c in slots:
            grid[r][c] = text
        covered += slots[1:]
    return xs, ys, grid, covered


def split_unruled_rows(chars: CharIndex, cells: list[Box]) -> Iterator[Box]:
    """Yield the cells, those of a ruled row that holds several rows of text cut into one
    cell per row of text: a table with column rules but no row rules is one ruled row whose
    value cells hold one number per line (a wrapped label never holds two numbers). Rows no
    taller than two of the table's lowest rows hold one line and are not looked into."""
    by_row = groupby(sorted(cells, key=lambda c: (c[1], c[3], c[0])), key=lambda c: (c[1], c[3]))
    lowest = min((c[3] - c[1] for c in cells), default=0)
    for (top, bottom), group in by_row:
        row = list(group)
        if bottom - top <= 2 * lowest:
            yield from row
            continue
        lines = {cell: group_lines(chars.within(cell)) for cell in row}
        if not any(_numbers(found) >= 2 for found in lines.values()):
            yield from row
            continue
        edges = [top, *_band_gaps([line for found in lines.values() for line in found]), bottom]
        for cell in row:
            yield from ((cell[0], a, cell[2], b) for a, b in zip(edges, edges[1:], strict=False))


def _numbers(lines: list[dict[str, Any]]) -> int:
    """Return how many of the lines are each one number."""
    return sum(bool(NUMBER_LINE.match(line["text"])) for line in lines)


def _band_gaps(lines: list[dict[str, Any]]) -> list[float]:
    """Return the y between bands of text lines: lines that overlap vertically are one band."""
    gaps, bottom = [], None
    for line in sorted(lines, key=lambda line: line["top"]):
        if bottom is not None and line["top"] > bottom:
            gaps.append((bottom + line["top"]) / 2)
        bottom = line["bottom"] if bottom is None else max(bottom, line["bottom"])
    return gaps


def cell_text(chars: CharIndex, box: Box) -> str:
    """Return the text inside a cell box, its wrapped lines joined without a break."""
    return join_wrapped([line["text"] for line in group_lines(chars.within(box))])


class CharIndex:
    """Chars ordered by the y of their centres, to pick those of a box without looking at all
    (a table of a thousand cells would otherwise look at every char a thousand times)."""

    def __init__(self, chars: list[dict[str, Any]]) -> None:
        order = sorted(range(len(chars)), key=lambda i: _centre(chars[i], "top", "bottom"))
        self.chars = [(i, chars[i]) for i in order]
        self.ys = [_centre(ch, "top", "bottom") for _, ch in self.chars]

    def within(self, box: Box) -> list[dict[str, Any]]:
        """Return, in their first order, the upright chars whose centre lies inside a box."""
        x0, top, x1, bottom = box
        band = self.chars[bisect_left(self.ys, top) : bisect_right(self.ys, bottom)]
        inside = [(i, ch) for i, ch in band if x0 <= _centre(ch, "x0", "x1") <= x1]
        inside.sort(key=lambda pair: pair[0])
        return [ch for _, ch in inside if ch.get("upright", True)]


def _centre(char: dict[str, Any], low: str, high: str) -> float:
    return (char[low] + char[high]) / 2


def cell_chars(chars: list[dict[str, Any]], box: Box) -> list[dict[str, Any]]:
    """Return the upright chars whose centre lies inside a box."""
    x0, top, x1, bottom = box
    return [
        ch
        for ch in chars
        if x0 <= (ch["x0"] + ch["x1"]) / 2 <= x1
        and top <= (ch["top"] + ch["bottom"]) / 2 <= bottom
        and ch.get("upright", True)
    ]


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
