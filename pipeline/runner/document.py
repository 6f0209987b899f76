"""One document through the per-document stages: its job, its cached outputs, its failures.

`process_document` brings a document as far as its job asks, reusing the stage outputs that are
current; `process_here` (this process, a SIGALRM timeout) and `process_isolated` (a worker
process, killed at the timeout) wrap it so that a bad document becomes a failed record and never
an exception.
"""

from __future__ import annotations

import contextlib
import logging
import re
import signal
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import io
from pipeline.config import DEFAULT_TIMEOUT, Stage
from pipeline.errors import DocumentError
from pipeline.runner import workers
from pipeline.runner.stages import stage_cores, stage_versions, versions_through, warm_up
from pipeline.vocabulary import Status

log = logging.getLogger(__name__)

Summary = dict[str, Any]
Step = Callable[[str, str, int, int], None]  # doc_id, stage, pages done, pages (0, 0: begun)


@dataclass(frozen=True)
class Job:
    """One document to bring through the per-document stages up to `until`."""

    path: Path
    source_path: str
    doc_id: str
    until: Stage
    work_dir: Path
    force: frozenset[Stage]
    versions: dict[str, str] = field(default_factory=stage_versions, hash=False)
    size: int = 0
    timeout: float = DEFAULT_TIMEOUT
    retry_failed: bool = False
    max_memory: int | None = None  # bytes a worker may take; None: no limit

    def stages(self) -> list[Stage]:
        """Return the per-document stages this job goes through, in order."""
        stages = Stage.per_document()
        return stages[: stages.index(self.until) + 1]

    def target(self, stage: Stage) -> Path:
        """Return where this document's output of `stage` is kept."""
        return io.interim_path(self.work_dir, stage, self.doc_id)

    def is_current(self, head: dict[str, Any] | None, stage: Stage) -> bool:
        """Return whether a stored output of `stage` (its head) can be used as it is.

        It must be made by the current stage versions; a failure is retried when asked, a
        timeout when the timeout has been raised since, and a document that ran out of memory
        when --max-memory has been raised since.
        """
        if head is None or head.get("versions") != versions_through(stage, self.versions):
            return False
        if head["status"] != Status.FAILED:
            return True
        if self.retry_failed or head.get("timeout", self.timeout) < self.timeout:
            return False
        return head.get("max_memory") is None or head["max_memory"] >= (self.max_memory or 0)


def process_document(job: Job, on_step: Step | None = None) -> Summary:
    """Bring one document through its stages, reusing valid cached outputs; on_step(doc_id,
    stage, done, total) is told each stage begun (0, 0) and each page extracted.

    Returns a short summary (doc_id, source_path, status, error, n_pages, stages run and their
    seconds). Never raises for a bad document: its failure is recorded in the stage output and
    the summary.
    """
    cores = stage_cores()
    stages = job.stages()
    clock = time.perf_counter
    started = clock()
    first = _first_stale(job, stages)
    record = io.read_json(job.target(stages[first - 1])) if first else None
    if first and not job.is_current(record, stages[first - 1]):
        first, record = 0, None
    seconds = {"read": clock() - started, "write": 0.0}
    for stage in stages[first:]:
        started = clock()
        if on_step is not None:
            on_step(job.doc_id, str(stage), 0, 0)
        record = _run_stage(job, stage, cores[stage], record, on_step)
        seconds[str(stage)] = clock() - started
        started = clock()
        io.write_record(job.target(stage), record)
        seconds["write"] += clock() - started
    ran = [str(stage) for stage in stages[first:]]
    return {**summary_of(job, record), "ran": ran, "seconds": seconds}


def _first_stale(job: Job, stages: list[Stage]) -> int:
    """Return the index of the first stage to run: forced, or without a current output."""
    for i, stage in enumerate(stages):
        if stage in job.force or not job.is_current(io.read_record_head(job.target(stage)), stage):
            return i
    return len(stages)


def _run_stage(
    job: Job, stage: Stage, core, previous: dict[str, Any] | None, on_step: Step | None = None
) -> dict[str, Any]:
    """Return the stage's output record for the document (a failed record when it cannot run)."""
    head = {
        "doc_id": job.doc_id,
        "source_path": job.source_path,
        "versions": versions_through(stage, job.versions),
    }
    if previous is not None and previous["status"] == Status.FAILED:
        return {**previous, **head}
    try:
        data = (
            core(io.read_bytes(job.path), _page_step(job, on_step))
            if stage == Stage.EXTRACT
            else core(previous["data"])
        )
    except DocumentError as exc:
        return {**head, "status": str(Status.FAILED), "error": str(exc), "n_pages": None}
    except MemoryError:
        return {**head, **_out_of_memory(job)}
    except SystemError as exc:
        if not NO_MEMORY_LEFT.search(str(exc)):
            raise
        return {**head, **_out_of_memory(job)}  # C code whose allocation failed at the cap
    except Exception as exc:  # noqa: BLE001 - a bug on one document must not stop the batch
        log.debug("internal error on %s", job.source_path, exc_info=True)
        first = traceback.format_exception_only(exc)[-1].strip()
        message = f"internal error while running {stage} ({first}); please report it."
        return {**head, "status": str(Status.FAILED), "error": message, "n_pages": None}
    n_pages = data.get("n_pages") if stage == Stage.EXTRACT else previous["n_pages"]
    return {**head, "status": str(Status.OK), "error": None, "n_pages": n_pages, "data": data}


