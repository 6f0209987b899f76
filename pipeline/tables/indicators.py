"""Rows of performance-indicator tables (绩效自评表 / 绩效目标表), also across page breaks.

An indicator table goes on over a page break by a rule of its own, wider than the table model's
(`pipeline.tables.continuation`): an untitled table without a project name continues the
indicators before it when it is as wide, or as wide as their header without the columns a
merged header cell spans (三级指标 over two columns above, one column on the next page)."""

from __future__ import annotations

import re
from typing import Any

from pipeline.quantities.numerals import ARABIC_NUMBER, parse_decimal
from pipeline.tables.titles import title_of

# Header wording → indicators column, first match wins.
HEADERS: list[tuple[str, re.Pattern[str]]] = [
    ("level1", re.compile(r"一级指标")),
    ("level2", re.compile(r"二级指标")),
    ("level3", re.compile(r"三级指标")),
    ("target", re.compile(r"指标值|目标值|预期目标")),
    ("actual", re.compile(r"实际完成值|完成值|实际完成|实际值")),
    ("weight", re.compile(r"分值|权重")),
    ("score", re.compile(r"得分")),
]
PROJECT_LABEL = re.compile(r"^项目名称$")
TOTAL = re.compile(r"^(?:合\s*计|总\s*计|总\s*分|小\s*计)$")
NUMBER = re.compile(rf"-?(?:{ARABIC_NUMBER})")
# Labels that a merged cell carries down its rows; a continued table repeats the last ones.
CARRIED = ("level1", "level2")


def find_indicators(tables: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return one row per indicator of every indicator table, continued tables included.

    A table that names its project (项目名称) or has a title above it starts a new indicator
    table, even before its indicator header (a 绩效目标表's project part and its indicators
    may stand in two ruled tables); only an untitled table goes on from the indicators before
    it, of the same width or of the width its header has without the columns a merged header
    cell spans (三级指标 over two columns above, one column on the next page).
    """
    rows: list[dict[str, Any]] = []
    columns: dict[str, int] | None = None
    narrow: dict[str, int] | None = None
    width, narrow_width, project = 0, 0, None
    for table in tables:
        header_at, found = _header(table["rows"])
        own = _project(table["rows"][:header_at] if found else table["rows"])
        starts = own is not None or title_of(table.get("above", [])) is not None
        if starts:
            project = own
        goes_on = columns and not starts and table["rows"]
        if found:
            columns, width = found, len(table["rows"][0])
            head = table["rows"][header_at]
            merged = [cell for i, cell in enumerate(head) if i == 0 or cell != head[i - 1]]
            narrow, narrow_width = _header([merged])[1], len(merged)
            body = table["rows"][header_at + 1 :]
        elif goes_on and len(table["rows"][0]) == width:
            body = table["rows"]  # the table goes on from the previous page
        elif goes_on and narrow and len(table["rows"][0]) == narrow_width < width:
            columns, width, body = narrow, narrow_width, table["rows"]
        else:
            columns = None
            continue
        for row in body:
            if _is_indicator(row, columns):
                rows.append(_indicator(table["page_no"], row, columns, project, rows))
    return rows


def _header(rows: list[list[str]]) -> tuple[int, dict[str, int] | None]:
    """Return (row index, column map) of the first row that names the three indicator levels."""
    for i, row in enumerate(rows):
        columns: dict[str, int] = {}
        for col, text in enumerate(row):
            for name, pattern in HEADERS:
                if pattern.search(text or ""):
                    columns.setdefault(name, col)
                    break
        if {"level1", "level2", "level3"} <= columns.keys():
            return i, columns
    return -1, None


def _project(rows: list[list[str]]) -> str | None:
    """Return the project name a 绩效目标表 states above its indicators (项目名称 | name)."""
    for row in rows:
        for col, text in enumerate(row[:-1]):
            if PROJECT_LABEL.match(text or ""):
                name = next((t for t in row[col + 1 :] if t and t != text), None)
                if name:
                    return name
    return None


def _is_indicator(row: list[str], columns: dict[str, int]) -> bool:
    """Return whether a body row is an indicator (not a repeated header, not a total row)."""
    level3 = row[columns["level3"]] if columns["level3"] < len(row) else ""
    total = any(TOTAL.match(cell or "") for cell in row[: columns["level3"] + 1])
    return bool(level3) and not total and not _header([row])[1]


def _indicator(page_no, row, columns, project, before: list[dict]) -> dict[str, Any]:
    def cell(name: str) -> str | None:
        col = columns.get(name)
        return (row[col] or None) if col is not None and col < len(row) else None

    indicator = {
        "page_no": page_no,
        **{name: cell(name) for name in ("level1", "level2", "level3", "target", "actual")},
        "weight": _number(cell("weight")),
        "score": _number(cell("score")),
        "project": project,
    }
    for name in CARRIED:
        if indicator[name] is None and before:
            indicator[name] = before[-1][name]
    return indicator


def _number(text: str | None) -> float | None:
    found = NUMBER.search(text or "")
    return float(parse_decimal(found.group(0))) if found else None
