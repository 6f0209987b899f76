"""The subject of a figure: the noun phrase it counts or measures, from jieba's tagged tokens."""

from __future__ import annotations

# jieba tags that may stand in a subject noun phrase: nouns of every sort, verbal nouns,
# idioms and abbreviations.
NOUNISH = frozenset(
    {"n", "nr", "ns", "nt", "nz", "nrt", "nrfg", "ng", "vn", "an", "j", "l", "eng"}
)
# Words between a subject and its figure that say nothing about what is measured.
LINKS = frozenset(
    "为 达 达到 是 共 共计 合计 累计 约 近 超过 逾 不足 不到 计 了 的 有 占 总计 完成".split()
)
# Measure-word figures count what follows them (1065名在职党员); other figures measure what
# precedes them (年度收入18,518.32万元).
FORWARD_KINDS = frozenset({"count"})
MAX_TOKENS = 4


def token_spans(tokens: list[str]) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of tokens that tile their sentence."""
    spans, offset = [], 0
    for token in tokens:
        spans.append((offset, offset + len(token)))
        offset += len(token)
    return spans


def find_subject(tokens: list[str], pos: list[str], start: int, end: int, kind: str) -> str | None:
    """Return the noun phrase a figure at [start, end) of its sentence counts or measures."""
    spans = token_spans(tokens)
    after = [i for i, (s, _) in enumerate(spans) if s >= end]
    before = [i for i, (_, e) in enumerate(spans) if e <= start]
    if kind in FORWARD_KINDS:
        found = _phrase_after(tokens, pos, after)
        if found:
            return found
    return _phrase_before(tokens, pos, before) or (
        None if kind in FORWARD_KINDS else _phrase_after(tokens, pos, after)
    )


def _phrase_after(tokens: list[str], pos: list[str], indexes: list[int]) -> str | None:
    words = []
    for i in indexes:
        if pos[i] not in NOUNISH or len(words) == MAX_TOKENS:
            break
        words.append(tokens[i])
    return "".join(words) or None


def _phrase_before(tokens: list[str], pos: list[str], indexes: list[int]) -> str | None:
    words: list[str] = []
    for i in reversed(indexes):
        if not words and tokens[i] in LINKS:
            continue
        if pos[i] not in NOUNISH or len(words) == MAX_TOKENS:
            break
        words.insert(0, tokens[i])
    return "".join(words) or None
