"""Turn Chinese government yearly reports (PDF) into queryable tables.

>>> import pipeline
>>> result = pipeline.run(["data/raw"], out_dir="data/processed")
>>> figures = pipeline.load_table("figures", "data/processed")
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from pipeline.runner import RunResult

DISTRIBUTION = "gov-reports-pipeline"


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


def __getattr__(name: str) -> Any:
    """__version__: the installed version, looked up when first asked (importlib.metadata costs
    a run that finds everything up to date a tenth of its time)."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version(DISTRIBUTION)
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        found = "0.0.0"
    globals()["__version__"] = found
    return found


__all__ = ["__version__", "load_table", "run"]
