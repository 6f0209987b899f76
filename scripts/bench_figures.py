"""Figure-stage throughput on one core, in characters per second of cleaned text:
the grammar alone (find_figures) and the whole stage (figure_document: grammar, subjects,
spaCy spans, metrics, checks, tasks, indicators) on the seed sample's segmented text repeated.

Example: .venv/bin/python scripts/bench_figures.py [--copies 200]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from pipeline.extract import extract_document
from pipeline.figures.document import figure_document
from pipeline.figures.grammar import find_figures
from pipeline.segment import segment_document

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=200, help="times the text is repeated")
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


if __name__ == "__main__":
    main()
