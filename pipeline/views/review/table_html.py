"""The review site's HTML for values and tables: a cell's text escaped, a report's tables
rendered from `table_cells` with the value cells of `table_values` marked."""

from __future__ import annotations

from html import escape

import pandas as pd


def _cell(value) -> str:
    """Return a value as escaped text: empty for a missing one, integers without '.0'."""
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return escape(str(value))


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


# ---------------------------------------------------------------------------------- index


def _tables(doc_tables: pd.DataFrame, values: pd.DataFrame, cells: pd.DataFrame) -> str:
    """Return every table as an HTML table: each `doc_tables` table from the `table_cells`
    tables its values stand in, value cells marked with their labels; cell tables no
    `doc_tables` table claims are shown after, by page."""
    if cells.empty:
        return "<p>No tables.</p>"
    cell_groups = {int(t): g for t, g in cells.groupby("table_id")}
    value_at = {}
    for v in values.to_dict("records") if len(values) else []:
        value_at[(int(v["cells_table_id"]), int(v["row"]), int(v["col"]))] = v
    claimed: dict[int, list[int]] = {}
    for v in value_at.values():
        claimed.setdefault(int(v["table_id"]), [])
    for (cells_id, _, _), v in value_at.items():
        ids = claimed[int(v["table_id"])]
        if cells_id not in ids:
            ids.append(cells_id)
    shown: set[int] = set()
    out = []
    for table in doc_tables.sort_values("table_id").to_dict("records") if len(doc_tables) else []:
        ids = sorted(claimed.get(int(table["table_id"]), []))
        if not ids:  # a table without values: its cell tables on its pages not yet claimed
            pages = range(int(table["first_page"]), int(table["last_page"]) + 1)
            taken = {i for v in claimed.values() for i in v}
            ids = sorted(i for i, g in cell_groups.items()
                         if int(g["page_no"].iloc[0]) in pages and i not in taken
                         and i not in shown)  # fmt: skip
        pages = f"page {_cell(table['first_page'])}"
        if table["last_page"] != table["first_page"]:
            pages += f"–{_cell(table['last_page'])}"
        unit = f" · 单位：{_cell(table['unit'])}" if isinstance(table.get("unit"), str) else ""
        out.append(
            f'<h3 id="table-{int(table["table_id"])}">{_cell(table.get("title")) or "—"}'
            f" <small>({_cell(table.get('kind'))} · {pages}{unit})</small></h3>"
        )
        for i in ids:
            if i in cell_groups:
                out.append(_grid(cell_groups[i], i, value_at))
                shown.add(i)
    for i, group in cell_groups.items():
        if i not in shown:
            out.append(f"<h3>table on page {int(group['page_no'].iloc[0])}</h3>")
            out.append(_grid(group, i, value_at))
    return "\n".join(out)


def _grid(cells: pd.DataFrame, cells_id: int, value_at: dict) -> str:
    n_rows, n_cols = int(cells["row"].max()) + 1, int(cells["col"].max()) + 1
    grid = {(int(r), int(c)): t for r, c, t in zip(cells["row"], cells["col"], cells["text"],
                                                    strict=True)}  # fmt: skip
    rows = []
    for r in range(n_rows):
        tds = []
        for c in range(n_cols):
            text = _cell(grid.get((r, c)))
            value = value_at.get((cells_id, r, c))
            if value is None:
                tds.append(f"<td>{text}</td>")
            else:
                label = " / ".join(str(x) for x in (value.get("row_label"),
                                                    value.get("column_label"))
                                   if isinstance(x, str))  # fmt: skip
                amount = _number(value.get("amount"))
                unit = value.get("unit") if isinstance(value.get("unit"), str) else ""
                tip = f"{label}: {amount if amount is not None else '?'} {unit}".strip()
                tds.append(f'<td class="value num" title="{escape(tip)}">{text}</td>')
        rows.append(f"<tr>{''.join(tds)}</tr>")
    return (f'<table class="cells" data-page="{int(cells["page_no"].iloc[0])}">'
            f"{''.join(rows)}</table>")  # fmt: skip
