"""Parse a target value (指标值) into comparator, number and unit, converted to the base unit.

`=48万元` → (=, 480000, 元); `≥20万人` → (>=, 200000, 人); `95%以上` → (>=, 95, %);
`1-3天` → between 1 and 3 天; `5万平方米` → 50000 平方米 (万 is a multiplier before any unit);
`1次/月` → 1 次/月 (a rate, composed from 次 and 月); `2020年1月--2020年11月` → a period;
`进一步优化` → a qualitative target with its text kept.

Comparator forms (prefix, suffix, OCR and date-suffix forms), units, multipliers and factors
come from the ontology (ontology/*.ttl, read through jixiao.vocabulary); this module holds only
the grammar: where a comparator stands, what a number, a range and a date look like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from jixiao.namespaces import JX
from jixiao.vocabulary import Unit, Vocabulary, canon, vocabulary

_NUMBER_TEXT = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NUMBER = re.compile(rf"^({_NUMBER_TEXT})")
# Between the two bounds of a range or the two dates of a period (after NFKC: ～ is ~).
_RANGE_SEPARATOR = r"(?:-{1,2}|—{1,2}|–|~|至|到)"
# A date: a year 19xx/20xx with 年 and optional month and day, or YYYY.MM / YYYY-MM / YYYY/MM.
_DATE_TEXT = r"(?:19|20)\d{2}(?:年(?:\d{1,2}月(?:\d{1,2}日)?)?|[./-]\d{1,2}(?:[./-]\d{1,2})?)"
_DATE_PARTS = re.compile(r"^((?:19|20)\d{2})(?:年(?:(\d{1,2})月(?:(\d{1,2})日)?)?|[./-](\d{1,2})(?:[./-](\d{1,2}))?)?")
_PERIOD = re.compile(rf"^({_DATE_TEXT}){_RANGE_SEPARATOR}({_DATE_TEXT})(.*)$")
# A single date needs 年: 2023.07 alone could be a decimal.
_SINGLE_DATE = re.compile(r"^((?:19|20)\d{2}年(?:\d{1,2}月(?:\d{1,2}日)?)?)(.*)$")
_RANGE_TAIL = re.compile(rf"^([^\d+-]*?){_RANGE_SEPARATOR}({_NUMBER_TEXT})(.*)$")
_YEAR_PERIOD = re.compile(rf"^((?:19|20)\d{{2}})年?{_RANGE_SEPARATOR}((?:19|20)\d{{2}})年(.*)$")
_WHOLE_YEAR = ("全年", "全年度", "年度")
# Text after a date longer than this is a sentence, not a period ("2021年完成全部改造任务并验收").
_MAX_DATE_TAIL_CHARS = 4
# A unit longer than this is more likely a sentence (e.g. "2024年底前完成") than a unit.
_MAX_UNKNOWN_UNIT_CHARS = 4
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class ValueNote:
    """Something the parser noticed: a note kind (local name in jx:) and what it decided.

    `finding` says whether it is odd and kept as written (an unknown unit) rather than a repair
    or a reading of a routine form (an implied "=", an OCR comparator, a unit from its column).
    """

    kind: str
    decision: str
    finding: bool = True


@dataclass(frozen=True)
class ParsedValue:
    """A target value as written and as understood.

    `comparator_stated` says whether the comparator was written (before or after the number, or in
    a direction column); `280人次` has none: it is read as "=" and recorded as not stated. A range
    (`1-3天`) has the comparator jx:Between, `number` its lower and `upper` its upper bound. A date
    or period (`2020年1月--2020年11月`) has no number: `period_start`/`period_end` are ISO forms
    (`2020`, `2020-01`, `2020-01-31`), either one None where the text leaves that end open.
    """

    stated: str
    comparator: URIRef | None = None
    stated_number: Decimal | None = None
    stated_unit: URIRef | None = None
    unit_text: str = ""
    number: Decimal | None = None
    unit: Unit | None = None
    notes: tuple[ValueNote, ...] = field(default_factory=tuple)
    comparator_stated: bool = False
    upper: Decimal | None = None
    stated_upper: Decimal | None = None
    period_start: str | None = None
    period_end: str | None = None

    @property
    def quantitative(self) -> bool:
        return self.number is not None

    @property
    def period(self) -> bool:
        return self.period_start is not None or self.period_end is not None


def plain_decimal(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent form (270600.00 → 270600)."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral() else normal


@dataclass(frozen=True)
class _Grammar:
    """The parts of the value grammar the vocabulary gives beyond jixiao.vocabulary's tables."""

    ocr_forms: tuple[tuple[str, URIRef], ...]
    date_suffixes: tuple[tuple[str, URIRef], ...]
    multipliers: tuple[tuple[str, Decimal], ...]
    symbolic: frozenset[str]  # comparator forms written with symbols (≥, >=), not words (不低于)


