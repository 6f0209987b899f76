"""The table_sum checks: the sums a table promises, each printed number allowed the rounding of
its last digit.

- 科目编码: each 类 is the sum of its 款, each 款 of its 项, the 合计 row of its 类 rows.
- The header: in a row, a column whose header path has 合计/小计/总计 at some level is the sum of
  the columns beside it at that level with the same path below it (三公: 合计/决算数 = 因公出国
  （境）费/决算数 + 公务用车购置及运行维护费/小计/决算数 + 公务接待费/决算数; 支出决算表:
  本年支出合计 = 基本支出 + 项目支出 + …); a group without its own 小计 counts by its columns,
  a `其中` column never.
- 收支平衡: the 总计 of a 总表's income side equals its expenditure side's.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from pipeline.facts.check_rows import amount, last_digit, numeric_check
from pipeline.quantities.numerals import BARE_NUMBER
from pipeline.vocabulary import BALANCED_TABLES, CheckFamily

# A total row over the 类 rows of its column: 合计, 总计, 人员经费合计 (基本支出 tables).
TOTAL_LABEL = re.compile(r"^\S{0,6}?(?:合计|总计)$")
TOTAL_PART = re.compile(r"^(?:本年)?(?:收入|支出)?(?:合计|小计|总计)$")
PART_OF = re.compile(r"^其中")
GRAND_TOTAL = re.compile(r"^(?:收入|支出)?总计$")


def code_sums(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return, for every 类 and 款 of a table column that has rows under it, and for its 合计
    row over the 类 rows, the printed amount beside the sum of the rows under it. `tolerance`
    allows each printed number to be rounded to its last digit."""
    columns: dict[tuple, list[dict[str, Any]]] = {}
    for value in values:
        if value["amount"] is not None and BARE_NUMBER.match(value["text"]):
            columns.setdefault(_column_of(value), []).append(value)
    sums = []
    for cells in columns.values():
        coded = [v for v in cells if v["code"]]
        for parent in cells:
            if parent["code"]:
                rows = [v for v in coded if v["parent_code"] == parent["code"]]
            elif TOTAL_LABEL.match(parent["row_label"] or "") and coded:
                rows = [v for v in coded if v["code_level"] == 1]
            else:
                continue
            if rows:
                sums.append(_sum(parent, rows))
    return sums


def _column_of(value: dict[str, Any]) -> tuple:
    """Return the column a value stands in, across the pages of its table (a narrower tail
    page numbers its cells otherwise)."""
    return (value["table_id"], value["table_col"])


