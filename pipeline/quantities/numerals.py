"""Parse printed numbers (Arabic, Chinese, financial and mixed numerals) into values.

`parse_number` is the public entry; `parse_decimal` is the same parser returning an exact
`Decimal`, which the figure grammar uses so that 18,518.32万元 becomes exactly 185183200.

Accepted: `18,518.32`, `1，234`, `三千`, `十二`, `两百`, `一千二百万`, `肆佰陸拾`, `1.5万`,
`4.78万亿`, `1,234.5万`, `两百点两` (200.2), `一点五`, `两千四百五` (2450, the abbreviated
trailing digit), `负三十二`. Not accepted (→ None): qualifiers such as 余/多/几 (the grammar
reads them), fractions (`三分之一`), percent words (`百分之五十`), a bare 万 or 亿.

`ARABIC_NUMBER` is the one pattern of an Arabic number (the figure grammar and table cells use
it too). Whole quantities as Microsoft Recognizers-Text prints them (fractions, percent forms,
money) are read outside the package, by scripts/quantities.py.
"""

from __future__ import annotations

import re
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


def arabic_number(separators: str = ",，") -> str:
    """Return the regex of an unsigned Arabic number (18,518.32) given its thousands separators."""
    return rf"(?:\d{{1,3}}(?:[{separators}]\d{{3}})+(?!\d)|\d+)(?:\.\d+)?"


ARABIC_NUMBER = arabic_number()
# A table cell that is one bare number, signed, with comma separators (-1,234.56).
BARE_NUMBER = re.compile(rf"^-?(?:{arabic_number(',')})$")
_ARABIC = rf"{ARABIC_NUMBER}|\.\d+"
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
