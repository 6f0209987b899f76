"""Every read and write of the pipeline: PDFs in, the work folder's stage records (JSON), the
contract tables out as Parquet, CSV and DuckDB and back. Files in and out are in `files`, the
tables in `tables`; both are used through this package (`from pipeline import io`).

Writes are atomic: a file is written beside its target under a temporary name and moved into
place with os.replace, so an interrupted run never leaves a half-written file.
"""

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
from pipeline.io.tables import (
    CSV_BOM,
    DUCKDB_STORAGE,
    LIST_SEPARATORS,
    STRICT_SCHEMA_ENV,
    joined,
    query,
    read_columns,
    read_table,
    to_arrow,
    write_csv,
    write_duckdb,
    write_parquet,
    write_table,
)

__all__ = [
    "CSV_BOM", "DUCKDB_STORAGE", "LIST_SEPARATORS", "LOCK_NAME", "PDF_SUFFIX",
    "STRICT_SCHEMA_ENV", "atomic_path", "doc_id_of", "file_stamp", "find_pdfs", "interim_path",
    "joined", "locked", "printable_name", "query", "read_bytes", "read_columns", "read_json",
    "read_jsonl", "read_record_head", "read_table", "remove_stale_temporaries", "to_arrow",
    "write_csv", "write_duckdb", "write_json", "write_parquet", "write_record", "write_table",
]  # fmt: skip
