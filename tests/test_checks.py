"""Checks (issue 11), measured by mutation on real reports: the extract-stage output of a real
决算 or 预算 gets one seeded error at a time (a table cell, a sentence's number, 小于 → 大于, a
dropped table, `XX` or another year in a heading, `。。`, a 截至 date, an empty table's note
removed), the later stages run again, and the check family meant for it must fail on the page
the error stands on. The unmutated originals fail only on the errors they print
(tests/printed_errors.py, each checked on the rendered page)."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from helpers import FIXTURES, RAW, REAL_PDFS, through_facts
from printed_errors import failed_checks, printed_errors

from pipeline.extract import extract_document
from pipeline.facts import fact_document
from pipeline.facts.cross_checks import ALL_SPENT, TOTALS, total_cells
from pipeline.facts.report_checks import EMPTY_NOTE, FUNDS, NONE_OF
from pipeline.figures.document import figure_document
from pipeline.quantities.numerals import BARE_NUMBER as NUMBER
from pipeline.segment import segment_document

needs_real = pytest.mark.realpdf
MUTATED = [
    "juesuan2024_putuo_guihuaziyuanju_word.pdf",
    "juesuan2024_putuo_shehuigongzuobu_wps.pdf",
    "yusuan2025_putuo_wanlijiedao_wps.pdf",
    "yusuan2025_putuo_zhengfubangongshi_wps.pdf",
    "yusuan2025_shanghai_caizhengju_excel.pdf",
]
PER_KIND = 3
SUMMARIES = ("收入支出决算总表", "收支总表")
TOTAL_ROW = re.compile(r"合计|总计")


@dataclass
class Mutation:
    """One seeded error: what it does to the extracted pages, and the check it must trip."""

    what: str
    apply: Callable[[list[dict]], None]
    family: str
    page: int | None


def later_stages(extracted: dict) -> dict:
    return fact_document(figure_document(segment_document(extracted)))


@pytest.fixture(scope="module")
def originals():
    cache: dict[str, tuple[dict, dict]] = {}

    def get(name: str) -> tuple[dict, dict]:
        if name not in cache:
            extracted = extract_document((REAL_PDFS / name).read_bytes())
            cache[name] = (extracted, later_stages(extracted))
        return cache[name]

    return get


def bump(number: str) -> str:
    """Return a printed number changed beyond the rounding of a sum: its last integer digit
    with decimals (754.75 → 755.75), its hundreds without (3,296,600 → 3,296,700)."""
    whole, dot, tail = number.partition(".")
    digits = [k for k, ch in enumerate(whole) if ch.isdigit()]
    i = digits[-1] if dot or len(digits) < 3 else digits[-3]
    digit = "8" if whole[i] == "9" else str(int(whole[i]) + 1)
    return whole[:i] + digit + whole[i + 1 :] + dot + tail


def in_line(page_no: int, old: str, new: str) -> Callable[[list[dict]], None]:
    """Return a mutation replacing the first `old` of a page's body lines by `new`."""

    def apply(pages: list[dict]) -> None:
        for line in pages[page_no - 1]["lines"]:
            if old in line["text"]:
                line["text"] = line["text"].replace(old, new, 1)
                return
        raise AssertionError(f"{old!r} is not on page {page_no}")

    return apply


def in_cell(page_no: int, row: int, col: int, old: str, new: str) -> Callable:
    """Return a mutation replacing a table cell of a page, found by its place and text."""

    def apply(pages: list[dict]) -> None:
        for table in pages[page_no - 1]["tables"]:
            rows = table["rows"]
            if row < len(rows) and col < len(rows[row]) and rows[row][col] == old:
                rows[row][col] = new
                return
        raise AssertionError(f"no cell {old!r} at ({row}, {col}) on page {page_no}")

    return apply


def drop_tables(page_no: int) -> Callable[[list[dict]], None]:
    def apply(pages: list[dict]) -> None:
        pages[page_no - 1]["tables"] = []

    return apply


def blank_numbers(page_no: int) -> Callable[[list[dict]], None]:
    """Return a mutation emptying every number cell of a page's tables (a blanked table)."""

    def apply(pages: list[dict]) -> None:
        for table in pages[page_no - 1]["tables"]:
            table["rows"] = [
                ["" if NUMBER.match(c or "") else c for c in row] for row in table["rows"]
            ]

    return apply


