"""Ruled tables, read cell by cell with merged cells spread over the grid positions they cover."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from itertools import groupby
from typing import Any

from pdfplumber.page import Page
from pdfplumber.table import (
    Table,
    TableFinder,
    TableSettings,
    cells_to_tables,
    edges_to_intersections,
)
from pdfplumber.utils import obj_to_bbox

from pipeline.extract.lines import group_lines
from pipeline.quantities.numerals import arabic_number

Box = tuple[float, float, float, float]
Point = tuple[float, float]
# Tables smaller than this (rows × cols) are frames or decoration, not tables.
MIN_CELLS = 4
# A full-width cell with at least this many characters of punctuated text is prose in a frame.
PROSE_MIN_CHARS = 30
# A cell line that is one number, as in the value columns of a table.
NUMBER_LINE = re.compile(rf"^[-+]?(?:{arabic_number(',')})%?$")


def find_tables(page: Page) -> list[dict[str, Any]]:
    """Return the ruled tables of a page: bbox and a grid of cell texts (merged cells spread).

    Prose inside a ruled frame is not a table: rows that are one full-width cell of running
    text are left out (their text stays in the page body), and what remains must still have
    two columns and four cells.
    """
    tables = []
    for found in LinearTableFinder(page).tables:
        xs, ys, grid, covered = read_grid(page, found.cells)
        for first, last in table_runs(grid):
            rows = grid[first:last]
            if len(rows[0]) > 1 and len(rows) * len(rows[0]) >= MIN_CELLS:
                bbox = [round(v, 2) for v in (xs[0], ys[first], xs[-1], ys[last])]
                spread = [[r - first, c] for r, c in covered if first <= r < last]
                tables.append({"bbox": bbox, "rows": rows, "covered": spread})
    return tables


class LinearTableFinder(TableFinder):
    """pdfplumber's table finder (its default settings) with its cell search made linear:
    pdfplumber looks for each intersection's cell among all the later intersections and
    rebuilds the edge sets it compares on every test; here the intersections below and to the
    right of each are looked up by column and row, and each point's edge sets are made once.
    The cells are the same, in the same order."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.settings = TableSettings.resolve(None)
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(
            self.edges,
            self.settings.intersection_x_tolerance,
            self.settings.intersection_y_tolerance,
        )
        self.cells = intersections_to_cells(self.intersections)
        self.tables = [Table(self.page, group) for group in cells_to_tables(self.cells)]


def intersections_to_cells(intersections: dict[Point, dict[str, list]]) -> list[Box]:
    """Return the cells the intersections describe, as pdfplumber's function of this name
    does: for each point in order, the first point below it and the first to its right (in
    order) that edges join to it and to a fourth point, their bottom-right corner."""
    points = sorted(intersections)
    below: dict[float, list[Point]] = {}
    right: dict[float, list[Point]] = {}
    for point in points:  # sorted by x, then y: each column's points top down
        below.setdefault(point[0], []).append(point)
    for point in sorted(points, key=lambda p: (p[1], p[0])):
        right.setdefault(point[1], []).append(point)
    sets = {p: {k: set(map(obj_to_bbox, intersections[p][k])) for k in "vh"} for p in points}

    def joined(p1: Point, p2: Point) -> bool:
        return bool(
            (p1[0] == p2[0] and not sets[p1]["v"].isdisjoint(sets[p2]["v"]))
            or (p1[1] == p2[1] and not sets[p1]["h"].isdisjoint(sets[p2]["h"]))
        )

    cells = []
    for pt in points:
        column, row = below[pt[0]], right[pt[1]]
        cell = _smallest_cell(pt, column[column.index(pt) + 1 :], row[row.index(pt) + 1 :],
                              joined, sets)  # fmt: skip
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(pt: Point, below: list[Point], right: list[Point], joined, sets) -> Box | None:
    """Return the cell whose top-left corner is pt, or None (pdfplumber's search)."""
    for below_pt in below:
        if not joined(pt, below_pt):
            continue
        for right_pt in right:
            if not joined(pt, right_pt):
                continue
            corner = (right_pt[0], below_pt[1])
            if corner in sets and joined(corner, right_pt) and joined(corner, below_pt):
                return (pt[0], pt[1], corner[0], corner[1])
    return None


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
        ys = [_centre(ch, "top", "bottom") for ch in chars]
        order = sorted(range(len(chars)), key=ys.__getitem__)
        # (first position, centre x, char) in the order of their centres' y
        self.chars = [(i, _centre(chars[i], "x0", "x1"), chars[i]) for i in order]
        self.ys = [ys[i] for i in order]

    def within(self, box: Box) -> list[dict[str, Any]]:
        """Return, in their first order, the upright chars whose centre lies inside a box."""
        x0, top, x1, bottom = box
        band = self.chars[bisect_left(self.ys, top) : bisect_right(self.ys, bottom)]
        inside = [(i, ch) for i, x, ch in band if x0 <= x <= x1]
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
    first, last = _nearest(edges, start), _nearest(edges, end)
    return range(first, max(first + 1, last))


def _nearest(edges: list[float], value: float) -> int:
    """Return the index of the sorted edge nearest to value (the first of two as near)."""
    i = bisect_left(edges, value)
    if i == len(edges) or (i > 0 and abs(edges[i - 1] - value) <= abs(edges[i] - value)):
        return i - 1
    return i
