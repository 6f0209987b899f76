"""Figure and facts stages on the shipped samples: the figures a reader counts, then identity,
metrics, checks, tasks and indicators."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import SEED_SAMPLE, fixture_bytes, through_facts


def _figure(doc, text):
    matches = [f for f in doc["figures"] if f["text"].replace(" ", "") == text]
    assert matches, f"{text} not found among {[f['text'] for f in doc['figures']]}"
    return matches[0]


@pytest.mark.parametrize(
    ("text", "value", "base_unit", "kind", "bound"),
    [
        ("18,518.32万元", 185183200.0, "元", "money", "exact"),
        ("99.6%", 99.6, "%", "percent", "exact"),
        ("95.46分", 95.46, "分", "score", "exact"),
        ("320余场次", 320.0, "场次", "count", "lower"),
        ("超过1.5万小时", 15000.0, "小时", "duration", "lower"),
        ("1065名", 1065.0, "名", "count", "exact"),
        ("百场", 100.0, "场", "count", "exact"),
    ],
)
def test_seed_sample_figures(seed_doc, text, value, base_unit, kind, bound):
    figure = _figure(seed_doc, text)
    assert (figure["value"], figure["base_unit"], figure["kind"], figure["bound"]) == (
        value,
        base_unit,
        kind,
        bound,
    )
    assert figure["source"] == "text" and figure["sentence_id"] is not None


def test_figure_offsets_point_into_the_cleaned_text(seed_doc):
    for figure in seed_doc["figures"]:
        if figure["source"] == "text":
            assert seed_doc["text"][figure["char_start"] : figure["char_end"]] == figure["text"]


@pytest.mark.parametrize("text", ["2023年", "第九届", "两个确立", "十二届六次全会", "40年", "5G"])
def test_no_figures_from_dates_ordinals_slogans_and_names(seed_doc, text):
    assert not [f for f in seed_doc["figures"] if text in f["text"]]


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("1065名", "在职党员"),
        ("320余场次", "学习教育活动"),
        ("140支", "志愿服务队"),
        ("120个", "宣讲团"),
        ("6,044.2万元", "基本支出"),
    ],
)
def test_subjects(seed_doc, text, subject):
    assert _figure(seed_doc, text)["subject"] == subject


def test_identity_from_the_title(seed_doc):
    assert seed_doc["identity"] == {
        "title": "2023年度中国共产党广州市委老干部局部门整体支出绩效自评报告",
        "organization": "中国共产党广州市委老干部局",
        "organization_key": "中国共产党广州市委员会老干部局",
        "year": 2023,
        "report_type": "部门整体支出绩效自评报告",
        "project": None,
    }


def test_headline_metrics_in_wan_yuan(seed_doc):
    metrics = {m["metric"]: m["value"] for m in seed_doc["metrics"]}
    assert metrics["income_total"] == 18518.32
    assert metrics["basic_expenditure"] == 6044.2
    assert metrics["budget_execution_rate"] == 99.6
    assert metrics["self_eval_score"] == 95.46
    assert metrics["project_budget_total"] == 12539.93


def test_the_seed_arithmetic_holds(seed_doc):
    checks = {c["check"]: c for c in seed_doc["checks"]}
    assert (
        checks["expenditure_split"]["ok"] and checks["expenditure_split"]["expected"] == 18518.32
    )
    assert checks["execution_rate"]["ok"] and checks["execution_rate"]["tolerance"] == 0.05


def test_tasks_are_numbered_items_with_their_sub_items(seed_doc):
    top = [
        t for t in seed_doc["tasks"] if t["level"] == 1 and t["marker"].startswith(tuple("123456"))
    ]
    assert [t["marker"] for t in top] == ["1.", "2.", "3.", "4.", "5.", "6."]
    first = top[0]
    subs = [t for t in seed_doc["tasks"] if t["parent_task_id"] == first["task_id"]]
    assert [t["marker"] for t in subs] == ["一是", "二是", "三是"]
    assert first["n_figures"] >= 5  # 320余场次, 1065名, 15条, 30个, 10个


def test_indicator_table_rows_and_cell_figures():
    doc = through_facts(fixture_bytes("self-eval-table.pdf"))
    rows = doc["indicators"]
    assert len(rows) == 4
    assert rows[1]["level3"] == "申请审查时限" and rows[1]["target"] == "≤5个工作日"
    assert rows[3]["level2"] == "服务对象满意度指标" and rows[3]["score"] == 19.0
    target = next(f for f in doc["figures"] if f["source"] == "table" and f["text"] == "≥95%")
    assert target["op"] == "≥" and target["value"] == 95.0 and target["row"] == 4


def test_a_figure_is_on_the_page_its_number_is_printed_on(seed_doc):
    # 整体支出绩效自评 … 95.46分: the sentence begins on page 6, the score stands on page 7
    score = next(f for f in seed_doc["figures"] if f["text"] == "95.46分")
    sentence = seed_doc["sentences"][score["sentence_id"]]
    assert (sentence["page_no"], score["page_no"]) == (6, 7)


def test_indicators_go_on_in_fewer_columns_when_the_header_merged_two():
    from pipeline.tables.indicators import find_indicators

    header = ["绩效指标", "一级指标", "二级指标", "三级指标", "三级指标", "指标值", "分值"]
    first = {"page_no": 5, "rows": [["项目名称", "培训经费", "培训经费", "培训经费", "培训经费",
                                     "培训经费", "培训经费"], header,
                                    ["绩效指标", "产出指标", "数量指标", "培训人数", "培训人数",
                                     "250人", "20"]]}  # fmt: skip
    went_on = {"page_no": 6, "rows": [["绩效指标", "效益指标", "社会效益指标", "参训者满意度",
                                       "90%", "10"]]}  # fmt: skip
    unrelated = {"page_no": 7, "rows": [["甲", "乙", "丙", "丁", "戊"]]}
    rows = find_indicators([first, went_on, unrelated])
    assert [(r["page_no"], r["level3"], r["target"], r["weight"], r["project"]) for r in rows] == [
        (5, "培训人数", "250人", 20.0, "培训经费"),
        (6, "参训者满意度", "90%", 10.0, "培训经费"),
    ]


def test_figures_are_spans_on_the_spacy_doc(seed_doc):
    from pipeline.views.spans import FIGURE_SPANS, figures_doc

    doc = figures_doc(seed_doc)
    assert doc.text == seed_doc["text"]
    spans = doc.spans[FIGURE_SPANS]
    assert len(spans) == sum(f["source"] == "text" for f in seed_doc["figures"])
    span = next(s for s in spans if s.text == "1065名")
    assert span.label_ == "count" and span._.figure["subject"] == "在职党员"
    assert span.sent.text.startswith("突出抓好党组织按期换届")


def test_the_stages_never_import_spacy():
    code = (
        "import sys\n"
        "from pipeline.runner.stages import stage_cores, warm_up\n"
        "warm_up()\n"
        "record = open(sys.argv[1], 'rb').read()\n"
        "for core in stage_cores().values():\n"
        "    record = core(record)\n"
        "assert record['figures'] and record['metrics']\n"
        "print('spacy' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(SEED_SAMPLE)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def cell_figures(table: dict) -> list[dict]:
    """Return the figures of one table's cells, read through the table model as the stage does."""
    from pipeline.figures.document import table_figures
    from pipeline.tables.model import model_tables

    table = {"page_no": 3, "table_id": 0, **table}
    return table_figures([table], model_tables([table])[1])


