"""The runner: documents × stages, in three rooms and the run that uses them.

- `stages`: what each per-document stage is and the version its outputs carry;
- `document` (one document through its stages, cached and failure-isolated), `plan` (the
  inputs named by content) and `outputs` (the load stage's inputs and its skip);
- `executors` (this process, worker processes from `workers`, or Dask) and `progress`.

`run.run_pipeline` puts them together.
"""

from pipeline.runner.run import RunResult, run_pipeline

__all__ = ["RunResult", "run_pipeline"]
