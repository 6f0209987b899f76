"""Table tests for find_figures: what is a figure, its value, unit, kind and bound."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.quantities.grammar import FigureMatch, find_figures
from pipeline.vocabulary import Bound, Kind

M, P, PP, S, C, D, A, W, OTHER = (
    Kind.MONEY, Kind.PERCENT, Kind.PERCENT_POINT, Kind.SCORE, Kind.COUNT, Kind.DURATION,
    Kind.AREA, Kind.WEIGHT, Kind.OTHER,
)  # fmt: skip
EX, LO, UP, AP = Bound.EXACT, Bound.LOWER, Bound.UPPER, Bound.APPROX

# sentence, span text, amount, unit, value, base_unit, kind, bound, op, value_max
ONE_FIGURE = [
    # the cases from the seed report (000_ce83152c63309415)
    ("我局年度收入18,518.32万元", "18,518.32万元",
     18518.32, "万元", 185183200.0, "元", M, EX, None, None),
    ("年度预算完成率99.6%", "99.6%", 99.6, "%", 99.6, "%", P, EX, None, None),
    ("整体支出绩效自评 95.46 分", "95.46 分", 95.46, "分", 95.46, "分", S, EX, None, None),
    ("开展学习教育活动320余场次", "320余场次", 320, "场次", 320, "场次", C, LO, None, None),
    ("服务时长超过1.5万小时", "超过1.5万小时", 1.5, "万小时", 15000.0, "小时", D, LO, None, None),
    ("遴选1065名在职党员", "1065名", 1065, "名", 1065, "名", C, EX, None, None),
    ("中欧班列开行6037列", "6037列", 6037, "列", 6037, "列", C, EX, None, None),
    ("开展百场“话传统、谈复兴、聚力量”专题调研座谈会", "百场",
     100, "场", 100, "场", C, EX, None, None),
    ("组织万名老干部", "万名", 10000, "名", 10000, "名", C, EX, None, None),
    ("吸纳两院院士、行业领军人才1200多名", "1200多名", 1200, "名", 1200, "名", C, LO, None, None),
    ("≥13459.00(平方米)", "≥13459.00(平方米)", 13459, "平方米", 13459, "平方米", A, LO, "≥", None),
    ("=100.00(%)", "=100.00(%)", 100, "%", 100, "%", P, EX, "=", None),
    ("5至8个工作日", "5至8个工作日", 5, "个工作日", 5, "工作日", D, EX, None, 8),
    ("我局纳入本部门独立核算单位共 3 个", "共 3 个", 3, "个", 3, "个", C, EX, None, None),
    ("听课学员达 7000 人次", "达 7000 人次", 7000, "人次", 7000, "人次", C, EX, None, None),
    ("细化 10 余条措施", "10 余条", 10, "条", 10, "条", C, LO, None, None),
    ("集中 13 天时间", "13 天", 13, "天", 13, "天", D, EX, None, None),
    ("以学促干 12 个方面重要要求", "12 个", 12, "个", 12, "个", C, EX, None, None),
    ("开设 30 门\n\n课程", "30 门", 30, "门", 30, "门", C, EX, None, None),
    ("“红棉学堂”创新推出五大板块", "五大板块", 5, "大板块", 5, "板块", C, EX, None, None),
    ("涉及一般公共预算支出 18,518.32 万元", "18,518.32 万元",
     18518.32, "万元", 185183200.0, "元", M, EX, None, None),
    # money
    ("项目预算12,539.93万元", "12,539.93万元",
     12539.93, "万元", 125399300.0, "元", M, EX, None, None),
    ("共计1.2亿元", "共计1.2亿元", 1.2, "亿元", 120000000.0, "元", M, EX, None, None),
    ("投资26.8亿元", "26.8亿元", 26.8, "亿元", 2680000000.0, "元", M, EX, None, None),
    ("补助1,234.5万元", "1,234.5万元", 1234.5, "万元", 12345000.0, "元", M, EX, None, None),
    ("奖励500元", "500元", 500, "元", 500, "元", M, EX, None, None),
    ("两千万元", "两千万元", 2000, "万元", 20000000.0, "元", M, EX, None, None),
    ("一千二百万元", "一千二百万元", 1200, "万元", 12000000.0, "元", M, EX, None, None),
    ("人均补助1200元/人", "1200元/人", 1200, "元/人", 1200, "元/人", M, EX, None, None),
    ("结余资金232.40万", "232.40万", 232.4, "万", 2324000.0, "元", M, EX, None, None),
    ("支出预算 5 万元以上", "5 万元以上", 5, "万元", 50000.0, "元", M, LO, None, None),
    # the bound included, as printed (issue 12)
    ("单笔100万元（含）以上", "100万元（含）以上", 100, "万元", 1e6, "元", M, LO, "≥", None),
    # percent, percent points, tenths
    ("完成预算的 99.5%", "99.5%", 99.5, "%", 99.5, "%", P, EX, None, None),
    ("满意度达百分之九十八", "达百分之九十八", 98, "%", 98, "%", P, EX, None, None),
    ("增长-3.2%", "-3.2%", -3.2, "%", -3.2, "%", P, EX, None, None),
    ("目标90%-95%", "90%-95%", 90, "%", 90, "%", P, EX, None, 95),
    ("不低于90%", "不低于90%", 90, "%", 90, "%", P, LO, "≥", None),
    ("差错率≤5%", "≤5%", 5, "%", 5, "%", P, UP, "≤", None),
    ("不足5%", "不足5%", 5, "%", 5, "%", P, UP, None, None),
    ("增长7.2成", "7.2成", 7.2, "成", 72, "%", P, EX, None, None),
    ("提高两成以上", "两成以上", 2, "成", 20, "%", P, LO, None, None),
    ("下降3.2个百分点", "3.2个百分点", 3.2, "个百分点", 3.2, "百分点", PP, EX, None, None),
    # scores
    ("整体得分为95分", "95分", 95, "分", 95, "分", S, EX, None, None),
    ("满分100分", "100分", 100, "分", 100, "分", S, EX, None, None),
    ("考核得分90分以上", "90分以上", 90, "分", 90, "分", S, LO, None, None),
    # counts, Chinese numerals
    ("三千余人次参加", "三千余人次", 3000, "人次", 3000, "人次", C, LO, None, None),
    ("举办十二场", "十二场", 12, "场", 12, "场", C, EX, None, None),
    ("邀请两百名专家", "两百名", 200, "名", 200, "名", C, EX, None, None),
    ("惠及十余万人", "十余万人", 10, "万人", 100000.0, "人", C, LO, None, None),
    ("惠及十万人", "十万人", 10, "万人", 100000.0, "人", C, EX, None, None),
    ("一万名志愿者", "一万名", 1, "万名", 10000.0, "名", C, EX, None, None),
    ("一万五千名志愿者", "一万五千名", 15000, "名", 15000, "名", C, EX, None, None),
    ("服务1.5万人次", "1.5万人次", 1.5, "万人次", 15000.0, "人次", C, EX, None, None),
    ("选派十一个工作组", "十一个", 11, "个", 11, "个", C, EX, None, None),
    ("从两个方面", "两个", 2, "个", 2, "个", C, EX, None, None),
    ("3-5个", "3-5个", 3, "个", 3, "个", C, EX, None, 5),
    ("约300人左右", "约300人左右", 300, "人", 300, "人", C, AP, None, None),
    ("约300人", "约300人", 300, "人", 300, "人", C, AP, None, None),
    ("不到50人", "不到50人", 50, "人", 50, "人", C, UP, None, None),
    ("逾200家企业", "逾200家", 200, "家", 200, "家", C, LO, None, None),
    # a qualifier counts only when it touches the number: 累计培训 is not part of the span
    ("累计培训5000人次", "5000人次", 5000, "人次", 5000, "人次", C, EX, None, None),
    # durations
    ("不超过5个工作日", "不超过5个工作日", 5, "个工作日", 5, "工作日", D, UP, "≤", None),
    ("5个工作日内办结", "5个工作日内", 5, "个工作日", 5, "工作日", D, UP, None, None),
    ("3日内办结", "3日内", 3, "日", 3, "日", D, UP, None, None),
    ("用时3个月", "3个月", 3, "个月", 3, "月", D, EX, None, None),
    ("近3年", "近3年", 3, "年", 3, "年", D, UP, None, None),
    ("服务10年", "10年", 10, "年", 10, "年", D, EX, None, None),
    ("每次10分钟", "10分钟", 10, "分钟", 10, "分钟", D, EX, None, None),
    # area, weight, other
    ("面积3.5万平方米", "3.5万平方米", 3.5, "万平方米", 35000.0, "平方米", A, EX, None, None),
    ("改造120㎡", "120㎡", 120, "㎡", 120, "平方米", A, EX, None, None),
    ("覆盖1,200亩", "1,200亩", 1200, "亩", 1200, "亩", A, EX, None, None),
    ("收储2.5万吨", "2.5万吨", 2.5, "万吨", 25000.0, "吨", W, EX, None, None),
    ("发放大米500公斤", "500公斤", 500, "公斤", 500, "公斤", W, EX, None, None),
    ("年龄60岁以上", "60岁以上", 60, "岁", 60, "岁", OTHER, LO, None, None),
    ("建成35km2", "35km2", 35, "km2", 35000000.0, "平方米", A, EX, None, None),
    # found in real reports: line breaks and brackets around the unit, table targets
    ("预算执行数为1062.85\n万元", "1062.85\n万元", 1062.85, "万元", 10628500.0, "元", M, EX,
     None, None),
    ("采购项目预算为232.40万\n元。", "232.40万\n元", 232.4, "万元", 2324000.0, "元", M, EX,
     None, None),
    ("结余资金232.40万 项目", "232.40万", 232.4, "万", 2324000.0, "元", M, EX, None, None),
    ("活动人次 =5.00(万人次)", "=5.00(万人次)", 5, "万人次", 50000.0, "人次", C, EX, "=", None),
    ("日常走访企业 >150.00(家)", ">150.00(家)", 150, "家", 150, "家", C, LO, ">", None),
    ("未达到年度目标，扣0.31分。", "0.31分", 0.31, "分", 0.31, "分", S, EX, None, None),
    ("以总股本125,619.78万股为基数", "125,619.78万股", 125619.78, "万股", 1256197800.0, "股", C,
     EX, None, None),
    ("辐射带动农户近10\n万户增收", "近10\n万户", 10, "万户", 100000.0, "户", C, UP, None, None),
    ("财务费用本期-934,523,406.02元", "-934,523,406.02元", -934523406.02, "元", -934523406.02,
     "元", M, EX, None, None),
]  # fmt: skip

NOT_FIGURES = [
    # years and dates
    "2023年",
    "2023 年度",
    "2023年度，我局纳入",
    "2024年3月15日",
    "3月15日召开",
    "“9·30”烈士公祭活动",
    "2025.1.1-2025.12.31",
    "2023-2025年",
    "二〇二三年",
    "截至12月",
    # ordinals
    "第九届中国国际老龄产业博览会",
    "组织局务会“第一议题”学习",
    "第一议题",
    "第 3 次",
    "解读市委十二届六次全会精神",
    # list markers
    "一是以主题教育促进思想提升",
    "（3）检查、督促落实",
    "(6) 指导老干部工作机构",
    "1. 奋力书写凝心铸魂",
    "（一）部门职能",
    "二、绩效自评情况",
    # quotations and titles that name something
    "坚定拥护“两个确立”、坚决做到“两个维护”",
    "采取“四不两直”方式",
    "开展“三会一课”等活动",
    "“十四五”规划",
    "评选出“六好”示范党支部",
    "采取“四个一”方式",
    "编写《广州老干部工作40年》",
    "制定“九互五联”合作办学方案",
    "获评“广州机关党员志愿服务10年十佳基地”",
    "《关于下达2023年500万元补助资金的通知》",
    # fixed expressions and words with a numeral inside
    "推进一体化办学",
    "地区生产总值、三次产业及相关行业增加值",  # the three sectors of a 统计公报 (issue 12)
    "一次能源消费量",
    "一般公共预算",
    "得到了进一步明确",
    "二次创业",
    "奋力书写二次创业“责任篇”",
    "按照“一人一策”要求",
    "一人一策",
    "吸纳两院院士",
    "一定程度延缓了预算执行进度",
    "逐一落实",
    "统一部署",
    "唯一",
    "以防万一",
    "千万不能",
    "十分重要",
    "服务百姓",
    "一些问题",
    "一起研究",
    "一致通过",
    "深入一线",
    "推出一批成果",
    "一个方面",
    "一次性补助",
    "走进千家万户",
    "十四五期间",
    "落实中央八项规定精神",
    "建党百年",
    "两个确立",
    # no unit, or not a unit here
    "数字化 5G 智慧校园",
    "P1.5",
    "12345",
    "三分之一",
    "十分",
    "服务群众1.5万",  # a bare 万 outside a money sentence
    "2023-3个",  # not a range: the upper end is below the lower
    # found in real reports: table headers and table text run together
    "单位：万元",
    "单位：千元",
    "（单位：百万元）",
    "4.2023年部门财政拨款收支预算总表",
    "其中：当年财政拨款 4,100,000.00\n项目资金",
    "其中：财政资金 4,100,000.00\n（元）",
    "1,252,300\n\n项目 一般公共预算",
    "PM2.5浓度",
]

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_ce83152c63309415.txt"
SEED_FIGURES = [
    "共 3 个", "1 个", "2 个", "320余场次", "1065名", "15条", "30个", "10个", "百场", "6场",
    "1200多名", "190多个", "8000多名", "74名", "140支", "120个", "115个", "4个", "13个",
    "820余场次", "841 名", "13 期", "10 余条", "万名", "达 7000 人次", "20 余项", "6 期", "22 次",
    "205 名", "五大板块", "30 门", "超过1.5万小时", "16项", "48条", "26 次", "13 天", "5 期",
    "136 次", "175 场次", "12 个", "39 个", "120 余条", "11 个", "37 条", "99 名", "40 期", "4 次",
    "18,518.32万元", "18,518.32万元", "100%", "18,518.32万元", "6,044.2万元", "12,474.12万元",
    "18,590.95万元", "18,518.32万元", "99.6%", "18,518.32 万元", "99.6%", "95.46 分",
    "12,539.93 万元", "12,474.12 万元", "99.5%", "100%", "18,590.95万元", "18,518.32万元", "99.6%",
]  # fmt: skip


def _row(f: FigureMatch) -> tuple:
    """Return the compared fields of a figure."""
    return (f.text, f.amount, f.unit, f.value, f.base_unit, f.kind, f.bound, f.op, f.value_max)


@pytest.mark.parametrize(
    ("sentence", "text", "amount", "unit", "value", "base", "kind", "bound", "op", "value_max"),
    ONE_FIGURE,
)
def test_one_figure(sentence, text, amount, unit, value, base, kind, bound, op, value_max) -> None:
    figures = find_figures(sentence)
    assert len(figures) == 1, figures
    expected = (text, amount, unit, value, base, kind, bound, op, value_max)
    assert _row(figures[0]) == pytest.approx(expected)
    f = figures[0]
    assert sentence[f.start : f.end] == f.text


@pytest.mark.parametrize("sentence", NOT_FIGURES)
def test_not_a_figure(sentence: str) -> None:
    assert find_figures(sentence) == []


def test_minutes_are_not_a_score() -> None:
    figures = find_figures("自评得分时间为3分钟")
    assert [(f.unit, f.kind) for f in figures] == [("分钟", Kind.DURATION)]


def test_score_needs_context() -> None:
    assert find_figures("3分") == []
    assert [f.kind for f in find_figures("绩效自评得分 3分")] == [Kind.SCORE]


def test_several_figures_in_order() -> None:
    text = "2023年度支出18,518.32万元，其中基本支出6,044.2万元，项目支出12,474.12万元。"
    assert [f.value for f in find_figures(text)] == [185183200.0, 60442000.0, 124741200.0]


def test_word_unit_is_not_a_measure_word() -> None:
    text = "设立3个场所，项目支出5支出"
    assert [f.text for f in find_figures(text)] == ["3个"]


@pytest.mark.skipif(not SEED.exists(), reason="shared seed report not available")
def test_seed_report_figures() -> None:
    figures = find_figures(SEED.read_text(encoding="utf-8"))
    assert [f.text for f in figures] == SEED_FIGURES


@pytest.mark.parametrize(
    ("sentence", "figures"),
    [
        ("行政运行（01项）支出1,092.80万元", ["1,092.80万元"]),
        ("一般公共服务支出（201类）", []),
        ("政府办公厅（室）及相关机构事务（03款）", []),
        ("完成任务（120项）", ["120项"]),
        ("开展（3项）专项检查，新增0项，就业0.02万人", ["3项", "0项", "0.02万人"]),
    ],
)
def test_a_bracketed_budget_code_in_prose_is_not_a_count(sentence, figures) -> None:
    assert [m.text for m in find_figures(sentence)] == figures


@pytest.mark.parametrize(
    ("text", "figures"),
    [("落实九届人大五次会议决议", []), ("市委十三届六次全会", []), ("十四届人大三次全体会议", []),
     ("市九届人大\n（）\n六次会议文件4", []),
     ("召开3次会议", ["3次"]), ("召开五次会议", ["五次"]), ("召开党组会议12次", ["12次"])],
)
def test_a_session_number_after_jie_is_not_a_count(text, figures):
    assert [f.text for f in find_figures(text)] == figures


@pytest.mark.parametrize(
    ("text", "figures"),
    [("主楼7层，裙房3层", ["7层", "3层"]), ("建成5层办公楼", ["5层"]), ("基层党组织3个", ["3个"]),
     ("构建三层次体系", []), ("分为3层面", []), ("全市各层级", [])],
)
def test_ceng_after_a_number_counts_floors_not_levels(text, figures):
    assert [f.text for f in find_figures(text)] == figures