def test_bare_numbers_in_cells_take_the_unit_the_table_states():
    table = {
        "rows": [
            ["项目", "金额"],
            ["基本支出", "5,377.64"],
            ["项目支出", "4381.74"],
            ["科目编码", "2010301"],
        ],
        "above": ["收入支出决算总表", "单位：万元"],
    }
    found = [(f["row"], f["col"], f["value"], f["base_unit"], f["subject"], f["page_no"])
             for f in cell_figures(table)]  # fmt: skip
    assert found == [
        (1, 1, 53776400.0, "元", "基本支出", 3), (2, 1, 43817400.0, "元", "项目支出", 3),
    ]  # fmt: skip


def test_score_columns_and_code_columns():
    table = {
        "rows": [["科目编码", "三级指标", "分值", "得分"], ["2010301", "受援人满意度", "20", "19"]]
    }
    found = [(f["col"], f["kind"], f["value"], f["subject"]) for f in cell_figures(table)]
    assert found == [(2, "score", 20.0, "受援人满意度"), (3, "score", 19.0, "受援人满意度")]


def test_a_table_number_is_one_figure_from_its_table_value():
    # The unit column (万人次) holds no figure; a % column is % whatever the note says; a cell
    # that is one figure keeps its own unit and comparison; a figure in a cell of text is found
    # by the grammar, its subject the row's label.
    table = {
        "rows": [
            ["指标", "单位", "绝对数", "比上年增长（%）", "目标值", "说明"],
            ["接待游客", "万人次", "17906.41", "8.5", "≥95%", "开展活动不少于5次"],
        ],
        "above": ["单位：万元"],
    }
    found = [(f["col"], f["text"], f["value"], f["base_unit"], f["op"], f["subject"],
              f["column_label"], f["doc_table_id"]) for f in cell_figures(table)]  # fmt: skip
    assert found == [
        (2, "17906.41", 179064100.0, "人次", None, "接待游客", "绝对数", 0),
        (3, "8.5", 8.5, "%", None, "接待游客", "比上年增长（%）", 0),
        (4, "≥95%", 95.0, "%", "≥", "接待游客", "目标值", 0),
        (5, "不少于5次", 5.0, "次", "≥", "接待游客", None, None),
    ]


def test_displacy_renders_the_figures(seed_doc):
    from pipeline.views.spans import figures_doc, render_figures

    html = render_figures(figures_doc(seed_doc))
    assert html.startswith("<!DOCTYPE html>")
    assert "1065" in html and ">count<" in html.replace(" ", "").replace("\n", "")
