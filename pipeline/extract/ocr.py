"""OCR for pages without a usable text layer: Tesseract (chi_sim) on a 300 dpi rendering.

A page is read by OCR when it has (almost) no glyphs but carries a scan or drawn outlines, or
when most of its glyphs have no usable Unicode mapping. The page is rendered in grey, turned
straight when it was scanned askew, and its rules are painted out; Tesseract's TSV output gives
one box per word, and the words of each Tesseract line become one line record in PDF points like
the text path's (`pipeline/extract/lines.py`), so the segment stage reflows both the same way.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
import shutil
import statistics
import subprocess
from typing import Any

import numpy as np
from PIL import Image

from pipeline.errors import OcrFailedError, OcrUnavailableError

Line = dict[str, Any]
Word = dict[str, Any]

RESOLUTION = 300
LANG = "chi_sim"
#: Tesseract's page segmentation mode 6, "one uniform block of text": reports are set in one
#: column, and the automatic layout analysis (mode 3) drops indented line starts such as "(1)"
PAGE_SEGMENTATION = "6"
#: seconds one page may take before the OCR is given up
TIMEOUT = 300
#: fewer readable glyphs than this is "almost no text"
MIN_CHARS = 20
#: a text layer with a larger share of unreadable glyphs is not used
MAX_UNREADABLE = 0.3
#: a page without glyphs is OCR'd when images cover this share of it …
MIN_IMAGE_SHARE = 0.1
#: … or when it holds this many curves (text drawn as outlines)
MIN_CURVES = 20
#: a page with a few stray glyphs is still a scan when one image covers this share of it
SCAN_IMAGE_SHARE = 0.5
#: a line whose words Tesseract trusts less than this on average is noise (stamps, photos)
MIN_LINE_CONF = 30.0
#: ideographs' ink is this share of the font size high (Song, Fangsong, Hei faces) …
CJK_INK_HEIGHT = 0.95
#: … and digits' and capitals' ink this share
ALNUM_INK_HEIGHT = 0.7
#: a gap between two CJK words wider than this share of the font size is kept as a space
CJK_SPACE_GAP = 1.0
#: a scan turned by less than this (degrees) is left as it is; by more than MAX_SKEW, not found
MIN_SKEW = 0.1
MAX_SKEW = 3.0
#: the skew is measured on a copy reduced to about this resolution
SKEW_DPI = 100
#: a grey level below this is ink
DARK = 160
#: a straight run of ink this long (inches) is a rule, not a stroke of a glyph (at most 1 em)
RULE_LENGTH = 0.6
INSTALL_HINT = (
    "install it with `apt-get install tesseract-ocr tesseract-ocr-chi-sim` (Debian/Ubuntu) "
    "or `brew install tesseract tesseract-lang` (macOS)"
)

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


# --------------------------------------------------------------------------- which pages


def needs_ocr(page, chars: list[dict[str, Any]]) -> bool:
    """Return whether the page has no usable text layer and must be read by OCR."""
    glyphs = [c for c in chars if not c["text"].isspace()]
    if len(glyphs) >= MIN_CHARS:
        return _unreadable_share(glyphs) > MAX_UNREADABLE
    if glyphs and _unreadable_share(glyphs) > MAX_UNREADABLE:
        return True
    if glyphs:
        return _largest_image_share(page) >= SCAN_IMAGE_SHARE
    if len(page.chars) >= MIN_CHARS:
        return False  # a text layer in rotated glyphs: usable, only not upright
    return _image_share(page) >= MIN_IMAGE_SHARE or len(page.curves) >= MIN_CURVES


def is_unreadable(text: str) -> bool:
    """Return whether a glyph's text is no real character: `(cid:N)`, U+FFFD, private use,
    a control character, or Latin-1 letters that are GBK bytes read as Latin-1 (mojibake)."""
    if text.startswith("(cid:"):
        return True
    code = ord(text[0]) if text else 0
    if code < 0x20 or 0x7F <= code <= 0x9F or code == 0xFFFD:
        return True
    if 0xC0 <= code <= 0xFF and code not in (0xD7, 0xF7):
        return True  # À…ÿ without × and ÷: "ÉÏº£ÊÐ" is 上海市 in GBK read as Latin-1
    return 0xE000 <= code <= 0xF8FF or code >= 0xF0000


def _unreadable_share(glyphs: list[dict[str, Any]]) -> float:
    """Return the share of glyphs whose text is unreadable."""
    return sum(1 for c in glyphs if is_unreadable(c["text"])) / len(glyphs)


def _image_share(page) -> float:
    """Return the share of the page the images cover (summed, each clipped to the page)."""
    return sum(_clipped_area(page, im) for im in page.images) / _page_area(page)


def _largest_image_share(page) -> float:
    """Return the share of the page the largest image covers."""
    return max((_clipped_area(page, im) for im in page.images), default=0.0) / _page_area(page)


def _clipped_area(page, obj: dict[str, Any]) -> float:
    """Return the area of an object's box inside the page."""
    x0, top, x1, bottom = page.bbox
    width = min(obj["x1"], x1) - max(obj["x0"], x0)
    height = min(obj["bottom"], bottom) - max(obj["top"], top)
    return max(width, 0.0) * max(height, 0.0)


