"""Lines into paragraphs (reflowed across line and page breaks), headings, sections, sentences."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Any

from pipeline import traced
from pipeline.segment.normalize import drop_cjk_spaces_traced, normalize_traced
from pipeline.traced import Conf, Span
from pipeline.vocabulary import (
    ARABIC_BRACKETED_MARKER,
    ARABIC_MARKER,
    ARABIC_ORDINAL,
    CHINESE_BRACKETED_MARKER,
    CHINESE_MARKER,
    PART_MARKER,
    SPOKEN_MARKER,
)

# Heading markers by family; the family gives the level (一、 → 1, （一） → 2, 1. → 3, （1） → 4).
MARKERS: list[tuple[int, re.Pattern[str]]] = [
    (0, re.compile(rf"^{PART_MARKER}\s*")),
    (1, re.compile(rf"^{CHINESE_MARKER}\s*")),
    (2, re.compile(rf"^{CHINESE_BRACKETED_MARKER}\s*")),
    (3, re.compile(rf"^(?:{ARABIC_MARKER}|{ARABIC_ORDINAL}\s)\s*")),
    (4, re.compile(rf"^{ARABIC_BRACKETED_MARKER}\s*")),
]
# A list item inside running text: 一是, 二是 … (a paragraph may start at one).
LIST_ITEM = re.compile(rf"^{SPOKEN_MARKER}")
MAX_HEADING = 40
# A label line of a cover page: 预算主管部门：…, 编制单位：…, 公司代码：600519 公司简称：…
META = re.compile(r"^[^，。；：:]{2,8}[：:]\s*\S[^。；]{0,60}$")
SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”’」』）)]*|$)")
END_PUNCT = tuple("。；：？！;:?!")
# How the last line of a paragraph ends: a full stop, maybe inside closing quotes or brackets.
CLOSING = END_PUNCT + tuple("”’」』）)")


@dataclass
class Paragraph:
    """A reflowed paragraph: its text, the pages it spans, what it is, and the OCR confidence
    of the stretches of its text read by OCR ([start, end, conf], offsets into its text)."""

    text: str = ""
    kind: str = "body"  # title | heading | body
    pieces: list[tuple[int, int]] = field(default_factory=list)  # (page_no, chars from it)
    conf_spans: list[Span] = field(default_factory=list)

    @property
    def page_no(self) -> int:
        return self.pieces[0][0]


def clean_line(text: str) -> str:
    """Return one extracted line normalised, with typesetting spaces around CJK removed."""
    return clean_traced(text, None)[0]


def clean_traced(text: str, conf: Conf | None) -> tuple[str, Conf | None]:
    """Return one extracted line cleaned as `clean_line` does, and the OCR confidence of each
    of its characters (None for a line of a text layer)."""
    return drop_cjk_spaces_traced(*normalize_traced(text, conf))


def line_conf(line: dict[str, Any]) -> Conf | None:
    """Return the OCR confidence of each character of an extracted line (None for a text layer
    line)."""
    spans = line.get("conf_spans")
    return None if spans is None else traced.from_spans(spans, len(line["text"]))


def marker_of(text: str) -> tuple[int, str] | None:
    """Return (level, marker as printed) when the text starts with a heading/list marker."""
    for level, pattern in MARKERS:
        found = pattern.match(text)
        if found:
            return level, found.group(0).strip()
    return None


def is_heading(text: str) -> bool:
    """Return whether a paragraph that starts with a marker is a heading: short, standing
    alone, and not a sentence (a list item such as `8.负责…，…。` goes on or ends like one)."""
    found = marker_of(text)
    if found is None:
        return False
    rest = text[len(found[1]) :].strip()
    sentence_like = "，" in rest and rest.endswith("。")
    rest = rest.rstrip("。")
    return (
        0 < len(rest) <= MAX_HEADING and not any(p in rest for p in "。；;") and not sentence_like
    )


def reflow(pages: list[dict[str, Any]]) -> list[Paragraph]:
    """Return the document's paragraphs, joining lines cut by line and page breaks."""
    text_lines = [ln for page in pages for ln in page["lines"] if "table" not in ln]
    if not text_lines:
        return []
    left = left_margin(text_lines)
    body_size = statistics.median(ln["size"] for ln in text_lines)
    right = max(ln["x1"] for ln in text_lines) if len(text_lines) < 3 else _p90(text_lines)
    paragraphs: list[Paragraph] = []
    prev: dict[str, Any] | None = None
    for page in pages:
        for line in page["lines"]:
            if "table" in line:
                prev = None
                continue
            text, conf = clean_traced(line["text"], line_conf(line))
            if not text:
                continue
            if prev is None or _starts_paragraph(line, prev, text, left, right):
                kind = _kind(line, page, (left, right, body_size), paragraphs)
                paragraphs.append(Paragraph(kind=kind))
            _append(paragraphs[-1], page["page_no"], text, conf)
            prev = line
    return _merge_title(paragraphs)


