"""What year and whose accounts a metric's statement speaks of, from its sentence and headings.

A 预算报告 states the past year's execution and the next year's draft (`2026年预算草案`), for
the whole territory (全市) and the government's own budget (市本级) and sometimes for each
district (经济技术开发区实现…); a 部门决算 speaks of its own year. The year is the one named
before the wording in its sentence, else in the nearest heading, else the document's; the
scope is the one named in the wording's clause, else the nearest heading's, else none.
"""

from __future__ import annotations

import re
from bisect import bisect_right

# A year that names the statement's period, not one it is compared with (与2023年相比, 较2023年).
YEAR = re.compile(r"(?<![较比与同])((?:19|20)\d{2})\s*年(?:度|底|末)?(?!相比|同期|比)")
# Scopes of a government's accounts: the whole territory, as printed (全市), or its own level.
WHOLE = re.compile(r"全[市区县省州旗盟]")
OWN_LEVEL = re.compile(r"[市区县省州旗]本级|[市区县省州]级(?!财政|人大|政府|部门)|本级")
OWN = "本级"
# A clause's own subject when it names a part of the territory (经济技术开发区实现…收入); a
# city's name is left out, for it is most often the reporting city itself (2025年西安市…).
PLACE = re.compile(r"[\u4e00-\u9fff]{1,12}(?:开发区|园区|新区|示范区|试验区|[区县])")
# What stands around a clause's subject and the metric's wording.
LEAD = re.compile(
    r"(?:19|20)\d{2}\s*年(?:度|底|末)?|截至|截止|全年|其中|累计|实现|完成|预计|安排|地方|"
    r"汇总的?|[—\-\s]"
)
CLAUSE_END = re.compile(r"[，,；;。：:！？（(]")


def heading_chains(sections: list[dict]) -> dict[str, list[str]]:
    """Return, per section id, its heading and its ancestors' headings, nearest first."""
    by_id = {s["section_id"]: s for s in sections}
    chains = {}
    for section_id, section in by_id.items():
        chain = []
        while section is not None:
            chain.append(section["heading"])
            section = by_id.get(section["parent_id"])
        chains[section_id] = chain
    return chains


def year_marks(text: str) -> list[tuple[int, int]]:
    """Return (where it ends, the year) of every year a sentence names as a statement's period."""
    return [(m.end(), int(m.group(1))) for m in YEAR.finditer(text)]


def named_year(marks: list[tuple[int, int]], at: int) -> int | None:
    """Return the last year of `year_marks` named before offset `at`."""
    i = bisect_right(marks, (at, float("inf")))
    return marks[i - 1][1] if i else None


def statement_year(named: int | None, headings: list[str], doc_year: int | None) -> int | None:
    """Return the year a statement is for: named before its wording in its sentence (`named`,
    see `named_year`), in its nearest heading that names one, or the document's year."""
    if named is not None:
        return named
    for heading in headings:
        named = YEAR.findall(heading)
        if named:
            return int(named[-1])
    return doc_year


def statement_scope(
    before: str, wording: str, headings: list[str], organization: str | None,
    earlier: list[str | None] | None = None,
) -> str | None:
    """Return whose accounts a statement speaks of: `全市` … as printed, `本级`, a part of the
    territory named as the clause's subject, the scope of the sentence's previous statement
    (其中：税收收入…), the nearest heading's, or None for the reporting body itself."""
    clause = CLAUSE_END.split(before)[-1]
    scope = _scope_word(clause + wording)
    if scope:
        return scope
    subject = LEAD.sub("", clause)
    if PLACE.fullmatch(subject) and subject not in (organization or ""):
        return subject
    if earlier:
        return earlier[-1]
    for heading in headings:
        scope = _scope_word(heading)
        if scope:
            return scope
    return None


def _scope_word(text: str) -> str | None:
    """Return the last scope word of a text, normalised (市本级, 市级 → 本级)."""
    found = [(m.start(), m.group(0)) for m in WHOLE.finditer(text)]
    found += [(m.start(), OWN) for m in OWN_LEVEL.finditer(text)]
    return max(found)[1] if found else None
