"""Documents × stages: caching by content hash and stage version, failure isolation, workers.

The main process plans: it finds the PDFs, names them by content, and checks each one's last
stage output (the first line of its record) against the current stage versions. Only the
documents without a current output go to worker processes, local (`--jobs`) or on a Dask
cluster (`--scheduler`); so a run with nothing to do never loads pdfplumber, jieba or spaCy.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import json
import logging
import signal
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import io, workers
from pipeline.config import DEFAULT_TIMEOUT, DUCKDB_NAME, RunConfig, Stage
from pipeline.errors import DocumentError, SchedulerError
from pipeline.schema import Status

log = logging.getLogger(__name__)

PACKAGE = Path(__file__).resolve().parent
STAGE_MODULES = {
    Stage.EXTRACT: "pipeline.extract.pdf",
    Stage.SEGMENT: "pipeline.segment.document",
    Stage.FIGURES: "pipeline.figures.document",
}
TABLES_CODE = ("tables.py", "schema.py", "io.py")
IDS_NAME = "ids.json"
SCHEDULER_CONNECT_SECONDS = 30
SCHEDULER_WORKERS_SECONDS = 60

Summary = dict[str, Any]


# --------------------------------------------------------------------------- stage versions


@functools.cache
def fingerprint(package: str) -> str:
    """Return a short hash of every source and resource file of a stage package."""
    root = PACKAGE / package
    files = sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix in {".py", ".txt", ".tsv"}
    )
    return _hash_files(root, files)


def _hash_files(root: Path, files: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def declared_version(stage: Stage) -> str:
    """Return the VERSION a stage module declares, without importing it when it is not loaded
    yet (importing the segment or figures stage loads spaCy)."""
    name = STAGE_MODULES[stage]
    module = sys.modules.get(name)
    if module is None:
        source = PACKAGE.parent.joinpath(*name.split(".")).with_suffix(".py")
        version = _literal_version(source.read_text("utf-8"))
        if version is not None:
            return version
        module = __import__(name, fromlist=["VERSION"])
    return str(module.VERSION)


def _literal_version(source: str) -> str | None:
    """Return the string assigned to VERSION at the top level of a module's source, if any."""
    for node in ast.parse(source).body:
        if (
            isinstance(node, ast.Assign)
            and [getattr(t, "id", None) for t in node.targets] == ["VERSION"]
            and isinstance(node.value, ast.Constant)
        ):
            return str(node.value.value)
    return None


def stage_versions() -> dict[str, str]:
    """Return every per-document stage's version: its declared VERSION and code fingerprint.

    Any change to a stage's rules, code or resources invalidates exactly its cached outputs
    and those of the stages after it.
    """
    return {str(s): f"{declared_version(s)}-{fingerprint(s)}" for s in Stage.per_document()}


def versions_through(stage: Stage, versions: dict[str, str] | None = None) -> dict[str, str]:
    """Return the versions of every stage up to and including `stage`."""
    versions = stage_versions() if versions is None else versions
    stages = [str(s) for s in Stage.per_document()]
    return {name: versions[name] for name in stages[: stages.index(str(stage)) + 1]}


def stage_cores() -> dict[Stage, Callable[[Any], dict[str, Any]]]:
    """Return each per-document stage's core function (importing the stages)."""
    from pipeline.extract.pdf import extract_document
    from pipeline.figures.document import figure_document
    from pipeline.segment.document import segment_document

    return {
        Stage.EXTRACT: extract_document,
        Stage.SEGMENT: segment_document,
        Stage.FIGURES: figure_document,
    }


def warm_up() -> None:
    """Load pdfplumber, jieba's dictionaries and spaCy once per worker process."""
    from pipeline.segment.tokens import build_nlp

    stage_cores()
    build_nlp()


# --------------------------------------------------------------------------- one document


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

    def stages(self) -> list[Stage]:
        """Return the per-document stages this job goes through, in order."""
        stages = Stage.per_document()
        return stages[: stages.index(self.until) + 1]

    def target(self, stage: Stage) -> Path:
        """Return where this document's output of `stage` is kept."""
        return io.interim_path(self.work_dir, stage, self.doc_id)

    def is_current(self, head: dict[str, Any] | None, stage: Stage) -> bool:
        """Return whether a stored output of `stage` (its head) can be used as it is.

        It must be made by the current stage versions; a failure is retried when asked, and a
        timeout when the timeout has been raised since.
        """
        if head is None or head.get("versions") != versions_through(stage, self.versions):
            return False
        if head["status"] != Status.FAILED:
            return True
        return not self.retry_failed and head.get("timeout", self.timeout) >= self.timeout


