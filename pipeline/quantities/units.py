"""Unit vocabulary, all of it data under resources/ and read here only.

- units.tsv: what a printed unit measures and how to convert it. Each row is
  `unit, kind, base_unit, factor[, not_before]`. A unit without a row of its own that starts
  with a multiplier is that multiplier times the rest: 万小时 = 10000 小时, 万人次 = 10000 人次,
  万亿元 = 10^4 × 亿元.
- per_units.txt: the units a `/` may put a money figure per (元/人次, 万元/平方米).
- table_units.tsv: the units a table states for its bare numbers, by where it states them
  (a `单位：` note, a bracketed header, the measure word of a count header).

The multipliers (MULTIPLIERS) stay in code: they are arithmetic, not vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Literal, get_args

from pipeline.resources import read_rows
from pipeline.vocabulary import Kind

RESOURCES = "pipeline.quantities.resources"
UNITS_TSV = "units.tsv"
PER_UNITS_TXT = "per_units.txt"
TABLE_UNITS_TSV = "table_units.tsv"

# resolve_unit and the grammar try these in order: each comes before any shorter one it starts
# with (千万 before 千, 万亿 before 万).
MULTIPLIERS: dict[str, int] = {
    "千万": 10**7, "百万": 10**6, "万亿": 10**12, "万": 10**4, "亿": 10**8, "千": 10**3,
}  # fmt: skip

TablePlace = Literal["note", "header", "count"]
TABLE_PLACES: tuple[str, ...] = get_args(TablePlace)


@dataclass(frozen=True, slots=True)
class Unit:
    """One row of the unit table."""

    unit: str
    kind: Kind
    base_unit: str
    factor: Decimal
    not_before: frozenset[str] = frozenset()


class UnitTableError(ValueError):
    """A row of a unit data file is malformed."""


@cache
def load_units(path: str = UNITS_TSV) -> dict[str, Unit]:
    """Return the unit table keyed by the unit as printed (read once per path)."""
    units: dict[str, Unit] = {}
    for n, cols in read_rows(RESOURCES, path):
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
    return _alternation(sorted(load_units(), key=len, reverse=True))


def multiplier_pattern() -> str:
    """Return a regex alternation of the multipliers, in the order they are tried."""
    return _alternation(MULTIPLIERS)


@cache
def per_units(path: str = PER_UNITS_TXT) -> tuple[str, ...]:
    """Return the units that may follow a `/`, in file order (read once per path)."""
    units = []
    for n, cols in read_rows(RESOURCES, path):
        if len(cols) != 1:
            raise UnitTableError(f"{path}:{n}: expected one unit per line")
        units.append(cols[0])
    return tuple(units)


def per_unit_pattern() -> str:
    """Return a regex alternation of the units that may follow a `/`, in file order."""
    return _alternation(per_units())


@cache
def table_units(path: str = TABLE_UNITS_TSV) -> dict[str, tuple[str, ...]]:
    """Return the units a table may state, by place, each in file order (read once per path)."""
    places: dict[str, list[str]] = {place: [] for place in TABLE_PLACES}
    for n, cols in read_rows(RESOURCES, path):
        if len(cols) != 2 or cols[0] not in places:
            raise UnitTableError(f"{path}:{n}: expected place<TAB>unit, place in {TABLE_PLACES}")
        places[cols[0]].append(cols[1])
    return {place: tuple(units) for place, units in places.items()}


def table_unit_pattern(place: TablePlace) -> str:
    """Return a regex alternation of the units a table may state at `place`, in file order."""
    return _alternation(table_units()[place])


def _alternation(words: Iterable[str]) -> str:
    """Return the words as a regex alternation, escaped, in the order given."""
    return "|".join(re.escape(w) for w in words)