def _page_step(job: Job, on_step: Step | None) -> Callable[[int, int], None] | None:
    """Return the extract stage's on_page for on_step (None without one)."""
    if on_step is None:
        return None
    return lambda done, total: on_step(job.doc_id, str(Stage.EXTRACT), done, total)


# How C code that found no memory left (at the worker's cap) can fail instead of MemoryError:
# CPython's two messages for a C function that failed without saying why (the second is what a
# ctypes call into pdfium gives on the 10 MB text page of the hostile corpus).
NO_MEMORY_LEFT = re.compile(
    r"returned NULL without setting an exception|error return without exception set"
)


def _out_of_memory(job: Job) -> dict[str, Any]:
    """Return the failure of a document that needed more memory than a worker may take."""
    limit = f"{(job.max_memory or 0) / 1024**3:.1f} GB"
    error = (f"the document needs more than {limit} of memory (the limit of one worker) and "
             "was stopped; raise --max-memory to try it again.")  # fmt: skip
    return {"status": str(Status.FAILED), "error": error, "n_pages": None,
            "max_memory": job.max_memory or 0}  # fmt: skip


def summary_of(job: Job, record: dict[str, Any]) -> Summary:
    """Return the summary of a document from its record (or the head of it)."""
    return {
        "doc_id": job.doc_id,
        "source_path": job.source_path,
        "status": record["status"],
        "error": record["error"],
        "n_pages": record.get("n_pages"),
        "ran": [],
    }


class Overtime(BaseException):
    """A document ran past its timeout in this process (not an Exception, so that stage code
    catching Exception cannot swallow it)."""


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise Overtime in the block after `seconds` (a SIGALRM timer: main thread only)."""

    def expire(signum, frame) -> None:
        raise Overtime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def process_here(job: Job, on_step: Step | None = None) -> Summary:
    """Process one document in this process, stopped at the timeout."""
    started = time.perf_counter()
    try:
        with deadline(job.timeout):
            summary = process_document(job, on_step)
    except Overtime:
        return _timed_out(job)
    return {**summary, "rss_mb": workers.peak_rss_mb(), "wall": time.perf_counter() - started}


def _timed_out(job: Job) -> Summary:
    """Record and return the failure of a document stopped at the timeout."""
    error = (
        f"processing took longer than the {job.timeout:g} s timeout and was stopped; "
        "raise --timeout to give long documents more time."
    )
    record = {**failed_record(job, error), "timeout": job.timeout}
    io.write_record(job.target(job.until), record)
    return {**summary_of(job, record), "stored": True}


def process_isolated(job: Job, pool: workers.WorkerPool, on_step: Step | None = None) -> Summary:
    """Process one document in a worker process of the pool; a document that runs past the
    timeout, or whose worker dies, becomes a failed summary and the pool goes on. The worker's
    steps reach on_step over its pipe."""
    started = time.perf_counter()
    args = (job, workers.tell_parent if on_step else None)
    try:
        summary, worker = pool.run(process_document, args, job.timeout, job.source_path, on_step)
    except workers.WorkerTimeout:
        return _timed_out(job)
    except workers.WorkerDied as exc:
        return _worker_died(job, str(exc))
    except workers.CallFailed as exc:
        error = f"internal error while processing this document ({exc}); please report it."
        return {**summary_of(job, failed_record(job, error)), "stored": False}
    wall = time.perf_counter() - started
    return {**summary, "rss_mb": worker.peak_rss_mb, "worker": worker.pid, "wall": wall}


def failed_record(job: Job, error: str) -> dict[str, Any]:
    return {
        "doc_id": job.doc_id,
        "source_path": job.source_path,
        "versions": versions_through(job.until, job.versions),
        "status": str(Status.FAILED),
        "error": error,
        "n_pages": None,
    }


def _worker_died(job: Job, how: str) -> Summary:
    """Record and return the failure of a document whose worker process died under it. It is
    kept (not tried on every run, taking the memory again) until --retry-failed or a higher
    --max-memory."""
    if "SIGKILL" in how:
        how += ", as the out-of-memory killer does"
    error = (f"the worker process stopped while processing this document ({how}); "
             "rerun with --retry-failed or a higher --max-memory to try it again.")  # fmt: skip
    record = {**failed_record(job, error), "max_memory": job.max_memory or 0}
    io.write_record(job.target(job.until), record)
    return {**summary_of(job, record), "stored": True}


def process_on_cluster(job: Job) -> Summary:
    """Process one document on a Dask worker, in a worker process that worker keeps."""
    return process_isolated(job, workers.shared_pool(warm_up, job.max_memory))


def describe_worker(work_dir: str) -> dict[str, Any]:
    """Return what a Dask worker runs and sees: its stage versions, and whether the work
    folder is there."""
    return {"versions": stage_versions(), "sees_work": Path(work_dir).is_dir()}
