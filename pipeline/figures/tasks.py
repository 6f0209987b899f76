"""The enumerated work items of a report: numbered items and the 一是/二是 items inside them."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

ITEM = re.compile(r"^(?:\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)])")
SUB_ITEM = re.compile(r"^[一二三四五六七八九十]{1,3}是")


def find_tasks(
    sentences: list[dict], headings: set[int], figures: list[dict]
) -> list[dict[str, Any]]:
    """Return the work items in document order, with parent links and their figure counts.

    `headings` holds the ids of sentences that are headings (they are sections, not tasks).
    """
    tasks: list[dict[str, Any]] = []
    parent: dict[str, Any] | None = None
    for sentence in sentences:
        if sentence["sentence_id"] in headings:
            parent = None
            continue
        text = sentence["text"]
        item, sub = ITEM.match(text), SUB_ITEM.match(text)
        if item:
            parent = _task(tasks, sentence, 1, item.group(0), None)
        elif sub:
            _task(tasks, sentence, 2 if parent else 1, sub.group(0), parent)
        elif tasks:
            tasks[-1]["char_end"] = sentence["char_end"]
    _count_figures(tasks, figures)
    return tasks


def _task(tasks, sentence, level: int, marker: str, parent) -> dict[str, Any]:
    task = {
        "task_id": len(tasks),
        "section_id": sentence["section_id"],
        "parent_task_id": parent["task_id"] if parent else None,
        "level": level,
        "marker": marker,
        "text": sentence["text"][len(marker) :].strip(),
        "char_start": sentence["char_start"],
        "char_end": sentence["char_end"],
    }
    tasks.append(task)
    return task


def _count_figures(tasks: list[dict], figures: list[dict]) -> None:
    """Set each task's n_figures: the text figures within it (an item holds its sub-items)."""
    ends = {t["task_id"]: t["char_end"] for t in tasks}
    for task in tasks:
        if task["parent_task_id"] is not None:
            parent = task["parent_task_id"]
            ends[parent] = max(ends[parent], task["char_end"])
    starts = sorted(f["char_start"] for f in figures if f["source"] == "text")
    for task in tasks:
        end = ends[task["task_id"]]
        task["n_figures"] = bisect_left(starts, end) - bisect_left(starts, task["char_start"])
