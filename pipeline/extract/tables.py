"""Ruled tables, read cell by cell with merged cells spread over the grid positions they cover."""

from __future__ import annotations

from typing import Any

from pdfplumber.page import Page

from pipeline.extract.lines import group_lines

Box = tuple[float, float, float, float]
# Tables smaller than this (rows × cols) are frames or decoration, not tables.
MIN_CELLS = 4
# A full-width cell with at least this many characters of punctuated text is prose in a frame.
PROSE_MIN_CHARS = 30


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
    grid = [["" for _ in xs[:-1]] for _ in ys[:-1]]
    covered = []
    chars = cell_chars(page.chars, (xs[0], ys[0], xs[-1], ys[-1]))
    for cell in cells:
        text = cell_text(chars, cell)
        slots = [
            (r, c) for r in _slots(ys, cell[1], cell[3]) for c in _slots(xs, cell[0], cell[2])
        ]
        for r, c in slots:
            grid[r][c] = text
        covered += slots[1:]
    return xs, ys, grid, covered


def cell_text(chars: list[dict[str, Any]], box: Box) -> str:
    """Return the text inside a cell box, its wrapped lines joined without a break."""
    return join_wrapped([line["text"] for line in group_lines(cell_chars(chars, box))])


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
