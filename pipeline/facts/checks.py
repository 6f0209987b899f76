"""Where a report contradicts itself: every check made, passed ones too, in seven families
(`pipeline.vocabulary.CheckFamily`). Errors are reported, never fixed.

This module gathers them and holds the `metric` family, the headline metrics' own arithmetic;
the others live in `table_sums` (table_sum), `cross_checks` (cross_table), `text_checks`
(text_table, wording) and `report_checks` (completeness, hygiene).
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.facts.check_rows import amount, check_row, last_digit
from pipeline.facts.cross_checks import cross_table_checks
from pipeline.facts.report_checks import report_checks
from pipeline.facts.table_sums import table_sum_checks
from pipeline.facts.text_checks import text_checks
from pipeline.vocabulary import DEPARTMENT_REPORTS, CheckFamily, Severity

# Money is printed to 0.01 万元; a sum of rounded parts may be off by one in the last place.
MONEY_TOLERANCE = 0.011
INCOME_PARTS = ("fiscal_appropriation_income", "business_income", "operating_income",
                "other_income")  # fmt: skip
# What sets apart two statements of a metric that are not restatements: the scope (全市, 本级),
# the year, the period (上年, 预算, 执行), the money counted (财政拨款, 结转).
QUALIFIERS = re.compile(
    r"全[市区县省镇州]|[市区县省]?本级|20\d{2}|上年|上一年|去年|本年|当年|预算|决算|执行|草案|"
    r"财政拨款|一般公共预算|政府性基金|结转|结余"
)
# The reports of one body's own money, whose headline metrics add up; a government's 预算报告 or
# 决算草案的说明 speaks of many bodies and funds at once (全市, 市本级) and is not checked so.
OWN_ACCOUNTS = DEPARTMENT_REPORTS
# The metric whose statement a check's row points at (its page).
STATED_BY = {"expenditure_split": "expenditure_total", "income_split": "income_total",
             "execution_rate": "budget_execution_rate",
             "project_execution_rate": "project_execution_rate",
             "indicator_scores": "self_eval_score"}  # fmt: skip
RATES = (
    ("execution_rate", "final_accounts_total", "budget_total", "budget_execution_rate"),
    ("project_execution_rate", "project_final_total", "project_budget_total",
     "project_execution_rate"),
)  # fmt: skip


def document_checks(
    record: dict[str, Any],
    metrics: list[dict],
    restated: list[dict],
    indicators: list[dict],
    identity: dict[str, Any],
) -> list[dict[str, Any]]:
    """Return every check row of a document, numbered by check_id: table sums, the same line
    in two tables, the 说明 against the tables and its own wording, completeness, hygiene and
    the metrics' arithmetic."""
    values, tables = record["table_values"], record["doc_tables"]
    rows = table_sum_checks(values, tables)
    rows += cross_table_checks(values, tables)
    rows += text_checks(record["sentences"], record["figures"], values, tables)
    rows += report_checks(record, identity)
    if identity["report_type"] in OWN_ACCOUNTS:
        metrics = own_metrics(metrics, identity["year"])
        same = comparable(own_metrics(restated, identity["year"]), metrics, record)
        stated = {m["metric"]: m.get("figure_id") for m in metrics}
        for row in run_checks(metrics, same, indicators):
            row.setdefault("figure_id", stated.get(STATED_BY.get(row["check"], "")))
            rows.append(_metric_row(row, record["figures"]))
    for check_id, row in enumerate(rows):
        row["check_id"] = check_id
    return rows


def own_metrics(metrics: list[dict], year: int | None) -> list[dict]:
    """Return the metrics of the reporting body itself for the report's year (no other scope,
    no other year's figures)."""
    return [m for m in metrics if m.get("scope") is None and m.get("year") in (year, None)]


def comparable(restated: list[dict], metrics: list[dict], record: dict[str, Any]) -> list[dict]:
    """Return the restatements said of the same thing as the metric's first statement: the
    same scope, year, period and money words before the figure and in its headings."""
    first = {m["metric"]: m for m in metrics}
    return [r for r in restated if r["metric"] in first and r["figure_id"] is not None
            and _qualifiers(r, record) == _qualifiers(first[r["metric"]], record)]  # fmt: skip


def _qualifiers(statement: dict, record: dict[str, Any]) -> frozenset[str]:
    figure = record["figures"][statement["figure_id"]]
    sentence = next((s for s in record["sentences"] if s["sentence_id"] == figure["sentence_id"]),
                    None)  # fmt: skip
    if sentence is None:
        return frozenset()
    before = sentence["text"][: figure["char_start"] - sentence["char_start"]]
    headings = [s["heading"] for s in record["sections"] if s["section_id"] ==
                sentence["section_id"]]  # fmt: skip
    return frozenset(QUALIFIERS.findall(before + " ".join(headings)))


