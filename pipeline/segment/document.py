"""The segment stage's core: one extracted document → cleaned text, pages, sections, sentences."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from pipeline.segment.structure import (
    Paragraph,
    clean_line,
    is_heading,
    marker_of,
    reflow,
    split_sentences,
)
from pipeline.segment.tokens import tokenize

VERSION = "2"
CONTENTS = re.compile(r"^目\s*录$")
LEADER = re.compile(r"[.…·．\s]{2,}\d*$|\d+$")
MAX_ENTRY = 40


def segment_document(extracted: dict[str, Any]) -> dict[str, Any]:
    """Return the document's cleaned text with its pages, title, sections, sentences and cells."""
    paragraphs = reflow(extracted["pages"])
    for paragraph in paragraphs:
        if paragraph.kind == "body" and is_heading(paragraph.text):
            paragraph.kind = "heading"
    demote_list_runs(paragraphs)
    mark_contents(paragraphs)
    text, starts = _join(paragraphs)
    sections = build_sections(paragraphs, starts)
    return {
        "text": text,
        "title": next((p.text for p in paragraphs if p.kind == "title"), None),
        "cover": [p.text for p in paragraphs if p.kind == "meta"],
        "pages": page_texts(extracted["pages"], paragraphs, starts, text),
        "sections": sections,
        "sentences": build_sentences(paragraphs, starts, sections),
        "tables": clean_tables(extracted["pages"]),
        "n_unreadable": sum(page.get("n_unreadable", 0) for page in extracted["pages"]),
        "warnings": [note for page in extracted["pages"] for note in page.get("notes", [])],
    }


def _join(paragraphs: list[Paragraph]) -> tuple[str, list[int]]:
    """Return the document text (one paragraph a line) and each paragraph's start offset."""
    starts, offset = [], 0
    for paragraph in paragraphs:
        starts.append(offset)
        offset += len(paragraph.text) + 1
    return "\n".join(p.text for p in paragraphs), starts


def page_texts(pages, paragraphs: list[Paragraph], starts: list[int], text: str) -> list[dict]:
    """Return each page's cleaned text: the stretch of document text its lines produced, and on
    an OCR'd page the confidence of each stretch of it read from Tesseract words
    (`ocr_conf_spans`: [start, end, conf], offsets into the page's text). A page without running
    text (a page of tables, a blank page) is an empty stretch where the text before it ends, so
    the pages' stretches stay in the order of the text."""
    spans: dict[int, list[int]] = {}
    for paragraph, start in zip(paragraphs, starts, strict=True):
        offset = start
        for page_no, n in paragraph.pieces:
            span = spans.setdefault(page_no, [offset, offset + n])
            span[1] = offset + n
            offset += n
    confs = conf_spans_by_page(paragraphs, starts)
    rows = []
    end = 0
    for page in pages:
        start, end = spans.get(page["page_no"], (end, end))
        body = text[start:end]
        read = confs.get(page["page_no"], [])
        rows.append(
            {
                "page_no": page["page_no"],
                "text": body,
                "n_chars": len(body.replace("\n", "")),
                "source": page.get("source", "text"),
                "n_unreadable": page.get("n_unreadable", 0),
                "ocr_reason": page.get("ocr_reason"),
                "char_start": start,
                "char_end": end,
                "ocr_conf_spans": [[s - start, e - start, c] for s, e, c in read],
            }
        )
    return rows


def conf_spans_by_page(paragraphs: list[Paragraph], starts: list[int]) -> dict[int, list]:
    """Return, per page, the OCR confidence spans of its text in document offsets."""
    found: dict[int, list] = {}
    for paragraph, start in zip(paragraphs, starts, strict=True):
        for s, e, c in paragraph.conf_spans:
            found.setdefault(_page_at(paragraph, s), []).append([start + s, start + e, c])
    return found


def demote_list_runs(paragraphs: list[Paragraph]) -> None:
    """Make every paragraph of a run of same-marker paragraphs a list item when one of them
    is: (1)…(8) that list functions are items even where one is short enough for a heading."""
    run: list[Paragraph] = []
    for paragraph in [*paragraphs, None]:
        level = _marker_level(paragraph)
        if run and (level is None or level != _marker_level(run[0])):
            if any(p.kind == "body" for p in run):
                for p in run:
                    p.kind = "body" if p.kind == "heading" else p.kind
            run = []
        if level is not None:
            run.append(paragraph)


def _marker_level(paragraph: Paragraph | None) -> int | None:
    if paragraph is None or paragraph.kind not in ("heading", "body"):
        return None
    found = marker_of(paragraph.text)
    return found[0] if found else None


