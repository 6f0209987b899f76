"""Unicode clean-up of extracted text: NFKC where it helps, Chinese punctuation kept as printed."""

from __future__ import annotations

import re
import unicodedata

from pipeline import traced
from pipeline.config import HIDDEN_CHARACTERS
from pipeline.traced import Conf

# NFKC would turn these full-width marks into ASCII ones; Chinese text keeps them as printed.
KEEP = frozenset("，。、；：？！（）【】《》〈〉「」『』“”‘’…—～·")
# CJK Radicals Supplement and Kangxi radicals that some PDF fonts map to instead of the
# ideograph (NFKC maps the Kangxi block but not the Supplement).
RADICALS = str.maketrans(
    {
        "⻔": "门",
        "⻋": "车",
        "⻅": "见",
        "⻓": "长",
        "⻚": "页",
        "⻛": "风",
        "⻜": "飞",
        "⻝": "食",
        "⻢": "马",
        "⻥": "鱼",
        "⻦": "鸟",
        "⻨": "麦",
        "⻩": "黄",
        "⻬": "齐",
        "⻮": "齿",
        "⻰": "龙",
        "⻳": "龟",
        "⻆": "角",
        "⻉": "贝",
        "⻊": "足",
        "⻄": "西",
        "⺠": "民",
        "⺟": "母",
        "⻈": "讠",
        "⻘": "青",
        "⻤": "鬼",
        "⺁": "厂",
        "⺇": "几",
        "⺌": "小",
        "⺗": "心",
        "⺮": "竹",
        "⺶": "羊",
        "⺼": "肉",
        "⻁": "虎",
    }  # fmt: skip
)
CID = re.compile(r"\(cid:\d+\)")
HIDDEN = re.compile(HIDDEN_CHARACTERS)
REPLACEMENT = re.compile("\ufffd")
# Enclosed numbers (① ⑴ ⒈ ❶ ➀ ➊ …) mark footnotes and list items; NFKC would make them digits
# glued to the text (`167.2亿元⑩` → `167.2亿元10`, `收⑤支` → a count of 5 支). They are dropped.
ENCLOSED = re.compile(r"[\u2460-\u249b\u24ea-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]")
_SPACE_RUN = re.compile(r"[ \t\u3000\xa0]+")


def normalize_text(text: str) -> tuple[str, int]:
    """Return the text normalised (NFKC but for Chinese punctuation, radicals mapped,
    (cid:N), U+FFFD, enclosed numbers and hidden characters (control characters, zero-width
    spaces, bidi overrides: `config.HIDDEN_CHARACTERS`) dropped, runs of spaces folded) and how
    many unreadable glyphs it had."""
    unreadable = len(CID.findall(text)) + text.count("\ufffd")
    return normalize_traced(text, None)[0], unreadable


def normalize_traced(text: str, conf: Conf | None) -> tuple[str, Conf | None]:
    """Return the text normalised as `normalize_text` does, and its OCR confidences
    (`pipeline.traced`; None for a text layer)."""
    for dropped in (CID, REPLACEMENT, ENCLOSED, HIDDEN):
        text, conf = traced.sub(dropped, "", text, conf)
    text, conf = _compatible(text.translate(RADICALS), conf)  # radicals: one for one
    return traced.strip(*traced.sub(_SPACE_RUN, " ", text, conf))


def _compatible(text: str, conf: Conf | None) -> tuple[str, Conf | None]:
    """Return the text with each character but Chinese punctuation NFKC-normalised."""
    if conf is None:
        return "".join(c if c in KEEP else unicodedata.normalize("NFKC", c) for c in text), None
    edits = [(i, i + 1, n) for i, c in enumerate(text)
             if c not in KEEP and (n := unicodedata.normalize("NFKC", c)) != c]  # fmt: skip
    return traced.apply_edits(text, conf, edits)


_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "，。、；：？！（）【】《》“”‘’…"
# A space beside a CJK character or Chinese punctuation is a typesetting artefact
# (`9859.38 万元`, `共 3 个`); between two Latin words it is a real space.
_ARTEFACT_SPACE = re.compile(
    rf"(?<=[{_CJK}{_CJK_PUNCT}]) +|(?<=[A-Za-z0-9.%]) +(?=[{_CJK}{_CJK_PUNCT}])"
)


# OCR reads a decimal point with a space after it (112. 1亿元); a list number before a year
# (1. 2025年) is left alone.
_OCR_DECIMAL_SPACE = re.compile(r"(?<=\d\.) +(?=\d{1,2}(?![\d年月日]))")


def drop_cjk_spaces(text: str) -> str:
    """Return text without the spaces typesetters put between CJK text and numbers or units."""
    return drop_cjk_spaces_traced(text, None)[0]


def drop_cjk_spaces_traced(text: str, conf: Conf | None) -> tuple[str, Conf | None]:
    """Return `drop_cjk_spaces(text)` and its OCR confidences; text read by OCR (with
    confidences) also loses the space OCR puts after a decimal point."""
    if conf is not None:
        text, conf = traced.sub(_OCR_DECIMAL_SPACE, "", text, conf)
    return traced.sub(_ARTEFACT_SPACE, "", text, conf)
