"""Executors: the documents that need work, run in this process, in local worker processes
(`--jobs`), or on a Dask cluster (`--scheduler`); each reports a summary per document."""

from __future__ import annotations

import logging
import sys
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed

from pipeline import io
from pipeline.config import RunConfig
from pipeline.errors import SchedulerError
from pipeline.runner import workers
from pipeline.runner.document import (
    Job,
    Step,
    Summary,
    describe_worker,
    failed_record,
    process_here,
    process_isolated,
    process_on_cluster,
    summary_of,
)
from pipeline.runner.progress import Progress
from pipeline.runner.stages import warm_up

log = logging.getLogger(__name__)

Report = Callable[[Summary], None]

SCHEDULER_CONNECT_SECONDS = 30
SCHEDULER_WORKERS_SECONDS = 60


def run_jobs(
    jobs: list[Job], config: RunConfig, on_done: Callable[[Job, Summary], None] | None = None
) -> list[Summary]:
    """Return the jobs' summaries in order: current stored outputs are read (their first
    line), the other documents are processed by workers, each passed to `on_done` when done."""
    summaries: dict[str, Summary] = {}
    todo = []
    for job in jobs:
        forced = job.force.intersection(job.stages())
        head = None if forced else io.read_record_head(job.target(job.until))
        if job.is_current(head, job.until):
            summaries[job.doc_id] = summary_of(job, head)
        else:
            todo.append(job)
    log.info(
        "%d documents up to date in %s; %d to process", len(summaries), config.work_dir, len(todo)
    )
    if todo:
        show_bar = sys.stderr.isatty() if config.progress is None else config.progress
        by_id = {job.doc_id: job for job in todo}
        with Progress(todo, show_bar) as progress:

            def report(summary: Summary) -> None:
                summaries[summary["doc_id"]] = summary
                if on_done is not None:
                    on_done(by_id[summary["doc_id"]], summary)
                progress.update(summary)

            execute = _executor(config)
            execute(sorted(todo, key=lambda job: -job.size), config, report, progress.step)
    return [summaries[job.doc_id] for job in jobs]


def _executor(config: RunConfig) -> Callable[[list[Job], RunConfig, Callable, Step], None]:
    """Return how to run the documents: on the cluster, in this process (one job, in the main
    thread, where the timeout timer works), or in worker processes."""
    if config.scheduler:
        return _run_on_cluster
    if config.jobs == 1 and threading.current_thread() is threading.main_thread():
        return _run_here
    return _run_in_workers


def _run_here(jobs: list[Job], config: RunConfig, report: Report, step: Step) -> None:
    """Process the jobs one at a time in this process (--jobs 1)."""
    warm_up()
    for job in jobs:
        report(process_here(job, step))


def _run_in_workers(jobs: list[Job], config: RunConfig, report: Report, step: Step) -> None:
    """Process the jobs in local worker processes, `config.jobs` at a time."""
    pool = workers.WorkerPool(warm_up, config.memory_limit)
    executor = ThreadPoolExecutor(min(config.jobs, len(jobs)), thread_name_prefix="document")
    try:
        futures = [executor.submit(process_isolated, job, pool, step) for job in jobs]
        for future in as_completed(futures):
            report(future.result())
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
        pool.close()
        executor.shutdown(wait=True)


def _run_on_cluster(jobs: list[Job], config: RunConfig, report: Report, step: Step) -> None:
    """Process the jobs on the Dask cluster of `config.scheduler`, each in a worker process
    of a Dask worker (a whole document at a time: no steps within it)."""
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
        return {**summary_of(job, failed_record(job, error)), "stored": False}


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
