"""Score a figures table against a gold file: precision, recall and F1, per kind, and the
accuracy of kind, bound, subject (and page) on the figures both agree on. A gold file whose
rows name their `page` labels whole pages: only the text figures printed on those pages are
scored, and a figure's page must be the one its number is printed on."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import io
from pipeline.errors import InputError

REQUIRED = ("doc", "text", "value", "base_unit", "kind")
VALUE_TOLERANCE = 1e-9
ATTRIBUTES = ("kind", "bound", "subject", "op", "value_max", "page")


@dataclass
class Score:
    """Counts of one slice of the evaluation (overall, or one kind)."""

    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0

    @property
    def precision(self) -> float:
        found = self.true_pos + self.false_pos
        return self.true_pos / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_pos + self.false_neg
        return self.true_pos / expected if expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """The evaluation's result: scores, attribute accuracies, and what went wrong."""

    overall: Score = field(default_factory=Score)
    by_kind: dict[str, Score] = field(default_factory=dict)
    agree: Counter = field(default_factory=Counter)  # kind, bound, subject: matches that agree
    judged: Counter = field(default_factory=Counter)  # matches on which each was judged
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_hits: list[dict[str, Any]] = field(default_factory=list)
    disagreements: list[dict[str, Any]] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)  # gold documents the output does not hold

    def accuracy(self, attribute: str) -> float:
        judged = self.judged[attribute]
        return self.agree[attribute] / judged if judged else 1.0

    def as_dict(self) -> dict[str, Any]:
        def score(s: Score) -> dict[str, Any]:
            return {
                "precision": s.precision,
                "recall": s.recall,
                "f1": s.f1,
                "true_pos": s.true_pos,
                "false_pos": s.false_pos,
                "false_neg": s.false_neg,
            }

        return {
            "overall": score(self.overall),
            "by_kind": {kind: score(s) for kind, s in sorted(self.by_kind.items())},
            "accuracy": {a: self.accuracy(a) for a in ATTRIBUTES},
            "judged": dict(self.judged),
            "misses": self.misses,
            "false_hits": self.false_hits,
            "disagreements": self.disagreements,
        }


def load_gold(path: Path) -> list[dict[str, Any]]:
    """Return the gold figures of a JSONL file, or of every *.jsonl file in a folder."""
    return [_gold_row(row, where) for where, row in io.read_jsonl(Path(path))]


def _gold_row(row: dict[str, Any], where: str) -> dict[str, Any]:
    missing = [key for key in REQUIRED if key not in row]
    if missing:
        raise InputError(f"gold figure at {where} lacks {', '.join(missing)}.")
    subject = row.get("subject")
    accepted = subject if isinstance(subject, list) else [] if subject is None else [subject]
    return {**row, "subject": accepted, "source": row.get("source", "text"), "where": where}


def evaluate(gold: list[dict[str, Any]], figures: pd.DataFrame, documents: pd.DataFrame) -> Report:
    """Return the scores of the figures of the gold documents against the gold figures."""
    names = documents.set_index("doc_id")["source_path"].map(lambda p: Path(p).name)
    predicted = figures.assign(doc=figures["doc_id"].map(names)).sort_values(["doc", "figure_id"])
    report = Report()
    for doc in sorted({g["doc"] for g in gold}):
        if doc not in set(names):
            report.absent.append(doc)  # scored as missed, and said
        expected = [g for g in gold if g["doc"] == doc]
        found = predicted[predicted["doc"] == doc].to_dict("records")
        pages = {g["page"] for g in expected if g.get("page") is not None}
        if pages:  # a gold set of some pages: the figures printed on those pages only
            found = [f for f in found if f["source"] == "text" and f["page_no"] in pages]
        _score_document(report, expected, found)
    return report


def _score_document(report: Report, expected: list[dict], found: list[dict]) -> None:
    used: set[int] = set()
    for gold in expected:
        i = _match(gold, found, used)
        kind_score = report.by_kind.setdefault(gold["kind"], Score())
        if i is None:
            report.overall.false_neg += 1
            kind_score.false_neg += 1
            report.misses.append(_brief(gold))
            continue
        used.add(i)
        report.overall.true_pos += 1
        kind_score.true_pos += 1
        _judge(report, gold, found[i])
    for i, figure in enumerate(found):
        if i not in used:
            report.overall.false_pos += 1
            report.by_kind.setdefault(figure["kind"], Score()).false_pos += 1
            report.false_hits.append(_brief(figure))


