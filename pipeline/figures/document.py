"""The figure stage's core: one segmented document → its figures, in the text and in tables.

spaCy is not on this path: figures are found on the normalised text and their subjects in the
segment stage's jieba tokens, plain lists that cost nothing to build. A spaCy Doc of a stored
record, with the figures as spans, is built on demand (`pipeline.views.spans`) for displaCy.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from pipeline.figures.cells import table_cell_figures
from pipeline.figures.confidence import confidence_columns, confidence_of, document_spans
from pipeline.figures.subjects import WINDOW, find_subject, inherits, tokens_of
from pipeline.quantities.grammar import FigureMatch, find_figures, number_offset
from pipeline.tables.model import model_tables
from pipeline.vocabulary import FigureSource

VERSION = "4"
SHARE = re.compile(r"^[，,]?\s*(?:分别)?占[^，。；]{0,24}?的?$")


def figure_document(segmented: dict[str, Any]) -> dict[str, Any]:
    """Return the document's figures (running text, then table cells), numbered in that order,
    and its tables as data (doc_tables, table_values), alongside what the segment stage found."""
    doc_tables, values = model_tables(segmented["tables"])
    figures = text_figures(segmented["text"], segmented["sentences"], segmented["pages"])
    figures += table_figures(segmented["tables"], values)
    for figure_id, figure in enumerate(figures):
        figure["figure_id"] = figure_id
    return {**segmented, "figures": figures, "doc_tables": doc_tables, "table_values": values}


def text_figures(
    text: str, sentences: list[dict], pages: list[dict] | None = None
) -> list[dict[str, Any]]:
    """Return the figures of the running text, each with its sentence, subject, the page its
    number is printed on (a sentence may begin on the page before) and, read by OCR, the
    confidence of the words its number and unit came from."""
    starts = [s["char_start"] for s in sentences]
    placed = [p for p in pages or [] if p.get("char_start") is not None]
    page_starts = ([p["char_start"] for p in placed], [p["page_no"] for p in placed])
    read = document_spans(placed)
    rows = []
    sentence_tokens: tuple[int | None, list] = (None, [])
    for match in find_figures(text):
        i = bisect_right(starts, match.start) - 1
        sentence = sentences[i] if i >= 0 and match.end <= sentences[i]["char_end"] else None
        row = _row(match, FigureSource.TEXT, sentence)
        row.update(confidence_columns(confidence_of(read, number_start(match), match.end)))
        if placed:
            row["page_no"] = page_of(number_start(match), page_starts, row["page_no"])
        if sentence is not None:
            if sentence["sentence_id"] != sentence_tokens[0]:
                sentence_tokens = (
                    sentence["sentence_id"],
                    tokens_of(sentence["tokens"], sentence["pos"]),
                )
            same = [r for r in rows[-8:] if r["sentence_id"] == row["sentence_id"]]
            row["subject"] = subject_of(match, sentence, sentence_tokens[1], same)
        rows.append(row)
    return rows


def subject_of(match: FigureMatch, sentence: dict, tokens: list, before: list[dict]) -> str | None:
    """Return a text figure's subject. A share (…万元，占本年支出合计的91.95%) is the share of
    the figure before it; a figure with no subject of its own that follows another with no noun
    between them (增加1,050.47万元，增长12.08%) speaks of that figure's subject."""
    offset = sentence["char_start"]
    start, end = number_start(match) - offset, match.end - offset
    others = [(f["char_start"] - offset, f["char_end"] - offset) for f in before[-WINDOW:]]
    holder = next((f for f in reversed(before) if f["kind"] not in ("percent", "percent_point")),
                  None)  # fmt: skip
    if match.kind == "percent" and holder:
        between = sentence["text"][holder["char_end"] - offset : start]
        if SHARE.search(between):
            return holder["subject"]
    subject = find_subject(tokens, start, end, match.kind, others)
    if subject is None and before and inherits(tokens, before[-1]["char_end"] - offset, start):
        return before[-1]["subject"]
    return subject


def page_of(offset: int, pages: tuple[list[int], list[int]], default: int | None) -> int | None:
    """Return the page whose stretch of the text holds the offset (pages: their first offsets
    and their numbers)."""
    i = bisect_right(pages[0], offset) - 1
    return pages[1][i] if i >= 0 else default


def number_start(match: FigureMatch) -> int:
    """Return where the number of a figure starts: a qualifier printed before it may be the
    end of the subject's word (本年收入合计9746.50万元)."""
    return match.start + number_offset(match.text)


def table_figures(tables: list[dict], values: list[dict]) -> list[dict[str, Any]]:
    """Return the figures in table cells, each with its table, row, column, subject (the row
    label) and column label."""
    rows = []
    for where, match in table_cell_figures(tables, values):
        row = _row(match, FigureSource.TABLE, None)
        row.update(where)
        rows.append(row)
    return rows


def _row(match: FigureMatch, source: str, sentence: dict | None) -> dict[str, Any]:
    """Return the figures row of a match (sentence fields null outside running text)."""
    in_text = source == FigureSource.TEXT
    return {
        "sentence_id": sentence["sentence_id"] if sentence else None,
        "section_id": sentence["section_id"] if sentence else None,
        "page_no": sentence["page_no"] if sentence else None,
        "source": str(source),
        "text": match.text,
        "amount": match.amount,
        "unit": match.unit,
        "value": match.value,
        "base_unit": match.base_unit,
        "kind": str(match.kind),
        "bound": str(match.bound),
        "op": match.op,
        "value_max": match.value_max,
        "subject": None,
        "char_start": match.start if in_text else None,
        "char_end": match.end if in_text else None,
        **confidence_columns(None),
    }
