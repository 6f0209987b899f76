"""Find numeric figures (qualifier + number + unit) in normalised report text.

One compiled regex proposes candidates (dates, percent words, number + unit, number + bare 万);
a few checks on the text around each candidate drop what a reader would not count. The rules:

- A figure is a number followed by a unit of units.tsv (optionally in brackets: `=100.00(%)`;
  a space or one line break may stand between number and unit: `1062.85⏎万元`),
  a percent word (`百分之九十八`), or an Arabic number with a bare 万/亿 in a sentence about
  money (资金, 预算, 收入, 支出, 经费 …): `232.40万` → unit 万, value 2324000 元.
- A 万/亿/千… between number and unit is a multiplier kept in the unit as printed:
  `1.5万小时` → amount 1.5, unit 万小时, value 15000 小时. A trailing 万/亿 of a Chinese
  numeral goes the same way (`十万人`, `十余万人` → 10 万人; `一千二百万元` → 1200 万元), but a
  lone 万 is the number itself (`万名` → 10000 名).
- Chinese numerals are figures only before a unit, and a lone 一 or 二 never is: 一 is nearly
  always inside a word (一般, 统一, 一批, 一个方面) and counts are written with 两, so 二 alone is
  an ordinal (二次创业). They count inside larger numerals: 十一个, 一百名, 一万名. A numeral of
  bare 百/千/万/亿 counts only for counts and durations (万名, 百场); 万元, 千元, 百万元 are the
  unit labels of tables (单位：万元), not amounts.
- Not figures: dates and years (2023年, 2023 年度, 9·30, 2025.1.1-2025.12.31, 2023-2025年),
  ordinals (第九届, 十二届六次全会), numerals in short quotes and in titles (“两个确立”,
  《广州老干部工作40年》), fixed expressions (千家万户, 十四五, 八项规定), numbers glued to
  Latin letters or other digits (5G, P1.5), a unit that starts a longer word (场所, 支出).
- 分 is a score only after an Arabic number in a scoring sentence (得分, 自评, 满分, 评分, 分值 …);
  十分 (very), 分钟 and 三分之一 are not scores.
- 成 is tenths: `7.2成` → value 72, base unit %, kind percent.
- 年 is a duration unless it is a date (2023年, 年度, 年底 …); 月 only as 个月; 日 only before
  内/以内/之内/后. 个工作日 and 工作日 both have base unit 工作日.
- Bounds: 余 多 超过 以上 逾 → lower; 近 不到 不足 以内 以下 → upper; 约 左右 → approx; else
  exact. Comparisons set `op` and the matching bound: ≥ 不低于 不少于 → ≥ (lower); ≤ 不高于
  不超过 → ≤ (upper); > 大于 高于 → > (lower); < 小于 低于 → < (upper); = → = (exact).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from pipeline.quantities.numerals import ARABIC_NUMBER, DIGITS, parse_decimal
from pipeline.quantities.units import (
    Unit,
    load_units,
    multiplier_pattern,
    per_unit_pattern,
    resolve_unit,
    unit_pattern,
)
from pipeline.vocabulary import Bound, Kind


@dataclass(frozen=True, slots=True)
class FigureMatch:
    """One figure found in a text, with offsets into that text."""

    start: int
    end: int
    text: str
    amount: float
    unit: str
    value: float
    base_unit: str
    kind: Kind
    bound: Bound
    op: str | None = None
    value_max: float | None = None


# Not derived from numerals.DIGITS/SMALL_UNITS/BIG_UNITS: the grammar reads fewer characters
# as numerals (not ○ 幺 俩 倆 兆).
_CN_DIGITS = "零〇一二两兩三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖"
_CN_CHARS = _CN_DIGITS + "十百千万亿拾佰仟萬億"
_CN = rf"[{_CN_CHARS}]+(?:[点點][{_CN_DIGITS}]+)?"
_NUM = rf"(?:{ARABIC_NUMBER}|{_CN})"
_SP = " ?"
_GAP = "[ \n]?"  # between number and unit: a space, or a line break the PDF put there
_SEP = r"(?:至|到|~|～|-|－|—|–)"
_MULT = f"(?:{multiplier_pattern()})"
_PER = f"(?:{per_unit_pattern()})"
_YEAR = r"(?:19|20)\d{2}"
_DATE = "|".join(
    (
        rf"{_YEAR}[./-]\d{{1,2}}[./-]\d{{1,2}}"
        rf"(?:{_SP}{_SEP}{_SP}(?:{_YEAR}[./-])?\d{{1,2}}[./-]\d{{1,2}})?",
        rf"{_YEAR}{_SP}{_SEP}{_SP}{_YEAR}{_GAP}年",
        rf"(?:\d{{1,2}}[.、])?{_YEAR}{_GAP}年"  # 4.2023年…: a list marker glued to a year
        rf"(?:{_GAP}\d{{1,2}}{_GAP}月(?:{_GAP}\d{{1,2}}{_GAP}[日号])?)?",
        rf"\d{{1,2}}{_GAP}月{_GAP}\d{{1,2}}{_GAP}[日号]",
        r"\d{1,2}·\d{1,2}",
        r"\d{1,2}[:：]\d{2}",
    )
)
_FIGURE_RE = re.compile(
    rf"(?P<date>{_DATE})"
    rf"|百分之(?P<pn>{_NUM})"
    rf"|(?P<n1>{_NUM})(?:(?P<u1>%|万|亿)?{_SP}{_SEP}{_SP}(?P<n2>{_NUM}))?"
    rf"(?:{_SP}(?P<q1>余|多))?{_GAP}(?P<lp>[(（]{_SP})?"
    rf"(?:(?P<mult>{_MULT})(?P<q2>余|多)?(?:{_GAP}(?=[元美]))?)?"  # 232.40万⏎元, not 万 项目
    rf"(?P<u>{unit_pattern()})(?(lp){_SP}[)）])(?P<per>/{_PER})?"
    rf"|(?P<bn>{ARABIC_NUMBER}){_GAP}(?P<bm>万亿|亿|万)"
)
_PREFIX_RE = re.compile(
    r"(?:不低于|不高于|不超过|不少于|不多于|不大于|不小于|大于等于|小于等于|大于|小于|高于|低于"
    r"|超过|多达|达到|累计|共计|合计|总计|大约|约为|至少|最多|将近|接近|不到|不足"
    r"|>=|<=|[≥≤＞＜><=＝≧≦]|逾|近|约|达|共|超) ?\Z"
)
_SUFFIX_RE = re.compile(r" ?(?P<incl>[（(]含[）)])?(?P<word>以上|以下|以内|之内|左右|内)")
# 100万元（含）以上: the bound itself included, a comparison as printed
_INCLUSIVE_OP = {"以上": "≥", "以下": "≤", "以内": "≤", "之内": "≤"}
_FIXED_RE = re.compile(
    r"二次创业|二次开发|千家万户|万家灯火|百家争鸣|万人空巷|百年|千年|万年|十[一二三四五六七八九]五"
    r"|八项规定|五位一体|[两三四五六七八九十]个一|两个确立|两个维护|两个结合|两个大局|两个先行"
    r"|三个务必|三个代表|四个意识|四个自信|四个全面|三会一课|四不两直|九互五联"
    r"|三次产业|[一二三]次能源"  # 统计公报: the three sectors; primary and secondary energy
)
_CODE_LEVELS = ("类", "款")
_SCORE_RE = re.compile(r"得分|自评|满分|评分|分值|评价|打分|考核|测评|总分|评定|绩效|扣")
_MONEY_RE = re.compile(
    r"资金|预算|收入|支出|经费|拨款|决算|资产|投入|投资|金额|费用|补助|补贴|成本|收益|利润|元"
)

_BOUNDS = {
    Bound.LOWER: ("超过", "逾", "超", "至少", "不少于", "不低于", "大于", "高于", "≥", ">", "＞",
                  ">=", "≧", "余", "多", "以上"),
    Bound.UPPER: ("近", "将近", "接近", "不到", "不足", "不超过", "不高于", "不多于", "不大于",
                  "小于", "低于", "最多", "≤", "<", "＜", "<=", "≦", "以内", "以下", "之内", "内"),
    Bound.APPROX: ("约", "大约", "约为", "左右"),
}  # fmt: skip
_BOUND_OF = {word: bound for bound, words in _BOUNDS.items() for word in words}
_OPS = {
    "≥": ("≥", ">=", "≧", "不低于", "不少于", "不小于", "大于等于"),
    "≤": ("≤", "<=", "≦", "不高于", "不超过", "不多于", "不大于", "小于等于"),
    ">": (">", "＞", "大于", "高于"),
    "<": ("<", "＜", "小于", "低于"),
    "=": ("=", "＝"),
}
_OP_OF = {word: op for op, words in _OPS.items() for word in words}
_OP_BOUND = {"≥": Bound.LOWER, ">": Bound.LOWER, "≤": Bound.UPPER, "<": Bound.UPPER}

_LONE = frozenset("一壹幺二贰貳")  # never a figure on their own, see the module docstring
_BIG_ALONE = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_UNIT_WORD_CHARS = frozenset("百千万亿佰仟萬億")  # 万元, 千元, 百万元: unit labels, not amounts
_COUNTABLE = frozenset({Kind.COUNT, Kind.DURATION})
_ORDINAL_BEFORE = frozenset("第届")
_GLUED_BEFORE = frozenset("0123456789.,ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_NEAR_WORDS = frozenset("最附临就靠亲贴")  # 最近, 附近 … : 近 there is not a bound
_QUOTES = (("“", "”", 24), ("《", "》", 60), ("「", "」", 24), ("‘", "’", 12), ("〈", "〉", 30))
_SENTENCE_ENDS = "。！？；\n"
_DAY_AFTER = frozenset("内以之后")
_MINUS = frozenset("-−－负")
_TENTHS_AFTER = frozenset("以左多的")
_PERCENT = load_units()["%"]


def find_figures(text: str) -> list[FigureMatch]:
    """Return the figures in `text` in order of appearance."""
    figures = []
    for m in _FIGURE_RE.finditer(text):
        if m.start("date") >= 0:
            continue
        if m.start("pn") >= 0:
            fig = _percent_word(text, m)
        elif m.start("n1") >= 0:
            fig = _unit_figure(text, m)
        else:
            fig = _bare_figure(text, m)
        if fig is not None:
            figures.append(fig)
    return figures


def _unit_figure(text: str, m: re.Match[str]) -> FigureMatch | None:
    """Return the figure for a number + unit candidate, or None if it is not one."""
    n1, n2, mult = m["n1"], m["n2"], m["mult"] or ""
    is_cn = n1[0] in _CN_CHARS
    if is_cn and not mult and not n2:
        n1, mult = _split_multiplier(n1)
    if _glued(text, m.start()) or _in_quotes(text, m.start(), m.end()):
        return None
    if is_cn and not _chinese_ok(text, m, n1, n2, mult):
        return None
    if "\n" in text[m.end("n1") : m.end()] and not _line_break_ok(text, m):
        return None
    resolved = resolve_unit(mult + m["u"])
    if resolved is None:
        return None
    unit, factor = resolved
    if not _unit_ok(text, m, unit, is_cn) or _budget_code(text, m, unit):
        return None
    if _session_ordinal(text, m):
        return None
    if is_cn and unit.kind not in _COUNTABLE and all(ch in _UNIT_WORD_CHARS for ch in m["n1"]):
        return None
    amount = _amount(n1)
    high = _amount(n2) if n2 else None
    if amount is None or (n2 and (high is None or high <= amount)):
        return None
    unit_text, base = mult + m["u"], unit.base_unit
    if m["per"]:
        if unit.kind is not Kind.MONEY:
            return None
        unit_text, base = unit_text + m["per"], f"{base}{m['per']}"
    inner = Bound.LOWER if (m["q1"] or m["q2"]) else Bound.EXACT
    return _build(
        text, m.start(), m.end(), amount, high, factor, unit_text, base, unit.kind, inner
    )


def _session_ordinal(text: str, m: re.Match[str]) -> bool:
    """Return whether N次 numbers a session of a congress or plenum (九届人大五次会议,
    十三届六次全会, a cover whose 九届人大 stands on the line above 六次会议文件), not a count:
    届 stands just before it, in the same clause, and 会议 or 全会 follows."""
    if m["u"] != "次" or not re.match(r"(?:全体)?(?:会议|全会)", text[m.end() : m.end() + 4]):
        return False
    return "届" in re.split(r"[，。；、,]", text[max(0, m.start() - 12) : m.start()])[-1]


def _budget_code(text: str, m: re.Match[str], unit: Unit) -> bool:
    """Return whether a count is a 科目编码 naming a budget subject: a number with a leading
    zero (行政运行（01项）, 06款), or a 类 or 款 in brackets of its own (一般公共服务（201类）);
    a bracketed count of 项 (完成任务（120项）) stays a count."""
    if unit.kind is not Kind.COUNT or m["n2"] or not m["n1"][0].isdigit():
        return False
    if re.fullmatch(r"0\d+", m["n1"]):
        return True
    return m["u"] in _CODE_LEVELS and text[m.start() - 1 : m.start()] in "（(" and m.start() > 0


def _percent_word(text: str, m: re.Match[str]) -> FigureMatch | None:
    """Return the figure for 百分之X."""
    if _in_quotes(text, m.start(), m.end()) or (amount := _amount(m["pn"])) is None:
        return None
    p = _PERCENT
    return _build(text, m.start(), m.end(), amount, None, p.factor, "%", "%", p.kind, Bound.EXACT)


def _bare_figure(text: str, m: re.Match[str]) -> FigureMatch | None:
    """Return a money figure for `232.40万` in a sentence about money, else None."""
    s, e = m.span()
    if _glued(text, s) or _in_quotes(text, s, e) or (e < len(text) and _is_han(text[e])):
        return None  # 万股, 万千瓦: a unit we do not know follows, so 万 is not bare
    a, b = _sentence_span(text, s, e)
    if not _MONEY_RE.search(text, a, b) or (amount := _amount(m["bn"])) is None:
        return None
    factor = Decimal(10**12 if m["bm"] == "万亿" else 10**8 if m["bm"] == "亿" else 10**4)
    return _build(text, s, e, amount, None, factor, m["bm"], "元", Kind.MONEY, Bound.EXACT)


def _build(
    text: str,
    s: int,
    e: int,
    amount: Decimal,
    high: Decimal | None,
    factor: Decimal,
    unit: str,
    base: str,
    kind: Kind,
    inner: Bound,
) -> FigureMatch:
    """Attach sign, prefix qualifier and suffix qualifier, and return the figure."""
    if s and text[s - 1] in _MINUS and (s == 1 or text[s - 2] not in _GLUED_BEFORE):
        s, amount = s - 1, -amount
    op, prefix_bound = None, Bound.EXACT
    if pm := _PREFIX_RE.search(text, max(0, s - 5), s):
        word = pm.group().rstrip()
        if not (word == "近" and pm.start() > 0 and text[pm.start() - 1] in _NEAR_WORDS):
            s, op = pm.start(), _OP_OF.get(word)
            prefix_bound = _OP_BOUND.get(op or "", _BOUND_OF.get(word, Bound.EXACT))
    suffix_bound = Bound.EXACT
    if (sm := _SUFFIX_RE.match(text, e)) and (kind is Kind.DURATION or sm["word"] != "内"):
        e, suffix_bound = sm.end(), _BOUND_OF[sm["word"]]
        if sm["incl"] and op is None:
            op = _INCLUSIVE_OP.get(sm["word"])
    bound = next((b for b in (inner, suffix_bound, prefix_bound) if b is not Bound.EXACT), inner)
    return FigureMatch(
        start=s,
        end=e,
        text=text[s:e],
        amount=float(amount),
        unit=unit,
        value=float(amount * factor),
        base_unit=base,
        kind=kind,
        bound=bound,
        op=op,
        value_max=None if high is None else float(high * factor),
    )


def _amount(numeral: str) -> Decimal | None:
    """Return the value of a matched numeral; a lone 万 or 亿 is 10^4 or 10^8."""
    if numeral in _BIG_ALONE:
        return Decimal(_BIG_ALONE[numeral])
    return parse_decimal(numeral)


def _line_break_ok(text: str, m: re.Match[str]) -> bool:
    """Allow one line break inside a figure, and only beside a 万/亿 (1062.85⏎万元, 232.40万⏎元):
    elsewhere a number at a line end and a measure word starting the next line are table text."""
    return m["mult"] is not None and text.count("\n", m.end("n1"), m.end()) == 1


def _split_multiplier(numeral: str) -> tuple[str, str]:
    """Move a trailing 万/亿 of a Chinese numeral to the unit: 十万 → (十, 万), 万 → (万, '')."""
    cut = len(numeral)
    while cut > 1 and numeral[cut - 1] in _BIG_ALONE:
        cut -= 1
    if cut == len(numeral) or any(ch in "点點" for ch in numeral):
        return numeral, ""
    return numeral[:cut], numeral[cut:]


def _glued(text: str, s: int) -> bool:
    """Tell whether the number at `s` continues a Latin/digit token (P1.5) or is an ordinal."""
    if s == 0:
        return False
    before = text[s - 1]
    if before == " " and s >= 2:
        before = text[s - 2]
        return before in _ORDINAL_BEFORE
    return before in _GLUED_BEFORE or before in _ORDINAL_BEFORE


def _chinese_ok(text: str, m: re.Match[str], n1: str, n2: str | None, mult: str) -> bool:
    """Apply the Chinese-numeral rules: no lone 一/二, no digit strings, no fixed expressions."""
    if n1 in _LONE and not mult and not n2:
        return False
    if len(n1) > 1 and all(ch in DIGITS for ch in n1):  # 二〇二三, 三四: years, not counts
        return False
    s, e = m.span("n1")
    for fm in _FIXED_RE.finditer(text, max(0, s - 4), min(len(text), e + 5)):
        if fm.start() < e and fm.end() > s:
            return False
    return True


def _unit_ok(text: str, m: re.Match[str], unit: Unit, is_cn: bool) -> bool:
    """Apply the unit's own rules: word starts (not_before), 分 score context, 年/日/成."""
    e = m.end()
    after = text[e] if e < len(text) else ""
    if after and not m["lp"] and not m["per"] and after in unit.not_before:
        return False
    u = unit.unit
    if u == "分":
        return not is_cn and _score_context(text, m.start(), e)
    if u == "日":
        return after in _DAY_AFTER
    if u == "成":
        return not _is_han(after) or after in _TENTHS_AFTER
    if u == "年":
        amount = _amount(m["n1"])
        return amount is not None and amount < 1000
    return True


