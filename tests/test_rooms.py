"""The house keeps its shape: imports go one way between rooms, and modules stay short."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import pipeline

PACKAGE = Path(pipeline.__file__).resolve().parent
MODULES = sorted(PACKAGE.rglob("*.py"))
STAGES = ("extract", "segment", "figures", "facts")
LIBRARIES = ("quantities", "tables", "vocabulary")
MAX_LINES = 400


def imported_modules(path: Path) -> set[str]:
    """Return the `pipeline` modules a source file imports (anywhere in it)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
    return {name for name in names if name.split(".")[0] == "pipeline"}


def room_of(path: Path) -> str:
    """Return the room a module stands in: its first folder under pipeline/, or its name."""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _room_named(module: str) -> str | None:
    """Return the room of a `pipeline.<room>…` module name (None for `pipeline` itself)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def rooms_imported(path: Path) -> set[str]:
    """Return the rooms whose modules a source file imports."""
    return {_room_named(name) for name in imported_modules(path)} - {None}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_a_module_stays_under_four_hundred_lines(path):
    assert len(path.read_text("utf-8").splitlines()) <= MAX_LINES


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_a_stage_imports_no_other_stage(path):
    room = room_of(path)
    if room in STAGES:
        assert rooms_imported(path) & (set(STAGES) - {room}) == set()


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_a_library_imports_no_stage_and_no_view(path):
    if room_of(path) in LIBRARIES:
        assert rooms_imported(path) & {*STAGES, "views", "runner", "load", "cli"} == set()


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_a_view_imports_no_stage_but_the_tokenizer(path):
    if room_of(path) == "views":
        stages = {name for name in imported_modules(path) if _room_named(name) in STAGES}
        tokenizer = "pipeline.segment.tokens"
        assert all(name == tokenizer or name.startswith(f"{tokenizer}.") for name in stages)


def test_the_facts_stage_reads_tables_through_the_table_library():
    facts = [p for p in MODULES if room_of(p) == "facts"]
    assert any("tables" in rooms_imported(p) for p in facts)
    assert not any("figures" in rooms_imported(p) for p in facts)
