"""Score table_values against the hand-labelled gold tables in tests/gold/tables/.

A gold cell matches a value of the same document and page with the same row label, column label
and amount (whitespace ignored, header levels joined by `/`). The values scored are those of the
tables found for each gold table: the document's tables on its pages at least half of whose
values have the amount of a gold cell on their page. Run as a script to print the report (of
the fourteen tables of wave two, or of a subfolder's):

    .venv/bin/python tests/table_gold.py [wave3]
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

GOLD = Path(__file__).parent / "gold" / "tables"
REAL_PDFS = Path(__file__).resolve().parent.parent.parent / "shared" / "real-pdfs"


@dataclass
class Score:
    """Matches, gold cells and values scored, per gold table and in all."""

    matched: int = 0
    gold: int = 0
    found: int = 0
    unit_right: int = 0
    code_right: int = 0
    per_table: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    misses: list[tuple] = field(default_factory=list)
    false_hits: list[tuple] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_gold(folder: Path = GOLD) -> dict[str, list[dict]]:
    """Return the gold cells of every gold table of a folder, by file name."""
    return {
        path.name: [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
        for path in sorted(folder.glob("*.jsonl"))
    }


def squeeze(text) -> str:
    return re.sub(r"\s+", "", str(text or ""))


def key(page, row, col, amount) -> tuple:
    return (page, squeeze(row), squeeze(col), round(float(amount), 6))


def tables_for(gold: list[dict], values: list[dict]) -> list[dict]:
    """Return the values of the tables that print a gold table: on its pages, at least half of
    their values with a gold amount on their page."""
    amounts = {(g["page"], round(float(g["amount"]), 6)) for g in gold}
    by_table: dict[int, list[dict]] = {}
    for value in values:
        if value["page_no"] in {page for page, _ in amounts} and value["amount"] is not None:
            by_table.setdefault(value["table_id"], []).append(value)
    chosen = []
    for table in by_table.values():
        hits = sum((v["page_no"], round(v["amount"], 6)) in amounts for v in table)
        if hits * 2 >= len(table):
            chosen += table
    return chosen


def score(values_by_doc: dict[str, list[dict]], gold_tables: dict[str, list[dict]]) -> Score:
    """Return the score of the documents' table_values against the gold tables."""
    total = Score()
    for name, gold in gold_tables.items():
        found = tables_for(gold, values_by_doc.get(gold[0]["doc"], []))
        want = Counter(key(g["page"], g["row"], g["col"], g["amount"]) for g in gold)
        units = {key(g["page"], g["row"], g["col"], g["amount"]): g["unit"] for g in gold}
        got = Counter(
            key(v["page_no"], v["row_label"], v["column_label"], v["amount"]) for v in found
        )
        matched = want & got
        n = sum(matched.values())
        total.matched += n
        total.gold += sum(want.values())
        total.found += sum(got.values())
        total.per_table[name] = (n, sum(want.values()), sum(got.values()))
        total.misses += [(name, *k) for k in (want - got)]
        total.false_hits += [(name, *k) for k in (got - want)]
        with_code = Counter(
            (*key(g["page"], g["row"], g["col"], g["amount"]), g["code"]) for g in gold
        )
        total.code_right += sum((with_code & Counter(
            (*key(v["page_no"], v["row_label"], v["column_label"], v["amount"]), v["code"])
            for v in found
        )).values())  # fmt: skip
        for v in found:
            k = key(v["page_no"], v["row_label"], v["column_label"], v["amount"])
            if k in matched and squeeze(v["unit"]) == squeeze(units[k]):
                total.unit_right += 1
                matched[k] -= 1
    return total


def values_of_real_pdfs(names: set[str]) -> dict[str, list[dict]]:
    """Return the table_values of each real PDF (extracted, segmented, modelled)."""
    from pipeline.extract import extract_document
    from pipeline.segment import segment_document
    from pipeline.tables.model import model_tables

    values = {}
    for name in sorted(names):
        segmented = segment_document(extract_document((REAL_PDFS / name).read_bytes()))
        values[name] = model_tables(segmented["tables"])[1]
    return values


def main() -> int:
    gold = load_gold(GOLD / sys.argv[1] if len(sys.argv) > 1 else GOLD)
    result = score(values_of_real_pdfs({cells[0]["doc"] for cells in gold.values()}), gold)
    for name, (n, want, got) in result.per_table.items():
        print(f"{name:60} matched {n:4d} of {want:4d} gold, {got:4d} found")
    print(f"\nprecision {result.precision:.3f} recall {result.recall:.3f} F1 {result.f1:.3f}")
    print(f"units right on {result.unit_right} of {result.matched} matched cells")
    print(f"科目编码 right on {result.code_right} of {result.matched} matched cells")
    for miss in result.misses[:15]:
        print("  miss", miss)
    for hit in result.false_hits[:15]:
        print("  false", hit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
