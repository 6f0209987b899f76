"""The checks of what a 说明 sentence says against the numbers: `text_table` (a line's amount
and share as the tables print them, a change's rate from its amount) and `wording` (决算数小于
预算数 against the two numbers, 增加 beside 增长 and 减少 beside 下降).

- A money figure whose words name a table line (`社会保障和就业支出（类）754.75万元`, `本年收入合计
  9746.50万元`, or `支出决算为54.53万元` under an item that names its 项) equals one of the values
  the tables print on a line of that name, when the tables have such a line.
- A share `占7.74%` after a part is part ÷ whole: the whole the sentence names (`占本年支出合计的`)
  or else the sentence's first amount. A printed share may be rounded or cut to its last digit.
- `增加X万元，增长Y%` after an amount C: Y = X ÷ (C − X) (减少: X ÷ (C + X)).
- `决算数小于预算数` and its kin compare the 年初预算 and 决算 the item states before it.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.facts.check_rows import (
    amount,
    base_step,
    check_row,
    numeric_check,
    unit_factor,
)
from pipeline.quantities.grammar import number_offset
from pipeline.quantities.numerals import ARABIC_NUMBER, parse_decimal
from pipeline.vocabulary import (
    ANY_MARKER,
    ARABIC_BRACKETED_MARKER,
    ARABIC_MARKER,
    BALANCED_TABLES,
    THREE_PUBLIC_TABLES,
    CheckFamily,
    FigureSource,
)

CLAUSE = re.compile(r"[，,；;：:。]")
NAMED = re.compile(r"([\u4e00-\u9fff（）()、“”]+?)（[类款项]）")
# A 科目 named by its path, as the 上海 部门预算 print it: “类-款-项”科目1,202.95万元.
SUBJECT_PATH = re.compile(r"“([^”]+)”科目$")
ITEM_START = re.compile(rf"^\s*(?:{ARABIC_MARKER}|{ARABIC_BRACKETED_MARKER})")
FINAL_WORDS = re.compile(r"决算数?为?$")
SHARE = re.compile(r"^占(.{0,20}?)的?$")
NUMBERING = re.compile(rf"^{ANY_MARKER}")
TOTAL_ROWS = re.compile(r"合计$|总计$")
CHANGE = re.compile(r"(增加|减少)$")
COMPARED = re.compile(r"^(?:比|较|与)")
RATE = re.compile(r"(增长|下降|减少|增加)$")
BUDGET_CLAIM = re.compile(
    r"决算数?(小于|少于|低于|大于|多于|高于|超过|等于|同预算数?持平|与预算数?持平|与年初预算持平)"
)
CLAIMS = {
    "小于": "<",
    "少于": "<",
    "低于": "<",
    "大于": ">",
    "多于": ">",
    "高于": ">",
    "超过": ">",
    "等于": "=",
}
BUDGET_STATED = re.compile(rf"预算数?为\s*({ARABIC_NUMBER})\s*万元")
FINAL_STATED = re.compile(rf"决算数?为\s*({ARABIC_NUMBER})\s*万元")
LOOK_BACK = 3
EVIDENCE = 160  # characters of a sentence kept as a check's evidence
THREE_LEVELS = re.compile(r"^(?:预算数|决算数|小计|合计)$")
# What may stand between a line's name and its amount: 公务接待费支出决算为,
# “三公”经费财政拨款支出年初预算为.
STATED_AS = re.compile(r"(?:财政拨款)?(?:支出)?(?:年初)?(?:决算|预算)?数?为?$")


def text_checks(
    sentences: list[dict], figures: list[dict], values: list[dict], tables: list[dict]
) -> list[dict[str, Any]]:
    """Return the text_table and wording check rows of a document."""
    lines = line_index(values, {t["table_id"]: t["kind"] for t in tables})
    by_sentence: dict[int, list[dict]] = {}
    for f in figures:
        if f["source"] == FigureSource.TEXT and f["sentence_id"] is not None:
            by_sentence.setdefault(f["sentence_id"], []).append(f)
    rows: list[dict[str, Any]] = []
    item: str | None = None
    section = None
    for i, sentence in enumerate(sentences):
        names = NAMED.findall(sentence["text"])
        if ITEM_START.match(sentence["text"]):
            item = normal(names[-1]) if names else None
        elif names or sentence["section_id"] != section:
            item = None
        section = sentence["section_id"]
        figs = by_sentence.get(sentence["sentence_id"], [])
        if lines["coded"]:  # the tables of a budget report: lines with 科目编码
            rows += table_lines(sentence, figs, lines, item)
        rows += shares(sentence, figs, lines)
        rows += change_rates(sentence, figs)
        rows += budget_wording(sentence, sentences[max(0, i - LOOK_BACK) : i])
    return rows


def normal(label: str) -> str:
    """Return a line's name without its numbering, brackets' level mark, quotes and spaces,
    its brackets full-width: `（一）因公出国(境)费` → `因公出国（境）费`."""
    label = re.sub(r"[\s“”\"]", "", label).replace("(", "（").replace(")", "）")
    return NUMBERING.sub("", re.sub(r"（[类款项]）$", "", label))


def line_index(values: list[dict], kinds: dict[int, str]) -> dict[str, dict]:
    """Return the money values of the tables by the name of their line: `coded`, the 科目
    lines (a row with its 科目编码), and `totals`, the 合计/总计 rows by their label and the
    columns of a 合计 row by their label (基本支出 on the 合计 row of a 支出决算表); and
    `names`, each 科目编码's name. A 总表's 总计 row is also its 收入支出总计 (财政拨款收入支出总计
    for the 财政拨款 总表)."""
    coded: dict[str, list[dict]] = {}
    totals: dict[str, list[dict]] = {}
    names: dict[str, str] = {}
    for v in values:
        three = kinds.get(v["table_id"]) in THREE_PUBLIC_TABLES
        if v["base_unit"] == "元" and v["value"] is not None and three:
            totals.setdefault(_three_item(v["column_label"] or ""), []).append(v)
        if v["base_unit"] != "元" or v["value"] is None or not v["row_label"]:
            continue
        if v["code"]:
            names[v["code"]] = normal(v["row_label"])
            coded.setdefault(normal(v["row_label"]), []).append(v)
        elif TOTAL_ROWS.search(v["row_label"]):
            totals.setdefault(normal(v["row_label"]), []).append(v)
            if v["column_label"]:
                totals.setdefault(normal(v["column_label"].split("/")[-1]), []).append(v)
            kind = kinds.get(v["table_id"], "")
            if normal(v["row_label"]) == "总计" and kind in BALANCED_TABLES:
                prefix = "财政拨款" if kind.startswith("财政拨款") else ""
                totals.setdefault(f"{prefix}收入支出总计", []).append(v)
    return {"coded": coded, "totals": totals, "names": names}


def subject_path(words: str) -> list[str]:
    """Return the 科目 names the words end with, 类 to 项: `社会保障和就业支出（类）`,
    `“一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”科目`, `“类-款-项”科目`."""
    quoted = SUBJECT_PATH.search(words)
    inner = quoted.group(1) if quoted else words
    named = NAMED.findall(inner)
    if named:
        return [normal(name) for name in named]
    return [normal(name) for name in inner.split("-")] if quoted else []


def _under(candidates: list[dict], parent: str | None, names: dict[str, str]) -> list[dict]:
    """Return the lines whose parent 科目 has the name given (the same 项 name stands under
    several 款), or all when none does or no parent is named."""
    if parent is None:
        return candidates
    under = [v for v in candidates if names.get(v["parent_code"] or "") == parent]
    return under or candidates


# How far back a figure's clause is looked for (a sentence of thousands of figures costs each of
# them the same): longer clauses are cut to their last CLAUSE_REACH characters.
CLAUSE_REACH = 120


def _before(sentence: dict, figure: dict) -> str:
    """Return the clause before a figure's number (a qualifier printed with it, 合计9746.50万元,
    included), up to the last comma or colon."""
    start = figure["char_start"] + number_offset(figure["text"]) - sentence["char_start"]
    head = sentence["text"][max(0, start - CLAUSE_REACH) : start]
    return CLAUSE.split(head)[-1].strip()


def table_lines(sentence: dict, figs: list[dict], lines: dict, item: str | None) -> list[dict]:
    """Return a check for every money figure whose words name a line the tables print."""
    rows = []
    for f in figs:
        if f["kind"] != "money":
            continue
        words = _before(sentence, f)
        path = subject_path(words)
        if path:
            name, index = path[-1], lines["coded"]
        elif item and FINAL_WORDS.search(words):
            name, index = item, lines["coded"]
        else:
            name, index = _line_name(words, lines["totals"]), lines["totals"]
        if name is None or name not in index:
            continue
        candidates = _under(index[name], path[-2] if len(path) > 1 else None, lines["names"])
        best = min(candidates, key=lambda v: abs(v["value"] - f["value"]))
        tolerance = max(base_step(f), base_step(best)) / 2
        evidence = (
            f"第{sentence['page_no']}页：{sentence['text'][:80]}；表中“{name}”："
            + "、".join(sorted({v["text"] for v in candidates})[:6])
        )
        message = (
            f"第{sentence['page_no']}页 说明：{name}{f['text'][number_offset(f['text']) :]}，"
            f"表中第{best['page_no']}页为{best['text']}{best['unit'] or ''}"
        )
        rows.append(
            numeric_check(
                "text_line",
                CheckFamily.TEXT_TABLE,
                best["value"],
                f["value"],
                tolerance=tolerance,
                step=2 * tolerance,
                page_no=sentence["page_no"],
                evidence=evidence,
                message=message,
            )
        )
    return rows


def _three_item(column_label: str) -> str:
    """Return the 三公 item a 三公 table's column is of: 合计 → 三公经费, else its deepest name
    above 预算数/决算数/小计 (公务接待费, 公务用车购置及运行费)."""
    parts = [p for p in column_label.split("/") if not THREE_LEVELS.search(p)]
    if not parts or TOTAL_ROWS.search(parts[-1]) or "三公" in parts[-1]:
        return "三公经费"
    return STATED_AS.sub("", normal(parts[-1]))


def _line_name(words: str, lines: dict) -> str | None:
    """Return the total line the words end with (本年收入合计, 基本支出; 公务接待费 before
    支出决算为), the longest."""
    squeezed = normal(words)
    stated = STATED_AS.sub("", squeezed)
    found = [n for n in lines if len(n) >= 3 and (squeezed.endswith(n) or stated.endswith(n))]
    return max(found, key=len) if found else None


def shares(sentence: dict, figs: list[dict], lines: dict) -> list[dict]:
    """Return a check for every share 占Y% that follows a money part."""
    rows = []
    for k, f in enumerate(figs):
        share = SHARE.match(_before(sentence, f)) if f["kind"] == "percent" else None
        part = next((g for g in reversed(figs[:k]) if g["kind"] == "money"), None)
        if share is None or part is None:
            continue
        wholes = _wholes(share.group(1), figs, part, lines, sentence)
        if not wholes:
            continue
        step = base_step(f)
        computed = [part["value"] / w * 100 for w in wholes if w]
        if not computed:
            continue
        best = min(computed, key=lambda x: abs(x - f["value"]))
        whole = wholes[computed.index(best)]
        message = (
            f"第{sentence['page_no']}页 说明：{part['text']}占{f['text']}，"
            f"按{amount(part['amount'])}÷{amount(whole / unit_factor(part))}计算为{best:.2f}%"
        )
        rows.append(_stated("share", best, f["value"], step, sentence, message))
    return rows


def _wholes(named: str, figs: list[dict], part: dict, lines: dict, sentence: dict) -> list[float]:
    """Return what a share may be of: the whole it names, else the sentence's first amount
    when no share follows that amount itself (then it is one of the parts)."""
    named = normal(named)
    if named:
        found = [v["value"] for key in ("coded", "totals") for v in lines[key].get(named, [])]
        found += [
            g["value"]
            for g in figs
            if g["kind"] == "money" and g is not part and (g.get("subject") or "").endswith(named)
        ]
        return found
    first = next((g for g in figs if g["kind"] == "money"), None)
    if first is None or first is part:
        return []
    after = figs[figs.index(first) + 1] if figs.index(first) + 1 < len(figs) else None
    if after is not None and after["kind"] == "percent" and SHARE.match(_before(sentence, after)):
        return []
    return [first["value"]]


def change_rates(sentence: dict, figs: list[dict]) -> list[dict]:
    """Return checks of `增加X万元，增长Y%` against the amount C before it, and of the two
    words' directions."""
    rows = []
    for k in range(1, len(figs) - 1):
        change, rate = figs[k], figs[k + 1]
        said = CHANGE.search(_before(sentence, change))
        rate_word = RATE.search(_before(sentence, rate))
        if not (said and rate_word and change["kind"] == "money" and rate["kind"] == "percent"):
            continue
        up = said.group(1) == "增加"
        if (rate_word.group(1) in ("增长", "增加")) != up:
            rows.append(
                check_row(
                    "change_direction",
                    CheckFamily.WORDING,
                    False,
                    page_no=sentence["page_no"],
                    evidence=sentence["text"][:EVIDENCE],
                    message=f"第{sentence['page_no']}页：{said.group(1)}{change['text']}，"
                    f"却写作{rate_word.group(1)}{rate['text']}",
                )
            )
            continue
        current = figs[k - 1]
        if current["kind"] != "money" or current["bound"] != "exact":
            continue
        if not COMPARED.search(_before(sentence, change)):
            continue  # 比上年/较2023年 names what the change is against
        previous = current["value"] - change["value"] if up else current["value"] + change["value"]
        if previous <= 0:
            continue
        computed = change["value"] / previous * 100
        step = base_step(rate)
        message = (
            f"第{sentence['page_no']}页：{current['text']}{said.group(1)}{change['text']}，"
            f"{rate_word.group(1)}{rate['text']}，按数计算为{computed:.2f}%"
        )
        rows.append(_stated("change_rate", computed, rate["value"], step, sentence, message))
    return rows