def drop_empty_notes(kind: str) -> Callable[[list[dict]], None]:
    """Return a mutation removing every line that says a table of `kind` is empty: the note
    on its page (故本表无数据) and the text's 无…/…为0 of its money."""
    fund = next((f for f in FUNDS if f in kind), None)
    said = [EMPTY_NOTE] + ([re.compile(NONE_OF.format(fund))] if fund else [])

    def apply(pages: list[dict]) -> None:
        for page in pages:
            page["lines"] = [
                ln for ln in page["lines"] if not any(p.search(ln["text"]) for p in said)
            ]

    return apply


def table_cell_mutations(facts: dict) -> list[Mutation]:
    """A 类 row's amount in each coded table (its 款 no longer add up to it), and the 总计 of a
    总表's expenditure side (收支平衡)."""
    found, tables = [], set()
    kinds = {t["table_id"]: t["kind"] for t in facts["doc_tables"]}
    for v in facts["table_values"]:
        if v["code_level"] == 1 and v["amount"] and NUMBER.match(v["text"]):
            if v["table_id"] not in tables:
                tables.add(v["table_id"])
                where = f"{kinds[v['table_id']]} p{v['page_no']} {v['row_label']} {v['text']}"
                found.append(
                    Mutation(
                        f"cell {where}",
                        in_cell(v["page_no"], v["row"], v["col"], v["text"], bump(v["text"])),
                        "table_sum",
                        v["page_no"],
                    )
                )
    summary = [
        v
        for v in facts["table_values"]
        if kinds[v["table_id"]] in SUMMARIES
        and ALL_SPENT.search(v["column_label"] or "")
        and v["amount"]
        and not TOTAL_ROW.search(v["row_label"] or "")
    ]
    firsts = {}
    for v in summary:  # a line's first column: the one its detail table prints
        key = (v["table_id"], v["page_no"], v["row"], v["row_label"])
        firsts[key] = min(firsts.get(key, v), v, key=lambda v: v["col"])
    for v in list(firsts.values())[:PER_KIND]:
        found.append(
            Mutation(
                f"总表 line p{v['page_no']} {v['row_label']} {v['text']}",
                in_cell(v["page_no"], v["row"], v["col"], v["text"], bump(v["text"])),
                "cross_table",
                v["page_no"],
            )
        )
    for _, kind_a, row_a, col_a, kind_b, row_b, col_b in TOTALS:
        a = total_cells(facts["table_values"], kinds, kind_a, row_a, col_a)
        if a and total_cells(facts["table_values"], kinds, kind_b, row_b, col_b):
            v = a[0]
            found.append(Mutation(f"{kind_a} total p{v['page_no']} {v['text']}", in_cell(
                v["page_no"], v["row"], v["col"], v["text"], bump(v["text"])), "cross_table",
                v["page_no"]))  # fmt: skip
    grand = [
        v
        for v in facts["table_values"]
        if v["row_label"] == "总计"
        and v["amount"]
        and kinds[v["table_id"]] in ("收入支出决算总表", "收支总表")
    ]
    if grand:
        v = max(grand, key=lambda v: v["col"])
        found.append(
            Mutation(
                f"总计 p{v['page_no']} {v['text']}",
                in_cell(v["page_no"], v["row"], v["col"], v["text"], bump(v["text"])),
                "table_sum",
                v["page_no"],
            )
        )
    return found


def text_mutations(pages: list[dict]) -> list[Mutation]:
    """A 类 line's amount and a share in the 说明, 小于 → 大于 and 持平 → 小于, 下降 → 增长."""
    patterns = [
        (r"（类）\s*(\d[\d,]*\.\d{2})\s*万元", "text_table", lambda m: bump(m.group(1))),
        (r"占(?:[^，。；\d]{0,12}的)?(\d+\.\d{2})%", "text_table", lambda m: bump(m.group(1))),
        (r"决算数小于预算数", "wording", lambda m: "决算数大于预算数"),
        (r"决算数同预算数持平", "wording", lambda m: "决算数小于预算数"),
        (r"减少\d[\d,.]*万元，(下降)", "wording", lambda m: "增长"),
        (r"”科目(\d[\d,]*(?:\.\d+)?)万元", "text_table", lambda m: bump(m.group(1))),
        # 收入支出总计 cut at the line end, its amount starting the next line (Word layout)
        (r"^(\d[\d,]*\.\d{2})\s*万元。与\s*20", "text_table", lambda m: "0"),
        (r"其中：基本支出(\d[\d,]*\.\d{2})万元", "metric", lambda m: bump(m.group(1))),
        (
            r"公务接待费(?:支出)?(?:决算)?(\d[\d,]*\.\d{2})万元",
            "text_table",
            lambda m: bump(m.group(1)),
        ),
    ]
    found = []
    for pattern, family, new in patterns:
        hits = [
            (p["page_no"], m)
            for p in pages
            for ln in p["lines"]
            for m in re.finditer(pattern, ln["text"])
        ]
        for page_no, m in hits[:PER_KIND]:
            old = m.group(1) if m.groups() else m.group(0)
            replaced = new(m)
            found.append(
                Mutation(
                    f"p{page_no} {old} → {replaced}",
                    in_line(page_no, m.group(0), m.group(0).replace(old, replaced)),
                    family,
                    page_no,
                )
            )
    return found


