"""Headline metrics: which wording names which metric, for which year and scope, in which
genre; rates and changes printed after a statement; metrics from tables. Sentences here are
worded like the shared real reports (ezhou, huaian, pingdingshan, xian); the real values are
asserted in test_real_pdfs.py."""

from __future__ import annotations

import pytest

from pipeline.facts.metric_context import named_year, statement_scope, statement_year, year_marks
from pipeline.facts.metrics import find_metrics
from pipeline.quantities.grammar import find_figures

BUDGET_REPORT = {"report_type": "预算报告", "year": 2025, "organization": "鄂州市财政局"}
FINAL_ACCOUNTS = {"report_type": "部门决算", "year": 2024, "organization": "某某局"}


def record(*sections: tuple[str, list[str]], tables=(), values=()) -> dict:
    """Return a facts-stage record of sections (heading, sentences), its figures found by the
    grammar."""
    sentences, figures, heads, offset = [], [], [], 0
    for section_id, (heading, texts) in enumerate(sections):
        heads.append({"section_id": str(section_id), "heading": heading, "parent_id": None})
        for text in texts:
            sentence_id = len(sentences)
            sentences.append({"sentence_id": sentence_id, "section_id": str(section_id),
                              "char_start": offset, "text": text})  # fmt: skip
            for found in find_figures(text):
                figures.append({"figure_id": len(figures), "sentence_id": sentence_id,
                                "char_start": offset + found.start, "char_end": offset + found.end,
                                "text": found.text, "value": found.value, "kind": found.kind.value,
                                "bound": found.bound.value, "base_unit": found.base_unit,
                                "page_no": 1, "table_id": None})  # fmt: skip
            offset += len(text) + 1
    return {"sentences": sentences, "figures": figures, "sections": heads,
            "doc_tables": list(tables), "table_values": list(values)}  # fmt: skip


def rows(doc: dict, identity: dict) -> set[tuple]:
    metrics, _ = find_metrics(doc, identity)
    return {(m["metric"], m["value"], m["year"], m["scope"]) for m in metrics}


def test_execution_and_draft_are_kept_apart_each_with_its_year():
    doc = record(
        ("2025年预算执行情况", ["市级一般公共预算收入总计169.59亿元，为预算的97.9%，包括："]),
        ("2026年预算草案", ["市级一般公共预算收入总计167.2亿元，下降1.4%，包括："]),
    )
    assert rows(doc, BUDGET_REPORT) == {
        ("general_budget_income_grand_total", 1695900.0, 2025, "本级"),
        ("general_budget_income_grand_total_execution_rate", 97.9, 2025, "本级"),
        ("general_budget_income_grand_total", 1672000.0, 2026, "本级"),
        ("general_budget_income_grand_total_growth", -1.4, 2026, "本级"),
    }


def test_the_whole_territory_its_own_level_and_a_district_are_three_scopes():
    doc = record(("2025年财政预算执行情况", [
        "2025年全市实现一般公共预算收入335.3亿元，增幅3%，全省排名第6，其中税收完成260.4亿元。",
        "其中市本级实现一般公共预算收入51.5亿元。",
        "经济技术开发区实现一般公共预算收入33.9亿元，完成一般公共预算支出38.4亿元。",
    ]))
    assert rows(doc, BUDGET_REPORT) == {
        ("general_budget_income", 3353000.0, 2025, "全市"),
        ("tax_revenue", 2604000.0, 2025, "全市"),  # 其中 takes the sentence's scope, not 全省
        ("general_budget_income", 515000.0, 2025, "本级"),
        ("general_budget_income", 339000.0, 2025, "经济技术开发区"),
        ("general_budget_expenditure", 384000.0, 2025, "经济技术开发区"),
    }


def test_a_department_wording_is_not_read_in_a_government_report():
    doc = record(("一般公共预算收入决算情况", [
        "22、其他收入28214万元，为预算的101.7%。", "国有资本经营收入256万元。"]))
    assert rows(doc, {**BUDGET_REPORT, "report_type": "决算报告", "year": 2019}) == {
        ("state_capital_income", 256.0, 2019, None)}  # not other_income, not operating_income


def test_a_cut_or_saving_is_no_statement_of_the_level():
    doc = record(("部门整体收支情况", [
        "压减不必要、非紧急项目支出9.2亿元。", "项目支出4381.74万元。"]))
    assert rows(doc, FINAL_ACCOUNTS) == {("project_expenditure", 4381.74, 2024, None)}


def test_the_projects_average_score_is_not_the_departments_own_score():
    doc = record(("预算绩效情况说明", [
        "绩效自评的2024年度项目39个，涉及预算金额4415.48万元，平均得分99.33分。"]))
    assert rows(doc, FINAL_ACCOUNTS) == {("project_average_score", 99.33, 2024, None)}


def test_execution_rate_wordings_and_line_items():
    doc = record(("一般公共预算财政拨款支出决算情况", [
        "一般公共预算财政拨款支出年初预算为10210.34万元，支出决算为9746.50万元，完成年初预算的95.45%。",
        "年初预算为54.53万元，支出决算为54.53万元，完成年初预算的100.00%。",  # a line item
    ]))
    metrics, restated = find_metrics(doc, FINAL_ACCOUNTS)
    assert [(m["metric"], m["value"]) for m in metrics] == [("budget_execution_rate", 95.45)]
    assert restated == []


def test_a_metric_the_text_does_not_state_comes_from_its_table():
    values = [{"table_id": 0, "cells_table_id": 3, "row": 1, "col": c, "page_no": 9,
               "row_label": "合计", "column_label": label, "text": text, "value": value,
               "base_unit": "元"} for c, (label, text, value) in enumerate([
                   ("合计", "468,779.07", 4687790700.0), ("基本支出", "376,019.88", 3760198800.0),
                   ("项目支出", "92,759.19", 927591900.0)])]  # fmt: skip
    doc = record(("收支预算情况", ["支出预算468,779.07万元。"]),
                 tables=[{"table_id": 0, "kind": "支出总表"}], values=values)
    metrics, _ = find_metrics(doc, {**FINAL_ACCOUNTS, "report_type": "部门预算", "year": 2023})
    got = {m["metric"]: (m["value"], m["source"], m["page_no"]) for m in metrics}
    assert got == {"expenditure_total": (468779.07, "text", 1),
                   "basic_expenditure": (376019.88, "table", 9),
                   "project_expenditure": (92759.19, "table", 9)}  # fmt: skip


@pytest.mark.parametrize(
    ("before", "headings", "year"),
    [("2025年全市实现", [], 2025), ("与2023年相比，本年", [], 2024),
     ("", ["全市一般公共预算收支安排", "2026年预算草案"], 2026), ("", [], 2024)],
)
def test_statement_year(before, headings, year):
    named = named_year(year_marks(before), len(before))
    assert statement_year(named, headings, 2024) == year


@pytest.mark.parametrize(
    ("before", "wording", "scope"),
    [("2025年全市地方", "一般公共预算收入", "全市"), ("——市", "本级收入", "本级"),
     ("市级", "一般公共预算收入总计", "本级"), ("2025年西安市", "地区生产总值", None),
     ("省核定我市", "政府债务限额", None), ("工业园区实现", "一般公共预算收入", "工业园区")],
)
def test_statement_scope(before, wording, scope):
    assert statement_scope(before, wording, [], "西安市统计局") == scope
