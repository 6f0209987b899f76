"""Page furniture: running headers, footers and page numbers, found across a document's pages."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

# Share of the page height, at the top and at the bottom, where furniture lives.
BAND = 0.09
MIN_BAND = 72.0
EDGE = 0.2
PAGE_NUMBER = re.compile(
    r"^(?:[—–\-－―·•\s]*\d{1,4}[—–\-－―·•\s]*"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|[-—–]?\s*[ivxlcIVXLC]{1,6}\s*[-—–]?)$"
)
# What a page number is printed between (— 3 —), left alone on its line when the number's
# baseline sits apart from it.
NUMBER_DASHES = re.compile(r"^[—–\-－―·•\s]+$")
_DIGITS = re.compile(r"\d+")
# A table's unit note belongs to the table under it, however often it recurs at a page's top.
UNIT_NOTE = re.compile(r"单位\s*[:：]")


def mask_digits(text: str) -> str:
    """Return text with digit runs replaced by "#", so page-numbered lines compare equal."""
    return _DIGITS.sub("#", text.replace(" ", ""))


def in_band(line: dict[str, Any], height: float) -> bool:
    """Return whether a text line sits in the top or bottom band of its page (a share of the
    height, and at least an inch, so landscape pages keep their footers in the band); a
    table's unit note never does."""
    if "table" in line or UNIT_NOTE.search(line["text"]):
        return False
    band = max(height * BAND, MIN_BAND)
    return line["bottom"] <= band * 1.6 or line["top"] >= height - band


def find_furniture(pages: list[dict[str, Any]]) -> list[set[int]]:
    """Return, per page, the indexes of its lines that are running headers, footers or numbers.

    A band line is furniture when it is a page number or the dashes around one, or when the same
    text (digits masked) stands in the bands of at least half the pages (and of two at least).
    """
    repeated = _repeated_band_texts(pages)
    opening = _opening_text(pages)
    result: list[set[int]] = []
    for page in pages:
        drop = set(_edge_page_numbers(page))
        for i, line in enumerate(page["lines"]):
            if not in_band(line, page["height"]):
                continue
            masked = mask_digits(line["text"])
            number = PAGE_NUMBER.match(line["text"]) or NUMBER_DASHES.match(line["text"])
            if number or masked in repeated:
                drop.add(i)
            elif page is not pages[0] and len(masked) >= 6 and masked in opening:
                drop.add(i)  # a running header that repeats the title
        result.append(drop)
    return result


def _edge_page_numbers(page: dict[str, Any]) -> list[int]:
    """Return the indexes of a page number printed as the page's first or last line, in its
    outer fifth, above or below the band (`— 5 —` 92 points from the bottom of a 统计公报),
    with the dashes around it when they stand as a line of their own beside it."""
    body = [i for i, ln in enumerate(page["lines"]) if "table" not in ln]
    height = page["height"]

    def near_edge(i: int) -> bool:
        line = page["lines"][i]
        return line["bottom"] <= height * EDGE or line["top"] >= height * (1 - EDGE)

    found = []
    for edge, beside in ((body[:1], body[1:2]), (body[-1:], body[-2:-1])):
        texts = {i: page["lines"][i]["text"] for i in edge + beside}
        numbers = [i for i in edge if near_edge(i) and PAGE_NUMBER.match(texts[i])]
        dashes = [i for i in beside if near_edge(i) and NUMBER_DASHES.match(texts[i])]
        found += numbers + (dashes if numbers else [])
    return found


def _opening_text(pages: list[dict[str, Any]], n_lines: int = 4) -> str:
    """Return the first lines of the first page joined (digits masked): where a title stands."""
    if not pages:
        return ""
    lines = [ln["text"] for ln in pages[0]["lines"] if "table" not in ln][:n_lines]
    return mask_digits("".join(lines))


def _repeated_band_texts(pages: list[dict[str, Any]]) -> set[str]:
    """Return the masked band-line texts that recur on at least half the pages (two at least)."""
    counts: Counter[str] = Counter()
    for page in pages:
        texts = {mask_digits(ln["text"]) for ln in page["lines"] if in_band(ln, page["height"])}
        counts.update(t for t in texts if t)
    need = max(2, (len(pages) + 1) // 2)
    return {text for text, n in counts.items() if n >= need}
