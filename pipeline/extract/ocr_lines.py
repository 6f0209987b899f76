"""Tesseract's words → text lines: one line record per Tesseract line, in PDF points, with the
punctuation and quotes of Chinese text put back (Tesseract reads them as ASCII), and the
confidence of the words each stretch of its text was read from (`conf_spans`)."""

from __future__ import annotations

import csv
import io
import re
import statistics
from typing import Any

from pipeline import traced
from pipeline.errors import OcrFailedError
from pipeline.traced import Conf

Line = dict[str, Any]
Word = dict[str, Any]

#: a line whose words Tesseract trusts less than this on average is noise (stamps, photos)
MIN_LINE_CONF = 30.0
#: ideographs' ink is this share of the font size high (Song, Fangsong, Hei faces) …
CJK_INK_HEIGHT = 0.95
#: … and digits' and capitals' ink this share
ALNUM_INK_HEIGHT = 0.7
#: a gap between two CJK words wider than this share of the font size is kept as a space
CJK_SPACE_GAP = 1.0

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "\u3000-\u303f\uff00-\uffef“”‘’…—"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_CJK_LIKE = re.compile(f"[{_CJK}{_CJK_PUNCT}]")
_WORD_CHAR = re.compile(r"[^\W_]")
_ALNUM = re.compile(r"[0-9A-Za-z]")
_FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_PAIRED = re.compile(r"\(([^()]{1,20})\)")
_QUOTE_CHARS = '"“”'
_BEFORE_OPENING = ("", *"，。：；、（《！？(")
_AFTER_CLOSING = ("", *"，。：；、）》！？)")
#: what remains of a rule or a cell border at either end of a line
_EDGE_JUNK = " _|¦"
_DASHED_NUMBER = re.compile(r"^[一—-]+\s*(\d{1,4})\s*[一—-]+$")
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}]) +(?=[{_CJK}{_CJK_PUNCT}])")


def parse_tsv(tsv: str) -> list[Word]:
    """Return Tesseract's words (level 5 rows with text) with their line key, box and conf."""
    rows = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    try:
        return [_word(row) for row in rows if row.get("level") == "5" and _text(row)]
    except (KeyError, TypeError, ValueError) as exc:
        raise OcrFailedError(f"Tesseract's output could not be read ({exc}).") from exc


def _text(row: dict[str, str]) -> str:
    return (row.get("text") or "").strip()


def _word(row: dict[str, str]) -> Word:
    """Return one TSV word row as a word record (pixels)."""
    left, top = int(row["left"]), int(row["top"])
    return {
        "key": (int(row["block_num"]), int(row["par_num"]), int(row["line_num"])),
        "text": _text(row),
        "x0": left,
        "x1": left + int(row["width"]),
        "top": top,
        "bottom": top + int(row["height"]),
        "conf": float(row["conf"]),
    }


def lines_from_words(
    words: list[Word], scale: tuple[float, float], origin: tuple[float, float]
) -> list[Line]:
    """Return one line record per Tesseract line, in Tesseract's reading order, noise left out."""
    grouped: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        grouped.setdefault(word["key"], []).append(word)
    lines = [_make_line(group, scale, origin) for group in grouped.values()]
    return [line for line in lines if line is not None]


def _make_line(
    words: list[Word], scale: tuple[float, float], origin: tuple[float, float]
) -> Line | None:
    """Return a line record in PDF points, or None for a line of noise. `conf_spans` gives the
    stretches of its text, [start, end, confidence], each read from words of one confidence.

    Tesseract's word boxes are rough (a glyph's box may take in the line above), so the line's
    height is its font size and its middle the median of its glyphs' middles, like the em boxes
    of the text path; its ends are those of its outermost words.
    """
    if statistics.fmean(w["conf"] for w in words) < MIN_LINE_CONF:
        return None
    size_px, middle = _size_and_middle(words)
    text, conf = traced.strip(*fix_punctuation(*join_words(words, size_px)), _EDGE_JUNK)
    if not _WORD_CHAR.search(text):
        return None  # rules, dots and specks read as punctuation
    text, conf = _fix_page_number(text, conf)
    sx, sy = scale
    return {
        "text": text,
        "x0": round(origin[0] + min(w["x0"] for w in words) * sx, 2),
        "x1": round(origin[0] + max(w["x1"] for w in words) * sx, 2),
        "top": round(origin[1] + (middle - size_px / 2) * sy, 2),
        "bottom": round(origin[1] + (middle + size_px / 2) * sy, 2),
        "size": round(size_px * sy, 2),
        "conf_spans": traced.to_spans(conf),
    }


