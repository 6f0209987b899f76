"""One row of the checks table: what was compared, whether it holds, how bad a miss is, where
it stands and a sentence a reviewer reads. Every check family builds its rows here."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from pipeline.quantities.numerals import ARABIC_NUMBER
from pipeline.quantities.units import resolve_unit
from pipeline.vocabulary import CheckFamily, Severity

FAMILIES = frozenset(CheckFamily)
NUMBER = re.compile(ARABIC_NUMBER)


def numeric_check(
    check: str,
    family: str,
    expected: float,
    actual: float,
    *,
    tolerance: float,
    step: float,
    page_no: int | None,
    evidence: str,
    message: str,
    table_id: int | None = None,
) -> dict[str, Any]:
    """Return a check of two numbers: ok within `tolerance`; a miss by at most one more `step`
    (the printed number's last digit) is a rounding-level `warning`, a larger one an `error`."""
    miss = abs(expected - actual)
    ok = miss <= tolerance + 1e-9
    severity = Severity.WARNING if miss <= tolerance + step + 1e-9 else Severity.ERROR
    return check_row(
        check,
        family,
        ok,
        severity=severity,
        expected=expected,
        actual=actual,
        tolerance=tolerance,
        page_no=page_no,
        evidence=evidence,
        message=message,
        table_id=table_id,
    )


def check_row(
    check: str,
    family: str,
    ok: bool,
    *,
    severity: str = Severity.ERROR,
    expected: float | None = None,
    actual: float | None = None,
    tolerance: float | None = None,
    page_no: int | None = None,
    evidence: str = "",
    message: str = "",
    table_id: int | None = None,
) -> dict[str, Any]:
    """Return a checks row (check_id is given when the document's checks are gathered)."""
    if family not in FAMILIES:
        raise ValueError(f"unknown check family {family!r}")
    return {
        "check": check,
        "family": family,
        "severity": severity,
        "ok": bool(ok),
        "expected": None if expected is None else round(float(expected), 6),
        "actual": None if actual is None else float(actual),
        "tolerance": tolerance,
        "page_no": page_no,
        "evidence": evidence,
        "message": message,
        "table_id": table_id,
    }


def amount(x: float) -> str:
    """Return an amount as a report prints it: 2,106.66."""
    return f"{x:,.2f}" if abs(x - round(x)) > 1e-9 else f"{x:,.0f}"


def last_digit(printed: str) -> Decimal:
    """Return the value of the last digit of the first number printed: 0.01 for 12.34万元,
    1 for 1,234, 0.1 for 99.6%."""
    found = NUMBER.search(printed)
    decimals = len(found.group(0).partition(".")[2]) if found else 0
    return Decimal(1).scaleb(-decimals)


def base_step(printed: dict[str, Any]) -> float:
    """Return a figure's or table value's last printed digit in its base unit (0.01万元 →
    100 元)."""
    return float(last_digit(printed["text"])) * unit_factor(printed)


def unit_factor(printed: dict[str, Any]) -> float:
    """Return what one of a figure's printed unit is in its base unit (万元 → 10000)."""
    resolved = resolve_unit(printed["unit"]) if printed["unit"] else None
    return float(resolved[1]) if resolved else 1.0
