"""The subject of a figure: the noun phrase it counts or measures, from jieba's tagged tokens.

A count counts what follows its measure word (遴选1065名在职党员); other figures measure what
precedes them (年度收入18,518.32万元), across the words that only link or qualify (为, 达,
比上年增加, 同比). When that side has no noun phrase the other side is tried, across one verb
for counts (“红色研学班”举办6期 → 红色研学班). A figure that still has none, and follows
another figure of its sentence with no noun between them (增加1,050.47万元，增长12.08%;
财政拨款收入9,746.50万元，占100%), takes that figure's subject (see `inherits`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
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
OTHER_FIGURE = "FIGURE"
SUFFIXES = frozenset({"q", "k"})
# Tags of words between a figure and its subject that only locate or qualify it.
SKIPPED_TAGS = frozenset({"p", "d", "t", "uj", "ul", "uz", "ug", "ud", "c"})
QUOTES = {"“": "”", "《": "》", "「": "」", "‘": "’"}
BRACKETS = {"（": "）", "(": ")"}
# Words between a subject and its figure that say nothing about what is measured.
LINKS = frozenset(
    "为 达 达到 是 共 共计 合计 累计 约 近 超过 逾 不足 不到 计 了 的 有 占 总计 完成 实现 其中 "
    "各 分别 同比 环比 较 比 上年 与 相比 : ：".split()
)
# Words of change: the figure after them measures how much the subject changed.
CHANGE = frozenset(
    "增加 减少 增长 下降 提高 降低 上升 减 增 节约 节省 压减 缩短 延长 增至 降至 提高到 "
    "至 到".split()
)
# Pronoun-like words that belong to the phrase they open (其他收入).
OPENERS = frozenset({"其他", "本年", "全年"})
# What is left of a date glued before a subject (2023年度机关运行经费).
DATING = frozenset({"年度", "年", "本年度"})
# Words that only say where or when, trimmed from the front of a subject (全年巡河 → 巡河).
SCOPE = frozenset({"全年", "全区", "全市", "全县", "全省", "全镇", "年内"})
JOINERS = frozenset({"和", "及", "与"})
ENDS = frozenset("，。；：、！？,;!?")
FORWARD_KINDS = frozenset({"count"})
MAX_TOKENS = 5
# How many tokens on each side of a figure its subject is looked for in: a phrase, the links and
# the quoted or bracketed names before it all fit, and a sentence of thousands of figures costs
# each figure the same (the work is linear in the sentence).
WINDOW = 64
MAX_QUOTED = 8
MAX_BRACKETED = 5
MAX_LABEL = 12
# Verbs that say an occasion happened without naming it: a count after them counts a noun,
# and they are not part of the noun phrase they open (检查文旅经营单位1,245家 → 文旅经营单位).
GENERIC_VERBS = frozenset(
    "开展 举办 举行 召开 组织 完成 实现 开设 推出 建立 成立 培育 选派 遴选 吸纳 收集 制定 "
    "细化 查摆 深入 编印 培训 发放 新增 建成 形成 提供 解决 接待 办理 受理 处理 评选 推荐 有 "
    "达到 检查 清运 调查 入户调查 走访 慰问 安装 建设 改造 打造 落实 整改 发布 涉及 包括 "
    "换发 办结 查处 储备 接待 压缩 控制 保持 维持 新建 加固 治理 综合治理 出动 实施 修缮 "
    "取得 共有 提起 申请 拥有 设立 配备".split()
)


@dataclass(frozen=True)
class Token:
    text: str
    tag: str
    start: int
    end: int


def _inside(token: Token, spans) -> bool:
    return any(token.start < e and token.end > s for s, e in spans)


def tokens_of(words: list[str], tags: list[str]) -> list[Token]:
    """Return tokens with their offsets in the sentence the words tile."""
    tokens, offset = [], 0
    for word, tag in zip(words, tags, strict=True):
        tokens.append(Token(word, tag, offset, offset + len(word)))
        offset += len(word)
    return tokens


def find_subject(
    tokens: list[Token], start: int, end: int, kind: str, others: list[tuple[int, int]] = ()
) -> str | None:
    """Return the noun phrase a figure at [start, end) of its sentence counts or measures;
    `tokens` are the sentence's (see tokens_of), and the words of its other figures
    (`others`) are never part of the phrase."""
    first = bisect_right(tokens, start, key=lambda t: t.end)  # the first token ending after
    last = bisect_left(tokens, end, key=lambda t: t.start)  # the first token starting at end
    near = tokens[max(0, first - WINDOW) : last + WINDOW]
    if others:
        near = [Token(t.text, OTHER_FIGURE, t.start, t.end) if _inside(t, others[-WINDOW:])
                else t for t in near]  # fmt: skip
    after = [t for t in near if t.start >= end]
    before = [t for t in near if t.end <= start][::-1]
    if kind in FORWARD_KINDS:
        return phrase_after(after) or activity_before(before) or phrase_before(before)
    return phrase_before(before) or phrase_after(after)


def inherits(tokens: list[Token], start: int, end: int) -> bool:
    """Return whether the stretch [start, end) between two figures holds no noun, so the
    second figure speaks of the first one's subject."""
    between = tokens[bisect_left(tokens, start, key=lambda t: t.start) :
                     bisect_right(tokens, end, key=lambda t: t.end)]  # fmt: skip
    return not any(t.tag in NOUNISH and not _only_links(t) for t in between)