def _page_area(page) -> float:
    """Return the page's area in square points (1 for a degenerate page)."""
    return float(page.width * page.height) or 1.0


# --------------------------------------------------------------------------- Tesseract


@functools.cache
def tesseract_problem() -> str | None:
    """Return why Tesseract with chi_sim cannot run here (a sentence fragment), or None."""
    exe = shutil.which("tesseract")
    if exe is None:
        return "Tesseract OCR is not installed"
    try:
        found = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return "Tesseract OCR does not run"
    langs = {ln.strip() for ln in (found.stdout + found.stderr).splitlines()}
    if LANG not in langs:
        return f"Tesseract OCR has no Simplified Chinese ({LANG}) language data"
    return None


def require_tesseract(page_no: int | None = None) -> None:
    """Raise OcrUnavailableError unless Tesseract with chi_sim can run (checked once a process)."""
    problem = tesseract_problem()
    if problem is not None:
        where = f"page {page_no}" if page_no is not None else "a page"
        raise OcrUnavailableError(f"{where} has no text layer and {problem}; {INSTALL_HINT}.")


def ocr_page(page) -> list[Line]:
    """Return the page's text lines read by Tesseract, in reading order, in PDF points."""
    require_tesseract(page.page_number)
    rendered = page.to_image(resolution=RESOLUTION, antialias=True).original.convert("L")
    image = remove_rules(deskew(rendered))
    words = parse_tsv(run_tesseract(_png(image), page.page_number))
    scale = (float(page.width) / image.width, float(page.height) / image.height)
    origin = (float(page.bbox[0]), float(page.bbox[1]))
    return fix_quotes(lines_from_words(words, scale, origin))


def deskew(image: Image.Image) -> Image.Image:
    """Return the grey page image turned straight when it was scanned a little askew."""
    angle = skew_angle(image)
    if abs(angle) < MIN_SKEW:
        return image
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)


def skew_angle(image: Image.Image) -> float:
    """Return the turn (degrees, counter-clockwise) that makes the text lines horizontal: the
    one whose row profile of ink is sharpest, searched coarse then fine."""
    small = image.reduce(max(RESOLUTION // SKEW_DPI, 1))
    ink = small.point(lambda v: 255 if v < DARK else 0)
    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.25)
    best = _sharpest(ink, coarse, 0.0)
    return _sharpest(ink, best + np.arange(-0.2, 0.2 + 1e-9, 0.05), best)


def _sharpest(ink: Image.Image, angles: np.ndarray, start: float) -> float:
    """Return the angle of those (or start) whose rotated row profile is sharpest."""
    best, score = start, _sharpness(ink.rotate(start, resample=Image.Resampling.NEAREST))
    for angle in sorted(angles, key=abs):
        rotated = _sharpness(ink.rotate(float(angle), resample=Image.Resampling.NEAREST))
        if rotated > score * 1.001:
            best, score = round(float(angle), 2), rotated
    return best


def _sharpness(ink: Image.Image) -> float:
    """Return how sharply the ink's row sums change: large when text lines run horizontal."""
    rows = np.asarray(ink, dtype=np.float64).sum(axis=1)
    return float(np.square(np.diff(rows)).sum())


def remove_rules(image: Image.Image) -> Image.Image:
    """Return the grey page image with its long straight lines (ruled tables, the rule under
    a running header, underlines) painted white: Tesseract reads them as text."""
    grey = np.asarray(image)
    dark = grey < DARK
    span = int(RULE_LENGTH * RESOLUTION)
    rules = _long_runs(dark, span) | _long_runs(dark.T, span).T
    for axis in (0, 1):  # and their anti-aliased edges
        rules = rules | np.roll(rules, 1, axis) | np.roll(rules, -1, axis)
    return Image.fromarray(np.where(rules, np.uint8(255), grey))


def _long_runs(dark: np.ndarray, span: int) -> np.ndarray:
    """Return the pixels that lie in a horizontal run of at least span dark pixels."""
    rows, width = dark.shape
    if width < span:
        return np.zeros_like(dark)
    sums = np.zeros((rows, width + 1), dtype=np.int32)
    np.cumsum(dark, axis=1, out=sums[:, 1:])
    starts = (sums[:, span:] - sums[:, :-span]) == span  # a full run starts here
    count = np.zeros((rows, width + 1), dtype=np.int32)
    np.cumsum(np.pad(starts, ((0, 0), (0, span - 1))), axis=1, out=count[:, 1:])
    lower = np.maximum(np.arange(width) - span + 1, 0)
    return (count[:, 1:] - count[:, lower]) > 0


def _png(image) -> bytes:
    """Return the image as PNG bytes (fast compression: it only travels through a pipe)."""
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1, dpi=(RESOLUTION, RESOLUTION))
    return out.getvalue()


