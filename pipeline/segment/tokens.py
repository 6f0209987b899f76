"""jieba segmentation and POS tags with the domain dictionary; spaCy's Chinese Language."""

from __future__ import annotations

import functools
import logging
from importlib import resources

import jieba
import jieba.posseg
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

jieba.setLogLevel(logging.WARNING)
USERDICT = "userdict.txt"


@functools.cache
def load_jieba() -> jieba.posseg.POSTokenizer:
    """Return jieba's POS tokenizer with the domain dictionary loaded (once per process)."""
    jieba.initialize()
    with resources.as_file(resources.files("pipeline.segment.resources") / USERDICT) as path:
        jieba.load_userdict(str(path))
    return jieba.posseg.dt


def tokenize(text: str) -> tuple[list[str], list[str]]:
    """Return jieba's words and POS tags for a text."""
    pairs = load_jieba().lcut(text)
    return [p.word for p in pairs], [p.flag for p in pairs]


class JiebaPosTokenizer:
    """spaCy tokenizer that segments with jieba and keeps jieba's POS tags as `token.tag_`.

    spaCy's own jieba segmenter calls `jieba.cut` and drops the tags; this one runs jieba's POS
    tokenizer once and keeps both, so a document is segmented a single time.
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
