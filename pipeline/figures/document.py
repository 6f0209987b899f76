"""The figure stage's core: one segmented document → figures and the document's facts."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from spacy.tokens import Doc, Span

from pipeline.figures.cells import table_cell_figures
from pipeline.figures.checks import run_checks
from pipeline.figures.grammar import FigureMatch, find_figures, number_offset
from pipeline.figures.identity import identify
from pipeline.figures.indicators import find_indicators
from pipeline.figures.metrics import find_metrics
from pipeline.figures.subjects import find_subject, inherits, tokens_of
from pipeline.figures.tasks import find_tasks
from pipeline.schema import FigureSource
from pipeline.segment.tokens import build_nlp, make_doc

VERSION = "1"
FIGURE_SPANS = "figures"
TEXT = "text"
SHARE = re.compile(r"^[，,]?\s*(?:分别)?占[^，。；]{0,24}?的?$")
if not Span.has_extension("figure"):
    Span.set_extension("figure", default=None)


def figure_document(segmented: dict[str, Any]) -> dict[str, Any]:
    """Return the document's figures (text and table cells), identity, metrics, checks, tasks
    and indicators, alongside what the segment stage found."""
    sentences = segmented["sentences"]
    doc = build_doc(segmented["text"], sentences)
    figures = text_figures(doc, sentences) + table_figures(segmented["tables"])
    for figure_id, figure in enumerate(figures):
        figure["figure_id"] = figure_id
    metrics, restated = find_metrics(sentences, figures, segmented["sections"])
    indicators = find_indicators(segmented["tables"])
    return {
        **segmented,
        "identity": identify(segmented["title"], segmented["text"], segmented.get("cover")),
        "figures": figures,
        "metrics": metrics,
        "checks": run_checks(metrics, restated, indicators),
        "tasks": find_tasks(segmented["text"], sentences, segmented["sections"], figures),
        "indicators": indicators,
    }


def build_doc(text: str, sentences: list[dict]) -> Doc:
    """Return the document as a spaCy Doc: the segment stage's jieba tokens and tags, its
    sentence boundaries, and the text between sentences (newlines) as whitespace tokens."""
    words, tags, starts, offset = [], [], [], 0
    for sentence in sentences:
        if sentence["char_start"] > offset:
            words.append(text[offset : sentence["char_start"]])
            tags.append("_SP")
            starts.append(False)
        for i, (word, tag) in enumerate(zip(sentence["tokens"], sentence["pos"], strict=True)):
            words.append(word)
            tags.append(tag)
            starts.append(i == 0)
        offset = sentence["char_end"]
    if offset < len(text):
        words.append(text[offset:])
        tags.append("_SP")
        starts.append(False)
    doc = make_doc(build_nlp().vocab, words, tags, sent_starts=starts or None)
    doc.user_data[TEXT] = text  # Doc.text rebuilds the string token by token
    return doc


def text_figures(doc: Doc, sentences: list[dict]) -> list[dict[str, Any]]:
    """Return the figures of the running text with their sentence and subject; each also
    becomes a span in doc.spans["figures"] (label: kind) carrying its row as span._.figure."""
    starts = [s["char_start"] for s in sentences]
    rows, spans = [], []
    sentence_tokens: tuple[int | None, list] = (None, [])
    text = doc.user_data[TEXT] if TEXT in doc.user_data else doc.text
    for match in find_figures(text):
        i = bisect_right(starts, match.start) - 1
        sentence = sentences[i] if i >= 0 and match.end <= sentences[i]["char_end"] else None
        row = _row(match, FigureSource.TEXT, sentence)
        if sentence is not None:
            if sentence["sentence_id"] != sentence_tokens[0]:
                sentence_tokens = (
                    sentence["sentence_id"],
                    tokens_of(sentence["tokens"], sentence["pos"]),
                )
            same = [r for r in rows[-8:] if r["sentence_id"] == row["sentence_id"]]
            row["subject"] = subject_of(match, sentence, sentence_tokens[1], same)
        span = doc.char_span(match.start, match.end, str(match.kind), alignment_mode="expand")
        if span is not None:
            span._.figure = row
            spans.append(span)
        rows.append(row)
    doc.spans[FIGURE_SPANS] = spans
    return rows


def subject_of(match: FigureMatch, sentence: dict, tokens: list, before: list[dict]) -> str | None:
    """Return a text figure's subject. A share (…万元，占本年支出合计的91.95%) is the share of
    the figure before it; a figure with no subject of its own that follows another with no noun
    between them (增加1,050.47万元，增长12.08%) speaks of that figure's subject."""
    offset = sentence["char_start"]
    start, end = number_start(match) - offset, match.end - offset
    others = [(f["char_start"] - offset, f["char_end"] - offset) for f in before]
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


def number_start(match: FigureMatch) -> int:
    """Return where the number of a figure starts: a qualifier printed before it may be the
    end of the subject's word (本年收入合计9746.50万元)."""
    return match.start + number_offset(match.text)


def table_figures(tables: list[dict]) -> list[dict[str, Any]]:
    """Return the figures in table cells, each with its table, row, column and row label."""
    rows = []
    for table in tables:
        for r, c, match, subject in table_cell_figures(table):
            row = _row(match, FigureSource.TABLE, None)
            row.update(page_no=table["page_no"], table_id=table["table_id"], row=r, col=c)
            row["subject"] = subject
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
    }


def figures_doc(segmented: dict[str, Any]) -> Doc:
    """Return a segmented document as a spaCy Doc with its figures in doc.spans["figures"]."""
    doc = build_doc(segmented["text"], segmented["sentences"])
    text_figures(doc, segmented["sentences"])
    return doc


def render_figures(doc: Doc) -> str:
    """Return HTML of the document, every figure highlighted and labelled by kind (displaCy)."""
    from spacy import displacy

    return displacy.render(doc, style="span", options={"spans_key": FIGURE_SPANS}, page=True)
