"""jieba segmentation and POS tags with the domain dictionary."""

from __future__ import annotations

import functools
import logging
from importlib import resources

import jieba
import jieba.posseg

from pipeline.segment.viterbi import viterbi

jieba.setLogLevel(logging.WARNING)
# The hand-made domain words, then the 科目 and table names derived from real reports' tables by
# scripts/derive_kemu_terms.py (resources/README.md says where each word comes from).
USERDICTS = ("userdict.txt", "kemu.txt")


class POSTokenizer(jieba.posseg.POSTokenizer):
    """jieba's POS tokenizer with its HMM decoded by pipeline.segment.viterbi (three to five
    times faster): the same words and tags."""

    def __init__(self, base: jieba.posseg.POSTokenizer) -> None:
        self.tokenizer = base.tokenizer  # share jieba's dictionaries: none is read twice
        self.word_tag_tab = base.word_tag_tab

    def _POSTokenizer__cut(self, sentence: str):
        """Yield the words and tags of a run of Han characters, as jieba's own __cut does."""
        route = hmm_route(sentence)
        begin, nexti = 0, 0
        for i, char in enumerate(sentence):
            position, tag = route[i]
            if position == "B":
                begin = i
            elif position == "E":
                yield jieba.posseg.pair(sentence[begin : i + 1], tag)
                nexti = i + 1
            elif position == "S":
                yield jieba.posseg.pair(char, tag)
                nexti = i + 1
        if nexti < len(sentence):
            yield jieba.posseg.pair(sentence[nexti:], route[nexti][1])


@functools.lru_cache(maxsize=1 << 14)
def hmm_route(run: str) -> tuple[tuple[str, str], ...]:
    """Return the HMM's state (position, tag) for every character of a run of Han characters
    no dictionary word covers; the same runs recur (二是, 当期, 比), so they are kept."""
    return tuple(viterbi(run)[1])


@functools.cache
def load_jieba() -> POSTokenizer:
    """Return jieba's POS tokenizer with the domain dictionaries loaded (once per process)."""
    jieba.initialize()
    for name in USERDICTS:
        with resources.as_file(resources.files("pipeline.segment.resources") / name) as path:
            jieba.load_userdict(str(path))
    return POSTokenizer(jieba.posseg.dt)


def tokenize(text: str) -> tuple[list[str], list[str]]:
    """Return jieba's words and POS tags for a text."""
    pairs = load_jieba().lcut(text)
    return [p.word for p in pairs], [p.flag for p in pairs]
