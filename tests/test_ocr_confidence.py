"""OCR confidence from Tesseract's words to the figures: each character keeps the confidence of
the word it was read from through the OCR line clean-up and the segment stage's normalisation
and reflow, so a figure's `ocr_confidence` is that of the words its number and unit came from."""

from __future__ import annotations

import pytest
from helpers import RAW

import pipeline
from pipeline import traced
from pipeline.extract import extract_document, ocr_lines
from pipeline.figures.document import figure_document
from pipeline.load import summarize
from pipeline.schema import TABLES
from pipeline.segment import segment_document
from pipeline.segment.structure import clean_line, clean_traced

# --------------------------------------------------------------------------- the edits


def test_an_edit_gives_its_new_text_the_lowest_confidence_of_what_it_replaces():
    text, conf = traced.apply_edits("ab cd", [10, 20, None, 30, 40], [(1, 4, "X"), (4, 5, "")])
    assert (text, conf) == ("aX", [10, 20])


def test_spans_and_confidences_are_one_another():
    conf = [90.0, 90.0, None, 46.0, 46.0, 85.0]
    assert traced.to_spans(conf, 10) == [[10, 12, 90.0], [13, 15, 46.0], [15, 16, 85.0]]
    assert traced.from_spans(traced.to_spans(conf), len(conf)) == conf


LINES = [
    "１８，５１８．３２万元",
    "收入(cid:3)合计\ufffd 9859.38 万元",
    "支出167.2亿元⑩，转移性收⑤支数",
    "共  3\u3000个  ",
    "  ⻔户网站 Microsoft Word 文档 ㎡",
    "（一）部门职能：",
]


@pytest.mark.parametrize("text", LINES)
def test_a_traced_line_is_cleaned_as_an_untraced_one(text):
    cleaned, conf = clean_traced(text, [float(i) for i in range(len(text))])
    assert cleaned == clean_line(text) and len(conf) == len(cleaned)


def test_every_line_of_the_samples_is_cleaned_the_same_traced():
    pages = extract_document((RAW / "2023_gz_laoganbu_zhengti_zipingbaogao.pdf").read_bytes())
    texts = [line["text"] for page in pages["pages"] for line in page["lines"]]
    assert texts and all(clean_traced(t, [1.0] * len(t))[0] == clean_line(t) for t in texts)


def test_a_cleaned_character_keeps_the_confidence_of_the_one_it_came_from():
    text = "①限额 １３２９.５ 亿元"
    conf = [float(i) for i in range(len(text))]  # each character's index as its confidence
    cleaned, traced_conf = clean_traced(text, conf)
    assert cleaned == "限额1329.5亿元"
    assert traced_conf == [1.0, 2.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 11.0, 12.0]


# --------------------------------------------------------------------------- Tesseract words

TSV_HEADER = "level page_num block_num par_num line_num word_num left top width height conf text"


def _tsv_line(words) -> str:
    """Return Tesseract TSV for one line of (left, width, text, conf) words, 60 px high."""
    rows = [TSV_HEADER.replace(" ", "\t")]
    for left, width, text, conf in words:
        rows.append(f"5\t1\t1\t1\t1\t1\t{left}\t500\t{width}\t60\t{conf}\t{text}")
    return "\n".join(rows) + "\n"


def test_a_line_read_by_ocr_knows_which_word_each_stretch_came_from():
    words = [(300, 20, "(", 50.0), (330, 30, "1", 70.0), (370, 150, ")部门", 90.0),
             (525, 120, "预算", 40.0), (650, 30, ":", 80.0)]  # fmt: skip
    words_read = ocr_lines.parse_tsv(_tsv_line(words))
    (line,) = ocr_lines.lines_from_words(words_read, (0.24, 0.24), (0, 0))
    assert line["text"] == "（1）部门预算："
    assert line["conf_spans"] == [[0, 1, 50.0], [1, 2, 70.0], [2, 5, 90.0], [5, 7, 40.0],
                                  [7, 8, 80.0]]  # fmt: skip


# --------------------------------------------------------------------------- to the figures


