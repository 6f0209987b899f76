"""The reference docs name what the code has: every column of every output table is described in
docs/TABLES.md, and the docs describe no column the tables lack."""

from __future__ import annotations

import re

from helpers import ROOT

from pipeline.schema import COLUMNS

SECTION = re.compile(r"^## (\w+)")
ROW = re.compile(r"^\| ([^|]+?) \|")


def documented_columns(text: str) -> dict[str, set[str]]:
    """Return the columns each `## table` section of the docs lists in its first column (a row
    may name several: `row, col`)."""
    found: dict[str, set[str]] = {}
    table = None
    for line in text.splitlines():
        heading = SECTION.match(line)
        if heading:
            table = heading.group(1)
            continue
        row = ROW.match(line)
        if table and row and row.group(1) not in {"column", "---"}:
            names = {name.strip(" `") for name in row.group(1).split(",")}
            found.setdefault(table, set()).update(names)
    return found


def test_every_output_column_is_described_in_the_tables_doc():
    documented = documented_columns((ROOT / "docs" / "TABLES.md").read_text("utf-8"))
    missing = {
        table: sorted({name for name, _ in columns} - documented.get(table, set()))
        for table, columns in COLUMNS.items()
    }
    assert {table: names for table, names in missing.items() if names} == {}


def test_the_tables_doc_describes_no_column_the_tables_lack():
    documented = documented_columns((ROOT / "docs" / "TABLES.md").read_text("utf-8"))
    extra = {
        table: sorted(names - {name for name, _ in COLUMNS.get(table, [])})
        for table, names in documented.items()
        if table in COLUMNS
    }
    assert {table: names for table, names in extra.items() if names} == {}


def test_the_doc_check_reads_a_row_that_names_two_columns():
    text = "## figures\n| column | type |\n|---|---|\n| row, col | int |\n| `text` | str |\n"
    assert documented_columns(text) == {"figures": {"row", "col", "text"}}
