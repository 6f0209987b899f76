"""Turn Chinese government yearly reports (PDF) into queryable tables.

>>> import pipeline
>>> result = pipeline.run(["data/raw"], out_dir="data/processed")
>>> figures = pipeline.load_table("figures", "data/processed")
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from pipeline.runner import RunResult

try:
    __version__ = version("gov-reports-pipeline")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"


def run(inputs=("data/raw",), out_dir="data/processed", **settings) -> RunResult:
    """Run every stage over the PDFs in `inputs` and write the tables to `out_dir`.

    `settings` are RunConfig fields: work_dir, jobs, force, progress, timeout (seconds per
    document), scheduler (a Dask scheduler address), retry_failed.
    """
    from pipeline.config import RunConfig
    from pipeline.runner import run_pipeline

    paths = tuple(Path(p) for p in inputs)
    return run_pipeline(RunConfig(inputs=paths, out_dir=Path(out_dir), **settings))


def load_table(name: str, out_dir="data/processed") -> pd.DataFrame:
    """Return one output table (documents, figures, …) as a pandas DataFrame."""
    from pipeline.io import read_table

    return read_table(Path(out_dir), name)


__all__ = ["__version__", "load_table", "run"]
