"""The failed checks of an output folder, for people: per document, grouped by family, each
with its page, severity and the sentence a reviewer reads (`pipeline checks`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline import io
from pipeline.vocabulary import CheckFamily, Severity

COLUMNS = ["source_path", "organization", "year", "report_type", "family", "check", "severity",
           "page_no", "message", "evidence"]  # fmt: skip


def failed_checks(out_dir: Path, families: tuple[str, ...] = ()) -> pd.DataFrame:
    """Return the failed checks of the documents in `out_dir`, the families given (all when
    none), in document, family and page order."""
    checks = io.read_table(out_dir, "checks")
    documents = io.read_table(out_dir, "documents")
    failed = checks[~checks["ok"].astype(bool)]
    if families:
        failed = failed[failed["family"].isin(families)]
    frame = failed.merge(documents, on="doc_id", how="left")
    order = {family: i for i, family in enumerate(CheckFamily)}
    frame = frame.assign(_family=frame["family"].map(order))
    frame = frame.sort_values(
        ["source_path", "_family", "page_no", "check_id"], na_position="last"
    )
    return frame[COLUMNS].reset_index(drop=True)


def format_checks(frame: pd.DataFrame, n_documents: int) -> str:
    """Return the failed checks as text: a heading per document, a block per family, a line
    per check (page, severity, message)."""
    if frame.empty:
        return f"No failed checks in {n_documents} document(s)."
    lines = []
    for source, doc in frame.groupby("source_path", sort=False):
        first = doc.iloc[0]
        year = int(first["year"]) if pd.notna(first["year"]) else None
        who = " ".join(str(x) for x in (first["organization"], year, first["report_type"])
                       if x is not None and pd.notna(x))  # fmt: skip
        errors = int((doc["severity"] == Severity.ERROR).sum())
        lines.append(f"{source} ({who}): {len(doc)} failed, {errors} error(s)")
        for family, rows in doc.groupby("family", sort=False):
            lines.append(f"  {family}")
            for _, row in rows.iterrows():
                page = f"p{int(row['page_no'])}" if pd.notna(row["page_no"]) else "-"
                lines.append(f"    {page:>5} {row['severity']:<7} {row['message']}")
    shown = frame["source_path"].nunique()
    lines.append(f"\n{len(frame)} failed check(s) in {shown} of {n_documents} document(s).")
    return "\n".join(lines)