def _metric_row(row: dict[str, Any], figures: list[dict]) -> dict[str, Any]:
    """Return a metric check as a checks row, with its page and a sentence for the reviewer."""
    ok = row["ok"]
    miss = abs(row["expected"] - row["actual"])
    expected, actual = amount(row["expected"]), amount(row["actual"])
    message = (
        f"{row['check']}：按报告数字应为{expected}，报告为{actual}"
        if not ok
        else (f"{row['check']}：{actual}")
    )
    page = figures[row["figure_id"]]["page_no"] if row.get("figure_id") is not None else None
    severity = Severity.WARNING if miss <= 2 * row["tolerance"] + 1e-9 else Severity.ERROR
    return check_row(row["check"], CheckFamily.METRIC, ok, severity=severity,
                     expected=row["expected"], actual=row["actual"], tolerance=row["tolerance"],
                     page_no=page, evidence=row.get("evidence", ""), message=message)  # fmt: skip


def run_checks(
    metrics: list[dict], restated: list[dict] | None = None, indicators: list[dict] | None = None
) -> list[dict[str, Any]]:
    """Return one row per check the document's figures allow: expected, actual, ok, tolerance.

    expenditure_split: basic + project = total; income_split: the income parts = total;
    execution_rate and project_execution_rate: final ÷ budget = the printed rate;
    restated_<metric>: a later statement of a metric equals the first; indicator_scores: the
    indicator table's scores add up to the self-evaluation score.
    """
    values = {m["metric"]: m["value"] for m in metrics}
    printed = {m["metric"]: m.get("text", "") for m in metrics}
    rows = []
    if {"basic_expenditure", "project_expenditure", "expenditure_total"} <= values.keys():
        parts = values["basic_expenditure"] + values["project_expenditure"]
        tolerance = max(MONEY_TOLERANCE, _money_step(printed["expenditure_total"]))
        rows.append(_row("expenditure_split", parts, values["expenditure_total"], tolerance))
    parts = [values[p] for p in INCOME_PARTS if p in values]
    if "income_total" in values and len(parts) >= 2:
        tolerance = MONEY_TOLERANCE * len(parts)
        rows.append(_row("income_split", sum(parts), values["income_total"], tolerance))
    for check, final, budget, rate in RATES:
        if {final, budget, rate} <= values.keys() and values[budget]:
            expected = values[final] / values[budget] * 100
            rows.append(_row(check, expected, values[rate], half_last_digit(printed[rate])))
    rows += [_restated(m, values[m["metric"]], printed[m["metric"]]) for m in restated or []]
    scores = [i["score"] for i in indicators or [] if i.get("score") is not None]
    if "self_eval_score" in values and len(scores) >= 2:
        total, tolerance = sum(scores), half_last_digit(printed["self_eval_score"])
        rows.append(_row("indicator_scores", total, values["self_eval_score"], tolerance))
    return rows


def _restated(statement: dict, first: float, first_printed: str) -> dict[str, Any]:
    """Return the check that a metric stated again has the value it was first stated with."""
    tolerance = max(half_last_digit(first_printed), half_last_digit(statement["text"]))
    if statement["unit"] == "万元":
        tolerance = max(tolerance, MONEY_TOLERANCE)
    row = _row(f"restated_{statement['metric']}", first, statement["value"], tolerance)
    return {**row, "figure_id": statement["figure_id"], "evidence": statement["text"]}


def _row(check: str, expected: float, actual: float, tolerance: float) -> dict[str, Any]:
    ok = abs(expected - actual) <= tolerance + 1e-9
    return {
        "check": check,
        "expected": round(expected, 6),
        "actual": actual,
        "ok": ok,
        "tolerance": tolerance,
    }


def _money_step(printed: str) -> float:
    """Return half the last printed digit of an amount in 万元 (`17,192万元` → 0.5; an amount
    printed in 元 or 亿元 scales by its unit)."""
    scale = 10000 if "亿" in printed else 1e-4 if not re.search(r"万|亿", printed) else 1
    return half_last_digit(printed) * scale


def half_last_digit(printed: str) -> float:
    """Return half a unit in the last decimal place of a printed number (`99.6%` → 0.05)."""
    return 0.5 * float(last_digit(printed))
