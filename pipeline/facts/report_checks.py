"""The checks of a report as a whole: `completeness` (the tables a 决算 or 预算 must hold, an
empty one with its 空表说明) and `hygiene` (placeholders left in, another year than the report's
in a table title, a 决算 heading or a 截至 date, doubled punctuation).

A 部门决算/单位决算 holds the nine standard tables; a 部门预算/单位预算 the standard tables its
目录 lists. A table printed without a number is complete when its page says it is empty
(`故本表无数据`, `本表为空表`). The year a date of 截至…12月31日 must name is the report's year
in a 决算 and the year before in a 预算 (its assets are counted at the last year's end).
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.facts.check_rows import check_row
from pipeline.tables.titles import table_kind
from pipeline.vocabulary import (
    ANY_MARKER,
    BUDGETS,
    FINAL_ACCOUNTS,
    NINE_TABLES,
    CheckFamily,
    Severity,
    TableKind,
)

EMPTY_NOTE = re.compile(r"本表无数据|本表为空表|为空表|故.{0,12}空表|本表无.{0,6}数据")
# The money an empty table would show, and how a report says there is none of it in its text
# (政府性基金拨款支出预算为0, 本部门无国有资本经营预算财政拨款收入).
FUNDS = ("政府性基金", "国有资本经营", "三公")
NONE_OF = r"(?:{0}[^。；，]{{0,16}}(?:为0(?![.\d])|为零|无数据)|(?:无|没有)[^。；，]{{0,8}}{0})"
CONTENTS = re.compile(r"^目\s*录$")
CONTENTS_ENTRY = re.compile(rf"^(?:{ANY_MARKER}\s*)?(.+?表)[\s.·…\d]*$")
PLACEHOLDER = re.compile(r"XX|ＸＸ|××|xx|某某")
DOUBLED = re.compile(r"([。，；：、！？])\1")
YEAR = re.compile(r"(?<!\d)(20\d{2})\s*年")
AS_OF = re.compile(r"截[至止]\s*(20\d{2})\s*年\s*12\s*月\s*31\s*日")
CONTEXT = 12
# The place an organisation's name opens with (张家口市 of 张家口市统计局).
PLACE_HEAD = re.compile(r"^(.{2,8}?[省市区县州旗])")


def report_checks(record: dict[str, Any], identity: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the completeness and hygiene check rows of one document."""
    return completeness(record, identity["report_type"]) + hygiene(record, identity)


def completeness(record: dict[str, Any], report_type: str | None) -> list[dict[str, Any]]:
    """Return one row per table the report must hold: present with numbers, or empty and
    saying so on its page, or missing."""
    if not any(t["kind"] != TableKind.OTHER for t in record["doc_tables"]):
        return []  # the 说明 published without its tables: nothing to count
    if report_type in FINAL_ACCOUNTS:
        required = list(NINE_TABLES)
    elif report_type in BUDGETS:
        required = contents_kinds(record["pages"])
    else:
        return []
    pages = {p["page_no"]: p["text"] for p in record["pages"]}
    rows = []
    for kind in required:
        tables = [t for t in record["doc_tables"] if t["kind"] == kind]
        filled = [t for t in tables if t["n_values"]]
        if filled:
            rows.append(
                check_row(
                    "table_present",
                    CheckFamily.COMPLETENESS,
                    True,
                    page_no=filled[0]["first_page"],
                    evidence=filled[0]["title"] or kind,
                    message=f"{kind}：第{filled[0]['first_page']}页",
                )
            )
        elif tables:
            page = tables[0]["first_page"]
            said = _said_empty(
                kind,
                [pages.get(p, "") for p in range(page, tables[0]["last_page"] + 1)],
                record["text"],
            )
            rows.append(
                check_row(
                    "empty_table_note",
                    CheckFamily.COMPLETENESS,
                    said,
                    page_no=page,
                    evidence=tables[0]["title"] or kind,
                    message=f"第{page}页 {tables[0]['title'] or kind}没有数据"
                    + ("，并有空表说明" if said else "，也没有空表说明（如“故本表无数据”）"),
                )
            )
        else:
            rows.append(
                check_row(
                    "table_present",
                    CheckFamily.COMPLETENESS,
                    False,
                    evidence=kind,
                    message=f"报告中没有{kind}",
                )
            )
    return rows


def _said_empty(kind: str, table_pages: list[str], text: str) -> bool:
    """Return whether the report says a table is empty: on its page, or in its text that there
    is none of the money the table shows."""
    if any(EMPTY_NOTE.search(page) for page in table_pages):
        return True
    fund = next((f for f in FUNDS if f in kind), None)
    return fund is not None and re.search(NONE_OF.format(fund), text) is not None


