"""Table tests for parse_number: Arabic, Chinese, financial and mixed numerals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.quantities.numerals import parse_decimal, parse_number

NUMBERS = [
    # Arabic, thousands separators, decimals
    ("0", 0),
    ("7", 7),
    ("2023", 2023),
    ("18,518.32", 18518.32),
    ("6,044.2", 6044.2),
    ("1，234", 1234),
    ("1,050,000,000", 1050000000),
    ("99.6", 99.6),
    ("100.00", 100),
    (".5", 0.5),
    ("-3.2", -3.2),
    ("+5", 5),
    (" 95.46 ", 95.46),
    # Chinese numerals
    ("十", 10),
    ("十二", 12),
    ("二十", 20),
    ("一百五十二", 152),
    ("两百", 200),
    ("三千", 3000),
    ("一千零五", 1005),
    ("一千零五十", 1050),
    ("一千二百万", 12000000),
    ("一千两百三十四万", 12340000),
    ("一百零一万一千", 1011000),
    ("九万零四百", 90400),
    ("四千零五万", 40050000),
    ("五亿零六", 500000006),
    ("四亿五千六百四十二万零一十五", 456420015),
    ("一万零十二", 10012),
    ("一百零十万", 1100000),
    ("四万万", 400000000),
    ("五兆六十二亿四万五千二", 5006200045200),
    ("二〇二三", 2023),
    ("零", 0),
    # abbreviated trailing digit: 两千四百五 = 2450, 一万三 = 13000
    ("两千四百五", 2450),
    ("九百九", 990),
    ("一千陆", 1600),
    ("一万三", 13000),
    ("九十二万四", 924000),
    ("百三", 130),
    # financial numerals
    ("肆佰陸拾", 460),
    ("壹佰伍拾", 150),
    ("拾万零五十六", 100056),
    ("十万柒仟捌佰伍拾肆", 107854),
    ("倆千两百贰拾二", 2222),
    ("壹萬零二百五十", 10250),
    ("拾億零六萬零五百零六", 1000060506),
    # mixed Arabic + 万/亿/千
    ("1.5万", 15000),
    ("26.8亿", 2680000000),
    ("1,234.5万", 12345000),
    ("4.78万亿", 4780000000000),
    ("10万万", 1000000000),
    ("5万4千6百", 54600),
    ("7 万5 千4 百", 75400),
    ("5亿1万4千6百", 500014600),
    ("3千", 3000),
    # 点 decimals
    ("两百点两", 200.2),
    ("一点五", 1.5),
    ("零点五", 0.5),
    ("十点二三三", 10.233),
    ("两千点零", 2000),
    ("两千万点五五四四", 20000000.5544),
    ("一点五万", 15000),
    # signs
    ("负三十二", -32),
    ("負四十五億零四百零四萬", -4504040000),
    ("负10000", -10000),
]

NOT_NUMBERS = [
    "",
    "  ",
    "万",
    "万万",
    "亿",
    "十余万",  # 余 is a qualifier: the grammar reads it
    "一千多",
    "三分之一",
    "百分之五十",  # percent words are grammar, not numerals
    "5G",
    "P1.5",
    "abc",
    "一切",
    "四川",
    "点五",
    "一点",
    "1,2345",
    "十百",
    "2023年",
    "负",
]


@pytest.mark.parametrize(("text", "value"), NUMBERS)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value, abs=1e-9)


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_not_a_number(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("18,518.32万", Decimal("185183200")), ("4.78万亿", Decimal("4780000000000"))],
)
def test_parse_decimal_is_exact(text: str, value: Decimal) -> None:
    assert parse_decimal(text) == value
