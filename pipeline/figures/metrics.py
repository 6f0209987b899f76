"""Headline budget figures under canonical names, from the report's own wording."""

from __future__ import annotations

import csv
import functools
import re
from importlib import resources
from typing import Any

WORDINGS = "metric_wordings.tsv"
# Metrics that have a project-level twin when their sentence speaks of a project (项目).
PROJECT_TWINS = {
    "budget_total": "project_budget_total",
    "final_accounts_total": "project_final_total",
    "budget_execution_rate": "project_execution_rate",
}
# What may stand between a metric's wording and its figure: 为, 达, a colon, 共计 ….
GAP = re.compile(r"^[为是达到:：共计约合了\s]{0,4}$")
UNIT_OF_KIND = {"money": "万元", "percent": "%", "score": "分"}


@functools.cache
def load_wordings() -> list[dict[str, str]]:
    """Return the metric wording table (metric, wording, kind), longest wording first."""
    text = resources.files("pipeline.figures.resources").joinpath(WORDINGS).read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines(), delimiter="\t"))
    return sorted(rows, key=lambda row: -len(row["wording"]))


def find_metrics(sentences: list[dict], figures: list[dict]) -> list[dict[str, Any]]:
    """Return one row per canonical metric: the first figure its wording introduces."""
    by_sentence: dict[int, list[dict]] = {}
    for figure in figures:
        if figure["sentence_id"] is not None:
            by_sentence.setdefault(figure["sentence_id"], []).append(figure)
    found: dict[str, dict[str, Any]] = {}
    for sentence in sentences:
        for figure in by_sentence.get(sentence["sentence_id"], []):
            metric = _metric_for(sentence, figure)
            if metric and metric["metric"] not in found:
                found[metric["metric"]] = metric
    return list(found.values())


def _metric_for(sentence: dict, figure: dict) -> dict[str, Any] | None:
    """Return the metric a figure states, when a wording stands right before it."""
    before = sentence["text"][: figure["char_start"] - sentence["char_start"]]
    for row in load_wordings():
        at = before.rfind(row["wording"])
        if (
            at < 0
            or row["kind"] != figure["kind"]
            or not GAP.match(before[at + len(row["wording"]) :])
        ):
            continue
        metric = row["metric"]
        if metric in PROJECT_TWINS and "项目" in before[:at]:
            metric = PROJECT_TWINS[metric]
        return {
            "metric": metric,
            "value": _in_metric_unit(figure),
            "unit": UNIT_OF_KIND[row["kind"]],
            "figure_id": figure["figure_id"],
            "label": row["wording"],
            "text": figure["text"],
        }
    return None


def _in_metric_unit(figure: dict) -> float:
    """Return the figure's value in the metric's unit (money in 万元)."""
    if figure["kind"] == "money":
        return round(figure["value"] / 10000, 6)
    return figure["value"]
