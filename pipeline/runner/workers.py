"""Worker processes: child Pythons that load the models once, then run one call at a time.

A call that runs past its timeout gets its process killed; a process that dies fails only the
call it held. Either way the pool replaces the process and the other calls go on. A worker
ignores Ctrl-C (the parent decides what to stop) and exits when its parent process is gone.
"""

from __future__ import annotations

import atexit
import logging
import os
import resource
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from typing import Any

from pipeline.errors import WorkerStartError

log = logging.getLogger(__name__)

WORKER_MODULE = "pipeline.runner.workers"
START_TIMEOUT = 600.0
PARENT_CHECK_SECONDS = 0.5
# A worker whose resident memory stays above this share of its limit after a call is replaced
# (what a document that exhausted memory leaves behind is not carried into the next one).
RETIRE_SHARE = 0.5


NEWS = "news"  # the tag of what a worker tells its parent while a call runs
News = Callable[..., None]
_parent: Connection | None = None  # in a worker process: the pipe to the parent


class WorkerTimeout(Exception):
    """A call ran past its timeout and its worker process was killed."""


class WorkerDied(Exception):
    """The worker process ended while it held a call."""


class CallFailed(Exception):
    """The called function raised inside the worker process."""


class PoolClosed(Exception):
    """The pool was closed (the run is being stopped) while the call waited or ran."""


