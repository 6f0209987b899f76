"""The closed vocabularies of the pipeline, in one place: report types, table kinds, check
families, severities, where a figure or a page's text comes from, what a figure measures, and
the list markers reports number their headings and items with.

Each is a `str` Enum, so a member is written to the tables as its plain value and compares
equal to it; a rule that names a member that does not exist fails at import
(`TableKind.收入决算表` with no such line in table_kinds.txt is an AttributeError). The table
kinds are data (`table_kinds.txt` beside this module), read here only. No rule outside this
module writes a member as a string literal (tests/test_vocabulary.py reads every module for it).
"""

from __future__ import annotations

from enum import StrEnum

from pipeline.resources import read_lines


class ReportType(StrEnum):
    """The genres a report's title names (pipeline.facts.identity decides which)."""

    项目支出绩效自评报告 = "项目支出绩效自评报告"
    部门整体支出绩效自评报告 = "部门整体支出绩效自评报告"
    部门决算 = "部门决算"
    单位决算 = "单位决算"
    部门预算 = "部门预算"
    单位预算 = "单位预算"
    政府信息公开工作年度报告 = "政府信息公开工作年度报告"
    统计公报 = "统计公报"
    预算报告 = "预算报告"
    决算报告 = "决算报告"
    政府债务情况表 = "政府债务情况表"
    预算执行情况表 = "预算执行情况表"
    政府工作报告 = "政府工作报告"
    审计工作报告 = "审计工作报告"
    工作总结 = "工作总结"
    年度报告 = "年度报告"
    OTHER = "other"


# The reports of one body's own money, whose headline metrics add up.
DEPARTMENT_REPORTS = frozenset({
    ReportType.项目支出绩效自评报告, ReportType.部门整体支出绩效自评报告,
    ReportType.部门决算, ReportType.单位决算, ReportType.部门预算, ReportType.单位预算,
})  # fmt: skip
# A government's reports, speaking of many bodies and funds at once (全市, 市本级).
GOVERNMENT_REPORTS = frozenset({
    ReportType.统计公报, ReportType.预算报告, ReportType.决算报告, ReportType.政府债务情况表,
    ReportType.预算执行情况表, ReportType.政府工作报告, ReportType.审计工作报告,
})  # fmt: skip
FINAL_ACCOUNTS = frozenset({ReportType.部门决算, ReportType.单位决算})
BUDGETS = frozenset({ReportType.部门预算, ReportType.单位预算})

# The kinds of table (doc_tables.kind): every line of table_kinds.txt, and `other`.
TableKind = StrEnum(  # type: ignore[misc]
    "TableKind",
    [(name, name) for name in read_lines(__name__, "table_kinds.txt")] + [("OTHER", "other")],
    module=__name__,
)
TableKind.__doc__ = "The kinds of table a report holds (table_kinds.txt), and other."

# The nine standard tables of a 部门决算 or 单位决算, in the order the reports print them.
NINE_TABLES = (
    TableKind.收入支出决算总表,
    TableKind.收入决算表,
    TableKind.支出决算表,
    TableKind.财政拨款收入支出决算总表,
    TableKind.一般公共预算财政拨款支出决算表,
    TableKind.一般公共预算财政拨款基本支出决算表,
    TableKind.政府性基金预算财政拨款收入支出决算表,
    TableKind.国有资本经营预算财政拨款支出决算表,
    TableKind.三公经费支出决算表,
)
# The two-sided 总表: income on the left, expenditure on the right, their 总计 equal.
BALANCED_TABLES = frozenset({
    TableKind.收入支出决算总表, TableKind.财政拨款收入支出决算总表,
    TableKind.收支总表, TableKind.财政拨款收支总表,
})  # fmt: skip
# The 三公经费 tables of a 决算 and of a 预算.
THREE_PUBLIC_TABLES = (TableKind.三公经费支出决算表, TableKind.三公经费预算表)


class CheckFamily(StrEnum):
    """The families of checks, in the order reports list them."""

    TABLE_SUM = "table_sum"
    CROSS_TABLE = "cross_table"
    TEXT_TABLE = "text_table"
    WORDING = "wording"
    COMPLETENESS = "completeness"
    HYGIENE = "hygiene"
    METRIC = "metric"


class ReadingCheck(StrEnum):
    """The self-checks of our own reading of a document (pipeline.facts.reading)."""

    FIGURE_ON_PAGE = "figure_on_page"
    TEXT_ONCE = "text_read_once"
    CELLS_READ = "numeric_cells_read"
    TABLE_SUMS = "table_sums_hold"
    OCR_CONFIDENCE = "ocr_confidence"


class Severity(StrEnum):
    """How bad a failed check is: `error` where the numbers disagree, `warning` where the
    miss is at the printed precision or the finding is one of form."""

    ERROR = "error"
    WARNING = "warning"


class Kind(StrEnum):
    """What a figure measures."""

    MONEY = "money"
    PERCENT = "percent"
    PERCENT_POINT = "percent_point"
    SCORE = "score"
    COUNT = "count"
    DURATION = "duration"
    AREA = "area"
    WEIGHT = "weight"
    OTHER = "other"


class Bound(StrEnum):
    """How the printed number bounds the true one (余 → lower, 近 → upper, 约 → approx)."""

    EXACT = "exact"
    LOWER = "lower"
    UPPER = "upper"
    APPROX = "approx"


class UnitSource(StrEnum):
    """Where a table value's unit was stated: in the cell itself (`95%`), its column header
    (`金额（万元）`), its row (the label or first cell: `项目资金（元）`), the table's 单位 column,
    the table's note (`单位：万元`), or nowhere (the value is left in no unit)."""

    PRINTED = "printed"
    HEADER = "header"
    ROW = "row"
    UNIT_COLUMN = "unit_column"
    NOTE = "note"
    NONE = "none"


class Status(StrEnum):
    """Outcome of one document."""

    OK = "ok"
    FAILED = "failed"


class TextSource(StrEnum):
    """Where a page's (or a document's) text came from."""

    TEXT = "text"
    OCR = "ocr"
    MIXED = "mixed"


class FigureSource(StrEnum):
    """Where a figure (or a metric) stands: running text or a table cell."""

    TEXT = "text"
    TABLE = "table"


# List markers, as regular expressions: the ordinals reports number headings and items with.
CHINESE_ORDINAL = "[一二三四五六七八九十]{1,3}"
ARABIC_ORDINAL = r"\d{1,2}"
PART_MARKER = rf"第{CHINESE_ORDINAL}部分"  # 第一部分
CHINESE_MARKER = rf"{CHINESE_ORDINAL}、"  # 一、
CHINESE_BRACKETED_MARKER = rf"[（(]{CHINESE_ORDINAL}[）)]"  # （一）
ARABIC_MARKER = rf"{ARABIC_ORDINAL}[.．、](?!\d)"  # 1. 1、
ARABIC_BRACKETED_MARKER = rf"[（(]{ARABIC_ORDINAL}[）)]"  # （1）
SPOKEN_MARKER = rf"{CHINESE_ORDINAL}是"  # 一是, 二是: an item inside running text
# Any marker a heading or a table's row label may open with (一、 （一） 1. （1）).
ANY_MARKER = (
    rf"(?:{CHINESE_MARKER}|{CHINESE_BRACKETED_MARKER}|{ARABIC_MARKER}|{ARABIC_BRACKETED_MARKER})"
)
