"""Progress of a run: a bar on a terminal, a log line per document otherwise. The bar moves
within a document too: page by page while it is read, then stage by stage."""

from __future__ import annotations

import logging
import sys
import threading
import time
from typing import Any

from pipeline.vocabulary import Status

log = logging.getLogger(__name__)

# The share of a document's time its pages' reading takes (the extract stage, on the real
# test PDFs); the bar credits that share page by page and the rest when the document is done.
READ_SHARE = 0.7


class Progress:
    """Documents done and failed, pages per second and time left: a bar on a terminal, a log
    line per document otherwise. Time left is estimated from the bytes of PDF still to do."""

    def __init__(self, jobs: list[Any], show_bar: bool) -> None:
        from tqdm import tqdm

        self.n_jobs = len(jobs)
        self.sizes = {job.doc_id: max(job.size, 1) for job in jobs}
        self.names = {job.doc_id: job.source_path for job in jobs}
        self.credited: dict[str, int] = {}  # bytes of a document in hand already on the bar
        self.reading: dict[str, int] = {}  # pages of a document in hand read so far
        self.lock = threading.Lock()  # documents report from several threads
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

    def update(self, summary: dict[str, Any]) -> None:
        """Count one finished document and show where the run stands."""
        with self.lock:
            size = self.sizes[summary["doc_id"]]
            self.done += 1
            self.done_bytes += size
            self.failed += summary["status"] == Status.FAILED
            self.pages += summary["n_pages"] or 0
            self.reading.pop(summary["doc_id"], None)
            self.bar.set_description_str(self.status(), refresh=False)
            self.bar.update(size - self.credited.pop(summary["doc_id"], 0))
        if not self.show_bar:
            log.info(
                "%s, %s: %s %s",
                self.status(),
                self.time_left(),
                summary["source_path"],
                summary["status"],
            )

    def step(self, doc_id: str, stage: str, done: int, total: int) -> None:
        """Show how far a document in hand is: the page being read, or the stage begun."""
        with self.lock:
            share = READ_SHARE * (done / total if total else stage != "extract")
            credit = int(self.sizes[doc_id] * share)
            if credit > self.credited.get(doc_id, 0):
                self.bar.update(credit - self.credited.get(doc_id, 0))
                self.credited[doc_id] = credit
            if total:
                self.reading[doc_id] = done
            where = f"page {done}/{total}" if total else stage
            self.bar.set_description_str(f"{self.status()}; {self.names[doc_id]}: {where}")

    def status(self) -> str:
        """Return 'done/total documents (failed), pages per second'."""
        pages = self.pages + sum(self.reading.values())
        rate = pages / max(time.monotonic() - self.started, 1e-9)
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
