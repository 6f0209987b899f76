"""Parse printed numbers (Arabic, Chinese, financial and mixed numerals) into values.

`parse_number` is the public entry; `parse_decimal` is the same parser returning an exact
`Decimal`, which the figure grammar uses so that 18,518.32万元 becomes exactly 185183200.

Accepted: `18,518.32`, `1，234`, `三千`, `十二`, `两百`, `一千二百万`, `肆佰陸拾`, `1.5万`,
`4.78万亿`, `1,234.5万`, `两百点两` (200.2), `一点五`, `两千四百五` (2450, the abbreviated
trailing digit), `负三十二`. Not accepted (→ None): qualifiers such as 余/多/几 (the grammar
reads them), fractions (`三分之一`), percent words (`百分之五十`), a bare 万 or 亿.

`parse_quantity` reads a whole quantity as Microsoft Recognizers-Text prints it: those numbers
plus fractions (`负一又二分之一`, `1 3/5`), qualifiers (`十 余 萬`), 打, 半, `40k`, `2e5`, `2^5`,
percent forms (`百分之2.2`, `六個百分點`, `三成半`, `九折`, `千分之一`) and money (`五元三毛`).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "两": 2, "兩": 2, "贰": 2, "貳": 2, "俩": 2, "倆": 2,
    "三": 3, "叁": 3, "參": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS: dict[str, int] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "兆": 10**12}
ZEROS = frozenset("零〇○")
DECIMAL_POINTS = frozenset("点點")
NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)

_ARABIC = r"(?:\d{1,3}(?:[,，]\d{3})+(?!\d)|\d+)(?:\.\d+)?|\.\d+"
_ARABIC_RE = re.compile(rf"[-+]?(?:{_ARABIC})")
_TOKEN_RE = re.compile(rf"{_ARABIC}|[{NUMERAL_CHARS}]")
_SPACE_RE = re.compile(r"\s+")
_SIGNS = {"-": -1, "−": -1, "－": -1, "负": -1, "負": -1, "+": 1, "＋": 1, "正": 1}


def parse_number(text: str) -> float | None:
    """Return the value of a printed number, or None if `text` is not exactly one number."""
    value = parse_decimal(text)
    return None if value is None else float(value)


def parse_decimal(text: str) -> Decimal | None:
    """Return the exact value of a printed number as a Decimal, or None."""
    s = _SPACE_RE.sub("", text)
    if not s:
        return None
    if _ARABIC_RE.fullmatch(s):
        return _arabic(s)
    sign = 1
    if s[0] in _SIGNS:
        sign, s = _SIGNS[s[0]], s[1:]
    if not s:
        return None
    integer, point, fraction = _split_point(s)
    value = _parse_integer(integer)
    if value is None:
        return None
    if point:
        frac = _parse_fraction(fraction)
        if frac is None:
            return None
        digits, scale = frac
        value = (value + digits) * scale
    return value * sign


def _arabic(s: str) -> Decimal | None:
    """Return the value of an Arabic numeral with optional thousands separators."""
    try:
        return Decimal(s.replace(",", "").replace("，", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only valid numerals
        return None


def _split_point(s: str) -> tuple[str, bool, str]:
    """Split a Chinese numeral at its 点: (integer part, has point, fraction part)."""
    for i, ch in enumerate(s):
        if ch in DECIMAL_POINTS:
            return s[:i], True, s[i + 1 :]
    return s, False, ""


def _parse_fraction(s: str) -> tuple[Decimal, Decimal] | None:
    """Return (0.ddd, multiplier) for the digits after 点, e.g. 五五 → 0.55; 五万 → (0.5, 1e4)."""
    scale = Decimal(1)
    while s and s[-1] in BIG_UNITS:
        scale *= BIG_UNITS[s[-1]]
        s = s[:-1]
    if not s or any(ch not in DIGITS for ch in s):
        return None
    return Decimal("0." + "".join(str(DIGITS[ch]) for ch in s)), scale


def _tokenize(s: str) -> list[str] | None:
    """Split into Arabic numerals and single numeral characters, or None if anything else."""
    tokens = _TOKEN_RE.findall(s)
    return tokens if sum(map(len, tokens)) == len(s) else None


def _parse_integer(s: str) -> Decimal | None:
    """Return the value of the part before 点 (it may still hold Arabic decimals: 1.5万)."""
    tokens = _tokenize(s)
    if not tokens:
        return None
    return _parse_tokens(tokens)


def _parse_tokens(tokens: list[str]) -> Decimal | None:
    """Split at the last occurrence of the largest 万/亿/兆 and recurse on both sides."""
    big = [(BIG_UNITS[t], i) for i, t in enumerate(tokens) if t in BIG_UNITS]
    if not big:
        return _parse_section(tokens)
    unit, at = max(big)
    left, right = tokens[:at], tokens[at + 1 :]
    if not left:
        return None
    high = _parse_tokens(left)
    if not high:
        return None
    if not right:
        return high * unit
    if len(right) == 1 and right[0] in DIGITS:  # 一万三 = 13000: the trailing digit is 千
        return high * unit + DIGITS[right[0]] * unit // 10
    low = _parse_tokens(right[1:] if right[0] in ZEROS else right)
    return None if low is None else high * unit + low


def _parse_section(tokens: list[str]) -> Decimal | None:
    """Return the value of a run without 万/亿: 三千零五, 两千四百五, 十二, 1,234.5, 3千."""
    if len(tokens) == 1 and tokens[0][0] not in NUMERAL_CHARS:
        return _arabic(tokens[0])
    if len(tokens) > 1 and all(t in DIGITS for t in tokens):  # 二〇二三: digit by digit
        return Decimal("".join(str(DIGITS[t]) for t in tokens))
    total, current, last_unit, after_zero = Decimal(0), None, 0, False
    for t in tokens:
        if t in SMALL_UNITS:
            unit = SMALL_UNITS[t]
            if last_unit and unit >= last_unit:
                return None
            total += (1 if current is None else current) * unit
            current, last_unit, after_zero = None, unit, False
        elif t in ZEROS:
            if current is not None:
                return None
            after_zero = True
        elif current is not None or t in BIG_UNITS:
            return None
        else:
            current = Decimal(DIGITS[t]) if t in DIGITS else _arabic(t)
    if current is not None:
        abbreviated = last_unit >= 100 and not after_zero  # 两千四百五: 五 means 50
        total += current * (last_unit // 10 if abbreviated else 1)
    return total


CURRENCIES: dict[str, tuple[str, Decimal]] = {
    "元人民币": ("元", Decimal(1)), "元人民幣": ("元", Decimal(1)),
    "人民币": ("元", Decimal(1)), "人民幣": ("元", Decimal(1)), "元": ("元", Decimal(1)),
    "圆": ("元", Decimal(1)), "圓": ("元", Decimal(1)), "块钱": ("元", Decimal(1)),
    "块": ("元", Decimal(1)), "塊": ("元", Decimal(1)), "¥": ("元", Decimal(1)),
    "角": ("元", Decimal("0.1")), "毛": ("元", Decimal("0.1")), "分": ("元", Decimal("0.01")),
    "美元": ("美元", Decimal(1)), "美圆": ("美元", Decimal(1)), "美金": ("美元", Decimal(1)),
    "美分": ("美元", Decimal("0.01")), "$": ("$", Decimal(1)),
    "欧元": ("欧元", Decimal(1)), "歐元": ("欧元", Decimal(1)),
    "港元": ("港元", Decimal(1)), "港币": ("港元", Decimal(1)), "港幣": ("港元", Decimal(1)),
    "新台币": ("新台币", Decimal(1)), "新臺幣": ("新台币", Decimal(1)),
    "台币": ("新台币", Decimal(1)), "臺幣": ("新台币", Decimal(1)),
    "日元": ("日元", Decimal(1)), "日圆": ("日元", Decimal(1)), "日圓": ("日元", Decimal(1)),
    "日本銭": ("日元", Decimal("0.01")), "日本钱": ("日元", Decimal("0.01")),
    "英镑": ("英镑", Decimal(1)), "英鎊": ("英镑", Decimal(1)),
    "瑞士法郎": ("瑞士法郎", Decimal(1)), "韩元": ("韩元", Decimal(1)),
    "卢布": ("卢布", Decimal(1)), "奈拉": ("奈拉", Decimal(1)),
    "比特币": ("比特币", Decimal(1)), "比特幣": ("比特币", Decimal(1)),
}  # fmt: skip
SUFFIXES: dict[str, int] = {"k": 10**3, "m": 10**6, "g": 10**9}
HALF_PERCENT = frozenset(("半", "对", "對"))

_TRADITIONAL = str.maketrans({"個": "个", "點": "点"})
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
