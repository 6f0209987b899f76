"""`pipeline audit`: how well a corpus was read, from an output folder's tables. The reading
self-checks (ours, not the reports') as rates over the corpus with the documents that fail them
most, then the reports' failed checks by check and family: the signal that says whether a
rule generalizes, on reports nobody labelled."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline import io
from pipeline.vocabulary import ReadingCheck, Status

WORST = 5


def audit_report(out_dir: Path) -> str:
    """Return the audit of the tables in `out_dir` as text for the terminal."""
    documents = io.read_table(out_dir, "documents")
    reading = io.read_table(out_dir, "reading")
    checks = io.read_table(out_dir, "checks")
    ok = int((documents["status"] == Status.OK).sum())
    lines = [
        f"Audit of {out_dir}: {len(documents)} documents, {ok} ok, {len(documents) - ok} failed.",
        "",
        "Reading self-checks (doubts about our own reading, not the reports' errors):",
        f"  {'check':<20} {'checked':>9} {'failed':>8} {'rate':>8} {'documents':>10}",
    ]
    for check in ReadingCheck:
        rows = reading[reading["check"] == check]
        checked, failed = int(rows["checked"].sum()), int(rows["failed"].sum())
        rate = f"{failed / checked:.2%}" if checked else "-"
        lines.append(f"  {check:<20} {checked:>9,} {failed:>8,} {rate:>8} "
                     f"{int((rows['failed'] > 0).sum()):>10}")  # fmt: skip
    lines += ["", "Documents that fail each self-check most (failed of checked):"]
    names = documents.set_index("doc_id")["source_path"].to_dict()
    for check in ReadingCheck:
        worst = _worst(reading[reading["check"] == check])
        if worst.empty:
            continue
        lines.append(f"  {check}")
        lines += [f"    {int(r.failed):>6,} of {int(r.checked):>6,}  "
                  f"{names.get(r.doc_id, r.doc_id)}" for r in worst.itertuples()]  # fmt: skip
    lines += ["", *_failed_checks(checks)]
    return "\n".join(lines)


def _worst(rows: pd.DataFrame) -> pd.DataFrame:
    """Return the rows that failed most, most failures first (ties by rate)."""
    failing = rows[rows["failed"] > 0]
    return failing.sort_values(["failed", "rate"], ascending=False, kind="stable").head(WORST)


def _failed_checks(checks: pd.DataFrame) -> list[str]:
    """Return the lines of the reports' failed checks: by check and by family."""
    failed = checks[~checks["ok"].astype(bool)]
    share = f"{len(failed) / len(checks):.1%}" if len(checks) else "-"
    lines = [
        f"Checks of the reports: {len(failed):,} of {len(checks):,} failed ({share}) in "
        f"{failed['doc_id'].nunique()} documents."
    ]
    for column in ("check", "family"):
        counts = failed.groupby(column).size().sort_values(ascending=False, kind="stable")
        listed = ", ".join(f"{name} {n:,}" for name, n in counts.items())
        lines.append(f"  by {column}: {listed or 'none'}")
    return lines
