"""How sure the OCR was of a figure: the lowest confidence of the Tesseract words its number and
unit were read from (`ocr_confidence`, 0–100; None for a figure of a text layer or a table), and
whether that is too low to trust (`low_confidence`).

The segment stage gives each OCR'd page the confidence of every stretch of its text
(`ocr_conf_spans`, offsets into the page's text); a text figure's offsets are offsets into the
document's text, which holds each page's text from the page's `char_start`.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

#: a figure read by OCR with a lower confidence is flagged `low_confidence`. Measured by
#: `scripts/ocr_confidence.py` on the 189 figures of 14 OCR'd pages (the 淮安 预算报告's 12 and
#: the scanned fixture's 2, labelled in tests/gold/ocr/): below 60, 7 of the 19 figures OCR
#: read wrong and 7 of the 170 read right; F1 of the flag is highest here (0.42; 55: 6 and 4,
#: 65: 8 and 13, 80: 12 and 35). Most wrong figures it misses lost a decimal point (4.4 → 44)
#: and were read with a confidence of 75–93, like the right ones: no threshold parts them.
LOW_CONFIDENCE = 60.0

Spans = tuple[list[int], list[int], list[float]]
"""Starts, ends and confidences of the OCR'd stretches of a document's text, in order."""


def document_spans(pages: list[dict[str, Any]]) -> Spans:
    """Return the OCR confidence spans of every page, in document offsets, in order."""
    found = sorted(
        (page["char_start"] + start, page["char_start"] + end, conf)
        for page in pages
        for start, end, conf in page.get("ocr_conf_spans") or ()
    )
    return [s for s, _, _ in found], [e for _, e, _ in found], [c for _, _, c in found]


def confidence_of(spans: Spans, start: int, end: int) -> float | None:
    """Return the lowest confidence of the OCR'd stretches that overlap [start, end) of the
    document's text, None when no OCR'd stretch does."""
    starts, ends, confs = spans
    i = bisect_right(ends, start)  # the first stretch that ends after `start`
    found = []
    while i < len(starts) and starts[i] < end:
        found.append(confs[i])
        i += 1
    return min(found) if found else None


def confidence_columns(confidence: float | None) -> dict[str, Any]:
    """Return a figure's `ocr_confidence` and `low_confidence` columns."""
    low = confidence is not None and confidence < LOW_CONFIDENCE
    return {"ocr_confidence": confidence, "low_confidence": low}
