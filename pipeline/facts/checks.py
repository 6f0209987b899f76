"""Arithmetic consistency of a document's own figures. Errors are reported, never fixed."""

from __future__ import annotations

import re
from typing import Any

# Money is printed to 0.01 万元; a sum of rounded parts may be off by one in the last place.
MONEY_TOLERANCE = 0.011
INCOME_PARTS = ("fiscal_appropriation_income", "business_income", "operating_income",
                "other_income")  # fmt: skip
RATES = (
    ("execution_rate", "final_accounts_total", "budget_total", "budget_execution_rate"),
    ("project_execution_rate", "project_final_total", "project_budget_total",
     "project_execution_rate"),
)  # fmt: skip


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
        rows.append(_row("expenditure_split", parts, values["expenditure_total"], MONEY_TOLERANCE))
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
    return _row(f"restated_{statement['metric']}", first, statement["value"], tolerance)


def _row(check: str, expected: float, actual: float, tolerance: float) -> dict[str, Any]:
    ok = abs(expected - actual) <= tolerance + 1e-9
    return {
        "check": check,
        "expected": round(expected, 6),
        "actual": actual,
        "ok": ok,
        "tolerance": tolerance,
    }


def half_last_digit(printed: str) -> float:
    """Return half a unit in the last decimal place of a printed number (`99.6%` → 0.05)."""
    found = re.search(r"\d+(?:\.(\d+))?", printed.replace(",", ""))
    decimals = len(found.group(1) or "") if found else 0
    return 0.5 * 10**-decimals
