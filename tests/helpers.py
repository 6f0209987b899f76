"""Paths and helpers the tests share (imported as `helpers`: pytest puts tests/ on the path)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
RAW = ROOT / "data" / "raw"
REAL_PDFS = ROOT.parent / "shared" / "real-pdfs"
SEED_SAMPLE = RAW / "2023_gz_laoganbu_zhengti_zipingbaogao.pdf"
BROKEN = ["not-a-pdf.pdf", "empty.pdf", "truncated.pdf", "encrypted.pdf"]


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def through_facts(pdf: bytes) -> dict:
    """Return a PDF brought through extract, segment, figures and facts (the record's data)."""
    from pipeline.extract import extract_document
    from pipeline.facts import fact_document
    from pipeline.figures.document import figure_document
    from pipeline.segment import segment_document

    return fact_document(figure_document(segment_document(extract_document(pdf))))


def run_config(raw, base, **settings):
    """Return a RunConfig over `raw` writing under `base` (out/, work/), without a progress bar."""
    from pipeline.config import RunConfig

    defaults = {"out_dir": base / "out", "work_dir": base / "work", "progress": False}
    return RunConfig(inputs=(raw,), **{**defaults, **settings})