class Worker:
    """One child Python process, started by this one and talked to over a pipe."""

    def __init__(self, max_memory: int | None = None) -> None:
        ours, theirs = Pipe()
        limit = str(max_memory or 0)
        self.process = subprocess.Popen(
            [sys.executable, "-m", WORKER_MODULE, str(theirs.fileno()), str(os.getpid()), limit],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        theirs.close()
        self.conn: Connection = ours
        self.peak_rss_mb: float | None = None
        self.spent = False  # its memory stayed high after a call: replace it

    @property
    def pid(self) -> int:
        return self.process.pid

    def call(
        self, func: Callable[..., Any], args: tuple, timeout: float, on_news: News | None = None
    ) -> Any:
        """Return func(*args) run in the worker, handing on_news what it tells on the way (see
        tell_parent); raise WorkerTimeout, WorkerDied or CallFailed."""
        deadline = time.monotonic() + timeout
        try:
            self.conn.send((func, args))
            while True:
                if not self.conn.poll(max(deadline - time.monotonic(), 0)):
                    self.kill()
                    raise WorkerTimeout(f"still running after {timeout:g} s")
                message = self.conn.recv()
                if message[0] != NEWS:
                    break
                if on_news is not None:
                    on_news(*message[1])
        except (EOFError, OSError) as exc:
            raise WorkerDied(self._how_it_ended()) from exc
        outcome, value, self.peak_rss_mb, self.spent = message
        if outcome == "error":
            raise CallFailed(value)
        return value

    def kill(self) -> None:
        """Kill the process and reap it."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.conn.close()

    def _how_it_ended(self) -> str:
        """Return how the process ended: its exit status or the signal that killed it."""
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            return "stopped answering"
        self.conn.close()
        if code < 0:
            return f"killed by signal {signal.Signals(-code).name}"
        return f"exited with status {code}"


class WorkerPool:
    """Worker processes shared by the threads that make calls; a lost one is replaced.

    `warm_up` (a picklable function) runs once in every new worker before its first call;
    `max_memory` (bytes) caps each worker's address space, so a call that needs more raises
    MemoryError in it instead of taking the machine's memory.
    """

    def __init__(
        self, warm_up: Callable[[], None] | None = None, max_memory: int | None = None
    ) -> None:
        self.warm_up = warm_up
        self.max_memory = max_memory
        self.closed = False
        self._idle: list[Worker] = []
        self._all: set[Worker] = set()
        self._lock = threading.Lock()

    def run(
        self,
        func: Callable[..., Any],
        args: tuple,
        timeout: float,
        label: str = "",
        on_news: News | None = None,
    ) -> tuple[Any, Worker]:
        """Return func(*args) from an idle (or new) worker, and that worker."""
        worker = self._acquire()
        log.debug("worker %d started %s", worker.pid, label)
        try:
            value = worker.call(func, args, timeout, on_news)
        except CallFailed:
            self._release(worker)
            raise
        except (WorkerTimeout, WorkerDied) as exc:
            self._discard(worker)
            if self.closed:
                raise PoolClosed() from exc
            raise
        except BaseException:
            self._discard(worker)
            raise
        self._release(worker)
        return value, worker

    def close(self) -> None:
        """Kill every worker; calls in flight raise PoolClosed."""
        with self._lock:
            self.closed = True
            workers = list(self._all)
        for worker in workers:
            worker.kill()

    def _acquire(self) -> Worker:
        with self._lock:
            if self.closed:
                raise PoolClosed()
            if self._idle:
                return self._idle.pop()
        worker = Worker(self.max_memory)
        with self._lock:
            closed = self.closed
            if not closed:
                self._all.add(worker)
        if closed:
            worker.kill()
            raise PoolClosed()
        if self.warm_up is not None:
            self._start(worker)
        return worker

    def _start(self, worker: Worker) -> None:
        """Run the warm-up in a new worker; raise WorkerStartError when it cannot."""
        try:
            worker.call(self.warm_up, (), START_TIMEOUT)
        except (WorkerTimeout, WorkerDied, CallFailed) as exc:
            self._discard(worker)
            if self.closed:
                raise PoolClosed() from exc
            raise WorkerStartError(
                f"a worker process could not load the pipeline ({exc}); check that "
                "`python -c 'from pipeline.runner.stages import warm_up; warm_up()'` works."
            ) from exc

    def _release(self, worker: Worker) -> None:
        if worker.spent:
            self._discard(worker)
            return
        with self._lock:
            if self.closed:
                worker.kill()
            else:
                self._idle.append(worker)

    def _discard(self, worker: Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)


_shared: WorkerPool | None = None
_shared_lock = threading.Lock()


def shared_pool(warm_up: Callable[[], None], max_memory: int | None = None) -> WorkerPool:
    """Return this process's long-lived pool (for tasks that arrive one by one, as on Dask)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = WorkerPool(warm_up, max_memory)
            atexit.register(_shared.close)
        return _shared


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MB.

    On Linux this is VmHWM, the high-water mark of this program's own memory: ru_maxrss would
    also count the parent's memory at the moment this process was forked from it.
    """
    peak = _status_mb("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """Return this process's resident memory now, in MB (0 where /proc is not there)."""
    return _status_mb("VmRSS") or 0.0


def _status_mb(field: str) -> float | None:
    """Return one memory line of /proc/self/status in MB, or None where it is not there."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def limit_memory(max_memory: int) -> None:
    """Cap this process's address space at `max_memory` bytes (0: no cap)."""
    if max_memory > 0:
        resource.setrlimit(resource.RLIMIT_AS, (max_memory, max_memory))


def _exit_with_parent(parent: int) -> None:
    """End this process as soon as its parent is gone (killed with -9, say)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def tell_parent(*news: Any) -> None:
    """In a worker process, send the parent news of the call in hand (its on_news gets the
    arguments); elsewhere do nothing."""
    if _parent is not None:
        _parent.send((NEWS, news))


def serve(conn: Connection, max_memory: int = 0) -> None:
    """Answer calls from the parent until it closes the pipe; each answer says whether this
    process should be replaced (its memory stayed above RETIRE_SHARE of its limit)."""
    global _parent
    _parent = conn
    while True:
        try:
            func, args = conn.recv()
        except EOFError:
            return
        try:
            answer = ("ok", func(*args))
        except Exception as exc:  # noqa: BLE001 - the parent decides what a failure means
            answer = ("error", traceback.format_exception_only(exc)[-1].strip())
        spent = max_memory > 0 and rss_mb() * 1024**2 > RETIRE_SHARE * max_memory
        conn.send((*answer, peak_rss_mb(), spent))


def main(argv: list[str]) -> None:
    """Worker process entry point: python -m pipeline.runner.workers PIPE_FD PARENT_PID
    [MAX_MEMORY_BYTES]."""
    fd, parent = int(argv[0]), int(argv[1])
    max_memory = int(argv[2]) if len(argv) > 2 else 0
    limit_memory(max_memory)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    serve(Connection(fd), max_memory)


if __name__ == "__main__":
    # Serve from the imported module, not __main__: functions sent here refer to its globals.
    from pipeline.runner import workers

    workers.main(sys.argv[1:])
