"""The closed vocabularies: one module names them, every rule uses its members."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pipeline import vocabulary
from pipeline.schema import COLUMNS
from pipeline.vocabulary import CheckFamily, ReportType, Severity, TableKind

PACKAGE = Path(vocabulary.__file__).resolve().parent.parent
CLOSED = (ReportType, TableKind, CheckFamily, Severity)
# A member that is also a column's name (`metric`, `error`) cannot be told from the column by
# its text: those two are left to review.
COLUMN_NAMES = {name for columns in COLUMNS.values() for name, _ in columns}


def _docstrings(tree: ast.AST) -> set[int]:
    nodes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef))]
    return {
        id(node.body[0].value)
        for node in nodes
        if node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def _names_a_field(node: ast.Constant, parents: dict[int, ast.AST]) -> bool:
    """Return whether a string constant names a field (a dict key, a subscript, `.get(...)`'s
    key, a keyword's name) rather than standing for a value."""
    parent = parents.get(id(node))
    if isinstance(parent, ast.Dict):
        return any(key is node for key in parent.keys)
    if isinstance(parent, ast.Subscript):
        return parent.slice is node
    if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute):
        return parent.func.attr in {"get", "pop", "setdefault"} and parent.args[:1] == [node]
    return False


def vocabulary_literals(path: Path) -> list[str]:
    """Return `line: value` for every string literal in a module that is the value of a member
    of a closed vocabulary (a report type, table kind, check family or severity)."""
    members = {str(m) for enum in CLOSED for m in enum} - COLUMN_NAMES
    tree = ast.parse(path.read_text("utf-8"))
    parents = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    skipped = _docstrings(tree)
    return [
        f"{node.lineno}: {node.value}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in members
        and id(node) not in skipped
        and not _names_a_field(node, parents)
    ]


RULE_MODULES = sorted(
    p for p in PACKAGE.rglob("*.py") if p.parent.name != "vocabulary" and p.name != "schema.py"
)


@pytest.mark.parametrize("path", RULE_MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_rule_writes_a_vocabulary_member_as_a_string(path):
    assert vocabulary_literals(path) == []


def test_a_rule_naming_a_table_kind_that_does_not_exist_fails():
    with pytest.raises(AttributeError):
        TableKind.收入决算总表草案  # noqa: B018


def test_every_table_kind_of_the_data_file_is_a_member():
    lines = (PACKAGE / "vocabulary" / "table_kinds.txt").read_text("utf-8").splitlines()
    kinds = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert [str(k) for k in TableKind][:-1] == kinds
    assert TableKind.OTHER == "other"


def test_the_grep_finds_a_literal_table_kind(tmp_path):
    rule = tmp_path / "rule.py"
    rule.write_text('KINDS = ("收入决算表", "a word")\nROW = {"severity": 1}\n', "utf-8")
    assert vocabulary_literals(rule) == ["1: 收入决算表"]


def test_check_families_keep_the_order_reports_list_them_in():
    assert [str(f) for f in CheckFamily] == [
        "table_sum", "cross_table", "text_table", "wording", "completeness", "hygiene", "metric",
    ]  # fmt: skip
