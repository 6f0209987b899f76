"""jieba segmentation and POS tags with the domain dictionary."""

from __future__ import annotations

import functools
import logging
from importlib import resources

import jieba
import jieba.posseg

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