def hygiene_mutations(pages: list[dict], facts: dict) -> list[Mutation]:
    """XX in a heading, 。。 in a sentence, another year in a table title or a 决算 heading,
    another year in a 截至 date."""
    year = facts["identity"]["year"]
    found = []
    headings = [s for s in facts["sections"] if s["level"] <= 2 and len(s["heading"]) > 4]
    for section in headings[:2]:
        text = section["heading"][:4]
        found.append(
            Mutation(
                f"XX in heading p{section['page_no']}",
                in_line(section["page_no"], text, "XX" + text),
                "hygiene",
                section["page_no"],
            )
        )
    sentence = next(
        s for s in facts["sentences"] if s["text"].endswith("。") and len(s["text"]) > 20
    )
    end = sentence["text"][-6:]
    found.append(
        Mutation(
            f"。。 p{sentence['page_no']}",
            in_line(sentence["page_no"], end, end + "。"),
            "hygiene",
            sentence["page_no"],
        )
    )
    titled = [t for t in facts["doc_tables"] if t["title"] and f"{year}年" in t["title"]]
    for table in titled[:1]:
        found.append(
            Mutation(
                f"year in title p{table['first_page']}",
                in_line(table["first_page"], f"{year}年", f"{year - 1}年"),
                "hygiene",
                table["first_page"],
            )
        )
    if facts["identity"]["report_type"] == "部门决算":
        section = headings[-1]
        text = section["heading"][:4]
        found.append(
            Mutation(
                f"year in heading p{section['page_no']}",
                in_line(section["page_no"], text, f"{year - 1}年" + text),
                "hygiene",
                section["page_no"],
            )
        )
    for page in pages:
        for line in page["lines"]:
            m = re.search(r"截[至止]\s*(20\d{2})\s*年\s*12\s*月", line["text"])
            if m:
                other = str(int(m.group(1)) - 3)
                found.append(
                    Mutation(
                        f"截至 p{page['page_no']}",
                        in_line(
                            page["page_no"], m.group(0), m.group(0).replace(m.group(1), other)
                        ),
                        "hygiene",
                        page["page_no"],
                    )
                )
                return found
    return found


def completeness_mutations(facts: dict) -> list[Mutation]:
    """The required tables, one at a time dropped; an empty one's 空表说明 removed."""
    standard = [t for t in facts["doc_tables"] if t["kind"] != "other" and t["n_values"]]
    found = [
        Mutation(
            f"drop {t['kind']} p{t['first_page']}",
            drop_tables(t["first_page"]),
            "completeness",
            None,
        )
        for t in standard[:PER_KIND]
    ]
    for t in standard:
        if "三公" in t["kind"] and t["first_page"] == t["last_page"]:
            found.append(
                Mutation(
                    f"blank {t['kind']} p{t['first_page']}",
                    blank_numbers(t["first_page"]),
                    "completeness",
                    t["first_page"],
                )
            )
    for t in facts["doc_tables"]:
        if t["kind"] != "other" and not t["n_values"] and t["first_page"] == t["last_page"]:
            found.append(
                Mutation(
                    f"no 空表说明 p{t['first_page']}",
                    drop_empty_notes(t["kind"]),
                    "completeness",
                    t["first_page"],
                )
            )
            break
    return found


def mutations_of(extracted: dict, facts: dict) -> list[Mutation]:
    pages = extracted["pages"]
    return (
        table_cell_mutations(facts)
        + text_mutations(pages)
        + hygiene_mutations(pages, facts)
        + completeness_mutations(facts)
    )