def _read_grammar(vocab: Vocabulary) -> _Grammar:
    graph = vocab.graph

    def forms(predicate: URIRef) -> tuple[tuple[str, URIRef], ...]:
        pairs = [(canon(str(o)), s) for s, o in graph.subject_objects(predicate) if isinstance(s, URIRef)]
        return tuple(sorted(pairs, key=lambda pair: (-len(pair[0]), pair[0])))

    multipliers = []
    for concept in graph.subjects(RDF.type, JX.NumberMultiplier):
        factor = graph.value(concept, JX.conversionFactor)
        for predicate in (SKOS.prefLabel, SKOS.altLabel):
            for label in graph.objects(concept, predicate):
                if isinstance(label, Literal) and label.language == "zh" and isinstance(factor, Literal):
                    multipliers.append((canon(str(label)), Decimal(str(factor))))
    symbolic = frozenset(form for form, _ in vocab.comparator_prefixes if not _CJK.search(form))
    return _Grammar(forms(JX.ocrForm), forms(JX.dateSuffixForm),
                    tuple(sorted(multipliers, key=lambda pair: -len(pair[0]))), symbolic)


# One grammar per vocabulary graph (a Vocabulary is mutable, hence not hashable for a cache).
_GRAMMARS: dict[int, tuple[Vocabulary, _Grammar]] = {}


def _grammar(vocab: Vocabulary) -> _Grammar:
    known = _GRAMMARS.get(id(vocab))
    if known is None or known[0] is not vocab:
        known = _GRAMMARS[id(vocab)] = (vocab, _read_grammar(vocab))
    return known[1]


def _strip_comparator(text: str, vocab: Vocabulary) -> tuple[URIRef | None, str, str]:
    """The comparator written before the number, the rest, and the form as written ('' if none)."""
    for form, comparator in vocab.comparator_prefixes:
        if form and text.startswith(form):
            return comparator, text[len(form):], form
    return None, text, ""


def _strip_suffix(text: str, vocab: Vocabulary) -> tuple[URIRef | None, str]:
    for form, comparator in vocab.comparator_suffixes:
        if form and text.endswith(form):
            return comparator, text[: -len(form)]
    return None, text


def _compose(numerator: Unit, denominator: Unit, written: str, vocab: Vocabulary) -> Unit:
    """`numerator` per `denominator` (次/月, 人/年, 万元/株): the denominator is kept as written.

    A pair the unit table lists in base units (万元/人 → 元/人, 万元/人/天 → 元/人/天) gives that unit;
    any other pair is a unit of its own (次/月), its base unit being the numerator's base per the
    denominator, and its kind a frequency where the denominator is a duration.
    """
    listed = vocab.units.get(canon(f"{numerator.base_label}/{denominator.label}"))
    if listed is not None:
        return Unit(listed.iri if numerator.factor == 1 else URIRef(""), written, listed.base, listed.base_label,
                    numerator.factor * listed.factor, listed.kind)
    if denominator.kind == JX.Duration:
        kind: URIRef | None = JX.Frequency
    elif numerator.kind == JX.Money:
        kind = JX.UnitCost
    else:
        kind = None
    # No IRI: the ontology does not define the pair; the mapper declares it once, by its label, as
    # it does a unit kept as written (jixiao.graph.mapping).
    return Unit(URIRef(""), written, URIRef(""), f"{numerator.base_label}/{denominator.label}", numerator.factor, kind)


def _scaled(unit: Unit, factor: Decimal, written: str) -> Unit:
    """`unit` after a multiplier (万平方米 = 平方米 × 10000): no IRI of its own, the same base."""
    return Unit(URIRef(""), written, unit.base, unit.base_label, unit.factor * factor, unit.kind)


def _multiplier(key: str, vocab: Vocabulary) -> tuple[Decimal, str] | None:
    for label, factor in _grammar(vocab).multipliers:
        if key.startswith(label):
            return factor, key[len(label):]
    return None


