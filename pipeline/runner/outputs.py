"""The load stage's inputs and its skip: the current records of the documents, and whether the
tables in the output folder were already made from exactly them.

A hash of the load code (`pipeline.load` and every module it imports, fingerprinted as a
stage is: `runner.stages.fingerprint`) and, per document, its path, outcome and stored record
(size, mtime, inode) is kept in `WORK/load/<out folder hash>.json` with the stamps of the table
files written. When it matches and no table file
changed, the tables stand.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import io
from pipeline.config import DUCKDB_NAME, RunConfig, Stage
from pipeline.runner.document import Job, Summary
from pipeline.runner.stages import LOAD_MODULE, code_files, fingerprint
from pipeline.schema import COLUMNS

if TYPE_CHECKING:  # pyarrow is loaded when there are tables to write
    import pyarrow as pa

log = logging.getLogger(__name__)


def stored_output(job: Job, summary: Summary, stage: Stage) -> dict | None:
    """Return the job's stored output of `stage` made by the current versions, under its
    current path; None for a document without one (its worker died: its summary tells)."""
    if not summary.get("stored", True):
        return None
    record = io.read_json(job.target(stage))
    if record is None or not job.is_current(record, stage):
        return None
    return {**record, "source_path": job.source_path}


class DocumentRows:
    """Each document's rows of the tables, made as soon as the document is done (`add`, while
    the workers go on with the others), so that little is left to do after the last one."""

    def __init__(self, stage: Stage) -> None:
        self.stage = stage
        self.rows: dict[str, dict[str, pa.Table] | None] = {}

    def add(self, job: Job, summary: Summary) -> None:
        """Make the rows of a document that is done."""
        from pipeline.load import document_tables

        record = stored_output(job, summary, self.stage)
        self.rows[job.doc_id] = None if record is None else document_tables(record)

    def in_order(self, jobs: list[Job], summaries: list[Summary]) -> list[dict[str, pa.Table]]:
        """Return the rows of the jobs' documents in their order (making those not made yet)."""
        for job, summary in zip(jobs, summaries, strict=True):
            if job.doc_id not in self.rows:
                self.add(job, summary)
        return [self.rows[job.doc_id] for job in jobs if self.rows[job.doc_id] is not None]


def tables_files() -> list[str]:
    """Return the names of the files the load stage writes."""
    return [f"{name}.{ext}" for name in COLUMNS for ext in ("parquet", "csv")] + [DUCKDB_NAME]


def load_code_files() -> list[Path]:
    """Return the files of the load code, whose hash is part of the tables' key."""
    return code_files(LOAD_MODULE)


def tables_key(jobs: list[Job], summaries: list[Summary], unread: list[Summary]) -> str:
    """Return a hash of everything the tables are made from: the load code and, per
    document, its path, outcome and stored record; and the files that could not be read."""
    code = fingerprint(str(Stage.LOAD))
    inputs = [
        [
            s["doc_id"],
            s["source_path"],
            s["status"],
            s["error"],
            io.file_stamp(job.target(job.until)),
        ]
        for job, s in zip(jobs, summaries, strict=True)
    ]
    unread_rows = [[s["doc_id"], s["source_path"], s["error"]] for s in unread]
    return hashlib.sha256(json.dumps([code, inputs, unread_rows]).encode()).hexdigest()


def _stamp_path(config: RunConfig) -> Path:
    """Return where the work folder remembers what the tables in config.out_dir were made of."""
    out = hashlib.sha256(str(config.out_dir.resolve()).encode()).hexdigest()[:16]
    return config.work_dir / str(Stage.LOAD) / f"{out}.json"


def unchanged_tables(config: RunConfig, key: str) -> dict[str, int] | None:
    """Return the counts of the tables in out_dir when they were made from exactly `key` and
    no table file has changed since; None otherwise."""
    stamp = io.read_json(_stamp_path(config))
    if Stage.LOAD in config.force or not stamp or stamp.get("key") != key:
        return None
    files = {name: io.file_stamp(config.out_dir / name) for name in tables_files()}
    if any(stamp["files"].get(name) != list(s or ()) for name, s in files.items()):
        return None
    return stamp["counts"]


def dropped_documents(config: RunConfig, jobs: list[Job], unread: list[Summary]) -> list[str]:
    """Return the source paths of the documents the tables in out_dir hold that a run of these
    jobs would leave out: neither their content (doc_id) nor their path is among its inputs."""
    ids = {job.doc_id for job in jobs} | {s["doc_id"] for s in unread}
    paths = {job.source_path for job in jobs} | {s["source_path"] for s in unread}
    held = _held_documents(config)
    return sorted({path for doc_id, path in held if doc_id not in ids and path not in paths})


def _held_documents(config: RunConfig) -> list[tuple[str, str]]:
    """Return (doc_id, source_path) of each document in out_dir's documents table: from the
    stamp of the last write while that table is unchanged since, else from the table itself."""
    table = config.out_dir / "documents.parquet"
    current = io.file_stamp(table)
    if current is None:
        return []
    stamp = io.read_json(_stamp_path(config)) or {}
    if "documents" in stamp and stamp["files"].get(table.name) == list(current):
        return [tuple(held) for held in stamp["documents"]]
    rows = io.read_columns(table, ["doc_id", "source_path"])
    if rows is None:
        log.warning("%s cannot be read; the tables will be written over it", table)
        return []
    return [(row["doc_id"], row["source_path"]) for row in rows]


def write_tables(
    config: RunConfig,
    jobs: list[Job],
    summaries: list[Summary],
    unread: list[Summary],
    key: str,
    rows: DocumentRows,
) -> dict[str, int]:
    """Build and write the tables (the files that could not be read as failed documents) from
    the documents' rows (those `rows` holds made already); remember what they were made of.
    Return the counts."""
    from pipeline.load import build_tables, summarize
    from pipeline.load import write_tables as write

    tables = build_tables(rows.in_order(jobs, summaries), summaries + unread)
    write(tables, config.out_dir)
    counts = summarize(tables)
    files = {name: list(io.file_stamp(config.out_dir / name) or ()) for name in tables_files()}
    held = [[s["doc_id"], s["source_path"]] for s in summaries + unread]
    stamp = {"key": key, "counts": counts, "files": files, "documents": held}
    io.write_json(_stamp_path(config), stamp)
    return counts
