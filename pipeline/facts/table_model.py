"""The tables of a report as data: each table's title, unit and header, and every numeric cell
with its row label, column label (the header path), 科目编码 and unit.

A table is read as a grid of header blocks and data rows. A data row holds a number outside
the code columns; a header block is a run of rows without numbers that name the columns that
hold numbers elsewhere (a table may start a new block half way, as the 信息公开 tables do).
A column's label is the path of its header block's texts at that column, repeated texts (merged
cells) once, and a caption that spans the whole width left out. A value's row label is the
nearest text to its left (so each side of a two-sided 总表 keeps its own labels).

A table that goes on on the next page (no title of its own, as many columns) is one table; its
repeated header rows are dropped. The 栏次 row (1, 2, 3 …) is no data. Codes are 3, 5 or 7 digits
(类, 款, 项) in one column, or split over 类/款/项 columns and joined.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from importlib import resources
from typing import Any

from pipeline.figures.numerals import arabic_number, parse_decimal
from pipeline.figures.units import resolve_unit, table_unit_pattern

NUMBER = re.compile(rf"^-?(?:{arabic_number(',')})$")
CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
CODE_HEADER = re.compile(r"编码|代码|^[类款项]$")
UNIT_HEADER = re.compile(r"^(?:计量)?单位$")
UNIT_NOTE = re.compile(r"单位\s*[:：]\s*")
BRACKETED = re.compile(r"[（(]\s*(?:单位\s*[:：]\s*)?([^（()）]{1,6}?)\s*[）)]")
COUNT_HEADER = re.compile(rf"({table_unit_pattern('count')})数$")
TITLE = re.compile(r"表\s*$|表[（(（]|^表\s*\d|情况$")
COLUMN_NUMBERS = re.compile(r"^栏次$|^行次$")
LEVELS = {3: 1, 5: 2, 7: 3}
KINDS = "table_kinds.txt"
OTHER = "other"
TOTAL_LABEL = re.compile(r"^(?:合计|总计)$")
FOOTNOTE = re.compile(r"\[\d{1,2}\]|[①-⑩]")
MAX_UNIT = 6


def model_tables(tables: list[dict[str, Any]]) -> tuple[list[dict], list[dict]]:
    """Return the document's tables (doc_tables rows) and their numeric cells (table_values
    rows), a table continued over pages counted once."""
    doc_tables, values = [], []
    for group in continued(tables):
        table, table_values = read_table(group, len(doc_tables))
        doc_tables.append(table)
        values += table_values
    return doc_tables, values


def continued(tables: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Return the tables grouped so that each continuation joins the table it goes on from."""
    groups: list[list[dict[str, Any]]] = []
    for table in tables:
        last = groups[-1][-1] if groups else None
        if last is not None and goes_on(last, table):
            groups[-1].append(table)
        else:
            groups.append([table])
    return groups


def goes_on(before: dict[str, Any], table: dict[str, Any]) -> bool:
    """Return whether a table continues the one before it: it starts the next page, has as many
    columns and no title of its own above it."""
    return (
        table["page_no"] == before["page_no"] + 1
        and _width(table) == _width(before)
        and title_of(table.get("above", [])) is None
        and not any(UNIT_NOTE.search(line) for line in table.get("above", []))
    )


def _width(table: dict[str, Any]) -> int:
    return max((len(row) for row in table["rows"]), default=0)


def title_of(above: list[str]) -> str | None:
    """Return the line above a table that names it (…表, 表1 …, …情况), the last such one."""
    titles = [line for line in above if TITLE.search(line) and not line.endswith("。")]
    return titles[-1].strip() if titles else None


@functools.cache
def table_kinds() -> tuple[str, ...]:
    """Return the kinds of table (the standard 决算/预算 tables …), longest first."""
    text = resources.files("pipeline.facts.resources").joinpath(KINDS).read_text("utf-8")
    kinds = [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]
    return tuple(sorted(kinds, key=len, reverse=True))


def table_kind(title: str | None) -> str:
    """Return the kind of a table by its title: the longest standard name it holds, or other."""
    squeezed = re.sub(r"[“”\"‘’]", "", _squeeze(title or ""))
    return next((kind for kind in table_kinds() if kind in squeezed), OTHER)


