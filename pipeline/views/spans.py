"""spaCy, where this project uses it: a stored document as a Doc, its figures as spans,
rendered by displaCy; and the Chinese Language with jieba's tokens and tags.

Built on demand from a figures (or facts) record's data, never in the batch: the stages work on
jieba's tokens directly. The Doc's tokens are the segment stage's jieba words and POS tags (as
`token.tag_`), its sentences the segment stage's, and `doc.spans["figures"]` holds one span per
text figure, labelled by kind, with the figures row as `span._.figure`.

>>> from pipeline.views.spans import figures_doc, render_figures
>>> html = render_figures(figures_doc(record["data"]))  # record: data/interim/facts/<doc_id>.json
"""

from __future__ import annotations

import functools
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from pipeline.segment.tokens import load_jieba, tokenize
from pipeline.vocabulary import FigureSource

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


class JiebaPosTokenizer:
    """spaCy tokenizer that segments with jieba and keeps jieba's POS tags as `token.tag_`.

    spaCy's own jieba segmenter calls `jieba.cut` and drops the tags; this one runs jieba's POS
    tokenizer once and keeps both, so a text is segmented a single time.
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words, tags = tokenize(text)
        return make_doc(self.vocab, words, tags)


def make_doc(vocab: Vocab, words: list[str], tags: list[str], sent_starts=None) -> Doc:
    """Return a spaCy Doc from jieba words and tags (Chinese has no spaces between words)."""
    return Doc(vocab, words=words, spaces=[False] * len(words), tags=tags, sent_starts=sent_starts)


@functools.cache
def build_nlp() -> Language:
    """Return the Chinese spaCy pipeline (jieba segmenter, domain dictionary), built once."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    load_jieba()
    nlp.tokenizer = JiebaPosTokenizer(nlp.vocab)
    return nlp


def render_figures(doc: Doc) -> str:
    """Return HTML of the document, every figure highlighted and labelled by kind (displaCy)."""
    from spacy import displacy

    return displacy.render(doc, style="span", options={"spans_key": FIGURE_SPANS}, page=True)