def _size_and_middle(words: list[Word]) -> tuple[float, float]:
    """Return the line's font size and vertical middle in pixels, from the ink of its
    ideographs, else of its letters and digits, else of all its words (strokes left out)."""
    for pattern, ink_height in ((_CJK_CHAR, CJK_INK_HEIGHT), (_ALNUM, ALNUM_INK_HEIGHT)):
        inked = [w for w in words if pattern.search(w["text"]) and not _flat(w)]
        if inked:
            height = statistics.median(w["bottom"] - w["top"] for w in inked)
            return height / ink_height, statistics.median(_middle(w) for w in inked)
    top, bottom = min(w["top"] for w in words), max(w["bottom"] for w in words)
    return float(bottom - top) or 1.0, (top + bottom) / 2


def _flat(word: Word) -> bool:
    """Return whether a word's box is a stroke (一 or a dash), no measure of the font size."""
    return (word["bottom"] - word["top"]) * 3 < word["x1"] - word["x0"]


def _middle(word: Word) -> float:
    return (word["top"] + word["bottom"]) / 2


def join_words(words: list[Word], size_px: float) -> tuple[str, Conf]:
    """Return the words' text (no space between CJK words unless a wide gap parts them) and
    each character's confidence: its word's, rounded to 0.1 (None for a space put between)."""
    out, conf = "", []
    for prev, word in zip([None, *words], words, strict=False):
        if prev is not None:
            both_cjk = _CJK_LIKE.match(prev["text"][-1]) and _CJK_LIKE.match(word["text"][0])
            if not both_cjk or word["x0"] - prev["x1"] > CJK_SPACE_GAP * size_px:
                out, conf = out + " ", conf + [None]
        out += word["text"]
        conf += [round(word["conf"], 1)] * len(word["text"])
    return out, conf


def fix_punctuation(text: str, conf: Conf | None = None) -> tuple[str, Conf | None]:
    """Return OCR text with ASCII punctuation beside Chinese text made full-width, as printed
    (Tesseract's chi_sim model reads `（一）` as `(一)` and `：` as `:`), and its confidences."""
    text, conf = traced.apply_edits(text, conf, _paired_bracket_edits(text))
    chars = list(text)
    for i, char in enumerate(chars):
        before = _neighbour(chars, i, -1)
        after = _neighbour(chars, i, 1)
        if char in _FULL_WIDTH and (_is_cjk(before) or (_is_cjk(after) and not before.isdigit())):
            chars[i] = _FULL_WIDTH[char]
        elif char == "(" and _is_cjk(after):
            chars[i] = "（"
        elif char == ")" and _is_cjk(before):
            chars[i] = "）"
        elif char == "." and _is_cjk(before) and not after.isdigit():
            chars[i] = "。"
    return traced.sub(_SPACE_IN_CJK, "", "".join(chars), conf)


def _paired_bracket_edits(text: str) -> list[traced.Edit]:
    """Return the edits that make each `(…)` whose content or surroundings are Chinese `（…）`,
    the spaces inside its brackets dropped."""
    edits: list[traced.Edit] = []
    for found in _PAIRED.finditer(text):
        inner = found.group(1)
        before = text[: found.start()].rstrip()[-1:]
        after = text[found.end() :].lstrip()[:1]
        if not _CJK_LIKE.search(inner.strip() + before + after):
            continue
        start, end = found.span(1)
        lead = len(inner) - len(inner.lstrip())
        trail = len(inner.lstrip()) - len(inner.strip())
        edits += [(start - 1, start, "（"), (start, start + lead, ""),
                  (end - trail, end, ""), (end, end + 1, "）")]  # fmt: skip
    return edits


def _neighbour(chars: list[str], i: int, step: int) -> str:
    """Return the nearest non-space character before (step -1) or after (step 1) index i."""
    j = i + step
    while 0 <= j < len(chars) and chars[j] == " ":
        j += step
    return chars[j] if 0 <= j < len(chars) else ""


def _is_cjk(char: str) -> bool:
    return bool(char) and _CJK_LIKE.match(char) is not None


def _fix_page_number(text: str, conf: Conf) -> tuple[str, Conf]:
    """Return `— 3 —` for a page number whose dashes were read as 一 (the ideograph one)."""
    found = _DASHED_NUMBER.match(text)
    if found is None:
        return text, conf
    return traced.apply_edits(text, conf, [(0, len(text), f"— {found.group(1)} —")])


def fix_quotes(lines: list[Line]) -> list[Line]:
    """Return the lines with each double quote turned “ or ” by its context, else alternating
    through the page: the OCR reads their direction poorly, and Chinese text pairs them."""
    expect_open = True
    for line in lines:
        chars = list(line["text"])
        for i, char in enumerate(chars):
            if char in _QUOTE_CHARS:
                opening = _opens(_neighbour(chars, i, -1), _neighbour(chars, i, 1), expect_open)
                chars[i] = "“" if opening else "”"
                expect_open = not opening
        line["text"] = "".join(chars)
    return lines


def _opens(before: str, after: str, expected: bool) -> bool:
    """Return whether a quote between these characters opens: a line never starts with a
    closing quote nor ends with an opening one, punctuation tells, else the expected one."""
    if before in _BEFORE_OPENING:
        return True
    if after in _AFTER_CLOSING:
        return False
    return expected
