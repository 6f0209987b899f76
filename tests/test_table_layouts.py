"""Table layouts on small generated PDFs, read through extraction, segmentation and the table
model: no row rules, a table going on over a page break without its header, a 单位 column and a
% column, the 栏次 row, codes in three 类/款/项 columns. (These prove the layout rules; accuracy
is measured on the real tables in tests/test_table_model.py.)"""

from __future__ import annotations

from pdfmaker import BODY, FONT, canvas_pdf, flow_pdf, grid_table
from reportlab.platypus import Paragraph

from pipeline.extract import extract_document
from pipeline.segment import segment_document
from pipeline.tables.model import model_tables


def tables_of(pdf: bytes) -> tuple[list[dict], list[dict]]:
    return model_tables(segment_document(extract_document(pdf))["tables"])


def cells(values: list[dict]) -> list[tuple]:
    return [
        (v["page_no"], v["row_label"], v["column_label"], v["amount"], v["unit"]) for v in values
    ]


def test_column_rules_without_row_rules_give_one_row_per_line():
    rows = [
        ("一、年初余额", "", "7,435.05"),
        ("二、限额", "8,225.44", ""),
        ("三、发行额", "", "1,022.21"),
    ]

    def draw(c):
        c.drawString(60, 800, "河北省地方政府一般债务余额情况表")
        c.setFont(FONT, 9)
        c.drawString(400, 780, "单位：亿元")
        left, right, top, bottom, cols = 50, 500, 770, 640, (50, 300, 400, 500)
        c.rect(left, bottom, right - left, top - bottom)
        c.line(left, top - 18, right, top - 18)  # under the header only
        for x in cols[1:-1]:
            c.line(x, top, x, bottom)
        for x, text in zip(cols, ("项目", "预算数", "执行数"), strict=False):
            c.drawString(x + 10, top - 13, text)
        for i, row in enumerate(rows):
            y = top - 40 - i * 30
            c.drawString(55, y, row[0])
            for x, text in zip((395, 495), row[1:], strict=True):
                c.drawRightString(x, y, text)

    tables, values = tables_of(canvas_pdf(draw))
    assert tables[0]["unit"] == "亿元" and tables[0]["n_rows"] == 4
    assert cells(values) == [
        (1, "一、年初余额", "执行数", 7435.05, "亿元"),
        (1, "二、限额", "预算数", 8225.44, "亿元"),
        (1, "三、发行额", "执行数", 1022.21, "亿元"),
    ]


def test_a_table_going_on_over_a_page_break_without_its_header_is_one_table():
    header = [["科目编码", "科目名称", "本年支出合计"]]
    body = [[f"20101{i:02d}", f"支出项目{i}", f"{i}.50"] for i in range(1, 61)]
    pdf = flow_pdf(
        [
            Paragraph("支出决算表", BODY),
            Paragraph("单位：万元", BODY),
            grid_table(header + body, [90, 200, 100]),
        ]
    )
    tables, values = tables_of(pdf)
    assert len(tables) == 1 and tables[0]["last_page"] == 2 and tables[0]["kind"] == "支出决算表"
    assert len(values) == 60 and {v["unit"] for v in values} == {"万元"}
    last = values[-1]
    assert (last["page_no"], last["row_label"], last["column_label"]) == (
        2,
        "支出项目60",
        "本年支出合计",
    )
    assert (last["code"], last["parent_code"], last["value"]) == ("2010160", "20101", 605000.0)


def test_a_unit_column_a_percent_column_and_the_column_numbers_row():
    rows = [
        ["指标", "单位", "绝对数", "比上年增长（%）"],
        ["栏次", "", "1", "2"],
        ["货物运输总量", "万吨", "29991.95", "-1.8"],
        ["旅客运输总量", "万人次", "17906.41", "1.3"],
    ]
    pdf = flow_pdf(
        [Paragraph("表3 2025年客货运输量及其增长速度", BODY), grid_table(rows, [120] * 4)]
    )
    _, values = tables_of(pdf)
    assert [(v["row_label"], v["unit"], v["value"], v["kind"]) for v in values] == [
        ("货物运输总量", "万吨", 299919500.0, "weight"),
        ("货物运输总量", "%", -1.8, "percent"),
        ("旅客运输总量", "万人次", 179064100.0, "count"),
        ("旅客运输总量", "%", 1.3, "percent"),
    ]


def test_codes_in_three_columns():
    rows = [
        ["类", "款", "项", "科目名称", "合计"],
        ["201", "", "", "一般公共服务支出", "82,096,797.42"],
        ["201", "03", "", "政府办公厅（室）及相关机构事务", "82,096,797.42"],
        ["201", "03", "01", "行政运行", "12,029,501.84"],
    ]
    pdf = flow_pdf([Paragraph("单位：元", BODY), grid_table(rows, [40, 40, 40, 200, 110])])
    _, values = tables_of(pdf)
    assert [(v["code"], v["code_level"], v["parent_code"], v["value"]) for v in values] == [
        ("201", 1, None, 82096797.42),
        ("20103", 2, "201", 82096797.42),
        ("2010301", 3, "20103", 12029501.84),
    ]
