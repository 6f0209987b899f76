"""Extract stage: lines by vertical overlap, page furniture, tables, clear errors for bad PDFs."""

from __future__ import annotations

import pytest
from helpers import fixture_bytes

from pipeline.errors import (
    DamagedPdfError,
    EmptyFileError,
    EncryptedPdfError,
    NotAPdfError,
)
from pipeline.extract import extract_document
from pipeline.extract.layout import find_furniture
from pipeline.extract.lines import group_lines


def _char(text, x0, top, size=15.0):
    return {
        "text": text,
        "x0": x0,
        "x1": x0 + size * 0.9,
        "top": top,
        "bottom": top + size,
        "size": size,
        "upright": True,
    }


def test_digits_on_a_lower_baseline_stay_in_their_line():
    chars = [_char(c, 90 + 15 * i, 100) for i, c in enumerate("本年收入合计")]
    chars += [_char(c, 180 + 8 * i, 103, size=13) for i, c in enumerate("2946.25")]
    chars += [_char(c, 240 + 15 * i, 100) for i, c in enumerate("万元")]
    chars += [_char(c, 90 + 15 * i, 126) for i, c in enumerate("下一行")]
    lines = group_lines(chars)
    assert [ln["text"] for ln in lines] == ["本年收入合计2946.25万元", "下一行"]


def test_a_visible_gap_becomes_one_space():
    chars = [_char("共", 90, 100), _char("3", 115, 100), _char("个", 140, 100)]
    assert group_lines(chars)[0]["text"] == "共 3 个"


def _page(no, lines, height=842.0):
    return {
        "page_no": no,
        "height": height,
        "lines": [
            {"text": t, "top": top, "bottom": top + 10, "x0": 90, "x1": 500, "size": 10}
            for t, top in lines
        ],
    }


def test_page_numbers_and_repeated_headers_are_furniture():
    pages = [
        _page(n, [("2021年年度报告", 30), ("正文第一行", 200), (f"{n} / 124", 800)])
        for n in range(1, 4)
    ]
    assert find_furniture(pages) == [{0, 2}, {0, 2}, {0, 2}]


def test_a_body_line_that_repeats_is_not_furniture():
    pages = [_page(n, [("单位：万元", 400), (f"— {n} —", 800)]) for n in range(1, 4)]
    assert find_furniture(pages) == [{1}, {1}, {1}]


def test_running_header_and_page_numbers_are_removed_from_sample():
    doc = extract_document(fixture_bytes("two-pages-split-sentence.pdf"))
    assert doc["n_pages"] == 2
    page2 = doc["pages"][1]
    assert "— 2 —" in page2["furniture"]
    assert any("绩效自评报告" in text for text in page2["furniture"])
    body = " ".join(line["text"] for line in page2["lines"])
    assert "— 2 —" not in body and "绩效自评报告" not in body


def test_ruled_table_is_read_cell_by_cell_and_kept_out_of_the_body():
    doc = extract_document(fixture_bytes("self-eval-table.pdf"))
    (table,) = doc["pages"][0]["tables"]
    assert table["rows"][0][:3] == ["一级指标", "二级指标", "三级指标"]
    assert ["满意度指标", "服务对象满意度指标"] == table["rows"][-1][:2]  # wrapped label whole
    body = "".join(line["text"] for line in doc["pages"][0]["lines"])
    assert "一级指标" not in body


@pytest.mark.parametrize(
    ("name", "error", "words"),
    [
        ("not-a-pdf.pdf", NotAPdfError, "not a PDF"),
        ("empty.pdf", EmptyFileError, "empty"),
        ("truncated.pdf", DamagedPdfError, "truncated or damaged"),
        ("encrypted.pdf", EncryptedPdfError, "encrypted"),
    ],
)
def test_bad_input_raises_one_clear_sentence(name, error, words):
    with pytest.raises(error) as caught:
        extract_document(fixture_bytes(name))
    message = str(caught.value)
    assert words in message and message.endswith(".") and "\n" not in message


def test_unmapped_glyphs_are_counted_and_dropped_from_lines():
    from pipeline.extract.pdf import count_unreadable, dedupe_chars

    chars = [_char("(cid:12)", 90, 100), _char("收", 105, 100), _char("\ufffd", 120, 100)]
    assert count_unreadable(chars) == 2
    assert len(dedupe_chars(chars)) == 3  # different glyphs at different places all stay


def test_fake_bold_doubles_are_merged_but_real_repeats_stay():
    from pipeline.extract.pdf import dedupe_chars

    chars = [_char("好", 90, 100), _char("好", 90.4, 100.2), _char("好", 105, 100)]
    assert [c["x0"] for c in dedupe_chars(chars)] == [90, 105]


def test_our_own_bug_while_reading_propagates_not_a_damaged_pdf(monkeypatch):
    from pipeline.extract import pdf

    def broken(page):
        raise KeyError("a bug of ours")

    monkeypatch.setattr(pdf, "_read_page", broken)
    with pytest.raises(KeyError, match="a bug of ours"):
        pdf.extract_document(fixture_bytes("two-pages-split-sentence.pdf"))


def test_an_error_inside_pdfminer_is_the_readers_and_one_in_our_code_is_ours():
    from pdfminer.utils import mult_matrix

    from pipeline.extract import pdf
    from pipeline.extract.lines import group_lines

    with pytest.raises(ValueError) as inside_pdfminer:
        mult_matrix((1, 2), (1, 0, 0, 1, 0, 0))  # a malformed matrix, as a damaged PDF has
    assert pdf.raised_by_reader(inside_pdfminer.value)
    with pytest.raises(KeyError) as inside_ours:
        group_lines([{"text": "x"}])
    assert not pdf.raised_by_reader(inside_ours.value)


def test_a_page_of_deeply_nested_forms_is_read_by_pdfminer_not_pdfium():
    """pdfium lays out every drawing of a form when it loads a page: ten forms each drawing the
    next ten times would take the machine's memory. Such a page is read by pdfminer (where the
    timeout stops it); a real report's page, drawing none or a few, by pdfium."""
    import io

    import pdfplumber
    from slowpdf import nested_forms_pdf

    from pipeline.extract import forms, pdfium_page

    with pdfplumber.open(io.BytesIO(nested_forms_pdf())) as pdf:
        assert forms.form_draws(pdf.pages[0].page_obj) > forms.MAX_FORM_DRAWS
        assert not pdfium_page.stands_in(pdf.pages[0])
    with pdfplumber.open(io.BytesIO(nested_forms_pdf(depth=2, fanout=3))) as pdf:
        assert forms.form_draws(pdf.pages[0].page_obj) == 1 + 3 + 3 * 3
        assert pdfium_page.stands_in(pdf.pages[0])
    with pdfplumber.open(io.BytesIO(fixture_bytes("self-eval-table.pdf"))) as pdf:
        assert forms.form_draws(pdf.pages[0].page_obj) == 0