def resolve_unit(unit_text: str, vocab: Vocabulary | None = None) -> Unit | None:
    """The unit for `unit_text`: a unit of the table, or one composed by the grammar's rules.

    Looked up whole first (万元 and 万人 are units of the table); then a multiplier before a unit
    (万平方米 → 平方米 × 10000); then a rate `X/Y` (次/月, 万元/人, 人/年) from its two parts.
    Nothing is matched by prefix: a unit word the table lacks is not read as another that
    starts the same way.
    """
    vocab = vocab or vocabulary()
    key = canon(unit_text)
    if not key:
        return None
    if key in vocab.units:
        return vocab.units[key]
    scaled = _multiplier(key, vocab)
    if scaled is not None and scaled[1] and "/" not in scaled[1]:
        inner = resolve_unit(scaled[1], vocab)
        return _scaled(inner, scaled[0], unit_text) if inner is not None else None
    numerator_text, slash, denominator_text = key.rpartition("/")
    if not slash or not numerator_text or not denominator_text:
        return None
    numerator = resolve_unit(numerator_text, vocab)
    denominator = vocab.units.get(denominator_text)
    if numerator is None or denominator is None:
        return None
    return _compose(numerator, denominator, unit_text, vocab)


def _iso_date(text: str) -> str | None:
    """`2020年1月` → `2020-01`; None where the month or day cannot be one (2020-20)."""
    match = _DATE_PARTS.match(text)
    if match is None:
        return None
    year, month, day = match.group(1), match.group(2) or match.group(4), match.group(3) or match.group(5)
    if (month and not 1 <= int(month) <= 12) or (day and not 1 <= int(day) <= 31):
        return None
    return "-".join([year] + [f"{int(p):02d}" for p in (month, day) if p])


def _deadline(tail: str, vocab: Vocabulary) -> tuple[URIRef | None, str]:
    for form, comparator in _grammar(vocab).date_suffixes:
        if tail.startswith(form):
            return comparator, tail[len(form):]
    return None, tail


def _parse_period(stated: str, text: str, comparator: URIRef | None, vocab: Vocabulary) -> ParsedValue | None:
    """A date or a period (`2020年1月--2020年11月`, `2021年全年`, `2024年6月前`), or None."""
    period = _YEAR_PERIOD.match(text) or _PERIOD.match(text)
    if period is not None:
        start, end, tail = _iso_date(period.group(1)), _iso_date(period.group(2)), period.group(3)
    else:
        single = _SINGLE_DATE.match(text)
        if single is None:
            return None
        start = end = _iso_date(single.group(1))
        tail = single.group(2)
    if start is None or end is None:
        return None
    suffix, tail = _deadline(tail, vocab)
    if suffix is not None and period is None:
        start = None  # "by that date": the start is open
    if tail in _WHOLE_YEAR:
        tail = ""
    if len(tail) > _MAX_DATE_TAIL_CHARS:
        return None
    written = comparator is not None or suffix is not None
    return ParsedValue(stated, comparator or suffix, comparator_stated=written, period_start=start, period_end=end,
                       notes=(ValueNote("PeriodValue", f"read as the period {start or '…'} to {end or '…'}", False),))


def _comparator_from_column(direction: str | None, vocab: Vocabulary) -> URIRef | None:
    if not direction:
        return None
    key = canon(direction)
    return next((comparator for form, comparator in vocab.comparator_prefixes if form == key), None)


