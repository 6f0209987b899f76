"""`pipeline export`: the tables of an output folder as one Excel workbook (or copies of the CSV
and Parquet files), made for people who open them in a spreadsheet.

`reports.xlsx` holds one sheet per table: a frozen, bold header row; numbers as numbers (integer
columns stay integers, nulls stay empty); every text as text, so a cell that reads `=HYPERLINK(…)`
is shown, never run (XlsxWriter is told not to turn strings into formulas, numbers or links);
list columns joined as in the CSV. Excel's limits are kept and said: a table longer than a sheet
goes on in `<table> (2)` …, a text longer than a cell holds is cut with `…`, and the first sheet,
`about`, lists every table with its rows and what was cut. The workbook is written row by row
(XlsxWriter's constant-memory mode) and moved into place when whole.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import io
from pipeline.errors import OutputMissingError
from pipeline.schema import TABLES

XLSX_NAME = "reports.xlsx"
FORMATS = ("xlsx", "csv", "parquet")
MAX_ROWS = 1_048_576 - 1  # a sheet's rows, less its header
MAX_CELL = 32_767  # the characters a cell holds
CUT = "…"
BATCH = 10_000


def export(out_dir: Path, fmt: str, dest: Path | None = None) -> Path:
    """Write the tables of `out_dir` in `fmt` into `dest` (default: out_dir for xlsx,
    out_dir/export for csv and parquet); return the file or folder written."""
    out_dir = Path(out_dir)
    missing = [n for n in TABLES if not (out_dir / f"{n}.parquet").exists()]
    if missing:
        raise OutputMissingError(f"{out_dir} holds no {missing[0]} table; run `pipeline run "
                                 f"--out {out_dir}` first.")  # fmt: skip
    if fmt == "xlsx":
        return write_xlsx(out_dir, Path(dest or out_dir) / XLSX_NAME)
    folder = Path(dest or out_dir / "export")
    folder.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        with io.atomic_path(folder / f"{name}.{fmt}") as tmp:
            shutil.copyfile(out_dir / f"{name}.{fmt}", tmp)
    return folder


def write_xlsx(out_dir: Path, target: Path) -> Path:
    """Write every table of `out_dir` as sheets of one workbook at `target`; return it."""
    import xlsxwriter

    with io.atomic_path(target) as tmp:
        options = {"constant_memory": True, "strings_to_formulas": False,
                   "strings_to_numbers": False, "strings_to_urls": False}  # fmt: skip
        book = xlsxwriter.Workbook(str(tmp), options)
        header = book.add_format({"bold": True})
        about = book.add_worksheet("about")
        notes = [_write_table(book, header, out_dir, name) for name in TABLES]
        _write_about(about, header, notes)
        book.close()
    return target


def _write_table(book, header, out_dir: Path, name: str) -> dict[str, Any]:
    """Write one table as one sheet (more when it is longer than a sheet); return its note."""
    table = pq.ParquetFile(out_dir / f"{name}.parquet")
    columns = table.schema_arrow.names
    sheet, row, sheets, cut, rows = None, MAX_ROWS, 0, 0, 0
    for batch in table.iter_batches(batch_size=BATCH):
        for record in _cells(batch):
            if row >= MAX_ROWS:
                sheets += 1
                sheet = book.add_worksheet(name if sheets == 1 else f"{name} ({sheets})")
                sheet.write_row(0, 0, columns, header)
                sheet.freeze_panes(1, 0)
                row = 0
            row += 1
            rows += 1
            for col, value in enumerate(record):
                cut += _write_cell(sheet, row, col, value)
    if sheet is None:
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, columns, header)
        sheet.freeze_panes(1, 0)
        sheets = 1
    return {"table": name, "rows": rows, "sheets": sheets, "cut": cut}


def _cells(batch: pa.RecordBatch):
    """Yield the batch's rows as Python values, list columns joined as in the CSV."""
    columns = []
    for field, column in zip(batch.schema, batch.columns, strict=True):
        values = column.to_pylist()
        if pa.types.is_list(field.type):
            values = [io.joined(field.name, v) for v in values]
        columns.append(values)
    yield from zip(*columns, strict=True)


def _write_cell(sheet, row: int, col: int, value: Any) -> int:
    """Write one cell as its type; return 1 when a text was cut to fit."""
    if value is None or (isinstance(value, float) and value != value):
        return 0
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    else:
        text = str(value)
        if len(text) > MAX_CELL:
            sheet.write_string(row, col, text[: MAX_CELL - len(CUT)] + CUT)
            return 1
        sheet.write_string(row, col, text)
    return 0


def _write_about(sheet, header, notes: list[dict[str, Any]]) -> None:
    sheet.write_row(0, 0, ["table", "rows", "sheets", "texts cut to fit a cell"], header)
    for row, note in enumerate(notes, start=1):
        sheet.write_row(row, 0, [note["table"], note["rows"], note["sheets"], note["cut"]])
