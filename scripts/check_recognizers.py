"""Compare parse_quantity with Microsoft Recognizers-Text's Chinese specs (a peer's tests).

Every result of every Number, Percent and Currency case is parsed from the text Recognizers-Text
printed and compared with its value: numbers within a relative 1e-9, percentages as the number
before %, money as the amount and the currency. Set aside, counted and named, are only lone
numerals with no quantity: a result that is one Chinese numeral character inside a longer input
(the 一 of 一只). Results without a value (a bare 人民币) agree when parse_quantity finds no
amount and currency_name gives Recognizers-Text's currency.

Example: .venv/bin/python scripts/check_recognizers.py [--cases path/to/cases.jsonl]
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from quantities import currency_name, parse_quantity

from pipeline.quantities.numerals import DIGITS, SMALL_UNITS

CASES = (
    Path(__file__).resolve().parents[2] / "shared" / "peer-tests" / "recognizers-text-zh"
) / "cases.jsonl"
MODELS = {"number": "Number", "percentage": "Percent", "currency": "Currency"}
RT_CURRENCIES = {
    "元": "Chinese yuan",
    "美元": "United States dollar",
    "$": "Dollar",
    "欧元": "Euro",
    "港元": "Hong Kong dollar",
    "新台币": "New Taiwan dollar",
    "日元": "Japanese yen",
    "英镑": "British pound",
    "瑞士法郎": "Swiss franc",
    "韩元": "South Korean won",
    "卢布": "Russian ruble",
    "奈拉": "Nigerian naira",
    "比特币": "Bitcoin",
}
LONE_NUMERALS = frozenset(DIGITS) | frozenset(SMALL_UNITS)


def iter_results(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (input, result) for every result of every case."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            for result in case["results"]:
                yield case["input"], result


def is_lone_numeral(source: str, result: dict[str, Any]) -> bool:
    """Return whether a result is one numeral character used inside a longer input (一只)."""
    text = result["text"].strip()
    return len(text) == 1 and text in LONE_NUMERALS and source.strip() != text


def agrees(result: dict[str, Any]) -> tuple[bool, Any]:
    """Return (agreement, what we got) for one result."""
    got = parse_quantity(result["text"])
    if result["value"] is None:
        name = currency_name(result["text"])
        return got is None and RT_CURRENCIES.get(name or "") == result["unit"], name
    if got is None:
        return False, None
    value, kind = got
    expected = float(result["value"].rstrip("%"))
    ok = math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-12)
    if result["type"] == "percentage":
        ok = ok and kind == "percent"
    elif result["type"] == "currency":
        unit = kind.removeprefix("currency:") if kind else None
        ok = ok and kind is not None and RT_CURRENCIES.get(unit or "") == result["unit"]
    return ok, got


def agreement(path: Path = CASES) -> dict[str, Any]:
    """Return counts per model and overall, the set-aside results and the disagreements."""
    counts: Counter[str] = Counter()
    set_aside: list[tuple[str, str]] = []
    misses: list[tuple[str, str, str, str | None, Any]] = []
    for source, result in iter_results(path):
        model = MODELS[result["type"]]
        ok, got = agrees(result)
        if is_lone_numeral(source, result):
            set_aside.append((source, result["text"]))
            counts["set_aside_ok"] += ok
            continue
        counts[model] += 1
        counts[f"{model}_ok"] += ok
        if not ok:
            misses.append((source, result["text"], result["value"], result["unit"], got))
    counts["total"] = sum(counts[m] for m in MODELS.values())
    counts["total_ok"] = sum(counts[f"{m}_ok"] for m in MODELS.values())
    return {
        "counts": dict(counts),
        "rate": counts["total_ok"] / max(counts["total"], 1),
        "set_aside": set_aside,
        "disagreements": misses,
    }


def main() -> None:
    """Print agreement per model and overall, the set-aside results and every disagreement."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=CASES)
    args = parser.parse_args()
    if not args.cases.exists():
        print(f"no cases at {args.cases}")
        return
    report = agreement(args.cases)
    counts = report["counts"]
    for model in (*MODELS.values(), "total"):
        n, ok = counts.get(model, 0), counts.get(f"{model}_ok", 0)
        print(f"{model:10} {ok}/{n} ({ok / max(n, 1):.1%})")
    aside = len(report["set_aside"])
    print(
        f"set aside (lone numerals with no quantity): {aside}, "
        f"of which parse_quantity agrees on {counts.get('set_aside_ok', 0)}"
    )
    for source, text in report["set_aside"]:
        print(f"  {text} in {source!r}")
    print(f"disagreements: {len(report['disagreements'])}")
    for source, text, value, unit, got in report["disagreements"]:
        expected = value if unit is None else f"{value} {unit}"
        print(f"  {source!r}: {text!r} expected {expected}, got {got}")


if __name__ == "__main__":
    main()
