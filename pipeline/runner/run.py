"""The run itself: plan the documents, bring each through its stages, load the tables."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import io
from pipeline.config import DUCKDB_NAME, RunConfig, Stage
from pipeline.errors import WouldDropError
from pipeline.runner.document import Summary
from pipeline.runner.executors import run_jobs
from pipeline.runner.outputs import (
    DocumentRows,
    dropped_documents,
    tables_files,
    tables_key,
    unchanged_tables,
    write_tables,
)
from pipeline.runner.plan import plan_jobs
from pipeline.vocabulary import Status

log = logging.getLogger(__name__)


@dataclass
class RunResult:
    """What a run did: the per-document summaries, counts and where the tables are."""

    summaries: list[Summary]
    duplicates: list[str]
    counts: dict[str, int]
    out_dir: Path
    database: Path | None
    seconds: float = 0.0
    tables_written: bool = False
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def failed(self) -> list[Summary]:
        return [s for s in self.summaries if s["status"] == Status.FAILED]

    @property
    def processed(self) -> list[Summary]:
        """Return the summaries of the documents a worker took up in this run."""
        return [s for s in self.summaries if "wall" in s or "stored" in s]


def run_pipeline(config: RunConfig, until: Stage = Stage.LOAD) -> RunResult:
    """Run the stages up to `until` over every input document; load the tables when asked."""
    clock = time.perf_counter
    started = clock()
    last = Stage.per_document()[-1] if until == Stage.LOAD else until
    with io.locked(config.work_dir):
        _remove_stale_temporaries(config)
        jobs, duplicates, unread = plan_jobs(config, last)
        for duplicate in duplicates:
            log.warning("skipped %s", duplicate)
        if until == Stage.LOAD and not config.replace:
            _refuse_to_drop(config, jobs, unread)
        timings = {"plan": clock() - started}
        rows = DocumentRows(last) if until == Stage.LOAD else None
        summaries = run_jobs(jobs, config, rows.add if rows else None)
        timings["documents"] = clock() - started - timings["plan"]
        counts, database, written = _count(summaries + unread), None, False
        if rows is not None:
            counts, written = _load(config, jobs, summaries, unread, rows)
            database = config.out_dir / DUCKDB_NAME
        summaries += unread
    seconds = clock() - started
    timings["load"] = seconds - timings["plan"] - timings["documents"]
    log.info("%d documents in %.1f s", len(jobs), seconds)
    return RunResult(
        summaries, duplicates, counts, config.out_dir, database, seconds, written, timings
    )


def _refuse_to_drop(config: RunConfig, jobs: list, unread: list[Summary]) -> None:
    """Raise WouldDropError when the tables would lose documents out_dir holds."""
    dropped = dropped_documents(config, jobs, unread)
    if dropped:
        named = ", ".join(dropped[:3]) + (", …" if len(dropped) > 3 else "")
        raise WouldDropError(
            f"{config.out_dir} holds {len(dropped)} document{'s' * (len(dropped) > 1)} these "
            f"inputs leave out ({named}); give every input again, or pass --replace "
            "(make: REPLACE=1) to write the tables of these inputs alone, or another --out."
        )


def _count(summaries: list[Summary]) -> dict[str, int]:
    """Return the documents, ok, failed and pages of a run's summaries."""
    return {
        "documents": len(summaries),
        "ok": sum(s["status"] == Status.OK for s in summaries),
        "failed": sum(s["status"] == Status.FAILED for s in summaries),
        "pages": sum(s["n_pages"] or 0 for s in summaries),
    }


def _load(
    config: RunConfig,
    jobs: list,
    summaries: list[Summary],
    unread: list[Summary],
    rows: DocumentRows,
) -> tuple[dict, bool]:
    """Write the tables (from `rows`, which holds those of the documents processed in this
    run) unless they stand as made from exactly these records; return their counts and
    whether they were written."""
    key = tables_key(jobs, summaries, unread)
    unchanged = unchanged_tables(config, key)
    if unchanged is not None:
        return unchanged, False
    return write_tables(config, jobs, summaries, unread, key, rows), True


def _remove_stale_temporaries(config: RunConfig) -> None:
    """Remove what a killed run may have left half written (under temporary names only)."""
    removed = io.remove_stale_temporaries(config.work_dir)
    for stage in [*Stage.per_document(), Stage.LOAD]:  # load keeps its stamps in WORK/load
        removed += io.remove_stale_temporaries(config.work_dir / stage)
    if config.out_dir.is_dir():
        removed += io.remove_stale_temporaries(config.out_dir, tables_files())
    if removed:
        log.info("removed %d temporary files left by an interrupted run", removed)
