"""Documents × stages: caching by content hash and stage version, failure isolation, workers."""

from __future__ import annotations

import functools
import hashlib
import logging
import multiprocessing
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from pipeline import io
from pipeline.config import RunConfig, Stage
from pipeline.errors import DocumentError
from pipeline.schema import Status

log = logging.getLogger(__name__)


def stage_functions() -> dict[Stage, tuple[str, Callable[[Any], dict[str, Any]]]]:
    """Return each per-document stage's version and core function (imported on first use).

    A stage's version is its declared VERSION plus a fingerprint of its package's code and
    resources, so any change to a stage's rules invalidates exactly its cached outputs.
    """
    from pipeline.extract.pdf import VERSION as EXTRACT_VERSION
    from pipeline.extract.pdf import extract_document
    from pipeline.figures.document import VERSION as FIGURES_VERSION
    from pipeline.figures.document import figure_document
    from pipeline.segment.document import VERSION as SEGMENT_VERSION
    from pipeline.segment.document import segment_document

    return {
        Stage.EXTRACT: (f"{EXTRACT_VERSION}-{fingerprint('extract')}", extract_document),
        Stage.SEGMENT: (f"{SEGMENT_VERSION}-{fingerprint('segment')}", segment_document),
        Stage.FIGURES: (f"{FIGURES_VERSION}-{fingerprint('figures')}", figure_document),
    }


@functools.cache
def fingerprint(package: str) -> str:
    """Return a short hash of every source and resource file of a stage package."""
    root = Path(__file__).resolve().parent / package
    digest = hashlib.sha256()
    for path in sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix in {".py", ".txt", ".tsv"}
    ):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def versions_through(stage: Stage) -> dict[str, str]:
    """Return the versions of every stage up to and including `stage`."""
    chain = {}
    for name, (version, _) in stage_functions().items():
        chain[str(name)] = version
        if name == stage:
            break
    return chain


@dataclass(frozen=True)
class Job:
    """One document to bring through the per-document stages up to `until`."""

    path: Path
    source_path: str
    doc_id: str
    until: Stage
    work_dir: Path
    force: frozenset[Stage]


def process_document(job: Job) -> dict[str, Any]:
    """Bring one document through its stages, reusing valid cached outputs.

    Returns a short summary (doc_id, source_path, status, error, n_pages, stages run). Never
    raises for a bad document: its failure is recorded in the stage output and the summary.
    """
    record: dict[str, Any] | None = None
    ran: list[str] = []
    upstream_changed = False
    for stage, (_, core) in stage_functions().items():
        target = io.interim_path(job.work_dir, stage, job.doc_id)
        cached = None if upstream_changed or stage in job.force else _valid_cache(target, stage)
        if cached is not None:
            record = cached
        else:
            record = _run_stage(job, stage, core, record)
            io.write_json(target, record)
            ran.append(str(stage))
            upstream_changed = True
        if stage == job.until:
            break
    assert record is not None
    return {
        "doc_id": job.doc_id,
        "source_path": job.source_path,
        "status": record["status"],
        "error": record["error"],
        "n_pages": record.get("n_pages"),
        "ran": ran,
    }


def _valid_cache(target: Path, stage: Stage) -> dict[str, Any] | None:
    """Return the cached stage output when it exists and was made by the current stage versions."""
    cached = io.read_json(target)
    if cached is None or cached.get("versions") != versions_through(stage):
        return None
    return cached


def _run_stage(job: Job, stage: Stage, core, previous: dict[str, Any] | None) -> dict[str, Any]:
    """Return the stage's output record for the document (a failed record when it cannot run)."""
    head = {
        "doc_id": job.doc_id,
        "source_path": job.source_path,
        "versions": versions_through(stage),
    }
    if previous is not None and previous["status"] == Status.FAILED:
        return {**previous, **head}
    try:
        data = core(io.read_bytes(job.path)) if stage == Stage.EXTRACT else core(previous["data"])
    except DocumentError as exc:
        return {**head, "status": str(Status.FAILED), "error": str(exc), "n_pages": None}
    except Exception as exc:  # noqa: BLE001 - a bug on one document must not stop the batch
        log.debug("internal error on %s", job.source_path, exc_info=True)
        first = traceback.format_exception_only(exc)[-1].strip()
        message = f"internal error while running {stage} ({first}); please report it."
        return {**head, "status": str(Status.FAILED), "error": message, "n_pages": None}
    n_pages = data.get("n_pages") if stage == Stage.EXTRACT else previous["n_pages"]
    return {**head, "status": str(Status.OK), "error": None, "n_pages": n_pages, "data": data}


