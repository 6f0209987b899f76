"""Tables continued over pages: a table that starts the next page with as many columns and no
title or unit note of its own goes on from the one before it, and so does a narrower untitled
table whose rows are each a label and numbers (the last rows of the one before, its empty code
cells merged away by the page's rules)."""

from __future__ import annotations

from typing import Any

from pipeline.quantities.numerals import BARE_NUMBER
from pipeline.tables.titles import UNIT_NOTE, own_title, width


def continued(tables: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Return the tables grouped so that each continuation joins the table it goes on from."""
    groups: list[list[dict[str, Any]]] = []
    for table in tables:
        last = groups[-1][-1] if groups else None
        if last is not None and goes_on(last, table):
            groups[-1].append(table)
        elif last is not None and tail_of(last, table):
            groups[-1].append(widened(table, width(last)))
        else:
            groups.append([table])
    return groups


def tail_of(before: dict[str, Any], table: dict[str, Any]) -> bool:
    """Return whether a narrower table on the next page is the last rows of the one before it:
    untitled, each row a label and numbers (a 合计 row alone, its empty code cells merged away
    by the page's rules)."""
    rows = table["rows"]
    return (
        table["page_no"] == before["page_no"] + 1
        and 1 < width(table) < width(before)
        and own_title(table) is None
        and not any(UNIT_NOTE.search(line) for line in table.get("above", []))
        and bool(rows)
        and all(row and row[0] and not BARE_NUMBER.match(row[0])
                and all(BARE_NUMBER.match(c) for c in row[1:] if c) for row in rows)
    )  # fmt: skip


def widened(table: dict[str, Any], width: int) -> dict[str, Any]:
    """Return a narrower table's rows with its label in the first column and its numbers under
    the last columns of a table `width` wide; `shift` says how far each row's cells moved."""
    rows = [[row[0]] + [""] * (width - len(row)) + row[1:] for row in table["rows"]]
    shift = {r: width - len(row) for r, row in enumerate(table["rows"])}
    covered = [[r, c + shift[r] if c else c] for r, c in table.get("covered", [])]
    return {**table, "rows": rows, "covered": covered, "shift": shift}


def goes_on(before: dict[str, Any], table: dict[str, Any]) -> bool:
    """Return whether a table continues the one before it: it starts the next page, has as many
    columns and no title of its own (above it or as its first row) and no unit note."""
    return (
        table["page_no"] == before["page_no"] + 1
        and width(table) == width(before)
        and own_title(table) is None
        and not any(UNIT_NOTE.search(line) for line in table.get("above", []))
    )
