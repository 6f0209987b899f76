"""Pages per second of the extract stage beside pdfplumber's plain extract_text, same pages,
same process, one core.

Example: .venv/bin/python scripts/bench_extract.py [PDF or folder ...] [--repeat 2]
(default: ../shared/real-pdfs)
"""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

import pdfplumber

from pipeline.extract import extract_document

REAL_PDFS = Path(__file__).resolve().parents[2] / "shared" / "real-pdfs"


def plain_extract_text(data: bytes) -> int:
    """Read every page with pdfplumber's extract_text; return the page count."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
        return len(pdf.pages)


def timed(func, data: bytes) -> float:
    start = time.perf_counter()
    func(data)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", type=Path, default=[REAL_PDFS])
    parser.add_argument("--repeat", type=int, default=2, help="runs of each, best kept")
    args = parser.parse_args()
    pdfs = [p for i in args.inputs for p in (sorted(i.glob("*.pdf")) if i.is_dir() else [i])]
    total = {"pages": 0, "plain": 0.0, "extract": 0.0}
    print(f"{'file':52} {'pages':>5} {'plain p/s':>10} {'extract p/s':>12} {'ratio':>6}")
    for pdf in pdfs:
        data = pdf.read_bytes()
        pages = plain_extract_text(data)  # warm the file cache and imports
        plain = min(timed(plain_extract_text, data) for _ in range(args.repeat))
        ours = min(timed(extract_document, data) for _ in range(args.repeat))
        total["pages"] += pages
        total["plain"] += plain
        total["extract"] += ours
        print(
            f"{pdf.name[:52]:52} {pages:5d} {pages / plain:10.1f} {pages / ours:12.1f} "
            f"{ours / plain:6.2f}"
        )
    pages, plain, ours = total["pages"], total["plain"], total["extract"]
    print(f"{'all':52} {pages:5d} {pages / plain:10.1f} {pages / ours:12.1f} {ours / plain:6.2f}")
    print("ratio = extract stage time / plain extract_text time on the same pages")


if __name__ == "__main__":
    main()