def warm_up() -> None:
    """Load jieba's dictionaries and spaCy once per worker process."""
    from pipeline.segment.tokens import build_nlp

    build_nlp()


def plan_jobs(config: RunConfig, until: Stage) -> tuple[list[Job], list[str]]:
    """Return one job per distinct document among the inputs, and the duplicates left out."""
    jobs, seen, duplicates = [], {}, []
    for path, shown in io.find_pdfs(config.inputs):
        doc_id = io.doc_id_of(io.read_bytes(path))
        if doc_id in seen:
            duplicates.append(f"{shown} (same content as {seen[doc_id]})")
            continue
        seen[doc_id] = shown
        jobs.append(Job(path, shown, doc_id, until, config.work_dir, config.force))
    return jobs, duplicates


def run_jobs(jobs: list[Job], config: RunConfig) -> list[dict[str, Any]]:
    """Run the jobs (in worker processes when jobs > 1) and return their summaries in order."""
    show_bar = sys.stderr.isatty() if config.progress is None else config.progress
    summaries: dict[str, dict[str, Any]] = {}
    started = time.monotonic()
    with tqdm(total=len(jobs), unit="doc", disable=not show_bar, file=sys.stderr) as bar:
        for summary in _execute(jobs, config.jobs):
            summaries[summary["doc_id"]] = summary
            bar.update(1)
            failed = sum(s["status"] == Status.FAILED for s in summaries.values())
            bar.set_postfix(failed=failed)
            if not show_bar:
                log.info(
                    "%d/%d %s: %s",
                    len(summaries),
                    len(jobs),
                    summary["source_path"],
                    summary["status"],
                )
    log.info("processed %d documents in %.1f s", len(jobs), time.monotonic() - started)
    return [summaries[job.doc_id] for job in jobs]


def _execute(jobs: list[Job], n_workers: int) -> Iterator[dict[str, Any]]:
    """Yield job summaries as they finish, in this process or in a pool of workers."""
    n_workers = min(n_workers, len(jobs))
    if n_workers <= 1:
        warm_up()
        yield from (process_document(job) for job in jobs)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(n_workers, mp_context=context, initializer=warm_up) as pool:
        futures: dict[Future, Job] = {pool.submit(process_document, job): job for job in jobs}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # noqa: BLE001 - a dead worker fails its document only
                yield _crashed(futures[future], exc)


def _crashed(job: Job, exc: Exception) -> dict[str, Any]:
    """Return the summary of a job whose worker process died."""
    error = f"the worker processing this document stopped unexpectedly ({type(exc).__name__})."
    return {
        "doc_id": job.doc_id,
        "source_path": job.source_path,
        "status": str(Status.FAILED),
        "error": error,
        "n_pages": None,
        "ran": [],
    }


def load_outputs(jobs: list[Job], stage: Stage) -> Iterator[dict[str, Any]]:
    """Yield each job's stored output of `stage`; a job whose worker died has none (its
    summary carries the failure)."""
    for job in jobs:
        record = io.read_json(io.interim_path(job.work_dir, stage, job.doc_id))
        if record is not None:
            yield record


@dataclass
class RunResult:
    """What a run did: the per-document summaries, counts and where the tables are."""

    summaries: list[dict[str, Any]]
    duplicates: list[str]
    counts: dict[str, int]
    out_dir: Path
    database: Path | None

    @property
    def failed(self) -> list[dict[str, Any]]:
        return [s for s in self.summaries if s["status"] == Status.FAILED]


def run_pipeline(config: RunConfig, until: Stage = Stage.TABLES) -> RunResult:
    """Run the stages up to `until` over every input document; write the tables when asked."""
    from pipeline.tables import build_tables, summarize, write_tables

    last = Stage.FIGURES if until == Stage.TABLES else until
    jobs, duplicates = plan_jobs(config, last)
    for duplicate in duplicates:
        log.warning("skipped %s", duplicate)
    log.info("%d documents; stages up to %s; %d jobs", len(jobs), until, config.jobs)
    summaries = run_jobs(jobs, config)
    pages = sum(s["n_pages"] or 0 for s in summaries)
    counts = {
        "documents": len(summaries),
        "ok": sum(s["status"] == Status.OK for s in summaries),
        "failed": sum(s["status"] == Status.FAILED for s in summaries),
        "pages": pages,
    }
    database = None
    if until == Stage.TABLES:
        tables = build_tables(load_outputs(jobs, Stage.FIGURES), summaries)
        database = write_tables(tables, config.out_dir)
        counts = summarize(tables)
    return RunResult(summaries, duplicates, counts, config.out_dir, database)
