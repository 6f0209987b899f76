"""Issue 13: the hostile corpus (tests/hostile/corpus.py) run as a user would, beside two good
reports. Every input gets its outcome (a right result or one clear sentence), no input stops the
batch, the good reports come out as they do alone, no CSV cell runs as a formula and no worker
passes its memory limit. The slow cases (a 2 GiB deflate bomb, 10 MB of text on a page, 300
scanned pages) run with `make test-hostile`."""

from __future__ import annotations

import csv
import logging
import shutil
import sys
from pathlib import Path

import corpus
import pandas as pd
import pytest
from helpers import RAW, run_config

from pipeline.io import printable_name
from pipeline.runner import run_pipeline

GOOD = ("2023_gz_laoganbu_zhengti_zipingbaogao.pdf",
        "2022_jiangcheng_sifaju_zhengti_zipingbaogao.pdf")  # fmt: skip
LIMIT = 2 * 1024**3
OK, FAILED = "ok", "failed"
# What becomes of each input: (status, a phrase of its error or of one of its warnings).
EXPECTED = {
    "bad-\udcff\udcfe-name.pdf": (OK, None),
    '=HYPERLINK("http:x","y").pdf': (OK, None),
    "+cmd.pdf": (OK, None),
    "@sum.pdf": (OK, None),
    "-2+3.pdf": (OK, None),
    "line\nbreak,name.pdf": (OK, None),
    "control-chars.pdf": (OK, None),  # the control characters are dropped, see below
    "deflate-bomb-200mb.pdf": (OK, None),
    "sentence-10000-figures.pdf": (OK, None),
    "tiny-font-repeated-digits.pdf": (OK, None),
    "image-page-100in.pdf": (FAILED, "OCR found no text"),
    "image-page-100in-text.pdf": (OK, "read by OCR at 63 dpi"),
    "rotated-90-270.pdf": (OK, None),
    "rotated-180.pdf": (OK, None),
    "zero-pages.pdf": (FAILED, "the PDF has no pages."),
    "bad-flate-stream.pdf": (FAILED, "its page content could not be decoded"),
    "form-field-with-appearance.pdf": (OK, "1 form field value read as text"),
    "form-field-value-only.pdf": (OK, "1 form field value read as text"),
    "deep-page-tree-3000.pdf": (OK, None),
    "encrypted-user-password.pdf": (FAILED, "encrypted with a password"),
    "encrypted-owner-only.pdf": (OK, None),
    "encrypted-reportlab.pdf": (OK, "so it was read by OCR"),
    "truncated-half.pdf": (FAILED, "the file ends before the PDF does"),
    "png-named-pdf.pdf": (FAILED, "not a PDF"),
    "text-named-pdf.pdf": (FAILED, "not a PDF"),
    "empty.pdf": (FAILED, "the file is empty"),
    "header-then-garbage.pdf": (FAILED, "no document catalogue"),
    "white-text-numbers.pdf": (OK, "hidden text (white on the white page) left out"),
    "deflate-bomb-2gb.pdf": (FAILED, "needs more than 2.0 GB of memory"),
    # C code at the memory cap either reports it or crashes its worker
    "text-10mb-stream.pdf": (FAILED, ("needs more than 2.0 GB of memory", "killed by signal")),
    "scan-300-pages.pdf": (FAILED, "timeout"),
    "scan-300-pages-text.pdf": (FAILED, "timeout"),
}  # fmt: skip
LINKS = ("loop-a.pdf", "loop-b.pdf", "dangling.pdf")


