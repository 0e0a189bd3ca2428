"""The value parser: comparators, numbers, units and their conversion to base units."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.reading.values import parse_value, plain_decimal
from jixiao.vocabulary import canon, vocabulary

V = vocabulary()


@pytest.mark.parametrize(("stated", "comparator", "number", "unit"), [
    ("=48万元", "=", Decimal(480000), "元"),
    ("≥20万人", ">=", Decimal(200000), "人"),
    ("=1000元/人/天", "=", Decimal(1000), "元/人/天"),
    ("≤1年", "<=", Decimal(1), "年"),
    ("≥98%", ">=", Decimal(98), "%"),
    ("=100%", "=", Decimal(100), "%"),
    ("=27.06万元", "=", Decimal(270600), "元"),
    ("=625元/家", "=", Decimal(625), "元/家"),
    ("＝１００％", "=", Decimal(100), "%"),
    (">= 5 次", ">=", Decimal(5), "次"),
    ("不低于90%", ">=", Decimal(90), "%"),
    ("95%以上", ">=", Decimal(95), "%"),
    ("3个工作日以内", "<=", Decimal(3), "个工作日"),
    ("=3万元/人", "=", Decimal(30000), "元/人"),
    ("≥1,500人次", ">=", Decimal(1500), "人次"),
])
def test_quantitative_values(stated: str, comparator: str, number: Decimal, unit: str) -> None:
    parsed = parse_value(stated)
    assert parsed.quantitative
    assert V.notation[parsed.comparator] == comparator
    assert parsed.number == number
    assert parsed.unit is not None and parsed.unit.base_label == unit


@pytest.mark.parametrize("stated", ["进一步优化", "有效提高", "增加", "规范事业单位人员聘用", "达到预期"])
def test_qualitative_values(stated: str) -> None:
    parsed = parse_value(stated)
    assert not parsed.quantitative and parsed.comparator is None and parsed.stated == stated
    assert parsed.notes == ()


def test_number_without_comparator_assumes_equal_and_says_so() -> None:
    parsed = parse_value("48台")
    assert V.notation[parsed.comparator] == "=" and [n.kind for n in parsed.notes] == ["ImpliedComparator"]


def test_unknown_unit_is_kept_unconverted() -> None:
    parsed = parse_value("≥3棵")
    assert parsed.number == 3 and parsed.unit is None and parsed.unit_text == "棵"
    assert [n.kind for n in parsed.notes] == ["UnknownUnit"]


def test_comparator_without_number_is_unparseable() -> None:
    assert [n.kind for n in parse_value("≥若干").notes] == ["UnparseableValue"]


COMPARATOR_FORMS = [(form, c) for form, c in V.comparator_prefixes if form]
UNIT_LABELS = sorted({u.label for u in V.units.values()})


@given(
    form=st.sampled_from(COMPARATOR_FORMS),
    integer=st.integers(0, 10**7),
    fraction=st.one_of(st.none(), st.integers(0, 99)),
    unit_label=st.sampled_from(UNIT_LABELS),
    pad=st.sampled_from(["", " ", "　"]),
)
def test_parser_recovers_comparator_number_and_converted_unit(form, integer, fraction, unit_label, pad) -> None:
    text_form, comparator = form
    number_text = f"{integer}" if fraction is None else f"{integer}.{fraction:02d}"
    parsed = parse_value(f"{text_form}{pad}{number_text}{pad}{unit_label}")
    unit = V.units[canon(unit_label)]
    assert parsed.comparator == comparator
    assert parsed.stated_number == Decimal(number_text)
    assert parsed.number == plain_decimal(Decimal(number_text) * unit.factor)
    assert parsed.unit == unit


@given(st.text(alphabet=st.characters(categories=["Lo"]), min_size=1, max_size=12))
def test_text_without_digits_is_qualitative(text: str) -> None:
    parsed = parse_value(text)
    assert parsed.stated == text and not parsed.quantitative
