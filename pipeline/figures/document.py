"""The figure stage's core: one segmented document → figures and the document's facts."""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from pipeline.figures.checks import run_checks
from pipeline.figures.grammar import FigureMatch, find_figures
from pipeline.figures.identity import identify
from pipeline.figures.indicators import find_indicators
from pipeline.figures.metrics import find_metrics
from pipeline.figures.subjects import find_subject
from pipeline.figures.tasks import find_tasks
from pipeline.schema import FigureSource

VERSION = "1"


def figure_document(segmented: dict[str, Any]) -> dict[str, Any]:
    """Return the document's figures (text and table cells), identity, metrics, checks, tasks
    and indicators, alongside what the segment stage found."""
    sentences = segmented["sentences"]
    figures = text_figures(segmented["text"], sentences) + table_figures(segmented["tables"])
    for figure_id, figure in enumerate(figures):
        figure["figure_id"] = figure_id
    metrics = find_metrics(sentences, figures)
    headings = heading_sentences(sentences, segmented["sections"])
    return {
        **segmented,
        "identity": identify(segmented["title"], segmented["text"]),
        "figures": figures,
        "metrics": metrics,
        "checks": run_checks(metrics),
        "tasks": find_tasks(sentences, headings, figures),
        "indicators": find_indicators(segmented["tables"]),
    }


def text_figures(text: str, sentences: list[dict]) -> list[dict[str, Any]]:
    """Return the figures of the running text, each placed in its sentence, with its subject."""
    starts = [s["char_start"] for s in sentences]
    rows = []
    for match in find_figures(text):
        i = bisect_right(starts, match.start) - 1
        sentence = sentences[i] if i >= 0 else None
        if sentence is None or match.end > sentence["char_end"]:
            sentence = None
        rows.append(_row(match, FigureSource.TEXT, sentence, offset=0))
    return rows


def table_figures(tables: list[dict]) -> list[dict[str, Any]]:
    """Return the figures in table cells, each with its table, row and column."""
    rows = []
    for table in tables:
        for r, cells in enumerate(table["rows"]):
            seen: set[str] = set()
            for c, cell in enumerate(cells):
                if not cell or (cell in seen and c and cells[c - 1] == cell):
                    continue  # a merged cell spread over several columns counts once
                seen.add(cell)
                for match in find_figures(cell):
                    row = _row(match, FigureSource.TABLE, None, offset=None)
                    row.update(page_no=table["page_no"], table_id=table["table_id"], row=r, col=c)
                    row["subject"] = cells[0] if c else None
                    rows.append(row)
    return rows


def _row(match: FigureMatch, source: str, sentence: dict | None, offset: int | None) -> dict:
    subject = None
    if sentence is not None:
        start = match.start - sentence["char_start"]
        end = match.end - sentence["char_start"]
        subject = find_subject(sentence["tokens"], sentence["pos"], start, end, match.kind)
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
        "subject": subject,
        "char_start": match.start if offset is not None else None,
        "char_end": match.end if offset is not None else None,
    }


def heading_sentences(sentences: list[dict], sections: list[dict]) -> set[int]:
    """Return the ids of the sentences that are section headings."""
    heading_starts = {s["char_start"] for s in sections}
    return {s["sentence_id"] for s in sentences if s["char_start"] in heading_starts}