def run_tesseract(png: bytes, page_no: int) -> str:
    """Return Tesseract's TSV for one page image (one thread, so parallel workers share)."""
    cmd = ["tesseract", "stdin", "stdout", "-l", LANG, "--psm", PAGE_SEGMENTATION, "tsv"]
    env = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")}
    try:
        done = subprocess.run(cmd, input=png, capture_output=True, timeout=TIMEOUT, env=env)
    except subprocess.TimeoutExpired as exc:
        raise OcrFailedError(f"OCR of page {page_no} took longer than {TIMEOUT} s.") from exc
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise OcrFailedError(f"Tesseract could not read page {page_no} ({reason[0]}).")
    return done.stdout.decode("utf-8", "replace")


# --------------------------------------------------------------------------- TSV → lines


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
    """Return a line record in PDF points, or None for a line of noise.

    Tesseract's word boxes are rough (a glyph's box may take in the line above), so the line's
    height is its font size and its middle the median of its glyphs' middles, like the em boxes
    of the text path; its ends are those of its outermost words.
    """
    if statistics.fmean(w["conf"] for w in words) < MIN_LINE_CONF:
        return None
    size_px, middle = _size_and_middle(words)
    text = fix_punctuation(join_words(words, size_px)).strip(_EDGE_JUNK)
    if not _WORD_CHAR.search(text):
        return None  # rules, dots and specks read as punctuation
    sx, sy = scale
    return {
        "text": _fix_page_number(text),
        "x0": round(origin[0] + min(w["x0"] for w in words) * sx, 2),
        "x1": round(origin[0] + max(w["x1"] for w in words) * sx, 2),
        "top": round(origin[1] + (middle - size_px / 2) * sy, 2),
        "bottom": round(origin[1] + (middle + size_px / 2) * sy, 2),
        "size": round(size_px * sy, 2),
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


def join_words(words: list[Word], size_px: float) -> str:
    """Return the words' text: no space between CJK words unless a wide gap parts them."""
    out = words[0]["text"]
    for prev, word in zip(words, words[1:], strict=False):
        both_cjk = _CJK_LIKE.match(prev["text"][-1]) and _CJK_LIKE.match(word["text"][0])
        if not both_cjk or word["x0"] - prev["x1"] > CJK_SPACE_GAP * size_px:
            out += " "
        out += word["text"]
    return out


def fix_punctuation(text: str) -> str:
    """Return OCR text with ASCII punctuation beside Chinese text made full-width, as printed:
    Tesseract's chi_sim model reads `（一）` as `(一)` and `：` as `:`."""
    text = _PAIRED.sub(_paired_brackets, text)
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
    return re.sub(rf"(?<=[{_CJK}{_CJK_PUNCT}]) +(?=[{_CJK}{_CJK_PUNCT}])", "", "".join(chars))


def _paired_brackets(found: re.Match[str]) -> str:
    """Return `(…)` as `（…）` when its content or its surroundings are Chinese."""
    inner = found.group(1).strip()
    before = found.string[: found.start()].rstrip()[-1:]
    after = found.string[found.end() :].lstrip()[:1]
    if _CJK_LIKE.search(inner + before + after):
        return f"（{inner}）"
    return found.group(0)


def _neighbour(chars: list[str], i: int, step: int) -> str:
    """Return the nearest non-space character before (step -1) or after (step 1) index i."""
    j = i + step
    while 0 <= j < len(chars) and chars[j] == " ":
        j += step
    return chars[j] if 0 <= j < len(chars) else ""


def _is_cjk(char: str) -> bool:
    return bool(char) and _CJK_LIKE.match(char) is not None


def _fix_page_number(text: str) -> str:
    """Return `— 3 —` for a page number whose dashes were read as 一 (the ideograph one)."""
    found = _DASHED_NUMBER.match(text)
    return f"— {found.group(1)} —" if found else text


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
