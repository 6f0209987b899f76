"""Figures in table cells: what the grammar finds in a cell, and bare numbers whose unit the
table states elsewhere (a `单位：万元` note above it, a `金额（万元）` or `分值` header, a
`项目资金（元）` row label)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from pipeline.figures.grammar import FigureMatch, find_figures
from pipeline.figures.numerals import arabic_number, parse_decimal
from pipeline.figures.units import resolve_unit, table_unit_pattern
from pipeline.schema import Bound

UNIT_NOTE = re.compile(rf"单位\s*[:：]\s*({table_unit_pattern('note')})")
HEADER_UNIT = re.compile(rf"[（(]\s*({table_unit_pattern('header')})\s*[）)]")
COUNT_HEADER = re.compile(rf"({table_unit_pattern('count')})数$")
SCORE_HEADER = re.compile(r"^(?:分值|得分|权重|权重分|评分|满分|分数|自评得分)$")
# A signed number whose thousands separator is the ASCII comma only: unlike the grammar, a cell
# 1，234 is not a bare number.
BARE = re.compile(rf"^[-+]?(?:{arabic_number(',')})$")
# Columns (by header) and rows (by label) that hold codes, years or ordinals, never quantities.
NOT_QUANTITY = re.compile(r"编码|代码|编号|序号|年度|年份|日期|科目|^[类款项]$")
# Row labels of rows that hold codes or years (a row, unlike a column, is named exactly).
CODE_LABEL = re.compile(r"^(?:\S{0,4}科目)?(?:编码|代码|编号|序号|年度|年份|日期)$")
HEADER_ROWS = 3
DATE = re.compile(r"\d{4}\s*[年./-]\s*\d{1,2}")
LABEL_HEADER = re.compile(r"三级指标")


def table_cell_figures(
    table: dict[str, Any],
) -> Iterator[tuple[int, int, FigureMatch, str | None]]:
    """Yield (row, col, figure, subject) for every figure in the table's cells; a merged cell
    counts once, in its first slot."""
    rows = table["rows"]
    covered = {(r, c) for r, c in table.get("covered", [])}
    header_end = _header_end(rows)
    columns = _column_headers(rows[:header_end])
    note = next(
        (m.group(1) for line in table.get("above", []) if (m := UNIT_NOTE.search(line))), None
    )
    label_col = next((c for c, h in columns.items() if LABEL_HEADER.search(h)), None)
    for r, cells in enumerate(rows):
        row_unit = _label_unit(cells)
        for c, cell in enumerate(cells):
            if not cell or (r, c) in covered:
                continue
            for match in find_figures(cell):
                yield r, c, match, _row_subject(cells, c, label_col)
            if (
                r >= header_end
                and BARE.match(cell)
                and not NOT_QUANTITY.search(columns.get(c, ""))
                and not (c and CODE_LABEL.match(cells[0] or ""))
            ):
                unit = row_unit or _header_unit(columns.get(c, "")) or note
                if unit and (figure := bare_figure(cell, unit)):
                    yield r, c, figure, _row_subject(cells, c, label_col)


def bare_figure(cell: str, unit: str) -> FigureMatch | None:
    """Return the figure of a bare number cell in the unit its table states."""
    resolved = resolve_unit(unit)
    amount = parse_decimal(cell)
    if resolved is None or amount is None:
        return None
    row, factor = resolved
    return FigureMatch(
        start=0, end=len(cell), text=cell, amount=float(amount), unit=unit,
        value=float(amount * Decimal(factor)), base_unit=row.base_unit, kind=row.kind,
        bound=Bound.EXACT,
    )  # fmt: skip


def _header_end(rows: list[list[str]]) -> int:
    """Return the index of the first row holding a bare number (the header rows end there)."""
    for r, cells in enumerate(rows[: HEADER_ROWS + 1]):
        if any(BARE.match(cell or "") for cell in cells):
            return r
    return min(len(rows), 1)


def _column_headers(header: list[list[str]]) -> dict[int, str]:
    """Return each column's header text (the header rows' cells joined)."""
    columns: dict[int, str] = {}
    for cells in header:
        for c, cell in enumerate(cells):
            if cell and cell not in columns.get(c, ""):
                columns[c] = columns.get(c, "") + cell
    return columns


def _header_unit(header: str) -> str | None:
    """Return the unit a column header states: 分 for score columns, a bracketed unit
    (金额（万元）), or the measure word of a count header (本年制发件数 → 件)."""
    if SCORE_HEADER.match(header):
        return "分"
    found = HEADER_UNIT.search(header) or COUNT_HEADER.search(header)
    return found.group(1) if found else None


def _label_unit(cells: list[str]) -> str | None:
    """Return the unit a row label states (项目资金（元）), from the row's first cell."""
    found = HEADER_UNIT.search(cells[0] or "") if cells else None
    return found.group(1) if found else None


def _row_subject(cells: list[str], col: int, label_col: int | None = None) -> str | None:
    """Return the label a cell's figure belongs to: the indicator (三级指标) of an indicator
    table, else the nearest text cell to its left that holds no figure and no date."""
    if label_col is not None and label_col < col and cells[label_col]:
        return cells[label_col]
    for cell in reversed(cells[:col]):
        if cell and cell != cells[col] and not _holds_number(cell):
            return cell
    return None


def _holds_number(cell: str) -> bool:
    return bool(BARE.match(cell) or DATE.search(cell) or find_figures(cell))
