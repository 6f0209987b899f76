"""The reading self-checks: where the pipeline doubts its own reading of a document, and the
misreadings they caught, each fixed by a general rule and tested on a real page."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from helpers import REAL_PDFS, SEED_SAMPLE, through_facts

from pipeline.cli import main
from pipeline.facts.reading import (
    READ_TWICE,
    figures_on_their_page,
    longest_shared,
    numeric_cells_read,
    table_sums_hold,
    text_read_once,
)
from pipeline.vocabulary import CheckFamily, FigureSource, ReadingCheck


def _figure(text: str, page_no: int) -> dict:
    return {"text": text, "page_no": page_no, "source": FigureSource.TEXT}


def _pages(*texts: str) -> list[dict]:
    return [{"page_no": n, "text": text} for n, text in enumerate(texts, 1)]


def test_a_figure_is_on_its_page_when_its_text_is():
    pages = _pages("年度收入18,518.32万元。", "支出9,101.68万元。")
    row = figures_on_their_page([_figure("18,518.32万元", 1), _figure("9,101.68万元", 1)], pages)
    assert (row["checked"], row["failed"], row["pages"]) == (2, 1, [1])
    assert row["examples"] == ["p.1: 9,101.68万元 (not in the text of page 1)"]


def test_a_figure_printed_across_a_page_break_stands_on_both_pages():
    pages = _pages("预留政府采购项目预算金额164.87", "万元。在面向中小企业", "其他。")
    assert figures_on_their_page([_figure("164.87万元", 1)], pages)["failed"] == 0
    assert figures_on_their_page([_figure("164.87万元", 2)], pages)["failed"] == 0
    assert figures_on_their_page([_figure("164.87万元", 3)], pages)["failed"] == 1


def test_a_page_that_reads_the_page_before_again_fails():
    long = "".join(f"第{n}项工作按计划完成，资金{n}万元已拨付到位；" for n in range(1, 12))
    assert len(long) >= READ_TWICE
    row = text_read_once(_pages(long, "其他内容。" + long, "另一页的内容。", long[:100]))
    assert (row["checked"], row["failed"], row["pages"]) == (4, 1, [2])
    assert row["examples"][0].startswith(f"p.2: {len(long)} characters of page 1 read again")


def test_the_longest_shared_stretch_of_two_texts():
    stems = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉"
    assert longest_shared(stems + "戌亥", "天地" + stems + "玄黄") == stems
    assert longest_shared("短文本", "短文本") == ""


def test_numeric_cells_that_are_codes_years_or_column_numbers_are_explained():
    rows = [
        ["科目编码", "科目名称", "年度", "合计"],
        ["栏次", "", "1", "2"],
        ["2010101", "行政运行", "2024", "12.50"],
        ["", "其他", "", "7.25"],
    ]
    tables = [{"table_id": 0, "page_no": 3, "rows": rows}]
    values = [{"cells_table_id": 0, "row": 2, "col": 3}]
    row = numeric_cells_read(tables, values)
    assert (row["checked"], row["failed"]) == (6, 1)
    assert row["examples"] == ["p.3: 7.25 (table 0, row 3, column 3)"]


def test_a_table_failing_two_of_its_own_sums_is_called_probably_misread():
    checks = [
        {"family": CheckFamily.TABLE_SUM, "table_id": 1, "ok": False},
        {"family": CheckFamily.TABLE_SUM, "table_id": 1, "ok": False},
        {"family": CheckFamily.TABLE_SUM, "table_id": 2, "ok": True},
        {"family": CheckFamily.TABLE_SUM, "table_id": 3, "ok": False},
    ]
    tables = [{"table_id": n, "title": f"表{n}", "kind": "other", "first_page": n}
              for n in (1, 2, 3)]  # fmt: skip
    row = table_sums_hold(checks, tables)
    assert (row["checked"], row["failed"], row["pages"]) == (3, 2, [1, 3])
    assert row["examples"] == ["p.1: 表1: 2 sums fail (probably misread)", "p.3: 表3: 1 sums fail"]


def test_every_document_gets_each_reading_self_check(seed_doc):
    assert [row["check"] for row in seed_doc["reading"]] == list(ReadingCheck)


@pytest.mark.realpdf
def test_a_page_of_tables_does_not_take_the_figures_of_the_running_text():
    """A page with no running text (a page of tables) once opened the text at offset 0, and the
    figures of later pages were given its number (all on page 15 of this 部门预算)."""
    record = through_facts((REAL_PDFS / "yusuan2025_putuo_zhengfubangongshi_wps.pdf").read_bytes())
    on_page = next(r for r in record["reading"] if r["check"] == ReadingCheck.FIGURE_ON_PAGE)
    assert on_page["checked"] >= 60 and on_page["failed"] == 0
    pages = record["pages"]
    assert all(a["char_end"] <= b["char_start"] for a, b in zip(pages, pages[1:], strict=False))
    in_text = [f for f in record["figures"] if f["text"] == "9,101.68万元"]
    assert in_text and {f["page_no"] for f in in_text} != {15}


def test_pipeline_audit_prints_each_self_check_over_the_documents(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / SEED_SAMPLE.name).write_bytes(SEED_SAMPLE.read_bytes())
    out, work = tmp_path / "out", tmp_path / "work"
    result = CliRunner().invoke(
        main, ["audit", str(raw), "--out", str(out), "--work", str(work), "-j", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "1 documents, 1 ok, 0 failed" in result.output
    for check in ReadingCheck:
        assert f"  {check}" in result.output
    assert "Checks of the reports:" in result.output
    again = CliRunner().invoke(main, ["audit", "--out", str(out)])
    assert again.exit_code == 0 and "figure_on_page" in again.output


CORPUS = REAL_PDFS.parent / "corpus"
CLIPPED_FRAME = CORPUS / "province_fiscal__2025__official__guangdong_2025_budget_attachment_3.pdf"


def _page_text(path, page_no: int, seen: bool) -> str:
    import pypdfium2 as pdfium

    from pipeline.extract.pdfium_page import read_chars
    from pipeline.extract.visibility import Visibility

    doc = pdfium.PdfDocument(path)
    page = doc[page_no - 1]
    textpage = page.get_textpage()
    try:
        chars = read_chars(textpage, page.get_size()[1], Visibility(page) if seen else None)
    finally:
        textpage.close()
        page.close()
        doc.close()
    return "".join(c["text"] for c in chars)


@pytest.mark.skipif(not CLIPPED_FRAME.exists(), reason="../shared/corpus is absent")
def test_a_text_frame_clipped_at_a_page_break_is_read_on_the_page_that_shows_it():
    """表74 of a 广东 budget attachment: its 备注 frame runs from the foot of p.234 onto p.235,
    drawn whole on both pages and clipped to each (checked on the rendering)."""
    first, second = (_page_text(CLIPPED_FRAME, n, seen=True) for n in (234, 235))
    shown_on_first, shown_on_second = "1.标记△的食品安全监管", "一是将未实行项目制管理的资金"
    assert shown_on_first in first and shown_on_first not in second
    assert shown_on_second in second and shown_on_second not in first
    assert shown_on_first in _page_text(CLIPPED_FRAME, 235, seen=False)  # read twice, unclipped


@pytest.mark.realpdf
def test_show_and_the_review_site_name_the_reading_in_doubt(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    name = "yusuan2025_putuo_zhengfubangongshi_wps.pdf"
    (raw / name).write_bytes((REAL_PDFS / name).read_bytes())
    out = tmp_path / "out"
    paths = ["--out", str(out), "--work", str(tmp_path / "work"), "-j", "1"]
    assert CliRunner().invoke(main, ["run", str(raw), *paths]).exit_code == 0
    shown = CliRunner().invoke(main, ["show", name, "--out", str(out)])
    assert "reading in doubt (our reading, not the report):" in shown.output
    assert "numeric_cells_read" in shown.output and "p.10: 11 (table 2" in shown.output
    assert CliRunner().invoke(main, ["review", "--out", str(out)]).exit_code == 0
    page = next((out / "review" / "doc").glob("*.html")).read_text("utf-8")
    assert "<h2>Reading in doubt</h2>" in page and 'href="#page-10">p.10</a>' in page
