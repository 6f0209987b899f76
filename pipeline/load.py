"""The load stage: per-document records gathered into the contract tables and written.

A document's rows are made from its record (`document_tables`) as soon as it is done, while
other documents are still being processed; the tables are those rows put together
(`build_tables`) and written.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipeline import io
from pipeline.schema import TABLES
from pipeline.vocabulary import Status, TextSource

log = logging.getLogger(__name__)

# Per-document lists that become rows of the table of the same name.
DOCUMENT_LISTS = ("pages", "sections", "sentences", "figures", "metrics", "checks", "tasks",
                  "indicators", "doc_tables", "table_values", "reading")  # fmt: skip
# Keys of those lists that are for the stages, not for the tables (offsets into the text, the
# OCR confidence of stretches of it).
NOT_LOADED = {"pages": ("char_start", "char_end", "ocr_conf_spans"), "sections": ("char_start",)}


def document_tables(record: dict[str, Any]) -> dict[str, pa.Table]:
    """Return one document's rows of every contract table but organizations, from its
    facts-stage record (ok or failed), as Arrow tables (`io.arrow_rows`)."""
    rows: dict[str, list[dict[str, Any]]] = {"documents": [document_row(record)]}
    data = record.get("data") or {}
    for table in DOCUMENT_LISTS:
        rows[table] = [_row(item, table, record["doc_id"]) for item in data.get(table, ())]
    rows["table_cells"] = list(table_cells(record["doc_id"], data.get("tables", ())))
    return {name: io.arrow_rows(rows[name], TABLES[name]) for name in rows}


def build_tables(
    documents: Iterable[dict[str, pa.Table]], summaries: list[dict]
) -> dict[str, pa.Table]:
    """Return every contract table: the documents' rows (`document_tables`) in their order,
    without hidden characters (`io.without_hidden_characters`).

    `summaries` give the failed documents whose record holds no data.
    """
    parts = list(documents)
    rows = [row for part in parts for row in part["documents"].to_pylist()]
    known = {row["doc_id"] for row in rows}
    failed = [_failed_row(s) for s in summaries if s["doc_id"] not in known]
    rest = {name: [] for name in TABLES} | {
        "documents": failed,
        "organizations": organizations(rows + failed),
    }
    parts.append({name: io.arrow_rows(rest[name], schema) for name, schema in TABLES.items()})
    tables = {
        name: pa.concat_tables(part[name] for part in parts if name in part) for name in TABLES
    }
    return {name: io.without_hidden_characters(table) for name, table in tables.items()}


def _row(item: dict[str, Any], table: str, doc_id: str) -> dict[str, Any]:
    """Return a document's list item as a row of its table."""
    left_out = NOT_LOADED.get(table, ())
    return {**{k: v for k, v in item.items() if k not in left_out}, "doc_id": doc_id}


def document_row(record: dict[str, Any]) -> dict[str, Any]:
    """Return the documents row of one document (ok or failed)."""
    row = {
        "doc_id": record["doc_id"],
        "source_path": record["source_path"],
        "status": record["status"],
        "error": record["error"],
        "n_pages": record.get("n_pages"),
    }
    data = record.get("data")
    if data is None:
        return row
    sources = {page["source"] for page in data["pages"]}
    return {
        **row,
        **data["identity"],
        "n_chars": sum(page["n_chars"] for page in data["pages"]),
        "text_source": str(TextSource.MIXED)
        if len(sources) > 1
        else (sources.pop() if sources else "text"),
        "n_figures": len(data["figures"]),
        "warnings": data.get("warnings", []),
    }


def organizations(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return one row per body (its organization_key): the names it is printed under, how
    many documents it has and the years they span."""
    bodies: dict[str, list[dict]] = {}
    for row in documents:
        if row.get("organization_key"):
            bodies.setdefault(row["organization_key"], []).append(row)
    found = []
    for key, docs in sorted(bodies.items()):
        years = [d["year"] for d in docs if d.get("year") is not None]
        found.append({"organization_key": key,
                      "names": "；".join(sorted({d["organization"] for d in docs})),
                      "n_documents": len(docs), "first_year": min(years, default=None),
                      "last_year": max(years, default=None)})  # fmt: skip
    return found


def _failed_row(summary: dict[str, Any]) -> dict[str, Any]:
    return {
        key: summary.get(key) for key in ("doc_id", "source_path", "status", "error", "n_pages")
    }


def table_cells(doc_id: str, tables: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    """Yield one row per cell of every table of a document."""
    for table in tables:
        for r, cells in enumerate(table["rows"]):
            for c, text in enumerate(cells):
                yield {
                    "doc_id": doc_id,
                    "page_no": table["page_no"],
                    "table_id": table["table_id"],
                    "row": r,
                    "col": c,
                    "text": text,
                }


def write_tables(tables: dict[str, pa.Table], out_dir: Path) -> Path:
    """Write every table as Parquet, then reports.duckdb from those files while the CSV files
    are written (DuckDB works outside Python's lock, so with two cores the two overlap);
    return the DuckDB path."""
    for name, table in tables.items():
        io.write_parquet(table, out_dir, name)
    with ThreadPoolExecutor(1, thread_name_prefix="duckdb") as pool:
        database = pool.submit(io.write_duckdb, out_dir, list(tables))
        for name, table in tables.items():
            io.write_csv(table, out_dir, name)
        db = database.result()
    log.info("wrote %d tables to %s", len(tables), out_dir)
    return db


def summarize(tables: dict[str, pa.Table]) -> dict[str, int]:
    """Return the counts a run reports at its end."""
    documents = tables["documents"].to_pylist()
    return {
        "documents": len(documents),
        "ok": sum(d["status"] == Status.OK for d in documents),
        "failed": sum(d["status"] == Status.FAILED for d in documents),
        "pages": tables["pages"].num_rows,
        "figures": tables["figures"].num_rows,
        "low_confidence": int(pc.sum(tables["figures"]["low_confidence"]).as_py() or 0),
    }
