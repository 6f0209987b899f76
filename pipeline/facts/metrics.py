"""Headline figures under canonical names, from the report's own wording and its tables.

The wordings are data (resources/metric_wordings.tsv: metric, wording, kind, home, strict,
level; metric `-` marks a wording that names something else). A metric is stated where its
wording stands right before a figure of its kind; `level` says which reports use it: `dept`
the reports of one body's own money, `gov` a government's 预算报告, 决算报告 or 统计公报, `all`
both. A rate or a change printed right after a statement (为预算的98.7%, 同比增长5.5%) is that
metric's `_execution_rate` or `_growth` (resources/metric_followers.tsv).

Each statement carries the year and scope it speaks of (`metric_context`). When a metric is
stated several times for one year and scope, the first statement in its home section (a heading
matching `home`) wins, else the first anywhere; the other statements become restatements that
the checks compare with it. A metric the text never states is taken from the total row of its
standard table (resources/table_metrics.tsv), source `table`.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from pipeline.facts.metric_context import (
    heading_chains,
    named_year,
    statement_scope,
    statement_year,
    year_marks,
)
from pipeline.quantities.grammar import number_offset
from pipeline.resources import read_records
from pipeline.vocabulary import DEPARTMENT_REPORTS, GOVERNMENT_REPORTS, FigureSource

RESOURCES = "pipeline.facts.resources"
# Metrics that have a project-level twin when their sentence speaks of a project (项目).
PROJECT_TWINS = {
    "budget_total": "project_budget_total",
    "final_accounts_total": "project_final_total",
    "budget_execution_rate": "project_execution_rate",
}
# What may stand between a metric's wording and its figure: 为, 完成, a colon, a footnote mark
# ([2]), a bracketed remark (（含国有土地出让金收入）).
GAP = re.compile(
    r"^(?:[为是达到:：共计约合了完成实现预计安排\s]|（[^（）]{1,24}）|\[\d{1,2}\]){0,5}$"
)
# A wording after a verb of change names the change, not the level (压减…项目支出9.2亿元).
CHANGE_BEFORE = re.compile(
    r"(?:压减|削减|节约|节省|减少|增加|新增|追加|调减|调增)[^，,。；;：:]{0,16}$"
)
# A sentence that opens on a budget or its completion speaks of the line item named before it
# (…(类)…。年初预算为54.53万元，支出决算为54.53万元，完成年初预算的100.00%。).
LINE_ITEM = re.compile(r"^(?:年初预算|全年预算|调整后?预算|完成(?:年初|全年|调整)?预算)")
# How far before a figure its wording, the gap and the wording's clause are looked for (a
# sentence of thousands of figures then costs each of them the same).
REACH = 160
CHANGE_REACH = 24
# How close before a wording 项目 must stand to make it the project's (本部门项目全年预算数).
PROJECT_REACH = 8
UNIT_OF_KIND = {"money": "万元", "percent": "%", "score": "分"}
# The metric of wordings that name something else, shadowing a shorter wording (年初结转和结余).
IGNORED = "-"
KEYS = ("metric", "value", "unit", "figure_id", "label", "text", "year", "scope", "source",
        "page_no", "table_id")  # fmt: skip


def _tsv(name: str) -> list[dict[str, str]]:
    return read_records(RESOURCES, name)


@functools.cache
def load_wordings() -> list[dict[str, Any]]:
    """Return the metric wording table, longest wording first, home compiled."""
    rows = _tsv("metric_wordings.tsv")
    for row in rows:
        row["home"] = re.compile(row["home"])
        row["strict"] = row["strict"] == "yes"
    return sorted(rows, key=lambda row: -len(row["wording"]))


@functools.cache
def load_followers() -> list[tuple[str, re.Pattern[str], int]]:
    """Return (suffix, what stands before the figure, sign) of the rates and changes that follow
    a statement."""
    return [(r["suffix"], re.compile(r["pattern"]), int(r["sign"]))
            for r in _tsv("metric_followers.tsv")]  # fmt: skip


@functools.cache
def load_table_metrics() -> list[dict[str, Any]]:
    """Return the table rules: metric, the table kinds, the row and column label patterns."""
    rows = _tsv("table_metrics.tsv")
    for row in rows:
        row["kinds"] = set(row["kinds"].split("|"))
        row["row"], row["column"] = re.compile(row["row"]), re.compile(row["column"])
    return rows


def levels(report_type: str | None) -> set[str]:
    """Return the wording levels a report of this type uses."""
    if report_type in GOVERNMENT_REPORTS:
        return {"gov", "all"}
    if report_type in DEPARTMENT_REPORTS:
        return {"dept", "all"}
    return {"dept", "gov", "all"}


def find_metrics(
    record: dict[str, Any], identity: dict[str, Any] | None = None
) -> tuple[list[dict], list[dict]]:
    """Return (the metrics, their restatements) of a document: from its text, then from its
    tables for what the text does not state."""
    identity = identity or {}
    statements = find_statements(record, identity)
    metrics, restated = choose_metrics(statements)
    stated = {(m["metric"], m["year"], m["scope"]) for m in metrics}
    metrics += table_metrics(record, identity.get("year"), stated)
    return metrics, restated


def find_statements(record: dict[str, Any], identity: dict[str, Any]) -> list[dict[str, Any]]:
    """Return every statement of a metric in document order, with its year and scope."""
    by_sentence: dict[int, list[dict]] = {}
    for figure in record["figures"]:
        if figure["sentence_id"] is not None:
            by_sentence.setdefault(figure["sentence_id"], []).append(figure)
    chains = heading_chains(record["sections"])
    allowed = levels(identity.get("report_type"))
    statements = []
    for sentence in record["sentences"]:
        headings = chains.get(sentence["section_id"], [])
        context = {"headings": headings, "home": " ".join(headings), "year": identity.get("year"),
                   "organization": identity.get("organization"), "levels": allowed}  # fmt: skip
        statements += _sentence_statements(sentence, by_sentence.get(sentence["sentence_id"], []),
                                           context)  # fmt: skip
    return statements


def _sentence_statements(sentence: dict, figures: list[dict], context: dict) -> list[dict]:
    """Return a sentence's statements: figures a wording names, and the rates and changes that
    follow one of them."""
    found, current, project, previous_end = [], None, False, 0
    if LINE_ITEM.match(sentence["text"]):
        return found
    years = year_marks(sentence["text"])
    for figure in figures:
        cut = figure["char_start"] - sentence["char_start"] + number_offset(figure["text"])
        offset = max(0, cut - REACH)
        context = {**context, "earlier": [f["scope"] for f in found[-1:]], "years": years,
                   "offset": offset}  # fmt: skip
        statement = _statement(sentence["text"][offset:cut], figure, project, context)
        if statement is None and current is not None:
            statement = _follower(current, sentence["text"][previous_end:cut], figure)
        if statement is not None:
            project = statement.pop("project", project)
            found.append(statement)
        current = statement
        previous_end = figure["char_end"] - sentence["char_start"]
    return found


def _statement(before: str, figure: dict, project: bool, context: dict) -> dict | None:
    """Return the metric a figure states, when a wording stands right before its number."""
    for row in load_wordings():
        at = before.rfind(row["wording"])
        gap = before[at + len(row["wording"]) :]
        if at < 0 or row["kind"] != figure["kind"] or not GAP.match(gap):
            continue
        if figure["bound"] != "exact" or row["level"] not in context["levels"]:
            return None  # a target (98%以上), an estimate, or another genre's wording
        if CHANGE_BEFORE.search(before[max(0, at - CHANGE_REACH) : at]):
            return None
        metric = row["metric"]
        if metric in PROJECT_TWINS:
            project = project or "项目" in before[max(0, at - PROJECT_REACH) : at]
            metric = PROJECT_TWINS[metric] if project else metric
        scope = statement_scope(before[:at], row["wording"], context["headings"],
                                context["organization"], context["earlier"])  # fmt: skip
        return {
            **_figure_keys(figure),
            "metric": metric,
            "label": row["wording"],
            "wording": row["wording"],
            "year": statement_year(named_year(context["years"], context["offset"] + at),
                                   context["headings"], context["year"]),  # fmt: skip
            "scope": scope,
            "pattern": row["home"],
            "strict": row["strict"],
            "at_home": bool(row["home"].search(context["home"])),
            "project": project,
        }
    return None


def _follower(current: dict, between: str, figure: dict) -> dict | None:
    """Return the rate or change a figure printed right after a statement gives of its metric
    (…107.14亿元，为预算的98.7%，同比增长5.5%)."""
    if figure["kind"] != "percent" or figure["bound"] != "exact" or current["metric"] == IGNORED:
        return None
    for suffix, pattern, sign in load_followers():
        found = pattern.search(between.rstrip())
        if found:
            metric = current["metric"].removesuffix("_execution_rate").removesuffix("_growth")
            return {**current, **_figure_keys(figure), "metric": metric + suffix,
                    "value": sign * figure["value"], "label": current["wording"] + found.group(0),
                    "strict": False}  # fmt: skip
    return None


def _figure_keys(figure: dict) -> dict[str, Any]:
    kind = figure["kind"]
    return {
        "value": _in_metric_unit(figure),
        "unit": UNIT_OF_KIND.get(kind, figure.get("base_unit")),
        "figure_id": figure["figure_id"],
        "text": figure["text"],
        "source": FigureSource.TEXT,
        "page_no": figure.get("page_no"),
        "table_id": None,
    }


def choose_metrics(statements: list[dict]) -> tuple[list[dict], list[dict]]:
    """Return (one row per metric, year and scope, the restatements of each) from all
    statements.

    A strict wording counts only in its home section; a restatement is compared with the
    first statement only when both stand at home (elsewhere the same words often name a line
    item: 年初预算为54.53万元 under one function class).
    """
    chosen: dict[tuple, dict] = {}
    restated: list[dict] = []
    for statement in statements:
        at_home = statement["at_home"]
        if statement["metric"] == IGNORED or (statement["strict"] and not at_home):
            continue
        key = (statement["metric"], statement["year"], statement["scope"])
        current = chosen.get(key)
        if current is None or (at_home and not current["at_home"]):
            chosen[key] = statement
        elif at_home and current["at_home"]:
            restated.append(statement)
    return [_row(c) for c in chosen.values()], [_row(s) for s in restated]


def table_metrics(record: dict[str, Any], year: int | None, stated: set[tuple]) -> list[dict]:
    """Return the metrics the text does not state, from the total rows of the standard tables
    (基本支出 and 项目支出 of the 支出总表 …), in 万元."""
    kinds = {t["table_id"]: t["kind"] for t in record["doc_tables"]}
    figure_at = {(f["table_id"], f["row"], f["col"]): f["figure_id"] for f in record["figures"]
                 if f.get("table_id") is not None}  # fmt: skip
    found: dict[str, dict] = {}
    for rule in load_table_metrics():
        if (rule["metric"], year, None) in stated or rule["metric"] in found:
            continue
        for value in record["table_values"]:
            if _rule_holds(rule, value, kinds.get(value["table_id"])):
                found[rule["metric"]] = _table_row(rule["metric"], value, year, figure_at)
                break
    return list(found.values())


def _rule_holds(rule: dict, value: dict, kind: str | None) -> bool:
    return (kind in rule["kinds"] and value["base_unit"] == "元" and value["value"] is not None
            and bool(rule["row"].search(value["row_label"] or ""))
            and bool(rule["column"].search(value["column_label"] or "")))  # fmt: skip


def _table_row(metric: str, value: dict, year: int | None, figure_at: dict) -> dict[str, Any]:
    return {
        "metric": metric,
        "value": round(value["value"] / 10000, 6),
        "unit": "万元",
        "figure_id": figure_at.get((value["cells_table_id"], value["row"], value["col"])),
        "label": f"{value['row_label']} {value['column_label']}",
        "text": value["text"],
        "year": year,
        "scope": None,
        "source": FigureSource.TABLE,
        "page_no": value["page_no"],
        "table_id": value["table_id"],
    }


def _row(statement: dict) -> dict[str, Any]:
    return {key: statement[key] for key in KEYS}


def _in_metric_unit(figure: dict) -> float:
    """Return the figure's value in the metric's unit (money in 万元)."""
    if figure["kind"] == "money":
        return round(figure["value"] / 10000, 6)
    return figure["value"]
