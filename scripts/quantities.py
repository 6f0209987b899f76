"""Read whole quantities as Microsoft Recognizers-Text prints them, to compare with its specs.

`parse_quantity` reads pipeline.quantities.numerals' numbers plus fractions (`负一又二分之一`,
`1 3/5`), qualifiers (`十 余 萬`), 打, 半, `40k`, `2e5`, `2^5`, percent forms (`百分之2.2`,
`六個百分點`, `三成半`, `九折`, `千分之一`) and money (`五元三毛`, currency words from
resources/currencies.tsv). The pipeline does not use it: scripts/check_recognizers.py does.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import cache
from pathlib import Path

from pipeline.quantities.numerals import (
    BIG_UNITS,
    DIGITS,
    NUMERAL_CHARS,
    SMALL_UNITS,
    parse_decimal,
)

CURRENCIES_TSV = Path(__file__).resolve().parent / "resources" / "currencies.tsv"


@cache
def load_currencies(path: Path = CURRENCIES_TSV) -> dict[str, tuple[str, Decimal]]:
    """Return {currency word: (currency name, value in that currency)}, in file order."""
    currencies: dict[str, tuple[str, Decimal]] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 3:
            raise ValueError(f"{path}:{n}: expected 3 tab-separated columns")
        currencies[cols[0]] = (cols[1], Decimal(cols[2]))
    return currencies


CURRENCIES = load_currencies()
SUFFIXES: dict[str, int] = {"k": 10**3, "m": 10**6, "g": 10**9}
HALF_PERCENT = frozenset(("半", "对", "對"))

_TRADITIONAL = str.maketrans({"個": "个", "點": "点"})
_SPACE_RE = re.compile(r"\s+")
_CURRENCY_RE = re.compile(
    "(" + "|".join(re.escape(c) for c in sorted(CURRENCIES, key=len, reverse=True)) + ")"
)
_QUALIFIER_RE = re.compile(rf"(?<=[0-9{NUMERAL_CHARS}])[余餘多几幾]")
_MIXED_FRACTION_RE = re.compile(r"([-+]?\d+)\s+(\d+)\s*/\s*(\d+)")
_SLASH_FRACTION_RE = re.compile(r"([-+]?\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)")
_EXPONENT_RE = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)e[-+]?\d+", re.IGNORECASE)
_POWER_RE = re.compile(r"([-+]?)(\d+(?:\.\d+)?)\^([-+]*)(\d+)")
_FRACTION_RE = re.compile(r"(?:(.+?)又)?(.+?)分之(.+)")
_PER_RE = re.compile(rf"([{''.join(SMALL_UNITS)}{''.join(BIG_UNITS)}]+)分之(.+)")
_PERCENT_RE = re.compile(r"(.+?)(?:%|个?百分点)")
_TENTHS_RE = re.compile(rf"(.+?)成([半{''.join(DIGITS)}0-9]?)")
_DISCOUNT_RE = re.compile(r"(.+?)折")
_SUFFIX_RE = re.compile(r"(.+?)([kmg])", re.IGNORECASE)
_DOZEN_RE = re.compile(r"(.+?)打")
_AND_HALF_RE = re.compile(r"(.*?)个?半")
_HALF_OF_RE = re.compile(rf"半([{''.join(SMALL_UNITS)}{''.join(BIG_UNITS)}]+)")
_CONNECTORS = "又和零"


def parse_quantity(text: str) -> tuple[float, str | None] | None:
    """Return (value, kind) for a whole quantity: kind None, "percent" or "currency:<unit>".

    Percentages keep their percent number (百分之2.2 → 2.2, 九折 → 90, 三成半 → 35); money is
    the amount in its main unit (五元三毛 → 5.3, "currency:元"); numbers may be fractions,
    exponents, dozens (打), halves (半) or carry qualifiers (十余万 → 100000).
    """
    s = unicodedata.normalize("NFKC", text).translate(_TRADITIONAL).strip()
    if m := _MIXED_FRACTION_RE.fullmatch(s):
        value = _mixed(Decimal(m[1]), _ratio(Decimal(m[2]), Decimal(m[3])))
        return None if value is None else (float(value), None)
    s = _QUALIFIER_RE.sub("", _SPACE_RE.sub("", s))
    if not s:
        return None
    if (percent := _percent(s)) is not None:
        return float(percent), "percent"
    if _CURRENCY_RE.search(s) and not _FRACTION_RE.fullmatch(s):
        money = _money(s)
        return None if money is None else (float(money[0]), f"currency:{money[1]}")
    value = _value(s)
    return None if value is None else (float(value), None)


def currency_name(text: str) -> str | None:
    """Return the normalised currency of a currency word (人民币 → 元, 美圆 → 美元), or None."""
    entry = CURRENCIES.get(unicodedata.normalize("NFKC", text).strip())
    return None if entry is None else entry[0]


def _percent(s: str) -> Decimal | None:
    """Return the percent number of 百分之X, X%, X个百分点, X成, X折 and 千分之X forms."""
    if m := _PER_RE.fullmatch(s):
        num, den = _value(m[2]), parse_decimal("一" + m[1])
        return None if num is None or not den else num / den * 100
    if m := _PERCENT_RE.fullmatch(s):
        return _value(m[1])
    if m := _TENTHS_RE.fullmatch(s):
        return _tenths(m[1], m[2])
    if m := _DISCOUNT_RE.fullmatch(s):
        if m[1] in HALF_PERCENT:
            return Decimal(50)
        value = _value(m[1])
        return None if value is None else value * 10 if value <= 10 else value
    return None


def _tenths(number: str, extra: str) -> Decimal | None:
    """Return the percent of X成 with a trailing 半 or digit: 三成半 → 35, 七成六 → 76."""
    value = _value(number)
    tail = Decimal(5) if extra == "半" else _value(extra) if extra else Decimal(0)
    return None if value is None or tail is None else value * 10 + tail


def _money(s: str) -> tuple[Decimal, str] | None:
    """Return (amount, currency) of 15元, $20, 人民币 50元, 五元三毛, 三块五, 两美元又三美分."""
    parts = _CURRENCY_RE.split(s)
    amounts, units, tail = parts[0:-1:2], parts[1::2], parts[-1]
    names = {CURRENCIES[u][0] for u in units}
    if len(names) != 1:
        return None
    name = names.pop()
    if not amounts[0]:
        amounts, units = amounts[1:], units[1:]
    if not units:
        value = _value(tail) if tail else None
        return None if value is None else (value, name)
    total = _sum_amounts(amounts, units)
    if tail:
        dimes = _value(tail) if name == "元" and len(tail) == 1 else None
        total = None if total is None or dimes is None else total + dimes / 10
    return None if total is None else (total, name)


def _sum_amounts(amounts: list[str], units: list[str]) -> Decimal | None:
    """Return the sum of amounts in their units: (五, 元), (三, 毛) → 5.3."""
    total = Decimal(0)
    for amount, unit in zip(amounts, units, strict=True):
        value = _value(amount.lstrip(_CONNECTORS).removesuffix("个"))
        if value is None:
            return None
        total += value * CURRENCIES[unit][1]
    return total


def _value(s: str) -> Decimal | None:
    """Return the value of a space-free number that may be a fraction, power, 打, 半 or 15k."""
    value = parse_decimal(s)
    if value is not None or not s:
        return value
    if _EXPONENT_RE.fullmatch(s):
        return Decimal(s)
    if m := _POWER_RE.fullmatch(s):
        exponent = int(m[4]) * (-1) ** m[3].count("-")
        return Decimal(m[2]) ** exponent * (-1 if m[1] == "-" else 1)
    if m := _SLASH_FRACTION_RE.fullmatch(s):
        return _ratio(_value(m[1]), _value(m[2]))
    if m := _FRACTION_RE.fullmatch(s):
        return _fraction(m[1], m[2], m[3])
    return _multiple(s)


def _multiple(s: str) -> Decimal | None:
    """Return the value of 一打 (12), 两个半 (2.5), 半百 (50) or 40k, or None."""
    if m := _DOZEN_RE.fullmatch(s):
        value = _value(m[1])
        return None if value is None else value * 12
    if m := _HALF_OF_RE.fullmatch(s):
        unit = parse_decimal("一" + m[1])
        return None if unit is None else unit / 2
    if m := _AND_HALF_RE.fullmatch(s):
        value = _value(m[1]) if m[1] else Decimal(0)
        return None if value is None else value + Decimal("0.5")
    if m := _SUFFIX_RE.fullmatch(s):
        value = _value(m[1])
        return None if value is None else value * SUFFIXES[m[2].lower()]
    return None


def _fraction(whole: str | None, den: str, num: str) -> Decimal | None:
    """Return whole 又 num/den: 三分之一, 负一又二分之一 (-1.5), 负3分之负一百五十七."""
    ratio = _ratio(_value(num), _value(den))
    if ratio is None or whole is None:
        return ratio
    return _mixed(_value(whole), ratio)


def _mixed(whole: Decimal | None, ratio: Decimal | None) -> Decimal | None:
    """Return whole plus ratio away from zero: 1 3/5 → 1.6, 负一又二分之一 → -1.5."""
    return None if whole is None or ratio is None else whole + ratio.copy_sign(whole)


def _ratio(num: Decimal | None, den: Decimal | None) -> Decimal | None:
    """Return num / den, or None when either is missing or den is zero."""
    return None if num is None or not den else num / den
