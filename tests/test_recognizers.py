"""parse_quantity against Microsoft Recognizers-Text's Chinese specs, and a few direct cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from quantities import parse_quantity

from pipeline.quantities.numerals import parse_number

CASES = (
    Path(__file__).resolve().parents[2] / "shared" / "peer-tests" / "recognizers-text-zh"
) / "cases.jsonl"

QUANTITIES = [
    ("百分之五十", 50, "percent"),
    ("六個百分點", 6, "percent"),
    ("三成半", 35, "percent"),
    ("九折", 90, "percent"),
    ("五五折", 55, "percent"),
    ("八点五折", 85, "percent"),
    ("千分之2.4", 0.24, "percent"),
    ("-22.2%", -22.2, "percent"),
    ("五 分之 壹", 0.2, None),
    ("負3分之負壹百五十七", 157 / 3, None),
    ("4 6/3", 6, None),
    ("十 余 萬", 100000, None),
    ("肆佰陸拾", 460, None),
    ("1,234.5万", 12345000, None),
    ("两百", 200, None),
    ("五十打", 600, None),
    ("40k", 40000, None),
    ("7.２成", 72, "percent"),
    ("两美元又三美分", 2.03, "currency:美元"),
    ("8亿元人民币", 800000000, "currency:元"),
]


@pytest.mark.parametrize(("text", "value", "kind"), QUANTITIES)
def test_parse_quantity(text: str, value: float, kind: str | None) -> None:
    got = parse_quantity(text)
    assert got is not None
    assert got[0] == pytest.approx(value, rel=1e-9)
    assert got[1] == kind


@pytest.mark.parametrize("text", ["", "abc", "一切", "百分之", "人民币", "3/0", "万"])
def test_not_a_quantity(text: str) -> None:
    assert parse_quantity(text) is None


@pytest.mark.parametrize("text", ["十余万", "三分之一", "百分之五十", "5G"])
def test_parse_number_keeps_its_contract(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.skipif(not CASES.exists(), reason="needs ../shared/peer-tests/recognizers-text-zh")
def test_agreement_with_recognizers_text() -> None:
    from check_recognizers import LONE_NUMERALS, agreement

    report = agreement(CASES)
    assert report["rate"] >= 0.98, report["disagreements"]
    assert report["counts"]["total"] >= 500
    assert all(
        len(text.strip()) == 1 and text.strip() in LONE_NUMERALS for _, text in report["set_aside"]
    )
