"""Extraction behaviours on small generated PDFs: fake bold, rotated labels, frames, tables
that go on over a page break, dense tables, paragraph starts."""

from __future__ import annotations

import pytest
from helpers import REAL_PDFS
from pdfmaker import BODY, canvas_pdf, flow_pdf, grid_table, rotated
from reportlab.platypus import Paragraph

from pipeline.extract import extract_document
from pipeline.extract.lines import group_lines
from pipeline.segment import segment_document
from pipeline.segment.structure import reflow
from pipeline.tables.indicators import find_indicators


def _body(doc) -> str:
    return "".join(ln["text"] for page in doc["pages"] for ln in page["lines"])


def test_fake_bold_doubled_glyphs_are_read_once():
    def draw(c):
        for dx in (0, 0.4):  # a word processor's fake bold: the text struck twice
            c.drawString(90 + dx, 700, "年度收入合计2946.25万元")

    doc = extract_document(canvas_pdf(draw))
    assert _body(doc) == "年度收入合计2946.25万元"


def test_rotated_chart_labels_stay_out_of_the_body():
    def draw(c):
        c.drawString(90, 700, "全年预算执行率99.6%。")
        c.saveState()
        c.translate(300, 400)
        c.rotate(90)
        c.drawString(0, 0, "单位万元轴标签")
        c.restoreState()

    assert _body(extract_document(canvas_pdf(draw))) == "全年预算执行率99.6%。"


def test_unmapped_glyphs_are_counted_per_page():
    doc = extract_document(canvas_pdf(lambda c: c.drawString(90, 700, "正常文字")))
    assert doc["pages"][0]["n_unreadable"] == 0 and doc["pages"][0]["source"] == "text"


def test_dense_table_rows_stay_apart():
    chars = []
    for row, top in enumerate((100.0, 111.0, 122.0)):  # 10pt glyphs on an 11pt pitch
        for i, ch in enumerate(f"项目{row}合计"):
            chars.append(
                {
                    "text": ch,
                    "x0": 90 + 10 * i,
                    "x1": 99 + 10 * i,
                    "top": top,
                    "bottom": top + 10,
                    "size": 10,
                    "upright": True,
                }
            )
    assert [ln["text"] for ln in group_lines(chars)] == ["项目0合计", "项目1合计", "项目2合计"]


def test_prose_in_a_ruled_frame_is_body_text_and_the_table_below_it_a_table():
    prose = (
        "（三）政府信息管理情况。加强区政府门户网站及政务新媒体日常管理，运用第三方检测"
        "平台开展常态化监测，严格执行信息发布审核制度，确保信息发布准确规范。"
    )
    rows = [
        [prose, "", ""],
        ["信息内容", "本年新制发件数", "本年废止件数"],
        ["规章", "0", "0"],
        ["行政规范性文件", "3", "1"],
    ]
    pdf = flow_pdf([grid_table(rows, [160, 130, 130], spans=[((0, 0), (2, 0))])])
    segmented = segment_document(extract_document(pdf))
    assert "运用第三方检测平台开展常态化监测" in segmented["text"]
    (table,) = segmented["tables"]
    assert table["rows"] == rows[1:]


def test_indicator_table_continued_on_the_next_page_keeps_every_row():
    header = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    body = [
        ["产出指标", "数量指标", f"第{i}项服务对象满意度指标", "≥90%", "95%", "2", "2"]
        for i in range(1, 61)
    ]
    pdf = flow_pdf([Paragraph("绩效自评表如下。", BODY), grid_table([header] + body, [60] * 7)])
    segmented = segment_document(extract_document(pdf))
    assert len({t["page_no"] for t in segmented["tables"]}) >= 2
    indicators = find_indicators(segmented["tables"])
    assert [r["level3"] for r in indicators] == [row[2] for row in body]
    assert indicators[-1]["target"] == "≥90%" and indicators[-1]["score"] == 2.0


def _line(text, x0, x1=500.0, top=100.0):
    return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": top + 12, "size": 12}