def _match(gold: dict, found: list[dict], used: set[int]) -> int | None:
    """Return the first unused predicted figure with the gold value, base unit and source whose
    printed text contains, or is contained in, the gold text."""
    text = _squeeze(gold["text"])
    for i, figure in enumerate(found):
        if (
            i in used
            or figure["source"] != gold["source"]
            or figure["base_unit"] != gold["base_unit"]
        ):
            continue
        if abs(figure["value"] - gold["value"]) > VALUE_TOLERANCE * max(1.0, abs(gold["value"])):
            continue
        printed = _squeeze(figure["text"])
        if printed in text or text in printed:
            return i
    return None


def _judge(report: Report, gold: dict, figure: dict) -> None:
    checks = {"kind": gold["kind"] == figure["kind"]}
    if "bound" in gold:
        checks["bound"] = gold["bound"] == figure["bound"]
    for attribute in ("op", "value_max"):
        if attribute in gold or not _missing(figure.get(attribute)):
            checks[attribute] = _same(gold.get(attribute), figure.get(attribute))
    if gold["subject"]:
        checks["subject"] = figure["subject"] in gold["subject"]
    if gold.get("page") is not None:
        checks["page"] = gold["page"] == figure["page_no"]
    for attribute, ok in checks.items():
        report.judged[attribute] += 1
        report.agree[attribute] += ok
        if not ok:
            got = figure["page_no" if attribute == "page" else attribute]
            want = gold[attribute]
            report.disagreements.append(
                {
                    **_brief(gold),
                    "attribute": attribute,
                    "want": want,
                    "got": None if pd.isna(got) else got,
                }
            )


def _same(want: Any, got: Any) -> bool:
    """Return whether two optional attribute values agree (null equals missing)."""
    if _missing(want) or _missing(got):
        return _missing(want) and _missing(got)
    if isinstance(want, int | float):
        return abs(float(want) - float(got)) <= VALUE_TOLERANCE * max(1.0, abs(float(want)))
    return want == got


def _brief(row: dict) -> dict[str, Any]:
    keys = ("doc", "text", "value", "base_unit", "kind", "bound", "subject", "source", "where")
    return {k: (None if _missing(row.get(k)) else row.get(k)) for k in keys if k in row}


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, list | str) and pd.isna(value))


def _squeeze(text: str) -> str:
    return "".join(str(text).split())


def format_report(report: Report, limit: int = 30) -> str:
    """Return the report as text: the scores, then the misses, false hits and disagreements."""
    o = report.overall
    lines = [
        f"figures: {o.true_pos} matched, {o.false_neg} missed, {o.false_pos} false hits",
        f"precision {o.precision:.4f}  recall {o.recall:.4f}  F1 {o.f1:.4f}",
        "accuracy on matches: "
        + "  ".join(f"{a} {report.accuracy(a):.4f} ({report.judged[a]})" for a in ATTRIBUTES),
        "",
        f"{'kind':14} {'P':>7} {'R':>7} {'F1':>7} {'TP':>5} {'FP':>4} {'FN':>4}",
    ]
    for kind, s in sorted(report.by_kind.items()):
        lines.append(
            f"{kind:14} {s.precision:7.3f} {s.recall:7.3f} {s.f1:7.3f} "
            f"{s.true_pos:5d} {s.false_pos:4d} {s.false_neg:4d}"
        )
    for title, rows in (
        ("misses", report.misses),
        ("false hits", report.false_hits),
        ("disagreements", report.disagreements),
    ):
        if rows:
            lines += ["", f"{title} ({len(rows)}):"]
            lines += [f"  {json.dumps(r, ensure_ascii=False)}" for r in rows[:limit]]
            if len(rows) > limit:
                lines.append(f"  … {len(rows) - limit} more (use --json for all)")
    return "\n".join(lines)
