"""Shared paths and session-scoped fixtures (building the outputs once is the slow part)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
RAW = ROOT / "data" / "raw"
REAL_PDFS = ROOT.parent / "shared" / "real-pdfs"
SEED_SAMPLE = RAW / "2023_gz_laoganbu_zhengti_zipingbaogao.pdf"
BROKEN = ["not-a-pdf.pdf", "empty.pdf", "truncated.pdf", "encrypted.pdf"]


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture(scope="session")
def nlp():
    from pipeline.segment.tokens import build_nlp

    return build_nlp()


@pytest.fixture(scope="session")
def seed_doc():
    """The seed sample brought through extract, segment and figures (the per-document record)."""
    from pipeline.extract import extract_document
    from pipeline.figures.document import figure_document
    from pipeline.segment import segment_document

    return figure_document(segment_document(extract_document(SEED_SAMPLE.read_bytes())))


def run_config(raw, base, **settings):
    """Return a RunConfig over `raw` writing under `base` (out/, work/), without a progress bar."""
    from pipeline.config import RunConfig

    defaults = {"out_dir": base / "out", "work_dir": base / "work", "progress": False}
    return RunConfig(inputs=(raw,), **{**defaults, **settings})
