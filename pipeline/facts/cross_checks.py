"""The cross_table checks: a line a 总表 prints again in the table that details it agrees.

A 总表 lists its expenditure by 类 (`八、社会保障和就业支出`); the table of the same money by
科目编码 prints each 类 on its coded row. Pairs (the 总表's column, the detail table's column):

- 收入支出决算总表 支出 ↔ 支出决算表 合计 (all money);
- 财政拨款收入支出决算总表 支出/一般公共预算财政拨款 ↔ 一般公共预算财政拨款支出决算表 合计;
- 收支总表 支出 ↔ 支出总表 合计; 财政拨款收支总表 支出/一般公共预算 ↔ 一般公共预算支出功能分类
  预算表 合计 (预算).

Lines are matched by name (numbering removed); the 总表's 本年支出合计 meets the 合计 row.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.facts.check_rows import base_step, numeric_check
from pipeline.facts.text_checks import normal
from pipeline.vocabulary import CheckFamily, TableKind

ALL_SPENT = re.compile(r"^(?:本年)?支出(?:/|$)")
FISCAL_SPENT = re.compile(r"^(?:财政拨款)?支出/一般公共预算")
TOTAL, SUM = re.compile(r"^合计$"), re.compile(r"合计$")
PAIRS = (
    (TableKind.收入支出决算总表, ALL_SPENT, TableKind.支出决算表, SUM),
    (TableKind.财政拨款收入支出决算总表, FISCAL_SPENT,
     TableKind.一般公共预算财政拨款支出决算表, TOTAL),
    (TableKind.收支总表, ALL_SPENT, TableKind.支出总表, SUM),
    (TableKind.财政拨款收支总表, FISCAL_SPENT, TableKind.一般公共预算支出功能分类预算表, TOTAL),
)  # fmt: skip
TOTAL_NAMES = re.compile(r"^(?:本年)?支出合计$")
ANY = re.compile(r"")
# Totals two tables print of the same money: (what, table A, its row, its column; table B, its
# rows (summed when several: 人员经费合计 + 公用经费合计), their column).
TOTALS = (
    ("本年收入合计",
     TableKind.收入支出决算总表, re.compile(r"^本年收入合计$"), ANY,
     TableKind.收入决算表, re.compile(r"^合计$"), re.compile(r"^(?:本年收入)?合计$")),
    ("收入总计",
     TableKind.收支总表, re.compile(r"^收入总计$"), ANY,
     TableKind.收入总表, re.compile(r"^合计$"), re.compile(r"(?:^|/)(?:收入)?合计$")),
    ("基本支出",
     TableKind.一般公共预算财政拨款支出决算表, re.compile(r"^合计$"), re.compile(r"基本支出$"),
     TableKind.一般公共预算财政拨款基本支出决算表, re.compile(r"^(?:人员经费|公用经费)合计$"),
     ANY),
    ("基本支出",
     TableKind.一般公共预算支出功能分类预算表, re.compile(r"^合计$"), re.compile(r"基本支出$"),
     TableKind.一般公共预算基本支出经济分类预算表, re.compile(r"^合计$"),
     re.compile(r"(?:^|/)合计$")),
)  # fmt: skip


def cross_table_checks(values: list[dict[str, Any]], tables: list[dict[str, Any]]) -> list[dict]:
    """Return one row per line a 总表 shares with its detail table."""
    kinds = {t["table_id"]: t["kind"] for t in tables}
    titles = {t["table_id"]: t["title"] or t["kind"] for t in tables}
    rows = []
    for summary_kind, summary_col, detail_kind, detail_col in PAIRS:
        summary = _lines(values, kinds, summary_kind, summary_col, coded=False)
        detail = _lines(values, kinds, detail_kind, detail_col, coded=True)
        for name, v in summary.items():
            other = detail.get("合计" if TOTAL_NAMES.match(name) else name)
            if other is not None:
                rows.append(_check(name, v, other, titles))
    for what, kind_a, row_a, col_a, kind_b, row_b, col_b in TOTALS:
        a = total_cells(values, kinds, kind_a, row_a, col_a)
        b = total_cells(values, kinds, kind_b, row_b, col_b)
        if a and b:
            rows.append(_total_check(what, a[0], b, titles))
    return rows


def total_cells(values, kinds, kind, row, column) -> list[dict]:
    """Return the first money value of each row of a kind's tables that the two patterns
    name (a row label, a column label)."""
    found: dict[str, dict] = {}
    for v in values:
        if (kinds.get(v["table_id"]) == kind and v["value"] is not None and v["base_unit"] == "元"
                and row.search(normal(v["row_label"] or ""))
                and column.search(v["column_label"] or "")):  # fmt: skip
            found.setdefault(normal(v["row_label"]), v)
    return list(found.values())


def _total_check(what: str, a: dict, parts: list[dict], titles: dict[int, str]) -> dict:
    total = sum(v["value"] for v in parts)
    tolerance = max(base_step(v) for v in [a, *parts]) / 2 * len(parts)
    where_a = f"第{a['page_no']}页 {titles[a['table_id']]}"
    named = "＋".join(f"{v['row_label']} {v['text']}" for v in parts)
    where_b = f"第{parts[0]['page_no']}页 {titles[parts[0]['table_id']]}"
    evidence = f"{where_a} {a['row_label']} {a['text']}；{where_b} {named}"
    message = f"{what}：{where_a}为{a['text']}，{where_b}为{named}"
    return numeric_check("same_total", CheckFamily.CROSS_TABLE, total, a["value"],
                         tolerance=tolerance,
                         step=2 * tolerance, page_no=a["page_no"], evidence=evidence,
                         message=message, table_id=a["table_id"])  # fmt: skip


def _lines(values, kinds, kind, column, coded: bool) -> dict[str, dict]:
    """Return the first value of each line of the tables of a kind in the given column: by 类
    row for a detail table (and its 合计 row), by any named row for a 总表."""
    found: dict[str, dict] = {}
    for v in values:
        if kinds.get(v["table_id"]) != kind or v["value"] is None or not v["row_label"]:
            continue
        label = v["column_label"] or ""
        if not column.search(label if not coded else label.split("/")[-1]):
            continue
        name = normal(v["row_label"])
        if coded and v["code_level"] != 1 and name != "合计":
            continue
        found.setdefault(name, v)
    return found


def _check(name: str, summary: dict, detail: dict, titles: dict[int, str]) -> dict[str, Any]:
    tolerance = max(base_step(summary), base_step(detail)) / 2
    where_a = f"第{summary['page_no']}页 {titles[summary['table_id']]}"
    where_b = f"第{detail['page_no']}页 {titles[detail['table_id']]}"
    evidence = (
        f"{where_a} {summary['row_label']} {summary['text']}；"
        f"{where_b} {detail['row_label']} {detail['text']}"
    )
    message = f"{name}：{where_a}为{summary['text']}，{where_b}为{detail['text']}"
    return numeric_check(
        "same_line",
        CheckFamily.CROSS_TABLE,
        detail["value"],
        summary["value"],
        tolerance=tolerance,
        step=2 * tolerance,
        page_no=summary["page_no"],
        table_id=summary["table_id"],
        evidence=evidence,
        message=message,
    )
