"""`pipeline list` and `pipeline show DOC`: the documents of an output folder, and one document at
a glance (identity, counts, warnings, the doubts about our reading, metrics, failed checks) in
the terminal."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline import io
from pipeline.errors import InputError

LIST_COLUMNS = ["doc_id", "source_path", "organization", "year", "report_type", "status",
                "n_pages", "n_figures"]  # fmt: skip


def document_list(out_dir: Path) -> pd.DataFrame:
    """Return the documents of an output folder, one row each, by path."""
    documents = io.read_table(out_dir, "documents")
    return documents[LIST_COLUMNS].sort_values("source_path").reset_index(drop=True)


def find_document(out_dir: Path, wanted: str) -> pd.Series:
    """Return the documents row a doc_id prefix or a file name (or its end) names."""
    documents = io.read_table(out_dir, "documents")
    named = documents[documents.doc_id.str.startswith(wanted)
                      | (documents.source_path == wanted)
                      | documents.source_path.str.endswith("/" + wanted)]  # fmt: skip
    if named.empty:
        raise InputError(f"no document {wanted!r} in {out_dir}; `pipeline list` shows them.")
    if len(named) > 1:
        shown = ", ".join(named.source_path)
        raise InputError(f"{wanted!r} names {len(named)} documents ({shown}); give more of it.")
    return named.iloc[0]


def show_document(out_dir: Path, wanted: str) -> str:
    """Return one document at a glance, as lines of text."""
    doc = find_document(out_dir, wanted)
    doc_id = doc["doc_id"]
    lines = [f"{doc['source_path']}  ({doc_id})",
             f"  {_text(doc['organization'], '-')} · {_year(doc['year'])} · "
             f"{_text(doc['report_type'], '-')} · {doc['status']}"]  # fmt: skip
    if isinstance(doc["error"], str):
        lines.append(f"  error: {doc['error']}")
    counts = {name: _rows(out_dir, name, doc_id) for name in ("pages", "figures", "doc_tables")}
    checks = _of(out_dir, "checks", doc_id)
    failed = checks[~checks.ok] if len(checks) else checks
    lines.append(f"  {counts['pages']} pages, {counts['figures']} figures, "
                 f"{counts['doc_tables']} tables, {len(checks)} checks ({len(failed)} failed)")
    lines += [f"  warning: {w}" for w in (doc["warnings"] if doc["warnings"] is not None else [])]
    lines += _doubts(_of(out_dir, "reading", doc_id))
    metrics = _of(out_dir, "metrics", doc_id)
    if len(metrics):
        lines.append("metrics:")
        lines += [f"  {m.metric:<40} {_year(m.year):>5} {_text(m.scope):<8} {m.value:>16,.2f} "
                  f"{m.unit}" for m in metrics.itertuples()]  # fmt: skip
    if len(failed):
        lines.append("failed checks:")
        lines += [f"  p.{_year(c.page_no):<4} {c.family:<12} {c.message}"
                  for c in failed.itertuples()]  # fmt: skip
    return "\n".join(lines)


def _doubts(reading: pd.DataFrame) -> list[str]:
    """Return the lines of the reading self-checks a document fails (ours, not the report's)."""
    failing = reading[reading.failed > 0] if len(reading) else reading
    if not len(failing):
        return []
    lines = ["reading in doubt (our reading, not the report):"]
    for row in failing.itertuples():
        lines.append(f"  {row.check:<20} {row.failed} of {row.checked}")
        lines += [f"    {example}" for example in list(row.examples)[:3]]
    return lines


def _of(out_dir: Path, table: str, doc_id: str) -> pd.DataFrame:
    rows = io.read_table(out_dir, table)
    return rows[rows.doc_id == doc_id]


def _rows(out_dir: Path, table: str, doc_id: str) -> int:
    return len(_of(out_dir, table, doc_id))


def _year(value) -> str:
    return "-" if pd.isna(value) else str(int(value))


def _text(value, missing: str = "") -> str:
    return missing if value is None or (not isinstance(value, str) and pd.isna(value)) else value
