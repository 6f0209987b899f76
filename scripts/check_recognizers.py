"""Compare our numeral values with Microsoft Recognizers-Text's Chinese specs (a peer's tests).

For every number in the Number model and every percentage in the Percent model, parse the
span Recognizers-Text found and compare values: numbers with parse_number, percentages with
find_figures (百分之X, X%, X成, X个百分点). Spans in forms this project does not read
(fractions, exponents, 打, 半, 几, 余/多 inside the numeral, k/M suffixes, 折 discounts,
Traditional 個/點, percentages spelt with spaces inside) are counted apart as out of scope.

Example: .venv/bin/python scripts/check_recognizers.py [--show 20]
"""

from __future__ import annotations

import argparse
import json
import math
import re
from collections import Counter
from pathlib import Path

from pipeline.figures.grammar import find_figures
from pipeline.figures.numerals import parse_number

CASES = (
    Path(__file__).resolve().parents[2] / "shared" / "peer-tests" / "recognizers-text-zh"
) / "cases.jsonl"
OUT_OF_SCOPE = re.compile(
    r"分\s*之|又|/|\^|[eE][-+]?\d|\d\s?[kKmM](?![A-Za-z])|打|对|半|几|幾|余|多|折|個|點"
)
# Percent spans with spaces inside the numeral or unit (六 点 五 成); the grammar allows one
# space between number and unit only.
SPACED = re.compile(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]|\s{2,}")


def iter_items(path: Path):
    """Yield (kind, span text, expected value) for the number and percentage results."""
    for line in path.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        for result in case["results"]:
            if result["type"] in ("number", "percentage") and result["value"] is not None:
                expected = float(result["value"].rstrip("%"))
                yield result["type"], result["text"], expected


def our_value(kind: str, text: str) -> float | None:
    """Return our value for a span: the number, or the percent figure's value."""
    if kind == "number":
        return parse_number(text)
    figures = find_figures(text)
    if len(figures) != 1 or figures[0].base_unit not in ("%", "百分点"):
        return None
    return figures[0].value


def main() -> None:
    """Print agreement per model, in scope and overall, and the first disagreements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("--show", type=int, default=15, help="disagreements to print")
    args = parser.parse_args()
    totals: Counter[tuple[str, str]] = Counter()
    misses = []
    for kind, text, expected in iter_items(args.cases):
        spaced = kind == "percentage" and SPACED.search(text)
        scope = "out" if OUT_OF_SCOPE.search(text) or spaced else "in"
        got = our_value(kind, text)
        ok = got is not None and math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-9)
        totals[(kind, scope)] += 1
        totals[(kind, scope + "_ok")] += ok
        if not ok and scope == "in":
            misses.append((kind, text, expected, got))
    for kind in ("number", "percentage"):
        n_in, ok_in = totals[(kind, "in")], totals[(kind, "in_ok")]
        n_all, ok_all = n_in + totals[(kind, "out")], ok_in + totals[(kind, "out_ok")]
        print(
            f"{kind:10} in scope {ok_in}/{n_in} ({ok_in / max(n_in, 1):.1%}); "
            f"all {ok_all}/{n_all} ({ok_all / max(n_all, 1):.1%})"
        )
    for kind, text, expected, got in misses[: args.show]:
        print(f"  {kind:10} {text!r}: expected {expected:g}, got {got}")


if __name__ == "__main__":
    main()
