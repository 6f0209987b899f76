"""What a table says of itself around its grid: its title (the line above it that names it, or
a caption over its first row), its kind by that title, and the unit its `单位：` note states.

The kinds are `pipeline.vocabulary.TableKind`; other wordings of their names, as real reports
print them, are data (resources/table_kind_aliases.tsv), each mapped to a kind or to `other`
where a longer wording must not fall to a shorter name inside it. The longest name a title holds
decides.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from pipeline.quantities.units import resolve_unit
from pipeline.resources import read_rows
from pipeline.vocabulary import TableKind

UNIT_NOTE = re.compile(r"单位\s*[:：]\s*")

TITLE = re.compile(r"表\s*$|表[（(（]|^表\s*\d|情况$")

MAX_UNIT = 6

KIND_ALIASES = "table_kind_aliases.tsv"
KINDS = frozenset(str(kind) for kind in TableKind)



def title_of(above: list[str]) -> str | None:
    """Return the line above a table that names it (…表, 表1 …, …情况), the last such one."""
    titles = [line for line in above if TITLE.search(line) and not line.endswith("。")]
    return titles[-1].strip() if titles else None


def own_title(table: dict[str, Any]) -> str | None:
    """Return a table's title: the line above it that names it, else a caption spanning its
    first row that does (财政项目支出绩效目标填报表)."""
    rows = table["rows"]
    caption = rows[0][0] if rows and is_caption(rows[0]) else None
    return title_of(table.get("above", [])) or (title_of([caption]) if caption else None)


def is_caption(row: list[str]) -> bool:
    """Return whether a row is one caption: a merged cell over the whole width, or text in
    the first cell of a row of several and nothing else."""
    filled = [cell for cell in row if cell]
    if len(row) < 2 or not filled:
        return False
    return filled == row[:1] or len(filled) == len(row) == row.count(row[0])


def width(table: dict[str, Any]) -> int:
    """Return a table's width: the cells of its longest row."""
    return max((len(row) for row in table["rows"]), default=0)


def table_kind(title: str | None) -> TableKind:
    """Return the kind of a table by its title: that of the longest standard name or other
    wording of one it holds (2025年部门收入预算总表 → 收入总表), or other."""
    squeezed = re.sub(r"[“”\"‘’]", "", squeeze(title or ""))
    return next((kind for name, kind in kind_names() if name in squeezed), TableKind.OTHER)


@functools.cache
def kind_names() -> tuple[tuple[str, TableKind], ...]:
    """Return (name as printed, kind) for every kind and every other wording of one, the
    longest name first."""
    names = [(str(kind), kind) for kind in TableKind if kind != TableKind.OTHER]
    for n, (printed, kind, *_) in read_rows("pipeline.tables.resources", KIND_ALIASES):
        if kind not in KINDS:
            raise ValueError(f"{KIND_ALIASES} line {n}: {kind!r} is no kind of table_kinds.txt")
        names.append((printed.strip(), TableKind(kind)))
    return tuple(sorted(names, key=lambda pair: len(pair[0]), reverse=True))


def note_unit(lines: list[str]) -> str | None:
    """Return the unit a `单位：万元` note states (the last note that names a unit)."""
    found = None
    for line in lines:
        for m in UNIT_NOTE.finditer(line):
            found = unit_at(line[m.end() :]) or found
    return found


def unit_at(text: str) -> str | None:
    """Return the longest unit the text starts with (万元, 元, 人次 …), or None."""
    for size in range(min(MAX_UNIT, len(text)), 0, -1):
        if resolve_unit(text[:size]) is not None:
            return text[:size]
    return None


def squeeze(text: str) -> str:
    """Return a text without whitespace."""
    return re.sub(r"\s+", "", text)
