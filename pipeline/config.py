"""Every path and default in one place."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

RAW_DIR = Path("data/raw")
WORK_DIR = Path("data/interim")
OUT_DIR = Path("data/processed")
# Characters no text keeps: controls other than newline and tab (NUL, ESC, CR …) with the
# terminal escape sequences they open, zero-width spaces and marks (U+200B, U+FEFF …), and the
# bidirectional overrides and isolates that make a text read in another order than it is stored
# (a pattern both Python's re and Arrow's RE2 read).
HIDDEN_CHARACTERS = (
    "\\x1b\\[[0-9;?]*[ -/]*[@-~]"  # a terminal escape sequence (ESC [ 31 m), whole
    "|[\\x00-\\x08\\x0b-\\x1f\\x7f\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]"
)
# A text cell a spreadsheet would run as a formula (OWASP, "CSV Injection"): it gets a leading '.
FORMULA_START = r"^[=+\-@\t\r]"
DUCKDB_NAME = "reports.duckdb"
DEFAULT_TIMEOUT = 300.0  # seconds one document may take through every stage
# The memory a worker process may take (its address space) unless --max-memory says otherwise:
# 2 GiB, or a fair share of the machine's memory when that is less; never below MIN_MEMORY.
DEFAULT_MAX_MEMORY = 2 * 1024**3
MIN_MEMORY = 1024**3
MACHINE_SHARE = 0.8


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


def default_max_memory(jobs: int) -> int:
    """Return the default memory limit of one worker process, in bytes, for `jobs` workers."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not Linux
        return DEFAULT_MAX_MEMORY
    return max(MIN_MEMORY, min(DEFAULT_MAX_MEMORY, int(total * MACHINE_SHARE / max(1, jobs))))


def parse_memory(text: str) -> int:
    """Return a memory size given as `2G`, `1.5GB`, `1500M` or bytes, in bytes."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*", text, re.IGNORECASE)
    if not found:
        raise ValueError(f"{text!r} is no memory size; write it like 2G, 1.5GB or 1500M")
    power = " KMGT".index(found.group(2).upper() or " ")
    return int(float(found.group(1)) * 1024**power)


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
    max_memory: int | None = None  # bytes per worker process; None: default_max_memory(jobs)
    replace: bool = False  # the tables may drop documents the output folder holds

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
        if self.max_memory is not None and self.max_memory < MIN_MEMORY // 4:
            raise ValueError(f"max_memory must be at least {MIN_MEMORY // 4} bytes (256 MB)")

    @property
    def memory_limit(self) -> int:
        """Return the memory a worker process may take, in bytes."""
        return self.max_memory or default_max_memory(self.jobs)
