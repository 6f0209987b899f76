"""jieba segmentation and POS tags with the domain dictionary."""

from __future__ import annotations

import functools
import logging
from importlib import resources

import jieba
import jieba.posseg

jieba.setLogLevel(logging.WARNING)
# The hand-made domain words, then the 科目 and table names derived from real reports' tables by
# scripts/derive_kemu_terms.py (resources/README.md says where each word comes from).
USERDICTS = ("userdict.txt", "kemu.txt")


@functools.cache
def load_jieba() -> jieba.posseg.POSTokenizer:
    """Return jieba's POS tokenizer with the domain dictionaries loaded (once per process)."""
    jieba.initialize()
    for name in USERDICTS:
        with resources.as_file(resources.files("pipeline.segment.resources") / name) as path:
            jieba.load_userdict(str(path))
    return jieba.posseg.dt


def tokenize(text: str) -> tuple[list[str], list[str]]:
    """Return jieba's words and POS tags for a text."""
    pairs = load_jieba().lcut(text)
    return [p.word for p in pairs], [p.flag for p in pairs]