def note_unit(lines: list[str]) -> str | None:
    """Return the unit a `单位：万元` note states (the last note that names a unit)."""
    found = None
    for line in lines:
        for m in UNIT_NOTE.finditer(line):
            found = unit_at(line[m.end() :]) or found
    return found


def unit_at(text: str) -> str | None:
    """Return the longest unit the text starts with (万元, 元, 人次 …), or None."""
    for size in range(min(MAX_UNIT, len(text)), 0, -1):
        if resolve_unit(text[:size]) is not None:
            return text[:size]
    return None


def header_unit(label: str) -> str | None:
    """Return the unit a column header or row label states: 金额（万元）, （单位：万元）, (%),
    or the measure word of a count header (本年制发件数 → 件)."""
    for m in BRACKETED.finditer(label):
        if resolve_unit(m.group(1)) is not None:
            return m.group(1)
    found = COUNT_HEADER.search(label)
    return found.group(1) if found else None


def read_table(group: list[dict[str, Any]], table_id: int) -> tuple[dict, list[dict]]:
    """Return the doc_tables row of a table (its pages in `group`) and its values."""
    first = group[0]
    title, unit = title_of(first.get("above", [])), note_unit(first.get("above", []))
    rows = [(part["page_no"], r, part, cells) for part in group for r, cells in
            enumerate(part["rows"])]  # fmt: skip
    value_cols = _value_columns([cells for _, _, _, cells in rows])
    header: list[list[str]] = []
    first_header: list[list[str]] = []
    values: list[dict] = []
    in_header = False
    for page_no, r, part, cells in rows:
        if _is_header(cells, value_cols):
            header = header + [cells] if in_header else [cells]
            in_header = True
            first_header = first_header or header
            continue
        in_header = False
        if _is_column_numbers(cells):
            continue
        labels = column_labels(header, len(cells))
        where = (table_id, part["table_id"], page_no, r)
        values += row_values(cells, labels, _covered(part, r), unit, where)
    table = {
        "table_id": table_id,
        "title": title,
        "unit": unit,
        "first_page": first["page_no"],
        "last_page": group[-1]["page_no"],
        "n_rows": len(rows),
        "n_cols": _width(first),
        "kind": table_kind(title),
        "header": " | ".join("/".join(dict.fromkeys(c for c in row if c)) for row in first_header),
        "n_values": len(values),
    }
    return table, values


def _value_columns(rows: list[list[str]]) -> set[int]:
    """Return the columns that hold a number (not a code) in some row."""
    return {
        c
        for cells in rows
        for c, cell in enumerate(cells)
        if NUMBER.match(cell or "") and not CODE.match(cell)
    }


def _is_header(cells: list[str], value_cols: set[int]) -> bool:
    """Return whether a row names columns: no number, and text over a column of numbers."""
    if any(NUMBER.match(cell or "") for cell in cells):
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
    """Return each column's header path: the header rows' texts at it, a merged cell's text
    once, a caption spanning the whole row left out, whitespace removed."""
    rows = [row for row in header if len({cell for cell in row if cell}) > 1 or len(row) == 1]
    labels = []
    for c in range(width):
        texts = [_squeeze(row[c]) for row in rows if c < len(row) and row[c]]
        labels.append("/".join(dict.fromkeys(texts)))
    return labels


