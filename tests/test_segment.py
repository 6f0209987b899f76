"""Segment stage: normalisation, paragraphs across line and page breaks, sections, sentences."""

from __future__ import annotations

import random

import jieba.posseg
import pytest
from helpers import fixture_bytes

from pipeline.extract import extract_document
from pipeline.segment import segment_document, tokens, viterbi
from pipeline.segment.normalize import drop_cjk_spaces, normalize_text
from pipeline.segment.structure import is_heading, marker_of, split_sentences
from pipeline.segment.tokens import load_jieba, tokenize


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("１８，５１８．３２万元", "18，518.32万元"),  # full-width digits; Chinese comma kept
        ("占１００％", "占100%"),
        ("（一）部门职能", "（一）部门职能"),  # Chinese brackets stay as printed
        ("⻔户网站", "门户网站"),  # CJK Radicals Supplement, which NFKC leaves alone
        ("收入(cid:3)合计\ufffd", "收入合计"),
        ("共  3\u3000个", "共 3 个"),
        # enclosed numbers are footnote or list markers, never digits (issue 12)
        ("支出167.2亿元⑩，转移性收⑤支数", "支出167.2亿元，转移性收支数"),
        ("①加强管理", "加强管理"),
    ],
)
def test_normalize_text(raw, clean):
    assert normalize_text(raw)[0] == clean


def test_normalize_counts_unreadable_glyphs():
    assert normalize_text("(cid:12)(cid:7)a\ufffd")[1] == 3


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("9859.38 万元", "9859.38万元"),
        ("共 3 个", "共3个"),
        ("整体支出绩效自评 95.46 分", "整体支出绩效自评95.46分"),
        ("建设数字化 5G 智慧校园", "建设数字化5G智慧校园"),
        ("Microsoft Word 文档", "Microsoft Word文档"),
    ],
)
def test_spaces_between_cjk_and_numbers_are_dropped(raw, clean):
    assert drop_cjk_spaces(raw) == clean


@pytest.mark.parametrize(
    ("text", "marker", "heading"),
    [
        ("一、部门基本情况", (1, "一、"), True),
        ("（二）年度总体工作和重点工作任务", (2, "（二）"), True),
        ("(二) 年度总体工作和重点工作任务", (2, "(二)"), True),
        ("（三）部门整体支出绩效目标。", (2, "（三）"), True),
        ("3.时效指标", (3, "3."), True),
        (
            "（1）贯彻执行党中央、国务院和省、市有关老干部工作的方针、政策，制定或参与制定我市老"
            "干部工作的政策、规定。",
            (4, "（1）"),
            False,
        ),
        (
            "1.奋力书写凝心铸魂“政治篇”，忠心向党聚神聚力。一是以主题教育促进思想提升。",
            (3, "1."),
            False,
        ),
        ("2023年，我局年度总体", None, False),
    ],
)
def test_headings_by_marker_family(text, marker, heading):
    assert marker_of(text) == marker
    assert is_heading(text) is heading


def test_sentences_end_at_chinese_full_stops():
    text = "一是强化理论武装。组织学习28次！二是“压实责任。”最后"
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "一是强化理论武装。",
        "组织学习28次！",
        "二是“压实责任。”",
        "最后",
    ]


def test_domain_dictionary_keeps_budget_terms_whole():
    words, tags = tokenize("财政拨款收入18,518.32万元，预算完成率99.6%")
    assert "财政拨款收入" in words and "预算完成率" in words
    assert len(words) == len(tags)


def test_subject_names_of_real_tables_are_one_word():
    """科目 names derived from real reports' tables (kemu.txt, scripts/derive_kemu_terms.py)."""
    words, _ = tokenize("其中社会保障和就业支出962.08万元，机关事业单位基本养老保险缴费支出12万元")
    assert "社会保障和就业支出" in words and "机关事业单位基本养老保险缴费支出" in words


