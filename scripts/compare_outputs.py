"""Compare two output folders table by table, by content: the same columns, the same rows.

Rows are compared as multisets (order aside), every value exactly. Prints one line per table
and, for a table that differs, the columns only one side has and a few rows only one side has.
Exits 0 when every table is the same, 1 otherwise.

Example:
  .venv/bin/python scripts/compare_outputs.py /tmp/before/out data/processed
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

SHOWN = 5


def table_rows(path: Path) -> tuple[list[str], Counter]:
    """Return a Parquet table's column names and its rows as a multiset of tuples."""
    table = pq.read_table(path)
    names = table.schema.names
    columns = [table.column(name).to_pylist() for name in names]
    rows = Counter(tuple(_hashable(v) for v in row) for row in zip(*columns, strict=True))
    return names, rows


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def compare_table(before: Path, after: Path) -> list[str]:
    """Return the differences between two versions of one table (empty when the same)."""
    old_names, old_rows = table_rows(before)
    new_names, new_rows = table_rows(after)
    if old_names != new_names:
        return [
            f"  columns only before: {sorted(set(old_names) - set(new_names))}",
            f"  columns only after: {sorted(set(new_names) - set(old_names))}",
            f"  order before: {old_names}",
            f"  order after: {new_names}",
        ]
    lines = []
    for label, side in (("only before", old_rows - new_rows), ("only after", new_rows - old_rows)):
        if side:
            lines.append(f"  {sum(side.values())} rows {label}, e.g.:")
            lines += [
                f"    {dict(zip(old_names, row, strict=True))}" for row in list(side)[:SHOWN]
            ]
    return lines


def compare_folders(before: Path, after: Path) -> bool:
    """Print how every table of two output folders compares; return whether all are equal."""
    names = sorted(
        {p.stem for p in before.glob("*.parquet")} | {p.stem for p in after.glob("*.parquet")}
    )
    same = True
    for name in names:
        old, new = before / f"{name}.parquet", after / f"{name}.parquet"
        if not old.exists() or not new.exists():
            print(f"{name}: only {'after' if new.exists() else 'before'}")
            same = False
            continue
        lines = compare_table(old, new)
        rows = pq.read_metadata(new).num_rows
        print(f"{name}: {'same' if not lines else 'DIFFERENT'} ({rows} rows)")
        for line in lines:
            print(line)
        same = same and not lines
    return same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="an output folder (Parquet tables)")
    parser.add_argument("after", type=Path, help="another output folder")
    args = parser.parse_args(argv)
    return 0 if compare_folders(args.before, args.after) else 1


if __name__ == "__main__":
    sys.exit(main())
