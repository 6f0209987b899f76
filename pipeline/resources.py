"""The one reader of the package's data files (word lists and tab-separated tables under a
room's `resources/`). A line that is blank or starts with `#` is a comment."""

from __future__ import annotations

from importlib import resources


def read_rows(package: str, name: str) -> list[tuple[int, list[str]]]:
    """Return (line number, tab-separated cells) of every line of a data file but comments."""
    text = resources.files(package).joinpath(name).read_text("utf-8")
    return [
        (n, line.split("\t"))
        for n, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.startswith("#")
    ]


def read_lines(package: str, name: str) -> list[str]:
    """Return the lines of a one-column data file, stripped, comments left out."""
    return [cells[0].strip() for _, cells in read_rows(package, name)]


def read_records(package: str, name: str) -> list[dict[str, str]]:
    """Return the rows of a tab-separated data file whose first row names its columns."""
    rows = [cells for _, cells in read_rows(package, name)]
    if not rows:
        return []
    header, *body = rows
    return [dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False))
            for cells in body]  # fmt: skip
