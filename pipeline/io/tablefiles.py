"""The contract tables out and back: Arrow tables of exactly their schema, written as Parquet
and CSV (no cell a spreadsheet would run as a formula) and gathered into DuckDB; read back
as DataFrames or through SQL."""

from __future__ import annotations

import functools
import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from pipeline.config import DUCKDB_NAME, FORMULA_START, HIDDEN_CHARACTERS
from pipeline.errors import OutputMissingError, QueryError, SchemaMismatchError
from pipeline.io.files import atomic_path

if TYPE_CHECKING:  # pandas and DuckDB are loaded when tables are read or written
    import pandas as pd

log = logging.getLogger(__name__)

# Set (to anything) to make a row key that a table's schema lacks an error (the tests do).
STRICT_SCHEMA_ENV = "PIPELINE_STRICT_SCHEMA"
CSV_BOM = "\ufeff".encode()


def to_arrow(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    """Return the rows as an Arrow table of exactly `schema` (`arrow_rows`) without
    HIDDEN_CHARACTERS."""
    return without_hidden_characters(arrow_rows(rows, schema))


def arrow_rows(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    """Return the rows as an Arrow table of exactly `schema` (missing columns become null),
    their text as it is.

    A key the schema lacks is a bug (a renamed key would leave an all-null column): it is an
    error when STRICT_SCHEMA_ENV is set, as in the tests, and a warning otherwise.
    """
    unknown = sorted(set().union(*rows) - set(schema.names))
    if unknown:
        message = f"rows carry keys the table's schema lacks: {', '.join(unknown)}"
        if os.environ.get(STRICT_SCHEMA_ENV):
            raise SchemaMismatchError(message)
        _warn_once(message)
    return pa.Table.from_pylist(rows, schema=schema)


@functools.cache
def _warn_once(message: str) -> None:
    """Log a schema warning once per process (the rows come a document at a time)."""
    log.warning("%s (left out)", message)


def without_hidden_characters(table: pa.Table) -> pa.Table:
    """Return the table with HIDDEN_CHARACTERS removed from every text and text-list column."""
    for i, field in enumerate(table.schema):
        column = table.column(i)
        if pa.types.is_string(field.type):
            column = pc.replace_substring_regex(column, HIDDEN_CHARACTERS, "")
        elif pa.types.is_list(field.type) and pa.types.is_string(field.type.value_type):
            column = _clean_list(column.combine_chunks())
        else:
            continue
        table = table.set_column(i, field, column)
    return table


def _clean_list(chunk: pa.ListArray) -> pa.ListArray:
    values = pc.replace_substring_regex(chunk.values, HIDDEN_CHARACTERS, "")
    return pa.ListArray.from_arrays(chunk.offsets, values, mask=chunk.is_null())


def write_table(table: pa.Table, out_dir: Path, name: str) -> None:
    """Write one table as <name>.parquet and <name>.csv (UTF-8 with BOM), atomically."""
    write_parquet(table, out_dir, name)
    write_csv(table, out_dir, name)


def write_parquet(table: pa.Table, out_dir: Path, name: str) -> None:
    """Write one table as <name>.parquet, atomically."""
    with atomic_path(Path(out_dir) / f"{name}.parquet") as tmp:
        pq.write_table(table, tmp)


def write_csv(table: pa.Table, out_dir: Path, name: str) -> None:
    """Write one table as <name>.csv (UTF-8 with BOM, `_csv_ready`), atomically."""
    with atomic_path(Path(out_dir) / f"{name}.csv") as tmp:
        with open(tmp, "wb") as sink:
            sink.write(CSV_BOM)
            pacsv.write_csv(_csv_ready(table), sink)


# How a list column's items are joined in CSV and Excel (which have no lists): the POS tags by a
# space, the sentences of documents.warnings by a semicolon; any other list (the tokens, one of
# which may be a space) as a JSON array, which splits back exactly.
LIST_SEPARATORS = {"pos": " ", "warnings": "; "}


def joined(name: str, items: Iterable[str] | None) -> str | None:
    """Return the items of list column `name` as one text cell (LIST_SEPARATORS)."""
    if items is None:
        return None
    glue = LIST_SEPARATORS.get(name)
    return json.dumps(list(items), ensure_ascii=False) if glue is None else glue.join(items)


def _csv_ready(table: pa.Table) -> pa.Table:
    """Return the table with list columns joined (CSV has no lists: LIST_SEPARATORS), floats
    written without scientific notation, and every text
    cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+1`, `-2%`, `@SUM`) written
    with a leading ' (the Parquet and DuckDB tables keep the text as it is)."""
    for i, field in enumerate(table.schema):
        column = table.column(i)
        if pa.types.is_list(field.type):
            cells = [joined(field.name, v) for v in column.to_pylist()]
            column = pa.chunked_array([pa.array(cells, pa.string())])
        elif pa.types.is_floating(field.type):
            table = table.set_column(i, field.name, positional(column))
            continue
        elif not pa.types.is_string(field.type):
            continue
        table = table.set_column(i, field.name, escape_formulas(column))
    return table


def positional(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Return a float column as text without scientific notation (603348000000, not
    6.03348e+11, which Excel would show rounded), the shortest digits that read back the same."""
    import numpy as np

    def text(value: float | None) -> str | None:
        if value is None or value != value:
            return None
        shortest = repr(value)  # positional from 1e-4 to 1e16, as numpy's then, but faster
        if "e" in shortest or "n" in shortest:
            return np.format_float_positional(value, trim="-")
        return shortest[:-2] if shortest.endswith(".0") else shortest

    return pa.chunked_array([pa.array([text(v) for v in column.to_pylist()], pa.string())])


def escape_formulas(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Return a text column with a ' before every cell that starts like a formula."""
    quoted = pc.binary_join_element_wise("'", column, "")
    return pc.if_else(pc.match_substring_regex(column, FORMULA_START), quoted, column)


# The storage format reports.duckdb is written in: DuckDB 1.0's, which every DuckDB client since
# 1.0 opens (the default of DuckDB 2.0 would need 2.0 to read it).
DUCKDB_STORAGE = "v1.0.0"


def write_duckdb(out_dir: Path, names: list[str]) -> Path:
    """Build reports.duckdb holding a copy of every <name>.parquet in out_dir, atomically, in
    the storage format of DUCKDB_STORAGE."""
    import duckdb

    target = Path(out_dir) / DUCKDB_NAME
    with atomic_path(target) as tmp:
        tmp.unlink()  # DuckDB refuses to open an empty file as a database
        with duckdb.connect() as con:
            path = str(tmp).replace("'", "''")
            con.execute(f"ATTACH '{path}' AS out (STORAGE_VERSION '{DUCKDB_STORAGE}')")
            for name in names:
                parquet = (Path(out_dir) / f"{name}.parquet").resolve()
                con.execute(
                    f'CREATE TABLE out."{name}" AS SELECT * FROM read_parquet(?)', [str(parquet)]
                )
            con.execute("DETACH out")
        Path(f"{tmp}.wal").unlink(missing_ok=True)
    return target


def read_columns(path: Path, columns: list[str]) -> list[dict[str, Any]] | None:
    """Return the rows of some columns of a Parquet file; None when it cannot be read."""
    try:
        return pq.read_table(path, columns=columns).to_pylist()
    except (OSError, pa.ArrowException, KeyError):
        return None


def read_table(out_dir: Path, name: str) -> pd.DataFrame:
    """Return one written table as a DataFrame (integer columns as pandas' nullable Int64)."""
    import pandas as pd

    from pipeline.schema import TABLES

    if name not in TABLES:
        raise OutputMissingError(f"there is no table {name!r}; the tables are "
                                 f"{', '.join(TABLES)}.")  # fmt: skip
    path = Path(out_dir) / f"{name}.parquet"
    if not path.exists():
        raise OutputMissingError(f"{path} does not exist; run `pipeline run` first.")
    # integer columns with nulls stay integers (Int64), not floats (2023.0)
    return pq.read_table(path).to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)


def query(out_dir: Path, sql: str) -> pd.DataFrame:
    """Return the result of a SQL query over the tables in out_dir's reports.duckdb."""
    import duckdb

    if not sql.strip():
        raise QueryError("the query is empty; give a SQL statement such as "
                         "\"SELECT * FROM documents\".")  # fmt: skip
    db = Path(out_dir) / DUCKDB_NAME
    if not db.exists():
        raise OutputMissingError(f"{db} does not exist; run `pipeline run --out {out_dir}` first.")
    with duckdb.connect(str(db), read_only=True) as con:
        try:
            return con.execute(sql).df()
        except duckdb.Error as exc:
            first_line = str(exc).strip().splitlines()[0]
            raise QueryError(f"the query failed: {first_line}") from exc
