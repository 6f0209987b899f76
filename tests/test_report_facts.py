"""What each report says about itself: identity, outline, work items, headline metrics and
whether its own arithmetic holds — on the samples and on the real 决算/预算 PDFs, against values
read from the documents by hand."""

from __future__ import annotations

import pytest
from helpers import FIXTURES, RAW, REAL_PDFS, through_facts
from printed_errors import failed_checks, printed_errors

SEED = "2023_gz_laoganbu_zhengti_zipingbaogao.pdf"
JIANGCHENG = "2022_jiangcheng_sifaju_zhengti_zipingbaogao.pdf"
LINJIANG = "2023_linjiang_zhangzhefantang_xiangmu_zipingbaogao.pdf"
needs_real = pytest.mark.realpdf


@pytest.fixture(scope="module")
def facts():
    cache: dict[str, dict] = {}

    def get(path) -> dict:
        if path not in cache:
            cache[path] = through_facts(path.read_bytes())
        return cache[path]

    return get


def metrics_of(doc) -> dict[str, float]:
    return {m["metric"]: m["value"] for m in doc["metrics"]}


def checks_of(doc) -> dict[str, bool]:
    return {c["check"]: c["ok"] for c in doc["checks"]}


SAMPLE_METRICS = {
    SEED: {
        "income_total": 18518.32, "fiscal_appropriation_income": 18518.32,
        "expenditure_total": 18518.32, "basic_expenditure": 6044.2,
        "project_expenditure": 12474.12, "budget_total": 18590.95,
        "final_accounts_total": 18518.32, "budget_execution_rate": 99.6,
        "self_eval_score": 95.46, "project_budget_total": 12539.93,
        "project_final_total": 12474.12, "project_execution_rate": 99.5,
    },
    JIANGCHENG: {
        "income_total": 9846.57, "fiscal_appropriation_income": 9612.3, "other_income": 234.27,
        "expenditure_total": 9735.84, "basic_expenditure": 5128.46,
        "project_expenditure": 4607.38, "budget_total": 10034.25,
        "final_accounts_total": 9735.84, "budget_execution_rate": 97.0,
        "self_eval_score": 97.89, "project_budget_total": 4798.15,
        "project_final_total": 4607.38, "project_execution_rate": 96.0,
    },
    LINJIANG: {
        "project_budget_total": 856.4, "project_final_total": 829.73,
        "project_execution_rate": 96.9, "self_eval_score": 94.0,
    },
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(SAMPLE_METRICS))
def test_sample_metrics(facts, name):
    assert metrics_of(facts(RAW / name)) == SAMPLE_METRICS[name]


@pytest.mark.parametrize("name", sorted(SAMPLE_METRICS))
def test_every_sample_check_passes(facts, name):
    checks = facts(RAW / name)["checks"]
    assert checks and all(c["ok"] for c in checks), [c for c in checks if not c["ok"]]


def test_sample_checks_cover_splits_rates_and_scores(facts):
    assert set(checks_of(facts(RAW / JIANGCHENG))) >= {
        "expenditure_split", "income_split", "execution_rate", "project_execution_rate",
        "indicator_scores",
    }  # fmt: skip


def test_a_deliberate_arithmetic_error_fails_exactly_its_check(facts):
    doc = facts(FIXTURES / "arithmetic-error.pdf")
    failed = [c for c in doc["checks"] if not c["ok"]]
    assert [(c["check"], c["expected"], c["actual"]) for c in failed] == [
        ("expenditure_split", 9835.84, 9735.84)
    ]
    assert {"income_split", "execution_rate"} <= set(checks_of(doc))


def test_project_report_identity(facts):
    identity = facts(RAW / LINJIANG)["identity"]
    assert identity == {
        "title": "2023年度江城市临江区“长者饭堂”运营补助项目支出绩效自评报告",
        "organization": "江城市临江区",
        "organization_key": "江城市临江区",
        "year": 2023,
        "report_type": "项目支出绩效自评报告",
        "project": "“长者饭堂”运营补助项目",
    }


