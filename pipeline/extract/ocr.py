"""OCR for pages without a usable text layer: Tesseract (chi_sim) on a 300 dpi rendering.

A page is read by OCR when it has (almost) no glyphs but carries a scan or drawn outlines, when
most of its glyphs have no usable Unicode mapping, or when its text layer is no language (a
subset font mapped to ASCII where the page shows Chinese: `书书书!"#$%&’()*+`). The page is
rendered in grey, turned straight when it was scanned askew, and its rules are painted out;
Tesseract's TSV output gives one box per word, and the words of each Tesseract line become one
line record in PDF points like the text path's (`pipeline/extract/lines.py`), so the segment
stage reflows both the same way.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
from typing import Any

import numpy as np
from PIL import Image

from pipeline.errors import OcrFailedError, OcrUnavailableError
from pipeline.extract.ocr_lines import fix_quotes, lines_from_words, parse_tsv

Line = dict[str, Any]


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
#: a text layer is no language (a font without a Unicode map) with less Chinese than this share,
#: at least this share of Latin letters, and ASCII punctuation at least this share of the letters
MAX_JUNK_CJK = 0.05
MIN_JUNK_LETTERS = 0.1
JUNK_PUNCT = 0.25
#: why a page is read by OCR (pages.ocr_reason)
SCAN, UNREADABLE, NOT_LANGUAGE = "scan", "unreadable", "not_language"
#: a page without glyphs is OCR'd when images cover this share of it …
MIN_IMAGE_SHARE = 0.1
#: … or when it holds this many curves (text drawn as outlines)
MIN_CURVES = 20
#: a page with a few stray glyphs is still a scan when one image covers this share of it
SCAN_IMAGE_SHARE = 0.5
#: a scan turned by less than this (degrees) is left as it is; by more than MAX_SKEW, not found
MIN_SKEW = 0.1
MAX_SKEW = 3.0
#: a page is rendered with at most this many pixels (a 100-inch poster at 300 dpi would take
#: gigabytes): larger pages are rendered at the resolution that fits (A2 at 300 dpi still does)
MAX_PIXELS = 40_000_000
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


# --------------------------------------------------------------------------- which pages


def needs_ocr(page, chars: list[dict[str, Any]]) -> bool:
    """Return whether the page has no usable text layer and must be read by OCR."""
    return ocr_reason(page, chars) is not None


def ocr_reason(page, chars: list[dict[str, Any]]) -> str | None:
    """Return why the page must be read by OCR (`scan`, `unreadable`, `not_language`), or None
    when its text layer is used."""
    glyphs = [c for c in chars if not c["text"].isspace()]
    if len(glyphs) >= MIN_CHARS:
        if _unreadable_share(glyphs) > MAX_UNREADABLE:
            return UNREADABLE
        return NOT_LANGUAGE if is_junk([c["text"] for c in glyphs]) else None
    if glyphs and _unreadable_share(glyphs) > MAX_UNREADABLE:
        return UNREADABLE
    if glyphs:
        return SCAN if _largest_image_share(page) >= SCAN_IMAGE_SHARE else None
    if len(page.chars) >= MIN_CHARS:
        return None  # a text layer in rotated glyphs: usable, only not upright
    if _image_share(page) >= MIN_IMAGE_SHARE or len(page.curves) >= MIN_CURVES:
        return SCAN
    return None


def is_junk(texts: list[str]) -> bool:
    """Return whether a page's glyphs are no language: next to no Chinese, and Latin letters
    mixed with as much ASCII punctuation as a font without a Unicode map gives (`书书书!"#$%&’()*+`
    for a line of Chinese). English prose has few punctuation marks per letter; a table has
    digits, not letters."""
    n = len(texts)
    cjk = sum(1 for t in texts if "\u3400" <= t[0] <= "\u9fff") / n
    letters = sum(1 for t in texts if t.isascii() and t.isalpha()) / n
    punct = sum(1 for t in texts if t.isascii() and not t.isalnum()) / n
    return cjk < MAX_JUNK_CJK and letters >= MIN_JUNK_LETTERS and punct >= JUNK_PUNCT * letters


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


def ocr_page(page, scanned: bool = True) -> list[Line]:
    """Return the page's text lines read by Tesseract, in reading order, in PDF points. A scan
    (or text drawn as outlines) is rendered smooth and turned straight; a born-digital page
    whose text layer is unusable is rendered without anti-aliasing and left upright, which
    Tesseract reads more surely (1329.5, not 1329.3, on the 淮安 预算报告)."""
    require_tesseract(page.page_number)
    resolution = render_resolution(page)
    rendered = page.to_image(resolution=resolution, antialias=scanned).original.convert("L")
    image = remove_rules(deskew(rendered) if scanned else rendered)
    words = parse_tsv(run_tesseract(_png(image), page.page_number))
    scale = (float(page.width) / image.width, float(page.height) / image.height)
    origin = (float(page.bbox[0]), float(page.bbox[1]))
    return fix_quotes(lines_from_words(words, scale, origin))


def render_resolution(page) -> int:
    """Return the resolution a page is rendered at for OCR: RESOLUTION, or less for a page so
    large that its rendering would pass MAX_PIXELS."""
    inches = float(page.width) * float(page.height) / 72**2
    return max(1, min(RESOLUTION, int((MAX_PIXELS / max(inches, 1e-9)) ** 0.5)))


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
