"""The enumerated work items of a report: numbered items (1. （1）) with their titles, the
一是/二是 items inside them or inside any paragraph, and the figures each holds."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

from pipeline.vocabulary import ARABIC_BRACKETED_MARKER, ARABIC_MARKER, SPOKEN_MARKER, FigureSource

ITEM = re.compile(rf"^(?:{ARABIC_MARKER}|{ARABIC_BRACKETED_MARKER})\s*")
SUB_ITEM = re.compile(rf"(?:^|(?<=[。；：，;:,]))({SPOKEN_MARKER})")
FIRST_SENTENCE = re.compile(r"[。！？]")
FIRST_CLAUSE = re.compile(r"[。；！？;]")


def find_tasks(
    text: str, sentences: list[dict], sections: list[dict], figures: list[dict]
) -> list[dict[str, Any]]:
    """Return the work items in document order with parent links and figure counts.

    Paragraphs that are section headings are sections, not tasks; a paragraph's section is
    that of its first sentence.
    """
    heading_starts = {s["char_start"] for s in sections}
    section_of = {s["char_start"]: s["section_id"] for s in sentences}
    figure_starts = sorted(f["char_start"] for f in figures if f["source"] == FigureSource.TEXT)
    tasks: list[dict[str, Any]] = []
    for start, paragraph in _paragraphs(text):
        if start in heading_starts:
            continue
        section_id = section_of.get(start)
        parent = _item(tasks, paragraph, start, section_id)
        for begin, end, marker in _sub_items(paragraph):
            body = paragraph[begin + len(marker) : end]
            tasks.append(
                _task(tasks, section_id, parent, 2 if parent else 1, marker,
                      _clip(body, FIRST_CLAUSE), start + begin, start + end)
            )  # fmt: skip
    for task in tasks:
        span = bisect_left(figure_starts, task.pop("end")) - bisect_left(
            figure_starts, task["start"]
        )
        task["n_figures"] = span
        task.pop("start")
    return tasks


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """Return (start offset, text) of each paragraph (one a line)."""
    out, offset = [], 0
    for line in text.split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


def _item(tasks: list[dict], paragraph: str, start: int, section_id: str | None) -> dict | None:
    """Add the numbered item a paragraph opens (1. …, （3）…) and return it."""
    found = ITEM.match(paragraph)
    if not found:
        return None
    marker = found.group(0).strip()
    title = _clip(paragraph[found.end() :], FIRST_SENTENCE)
    task = _task(tasks, section_id, None, 1, marker, title, start, start + len(paragraph))
    tasks.append(task)
    return task


def _sub_items(paragraph: str) -> list[tuple[int, int, str]]:
    """Return (start, end, marker) of each 一是/二是 item in a paragraph, in order."""
    found = [(m.start(1), m.group(1)) for m in SUB_ITEM.finditer(paragraph)]
    ends = [start for start, _ in found[1:]] + [len(paragraph)] if found else []
    return [(start, end, marker) for (start, marker), end in zip(found, ends, strict=True)]


def _task(tasks, section_id, parent, level, marker, text, start, end) -> dict[str, Any]:
    return {
        "task_id": len(tasks),
        "section_id": section_id,
        "parent_task_id": parent["task_id"] if parent and level == 2 else None,
        "level": level,
        "marker": marker,
        "text": text,
        "start": start,
        "end": end,
    }


def _clip(text: str, stop: re.Pattern[str]) -> str:
    """Return the text up to its first stop (the item's title or first clause)."""
    found = stop.search(text)
    return (text[: found.start()] if found else text).strip()
