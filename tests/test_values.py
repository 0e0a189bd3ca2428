"""The value parser: comparators, numbers, units and their conversion to base units."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from jixiao.namespaces import JX
from jixiao.reading.values import parse_value, plain_decimal, resolve_unit
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
    parsed = parse_value("≥3匹")
    assert parsed.number == 3 and parsed.unit is None and parsed.unit_text == "匹"
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
    # A year 19xx/20xx written with 年 is a date by design (test_periods below), not a number of years.
    assume(not (fraction is None and 1900 <= integer <= 2099 and unit_label == "年"))
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


# ---------------------------------------------------------------------------------------------
# Forms found in other units' tables (issue 9)
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("stated", "comparator", "number", "unit"), [
    ("=100百分比", "=", Decimal(100), "%"),
    ("≥98百分比", ">=", Decimal(98), "%"),
    ("≥2个百分点", ">=", Decimal(2), "个百分点"),
    ("≥5万平方米", ">=", Decimal(50000), "平方米"),
    ("=3万元/人", "=", Decimal(30000), "元/人"),
    ("=2万元/人/天", "=", Decimal(20000), "元/人/天"),
    ("≥3条", ">=", Decimal(3), "条"),
    ("≥20座", ">=", Decimal(20), "座"),
    ("=2所", "=", Decimal(2), "所"),
    ("=4期", "=", Decimal(4), "期"),
    ("≥1次/月", ">=", Decimal(1), "次/月"),
    ("=2人/年", "=", Decimal(2), "人/年"),
    ("≤28.4元/株", "<=", Decimal("28.4"), "元/株"),
    ("=28.8萬元", "=", Decimal(288000), "元"),
    ("不低于90%", ">=", Decimal(90), "%"),
    ("不少于5次", ">=", Decimal(5), "次"),
    ("不超过10万元", "<=", Decimal(100000), "元"),
    ("大于80%", ">", Decimal(80), "%"),
    ("小于5%", "<", Decimal(5), "%"),
    ("达到95%", ">=", Decimal(95), "%"),
    ("95%以上", ">=", Decimal(95), "%"),
    ("3天以内", "<=", Decimal(3), "天"),
    ("＞＝９０％", ">=", Decimal(90), "%"),
])
def test_forms_of_other_units(stated: str, comparator: str, number: Decimal, unit: str) -> None:
    parsed = parse_value(stated)
    assert V.notation[parsed.comparator] == comparator and parsed.comparator_stated
    assert parsed.number == number
    assert parsed.unit is not None and parsed.unit.base_label == unit


def test_no_comparator_written_is_equality_not_stated() -> None:
    parsed = parse_value("280人次")
    assert V.notation[parsed.comparator] == "=" and not parsed.comparator_stated
    assert parsed.number == 280 and parsed.unit is not None and parsed.unit.label == "人次"
    assert [(n.kind, n.finding) for n in parsed.notes] == [("ImpliedComparator", False)]  # a routine form, not an oddity


def test_percentage_points_are_not_percent() -> None:
    points, percent = parse_value("2个百分点"), parse_value("2%")
    assert points.unit is not None and percent.unit is not None
    assert points.unit.base != percent.unit.base and points.unit.kind != percent.unit.kind


@pytest.mark.parametrize(("text", "label"), [("条", "条"), ("座", "座"), ("所", "所"), ("期", "期")])
def test_measure_words_are_their_own_units(text: str, label: str) -> None:
    """条 was read as 篇 (and 座/所 as 处, 期 as 场) through aliases: each is its own unit now."""
    unit = resolve_unit(text)
    assert unit is not None and unit.label == label and unit.base == unit.iri


def test_ocr_comparator_is_read_only_before_a_number_and_recorded() -> None:
    repaired = parse_value("二100百分比")
    assert V.notation[repaired.comparator] == "=" and repaired.number == 100
    assert [n.kind for n in repaired.notes] == ["ComparatorOcrRepaired"]
    assert not parse_value("二级医院").quantitative
    assert not parse_value("二级医院").notes


def test_bare_multiplier_scales_without_guessing_a_unit() -> None:
    bare = parse_value("250万")
    assert bare.number == 2500000 and bare.unit is None and "MultiplierWithoutUnit" in [n.kind for n in bare.notes]
    monthly = parse_value("≤620万/月")
    assert monthly.number == 6200000 and monthly.unit is None and monthly.unit_text == "/月"
    budget = parse_value("250万", default_unit="元")
    assert budget.number == 2500000 and budget.unit is not None and budget.unit.base_label == "元"


def test_unit_and_direction_from_their_own_columns() -> None:
    parsed = parse_value("95", unit_column="%", direction_column="≥")
    assert parsed.number == 95 and parsed.unit is not None and parsed.unit.label == "%"
    assert V.notation[parsed.comparator] == ">=" and parsed.comparator_stated
    assert [n.kind for n in parsed.notes] == ["UnitFromColumn", "UnitFromColumn"]
    own = parse_value("28.8万元", unit_column="%")
    assert own.unit is not None and own.unit.base_label == "元"


@pytest.mark.parametrize(("stated", "start", "end", "comparator"), [
    ("2020年1月--2020年11月", "2020-01", "2020-11", None),
    ("2023.07-2024.01", "2023-07", "2024-01", None),
    ("2021年全年", "2021", "2021", None),
    ("2020-2022年", "2020", "2022", None),
    ("2024年6月底前", None, "2024-06", "<="),
    ("2022年3月15日前", None, "2022-03-15", "<="),
])
def test_periods(stated: str, start: str | None, end: str, comparator: str | None) -> None:
    parsed = parse_value(stated)
    assert not parsed.quantitative and parsed.period
    assert (parsed.period_start, parsed.period_end) == (start, end)
    assert (V.notation[parsed.comparator] if parsed.comparator else None) == comparator


@pytest.mark.parametrize(("stated", "lower", "upper", "unit"), [
    ("1-3天", Decimal(1), Decimal(3), "天"),
    ("90%-95%", Decimal(90), Decimal(95), "%"),
    ("3～5个工作日", Decimal(3), Decimal(5), "个工作日"),
    ("1-2万元", Decimal(10000), Decimal(20000), "元"),
])
def test_ranges(stated: str, lower: Decimal, upper: Decimal, unit: str) -> None:
    parsed = parse_value(stated)
    assert V.notation[parsed.comparator] == "between" and parsed.comparator_stated
    assert (parsed.number, parsed.upper) == (lower, upper)
    assert parsed.unit is not None and parsed.unit.base_label == unit


SUFFIX_FORMS = [(form, c) for form, c in V.comparator_suffixes if form]
NUMBERS = st.builds(lambda i, f: f"{i}" if f is None else f"{i}.{f:02d}", st.integers(0, 10**6), st.one_of(st.none(), st.integers(0, 99)))


@given(form=st.sampled_from(SUFFIX_FORMS), number=NUMBERS, unit_label=st.sampled_from(UNIT_LABELS), width=st.booleans())
def test_suffix_comparators_after_number_and_unit(form, number, unit_label, width) -> None:
    text_form, comparator = form
    text = f"{number}{unit_label}{text_form}"
    if width:  # the same value written in full-width forms
        text = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    parsed = parse_value(text)
    assert parsed.comparator == comparator and parsed.comparator_stated
    assert parsed.number == plain_decimal(Decimal(number) * V.units[canon(unit_label)].factor)


@given(number=NUMBERS, unit_label=st.sampled_from(UNIT_LABELS))
def test_no_comparator_is_never_stated(number, unit_label) -> None:
    parsed = parse_value(f"{number}{unit_label}")
    assert parsed.quantitative and not parsed.comparator_stated and V.notation[parsed.comparator] == "="


MULTIPLIERS = {"万": Decimal(10000), "亿": Decimal(100000000)}
COUNT_OR_AREA = sorted({u.label for u in V.units.values() if u.factor == 1 and "/" not in u.label and not u.label.startswith(("万", "亿"))})


@given(number=NUMBERS, multiplier=st.sampled_from(sorted(MULTIPLIERS)), unit_label=st.sampled_from(COUNT_OR_AREA))
def test_multiplier_before_any_unit(number, multiplier, unit_label) -> None:
    parsed = parse_value(f"≥{number}{multiplier}{unit_label}")
    unit = V.units[canon(unit_label)]
    assert parsed.unit is not None and parsed.unit.base == unit.base
    known = V.units.get(canon(multiplier + unit_label))
    factor = known.factor if known is not None else MULTIPLIERS[multiplier]
    assert parsed.number == plain_decimal(Decimal(number) * factor)


@given(low=NUMBERS, high=NUMBERS, unit_label=st.sampled_from(COUNT_OR_AREA), separator=st.sampled_from(["-", "~", "～", "至", "--"]))
def test_ranges_keep_both_bounds(low, high, unit_label, separator) -> None:
    assume(not (unit_label == "年" and low.isdigit() and len(low) == 4))  # 2020-2022年 is a period of years
    parsed = parse_value(f"{low}{separator}{high}{unit_label}")
    assert parsed.comparator == JX.Between
    assert (parsed.stated_number, parsed.stated_upper) == (Decimal(low), Decimal(high))


@given(year=st.integers(1990, 2098), month=st.integers(1, 12), end_month=st.integers(1, 12), separator=st.sampled_from(["--", "-", "至", "~"]))
def test_periods_keep_start_and_end(year, month, end_month, separator) -> None:
    parsed = parse_value(f"{year}年{month}月{separator}{year + 1}年{end_month}月")
    assert (parsed.period_start, parsed.period_end) == (f"{year}-{month:02d}", f"{year + 1}-{end_month:02d}")
    assert not parsed.quantitative


@given(st.text(alphabet=st.characters(categories=["Lo"]), min_size=1, max_size=3))
def test_unit_words_are_never_matched_by_prefix(text: str) -> None:
    """A unit is found only under one of its own labels (or composed from them): never because a
    known unit starts like the text (条 is not 篇, 座 is not 处)."""
    unit = resolve_unit(text)
    if unit is None:
        return
    labels = {canon(label) for label in V.units}
    key = canon(text)
    assert key in labels or (key[0] in "万亿萬億" and key[1:] in labels)
