"""The tables of a report as data: each table's title, unit and header, and every value cell
with its row label, column label (the header path), 科目编码 and unit. The figures of table cells
are made from these values (`pipeline.figures.document`), so a table number is read once.

A table is read as a grid of header blocks and data rows. A value cell is a bare number (its
unit from the table) or a cell that is one figure as printed (95%, ≥1.00(个), 至少1次); a data
row holds a value outside the code columns; a header block is a run of rows without values that
name the columns that hold values elsewhere (a table may start a new block half way, as the
信息公开 tables do). A column's label is the path of its header block's short texts at that
column, repeated texts (merged cells) once, and a caption that spans the whole width left out.
A value's row label is the nearest text to its left that is no value (so each side of a
two-sided 总表 keeps its own labels), or in an indicator table its 三级指标.

A bare number's unit is, first found: its column header's (金额（万元）, 分值 → 分, 本年制发件数 →
件), its row label's (加权平均净资产收益率（%）), the row's first cell's (项目资金（元）), the unit
column's (单位: 万人次), the table's note (单位：万元).

A table that goes on on the next page (no title of its own, as many columns) is one table; its
repeated header rows are dropped, and header rows that do not repeat the table's header go on
from it (a header cut by the page break). The 栏次 row (1, 2, 3 …) is no data, nor are columns of
序号/年度/日期 and rows labelled 科目编码. Codes are 3, 5 or 7 digits (类, 款, 项) in one column,
or split over 类/款/项 columns and joined.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import Any

from pipeline.quantities.grammar import FigureMatch, find_figures
from pipeline.quantities.numerals import BARE_NUMBER, parse_decimal
from pipeline.quantities.units import resolve_unit, table_unit_pattern
from pipeline.tables.continuation import continued
from pipeline.tables.titles import (
    is_caption,
    note_unit,
    own_title,
    squeeze,
    table_kind,
    width,
)
from pipeline.vocabulary import Bound, UnitSource

CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
CODE_HEADER = re.compile(r"编码|代码|^[类款项]$")
NOT_VALUE_HEADER = re.compile(r"序号|编号|年度$|年份|日期")
CODE_LABEL = re.compile(r"^(?:\S{0,4}科目)?(?:编码|代码|编号|序号|年度|年份|日期)$")
UNIT_HEADER = re.compile(r"^(?:计量)?单位$")
BRACKETED = re.compile(r"[（(]\s*(?:单位\s*[:：]\s*)?([^（()）]{1,6}?)\s*[）)]")
COUNT_HEADER = re.compile(rf"({table_unit_pattern('count')})数$")
SCORE_HEADER = re.compile(r"^(?:分值|得分|权重|权重分|评分|满分|分数|自评得分)(?:[（(]\d+[）)])?$")
LABEL_HEADER = re.compile(r"三级指标")
DATE = re.compile(r"\d{4}\s*[年./-]\s*\d{1,2}")
COLUMN_NUMBERS = re.compile(r"^栏次$|^行次$")
# What may stand beside the one figure of a value cell: brackets, spaces, comparison signs.
CELL_FURNITURE = re.compile(r"[\s（）()≥≤=<>＞＜≧≦]")
NUMERAL = re.compile(r"[\d零〇一二两三四五六七八九十]")
LEVELS = {3: 1, 5: 2, 7: 3}
FOOTNOTE = re.compile(r"\[\d{1,2}\]|[①-⑩]")
MAX_LABEL = 40


def model_tables(tables: list[dict[str, Any]]) -> tuple[list[dict], list[dict]]:
    """Return the document's tables (doc_tables rows) and their value cells (table_values
    rows), a table continued over pages counted once."""
    doc_tables, values = [], []
    for group in continued(tables):
        table, table_values = read_table(group, len(doc_tables))
        doc_tables.append(table)
        values += table_values
    return doc_tables, values


def header_unit(label: str) -> str | None:
    """Return the unit a column header or row label states: 金额（万元）, （单位：万元）, (%),
    分 for a score column (分值, 得分), or the measure word of a count header (本年制发件数 →
    件)."""
    for m in BRACKETED.finditer(label):
        if resolve_unit(m.group(1)) is not None:
            return m.group(1)
    if SCORE_HEADER.match(label.split("/")[-1]):
        return "分"
    found = COUNT_HEADER.search(label)
    return found.group(1) if found else None


@functools.lru_cache(maxsize=65536)
def cell_figure(cell: str) -> FigureMatch | None:
    """Return the figure a cell holds as its whole content (95%, ≥1.00(个), 至少1次), or None
    for a bare number, a unit alone (万人次) and text with more than the figure."""
    if not NUMERAL.search(cell):
        return None
    found = find_figures(cell)
    if len(found) != 1 or not NUMERAL.search(found[0].text):
        return None
    rest = cell[: found[0].start] + cell[found[0].end :]
    return found[0] if not CELL_FURNITURE.sub("", rest) else None


def is_value(cell: str) -> bool:
    """Return whether a cell is a value: a number or one figure as printed."""
    return bool(BARE_NUMBER.match(cell)) or cell_figure(cell) is not None


def read_table(group: list[dict[str, Any]], table_id: int) -> tuple[dict, list[dict]]:
    """Return the doc_tables row of a table (its pages in `group`) and its values."""
    first = group[0]
    unit = note_unit(first.get("above", []))
    rows = [(part, r, cells) for part in group for r, cells in enumerate(part["rows"])]
    value_cols = {c for _, _, cells in rows for c, cell in enumerate(cells)
                  if is_value(cell) and not CODE.match(cell)}  # fmt: skip
    header: list[list[str]] = []
    first_header: list[list[str]] = []
    values: list[dict] = []
    in_header = False
    for part, r, cells in rows:
        if header and not in_header and is_caption(cells):
            continue  # a caption between rows (按销售渠道) names the rows below, not the columns
        if _is_header(cells, value_cols):
            cut_header = r == 0 and part is not first and cells not in first_header
            header = header + [cells] if in_header or cut_header else [cells]
            in_header = True
            first_header = first_header or header
            continue
        in_header = False
        if _is_column_numbers(cells):
            continue
        labels = column_labels(header, len(cells))
        where = (table_id, part["table_id"], part["page_no"], r, part.get("shift", {}).get(r, 0))
        values += row_values(cells, labels, _covered(part, r), unit, where)
    table = {
        "table_id": table_id,
        "title": own_title(first),
        "unit": unit,
        "first_page": first["page_no"],
        "last_page": group[-1]["page_no"],
        "n_rows": len(rows),
        "n_cols": width(first),
        "kind": table_kind(own_title(first)),
        "header": " | ".join("/".join(dict.fromkeys(c for c in row if c)) for row in first_header),
        "n_values": len(values),
    }
    return table, values


def _is_header(cells: list[str], value_cols: set[int]) -> bool:
    """Return whether a row names columns: no value, no date, no long text (the rows of a
    form: 计划开始日期 2023-01-01), and text over a column of values."""
    if any(is_value(cell) or DATE.search(cell) or len(cell) > MAX_LABEL for cell in cells if cell):
        return False
    return any(cells[c] for c in value_cols if c < len(cells))


def _is_column_numbers(cells: list[str]) -> bool:
    """Return whether a row is the 栏次 row: 1, 2, 3 … numbering the columns."""
    texts = [cell for cell in cells if cell]
    if any(COLUMN_NUMBERS.match(t) for t in texts):
        return True
    numbers = [t for t in texts if t.isdigit()]
    return len(numbers) >= 3 and [int(t) for t in numbers] == list(
        range(int(numbers[0]), int(numbers[0]) + len(numbers))
    )


def _covered(part: dict[str, Any], r: int) -> set[int]:
    """Return the columns of row r that only repeat a merged cell spread into them."""
    return {c for row, c in part.get("covered", []) if row == r}


def column_labels(header: list[list[str]], width: int) -> list[str]:
    """Return each column's header path: the header rows' short texts at it, a merged cell's
    text once, a caption spanning the whole row left out, whitespace removed."""
    rows = [row for row in header if not is_caption(row)]
    labels = []
    for c in range(width):
        texts = [squeeze(row[c]) for row in rows if c < len(row) and row[c]]
        labels.append("/".join(dict.fromkeys(t for t in texts if len(t) <= MAX_LABEL)))
    return labels


def row_values(
    cells: list[str],
    labels: list[str],
    covered: set[int],
    unit: str | None,
    where: tuple[int, int, int, int, int],
) -> list[dict[str, Any]]:
    """Return the table_values rows of one data row."""
    lasts = [label.split("/")[-1] for label in labels]
    code_cols = [c for c, last in enumerate(lasts) if CODE_HEADER.search(last)]
    unit_cols = [c for c, last in enumerate(lasts) if UNIT_HEADER.match(last)]
    ordinal_cols = [c for c, last in enumerate(lasts) if NOT_VALUE_HEADER.search(last)]
    skip = code_cols + unit_cols + ordinal_cols
    if cells and CODE_LABEL.match(squeeze(cells[0] or "")):
        return []
    runs = _runs(code_cols)
    label_col = next((c for c, label in enumerate(labels) if LABEL_HEADER.search(label)), None)
    row_units = [
        (header_unit(cells[0] or "") if cells else None, UnitSource.ROW),
        (cells[unit_cols[0]] if unit_cols else None, UnitSource.UNIT_COLUMN),
    ]
    table_id, cells_table_id, page_no, r, shift = where
    found = []
    for c, cell in enumerate(cells):
        if c in covered or c in skip or not cell or not is_value(cell):
            continue
        if not code_cols and CODE.match(cell) and c == _first_filled(cells):
            continue  # a code standing in the first column of a table without a code header
        label = row_label(cells, c, skip, label_col)
        units = [(header_unit(labels[c]), UnitSource.HEADER),
                 (header_unit(label or ""), UnitSource.ROW), *row_units, (unit, UnitSource.NOTE)]
        stated = next(((u, source) for u, source in units if u), (None, UnitSource.NONE))
        side = [run for run in runs if run[0] < c]  # a two-sided table: each side its code
        code = row_code([cells[k] for k in side[-1]]) if side else None
        found.append(
            {
                "table_id": table_id,
                "page_no": page_no,
                "row": r,
                "col": c - shift,  # as in table_cells, for a widened tail too
                "table_col": c,
                "code": code,
                "code_level": LEVELS.get(len(code)) if code else None,
                "parent_code": code[:-2] if code and len(code) > 3 else None,
                "row_label": label,
                "column_label": labels[c] or None,
                "text": cell,
                **measure(cell, *stated),
                "cells_table_id": cells_table_id,
            }
        )
    return found


def _runs(columns: list[int]) -> list[list[int]]:
    """Return the code columns in runs of neighbours: one run per code (类/款/项 side by
    side make one), several on a two-sided table."""
    runs: list[list[int]] = []
    for c in columns:
        if runs and c == runs[-1][-1] + 1:
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


def _first_filled(cells: list[str]) -> int | None:
    return next((c for c, cell in enumerate(cells) if cell), None)


def row_code(parts: list[str]) -> str | None:
    """Return the row's 科目编码 from its code cells: one column (2010101) or 类, 款, 项 (201,
    03, 01 → 2010301)."""
    texts = [squeeze(p) for p in parts if p]
    if len(texts) == 1 and CODE.match(texts[0]):
        return texts[0]
    joined = "".join(texts)
    return joined if len(texts) > 1 and CODE.match(joined) else None


def row_label(cells: list[str], col: int, skip: list[int], label_col: int | None) -> str | None:
    """Return a value's row label: its row's 三级指标 in an indicator table, else the text
    nearest to its left on its side that is no value, else a text in a code column (合计 in
    the merged code and name cells of a total row)."""
    if label_col is not None and label_col < col and cells[label_col]:
        return _label(cells[label_col])
    for in_skipped in (False, True):
        for c in range(col - 1, -1, -1):
            cell = cells[c]
            if cell and (c in skip) == in_skipped and _is_label(cell):
                return _label(cell)
    return None


def _is_label(cell: str) -> bool:
    return not BARE_NUMBER.match(cell) and cell_figure(cell) is None


def measure(
    text: str, unit: str | None, source: UnitSource = UnitSource.NONE
) -> dict[str, Any]:
    """Return amount, unit, where the unit was stated (`source`: the cell itself for a figure
    as printed), value (in the base unit), base unit, kind, bound, op and value_max of a value
    cell: a figure as printed, or a bare number in the unit its table states."""
    figure = cell_figure(text)
    if figure is not None:
        return {
            "amount": figure.amount, "unit": figure.unit, "value": figure.value,
            "base_unit": figure.base_unit, "kind": str(figure.kind), "bound": str(figure.bound),
            "op": figure.op, "value_max": figure.value_max,
            "unit_source": UnitSource.PRINTED if figure.unit else UnitSource.NONE,
        }  # fmt: skip
    amount = parse_decimal(text)
    resolved = resolve_unit(unit) if unit else None
    exact = {"bound": str(Bound.EXACT), "op": None, "value_max": None}
    if amount is None or resolved is None:
        value = None if amount is None else float(amount)
        return {"amount": value, "unit": unit, "value": value, "base_unit": None, "kind": None,
                "unit_source": source if unit else UnitSource.NONE, **exact}  # fmt: skip
    row, factor = resolved
    return {
        "amount": float(amount),
        "unit": unit,
        "value": float(amount * Decimal(factor)),
        "base_unit": row.base_unit,
        "kind": str(row.kind),
        "unit_source": source,
        **exact,
    }


def _label(text: str) -> str:
    """Return a row label without whitespace and footnote markers (居住[3] → 居住)."""
    return FOOTNOTE.sub("", squeeze(text))