def test_seed_outline(facts):
    sections = facts(RAW / SEED)["sections"]
    outline = [(s["section_id"], s["level"], s["marker"], s["heading"], s["parent_id"])
               for s in sections]  # fmt: skip
    assert outline == [
        ("1", 1, "一、", "部门基本情况", None),
        ("1.1", 2, "（一）", "部门职能", "1"),
        ("1.2", 2, "(二)", "年度总体工作和重点工作任务", "1"),
        ("1.3", 2, "（三）", "部门整体支出绩效目标", "1"),
        ("1.4", 2, "（四）", "部门整体收支情况", "1"),
        ("1.5", 2, "（五）", "部门整体绩效管理情况", "1"),
        ("2", 1, "二、", "绩效自评情况", None),
        ("2.1", 2, "（一）", "自评结论", "2"),
        ("2.2", 2, "（二）", "履职效能分析", "2"),
        ("2.3", 2, "（三）", "管理效率分析", "2"),
        ("3", 1, "三、", "存在的主要问题", None),
        ("4", 1, "四、", "下一步改进措施", None),
    ]


def test_seed_tasks(facts):
    tasks = facts(RAW / SEED)["tasks"]
    functions = [t for t in tasks if t["section_id"] == "1.1"]
    assert [t["marker"] for t in functions] == [f"（{i}）" for i in range(1, 6)] + [
        "(6)", "(7)", "(8)"]  # fmt: skip
    key = [t for t in tasks if t["section_id"] == "1.2" and t["level"] == 1]
    assert [t["marker"] for t in key] == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert key[0]["text"] == "奋力书写凝心铸魂“政治篇”，忠心向党聚神聚力"
    subs = [t for t in tasks if t["parent_task_id"] == key[0]["task_id"]]
    assert [(t["marker"], t["text"]) for t in subs] == [
        ("一是", "以主题教育促进思想提升"), ("二是", "以组织建设增强党性观念"),
        ("三是", "以阵地创优激发支部活力")]  # fmt: skip
    assert key[0]["n_figures"] == 5 and subs[1]["n_figures"] == 4
    measures = [t for t in tasks if t["section_id"] == "4"]
    assert [t["marker"] for t in measures] == ["一是", "二是", "三是"]
    assert measures[0]["text"].startswith("提前部署、上下联动，认真组织各机关处室及直属单位")
    assert measures[0]["text"].endswith("共同发力，敢于担当，主动作为")


REAL = {
    "juesuan2024_putuo_guihuaziyuanju_word.pdf": (
        ("上海市普陀区规划和自然资源局", 2024, "部门决算"),
        {"income_grand_total": 9859.38, "income_total": 9746.5,
         "fiscal_appropriation_income": 9746.5, "expenditure_total": 9759.38,
         "basic_expenditure": 5377.64, "project_expenditure": 4381.74,
         "budget_execution_rate": 95.45, "project_average_score": 99.33,
         "expenditure_grand_total": 9859.38},
    ),
    "juesuan2024_putuo_shehuigongzuobu_wps.pdf": (
        ("中共上海市普陀区委社会工作部", 2024, "部门决算"),
        {"income_grand_total": 307.82, "income_total": 307.82,
         "fiscal_appropriation_income": 307.82, "expenditure_total": 307.82,
         "basic_expenditure": 105.58, "project_expenditure": 202.24,
         "budget_execution_rate": 95.89, "project_average_score": 100.0,
         "expenditure_grand_total": 307.82},
    ),
    "yusuan2023_putuo_wanlijiedao_with_jixiaomubiao.pdf": (
        ("上海市普陀区人民政府万里街道办事处", 2023, "部门预算"),
        {"income_total": 16497.86, "fiscal_appropriation_income": 16497.86,
         "expenditure_total": 16497.86, "basic_expenditure": 9940.6297,
         "project_expenditure": 6557.2343},
    ),
    # the next two: the text's totals, and the 支出总表's 基本支出 + 项目支出 adding up to them
    "yusuan2025_putuo_wanlijiedao_wps.pdf": (
        ("上海市普陀区人民政府万里街道办事处", 2025, "部门预算"),
        {"income_total": 18976.76, "fiscal_appropriation_income": 18976.76,
         "expenditure_total": 18976.76, "basic_expenditure": 10134.1746,
         "project_expenditure": 8842.5805},
    ),
    "yusuan2025_putuo_zhengfubangongshi_wps.pdf": (
        ("上海市普陀区人民政府办公室", 2025, "部门预算"),
        {"income_total": 9101.68, "fiscal_appropriation_income": 9101.68,
         "expenditure_total": 9101.68, "basic_expenditure": 2460.677535,
         "project_expenditure": 6641.0},
    ),
    "yusuan2025_shanghai_caizhengju_excel.pdf": (
        ("上海市财政局", 2025, "单位预算"),
        {"income_total": 17192.0, "fiscal_appropriation_income": 17192.0,
         "expenditure_total": 17192.0, "basic_expenditure": 12764.2039,
         "project_expenditure": 4427.313},
    ),
}  # fmt: skip