def _score_context(text: str, s: int, e: int) -> bool:
    """Tell whether the sentence around [s, e) (or the 12 characters before) is about scores."""
    a, b = _sentence_span(text, s, e)
    return _SCORE_RE.search(text, min(a, max(0, s - 12)), b) is not None


def _sentence_span(text: str, s: int, e: int, reach: int = 200) -> tuple[int, int]:
    """Return the bounds of the sentence holding [s, e), looking at most `reach` chars away."""
    lo, hi = max(0, s - reach), min(len(text), e + reach)
    a = max(lo, *(text.rfind(c, lo, s) + 1 for c in _SENTENCE_ENDS))
    ends = [j for c in _SENTENCE_ENDS if (j := text.find(c, e, hi)) >= 0]
    return a, min(ends, default=hi)


def _in_quotes(text: str, s: int, e: int) -> bool:
    """Tell whether [s, e) sits inside a short quotation or a title (names, slogans)."""
    for opening, closing, width in _QUOTES:
        i = text.rfind(opening, max(0, s - width), s)
        if i < 0 or text.find(closing, i, s) >= 0:
            continue
        j = text.find(closing, e, e + width)
        if j >= 0 and text.find(opening, e, j) < 0:
            return True
    return False


def _is_han(ch: str) -> bool:
    """Tell whether `ch` is a CJK ideograph."""
    return "\u4e00" <= ch <= "\u9fff"


_NUMBER_START = re.compile(rf"[-+0-9{_CN_CHARS}]")


def number_offset(text: str) -> int:
    """Return where the number starts in a figure's text, after a qualifier printed before it
    (合计9746.50万元 → 2, ≥90% → 1)."""
    found = _NUMBER_START.search(text)
    return found.start() if found else 0