def caught(mutation: Mutation, extracted: dict, before: set) -> bool:
    """Return whether the mutated document fails a new check of the meant family and page."""
    data = copy.deepcopy(extracted)
    mutation.apply(data["pages"])
    new = failures(later_stages(data)) - before
    return any(
        f == mutation.family and (mutation.page is None or page == mutation.page)
        for f, page, _ in new
    )


def failures(facts: dict) -> set[tuple]:
    """Return (family, page, message) of every failed check."""
    return {(c["family"], c["page_no"], c["message"]) for c in facts["checks"] if not c["ok"]}


@needs_real
@pytest.mark.realpdf
@pytest.mark.parametrize("name", MUTATED)
def test_every_seeded_error_trips_its_check_family_on_its_page(originals, name):
    extracted, facts = originals(name)
    before = failures(facts)
    mutations = mutations_of(extracted, facts)
    assert len(mutations) >= 12
    missed = [m.what for m in mutations if not caught(m, extracted, before)]
    assert missed == []


@needs_real
@pytest.mark.realpdf
def test_the_real_reports_yield_at_least_sixty_seeded_errors(originals):
    counts = {name: len(mutations_of(*originals(name))) for name in MUTATED}
    assert sum(counts.values()) >= 60, counts


@needs_real
@pytest.mark.realpdf
@pytest.mark.parametrize("name", sorted(p.name for p in REAL_PDFS.glob("*.pdf")))
def test_the_real_reports_fail_only_the_checks_of_their_printed_errors(originals, name):
    _, facts = originals(name)
    assert failed_checks(name, facts["checks"]) == printed_errors(name)


BUDGET_FILES = [
    p.name for p in sorted(REAL_PDFS.glob("*.pdf")) if p.name.startswith(("juesuan", "yusuan"))
]
TOTAL = re.compile(r"(?:合计|总计|小计)$")


@needs_real
@pytest.mark.realpdf
@pytest.mark.parametrize("name", BUDGET_FILES)
def test_every_budget_table_with_a_total_gets_table_sum_checks(originals, name):
    _, facts = originals(name)
    with_total = {
        v["table_id"]
        for v in facts["table_values"]
        if v["amount"] is not None
        and (TOTAL.search(v["row_label"] or "")
             or any(TOTAL.search(p) for p in (v["column_label"] or "").split("/")))
    }  # fmt: skip
    summed = {c["table_id"] for c in facts["checks"] if c["family"] == "table_sum"}
    assert with_total and with_total <= summed


SAMPLES = [
    *sorted((FIXTURES / "gold").glob("*.pdf")),
    *sorted((FIXTURES / "heldout").glob("*.pdf")),
    *sorted(RAW.glob("*.pdf")),
    FIXTURES / "self-eval-table.pdf",
]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_the_error_free_samples_fail_no_check(path):
    assert [c["message"] for c in through_facts(path.read_bytes())["checks"] if not c["ok"]] == []


def test_the_arithmetic_error_sample_fails_expenditure_split_on_page_1():
    checks = through_facts((FIXTURES / "arithmetic-error.pdf").read_bytes())["checks"]
    failed = [
        (c["family"], c["check"], c["page_no"], c["severity"]) for c in checks if not c["ok"]
    ]
    assert failed == [("metric", "expenditure_split", 1, "error")]


def test_an_ocr_read_organisation_missing_from_the_body_warns_on_page_1():
    from pipeline.facts.report_checks import ocr_identity

    def pages(title: str, body: str, source: str = "ocr") -> dict:
        return {"pages": [{"page_no": 1, "source": source, "text": title},
                          {"page_no": 2, "source": source, "text": body}]}  # fmt: skip

    title, body = "张冢闪市统计局\n2025年张冢闪市统计会报", "2025年，张家口市全年地区生产总值…"
    misread = ocr_identity(pages(title, body), {"organization": "张冢闪市统计局"})
    assert [(r["check"], r["ok"], r["severity"], r["page_no"]) for r in misread] == [
        ("ocr_identity", False, "warning", 1)]
    assert "张冢闪市统计局" in misread[0]["message"]
    confirmed = ocr_identity(pages("张家口市统计局", "2025年，张家口市全年地区生产总值…"),
                             {"organization": "张家口市统计局"})
    assert [r["ok"] for r in confirmed] == [True]
    assert ocr_identity(pages("张冢闪市统计局", "…", source="text"),
                        {"organization": "张冢闪市统计局"}) == []
