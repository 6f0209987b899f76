"""Every read and write of the pipeline: PDFs in, the work folder's stage records (JSON), the
contract tables out as Parquet, CSV and DuckDB and back. Files in and out are in `files`, the
tables in `tablefiles`; both are used through this package (`from pipeline import io`).

Writes are atomic: a file is written beside its target under a temporary name and moved into
place with os.replace, so an interrupted run never leaves a half-written file.
"""

from typing import Any

from pipeline.io.files import (
    LOCK_NAME,
    PDF_SUFFIX,
    atomic_path,
    doc_id_of,
    file_stamp,
    find_pdfs,
    interim_path,
    locked,
    printable_name,
    read_bytes,
    read_json,
    read_jsonl,
    read_record_head,
    remove_stale_temporaries,
    write_json,
    write_record,
)

# The names of `tablefiles`, imported when first used: pyarrow costs a run that finds every table
# up to date a fifth of its time.
TABLE_NAMES = (
    "CSV_BOM", "DUCKDB_STORAGE", "LIST_SEPARATORS", "STRICT_SCHEMA_ENV", "arrow_rows", "joined",
    "query", "read_columns", "read_table", "to_arrow", "without_hidden_characters",
    "write_csv", "write_duckdb", "write_parquet", "write_table",
)  # fmt: skip

__all__ = [
    "LOCK_NAME", "PDF_SUFFIX", "atomic_path", "doc_id_of", "file_stamp", "find_pdfs",
    "interim_path", "locked", "printable_name", "read_bytes", "read_json", "read_jsonl",
    "read_record_head", "remove_stale_temporaries", "write_json", "write_record", *TABLE_NAMES,
]  # fmt: skip


def __getattr__(name: str) -> Any:
    if name in TABLE_NAMES:
        from pipeline.io import tablefiles

        return getattr(tablefiles, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