def test_fast_viterbi_finds_jiebas_route():
    """Issue 15: the HMM decoded over the existing transitions only is jieba's own search, on
    runs of characters jieba has states for, characters it has none for, and single ones."""
    rng = random.Random(15)
    chars = [*viterbi.STATES, "龘", "丂", "\u9fd5"]
    runs = ["".join(rng.choice(chars) for _ in range(rng.randint(1, 12))) for _ in range(400)]
    for run in runs + ["二是", "且其", "当期", "龘"]:
        assert viterbi.viterbi(run) == jieba.posseg.viterbi(
            run, viterbi.STATES, viterbi.START, viterbi.TRANS, viterbi.EMIT
        ), run


def test_tokens_and_tags_are_jieba_posseg_s(monkeypatch):
    """Issue 15: the segment stage's tokenizer gives jieba.posseg's words and tags, and its own
    Viterbi is the one that runs (were jieba's private __cut renamed, this says so)."""
    runs = []
    monkeypatch.setattr(tokens, "viterbi", lambda obs: runs.append(obs) or viterbi.viterbi(obs))
    tokens.hmm_route.cache_clear()
    load_jieba()
    for text in [
        "局党组会议传达学习习近平法治思想和党的二十大精神28次，且其完成率达91.9%。",
        "2022年度，我局纳入本部门独立核算单位共4个，其中行政单位1个，为江城市司法局本级；",
        "1.坚持政治引领，法治建设统筹推进。张三丰在ABC公司GDP增长6.5%，当期二是龘丂。",
    ]:
        pairs = jieba.posseg.dt.lcut(text)
        assert tokenize(text) == ([p.word for p in pairs], [p.flag for p in pairs])
    assert runs


@pytest.fixture(scope="module")
def two_pages():
    return segment_document(extract_document(fixture_bytes("two-pages-split-sentence.pdf")))


def test_paragraph_cut_by_page_break_is_joined_without_space(two_pages):
    assert "传达学习习近平法治思想和党的二十大精神28次" in two_pages["text"]  # page break
    assert "组织全局干部职工开展集中学习136场次" in two_pages["text"]  # line break


def test_title_is_one_line_and_header_is_gone(two_pages):
    assert two_pages["title"] == "2022年度江城市司法局部门整体支出绩效自评报告"
    assert two_pages["text"].count("2022年度江城市司法局部门整体支出绩效自评报告") == 1


def test_pages_hold_their_stretch_of_the_text(two_pages):
    page1, page2 = two_pages["pages"]
    assert two_pages["text"][page1["char_start"] : page1["char_end"]] == page1["text"]
    assert page2["text"].startswith("想和党的二十大精神28次")
    assert "— 2 —" not in page2["text"]


def test_sections_form_a_tree(two_pages):
    sections = {s["section_id"]: s for s in two_pages["sections"]}
    assert sections["1"]["heading"] == "部门基本情况" and sections["1"]["level"] == 1
    assert sections["1.1"]["marker"] == "（一）" and sections["1.1"]["parent_id"] == "1"
    assert sections["1.2"]["heading"] == "年度总体工作和重点工作任务"


def test_sentences_carry_offsets_tokens_and_pages(two_pages):
    text = two_pages["text"]
    for sentence in two_pages["sentences"]:
        assert text[sentence["char_start"] : sentence["char_end"]] == sentence["text"]
        assert "".join(sentence["tokens"]) == sentence["text"]
    split = next(s for s in two_pages["sentences"] if "习近平法治思想" in s["text"])
    assert split["page_no"] == 1 and split["section_id"] == "1.2"
    after = next(s for s in two_pages["sentences"] if s["text"].startswith("二是压实"))
    assert after["page_no"] == 2


def test_nlp_holds_a_document_with_jieba_tags(nlp):
    doc = nlp("遴选1065名在职党员")  # 在职党员 is no dictionary word since issue 12
    assert [t.text for t in doc] == ["遴选", "1065", "名", "在职", "党员"]
    assert doc[0].tag_ == "v"