class Collected(logging.Handler):
    """The log records of a run (the skipped links are logged, not tabled)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def run_corpus(base: Path, slow: bool) -> tuple[dict, list, Path, list[str]]:
    """Build the corpus beside the good reports and run it; return (the cases and the
    documents by shown name, the run's summaries, the output folder, the warnings logged)."""
    folder = base / "in"
    cases = corpus.build(folder, slow=slow)
    for name in GOOD:
        shutil.copy(RAW / name, folder / name)
    logged = Collected()
    logging.getLogger("pipeline").addHandler(logged)
    try:
        result = run_pipeline(run_config(folder, base, jobs=2, timeout=60, max_memory=LIMIT))
    finally:
        logging.getLogger("pipeline").removeHandler(logged)
    docs = pd.read_parquet(base / "out" / "documents.parquet").set_index("source_path")
    return {"cases": cases, "docs": docs}, result.summaries, base / "out", logged.messages


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return run_corpus(tmp_path_factory.mktemp("hostile"), slow=False)


def outcome(docs: pd.DataFrame, name: str) -> tuple[str, list[str]]:
    row = docs.loc[printable_name(name)]
    notes = list(row["warnings"]) if row["warnings"] is not None else []
    return row["status"], ([row["error"]] if isinstance(row["error"], str) else []) + notes


def check_case(docs: pd.DataFrame, case) -> None:
    if case.kind == "unreadable":  # root reads a mode-000 file
        status, said = (FAILED, "permission denied") if case.unreadable else (OK, None)
    else:
        status, said = EXPECTED[case.name]
    got, sentences = outcome(docs, case.name)
    assert got == status, (case.name, sentences)
    if said is None:
        assert sentences == [], (case.name, sentences)
    else:
        phrases = said if isinstance(said, tuple) else (said,)
        assert any(p in s for p in phrases for s in sentences), (case.name, sentences)


def test_every_hostile_input_fails_with_one_sentence_or_reads(hostile):
    found, _, _, _ = hostile
    docs = found["docs"]
    for case in found["cases"]:
        if case.name in LINKS:
            assert printable_name(case.name) not in docs.index
        else:
            check_case(docs, case)


def test_non_utf8_and_line_break_names_are_kept_printable(hostile):
    docs = hostile[0]["docs"]
    assert {"bad-\\xff\\xfe-name.pdf", "line\\x0abreak,name.pdf"} <= set(docs.index)


def test_hard_but_valid_pdfs_read_their_figures_right(hostile):
    docs = hostile[0]["docs"]
    plain = docs.loc["+cmd.pdf", "n_figures"]
    for name in ("rotated-90-270.pdf", "rotated-180.pdf", "deep-page-tree-3000.pdf"):
        assert docs.loc[name, "n_figures"] == plain, name
    assert docs.loc["sentence-10000-figures.pdf", "n_figures"] == 10_000
    figures = pd.read_parquet(hostile[2] / "figures.parquet")
    hidden = figures[figures.doc_id == docs.loc["white-text-numbers.pdf", "doc_id"]]
    assert hidden.text.str.contains("8888").sum() == 0  # printed white on white
    form = figures[figures.doc_id == docs.loc["form-field-value-only.pdf", "doc_id"]]
    assert form.value.tolist() == [97_465_000.0]  # 本年收入合计9746.50万元, in the field only
    tiny = figures[figures.doc_id == docs.loc["tiny-font-repeated-digits.pdf", "doc_id"]]
    assert tiny.value.tolist()[:3] == [111_111_100.0, 22_222_200.0, 333_000.0]  # at 2.2 pt
    control = figures[figures.doc_id == docs.loc["control-chars.pdf", "doc_id"]]
    assert 80_123_000.0 in control.value.tolist()  # 8012.30万元 right after ESC [31m
    pages = pd.read_parquet(hostile[2] / "pages.parquet")
    text = "".join(pages[pages.doc_id == docs.loc["control-chars.pdf", "doc_id"]].text)
    assert not set(text) & {"\x00", "\x1b", "\u202e", "\u200b", "\ufeff"} and "[31m" not in text


def test_good_reports_among_hostile_ones_match_a_run_of_their_own(hostile, tmp_path):
    docs, out = hostile[0]["docs"], hostile[2]
    alone = tmp_path / "in"
    alone.mkdir()
    for name in GOOD:
        shutil.copy(RAW / name, alone / name)
    run_pipeline(run_config(alone, tmp_path, jobs=2))
    ids = set(docs.loc[list(GOOD), "doc_id"])
    for table in ("figures", "metrics", "checks", "sentences", "table_values"):
        together = pd.read_parquet(out / f"{table}.parquet")
        by_itself = pd.read_parquet(tmp_path / "out" / f"{table}.parquet")
        together = together[together.doc_id.isin(ids)].reset_index(drop=True)
        pd.testing.assert_frame_equal(together, by_itself.reset_index(drop=True), obj=table,
                                      check_dtype=False)


def test_no_csv_cell_starts_a_formula_and_no_worker_exceeds_its_memory(hostile):
    _, summaries, out, _ = hostile
    csv.field_size_limit(sys.maxsize)  # a page of 10,000 figures is one long cell
    for path in out.glob("*.csv"):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            starts = {cell[:1] for row in csv.reader(fh) for cell in row
                      if cell and not is_number(cell)}  # fmt: skip
        assert not starts & set("=+-@\t\r"), path.name
    peaks = [s["rss_mb"] for s in summaries if s.get("rss_mb")]
    assert peaks and max(peaks) * 1024**2 < LIMIT


def is_number(cell: str) -> bool:
    """Return whether a CSV cell is a number (a negative one starts with -, and is no formula)."""
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_hostile_links_to_nothing_are_skipped_with_a_warning(hostile):
    messages = hostile[3]
    for name in LINKS:
        assert any(name in m and "points to nothing or into a loop" in m for m in messages), name


@pytest.mark.hostile_slow
def test_slow_hostile_inputs_fail_alone_and_good_reports_stay_ok(tmp_path):
    found, summaries, _, _ = run_corpus(tmp_path, slow=True)
    docs = found["docs"]
    for case in found["cases"]:
        if case.slow:
            check_case(docs, case)
    assert (docs.loc[list(GOOD), "status"] == OK).all()
    assert max(s["rss_mb"] for s in summaries if s.get("rss_mb")) * 1024**2 < LIMIT
