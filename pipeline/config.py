"""Every path and default in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

RAW_DIR = Path("data/raw")
WORK_DIR = Path("data/interim")
OUT_DIR = Path("data/processed")
# Characters no text column keeps: controls other than newline and tab (NUL, ESC, CR …) and the
# bidirectional overrides and isolates that make a text read in another order than it is stored
# (a pattern both Python's re and Arrow's RE2 read).
HIDDEN_CHARACTERS = "[\\x00-\\x08\\x0b-\\x1f\\x7f\u202a-\u202e\u2066-\u2069]"
# A text cell a spreadsheet would run as a formula (OWASP, "CSV Injection"): it gets a leading '.
FORMULA_START = r"^[=+\-@\t\r]"
DUCKDB_NAME = "reports.duckdb"
DEFAULT_TIMEOUT = 300.0  # seconds one document may take through every stage


class Stage(StrEnum):
    """The five stages, in the order data flows through them."""

    EXTRACT = "extract"
    SEGMENT = "segment"
    FIGURES = "figures"
    FACTS = "facts"
    LOAD = "load"

    @classmethod
    def per_document(cls) -> list[Stage]:
        """Return the stages that run once per document (all but load)."""
        return [cls.EXTRACT, cls.SEGMENT, cls.FIGURES, cls.FACTS]


def default_jobs() -> int:
    """Return the default number of worker processes: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class RunConfig:
    """Settings of one pipeline run; validates itself."""

    inputs: tuple[Path, ...] = (RAW_DIR,)
    out_dir: Path = OUT_DIR
    work_dir: Path = WORK_DIR
    jobs: int = field(default_factory=default_jobs)
    force: frozenset[Stage] = frozenset()
    progress: bool | None = None  # None: a bar when stderr is a terminal
    timeout: float = DEFAULT_TIMEOUT
    scheduler: str | None = None  # a Dask scheduler address; None: local worker processes
    retry_failed: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "inputs", tuple(Path(p) for p in self.inputs))
        object.__setattr__(self, "out_dir", Path(self.out_dir))
        object.__setattr__(self, "work_dir", Path(self.work_dir))
        if self.jobs < 1:
            raise ValueError(f"jobs must be at least 1, got {self.jobs}")
        if not self.timeout > 0:
            raise ValueError(f"timeout must be a positive number of seconds, got {self.timeout}")
        if not self.inputs:
            raise ValueError("at least one input file or folder is needed")
