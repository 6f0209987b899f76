"""The unit table (resources/units.tsv): what a printed unit measures and how to convert it.

Each row is `unit, kind, base_unit, factor[, not_before]`. A unit without a row of its own that
starts with a multiplier (万, 亿, 千, 百万, 千万, 万亿) is that multiplier times the rest:
万小时 = 10000 小时, 万人次 = 10000 人次, 万亿元 = 10^4 × 亿元.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from pipeline.schema import Kind

UNITS_TSV = Path(__file__).parent / "resources" / "units.tsv"

MULTIPLIERS: dict[str, int] = {
    "万亿": 10**12, "千万": 10**7, "百万": 10**6, "万": 10**4, "亿": 10**8, "千": 10**3,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Unit:
    """One row of the unit table."""

    unit: str
    kind: Kind
    base_unit: str
    factor: Decimal
    not_before: frozenset[str] = frozenset()


class UnitTableError(ValueError):
    """A row of units.tsv is malformed."""


@cache
def load_units(path: Path = UNITS_TSV) -> dict[str, Unit]:
    """Return the unit table keyed by the unit as printed (read once per path)."""
    units: dict[str, Unit] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) not in (4, 5):
            raise UnitTableError(f"{path}:{n}: expected 4 or 5 tab-separated columns")
        unit, kind, base, factor = cols[:4]
        blockers = frozenset(cols[4]) if len(cols) == 5 else frozenset()
        units[unit] = Unit(unit, Kind(kind), base, Decimal(factor), blockers)
    return units


def resolve_unit(printed: str) -> tuple[Unit, Decimal] | None:
    """Return (row, factor to the base unit) for a printed unit, reading a 万/亿 prefix."""
    units = load_units()
    row = units.get(printed)
    if row is not None:
        return row, row.factor
    for prefix, mult in MULTIPLIERS.items():
        if printed.startswith(prefix) and (row := units.get(printed[len(prefix) :])):
            return row, row.factor * mult
    return None


def unit_pattern() -> str:
    """Return a regex alternation of every unit, longest first."""
    return "|".join(re.escape(u) for u in sorted(load_units(), key=len, reverse=True))