def _sum(parent: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    total = sum(Decimal(v["text"].replace(",", "")) for v in rows)
    step = max(last_digit(v["text"]) for v in [parent, *rows])
    tolerance = step / 2 * (len(rows) + 1)
    return {
        "table_id": parent["table_id"],
        "page_no": parent["page_no"],
        "col": parent["col"],
        "code": parent["code"],
        "row_label": parent["row_label"],
        "printed": parent["amount"],
        "rows_sum": float(total),
        "n_rows": len(rows),
        "tolerance": float(tolerance),
        "step": float(step),
        "ok": abs(Decimal(parent["text"].replace(",", "")) - total) <= tolerance,
    }


def table_sum_checks(values: list[dict[str, Any]], tables: list[dict[str, Any]]) -> list[dict]:
    """Return the table_sum check rows of a document: code sums, header sums, 收支平衡."""
    titles = {t["table_id"]: t["title"] or t["kind"] for t in tables}
    rows = [_code_check(s, titles) for s in code_sums(values)]
    rows += [_column_check(total, parts, titles) for total, parts in column_sums(values)]
    rows += [_balance_check(i, e, titles) for i, e in balances(values, tables)]
    return rows


def column_sums(values: list[dict[str, Any]]) -> list[tuple[dict, list[dict]]]:
    """Return (total cell, its part cells) for every header total of every table row."""
    by_row: dict[tuple, dict[tuple[str, ...], dict]] = {}
    for v in values:
        if v["column_label"] and v["amount"] is not None and BARE_NUMBER.match(v["text"]):
            path = tuple(v["column_label"].split("/"))
            by_row.setdefault((v["table_id"], v["page_no"], v["row"]), {})[path] = v
    found = []
    for paths in by_row.values():
        for path, total in paths.items():
            k = next((k for k, part in enumerate(path) if TOTAL_PART.match(part)), None)
            if k is not None and (parts := _parts(paths, path[:k], path[k + 1 :], total)):
                found.append((total, parts))
    return found


def _parts(paths: dict[tuple[str, ...], dict], prefix: tuple, suffix: tuple, total: dict):
    """Return the cells a header total sums, or None when a part cannot be read."""
    k = len(prefix)
    names = dict.fromkeys(
        p[k]
        for p in paths
        if p[:k] == prefix
        and len(p) > k
        and not TOTAL_PART.match(p[k])
        and not PART_OF.match(p[k])
    )
    parts = []
    for name in names:
        group = [
            v
            for p, v in paths.items()
            if p[: k + 1] == (*prefix, name)
            and p[len(p) - len(suffix) :] == suffix
            and v["unit"] == total["unit"]
        ]
        whole = paths.get((*prefix, name, *suffix))
        sub = [
            v
            for v in group
            if len(v["column_label"].split("/")) == k + 2 + len(suffix)
            and TOTAL_PART.match(v["column_label"].split("/")[k + 1])
        ]
        if whole is not None and whole["unit"] == total["unit"]:
            parts.append(whole)
        elif sub:
            parts.append(sub[0])
        elif group and not any(
            PART_OF.match(p) for v in group for p in v["column_label"].split("/")
        ):
            parts += group
        else:
            return None
    return parts if len(parts) >= 2 else None


def balances(
    values: list[dict[str, Any]], tables: list[dict[str, Any]]
) -> list[tuple[dict, dict]]:
    """Return (income 总计, expenditure 总计) of every 总表 that prints both in one row."""
    kinds = {t["table_id"]: t["kind"] for t in tables}
    rows: dict[tuple, list[dict]] = {}
    for v in values:
        if kinds.get(v["table_id"]) in BALANCED_TABLES and GRAND_TOTAL.match(v["row_label"] or ""):
            rows.setdefault((v["table_id"], v["page_no"], v["row"]), []).append(v)
    found = []
    for cells in rows.values():
        income = [v for v in cells if _side(v, "收入")]
        spent = [v for v in cells if _side(v, "支出")]
        if not (income and spent) and len(cells) == 2:
            income, spent = cells[:1], cells[1:]
        if income and spent:
            found.append((min(income, key=_col), min(spent, key=_col)))
    return found


def _side(v: dict, side: str) -> bool:
    """Return whether a 总表 value stands on the income (收入) or expenditure (支出) side: its
    row label or the first level of its column label says so."""
    top = (v["column_label"] or "").split("/")[0]
    return (v["row_label"] or "").startswith(side) or side in top


def _col(v: dict) -> int:
    return v["col"]


def _where(v: dict[str, Any], titles: dict[int, str]) -> str:
    return f"第{v['page_no']}页 {titles.get(v['table_id']) or '表'}"


def _code_check(s: dict[str, Any], titles: dict[int, str]) -> dict[str, Any]:
    what = f"{s['row_label'] or ''}（{s['code']}）" if s["code"] else (s["row_label"] or "合计")
    evidence = (
        f"{_where(s, titles)} {what} 第{s['col'] + 1}列：{amount(s['printed'])}；"
        f"其下{s['n_rows']}行之和 {amount(s['rows_sum'])}"
    )
    message = (
        f"{_where(s, titles)}：{what}为{amount(s['printed'])}，"
        f"其下各行之和为{amount(s['rows_sum'])}"
    )
    return numeric_check(
        "code_sum",
        CheckFamily.TABLE_SUM,
        s["rows_sum"],
        s["printed"],
        tolerance=s["tolerance"],
        step=s["step"],
        page_no=s["page_no"],
        table_id=s["table_id"],
        evidence=evidence,
        message=message,
    )


def _column_check(total: dict, parts: list[dict], titles: dict[int, str]) -> dict[str, Any]:
    expected = sum(Decimal(v["text"].replace(",", "")) for v in parts)
    step = max(last_digit(v["text"]) for v in [total, *parts])
    label = total["row_label"] or ""
    named = "＋".join(f"{v['column_label']} {v['text']}" for v in parts)
    evidence = (
        f"{_where(total, titles)} {label} {total['column_label']} {total['text']} ＝ {named}"
    )
    message = (
        f"{_where(total, titles)}：{label}「{total['column_label']}」为{total['text']}，"
        f"各分列之和为{amount(float(expected))}"
    )
    return numeric_check(
        "column_sum",
        CheckFamily.TABLE_SUM,
        float(expected),
        total["amount"],
        tolerance=float(step / 2 * (len(parts) + 1)),
        step=float(step),
        page_no=total["page_no"],
        table_id=total["table_id"],
        evidence=evidence,
        message=message,
    )


def _balance_check(income: dict, spent: dict, titles: dict[int, str]) -> dict[str, Any]:
    step = max(last_digit(income["text"]), last_digit(spent["text"]))
    evidence = (
        f"{_where(income, titles)} 收入{income['row_label']} {income['text']}；"
        f"支出{spent['row_label']} {spent['text']}"
    )
    message = (
        f"{_where(income, titles)}：收入总计{income['text']}与支出总计{spent['text']}"
        f"{'相等' if income['amount'] == spent['amount'] else '不相等'}"
    )
    return numeric_check(
        "balance",
        CheckFamily.TABLE_SUM,
        income["amount"],
        spent["amount"],
        tolerance=float(step),
        step=float(step),
        page_no=income["page_no"],
        table_id=income["table_id"],
        evidence=evidence,
        message=message,
    )