def test_a_new_paragraph_starts_at_an_indent_or_a_marker_after_a_full_stop():
    lines = [
        _line("一是强化理论武装，组织集中学习二十八次，并开展", 114, top=100),
        _line("专题研讨。", 90, 160, top=118),
        _line("开展专题调研十二次，形成调研报告五篇，提出工作建", 114, top=136),
        _line("议三十条。", 90, 150, top=154),
        _line("二是压实责任，推动各项任务落实落细，确保取得实效，", 90, top=172),
        _line("年底前全部完成各项任务，推动形成长效机制，全部完成。", 90, top=190),
        _line("三是加强督查，对发现的问题建立台账、逐项销号，并于", 90, top=208),
        _line("年底前完成。", 90, 200, top=226),
    ]
    texts = [p.text for p in reflow([{"page_no": 1, "lines": lines}])]
    assert texts == [
        "一是强化理论武装，组织集中学习二十八次，并开展专题研讨。",
        "开展专题调研十二次，形成调研报告五篇，提出工作建议三十条。",
        "二是压实责任，推动各项任务落实落细，确保取得实效，"
        "年底前全部完成各项任务，推动形成长效机制，全部完成。",
        "三是加强督查，对发现的问题建立台账、逐项销号，并于年底前完成。",
    ]


def test_a_short_line_cut_before_a_long_number_does_not_end_the_paragraph():
    lines = [
        _line("上海市普陀区规划和自然资源局年度收入支出总计", 114, 460, top=100),
        _line("9859.38 万元。与上年相比增加 1062.85", 90, 500, top=118),
        _line("万元。", 90, 130, top=136),
    ]
    (paragraph,) = reflow([{"page_no": 1, "lines": lines}])
    assert (
        paragraph.text
        == "上海市普陀区规划和自然资源局年度收入支出总计9859.38万元。与上年相比增加1062.85万元。"
    )


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_page_turned_by_its_rotate_entry_reads_in_printed_order(degrees):
    def draw(c):
        c.drawString(90, 700, "年度收入合计2946.25万元")
        c.drawString(90, 680, "第二行文字")

    doc = extract_document(rotated(canvas_pdf(draw), degrees))
    assert [ln["text"] for ln in doc["pages"][0]["lines"]] == [
        "年度收入合计2946.25万元",
        "第二行文字",
    ]


def test_a_landscape_page_drawn_turned_and_turned_back_by_rotate_reads_upright():
    def draw(c):
        c.saveState()
        c.translate(300, 100)
        c.rotate(90)  # drawn sideways on the portrait page; /Rotate 90 shows it upright
        c.drawString(0, 0, "横排表格标题123.45万元")
        c.restoreState()

    doc = extract_document(rotated(canvas_pdf(draw), 90))
    assert [ln["text"] for ln in doc["pages"][0]["lines"]] == ["横排表格标题123.45万元"]


@pytest.mark.realpdf
@pytest.mark.realpdf
def test_a_page_number_above_the_footer_band_is_furniture():
    path = REAL_PDFS / "tjgb2025_xian_wps.pdf"
    pages = extract_document(path.read_bytes())["pages"]
    assert [p["furniture"] for p in pages[:6]] == [[f"— {n} —"] for n in range(1, 7)]


def test_white_on_white_text_is_dropped_and_white_on_colour_is_read():
    """White-on-white text (a template's leftover, a keyword stuffing) is not read; white text
    on a coloured header cell is."""
    from pdfmaker import canvas_pdf

    def draw(canvas):
        canvas.drawString(72, 760, "本年收入合计9746.50万元。")
        canvas.setFillColorRGB(1, 1, 1)
        canvas.drawString(72, 730, "隐藏收入8888.88万元。")
        canvas.setFillColorRGB(0.2, 0.3, 0.6)
        canvas.rect(70, 690, 300, 24, fill=1, stroke=0)
        canvas.setFillColorRGB(1, 1, 1)
        canvas.drawString(72, 697, "表头白字7777.77万元。")

    from pipeline.extract import extract_document

    doc = extract_document(canvas_pdf(draw))
    text = "\n".join(ln["text"] for page in doc["pages"] for ln in page["lines"])
    assert "9746.50" in text and "7777.77" in text
    assert "8888.88" not in text and "隐藏" not in text


@pytest.mark.realpdf
def test_the_dashes_around_a_page_number_do_not_split_a_sentence_across_pages():
    """鄂州's 预算报告 prints `— 1 —` with the number on a baseline of its own: the dashes
    were left as a line and stood inside the sentence that crosses from p.1 to p.2."""
    pdf = (REAL_PDFS / "ysbg2025_ezhou_founder.pdf").read_bytes()
    text = segment_document(extract_document(pdf))["text"]
    assert "— —" not in text
    assert "算（以下简称“预算”）的98.7%" in text
