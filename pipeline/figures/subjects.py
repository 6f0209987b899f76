"""The subject of a figure: the noun phrase it counts or measures, from jieba's tagged tokens.

A count counts what follows its measure word (遴选1065名在职党员); other figures measure what
precedes them (年度收入18,518.32万元). When the side it looks at has no noun phrase, it looks at
the other side, across one verb for counts (“红色研学班”举办6期 → 红色研学班).
"""

from __future__ import annotations

from dataclasses import dataclass

# jieba tags that may stand in a subject noun phrase: nouns of every sort, verbal nouns,
# abbreviations and idioms.
NOUNISH = frozenset(
    {"n", "nr", "ns", "nt", "nz", "nrt", "nrfg", "ng", "vn", "an", "j", "l", "eng"}
)
# Tags that may open a noun phrase as its modifier (退休专业技术人员, 健康知识讲座, 创建标准).
MODIFIER = frozenset({"v", "a", "b", "vd"})
VERB = frozenset({"v", "vd", "vi"})
ADJECTIVE = frozenset({"a", "b"})
QUOTES = {"“": "”", "《": "》", "「": "」", "‘": "’"}
# Words between a subject and its figure that say nothing about what is measured.
LINKS = frozenset(
    "为 达 达到 是 共 共计 合计 累计 约 近 超过 逾 不足 不到 计 了 的 有 占 总计 完成 实现 其中 "
    ": ：".split()
)
ENDS = frozenset("，。；：、！？,;!?（）()")
FORWARD_KINDS = frozenset({"count"})
MAX_TOKENS = 5
MAX_QUOTED = 8
# Verbs that say an occasion happened without naming it: a count after them counts a noun.
GENERIC_VERBS = frozenset(
    "开展 举办 举行 召开 组织 完成 实现 开设 推出 建立 成立 培育 选派 遴选 吸纳 收集 制定 "
    "细化 查摆 深入 编印 培训 发放 新增 建成 形成 提供 解决 接待 办理 受理 处理 评选 推荐 有 "
    "达到".split()
)


@dataclass(frozen=True)
class Token:
    text: str
    tag: str
    start: int
    end: int


def tokens_of(words: list[str], tags: list[str]) -> list[Token]:
    """Return tokens with their offsets in the sentence the words tile."""
    tokens, offset = [], 0
    for word, tag in zip(words, tags, strict=True):
        tokens.append(Token(word, tag, offset, offset + len(word)))
        offset += len(word)
    return tokens


def find_subject(words: list[str], tags: list[str], start: int, end: int, kind: str) -> str | None:
    """Return the noun phrase a figure at [start, end) of its sentence counts or measures."""
    tokens = tokens_of(words, tags)
    after = [t for t in tokens if t.start >= end]
    before = [t for t in tokens if t.end <= start][::-1]
    if kind in FORWARD_KINDS:
        return phrase_after(after) or activity_before(before) or phrase_before(before, True)
    return phrase_before(before) or phrase_after(after)


def phrase_after(tokens: list[Token]) -> str | None:
    """Return the noun phrase that opens `tokens`: modifiers or a short quoted name, then nouns,
    and a verbal noun that closes the phrase before punctuation (文艺展演，)."""
    words: list[str] = []
    i = _skip_quote(tokens, 0, words)
    nouns = 0
    while i < len(tokens) and nouns + len(words) < MAX_TOKENS:
        token = tokens[i]
        if token.tag in NOUNISH:
            nouns += 1
        elif not (
            (token.tag in MODIFIER and not nouns and _next_is_noun(tokens, i))
            or (token.tag in VERB and nouns and _ends_after(tokens, i))
        ):
            break
        words.append(token.text)
        i += 1
        if token.tag in VERB and nouns:
            break
    return "".join(words) if nouns else None


def activity_before(tokens: list[Token]) -> str | None:
    """Return the verb a count of occasions counts (学习26次), unless it is a generic one
    (举办6期: what is held is named elsewhere)."""
    if tokens and tokens[0].tag in VERB and tokens[0].text not in GENERIC_VERBS:
        return tokens[0].text
    return None


def phrase_before(tokens: list[Token], across_verb: bool = False) -> str | None:
    """Return the noun phrase that ends right before the figure (tokens nearest first); a
    quoted name counts only when it is the whole phrase (“红色研学班”举办6期)."""
    i = 0
    while i < len(tokens) and tokens[i].text in LINKS:
        i += 1
    if across_verb and i < len(tokens) and tokens[i].tag in VERB:
        i += 1
    words: list[str] = []
    while i < len(tokens) and len(words) < MAX_TOKENS:
        token = tokens[i]
        if token.text in QUOTES.values():
            inner = None if words else _quoted_before(tokens, i)
            if inner is not None:
                words = [inner[0]]
            break
        if token.tag in NOUNISH:
            words.insert(0, token.text)
        elif words and token.tag in ADJECTIVE and len(token.text) == 1:
            words.insert(0, token.text)  # 老党员工作室
            break
        else:
            break
        i += 1
    return "".join(words) or None


def _skip_quote(tokens: list[Token], i: int, words: list[str]) -> int:
    """Step over a quoted name that opens a phrase; keep it when short (“六好”示范党支部),
    drop it when it is a slogan (“话传统、谈复兴、聚力量”专题调研座谈会)."""
    if i < len(tokens) and tokens[i].text in QUOTES:
        close = QUOTES[tokens[i].text]
        for j in range(i + 1, min(len(tokens), i + 12)):
            if tokens[j].text == close:
                quoted = "".join(t.text for t in tokens[i : j + 1])
                if len(quoted) <= MAX_QUOTED and not any(p in quoted for p in ENDS):
                    words.append(quoted)
                return j + 1
    return i


def _quoted_before(tokens: list[Token], i: int) -> tuple[str, int] | None:
    """Return (the quoted words without their marks, index after the opening mark) for a quote
    that closes at tokens[i], reading backwards."""
    close = tokens[i].text
    opener = next(o for o, c in QUOTES.items() if c == close)
    for j in range(i + 1, min(len(tokens), i + 12)):
        if tokens[j].text == opener:
            inner = "".join(t.text for t in reversed(tokens[i + 1 : j]))
            return (inner, j + 1) if inner else None
    return None


def _next_is_noun(tokens: list[Token], i: int) -> bool:
    return i + 1 < len(tokens) and tokens[i + 1].tag in NOUNISH


def _ends_after(tokens: list[Token], i: int) -> bool:
    return i + 1 == len(tokens) or tokens[i + 1].text in ENDS