def parse_value(stated: str, vocab: Vocabulary | None = None, *, unit_column: str | None = None,
                direction_column: str | None = None, default_unit: str | None = None) -> ParsedValue:
    """Parse one 指标值 cell. Never raises: what is not a number is a qualitative target.

    `unit_column` and `direction_column` are the cells of a 计量单位 and a 指标方向 column, where the
    form has them: used when the value itself writes no unit or no comparator, with a note.
    `default_unit` is the unit to assume when none is written, without a note (the 金额单位 of a
    budget cell).
    """
    vocab = vocab or vocabulary()
    text = canon(stated)
    comparator, rest, form = _strip_comparator(text, vocab)
    notes: list[ValueNote] = []
    if comparator is None:
        for ocr, meant in _grammar(vocab).ocr_forms:
            if text.startswith(ocr) and _NUMBER.match(text[len(ocr):]):
                comparator, rest, form = meant, text[len(ocr):], ocr
                notes.append(ValueNote("ComparatorOcrRepaired", f"'{ocr}' before the number read as '{vocab.notation[meant]}'", False))
                break
    period = _parse_period(stated, rest, comparator, vocab)
    if period is not None:
        return period
    match = _NUMBER.match(rest)
    if match is None:
        if comparator is not None and form in _grammar(vocab).symbolic:
            # A comparator sign with no number (an unfilled template's "≧ %"): kept as written.
            return ParsedValue(stated=stated, comparator=comparator, comparator_stated=True,
                               notes=(ValueNote("UnparseableValue", "kept as a qualitative target"),))
        return ParsedValue(stated=stated)
    try:
        number = Decimal(match.group(1).replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only valid numbers
        return ParsedValue(stated=stated, notes=(ValueNote("UnparseableValue", "kept as text"),))
    unit_text = rest[match.end():]
    upper: Decimal | None = None
    range_tail = _RANGE_TAIL.match(unit_text)
    if range_tail is not None and comparator is None:
        first_unit, upper_text, second_unit = range_tail.groups()
        if not first_unit or not second_unit or canon(first_unit) == canon(second_unit):
            upper = Decimal(upper_text.replace(",", ""))
            unit_text = second_unit or first_unit
            comparator = JX.Between
            form = "between"
    suffix, unit_text = _strip_suffix(unit_text, vocab)
    if comparator is None:
        comparator = suffix
    stated_comparator = comparator is not None
    if comparator is None:
        comparator = _comparator_from_column(direction_column, vocab)
        if comparator is not None:
            stated_comparator = True
            notes.append(ValueNote("UnitFromColumn", f"comparator '{direction_column}' read from its own column", False))
    if comparator is None:
        comparator = JX.Equal
        notes.append(ValueNote("ImpliedComparator", "'=' assumed", False))
    if not unit_text and unit_column and canon(unit_column):
        unit_text = unit_column
        notes.append(ValueNote("UnitFromColumn", f"unit '{unit_column}' read from its own column", False))
    elif not unit_text and default_unit:
        unit_text = default_unit
    parsed = _with_unit(stated, comparator, number, unit_text, notes, vocab, default_unit)
    return _finish(parsed, stated_comparator, upper)


def _finish(parsed: ParsedValue, stated_comparator: bool, upper: Decimal | None) -> ParsedValue:
    if not parsed.quantitative:
        return parsed
    factor = parsed.unit.factor if parsed.unit is not None else _bare_factor(parsed)
    scaled_upper = plain_decimal(upper * factor) if upper is not None else None
    return ParsedValue(parsed.stated, parsed.comparator, parsed.stated_number, parsed.stated_unit, parsed.unit_text,
                       parsed.number, parsed.unit, parsed.notes, stated_comparator, scaled_upper, upper)


def _bare_factor(parsed: ParsedValue) -> Decimal:
    if parsed.number is None or parsed.stated_number in (None, 0):
        return Decimal(1)
    assert parsed.stated_number is not None
    return parsed.number / parsed.stated_number


def _with_unit(stated: str, comparator: URIRef, number: Decimal, unit_text: str,
               notes: list[ValueNote], vocab: Vocabulary, default_unit: str | None = None) -> ParsedValue:
    if not unit_text:
        return ParsedValue(stated, comparator, number, None, "", plain_decimal(number), None, tuple(notes))
    unit = resolve_unit(unit_text, vocab)
    if unit is None:
        bare = _multiplier(canon(unit_text), vocab)
        if bare is not None and (not bare[1] or bare[1].startswith("/")):
            return _bare_multiplier(stated, comparator, number, unit_text, bare, notes, vocab, default_unit)
        if len(unit_text) > _MAX_UNKNOWN_UNIT_CHARS:
            return ParsedValue(stated, notes=(ValueNote("UnparseableValue", "kept as a qualitative target"),))
        notes.append(ValueNote("UnknownUnit", f"unit '{unit_text}' kept as written, not converted"))
        return ParsedValue(stated, comparator, number, None, unit_text, plain_decimal(number), None, tuple(notes))
    stated_unit = unit.iri if unit.iri != URIRef("") and unit.iri in vocab.declared_units else None
    return ParsedValue(stated, comparator, number, stated_unit, unit_text,
                       plain_decimal(number * unit.factor), unit, tuple(notes))


def _bare_multiplier(stated: str, comparator: URIRef, number: Decimal, unit_text: str, bare: tuple[Decimal, str],
                     notes: list[ValueNote], vocab: Vocabulary, default_unit: str | None) -> ParsedValue:
    """`250万` or `620万/月`: a multiplier with no unit after it."""
    factor, after = bare
    if default_unit and not after:
        unit = resolve_unit(default_unit, vocab)
        if unit is not None:
            return ParsedValue(stated, comparator, number, None, unit_text,
                               plain_decimal(number * factor * unit.factor), _scaled(unit, factor, unit_text), tuple(notes))
    notes.append(ValueNote("MultiplierWithoutUnit", f"number multiplied by {factor}; no unit written, none guessed"))
    return ParsedValue(stated, comparator, number, None, after, plain_decimal(number * factor), None, tuple(notes))
