"""Pages without a usable text layer are read by Tesseract (chi_sim); the rest never are."""

from __future__ import annotations

import shutil
import subprocess
import time
from types import SimpleNamespace

import make_samples
import pdfplumber
import pytest
from helpers import FIXTURES, RAW, REAL_PDFS

import pipeline
from pipeline.errors import OcrUnavailableError
from pipeline.extract import extract_document, ocr, ocr_lines
from pipeline.extract.pdf import readable_chars
from pipeline.figures.confidence import LOW_CONFIDENCE
from pipeline.figures.document import figure_document
from pipeline.segment import segment_document

SCANNED = FIXTURES / "scanned-report.pdf"
SCANNED_SOURCE = make_samples.FIXTURE_SOURCES_DIR / "two-pages-split-sentence.txt"
TEXT_PDFS = sorted(RAW.glob("*.pdf")) + [
    FIXTURES / f for f in make_samples.FIXTURE_REPORTS.values()
]
# Every real PDF whose text layer is usable: none of its pages may go to OCR.
REAL_TEXT_PDFS = [
    p for p in sorted(REAL_PDFS.glob("*.pdf"))
    if p.name not in ("ysbg2025_huaian_founder_garbled.pdf", "zhaiwu2026_hebei_abbyy_ocr.pdf")
]  # fmt: skip
MIN_ACCURACY = 0.95

needs_tesseract = pytest.mark.skipif(
    ocr.tesseract_problem() is not None, reason="Tesseract with chi_sim is not installed"
)


@pytest.fixture()
def fresh_check():
    """Forget the cached Tesseract check before and after a test that fakes the system."""
    ocr.tesseract_problem.cache_clear()
    yield
    ocr.tesseract_problem.cache_clear()


def _squeeze(text: str) -> str:
    return "".join(text.split())


