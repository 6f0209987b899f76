"""What a report says about itself: organisation, year, report type and project, from its title."""

from __future__ import annotations

import functools
import re
from typing import Any

from pipeline.resources import read_records
from pipeline.vocabulary import ReportType


def _named(report_type: ReportType) -> tuple[ReportType, re.Pattern[str]]:
    """Return a report type that its title names by the type's own name."""
    return report_type, re.compile(re.escape(report_type))


# Report types by the wording that names them, most specific first.
REPORT_TYPES: list[tuple[ReportType, re.Pattern[str]]] = [
    (ReportType.项目支出绩效自评报告,
     re.compile(r"项目支出绩效(?:单位)?自评报告|项目绩效自评报告")),
    (ReportType.部门整体支出绩效自评报告,
     re.compile(r"(?:部门)?整体支出绩效(?:单位)?自评报告")),
    _named(ReportType.部门决算),
    _named(ReportType.单位决算),
    _named(ReportType.部门预算),
    _named(ReportType.单位预算),
    _named(ReportType.政府信息公开工作年度报告),
    _named(ReportType.统计公报),
    (ReportType.预算报告,
     re.compile(r"预算执行情况\s*(?:和|与|及)[\s\S]{0,12}?预算草案的报告")),
    (ReportType.决算报告, re.compile(r"决算草案的(?:报告|说明)|决算情况的报告")),
    (ReportType.政府债务情况表, re.compile(r"政府(?:一般|专项)?债务(?:限额|余额)")),
    (ReportType.预算执行情况表, re.compile(r"(?:收入|支出)(?:预算)?执行(?:情况)?表")),
    _named(ReportType.政府工作报告),
    _named(ReportType.审计工作报告),
    _named(ReportType.工作总结),
    (ReportType.年度报告, re.compile(r"年度报告|年年度报告")),
]  # fmt: skip
# Who a genre's report is by, when its title names no unit: the 统计局 that publishes a
# 统计公报, the 财政局 that presents a 预算报告 or 决算报告 (named on its cover).
PUBLISHER = {
    ReportType.统计公报: re.compile(r"([\u4e00-\u9fff]{2,12}?统计局)"),
    ReportType.预算报告: re.compile(r"([\u4e00-\u9fff]{2,10}?财政局)"),
    ReportType.决算报告: re.compile(r"([\u4e00-\u9fff]{2,10}?财政局)"),
}
# A title head that names a scope, not a unit (全市及市本级决算草案的说明).
SCOPE_ONLY = re.compile(r"^(?:全[市省县区]|[市省县区]?本级|及|和|、)+$")
# What stands before a place name in a title: a table number (13河北省…), 关于.
HEAD_NOISE = re.compile(r"^(?:\d+|关于)")
UNIT_LABEL = re.compile(
    r"^(?:预算主管部门|主管部门|预算单位|编制单位|编报单位|单位名称|部门名称|报告单位)[：:]\s*(.+)$"
)
BODY_LOOKAHEAD = 2000
# Where a title stands when the title block was not found: the first lines of the body.
TITLE_BLOCK = 300
YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# Where an organisation's name ends when a project name follows it without quotes.
ORG_END = re.compile(
    r"^.*?(?:委员会|办公室|管理局|人民政府|街道办事处|局|厅|委|办|院|中心|街道|镇|部)"
)


def identify(title: str | None, text: str, cover: list[str] | None = None) -> dict[str, Any]:
    """Return organization, year, report_type and project from the title block: the title
    and the label lines of the cover (预算单位：…), with the body's opening as fallback."""
    title = title or ""
    report_type, type_span = _report_type(title)
    if report_type == ReportType.OTHER:
        report_type, _ = _report_type(text[:TITLE_BLOCK])
    year = _year(title) or _year(text[:BODY_LOOKAHEAD])
    head = _head(title, type_span)
    organization, project = head or None, None
    if report_type == ReportType.项目支出绩效自评报告 and head:
        organization, project = _split_project(head)
    if report_type in PUBLISHER and (not head or SCOPE_ONLY.match(head) or not title):
        found = PUBLISHER[report_type].search(text[:BODY_LOOKAHEAD])
        organization = found.group(1) if found else None
    named = _unit_on_cover(cover or [])
    organization = re.sub(r"\s+", "", named or organization or "") or None
    return {
        "title": title or None,
        "organization": organization,
        "organization_key": organization_key(organization),
        "year": year,
        "report_type": report_type,
        "project": project,
    }


@functools.cache
def _name_rules() -> list[tuple[re.Pattern[str], str]]:
    rows = read_records("pipeline.facts.resources", "organization_names.tsv")
    return [(re.compile(row["pattern"]), row["replacement"] or "") for row in rows]


def organization_key(name: str | None) -> str | None:
    """Return one spelling for every way a body's name is printed, so that its reports line up
    across years (中共上海市普陀区委社会工作部 → 中国共产党上海市普陀区委员会社会工作部); the rules
    are resources/organization_names.tsv."""
    if not name:
        return None
    for pattern, replacement in _name_rules():
        name = pattern.sub(replacement, name)
    return name


def _unit_on_cover(cover: list[str]) -> str | None:
    """Return the unit a cover's label line names (预算主管部门：上海市…街道办事处)."""
    for line in cover:
        found = UNIT_LABEL.match(line)
        if found:
            return found.group(1).strip()
    return None


def _report_type(title: str) -> tuple[ReportType, tuple[int, int] | None]:
    for name, pattern in REPORT_TYPES:
        found = pattern.search(title)
        if found:
            return name, found.span()
    return ReportType.OTHER, None


def _year(text: str) -> int | None:
    found = YEAR.search(text)
    return int(found.group(1)) if found else None


def _head(title: str, type_span: tuple[int, int] | None) -> str:
    """Return the title before its report-type wording, without the year."""
    head = title[: type_span[0]] if type_span else title
    head = HEAD_NOISE.sub("", re.sub(r"(?:19|20)\d{2}\s*(?:年度?)?", "", head))
    return re.sub(r"(?:部门|单位|地方)?(?:整体)?$", "", head.strip(" ：:（）()"))


def _split_project(head: str) -> tuple[str | None, str]:
    """Return (organisation, project) from a project report's title head."""
    quote = head.find("“")
    if quote > 0:
        return head[:quote], head[quote:] + "项目"
    found = ORG_END.match(head)
    if found and found.end() < len(head):
        return found.group(0), head[found.end() :] + "项目"
    return None, head + "项目"