def _stated(check: str, computed: float, printed: float, step: float, sentence: dict,
            message: str) -> dict[str, Any]:  # fmt: skip
    """Return a text_table check of a printed rate against the one its numbers give, the
    sentence its evidence; it may be rounded or cut to its last digit."""
    return numeric_check(check, CheckFamily.TEXT_TABLE, computed, printed, tolerance=step,
                         step=step, page_no=sentence["page_no"],
                         evidence=sentence["text"][:EVIDENCE], message=message)  # fmt: skip


def budget_wording(sentence: dict, before: list[dict]) -> list[dict]:
    """Return a check of 决算数小于/大于/等于/持平预算数 against the item's two amounts."""
    claim = BUDGET_CLAIM.search(sentence["text"])
    if claim is None:
        return []
    context = " ".join(s["text"] for s in before) + " " + sentence["text"][: claim.start()]
    budgets, finals = BUDGET_STATED.findall(context), FINAL_STATED.findall(context)
    if not budgets or not finals:
        return []
    budget, final = (float(parse_decimal(x)) for x in (budgets[-1], finals[-1]))
    op = CLAIMS.get(claim.group(1), "=")
    holds = {"<": final < budget, ">": final > budget, "=": final == budget}[op]
    relation = "小于" if final < budget else "大于" if final > budget else "等于"
    message = (
        f"第{sentence['page_no']}页：写作“决算数{claim.group(1)}预算数”，"
        f"而决算{amount(final)}万元{relation}预算{amount(budget)}万元"
    )
    return [
        check_row(
            "budget_comparison",
            CheckFamily.WORDING,
            holds,
            expected=budget,
            actual=final,
            page_no=sentence["page_no"],
            evidence=sentence["text"][:EVIDENCE],
            message=message,
        )
    ]


__all__ = ["text_checks"]
