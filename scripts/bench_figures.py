"""Figure-stage throughput on one core, in characters per second of cleaned text:
the grammar alone (find_figures) and the whole stage (figure_document: text figures with their
subjects, the table model, table figures) on the seed sample's segmented text repeated, and the
whole stage on the real PDFs (../shared/real-pdfs, where most numbers stand in tables), each
segmented once and then timed.

Example: .venv/bin/python scripts/bench_figures.py [--copies 200] [--real-repeat 3]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from pipeline.extract import extract_document
from pipeline.figures.document import figure_document
from pipeline.quantities.grammar import find_figures
from pipeline.segment import segment_document

REAL_PDFS = Path(__file__).resolve().parents[2] / "shared" / "real-pdfs"
SEED_PDF = (
    Path(__file__).resolve().parents[1] / "data/raw/2023_gz_laoganbu_zhengti_zipingbaogao.pdf"
)


def repeat_document(segmented: dict[str, Any], copies: int) -> dict[str, Any]:
    """Return the segmented document repeated `copies` times, offsets and ids shifted."""
    step = len(segmented["text"]) + 1
    sentences, sections = [], []
    for k in range(copies):
        for s in segmented["sentences"]:
            sentences.append(
                {
                    **s,
                    "sentence_id": len(sentences),
                    "char_start": s["char_start"] + k * step,
                    "char_end": s["char_end"] + k * step,
                }
            )
        sections += [
            {**s, "char_start": s["char_start"] + k * step} for s in segmented["sections"]
        ]
    text = "\n".join([segmented["text"]] * copies)
    return {**segmented, "text": text, "sentences": sentences, "sections": sections}


def rate(func, arg, n_chars: int) -> tuple[float, Any]:
    """Return (chars/second, result) of one timed call."""
    start = time.perf_counter()
    result = func(arg)
    return n_chars / (time.perf_counter() - start), result


def real_corpus_rate(repeat: int) -> tuple[int, int, float]:
    """Return (pages, cells, pages/second) of figure_document over the real PDFs' segmented
    records, the best of `repeat` passes."""
    records = [segment_document(extract_document(p.read_bytes()))
               for p in sorted(REAL_PDFS.glob("*.pdf"))]  # fmt: skip
    pages = sum(len(r["pages"]) for r in records)
    cells = sum(len(row) for r in records for t in r["tables"] for row in t["rows"])
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for record in records:
            figure_document(record)
        best = min(best, time.perf_counter() - start)
    return pages, cells, pages / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=200, help="times the text is repeated")
    parser.add_argument("--real-repeat", type=int, default=3, help="passes over the real PDFs")
    args = parser.parse_args()
    segmented = segment_document(extract_document(SEED_PDF.read_bytes()))
    figure_document(segmented)  # warm up: regexes, unit table, spaCy
    big = repeat_document(segmented, args.copies)
    n = len(big["text"])
    grammar, figures = rate(find_figures, big["text"], n)
    stage, record = rate(figure_document, big, n)
    print(f"text: {n:,} chars ({args.copies} copies of the seed sample)")
    print(f"grammar (find_figures):          {grammar:12,.0f} chars/s, {len(figures):,} figures")
    print(
        f"figure stage (figure_document):  {stage:12,.0f} chars/s, "
        f"{len(record['figures']):,} figures"
    )
    if REAL_PDFS.is_dir():
        pages, cells, per_second = real_corpus_rate(args.real_repeat)
        print(f"figure stage on the real PDFs:   {per_second:12,.1f} pages/s "
              f"({pages} pages, {cells:,} table cells, best of {args.real_repeat})")  # fmt: skip


if __name__ == "__main__":
    main()