def process_document(job: Job) -> Summary:
    """Bring one document through its stages, reusing valid cached outputs.

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
        record = _run_stage(job, stage, cores[stage], record)
        seconds[str(stage)] = clock() - started
        started = clock()
        io.write_record(job.target(stage), record)
        seconds["write"] += clock() - started
    ran = [str(stage) for stage in stages[first:]]
    return {**_summary(job, record), "ran": ran, "seconds": seconds}


def _first_stale(job: Job, stages: list[Stage]) -> int:
    """Return the index of the first stage to run: forced, or without a current output."""
    for i, stage in enumerate(stages):
        if stage in job.force or not job.is_current(io.read_record_head(job.target(stage)), stage):
            return i
    return len(stages)


def _run_stage(job: Job, stage: Stage, core, previous: dict[str, Any] | None) -> dict[str, Any]:
    """Return the stage's output record for the document (a failed record when it cannot run)."""
    head = {
        "doc_id": job.doc_id,
        "source_path": job.source_path,
        "versions": versions_through(stage, job.versions),
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


def _summary(job: Job, record: dict[str, Any]) -> Summary:
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


def process_here(job: Job) -> Summary:
    """Process one document in this process, stopped at the timeout."""
    started = time.perf_counter()
    try:
        with deadline(job.timeout):
            summary = process_document(job)
    except Overtime:
        return _timed_out(job)
    return {**summary, "rss_mb": workers.peak_rss_mb(), "wall": time.perf_counter() - started}


def _timed_out(job: Job) -> Summary:
    """Record and return the failure of a document stopped at the timeout."""
    error = (
        f"processing took longer than the {job.timeout:g} s timeout and was stopped; "
        "raise --timeout to give long documents more time."
    )
    record = {**_failed_record(job, error), "timeout": job.timeout}
    io.write_record(job.target(job.until), record)
    return {**_summary(job, record), "stored": True}


def process_isolated(job: Job, pool: workers.WorkerPool) -> Summary:
    """Process one document in a worker process of the pool; a document that runs past the
    timeout, or whose worker dies, becomes a failed summary and the pool goes on."""
    started = time.perf_counter()
    try:
        summary, worker = pool.run(process_document, (job,), job.timeout, job.source_path)
    except workers.WorkerTimeout:
        return _timed_out(job)
    except workers.WorkerDied as exc:
        how = f"{exc}, as the out-of-memory killer does" if "SIGKILL" in str(exc) else str(exc)
        error = (
            f"the worker process stopped while processing this document ({how}); "
            "the next run tries it again."
        )
        return {**_summary(job, _failed_record(job, error)), "stored": False}
    except workers.CallFailed as exc:
        error = f"internal error while processing this document ({exc}); please report it."
        return {**_summary(job, _failed_record(job, error)), "stored": False}
    wall = time.perf_counter() - started
    return {**summary, "rss_mb": worker.peak_rss_mb, "worker": worker.pid, "wall": wall}


def _failed_record(job: Job, error: str) -> dict[str, Any]:
    return {
        "doc_id": job.doc_id,
        "source_path": job.source_path,
        "versions": versions_through(job.until, job.versions),
        "status": str(Status.FAILED),
        "error": error,
        "n_pages": None,
    }


def process_on_cluster(job: Job) -> Summary:
    """Process one document on a Dask worker, in a worker process that worker keeps."""
    return process_isolated(job, workers.shared_pool(warm_up))


def describe_worker(work_dir: str) -> dict[str, Any]:
    """Return what a Dask worker runs and sees: its stage versions, and whether the work
    folder is there."""
    return {"versions": stage_versions(), "sees_work": Path(work_dir).is_dir()}


# --------------------------------------------------------------------------- planning


def plan_jobs(config: RunConfig, until: Stage) -> tuple[list[Job], list[str]]:
    """Return one job per distinct document among the inputs, and the duplicates left out."""
    versions = stage_versions()
    jobs, seen, duplicates = [], {}, []
    for path, shown, doc_id, size in _identify(io.find_pdfs(config.inputs), config.work_dir):
        if doc_id in seen:
            duplicates.append(f"{shown} (same content as {seen[doc_id]})")
            continue
        seen[doc_id] = shown
        job = Job(
            path=path,
            source_path=shown,
            doc_id=doc_id,
            until=until,
            work_dir=config.work_dir.resolve(),
            force=config.force,
            versions=versions,
            size=size,
            timeout=config.timeout,
            retry_failed=config.retry_failed,
        )
        jobs.append(job)
    return jobs, duplicates


def _identify(
    found: list[tuple[Path, str]], work_dir: Path
) -> Iterator[tuple[Path, str, str, int]]:
    """Yield (path, shown path, doc_id, size) of each PDF; content hashes are remembered in the
    work folder by path, size, modification time and inode, so unchanged files are not read."""
    known = io.read_json(work_dir / IDS_NAME) or {}
    given = {str(path) for path, _ in found}
    remembered = {p: e for p, e in known.items() if p not in given and Path(p).exists()}
    for path, shown in found:
        stamp = io.file_stamp(path)
        entry = known.get(str(path))
        if stamp is not None and entry is not None and tuple(entry[:3]) == stamp:
            doc_id = entry[3]
        else:
            doc_id = io.doc_id_of(io.read_bytes(path))
        if stamp is not None:
            remembered[str(path)] = [*stamp, doc_id]
        yield path, shown, doc_id, stamp[0] if stamp else 0
    if remembered != known:
        io.write_json(work_dir / IDS_NAME, remembered)


# --------------------------------------------------------------------------- running


def run_jobs(jobs: list[Job], config: RunConfig) -> list[Summary]:
    """Return the jobs' summaries in order: current stored outputs are read (their first
    line), the other documents are processed by workers."""
    summaries: dict[str, Summary] = {}
    todo = []
    for job in jobs:
        forced = job.force.intersection(job.stages())
        head = None if forced else io.read_record_head(job.target(job.until))
        if job.is_current(head, job.until):
            summaries[job.doc_id] = _summary(job, head)
        else:
            todo.append(job)
    log.info(
        "%d documents up to date in %s; %d to process", len(summaries), config.work_dir, len(todo)
    )
    if todo:
        show_bar = sys.stderr.isatty() if config.progress is None else config.progress
        with Progress(todo, show_bar) as progress:

            def report(summary: Summary) -> None:
                summaries[summary["doc_id"]] = summary
                progress.update(summary)

            execute = _executor(config)
            execute(sorted(todo, key=lambda job: -job.size), config, report)
    return [summaries[job.doc_id] for job in jobs]


def _executor(config: RunConfig) -> Callable[[list[Job], RunConfig, Callable], None]:
    """Return how to run the documents: on the cluster, in this process (one job, in the main
    thread, where the timeout timer works), or in worker processes."""
    if config.scheduler:
        return _run_on_cluster
    if config.jobs == 1 and threading.current_thread() is threading.main_thread():
        return _run_here
    return _run_in_workers


def _run_here(jobs: list[Job], config: RunConfig, report: Callable[[Summary], None]) -> None:
    """Process the jobs one at a time in this process (--jobs 1)."""
    warm_up()
    for job in jobs:
        report(process_here(job))


def _run_in_workers(jobs: list[Job], config: RunConfig, report: Callable[[Summary], None]):
    """Process the jobs in local worker processes, `config.jobs` at a time."""
    pool = workers.WorkerPool(warm_up)
    executor = ThreadPoolExecutor(min(config.jobs, len(jobs)), thread_name_prefix="document")
    try:
        futures = [executor.submit(process_isolated, job, pool) for job in jobs]
        for future in as_completed(futures):
            report(future.result())
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
        pool.close()
        executor.shutdown(wait=True)


def _run_on_cluster(jobs: list[Job], config: RunConfig, report: Callable[[Summary], None]):
    """Process the jobs on the Dask cluster of `config.scheduler`, each in a worker process
    of a Dask worker."""
    try:
        from distributed import Client
        from distributed import as_completed as completed
    except ImportError as exc:
        raise SchedulerError(
            "--scheduler needs Dask; install it with pip install 'gov-reports-pipeline[cluster]'."
        ) from exc
    try:
        client = Client(config.scheduler, timeout=SCHEDULER_CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise SchedulerError(
            f"cannot reach the Dask scheduler at {config.scheduler} ({exc}); check the address "
            "and that `dask scheduler` runs there."
        ) from exc
    with client:
        _check_cluster(client, jobs[0])
        run_id = uuid.uuid4().hex[:8]
        futures = {
            client.submit(
                process_on_cluster,
                job,
                key=f"document-{job.doc_id}-{run_id}",
                pure=False,
                priority=job.size,
            ): job
            for job in jobs
        }
        try:
            for future in completed(futures, loop=client.loop):
                report(_cluster_result(future, futures[future]))
        except BaseException:
            client.cancel(list(futures))
            raise


def _cluster_result(future, job: Job) -> Summary:
    """Return a finished Dask task's summary; a task that failed fails its document alone."""
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a lost Dask worker fails its document only
        error = f"the Dask task failed ({type(exc).__name__}: {exc}); the next run tries it again."
        return {**_summary(job, _failed_record(job, error)), "stored": False}


def _check_cluster(client, job: Job) -> None:
    """Raise SchedulerError unless the cluster has workers that run this pipeline's code and
    see the work folder."""
    try:
        client.wait_for_workers(1, timeout=SCHEDULER_WORKERS_SECONDS)
        seen = client.run(describe_worker, str(job.work_dir))
    except TimeoutError as exc:
        raise SchedulerError(
            f"the Dask scheduler at {client.scheduler.address} has no workers; start some "
            "with `dask worker ADDRESS`."
        ) from exc
    except Exception as exc:  # noqa: BLE001 - whatever stops a worker from importing us
        raise SchedulerError(
            f"the Dask workers cannot run the pipeline ({type(exc).__name__}: {exc}); install "
            "this package on every worker."
        ) from exc
    for address, worker in seen.items():
        if worker["versions"] != job.versions:
            raise SchedulerError(
                f"the Dask worker {address} runs other pipeline code (stage versions "
                f"{worker['versions']}, here {job.versions}); install the same version on "
                "every worker."
            )
        if not worker["sees_work"]:
            raise SchedulerError(
                f"the Dask worker {address} cannot see the work folder {job.work_dir}; inputs "
                "and the work folder must be on storage every worker mounts at the same path."
            )


# --------------------------------------------------------------------------- progress


class Progress:
    """Documents done and failed, pages per second and time left: a bar on a terminal, a log
    line per document otherwise. Time left is estimated from the bytes of PDF still to do."""

    def __init__(self, jobs: list[Job], show_bar: bool) -> None:
        from tqdm import tqdm

        self.n_jobs = len(jobs)
        self.sizes = {job.doc_id: max(job.size, 1) for job in jobs}
        self.total = sum(self.sizes.values())
        self.done_bytes = self.done = self.failed = self.pages = 0
        self.started = time.monotonic()
        self.bar = tqdm(
            desc=f"0/{self.n_jobs} documents, loading the models",
            total=self.total,
            disable=not show_bar,
            file=sys.stderr,
            bar_format="{percentage:3.0f}%|{bar}| {desc} [{elapsed}<{remaining}]",
        )
        self.show_bar = show_bar

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc_info) -> None:
        self.bar.close()

    def update(self, summary: Summary) -> None:
        """Count one finished document and show where the run stands."""
        size = self.sizes[summary["doc_id"]]
        self.done += 1
        self.done_bytes += size
        self.failed += summary["status"] == Status.FAILED
        self.pages += summary["n_pages"] or 0
        self.bar.set_description_str(self.status(), refresh=False)
        self.bar.update(size)
        if not self.show_bar:
            log.info(
                "%s, %s: %s %s",
                self.status(),
                self.time_left(),
                summary["source_path"],
                summary["status"],
            )

    def status(self) -> str:
        """Return 'done/total documents (failed), pages per second'."""
        rate = self.pages / max(time.monotonic() - self.started, 1e-9)
        return f"{self.done}/{self.n_jobs} documents ({self.failed} failed), {rate:.1f} pages/s"

    def time_left(self) -> str:
        """Return the time left, estimated from the bytes processed so far."""
        elapsed = time.monotonic() - self.started
        seconds = elapsed * (self.total - self.done_bytes) / self.done_bytes
        return f"about {_duration(seconds)} left"


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return (
        f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"
    )


# --------------------------------------------------------------------------- tables


def load_outputs(jobs: list[Job], summaries: list[Summary], stage: Stage) -> Iterator[dict]:
    """Yield each job's stored output of `stage` made by the current versions, under its
    current path; a document without one (its worker died) is left to its summary."""
    for job, summary in zip(jobs, summaries, strict=True):
        if summary.get("stored", True):
            record = io.read_json(job.target(stage))
            if record is not None and job.is_current(record, stage):
                yield {**record, "source_path": job.source_path}


def tables_files() -> list[str]:
    """Return the names of the files the tables stage writes."""
    from pipeline.schema import TABLES

    return [f"{name}.{ext}" for name in TABLES for ext in ("parquet", "csv")] + [DUCKDB_NAME]


def _tables_key(jobs: list[Job], summaries: list[Summary]) -> str:
    """Return a hash of everything the tables are made from: the tables code and, per
    document, its path, outcome and stored record."""
    code = _hash_files(PACKAGE, [PACKAGE / name for name in TABLES_CODE])
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
    return hashlib.sha256(json.dumps([code, inputs]).encode()).hexdigest()


def _tables_stamp_path(config: RunConfig) -> Path:
    """Return where the work folder remembers what the tables in config.out_dir were made of."""
    out = hashlib.sha256(str(config.out_dir.resolve()).encode()).hexdigest()[:16]
    return config.work_dir / "tables" / f"{out}.json"


def _unchanged_tables(config: RunConfig, key: str) -> dict[str, int] | None:
    """Return the counts of the tables in out_dir when they were made from exactly `key` and
    no table file has changed since; None otherwise."""
    stamp = io.read_json(_tables_stamp_path(config))
    if Stage.TABLES in config.force or not stamp or stamp.get("key") != key:
        return None
    files = {name: io.file_stamp(config.out_dir / name) for name in tables_files()}
    if any(stamp["files"].get(name) != list(s or ()) for name, s in files.items()):
        return None
    return stamp["counts"]


def _write_tables(config: RunConfig, jobs: list[Job], summaries: list[Summary], key: str):
    """Build and write the tables; remember what they were made of. Return the counts."""
    from pipeline.tables import build_tables, summarize, write_tables

    last = jobs[0].until if jobs else Stage.FIGURES
    tables = build_tables(load_outputs(jobs, summaries, last), summaries)
    write_tables(tables, config.out_dir)
    counts = summarize(tables)
    files = {name: list(io.file_stamp(config.out_dir / name) or ()) for name in tables_files()}
    io.write_json(_tables_stamp_path(config), {"key": key, "counts": counts, "files": files})
    return counts


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


def run_pipeline(config: RunConfig, until: Stage = Stage.TABLES) -> RunResult:
    """Run the stages up to `until` over every input document; write the tables when asked."""
    clock = time.perf_counter
    started = clock()
    last = Stage.FIGURES if until == Stage.TABLES else until
    with io.locked(config.work_dir):
        _remove_stale_temporaries(config)
        jobs, duplicates = plan_jobs(config, last)
        for duplicate in duplicates:
            log.warning("skipped %s", duplicate)
        timings = {"plan": clock() - started}
        summaries = run_jobs(jobs, config)
        timings["documents"] = clock() - started - timings["plan"]
        counts = {
            "documents": len(summaries),
            "ok": sum(s["status"] == Status.OK for s in summaries),
            "failed": sum(s["status"] == Status.FAILED for s in summaries),
            "pages": sum(s["n_pages"] or 0 for s in summaries),
        }
        database, written = None, False
        if until == Stage.TABLES:
            key = _tables_key(jobs, summaries)
            unchanged = _unchanged_tables(config, key)
            written = unchanged is None
            counts = _write_tables(config, jobs, summaries, key) if written else unchanged
            database = config.out_dir / DUCKDB_NAME
    seconds = clock() - started
    timings["tables"] = seconds - timings["plan"] - timings["documents"]
    log.info("%d documents in %.1f s", len(jobs), seconds)
    return RunResult(
        summaries, duplicates, counts, config.out_dir, database, seconds, written, timings
    )


def _remove_stale_temporaries(config: RunConfig) -> None:
    """Remove what a killed run may have left half written (under temporary names only)."""
    removed = io.remove_stale_temporaries(config.work_dir)
    for stage in Stage.per_document():
        removed += io.remove_stale_temporaries(config.work_dir / stage)
    if config.out_dir.is_dir():
        removed += io.remove_stale_temporaries(config.out_dir, tables_files())
    if removed:
        log.info("removed %d temporary files left by an interrupted run", removed)