def _line(pieces, x0: float, top: float, x1: float = 520.0, size: float = 12.0) -> dict:
    """Return an extracted line of (text, confidence) pieces (no confidences: a text layer)."""
    text = "".join(t for t, _ in pieces)
    line = {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": top + size, "size": size}
    if any(c is not None for _, c in pieces):
        conf = [c for t, c in pieces for _ in t]
        line["conf_spans"] = traced.to_spans(conf)
    return line


def _page(page_no: int, lines: list[dict], source: str) -> dict:
    return {"page_no": page_no, "width": 595.0, "height": 842.0, "lines": lines, "tables": [],
            "source": source, "furniture": []}  # fmt: skip


@pytest.fixture(scope="module")
def figured():
    """A text page, then an OCR'd sentence over two pages whose number 1329.3 was read with
    confidence 46: full-width digits, a dropped (cid:N) and ①, spaces beside the unit."""
    limit = [("①", 30.0), ("政府", 90.0), ("(cid:5)", 20.0), ("债务限额", 90.0), (" ", None),
             ("１３２９.３", 46.0), (" ", None), ("亿元，", 85.0), ("其中一般", 90.0)]  # fmt: skip
    debts = [("债务", 88.0), ("448.7", 75.0), ("亿元，专项债务", 88.0)]
    pages = [
        _page(1, [_line([("一般公共预算收入335.3亿元，增幅3%。", None)], 96, 100, 300)], "text"),
        _page(2, [_line(limit, 96, 100)], "ocr"),
        _page(
            3,
            [_line(debts, 72, 100), _line([("880.8", 91.0), ("亿元。", 88.0)], 72, 118, 300)],
            "ocr",
        ),
    ]
    return figure_document(segment_document({"n_pages": 3, "pages": pages}))


def test_a_figure_carries_the_lowest_confidence_of_its_number_and_unit(figured):
    rows = {f["text"]: (f["page_no"], f["ocr_confidence"], f["low_confidence"])
            for f in figured["figures"]}  # fmt: skip
    assert rows == {
        "335.3亿元": (1, None, False),  # a text layer: no confidence
        "3%": (1, None, False),
        "1329.3亿元": (2, 46.0, True),
        "448.7亿元": (3, 75.0, False),  # on the next page of the same sentence
        "880.8亿元": (3, 88.0, False),
    }


def test_a_page_names_the_confidence_of_each_stretch_of_its_text(figured):
    page = figured["pages"][1]
    read = {page["text"][s:e]: c for s, e, c in page["ocr_conf_spans"]}
    assert page["text"] == "政府债务限额1329.3亿元，其中一般"
    # the (cid:5) between 政府 and 债务限额 is dropped: one stretch of one confidence is left
    assert read == {"政府债务限额": 90.0, "1329.3": 46.0, "亿元，": 85.0, "其中一般": 90.0}
    assert figured["pages"][0]["ocr_conf_spans"] == []


def test_a_merged_title_and_a_space_between_latin_words_keep_the_confidences_in_place():
    title = [_line([("年度报告", 95.0)], 250, 60, 345, 20),
             _line([("共3个部门", 33.0)], 245, 90, 350, 20)]  # fmt: skip
    body = [
        _line([("完成项目12个，报送", 90.0), ("PDF", 80.0)], 96, 200),
        _line([("Word", 70.0), ("文档", 60.0), ("50份", 91.0), ("。", 20.0)], 72, 218, 200),
    ]
    extracted = {"n_pages": 1, "pages": [_page(1, title + body, "ocr")]}
    doc = figure_document(segment_document(extracted))
    assert doc["title"] == "年度报告共3个部门"
    assert "报送PDF Word文档50份。" in doc["text"]
    rows = {f["text"]: f["ocr_confidence"] for f in doc["figures"]}
    assert rows == {"共3个": 33.0, "12个": 90.0, "50份": 91.0}


# --------------------------------------------------------------------------- the tables


def test_the_figures_table_has_the_columns_and_the_run_counts_the_flagged():
    assert {"ocr_confidence", "low_confidence"} <= set(TABLES["figures"].names)
    read = [(None, False), (46.0, True), (88.0, False)]
    rows = [{"doc_id": "d", "figure_id": i, "ocr_confidence": c, "low_confidence": low}
            for i, (c, low) in enumerate(read)]  # fmt: skip
    tables = {name: pipeline.io.to_arrow([], schema) for name, schema in TABLES.items()}
    tables["figures"] = pipeline.io.to_arrow(rows, TABLES["figures"])
    assert summarize(tables)["low_confidence"] == 1


def test_a_space_ocr_reads_after_a_decimal_point_is_dropped():
    from pipeline.segment.normalize import drop_cjk_spaces_traced

    text = "完成社会保险基金支出112. 1亿元，1. 2025年全市"
    joined, conf = drop_cjk_spaces_traced(text, [90.0] * len(text))
    assert joined == "完成社会保险基金支出112.1亿元，1. 2025年全市" and len(conf) == len(joined)
    assert drop_cjk_spaces_traced(text, None)[0] == text  # a text layer keeps its spaces