def contents_kinds(pages: list[dict[str, Any]]) -> list[str]:
    """Return the kinds of the standard tables a report's 目录 lists, in its order."""
    kinds: list[str] = []
    for page in pages[:4]:
        lines = [line.strip() for line in page["text"].splitlines()]
        starts = [i for i, line in enumerate(lines) if CONTENTS.match(line)]
        for line in lines[starts[0] + 1 :] if starts else []:
            found = CONTENTS_ENTRY.match(line)
            kind = table_kind(found.group(1)) if found else TableKind.OTHER
            if kind != TableKind.OTHER and kind not in kinds:
                kinds.append(kind)
    return kinds


def hygiene(record: dict[str, Any], identity: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the hygiene rows: each placeholder, doubled punctuation and wrong year found
    (failed), and one passing row for each of the three when none is."""
    rows = []
    for page in record["pages"]:
        text = page["text"]
        rows += [
            _found("placeholder", m, text, page["page_no"], "占位符“{0}”未替换")
            for m in PLACEHOLDER.finditer(text)
        ]
        rows += [
            _found("doubled_punctuation", m, text, page["page_no"], "标点重复“{0}”",
                   severity=Severity.WARNING)
            for m in DOUBLED.finditer(text)
        ]
    rows += wrong_years(record, identity)
    rows += ocr_identity(record, identity)
    for check in ("placeholder", "doubled_punctuation", "report_year"):
        if not any(r["check"] == check for r in rows):
            rows.append(
                check_row(check, CheckFamily.HYGIENE, True, message=f"{check}: none found")
            )
    return rows


def ocr_identity(record: dict[str, Any], identity: dict[str, Any]) -> list[dict[str, Any]]:
    """Return whether an organisation read by OCR from the title page is confirmed by the body:
    its name, or the place it opens with, printed on a later page (an OCR'd 张冢闪市 that the
    body never names is a misreading). Nothing when the title page has a text layer."""
    organization, pages = identity.get("organization"), record["pages"]
    if not organization or not pages or pages[0]["source"] != "ocr":
        return []
    head = PLACE_HEAD.match(organization)
    names = [organization] + ([head.group(1)] if head else [])
    body = "\n".join(page["text"] for page in pages[1:])
    ok = any(name in body for name in names) if body else any(
        pages[0]["text"].count(name) >= 2 for name in names)
    message = (f"OCR所读单位“{organization}”在正文中得到印证" if ok
               else f"第1页OCR所读单位“{organization}”在正文中未再出现，可能是误识别")  # fmt: skip
    return [check_row("ocr_identity", CheckFamily.HYGIENE, ok, severity=Severity.WARNING,
                      page_no=1, evidence=organization, message=message)]  # fmt: skip


def wrong_years(record: dict[str, Any], identity: dict[str, Any]) -> list[dict[str, Any]]:
    """Return a failed row for every table title (and 决算 heading) naming another year than
    the report's, and every 截至…12月31日 naming another year than the one it must."""
    year, report_type = identity.get("year"), identity.get("report_type")
    if year is None or report_type not in FINAL_ACCOUNTS | BUDGETS:
        return []
    titled = [(t["title"], t["first_page"]) for t in record["doc_tables"] if t["title"]]
    if report_type in FINAL_ACCOUNTS:
        titled += [(s["heading"], s["page_no"]) for s in record["sections"]]
    rows = []
    for title, page_no in titled:
        for m in YEAR.finditer(title):
            if int(m.group(1)) != year:
                rows.append(
                    check_row(
                        "report_year",
                        CheckFamily.HYGIENE,
                        False,
                        expected=year,
                        actual=int(m.group(1)),
                        page_no=page_no,
                        evidence=title,
                        message=f"第{page_no}页 “{title}”写作{m.group(1)}年，报告年度为{year}年",
                    )
                )
    as_of = year if report_type in FINAL_ACCOUNTS else year - 1
    for page in record["pages"]:
        for m in AS_OF.finditer(page["text"]):
            if int(m.group(1)) != as_of:
                rows.append(
                    _found(
                        "report_year",
                        m,
                        page["text"],
                        page["page_no"],
                        f"“{{0}}”应为截至{as_of}年12月31日",
                    )
                )
    return rows


def _found(
    check: str,
    m: re.Match[str],
    text: str,
    page_no: int,
    message: str,
    severity: str = Severity.ERROR,
) -> dict[str, Any]:
    evidence = text[max(0, m.start() - CONTEXT) : m.end() + CONTEXT].replace("\n", " ")
    return check_row(
        check,
        CheckFamily.HYGIENE,
        False,
        severity=severity,
        page_no=page_no,
        evidence=evidence,
        message=f"第{page_no}页：" + message.format(m.group(0)),
    )
