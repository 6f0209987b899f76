"""The runner: documents × stages, in three rooms and the run that uses them.

- `stages`: what each per-document stage is and the version its outputs carry;
- `document` (one document through its stages, cached and failure-isolated), `plan` (the
  inputs named by content) and `outputs` (the load stage's inputs and its skip);
- `executors` (this process, worker processes from `workers`, or Dask) and `progress`.

`run.run_pipeline` puts them together.
"""

from __future__ import annotations

from typing import Any

__all__ = ["RunResult", "run_pipeline"]


def __getattr__(name: str) -> Any:
    """Import the run on first use: a worker process starts as `python -m
    pipeline.runner.workers`, which must not import the runner's other rooms first."""
    if name in __all__:
        from pipeline.runner import run

        return getattr(run, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
