"""Derive the 科目 part of the jieba dictionary from the tables of real reports.

Reads an output folder of `pipeline run` over real reports (not this repository's own samples)
and writes pipeline/segment/resources/kemu.txt in jieba's user-dictionary format (``word freq
tag``, one a line, no comments: jieba has none). Two kinds of words, each kept only when the
reports of at least --min-orgs different organisations print it:

* 科目 names: the row labels of the coded rows (类/款/项 of the 功能分类, 类/款 of the 经济分类:
  ``table_values.code`` set, ``code_level`` 1-3), e.g. 社会保障和就业支出, 行政事业单位养老支出,
  机关事业单位基本养老保险缴费支出, 商品和服务支出;
* standard table names: ``doc_tables.title`` without its year, numbering and 部门/单位 prefix
  (2025年部门收入预算总表 → 收入预算总表), when it ends in 表.

Left out: words jieba's own dictionary already holds (a user frequency would lower theirs), words
of pipeline/segment/resources/userdict.txt, and words jieba could never match as one (it cuts
its input at any character outside Chinese, Latin letters and digits: 因公出国（境）费用,
“三公”经费支出决算表).

Example:
    .venv/bin/pipeline -q run ../shared/real-pdfs --out /tmp/real --work /tmp/realw
    .venv/bin/python scripts/derive_kemu_terms.py /tmp/real            # writes kemu.txt
    .venv/bin/python scripts/derive_kemu_terms.py /tmp/real --check    # differs? exit 1
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from pathlib import Path

import jieba
import pandas as pd

RESOURCES = Path(__file__).resolve().parent.parent / "pipeline" / "segment" / "resources"
OUTPUT = RESOURCES / "kemu.txt"
HAND = RESOURCES / "userdict.txt"
FREQ, TAG = 20, "n"
# What jieba's default cut keeps together (jieba.re_han_default).
ONE_WORD = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")
TITLE_PREFIX = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*)?(?:\d{4}年度?)?(?:部门|预算单位|单位)?"
)


def derive(out_dir: Path, min_orgs: int) -> list[str]:
    """Return the dictionary lines (科目 names by code, then table names) of an output folder."""
    documents = pd.read_parquet(out_dir / "documents.parquet")
    named = documents.set_index("doc_id")["organization"]
    org = named.where(named.notna(), named.index.to_series())  # no organisation: its own
    values = pd.read_parquet(out_dir / "table_values.parquet")
    coded = values[values["code"].notna() & values["code_level"].between(1, 3)]
    coded = coded.assign(word=coded["row_label"].map(_clean), org=coded["doc_id"].map(org))
    tables = pd.read_parquet(out_dir / "doc_tables.parquet")
    tables = tables[tables["title"].notna()]
    tables = tables.assign(word=tables["title"].map(_table_name), org=tables["doc_id"].map(org))
    tables = tables[tables["word"].str.endswith("表")]

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    hand = {line.split()[0] for line in HAND.read_text("utf-8").splitlines() if line.strip()}
    lines, seen = [], set(hand)
    for frame, order in ((coded, "code"), (tables, "word")):
        kept = frame.groupby("word").agg(orgs=("org", "nunique"), first=(order, "min"))
        for word in kept[kept["orgs"] >= min_orgs].sort_values(["first"]).index:
            if word in seen or len(word) < 2 or not ONE_WORD.fullmatch(word):
                continue
            if jieba.dt.FREQ.get(word):  # jieba knows it already
                continue
            seen.add(word)
            lines.append(f"{word} {FREQ} {TAG}")
    return lines


def _clean(label: object) -> str:
    return re.sub(r"\s+", "", str(label)).lstrip("0123456789")


def _table_name(title: object) -> str:
    return TITLE_PREFIX.sub("", re.sub(r"\s+", "", str(title)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="output folder of `pipeline run` on real PDFs")
    parser.add_argument("--min-orgs", type=int, default=2, help="organisations printing a word")
    parser.add_argument("--check", action="store_true", help="compare with kemu.txt only")
    args = parser.parse_args()
    text = "\n".join(derive(args.out_dir, args.min_orgs)) + "\n"
    if args.check:
        same = OUTPUT.exists() and OUTPUT.read_text("utf-8") == text
        print("kemu.txt is up to date" if same else "kemu.txt differs from the derivation")
        return 0 if same else 1
    OUTPUT.write_text(text, "utf-8")
    print(f"wrote {text.count(chr(10))} words to {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
