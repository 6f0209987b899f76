"""Arithmetic consistency of a document's own metrics; errors are reported, never fixed."""

from __future__ import annotations

import re
from typing import Any

# Money is printed to 0.01 万元; a sum of rounded parts may be off by one in the last place.
MONEY_TOLERANCE = 0.011


def run_checks(metrics: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return one row per check the document's metrics allow: expected, actual, ok, tolerance."""
    values = {m["metric"]: m["value"] for m in metrics}
    printed = {m["metric"]: m.get("text", "") for m in metrics}
    rows = []
    if {"basic_expenditure", "project_expenditure", "expenditure_total"} <= values.keys():
        expected = values["basic_expenditure"] + values["project_expenditure"]
        rows.append(
            _row("expenditure_split", expected, values["expenditure_total"], MONEY_TOLERANCE)
        )
    for check, final, budget, rate in (
        ("execution_rate", "final_accounts_total", "budget_total", "budget_execution_rate"),
        (
            "project_execution_rate",
            "project_final_total",
            "project_budget_total",
            "project_execution_rate",
        ),
    ):
        if {final, budget, rate} <= values.keys() and values[budget]:
            expected = values[final] / values[budget] * 100
            rows.append(_row(check, expected, values[rate], half_last_digit(printed[rate])))
    return rows


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
    found = re.search(r"\d+(?:\.(\d+))?", printed)
    decimals = len(found.group(1) or "") if found else 0
    return 0.5 * 10**-decimals
