"""The facts stage's core: one document with its figures → what the report says about itself."""

from __future__ import annotations

from typing import Any

from pipeline.facts.checks import document_checks
from pipeline.facts.identity import identify
from pipeline.facts.metrics import find_metrics
from pipeline.facts.reading import reading_checks
from pipeline.facts.tasks import find_tasks
from pipeline.tables.indicators import find_indicators

VERSION = "5"


def fact_document(figured: dict[str, Any]) -> dict[str, Any]:
    """Return the document's identity, metrics, checks, tasks, indicators and the self-checks of
    its reading, alongside what the figures stage (and those before) found."""
    sentences, sections, figures = figured["sentences"], figured["sections"], figured["figures"]
    identity = identify(figured["title"], figured["text"], figured.get("cover"))
    metrics, restated = find_metrics(figured, identity)
    indicators = find_indicators(figured["tables"])
    checks = document_checks(figured, metrics, restated, indicators, identity)
    return {
        **figured,
        "identity": identity,
        "metrics": metrics,
        "checks": checks,
        "tasks": find_tasks(figured["text"], sentences, sections, figures),
        "indicators": indicators,
        "reading": reading_checks(figured, checks),
    }
