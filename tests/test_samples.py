"""Each shipped sample's cleaned text and tables equal the text it was typeset from."""

from __future__ import annotations

import make_samples
import pytest
from helpers import FIXTURES, RAW

from pipeline.extract import extract_document
from pipeline.segment import segment_document

CASES = [(make_samples.SAMPLES_DIR / src, RAW / pdf) for src, pdf in make_samples.SAMPLES.items()]
CASES += [
    (make_samples.SAMPLES_DIR / "fixtures" / src, FIXTURES / pdf)
    for src, pdf in make_samples.FIXTURE_REPORTS.items()
]


def _squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module", params=CASES, ids=lambda case: case[1].name)
def case(request):
    source, pdf = request.param
    return source, segment_document(extract_document(pdf.read_bytes()))


def test_cleaned_text_equals_the_source_paragraph_by_paragraph(case):
    source, segmented = case
    expected = [_squeeze(p) for p in make_samples.expected_paragraphs(source)]
    assert [_squeeze(p) for p in segmented["text"].split("\n")] == expected


def test_tables_equal_the_source_tables(case):
    source, segmented = case
    expected = make_samples.expected_tables(source)
    assert len(segmented["tables"]) == len(expected)
    for got, want in zip(segmented["tables"], expected, strict=True):
        for got_row, want_row in zip(got["rows"], want, strict=True):
            for got_cell, want_cell in zip(got_row, want_row, strict=True):
                if want_cell is not None:  # a merged cell's covered slots repeat its text
                    assert _squeeze(got_cell) == _squeeze(want_cell)


def test_samples_are_reproducible(tmp_path):
    """The committed sample PDFs are what the generator makes today."""
    make_samples.build_samples(tmp_path / "raw")
    for pdf in RAW.glob("*.pdf"):
        assert (tmp_path / "raw" / pdf.name).read_bytes() == pdf.read_bytes(), pdf.name
