"""A stored document as a spaCy Doc, its figures as spans, rendered by displaCy.

Built on demand from a figures (or facts) record's data, never in the batch: the stages work on
jieba's tokens directly. The Doc's tokens are the segment stage's jieba words and POS tags (as
`token.tag_`), its sentences the segment stage's, and `doc.spans["figures"]` holds one span per
text figure, labelled by kind, with the figures row as `span._.figure`.

>>> from pipeline.figures.spans import figures_doc, render_figures
>>> html = render_figures(figures_doc(record["data"]))  # record: data/interim/facts/<doc_id>.json
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span

from pipeline.schema import FigureSource
from pipeline.segment.tokens import build_nlp, make_doc

FIGURE_SPANS = "figures"
TEXT = "text"
if not Span.has_extension("figure"):
    Span.set_extension("figure", default=None)


def figures_doc(data: dict[str, Any]) -> Doc:
    """Return a document (a figures or facts record's data) as a spaCy Doc with its text
    figures in doc.spans["figures"]."""
    doc = build_doc(data["text"], data["sentences"])
    spans = []
    for row in data["figures"]:
        if row["source"] != FigureSource.TEXT:
            continue
        start, end = row["char_start"], row["char_end"]
        span = doc.char_span(start, end, row["kind"], alignment_mode="expand")
        if span is not None:
            span._.figure = row
            spans.append(span)
    doc.spans[FIGURE_SPANS] = spans
    return doc


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


def render_figures(doc: Doc) -> str:
    """Return HTML of the document, every figure highlighted and labelled by kind (displaCy)."""
    from spacy import displacy

    return displacy.render(doc, style="span", options={"spans_key": FIGURE_SPANS}, page=True)