def row_values(
    cells: list[str],
    labels: list[str],
    covered: set[int],
    unit: str | None,
    where: tuple[int, int, int, int],
) -> list[dict[str, Any]]:
    """Return the table_values rows of one data row."""
    code_cols = [c for c, label in enumerate(labels) if CODE_HEADER.search(label.split("/")[-1])]
    unit_cols = [c for c, label in enumerate(labels) if UNIT_HEADER.match(label.split("/")[-1])]
    code = row_code([cells[c] for c in code_cols])
    row_unit = cells[unit_cols[0]] if unit_cols and cells[unit_cols[0]] else None
    table_id, cells_table_id, page_no, r = where
    found = []
    for c, cell in enumerate(cells):
        if c in covered or c in code_cols or c in unit_cols or not NUMBER.match(cell or ""):
            continue
        if not code_cols and CODE.match(cell) and c == _first_filled(cells):
            continue  # a code standing in the first column of a table without a code header
        label = row_label(cells, c, code_cols + unit_cols)
        cell_unit = header_unit(labels[c]) or header_unit(label or "") or row_unit or unit
        found.append(
            {
                "table_id": table_id,
                "page_no": page_no,
                "row": r,
                "col": c,
                "code": code,
                "code_level": LEVELS.get(len(code)) if code else None,
                "parent_code": code[:-2] if code and len(code) > 3 else None,
                "row_label": label,
                "column_label": labels[c] or None,
                "text": cell,
                **_measure(cell, cell_unit),
                "cells_table_id": cells_table_id,
            }
        )
    return found


def _first_filled(cells: list[str]) -> int | None:
    return next((c for c, cell in enumerate(cells) if cell), None)


def row_code(parts: list[str]) -> str | None:
    """Return the row's 科目编码 from its code cells: one column (2010101) or 类, 款, 项 (201,
    03, 01 → 2010301)."""
    texts = [_squeeze(p) for p in parts if p]
    if len(texts) == 1 and CODE.match(texts[0]):
        return texts[0]
    joined = "".join(texts)
    return joined if len(texts) > 1 and CODE.match(joined) else None


def row_label(cells: list[str], col: int, skip: list[int]) -> str | None:
    """Return the text nearest to the left of a value: its row's label on its side."""
    for c in range(col - 1, -1, -1):
        cell = cells[c]
        if cell and c not in skip and not NUMBER.match(cell):
            return _label(cell)
    return None


def _measure(text: str, unit: str | None) -> dict[str, Any]:
    """Return amount, unit, value (in the base unit), base unit and kind of a number cell."""
    amount = parse_decimal(text)
    resolved = resolve_unit(unit) if unit else None
    if amount is None or resolved is None:
        value = None if amount is None else float(amount)
        return {"amount": value, "unit": unit, "value": value, "base_unit": None, "kind": None}
    row, factor = resolved
    return {
        "amount": float(amount),
        "unit": unit,
        "value": float(amount * Decimal(factor)),
        "base_unit": row.base_unit,
        "kind": str(row.kind),
    }


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _label(text: str) -> str:
    """Return a row label without whitespace and footnote markers (居住[3] → 居住)."""
    return FOOTNOTE.sub("", _squeeze(text))


def code_sums(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return, for every 类 and 款 of a table column that has rows under it, and for its 合计
    row over the 类 rows, the printed amount beside the sum of the rows under it. `tolerance`
    allows each printed number to be rounded to its last digit."""
    columns: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for value in values:
        if value["amount"] is not None:
            columns.setdefault((value["table_id"], value["col"]), []).append(value)
    sums = []
    for cells in columns.values():
        coded = [v for v in cells if v["code"]]
        for parent in cells:
            if parent["code"]:
                rows = [v for v in coded if v["parent_code"] == parent["code"]]
            elif TOTAL_LABEL.match(parent["row_label"] or "") and coded:
                rows = [v for v in coded if v["code_level"] == 1]
            else:
                continue
            if rows:
                sums.append(_sum(parent, rows))
    return sums


def _sum(parent: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    total = sum(Decimal(v["text"].replace(",", "")) for v in rows)
    step = max(_last_digit(v["text"]) for v in [parent, *rows])
    tolerance = step / 2 * (len(rows) + 1)
    return {
        "table_id": parent["table_id"],
        "page_no": parent["page_no"],
        "col": parent["col"],
        "code": parent["code"],
        "row_label": parent["row_label"],
        "printed": parent["amount"],
        "rows_sum": float(total),
        "n_rows": len(rows),
        "tolerance": float(tolerance),
        "ok": abs(Decimal(parent["text"].replace(",", "")) - total) <= tolerance,
    }


def _last_digit(text: str) -> Decimal:
    """Return the value of a printed number's last digit: 0.01 for 12.34, 1 for 1,234."""
    decimals = len(text.partition(".")[2])
    return Decimal(1).scaleb(-decimals)
