"""Figures in table cells: one for each table value whose unit is known (the table model,
`pipeline.tables.model`, read the cell once), and those the grammar finds in cells of text
(`开展不低于5次的社区法治宣传活动`). A cell that is only a unit (万人次 in a 单位 column) holds
none."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pipeline.quantities.grammar import FigureMatch, find_figures
from pipeline.quantities.numerals import BARE_NUMBER
from pipeline.tables.model import NUMERAL
from pipeline.vocabulary import Bound, Kind

CellFigure = tuple[dict[str, Any], FigureMatch]
"""Where a cell figure stands (page_no, table_id of table_cells, row, col, doc_table_id,
subject, column_label) and the figure."""


def table_cell_figures(tables: list[dict], values: list[dict]) -> Iterator[CellFigure]:
    """Yield the figures of the document's table cells in table, row and column order."""
    taken = {(v["cells_table_id"], v["row"], v["col"]) for v in values}
    found = [(_where_value(v), _value_figure(v)) for v in values if v["base_unit"]]
    for table in tables:
        covered = {(r, c) for r, c in table.get("covered", [])}
        for r, cells in enumerate(table["rows"]):
            for c, cell in enumerate(cells):
                if cell and (r, c) not in covered and (table["table_id"], r, c) not in taken:
                    where = _where_cell(table, r, c, _text_subject(cells, c))
                    found += [(where, m) for m in find_figures(cell) if NUMERAL.search(m.text)]
    return iter(sorted(found, key=lambda f: (f[0]["table_id"], f[0]["row"], f[0]["col"],
                                             f[1].start)))  # fmt: skip


def _value_figure(value: dict[str, Any]) -> FigureMatch:
    """Return a table value as a figure spanning its cell."""
    return FigureMatch(
        start=0, end=len(value["text"]), text=value["text"], amount=value["amount"],
        unit=value["unit"], value=value["value"], base_unit=value["base_unit"],
        kind=Kind(value["kind"]), bound=Bound(value["bound"]), op=value["op"],
        value_max=value["value_max"],
    )  # fmt: skip


def _where_value(value: dict[str, Any]) -> dict[str, Any]:
    return {
        "page_no": value["page_no"],
        "table_id": value["cells_table_id"],
        "row": value["row"],
        "col": value["col"],
        "doc_table_id": value["table_id"],
        "subject": value["row_label"] or value["column_label"],
        "column_label": value["column_label"],
    }


def _where_cell(table: dict, r: int, c: int, subject: str | None) -> dict[str, Any]:
    return {"page_no": table["page_no"], "table_id": table["table_id"], "row": r, "col": c,
            "doc_table_id": None, "subject": subject, "column_label": None}  # fmt: skip


def _text_subject(cells: list[str], col: int) -> str | None:
    """Return the label of a figure in a cell of text: the nearest cell to its left that holds
    no number and no figure, else None."""
    for cell in reversed(cells[:col]):
        if cell and cell != cells[col] and not BARE_NUMBER.match(cell) and not find_figures(cell):
            return cell
    return None