@needs_real
@pytest.mark.parametrize("name", sorted(REAL))
def test_real_report_identity_and_metrics(facts, name):
    doc = facts(REAL_PDFS / name)
    identity, metrics = REAL[name]
    got = doc["identity"]
    assert (got["organization"], got["year"], got["report_type"]) == identity
    assert metrics_of(doc) == metrics
    assert failed_checks(name, doc["checks"]) == printed_errors(name)


@needs_real
def test_real_juesuan_expenditure_split_is_checked(facts):
    doc = facts(REAL_PDFS / "juesuan2024_putuo_guihuaziyuanju_word.pdf")
    split = next(c for c in doc["checks"] if c["check"] == "expenditure_split")
    assert (split["expected"], split["actual"], split["ok"]) == (9759.38, 9759.38, True)


@needs_real
def test_real_juesuan_outline_skips_the_contents_page(facts):
    sections = facts(REAL_PDFS / "juesuan2024_putuo_guihuaziyuanju_word.pdf")["sections"]
    parts = [(s["section_id"], s["heading"], s["page_no"]) for s in sections if s["level"] == 0]
    assert parts[:2] == [("P1", "上海市普陀区规划和自然资源局概况", 4),
                         ("P2", "上海市普陀区规划和自然资源局2024年度部门决算", 20)]  # fmt: skip
    assert min(s["page_no"] for s in sections) == 4
    income = next(s for s in sections if s["heading"] == "收入决算情况说明")
    assert (income["level"], income["parent_id"]) == (1, "P2")


@pytest.mark.parametrize(
    ("title", "cover", "expected"),
    [
        ("2023年度广州市民政局“社区养老”项目支出绩效单位自评报告", [],
         ("广州市民政局", 2023, "项目支出绩效自评报告", "“社区养老”项目")),
        ("上海市2025年市级单位预算", ["预算单位：上海市财政局"],
         ("上海市财政局", 2025, "单位预算", None)),
        ("贵州茅台酒股份有限公司2021年年度报告", ["公司代码：600519公司简称：贵州茅台"],
         ("贵州茅台酒股份有限公司", 2021, "年度报告", None)),
        ("淮安市洪泽区人民政府2024年政府信息公开工作年度报告", [],
         ("淮安市洪泽区人民政府", 2024, "政府信息公开工作年度报告", None)),
    ],
)  # fmt: skip
def test_report_identity_wordings(title, cover, expected):
    from pipeline.facts.identity import identify

    got = identify(title, "", cover)
    assert (got["organization"], got["year"], got["report_type"], got["project"]) == expected


def test_identity_falls_back_to_the_body():
    from pipeline.facts.identity import identify

    got = identify(None, "2023年度，我局部门整体支出绩效自评报告如下……", [])
    assert (got["year"], got["report_type"]) == (2023, "部门整体支出绩效自评报告")


@pytest.mark.parametrize(
    ("printed", "key"),
    [("中共上海市普陀区委社会工作部", "中国共产党上海市普陀区委员会社会工作部"),
     ("中国共产党上海市普陀区委员会社会工作部", "中国共产党上海市普陀区委员会社会工作部"),
     ("上海市普陀区 规划和自然资源局", "上海市普陀区规划和自然资源局"),
     ("淮安市人大常委会办公室", "淮安市人民代表大会常务委员会办公室"), (None, None)],
)
def test_one_body_has_one_organization_key_however_it_is_printed(printed, key):
    from pipeline.facts.identity import organization_key

    assert organization_key(printed) == key


def test_the_organizations_table_groups_one_bodys_names_and_years():
    from pipeline.load import organizations

    docs = [{"organization": "中共上海市普陀区委社会工作部", "year": 2024,
             "organization_key": "中国共产党上海市普陀区委员会社会工作部"},
            {"organization": "中国共产党上海市普陀区委员会社会工作部", "year": 2022,
             "organization_key": "中国共产党上海市普陀区委员会社会工作部"},
            {"organization": None, "year": 2023, "organization_key": None}]  # fmt: skip
    assert organizations(docs) == [{
        "organization_key": "中国共产党上海市普陀区委员会社会工作部",
        "names": "中共上海市普陀区委社会工作部；中国共产党上海市普陀区委员会社会工作部",
        "n_documents": 2, "first_year": 2022, "last_year": 2024}]  # fmt: skip
