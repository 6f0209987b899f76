"""The extract stage read through pdfium beside pdfplumber alone, page by page: the cleaned page
text the segment stage makes, the tables' cells, the unreadable count, notes and furniture;
and the time of each reader and of plain pdfplumber `extract_text` over the same pages.

Example: .venv/bin/python scripts/extract_equivalence.py [PDF or folder ...]
(default: ../shared/real-pdfs and data/raw)
"""

from __future__ import annotations

import argparse
import difflib
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_extract import plain_extract_text  # noqa: E402

from pipeline.extract import pdf as extract_pdf  # noqa: E402
from pipeline.segment.document import segment_document  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
INPUTS = [ROOT.parent / "shared" / "real-pdfs", ROOT / "data" / "raw"]
FIELDS = ("source", "n_unreadable", "notes", "furniture", "tables")
SHOWN = 6  # diff lines shown per difference


def read(data: bytes, reader: str) -> tuple[dict[str, Any], float, int]:
    """Return the extracted document, the seconds it took and how many of its pages were
    read by pdfplumber alone (with reader="pdfium": pages pdfium could not stand in for)."""
    plumbed = []
    original = extract_pdf.as_it_reads
    extract_pdf.as_it_reads = lambda page: plumbed.append(page) or original(page)
    try:
        start = time.perf_counter()
        extracted = extract_pdf.extract_document(data, reader=reader)
        return extracted, time.perf_counter() - start, len(plumbed)
    finally:
        extract_pdf.as_it_reads = original


def differences(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Return a compact line or few for each page field that differs between the readers."""
    out = []
    texts = zip(segment_document(old)["pages"], segment_document(new)["pages"], strict=True)
    for (a, b), (pa, pb) in zip(zip(old["pages"], new["pages"], strict=True), texts, strict=True):
        where = f"{name} p{a['page_no']}"
        if pa["text"] != pb["text"]:
            out.append(f"{where} text:\n" + short_diff(pa["text"], pb["text"]))
        for field in FIELDS:
            if a.get(field) != b.get(field):
                out.append(f"{where} {field}:\n" + short_diff(_lines(a.get(field)),
                                                               _lines(b.get(field))))  # fmt: skip
    return out


def _lines(value: Any) -> str:
    """Return a field as lines to diff: a table's rows one a line, a list one item a line."""
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return "\n".join(f"table {i} {t['bbox']}: " + " | ".join(map(str, row))
                         for i, t in enumerate(value) for row in t["rows"])  # fmt: skip
    if isinstance(value, list):
        return "\n".join(map(str, value))
    return str(value)


def short_diff(a: str, b: str) -> str:
    """Return the first lines of a unified diff of two texts (- pdfplumber, + pdfium)."""
    lines = [ln for ln in difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0)
             if not ln.startswith(("---", "+++", "@@"))]  # fmt: skip
    more = f"\n    … {len(lines) - SHOWN} more" if len(lines) > SHOWN else ""
    return "\n".join(f"    {ln[:160]}" for ln in lines[:SHOWN]) + more


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", type=Path, default=INPUTS)
    args = parser.parse_args()
    pdfs = [p for i in args.inputs for p in (sorted(i.glob("*.pdf")) if i.is_dir() else [i])]
    total = {"pages": 0, "same": 0, "plain": 0.0, "pdfplumber": 0.0, "pdfium": 0.0, "alone": 0}
    found: list[str] = []
    print(f"{'file':48} {'pages':>5} {'plain s':>8} {'plumber s':>9} {'pdfium s':>8} "
          f"{'alone':>5} {'same':>5}")  # fmt: skip
    for path in pdfs:
        data = path.read_bytes()
        start = time.perf_counter()
        n = plain_extract_text(data)
        plain = time.perf_counter() - start
        old, t_old, _ = read(data, "pdfplumber")
        new, t_new, alone = read(data, "pdfium")
        diffs = differences(path.name, old, new)
        changed = {line.split(":")[0].rsplit(" ", 1)[0] for line in diffs}
        same = n - len(changed)
        found += diffs
        for key, value in (("pages", n), ("same", same), ("plain", plain),
                           ("pdfplumber", t_old), ("pdfium", t_new), ("alone", alone)):
            total[key] += value  # fmt: skip
        print(f"{path.name[:48]:48} {n:5d} {plain:8.2f} {t_old:9.2f} {t_new:8.2f} "
              f"{alone:5d} {same:5d}", flush=True)  # fmt: skip
    print(f"{'all':48} {total['pages']:5d} {total['plain']:8.2f} {total['pdfplumber']:9.2f} "
          f"{total['pdfium']:8.2f} {total['alone']:5d} {total['same']:5d}")  # fmt: skip
    print("alone = pages pdfium could not stand in for, read by pdfplumber alone; same = pages "
          "whose text, tables, notes and furniture are identical")  # fmt: skip
    print(f"\n{len(found)} differences (- pdfplumber, + pdfium):")
    for diff in found:
        print(diff.encode("utf-8", "backslashreplace").decode("utf-8"))


if __name__ == "__main__":
    main()