def levenshtein(a: str, b: str) -> int:
    """Return the edit distance between two strings (insertions, deletions, substitutions)."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def accuracy(source: str, read: str) -> float:
    """Return 1 − edit distance / length of the source, whitespace removed on both sides."""
    source, read = _squeeze(source), _squeeze(read)
    return 1 - levenshtein(source, read) / len(source)


# --------------------------------------------------------------------------- which pages


def _decisions(pdf_path) -> list[bool]:
    with pdfplumber.open(pdf_path) as pdf:
        return [ocr.needs_ocr(page, readable_chars(page)) for page in pdf.pages]


@pytest.mark.parametrize("pdf_path", TEXT_PDFS, ids=lambda p: p.name)
def test_pages_with_a_text_layer_are_not_ocred(pdf_path):
    assert _decisions(pdf_path) == [False] * len(_decisions(pdf_path))


@pytest.mark.realpdf
@pytest.mark.parametrize("pdf_path", REAL_TEXT_PDFS, ids=lambda p: p.name)
def test_no_page_of_a_real_text_pdf_goes_to_ocr(pdf_path):
    assert not any(_decisions(pdf_path))


def test_every_page_of_the_scan_is_ocred():
    assert _decisions(SCANNED) == [True, True]


def _page(chars="", images=(), curves=0, rotated=0) -> SimpleNamespace:
    """Return a stand-in for a pdfplumber A4 page."""
    glyphs = [{"text": c, "upright": True} for c in chars]
    glyphs += [{"text": "字", "upright": False}] * rotated
    return SimpleNamespace(
        chars=glyphs,
        images=[dict(zip(("x0", "top", "x1", "bottom"), box, strict=True)) for box in images],
        curves=[{}] * curves,
        bbox=(0, 0, 595, 842),
        width=595,
        height=842,
    )


FULL_PAGE = (0, 0, 595, 842)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (_page(), False),  # blank
        (_page(images=[FULL_PAGE]), True),  # a scan
        (_page(images=[(0, 0, 595, 421), (0, 421, 595, 842)]), True),  # a scan in two strips
        (_page(images=[(40, 40, 120, 90)]), False),  # a small logo on an empty page
        (_page(curves=200), True),  # text drawn as outlines
        (_page(chars="第3页", images=[FULL_PAGE]), True),  # a scan with a stamped page number
        (_page(chars="图1 组织架构", images=[(50, 100, 545, 300)]), False),  # a chart, a caption
        (_page(chars="部门整体支出绩效自评报告" * 3), False),
        (_page(chars=["(cid:12)"] * 40 + list("报告")), True),
        (_page(chars="\ufffd" * 30 + "报告" * 10), True),
        (_page(chars="\ue000\ue001" * 20), True),  # private use area
        (_page(chars="ÉÏº£ÊÐ²ÆÕþ¾Ö" * 3), True),  # 上海市财政局 in GBK read as Latin-1
        (_page(chars="\ufffd" * 5 + "报告" * 20), False),  # a few bad glyphs: text layer kept
        (_page(rotated=300), False),  # a landscape table: rotated text, not a scan
    ],
)
def test_needs_ocr_rule(page, expected):
    assert ocr.needs_ocr(page, [c for c in page.chars if c["upright"]]) is expected


# --------------------------------------------------------------------------- TSV → lines

TSV_COLUMNS = "level page_num block_num par_num line_num word_num left top width height conf text"
TSV_HEADER = "\t".join(TSV_COLUMNS.split())


def _tsv(rows) -> str:
    """Return Tesseract TSV for (line_num, left, width, text) words 60 px high, 300 dpi."""
    lines = [TSV_HEADER, "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t"]
    for line_num, left, width, text in rows:
        top = 400 + 100 * line_num
        lines.append(f"5\t1\t1\t1\t{line_num}\t1\t{left}\t{top}\t{width}\t60\t95.0\t{text}")
    return "\n".join(lines) + "\n"


def _read(rows) -> list[dict]:
    return ocr_lines.fix_quotes(
        ocr_lines.lines_from_words(ocr_lines.parse_tsv(_tsv(rows)), (0.24, 0.24), (0, 0))
    )


def test_line_text_drops_spaces_between_chinese_and_keeps_them_between_latin_words():
    lines = _read(
        [
            (1, 500, 60, "(1)"), (1, 570, 120, "部门"), (1, 700, 60, "预算"), (1, 770, 60, ":"),
            (2, 365, 120, "Hello"), (2, 500, 130, "world"), (2, 640, 60, "和"),
        ]
    )  # fmt: skip
    assert [ln["text"] for ln in lines] == ["（1）部门预算：", "Hello world 和"]


def test_line_box_is_in_pdf_points_and_its_size_is_the_font_size():
    (line,) = _read([(1, 365, 120, "部门"), (1, 500, 60, "预算")])
    assert (line["x0"], line["x1"]) == (87.6, 134.4)  # 365 px and 560 px at 300 dpi
    assert line["size"] == pytest.approx(60 / ocr_lines.CJK_INK_HEIGHT * 0.24, abs=0.01)
    assert line["bottom"] - line["top"] == pytest.approx(line["size"], abs=0.02)


def test_quotes_are_paired_by_context_and_order():
    lines = _read([(1, 365, 400, '组织实施"八五"普法，'), (2, 365, 400, "”第一议题”制度")])
    assert [ln["text"] for ln in lines] == ["组织实施“八五”普法，", "“第一议题”制度"]


def test_a_page_number_with_dashes_read_as_yi_is_a_page_number():
    (line,) = _read([(1, 1150, 50, "一"), (1, 1230, 20, "2"), (1, 1270, 50, "一")])
    assert line["text"] == "— 2 —"


def test_rules_are_painted_white_and_glyph_strokes_kept():
    from PIL import Image, ImageDraw

    image = Image.new("L", (1200, 400), 255)
    draw = ImageDraw.Draw(image)
    draw.line((50, 100, 1150, 100), fill=0, width=3)  # a table rule, 3.7 inches
    draw.line((600, 150, 600, 390), fill=0, width=3)  # a vertical rule, 0.8 inch
    draw.line((100, 250, 160, 250), fill=0, width=6)  # the stroke of 一, 0.2 inch
    cleaned = ocr.remove_rules(image)
    assert cleaned.getpixel((600, 100)) == 255 and cleaned.getpixel((600, 300)) == 255
    assert cleaned.getpixel((130, 250)) == 0


def test_a_skewed_scan_is_measured():
    with pdfplumber.open(SCANNED) as pdf:
        image = pdf.pages[0].to_image(resolution=ocr.RESOLUTION).original.convert("L")
    assert ocr.skew_angle(image) == pytest.approx(-make_samples.SCAN_SKEW, abs=0.1)


# --------------------------------------------------------------------------- Tesseract missing


def test_missing_tesseract_fails_the_document_with_the_install_sentence(monkeypatch, fresh_check):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    with pytest.raises(OcrUnavailableError) as raised:
        extract_document(SCANNED.read_bytes())
    message = str(raised.value)
    assert message.startswith("page 1 has no text layer and Tesseract OCR is not installed;")
    assert "apt-get install tesseract-ocr tesseract-ocr-chi-sim" in message


def test_missing_chinese_language_data_is_named(monkeypatch, fresh_check):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: "/usr/bin/tesseract")

    def list_langs(cmd, **kwargs):
        langs = "List of available languages (2):\neng\nosd\n"
        return subprocess.CompletedProcess(cmd, 0, langs, "")

    monkeypatch.setattr(ocr.subprocess, "run", list_langs)
    with pytest.raises(OcrUnavailableError, match=r"no Simplified Chinese \(chi_sim\)"):
        ocr.require_tesseract(3)


def test_the_check_runs_once_a_process(monkeypatch, fresh_check):
    calls = []
    monkeypatch.setattr(ocr.shutil, "which", lambda name: calls.append(name))
    for _ in range(3):
        with pytest.raises(OcrUnavailableError):
            ocr.require_tesseract()
    assert calls == ["tesseract"]


def test_a_batch_records_the_missing_tesseract_and_goes_on(monkeypatch, fresh_check, tmp_path):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SCANNED, raw)
    shutil.copy(FIXTURES / "two-pages-split-sentence.pdf", raw)
    result = pipeline.run([raw], out_dir=tmp_path / "out", work_dir=tmp_path / "work", jobs=1)
    rows = pipeline.load_table("documents", tmp_path / "out").set_index("source_path")
    scanned = rows.loc[next(p for p in rows.index if p.endswith(SCANNED.name))]
    assert result.counts["ok"] == 1 and scanned["status"] == "failed"
    assert "apt-get install tesseract-ocr tesseract-ocr-chi-sim" in scanned["error"]


# --------------------------------------------------------------------------- OCR for real


@pytest.fixture(scope="module")
def scanned_doc():
    """The scanned fixture through extract and segment, with the seconds OCR took a page."""
    start = time.perf_counter()
    extracted = extract_document(SCANNED.read_bytes())
    seconds = (time.perf_counter() - start) / extracted["n_pages"]
    return extracted, segment_document(extracted), seconds


@needs_tesseract
def test_scanned_report_reads_at_95_percent_character_accuracy(scanned_doc, record_property):
    extracted, segmented, seconds = scanned_doc
    source = "".join(make_samples.expected_paragraphs(SCANNED_SOURCE))
    measured = accuracy(source, segmented["text"])
    record_property("ocr_character_accuracy", round(measured, 4))
    record_property("ocr_seconds_per_page", round(seconds, 2))
    print(f"OCR character accuracy {measured:.4f}, {seconds:.2f} s a page")
    assert [page["source"] for page in extracted["pages"]] == ["ocr", "ocr"]
    assert [page["source"] for page in segmented["pages"]] == ["ocr", "ocr"]
    assert measured >= MIN_ACCURACY


@needs_tesseract
def test_scanned_report_reflows_into_the_source_paragraphs(scanned_doc):
    """Faithful line boxes: indents and short last lines give the source's paragraphs, and the
    sentence cut by the page break is joined."""
    _, segmented, _ = scanned_doc
    expected = make_samples.expected_paragraphs(SCANNED_SOURCE)
    got = segmented["text"].split("\n")
    assert len(got) == len(expected)
    for want, read in zip(expected, got, strict=True):
        assert accuracy(want, read) >= 0.9, (want, read)
    assert segmented["title"] is not None and "司法局" in segmented["title"]


@needs_tesseract
def test_figures_of_the_scan_carry_the_confidence_of_the_words_they_were_read_from(scanned_doc):
    _, segmented, _ = scanned_doc
    figures = figure_document(segmented)["figures"]
    count = next(f for f in figures if f["text"] == "136场次")  # printed on page 2, read right
    assert count["page_no"] == 2 and count["value"] == 136
    assert LOW_CONFIDENCE <= count["ocr_confidence"] <= 100 and not count["low_confidence"]
    page = segmented["pages"][1]
    read = [page["text"][s:e] for s, e, _ in page["ocr_conf_spans"]]
    assert "136" in "".join(read) and all(f["ocr_confidence"] is not None for f in figures)


@needs_tesseract
def test_running_header_and_page_number_of_the_scan_are_furniture(scanned_doc):
    extracted, segmented, _ = scanned_doc
    assert "— 2 —" in extracted["pages"][1]["furniture"]
    assert "绩效自评报告想" not in _squeeze(segmented["text"])


@needs_tesseract
def test_pipeline_marks_scanned_and_text_documents(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SCANNED, raw)
    shutil.copy(FIXTURES / "two-pages-split-sentence.pdf", raw)
    pipeline.run([raw], out_dir=tmp_path / "out", work_dir=tmp_path / "work", jobs=1)
    rows = pipeline.load_table("documents", tmp_path / "out")
    names = [path.rsplit("/", 1)[-1] for path in rows.source_path]
    sources = dict(zip(names, rows.text_source, strict=True))
    assert sources == {"scanned-report.pdf": "ocr", "two-pages-split-sentence.pdf": "text"}
    pages = pipeline.load_table("pages", tmp_path / "out")
    assert set(pages.source) == {"ocr", "text"}


@pytest.mark.parametrize(
    ("texts", "junk"),
    [
        # the 淮安 预算报告's text layer, as pdfplumber reads it (page 1)
        (
            list(
                "?@AB，C?DEFGHIJK。.、２０２５/01234567;<=>?@ABCD：２０２５5L&MNOPQR67ST３３５UV，WX"
            ),
            True,
        ),
        (list("一般公共预算财政拨款支出9746.50万元，占本年支出合计的99.86%。"), False),
        (list("The report covers the budget of the city for the year 2025, as approved."), False),
        (list("9,746.50 236.63 3,845.25 4,461.67 461.08 100.00 112.88"), False),  # a table
    ],
)
def test_is_junk_tells_a_text_layer_that_is_no_language(texts, junk):
    glyphs = [t for t in texts if not t.isspace()]
    assert ocr.is_junk(glyphs) is junk


@pytest.mark.realpdf
@pytest.mark.realpdf
def test_the_garbled_huaian_text_layer_is_read_by_ocr_as_unreadable():
    """pdfminer reads the glyphs of this text layer as ASCII junk (`not_language`); pdfium, the
    default reader since issue 15, sees that they map to no character (`unreadable`)."""
    from pipeline.extract import extract_document

    path = REAL_PDFS / "ysbg2025_huaian_founder_garbled.pdf"
    pages = extract_document(path.read_bytes())["pages"]
    assert {(p["source"], p.get("ocr_reason")) for p in pages} == {("ocr", "unreadable")}
    first = "".join(line["text"] for line in pages[0]["lines"])
    assert "一般公共预算收入335.3亿元" in first.replace(" ", "")


def test_make_samples_without_a_chinese_font_exits_with_one_sentence(monkeypatch, tmp_path):
    def no_font(out):
        raise make_samples.RenderError("pdfium drew almost no text on page 1: install a Chinese "
                                       "font (apt-get install fonts-wqy-zenhei)")  # fmt: skip

    monkeypatch.setattr(make_samples, "build_samples", lambda out: [])
    monkeypatch.setattr(make_samples, "build_fixtures", no_font)
    with pytest.raises(SystemExit, match=r"^make_samples: pdfium drew .*fonts-wqy-zenhei\)\.$"):
        make_samples.main(["--out-raw", str(tmp_path / "raw"),
                           "--out-fixtures", str(tmp_path / "fx")])  # fmt: skip
