"""Text read by OCR with each character's confidence kept beside it through every edit.

A character's confidence is that of the Tesseract word it was read from (0–100), None for a
character no word gave (a space put between words). Every edit the text goes through on its way
to the segment stage's cleaned text (punctuation made full-width, spaces dropped, NFKC) is made
here on the text and its confidences at once, so a figure found in the cleaned text knows the
words it was read from. A character that replaces several takes the lowest of their confidences.

`conf` None means "not traced" (a text layer): the edits then cost what plain `re.sub` costs.
"""

from __future__ import annotations

import re

Conf = list[float | None]
Edit = tuple[int, int, str]
Span = list  # [start, end, confidence]: a stretch of text read from words of one confidence


def apply_edits(text: str, conf: Conf | None, edits: list[Edit]) -> tuple[str, Conf | None]:
    """Return the text with each edit (start, end, new text; in order, none overlapping) made,
    and the confidences that go with it."""
    out, at = [], 0
    traced: Conf = []
    for start, end, new in edits:
        out += [text[at:start], new]
        if conf is not None:
            traced += conf[at:start] + [lowest(conf[start:end])] * len(new)
        at = end
    out.append(text[at:])
    if conf is None:
        return "".join(out), None
    return "".join(out), traced + conf[at:]


def sub(pattern: re.Pattern[str], repl: str, text: str, conf: Conf | None):
    """Return `pattern.sub(repl, text)` and its confidences (a constant replacement)."""
    if conf is None:
        return pattern.sub(repl, text), None
    return apply_edits(text, conf, [(m.start(), m.end(), repl) for m in pattern.finditer(text)])


def strip(text: str, conf: Conf | None, chars: str | None = None):
    """Return `text.strip(chars)` and its confidences."""
    start = len(text) - len(text.lstrip(chars))
    end = start + len(text[start:].rstrip(chars))
    return text[start:end], None if conf is None else conf[start:end]


def lowest(conf: Conf) -> float | None:
    """Return the lowest confidence of these characters (None when none has one)."""
    known = [c for c in conf if c is not None]
    return min(known) if known else None


def to_spans(conf: Conf, offset: int = 0) -> list[Span]:
    """Return the runs of characters of one confidence, [start, end, conf] (offsets shifted by
    `offset`); characters without a confidence are in none."""
    spans: list[Span] = []
    for i, c in enumerate(conf):
        if c is None:
            continue
        if spans and spans[-1][1] == i + offset and spans[-1][2] == c:
            spans[-1][1] += 1
        else:
            spans.append([i + offset, i + offset + 1, c])
    return spans


def from_spans(spans: list[Span], length: int) -> Conf:
    """Return the confidence of each of `length` characters that these spans give."""
    conf: Conf = [None] * length
    for start, end, c in spans:
        conf[start:end] = [c] * (end - start)
    return conf
