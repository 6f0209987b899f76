"""Typeset the gold-data sample reports for the figure evaluation.

Usage: .venv/bin/python scripts/make_gold_fixtures.py

Every ``scripts/samples/gold/<name>.txt`` (the markup of make_samples.py) becomes
``tests/fixtures/gold/<name>.pdf``; its figures, listed by hand, are in
``tests/gold/<name>.jsonl``.
The PDFs are byte-for-byte reproducible (make_samples.build_report: reportlab ``invariant=1``).
Score the pipeline on them with

    .venv/bin/pipeline -q run data/raw tests/fixtures/gold --out /tmp/goldout --work /tmp/goldwork
    .venv/bin/pipeline eval tests/gold --out /tmp/goldout
"""

from __future__ import annotations

import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
SOURCES = SCRIPTS / "samples" / "gold"
OUT = ROOT / "tests" / "fixtures" / "gold"

sys.path.insert(0, str(SCRIPTS))
import make_samples  # noqa: E402


def main() -> None:
    """Typeset every gold source text, in name order."""
    for source in sorted(SOURCES.glob("*.txt")):
        pdf = make_samples.build_report(source, OUT / f"{source.stem}.pdf")
        print(f"{pdf.relative_to(ROOT)}  {pdf.stat().st_size:>7,d} bytes")


if __name__ == "__main__":
    main()