def _starts_paragraph(line, prev, text: str, left: float, right: float) -> bool:
    """Return whether a line begins a new paragraph rather than continuing the previous one."""
    size = line["size"] or 10.0
    if line["x0"] > left + 0.9 * size:
        return True  # first-line indent, or a centred line
    if is_centred(prev, left, right):
        return True  # a centred line (目 录, a caption) stands alone
    before = clean_line(prev["text"])
    short = prev["x1"] < right - 1.5 * size
    if short and (before.endswith(CLOSING) or is_heading(before)):
        return True  # the previous line stopped short after a full stop: its paragraph ended
    if short and marker_of(text) is not None:
        return True  # a marked entry after a short line: contents, lists without full stops
    if LIST_ITEM.match(text):  # 一是 after a full stop; after a colon the list goes on
        return before.endswith(("。", "！", "？"))
    return marker_of(text) is not None and before.endswith(END_PUNCT)


def _kind(line, page, frame: tuple[float, float, float], before: list[Paragraph]) -> str:
    """Return what a paragraph that opens page one is: 'title' for large or centred lines,
    'meta' for short label lines among them (预算主管部门：…, 公司代码：…), else 'body'."""
    if page["page_no"] != 1 or any(p.kind == "body" for p in before):
        return "body"
    text = clean_line(line["text"])
    if META.match(text):
        return "meta"
    left, right, body_size = frame
    centred = is_centred(line, left, right)
    return "title" if centred or line["size"] > 1.15 * body_size else "body"


def is_centred(line: dict[str, Any], left: float, right: float) -> bool:
    """Return whether a line is centred between the margins (and not full width)."""
    margin_left, margin_right = line["x0"] - left, right - line["x1"]
    size = line["size"] or 10.0
    return (
        abs(margin_left - margin_right) < 0.75 * size and min(margin_left, margin_right) > 3 * size
    )


def _append(paragraph: Paragraph, page_no: int, text: str, conf: Conf | None) -> None:
    piece = (" " if _latin(paragraph.text[-1:]) and _latin(text[:1]) else "") + text
    if conf is not None:
        offset = len(paragraph.text) + len(piece) - len(text)
        paragraph.conf_spans += traced.to_spans(conf, offset)
    paragraph.text += piece
    if paragraph.pieces and paragraph.pieces[-1][0] == page_no:
        paragraph.pieces[-1] = (page_no, paragraph.pieces[-1][1] + len(piece))
    else:
        paragraph.pieces.append((page_no, len(piece)))


def _latin(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _merge_title(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Return the paragraphs with the title block's lines joined into one title paragraph."""
    titles = [p for p in paragraphs if p.kind == "title"]
    if len(titles) <= 1:
        return paragraphs
    merged = Paragraph(kind="title")
    for p in titles:
        merged.conf_spans += [[s + len(merged.text), e + len(merged.text), c]
                              for s, e, c in p.conf_spans]  # fmt: skip
        merged.text += p.text
        merged.pieces.extend(p.pieces)
    return [merged] + [p for p in paragraphs if p.kind != "title"]


def left_margin(lines: list[dict[str, Any]], tol: float = 2.0) -> float:
    """Return the body's left edge: the leftmost x0 that many lines share.

    "Many" is at least two lines and a fifth of the most common edge, so a few outdented
    notes do not move the margin and a short page of indented paragraphs still finds it.
    """
    clusters: list[list[float]] = []
    for x in sorted(ln["x0"] for ln in lines):
        if clusters and x - clusters[-1][0] <= tol:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    most = max(len(c) for c in clusters)
    return next(c[0] for c in clusters if len(c) >= max(2, most / 5) or len(c) == most)


def _p90(lines: list[dict[str, Any]]) -> float:
    """Return the right edge most full lines reach (90th percentile of line ends)."""
    return statistics.quantiles([ln["x1"] for ln in lines], n=10)[-1]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the sentences of a paragraph (ending at 。！？)."""
    spans = []
    for found in SENTENCE.finditer(text):
        start, end = found.span()
        while start < end and text[start].isspace():
            start += 1
        if start < end:
            spans.append((start, end))
    return spans
