"""The contract tables: their columns, and as Arrow schemas (the closed vocabularies their columns
use are in pipeline.vocabulary)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

    TABLES: dict[str, pa.Schema]


# The columns' types, named here so that the table names and columns are known without
# pyarrow (a run with nothing to do never loads it); `TABLES` gives them as Arrow schemas.
STR, INT, FLOAT, BOOL = "string", "int64", "float64", "bool"
STR_LIST, INT_LIST = "list<string>", "list<int64>"

COLUMNS: dict[str, list[tuple[str, str]]] = {
    "documents": [
        ("doc_id", STR),
        ("source_path", STR),
        ("title", STR),
        ("organization", STR),
        ("year", INT),
        ("report_type", STR),
        ("project", STR),
        ("n_pages", INT),
        ("n_chars", INT),
        ("text_source", STR),
        ("status", STR),
        ("error", STR),
        ("n_figures", INT),
        ("organization_key", STR),
        ("warnings", STR_LIST),
    ],
    "organizations": [
        ("organization_key", STR),
        ("names", STR),
        ("n_documents", INT),
        ("first_year", INT),
        ("last_year", INT),
    ],
    "pages": [
        ("doc_id", STR),
        ("page_no", INT),
        ("text", STR),
        ("n_chars", INT),
        ("source", STR),
        ("n_unreadable", INT),
        ("ocr_reason", STR),
    ],
    "sections": [
        ("doc_id", STR),
        ("section_id", STR),
        ("level", INT),
        ("marker", STR),
        ("heading", STR),
        ("parent_id", STR),
        ("page_no", INT),
    ],
    "sentences": [
        ("doc_id", STR),
        ("sentence_id", INT),
        ("section_id", STR),
        ("page_no", INT),
        ("text", STR),
        ("char_start", INT),
        ("char_end", INT),
        ("tokens", STR_LIST),
        ("pos", STR_LIST),
    ],
    "figures": [
        ("doc_id", STR),
        ("figure_id", INT),
        ("sentence_id", INT),
        ("section_id", STR),
        ("page_no", INT),
        ("source", STR),
        ("text", STR),
        ("amount", FLOAT),
        ("unit", STR),
        ("value", FLOAT),
        ("base_unit", STR),
        ("kind", STR),
        ("bound", STR),
        ("op", STR),
        ("value_max", FLOAT),
        ("subject", STR),
        ("char_start", INT),
        ("char_end", INT),
        ("table_id", INT),
        ("row", INT),
        ("col", INT),
        ("doc_table_id", INT),
        ("column_label", STR),
        ("ocr_confidence", FLOAT),
        ("low_confidence", BOOL),
    ],
    "metrics": [
        ("doc_id", STR),
        ("metric", STR),
        ("value", FLOAT),
        ("unit", STR),
        ("figure_id", INT),
        ("label", STR),
        ("text", STR),
        ("year", INT),
        ("scope", STR),
        ("source", STR),
        ("page_no", INT),
        ("table_id", INT),
    ],
    "checks": [
        ("doc_id", STR),
        ("check", STR),
        ("expected", FLOAT),
        ("actual", FLOAT),
        ("ok", BOOL),
        ("tolerance", FLOAT),
        ("check_id", INT),
        ("family", STR),
        ("severity", STR),
        ("page_no", INT),
        ("evidence", STR),
        ("message", STR),
        ("table_id", INT),
    ],
    "tasks": [
        ("doc_id", STR),
        ("task_id", INT),
        ("section_id", STR),
        ("parent_task_id", INT),
        ("level", INT),
        ("marker", STR),
        ("text", STR),
        ("n_figures", INT),
    ],
    "table_cells": [
        ("doc_id", STR),
        ("page_no", INT),
        ("table_id", INT),
        ("row", INT),
        ("col", INT),
        ("text", STR),
    ],
    "indicators": [
        ("doc_id", STR),
        ("page_no", INT),
        ("level1", STR),
        ("level2", STR),
        ("level3", STR),
        ("target", STR),
        ("actual", STR),
        ("weight", FLOAT),
        ("score", FLOAT),
        ("project", STR),
    ],
    "doc_tables": [
        ("doc_id", STR),
        ("table_id", INT),
        ("title", STR),
        ("kind", STR),
        ("unit", STR),
        ("first_page", INT),
        ("last_page", INT),
        ("n_rows", INT),
        ("n_cols", INT),
        ("header", STR),
        ("n_values", INT),
    ],
    "table_values": [
        ("doc_id", STR),
        ("table_id", INT),
        ("page_no", INT),
        ("row", INT),
        ("col", INT),
        ("code", STR),
        ("code_level", INT),
        ("parent_code", STR),
        ("row_label", STR),
        ("column_label", STR),
        ("text", STR),
        ("amount", FLOAT),
        ("unit", STR),
        ("value", FLOAT),
        ("base_unit", STR),
        ("kind", STR),
        ("cells_table_id", INT),
        ("table_col", INT),
        ("bound", STR),
        ("op", STR),
        ("value_max", FLOAT),
        ("unit_source", STR),
    ],
    "reading": [
        ("doc_id", STR),
        ("check", STR),
        ("checked", INT),
        ("failed", INT),
        ("rate", FLOAT),
        ("pages", INT_LIST),
        ("examples", STR_LIST),
    ],
}
"""Every contract table's columns and their types, in the order the tables are written; columns
may be added, never removed."""


def columns(table: str) -> list[str]:
    """Return the column names of a contract table."""
    return [name for name, _ in COLUMNS[table]]


def __getattr__(name: str) -> Any:
    """TABLES: every contract table as an Arrow schema (pyarrow is imported when first asked)."""
    if name != "TABLES":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import pyarrow as pa

    types = {STR: pa.string(), INT: pa.int64(), FLOAT: pa.float64(), BOOL: pa.bool_(),
             STR_LIST: pa.list_(pa.string()), INT_LIST: pa.list_(pa.int64())}  # fmt: skip
    tables = {
        table: pa.schema([(c, types[t]) for c, t in cols]) for table, cols in COLUMNS.items()
    }
    globals()["TABLES"] = tables
    return tables
