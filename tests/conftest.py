"""Shared paths and session-scoped fixtures (building the outputs once is the slow part)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.io import STRICT_SCHEMA_ENV

# A row key that its table's schema lacks fails the tests (worker processes inherit this).
os.environ[STRICT_SCHEMA_ENV] = "1"

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
    from pipeline.views.spans import build_nlp

    return build_nlp()


def through_facts(pdf: bytes) -> dict:
    """Return a PDF brought through extract, segment, figures and facts (the record's data)."""
    from pipeline.extract import extract_document
    from pipeline.facts import fact_document
    from pipeline.figures.document import figure_document
    from pipeline.segment import segment_document

    return fact_document(figure_document(segment_document(extract_document(pdf))))


@pytest.fixture(scope="session")
def seed_doc():
    """The seed sample brought through every per-document stage (the facts record's data)."""
    return through_facts(SEED_SAMPLE.read_bytes())


def run_config(raw, base, **settings):
    """Return a RunConfig over `raw` writing under `base` (out/, work/), without a progress bar."""
    from pipeline.config import RunConfig

    defaults = {"out_dir": base / "out", "work_dir": base / "work", "progress": False}
    return RunConfig(inputs=(raw,), **{**defaults, **settings})
