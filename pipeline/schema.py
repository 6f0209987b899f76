"""The contract tables as Arrow schemas, and the closed vocabularies their columns use."""

from __future__ import annotations

from enum import StrEnum

import pyarrow as pa


class Kind(StrEnum):
    """What a figure measures."""

    MONEY = "money"
    PERCENT = "percent"
    PERCENT_POINT = "percent_point"
    SCORE = "score"
    COUNT = "count"
    DURATION = "duration"
    AREA = "area"
    WEIGHT = "weight"
    OTHER = "other"


class Bound(StrEnum):
    """How the printed number bounds the true one (余 → lower, 近 → upper, 约 → approx)."""

    EXACT = "exact"
    LOWER = "lower"
    UPPER = "upper"
    APPROX = "approx"


class Status(StrEnum):
    """Outcome of one document."""

    OK = "ok"
    FAILED = "failed"


class TextSource(StrEnum):
    """Where a page's (or a document's) text came from."""

    TEXT = "text"
    OCR = "ocr"
    MIXED = "mixed"


class FigureSource(StrEnum):
    """Where a figure stands: running text or a table cell."""

    TEXT = "text"
    TABLE = "table"


_STR = pa.string()
_INT = pa.int64()
_FLOAT = pa.float64()

TABLES: dict[str, pa.Schema] = {
    "documents": pa.schema(
        [
            ("doc_id", _STR),
            ("source_path", _STR),
            ("title", _STR),
            ("organization", _STR),
            ("year", _INT),
            ("report_type", _STR),
            ("project", _STR),
            ("n_pages", _INT),
            ("n_chars", _INT),
            ("text_source", _STR),
            ("status", _STR),
            ("error", _STR),
            ("n_figures", _INT),
            ("organization_key", _STR),
            ("warnings", pa.list_(_STR)),
        ]
    ),
    "organizations": pa.schema(
        [
            ("organization_key", _STR),
            ("names", _STR),
            ("n_documents", _INT),
            ("first_year", _INT),
            ("last_year", _INT),
        ]
    ),
    "pages": pa.schema(
        [
            ("doc_id", _STR),
            ("page_no", _INT),
            ("text", _STR),
            ("n_chars", _INT),
            ("source", _STR),
            ("n_unreadable", _INT),
            ("ocr_reason", _STR),
        ]
    ),
    "sections": pa.schema(
        [
            ("doc_id", _STR),
            ("section_id", _STR),
            ("level", _INT),
            ("marker", _STR),
            ("heading", _STR),
            ("parent_id", _STR),
            ("page_no", _INT),
        ]
    ),
    "sentences": pa.schema(
        [
            ("doc_id", _STR),
            ("sentence_id", _INT),
            ("section_id", _STR),
            ("page_no", _INT),
            ("text", _STR),
            ("char_start", _INT),
            ("char_end", _INT),
            ("tokens", pa.list_(_STR)),
            ("pos", pa.list_(_STR)),
        ]
    ),
    "figures": pa.schema(
        [
            ("doc_id", _STR),
            ("figure_id", _INT),
            ("sentence_id", _INT),
            ("section_id", _STR),
            ("page_no", _INT),
            ("source", _STR),
            ("text", _STR),
            ("amount", _FLOAT),
            ("unit", _STR),
            ("value", _FLOAT),
            ("base_unit", _STR),
            ("kind", _STR),
            ("bound", _STR),
            ("op", _STR),
            ("value_max", _FLOAT),
            ("subject", _STR),
            ("char_start", _INT),
            ("char_end", _INT),
            ("table_id", _INT),
            ("row", _INT),
            ("col", _INT),
            ("doc_table_id", _INT),
            ("column_label", _STR),
            ("ocr_confidence", _FLOAT),
            ("low_confidence", pa.bool_()),
        ]
    ),
    "metrics": pa.schema(
        [
            ("doc_id", _STR),
            ("metric", _STR),
            ("value", _FLOAT),
            ("unit", _STR),
            ("figure_id", _INT),
            ("label", _STR),
            ("text", _STR),
            ("year", _INT),
            ("scope", _STR),
            ("source", _STR),
            ("page_no", _INT),
            ("table_id", _INT),
        ]
    ),
    "checks": pa.schema(
        [
            ("doc_id", _STR),
            ("check", _STR),
            ("expected", _FLOAT),
            ("actual", _FLOAT),
            ("ok", pa.bool_()),
            ("tolerance", _FLOAT),
            ("check_id", _INT),
            ("family", _STR),
            ("severity", _STR),
            ("page_no", _INT),
            ("evidence", _STR),
            ("message", _STR),
            ("table_id", _INT),
        ]
    ),
    "tasks": pa.schema(
        [
            ("doc_id", _STR),
            ("task_id", _INT),
            ("section_id", _STR),
            ("parent_task_id", _INT),
            ("level", _INT),
            ("marker", _STR),
            ("text", _STR),
            ("n_figures", _INT),
        ]
    ),
    "table_cells": pa.schema(
        [
            ("doc_id", _STR),
            ("page_no", _INT),
            ("table_id", _INT),
            ("row", _INT),
            ("col", _INT),
            ("text", _STR),
        ]
    ),
    "indicators": pa.schema(
        [
            ("doc_id", _STR),
            ("page_no", _INT),
            ("level1", _STR),
            ("level2", _STR),
            ("level3", _STR),
            ("target", _STR),
            ("actual", _STR),
            ("weight", _FLOAT),
            ("score", _FLOAT),
            ("project", _STR),
        ]
    ),
    "doc_tables": pa.schema(
        [
            ("doc_id", _STR),
            ("table_id", _INT),
            ("title", _STR),
            ("kind", _STR),
            ("unit", _STR),
            ("first_page", _INT),
            ("last_page", _INT),
            ("n_rows", _INT),
            ("n_cols", _INT),
            ("header", _STR),
            ("n_values", _INT),
        ]
    ),
    "table_values": pa.schema(
        [
            ("doc_id", _STR),
            ("table_id", _INT),
            ("page_no", _INT),
            ("row", _INT),
            ("col", _INT),
            ("code", _STR),
            ("code_level", _INT),
            ("parent_code", _STR),
            ("row_label", _STR),
            ("column_label", _STR),
            ("text", _STR),
            ("amount", _FLOAT),
            ("unit", _STR),
            ("value", _FLOAT),
            ("base_unit", _STR),
            ("kind", _STR),
            ("cells_table_id", _INT),
            ("table_col", _INT),
            ("bound", _STR),
            ("op", _STR),
            ("value_max", _FLOAT),
        ]
    ),
}
"""Every contract table, in the order they are written; columns may be added, never removed."""


def columns(table: str) -> list[str]:
    """Return the column names of a contract table."""
    return TABLES[table].names
