"""Progress of a run: a bar on a terminal, a log line per document otherwise."""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

from pipeline.schema import Status

log = logging.getLogger(__name__)


class Progress:
    """Documents done and failed, pages per second and time left: a bar on a terminal, a log
    line per document otherwise. Time left is estimated from the bytes of PDF still to do."""

    def __init__(self, jobs: list[Any], show_bar: bool) -> None:
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

    def update(self, summary: dict[str, Any]) -> None:
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
