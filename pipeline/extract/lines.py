"""Characters into lines by vertical overlap, and lines into text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Char = dict[str, Any]
Line = dict[str, Any]

# Two glyphs share a line when their vertical extents overlap by at least this share of the
# smaller one: digits in a Latin font sit a few points off the CJK baseline and still overlap
# most of it, while the next line of a dense table does not.
MIN_OVERLAP = 0.5
# A horizontal gap wider than this share of the font size is a space between words.
SPACE_GAP = 0.3


def group_lines(chars: Iterable[Char]) -> list[Line]:
    """Return the chars grouped into lines (top to bottom), each line's chars left to right."""
    rows: list[dict[str, Any]] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        row = _row_for(rows, char)
        if row is None:
            rows.append({"top": char["top"], "bottom": char["bottom"], "chars": [char]})
        else:
            row["chars"].append(char)
            row["top"] = min(row["top"], char["top"])
            row["bottom"] = max(row["bottom"], char["bottom"])
    lines = [_make_line(row["chars"]) for row in rows]
    return [line for line in lines if line["text"]]


def _row_for(rows: list[dict[str, Any]], char: Char) -> dict[str, Any] | None:
    """Return the open row this char overlaps enough, looking only at the last few rows."""
    for row in reversed(rows[-4:]):
        overlap = min(row["bottom"], char["bottom"]) - max(row["top"], char["top"])
        height = min(row["bottom"] - row["top"], char["bottom"] - char["top"]) or 1.0
        if overlap >= MIN_OVERLAP * height:
            return row
    return None


def _make_line(chars: list[Char]) -> Line:
    """Return a line record: its text (spaces where glyphs stand apart) and its box."""
    chars = sorted(chars, key=lambda c: c["x0"])
    glyphs = [c for c in chars if not c["text"].isspace()]
    if not glyphs:
        glyphs = chars
    sizes = sorted(c["size"] for c in glyphs)
    return {
        "text": join_chars(chars),
        "x0": round(glyphs[0]["x0"], 2),
        "x1": round(glyphs[-1]["x1"], 2),
        "top": round(min(c["top"] for c in glyphs), 2),
        "bottom": round(max(c["bottom"] for c in glyphs), 2),
        "size": round(sizes[len(sizes) // 2], 2),
    }


def join_chars(chars: list[Char]) -> str:
    """Return the text of chars laid left to right, with one space for each visible gap."""
    out: list[str] = []
    last_x1: float | None = None
    for char in chars:
        text = char["text"]
        if text.isspace():
            if out and out[-1] != " ":
                out.append(" ")
            continue
        if last_x1 is not None and char["x0"] - last_x1 > SPACE_GAP * char["size"]:
            if out[-1] != " ":
                out.append(" ")
        out.append(text)
        last_x1 = char["x1"]
    return "".join(out).strip()
