"""How well `figures.low_confidence` flags the figures OCR read wrong.

Every OCR'd page with a gold file in tests/gold/ocr/ (the printed figures of the page, read from
renderings) is brought through extract, segment and figures. A figure read by OCR is right when
its text (spaces dropped) is printed on its page and not yet matched by another figure, else
wrong. For each threshold the flag's recall (wrong figures flagged) and precision (flagged
figures that are wrong) are printed, with the threshold the pipeline uses marked.

Example: PYTHONPATH=. .venv/bin/python scripts/ocr_confidence.py [--list]
(about 35 s: the OCR of 14 pages)
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "ocr"
SOURCES = {
    "ysbg2025_huaian_founder_garbled.pdf": ROOT.parent / "shared" / "real-pdfs",
    "scanned-report.pdf": ROOT / "tests" / "fixtures",
}
THRESHOLDS = range(30, 100, 5)


def read_gold(doc: str) -> dict[int, Counter]:
    """Return the printed figure texts of a document's labelled pages, by page."""
    printed: dict[int, Counter] = {}
    for line in (GOLD / f"{Path(doc).stem}.jsonl").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("//"):
            row = json.loads(line)
            printed.setdefault(row["page"], Counter())[_squeeze(row["text"])] += 1
    return printed


def _squeeze(text: str) -> str:
    return "".join(text.split())


def judge(figures: list[dict[str, Any]], printed: dict[int, Counter]) -> list[tuple[dict, bool]]:
    """Return each OCR'd figure on a labelled page with whether OCR read it right (printed on
    its page, each printed figure matched once, in order)."""
    left = {page: Counter(texts) for page, texts in printed.items()}
    judged = []
    for figure in figures:
        page = left.get(figure["page_no"])
        if figure["ocr_confidence"] is None or page is None:
            continue
        right = page[_squeeze(figure["text"])] > 0
        page[_squeeze(figure["text"])] -= right
        judged.append((figure, right))
    return judged


def flag_score(judged: list[tuple[dict, bool]], threshold: float) -> dict[str, float]:
    """Return how a flag at `threshold` splits the judged figures: wrong ones flagged (recall),
    flagged ones wrong (precision), right ones flagged."""
    flagged = [right for figure, right in judged if figure["ocr_confidence"] < threshold]
    wrong = sum(not right for _, right in judged)
    caught = sum(not right for right in flagged)
    return {
        "wrong": wrong,
        "right": len(judged) - wrong,
        "caught": caught,
        "false_flags": len(flagged) - caught,
        "recall": caught / wrong if wrong else 1.0,
        "precision": caught / len(flagged) if flagged else 1.0,
    }


def ocr_figures(path: Path) -> list[dict[str, Any]]:
    """Return the figures of a PDF brought through extract, segment and figures."""
    from pipeline.extract import extract_document
    from pipeline.figures.document import figure_document
    from pipeline.segment import segment_document

    return figure_document(segment_document(extract_document(path.read_bytes())))["figures"]


def main() -> None:
    from pipeline.figures.confidence import LOW_CONFIDENCE

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="print every judged figure")
    args = parser.parse_args()
    judged = []
    for doc, folder in SOURCES.items():
        if not (folder / doc).is_file():
            print(f"skipped {doc}: not in {folder}")
            continue
        judged += judge(ocr_figures(folder / doc), read_gold(doc))
    if args.list:
        for figure, right in sorted(judged, key=lambda j: j[0]["ocr_confidence"]):
            mark = "right" if right else "WRONG"
            print(f"{figure['ocr_confidence']:5.1f} {mark} p{figure['page_no']} {figure['text']}")
    print("threshold  flagged-wrong/wrong  recall  false-flags/right  precision")
    for threshold in sorted({*THRESHOLDS, LOW_CONFIDENCE}):
        s = flag_score(judged, threshold)
        mark = "  <- LOW_CONFIDENCE" if threshold == LOW_CONFIDENCE else ""
        print(f"{threshold:9.1f}  {s['caught']:>8}/{s['wrong']:<10} {s['recall']:6.2f}"
              f"  {s['false_flags']:>10}/{s['right']:<6} {s['precision']:9.2f}{mark}")  # fmt: skip


if __name__ == "__main__":
    main()