def mark_contents(paragraphs: list[Paragraph]) -> None:
    """Mark the entries of a table of contents (目录) as 'contents', not headings: they run
    from the 目录 line to the first entry the body repeats."""
    at = next((i for i, p in enumerate(paragraphs) if CONTENTS.match(p.text)), None)
    if at is None:
        return
    seen: set[str] = set()
    for paragraph in paragraphs[at + 1 :]:
        key = _entry_key(paragraph.text)
        if key in seen or paragraph.kind not in ("heading", "body") or len(key) > MAX_ENTRY:
            return
        seen.add(key)
        paragraph.kind = "contents"


def _entry_key(text: str) -> str:
    """Return a contents entry without its leader dots and page number."""
    return LEADER.sub("", text).strip()


def build_sections(paragraphs: list[Paragraph], starts: list[int]) -> list[dict[str, Any]]:
    """Return the heading tree: ids like '2.1', levels by marker family (第一部分 → 0 with id
    'P1', 一、 → 1, （一） → 2, 1. → 3, （1） → 4), parent links."""
    sections: list[dict[str, Any]] = []
    counters: list[int] = []
    open_ids: dict[int, str] = {}
    part: str | None = None
    for paragraph, start in zip(paragraphs, starts, strict=True):
        if paragraph.kind != "heading":
            continue
        level, marker = marker_of(paragraph.text)
        if level == 0:
            part = f"P{sum(s['level'] == 0 for s in sections) + 1}"
            section_id, parent = part, None
        else:
            depth = min(level, len(counters) + 1)
            counters = counters[:depth] + [0] * (depth - len(counters[:depth]))
            counters[depth - 1] += 1
            section_id = ".".join(str(n) for n in counters[:depth])
            open_ids = {k: v for k, v in open_ids.items() if k < depth}
            open_ids[depth] = section_id
            parent = open_ids.get(depth - 1) if depth > 1 else part
        sections.append(
            {
                "section_id": section_id,
                "level": level,
                "marker": marker,
                "heading": paragraph.text[len(marker) :].strip().rstrip("。"),
                "parent_id": parent,
                "page_no": paragraph.page_no,
                "char_start": start,
            }
        )
    return sections


def build_sentences(paragraphs, starts: list[int], sections: list[dict]) -> list[dict[str, Any]]:
    """Return every sentence with its section, page, offsets and jieba tokens and tags."""
    sentences = []
    section_at = _section_lookup(sections)
    for paragraph, p_start in zip(paragraphs, starts, strict=True):
        for start, end in split_sentences(paragraph.text):
            words, tags = tokenize(paragraph.text[start:end])
            sentences.append(
                {
                    "sentence_id": len(sentences),
                    "section_id": section_at(p_start),
                    "page_no": _page_at(paragraph, start),
                    "text": paragraph.text[start:end],
                    "char_start": p_start + start,
                    "char_end": p_start + end,
                    "tokens": words,
                    "pos": tags,
                }
            )
    return sentences


def _section_lookup(sections: list[dict]):
    """Return a function giving the id of the section an offset stands in (None before all)."""
    starts = [section["char_start"] for section in sections]

    def section_at(offset: int) -> str | None:
        i = bisect_right(starts, offset) - 1
        return sections[i]["section_id"] if i >= 0 else None

    return section_at


def _page_at(paragraph: Paragraph, offset: int) -> int:
    """Return the page on which a paragraph's character at `offset` stands."""
    seen = 0
    for page_no, n in paragraph.pieces:
        seen += n
        if offset < seen:
            return page_no
    return paragraph.pieces[-1][0]


def clean_tables(pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return every table of the document in order, cell texts cleaned, with its table_id and
    the text lines printed just above it (where a `单位：万元` note stands)."""
    tables = []
    for page in pages:
        for i, table in enumerate(page["tables"]):
            rows = [[clean_line(cell) for cell in row] for row in table["rows"]]
            tables.append(
                {
                    "table_id": len(tables),
                    "page_no": page["page_no"],
                    "rows": rows,
                    "covered": table.get("covered", []),
                    "above": lines_above(page["lines"], i),
                }
            )
    return tables


def lines_above(lines: list[dict[str, Any]], table: int, n: int = 2) -> list[str]:
    """Return the cleaned text of the `n` lines right above a table's marker on its page."""
    at = next(k for k, line in enumerate(lines) if line.get("table") == table)
    above = [clean_line(line["text"]) for line in lines[:at] if "table" not in line]
    return above[-n:]
