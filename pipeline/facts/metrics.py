"""Headline budget figures under canonical names, from the report's own wording.

The wordings are data (resources/metric_wordings.tsv: metric, wording, kind, home, strict;
metric `-` marks a wording that names something else). A metric
is stated where its wording stands right before a figure of its kind. When it is stated several
times, the first statement in its home section (a heading matching `home`) wins, else the
first anywhere; the other statements become restatements that the checks compare with it.
"""

from __future__ import annotations

import csv
import functools
import re
from importlib import resources
from typing import Any

from pipeline.figures.grammar import number_offset

WORDINGS = "metric_wordings.tsv"
# Metrics that have a project-level twin when their sentence speaks of a project (项目).
PROJECT_TWINS = {
    "budget_total": "project_budget_total",
    "final_accounts_total": "project_final_total",
    "budget_execution_rate": "project_execution_rate",
}
# What may stand between a metric's wording and its figure: 为, 达, a colon, 共计 ….
GAP = re.compile(r"^[为是达到:：共计约合了\s]{0,4}$")
# How close before a wording 项目 must stand to make it the project's (本部门项目全年预算数).
PROJECT_REACH = 8
UNIT_OF_KIND = {"money": "万元", "percent": "%", "score": "分"}
# The metric of wordings that name something else, shadowing a shorter wording (收入支出总计).
IGNORED = "-"


@functools.cache
def load_wordings() -> list[dict[str, Any]]:
    """Return the metric wording table, longest wording first, home compiled."""
    text = resources.files("pipeline.facts.resources").joinpath(WORDINGS).read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines(), delimiter="\t"))
    for row in rows:
        row["home"] = re.compile(row["home"])
        row["strict"] = row["strict"] == "yes"
    return sorted(rows, key=lambda row: -len(row["wording"]))


def find_statements(
    sentences: list[dict], figures: list[dict], sections: list[dict]
) -> list[dict[str, Any]]:
    """Return every statement of a metric in document order: the figures a wording names."""
    by_sentence: dict[int, list[dict]] = {}
    for figure in figures:
        if figure["sentence_id"] is not None:
            by_sentence.setdefault(figure["sentence_id"], []).append(figure)
    headings = home_headings(sections)
    statements = []
    for sentence in sentences:
        project = False
        for figure in by_sentence.get(sentence["sentence_id"], []):
            found = _statement(sentence, figure, project)
            if found:
                project = found.pop("project")
                found["home"] = headings.get(sentence["section_id"], "")
                statements.append(found)
    return statements


def choose_metrics(statements: list[dict]) -> tuple[list[dict], list[dict]]:
    """Return (one row per metric, the restatements of each) from all statements.

    A strict wording counts only in its home section; a restatement is compared with the
    first statement only when both stand at home (elsewhere the same words often name a line
    item: 年初预算为54.53万元 under one function class).
    """
    chosen: dict[str, dict] = {}
    restated: list[dict] = []
    for statement in statements:
        at_home = bool(statement["pattern"].search(statement["home"]))
        if statement["metric"] == IGNORED or (statement["strict"] and not at_home):
            continue
        current = chosen.get(statement["metric"])
        if current is None or (at_home and not current["at_home"]):
            chosen[statement["metric"]] = {**statement, "at_home": at_home}
        elif at_home and current["at_home"]:
            restated.append(statement)
    return [_row(c) for c in chosen.values()], [_row(s) for s in restated]


def find_metrics(
    sentences: list[dict], figures: list[dict], sections: list[dict] | None = None
) -> tuple[list[dict], list[dict]]:
    """Return (the metrics, their restatements) of a document."""
    return choose_metrics(find_statements(sentences, figures, sections or []))


def _statement(sentence: dict, figure: dict, project: bool) -> dict[str, Any] | None:
    """Return the metric a figure states, when a wording stands right before its number."""
    cut = figure["char_start"] - sentence["char_start"] + number_offset(figure["text"])
    before = sentence["text"][:cut]
    for row in load_wordings():
        at = before.rfind(row["wording"])
        gap = before[at + len(row["wording"]) :]
        if at < 0 or row["kind"] != figure["kind"] or not GAP.match(gap):
            continue
        if figure["bound"] != "exact":
            return None  # a target (98%以上) or an estimate, not a statement of the figure
        metric = row["metric"]
        if metric in PROJECT_TWINS:
            project = project or "项目" in before[max(0, at - PROJECT_REACH) : at]
            metric = PROJECT_TWINS[metric] if project else metric
        return {
            "metric": metric,
            "value": _in_metric_unit(figure),
            "unit": UNIT_OF_KIND[row["kind"]],
            "figure_id": figure["figure_id"],
            "label": row["wording"],
            "text": figure["text"],
            "pattern": row["home"],
            "strict": row["strict"],
            "project": project,
        }
    return None


def home_headings(sections: list[dict]) -> dict[str, str]:
    """Return, per section id, its heading and its ancestors' headings (where a statement
    stands, for the `home` patterns)."""
    by_id = {s["section_id"]: s for s in sections}
    headings = {}
    for section_id, section in by_id.items():
        chain = []
        while section is not None:
            chain.append(section["heading"])
            section = by_id.get(section["parent_id"])
        headings[section_id] = " ".join(chain)
    return headings


def _row(statement: dict) -> dict[str, Any]:
    keys = ("metric", "value", "unit", "figure_id", "label", "text")
    return {key: statement[key] for key in keys}


def _in_metric_unit(figure: dict) -> float:
    """Return the figure's value in the metric's unit (money in 万元)."""
    if figure["kind"] == "money":
        return round(figure["value"] / 10000, 6)
    return figure["value"]