def phrase_after(tokens: list[Token]) -> str | None:
    """Return the noun phrase that opens `tokens`: modifiers or a short quoted name, then
    nouns. When another figure follows at once, only the first noun is this figure's
    (12个项目平均得分93.62分 → 项目)."""
    words: list[str] = []
    i = _quote_after(tokens, 0, words)
    nouns = 0
    while i < len(tokens) and nouns + len(words) < MAX_TOKENS:
        token = tokens[i]
        if token.tag in NOUNISH:
            nouns += 1
        elif not (token.tag in MODIFIER and not nouns and _next_is_noun(tokens, i)):
            break
        words.append(token.text)
        i += 1
    if not nouns:
        return None
    if i < len(tokens) and tokens[i].tag == "m" and nouns > 1:
        first_noun = next(k for k, w in enumerate(words) if w not in _quoted(words))
        words = words[: first_noun + 1]
    return "".join(words)


def activity_before(tokens: list[Token]) -> str | None:
    """Return the verb a count of occasions counts (学习26次), unless it is a generic one
    (举办6期: what is held is named elsewhere)."""
    first = tokens[0] if tokens else None
    if first and first.tag in VERB and first.text not in GENERIC_VERBS and not _only_links(first):
        return first.text
    return None


def phrase_before(tokens: list[Token], across_verb: bool = True) -> str | None:
    """Return the noun phrase that ends right before the figure (tokens nearest first), across
    the words that only link it (为, 比上年增加) and one verb that says what happened to it
    (用水总量控制在…, 水价维持…, 较合同工期提前…)."""
    i = _skip_links(tokens, 0)
    if across_verb and i < len(tokens) and tokens[i].tag in VERB:
        i = _skip_links(tokens, i + 1)
    words: list[str] = []
    if i + 1 < len(tokens) and tokens[i].tag in SUFFIXES and tokens[i + 1].tag in NOUNISH:
        words.append(tokens[i].text)  # 货物类, 工程类
        i += 1
    while i < len(tokens) and len(words) < MAX_TOKENS:
        token = tokens[i]
        closing = _enclosed_before(tokens, i)
        if closing is not None:
            words.insert(0, closing[0])
            i = closing[1]
            if closing[0][:1] in BRACKETS:  # 社会保障和就业（类）: the category name before it
                label, i = _label_before(tokens, i)
                words[:0] = label
            continue
        if token.tag in NOUNISH:
            words.insert(0, token.text)
        elif words and token.text in JOINERS and _next_is_noun(tokens, i):
            words.insert(0, token.text)  # 年初结转和结余, 社会保障和就业支出
        elif words and token.tag in VERB and len(token.text) <= 2 and not _only_links(token):
            words.insert(0, token.text)  # 取水许可证, 学习教育活动: a verb opens the phrase
            break
        elif words and _opens_phrase(token):
            words.insert(0, token.text)  # 其他收入, 老党员工作室, 一般公共服务支出
            break
        else:
            break
        i += 1
    return _trim(words, tokens[i:] if i < len(tokens) else [])


def _skip_links(tokens: list[Token], i: int) -> int:
    while i < len(tokens) and _only_links(tokens[i]):
        i += 1
    return i


def _label_before(tokens: list[Token], i: int) -> tuple[list[str], int]:
    """Return the words back to the previous punctuation or link word (a category name such
    as 社会保障和就业 before its （类）), and the index past them."""
    words: list[str] = []
    while i < len(tokens) and tokens[i].text not in ENDS and tokens[i].text not in LINKS:
        if sum(map(len, words)) + len(tokens[i].text) > MAX_LABEL:
            break
        words.insert(0, tokens[i].text)
        i += 1
    return words, i


def _opens_phrase(token: Token) -> bool:
    return token.text in OPENERS or (token.tag in ADJECTIVE and len(token.text) <= 2)


def _only_links(token: Token) -> bool:
    return token.text in LINKS or token.text in CHANGE or token.tag in SKIPPED_TAGS


def _trim(words: list[str], rest: list[Token]) -> str | None:
    """Return the phrase without what only dates it or says what was done to it
    (2023年度机关运行经费 → 机关运行经费; 检查文旅经营单位 → 文旅经营单位); a phrase that is
    only a quoted name loses its marks (“红色研学班” → 红色研学班)."""
    dated = bool(rest) and rest[0].tag == "m"
    while len(words) > 1 and (
        words[0] in GENERIC_VERBS or words[0] in SCOPE or (dated and words[0] in DATING)
    ):
        words = words[1:]
    if len(words) == 1 and words[0][:1] in QUOTES:
        return words[0][1:-1] or None
    return "".join(words) or None


def _quoted(words: list[str]) -> set[str]:
    return {w for w in words if w[:1] in QUOTES}


def _quote_after(tokens: list[Token], i: int, words: list[str]) -> int:
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


def _enclosed_before(tokens: list[Token], i: int) -> tuple[str, int] | None:
    """Return (the text, the index past it) of a short quote or bracket closing at tokens[i],
    read backwards: “三公”经费, 节能环保（类）支出, 因公出国（境）费."""
    pairs = {**QUOTES, **BRACKETS}
    opener = next((o for o, c in pairs.items() if c == tokens[i].text), None)
    if opener is None:
        return None
    limit = MAX_QUOTED if opener in QUOTES else MAX_BRACKETED
    for j in range(i + 1, min(len(tokens), i + 8)):
        if tokens[j].text == opener:
            text = "".join(t.text for t in reversed(tokens[i : j + 1]))
            inner = text[1:-1]
            if 0 < len(inner) <= limit and not any(p in inner for p in ENDS):
                return text, j + 1
            return None
    return None


def _next_is_noun(tokens: list[Token], i: int) -> bool:
    return i + 1 < len(tokens) and tokens[i + 1].tag in NOUNISH
