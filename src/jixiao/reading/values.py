"""Parse a target value (指标值) into comparator, number and unit, converted to the base unit.

`=48万元` → (=, 480000, 元); `≥20万人` → (>=, 200000, 人); `95%以上` → (>=, 95, %);
`进一步优化` → a qualitative target with its text kept. Comparator forms, units and factors
come from the ontology (see vocab.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import URIRef

from jixiao.namespaces import JX
from jixiao.vocabulary import Unit, Vocabulary, canon, vocabulary

_NUMBER = re.compile(r"^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)")
# A unit longer than this is more likely a sentence (e.g. "2024年底前完成") than a unit.
_MAX_UNKNOWN_UNIT_CHARS = 4


@dataclass(frozen=True)
class ValueNote:
    """Something the parser noticed: a note kind (local name in jx:) and what it decided."""

    kind: str
    decision: str


@dataclass(frozen=True)
class ParsedValue:
    """A target value as written and as understood."""

    stated: str
    comparator: URIRef | None = None
    stated_number: Decimal | None = None
    stated_unit: URIRef | None = None
    unit_text: str = ""
    number: Decimal | None = None
    unit: Unit | None = None
    notes: tuple[ValueNote, ...] = field(default_factory=tuple)

    @property
    def quantitative(self) -> bool:
        return self.number is not None


def plain_decimal(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent form (270600.00 → 270600)."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral() else normal


def _strip_comparator(text: str, vocab: Vocabulary) -> tuple[URIRef | None, str]:
    for form, comparator in vocab.comparator_prefixes:
        if text.startswith(form):
            return comparator, text[len(form):]
    return None, text


def _strip_suffix(text: str, vocab: Vocabulary) -> tuple[URIRef | None, str]:
    for form, comparator in vocab.comparator_suffixes:
        if text.endswith(form):
            return comparator, text[: -len(form)]
    return None, text


def resolve_unit(unit_text: str, vocab: Vocabulary | None = None) -> Unit | None:
    """The unit for `unit_text`, composing money-per-something units (万元/人 → 元/人 × 10000)."""
    vocab = vocab or vocabulary()
    key = canon(unit_text)
    if key in vocab.units:
        return vocab.units[key]
    numerator, slash, rest = key.partition("/")
    money = vocab.units.get(numerator)
    if slash and money is not None and money.kind == JX.Money:
        base = vocab.units.get(canon(money.base_label + "/" + rest))
        if base is not None:
            return Unit(URIRef(""), unit_text, base.base, base.base_label, money.factor * base.factor, base.kind)
    return None


def parse_value(stated: str, vocab: Vocabulary | None = None) -> ParsedValue:
    """Parse one 指标值 cell. Never raises: what is not a number is a qualitative target."""
    vocab = vocab or vocabulary()
    text = canon(stated)
    comparator, rest = _strip_comparator(text, vocab)
    match = _NUMBER.match(rest)
    if match is None:
        notes = (ValueNote("UnparseableValue", "kept as a qualitative target"),) if comparator else ()
        return ParsedValue(stated=stated, notes=notes)
    try:
        number = Decimal(match.group(1).replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only valid numbers
        return ParsedValue(stated=stated, notes=(ValueNote("UnparseableValue", "kept as text"),))
    unit_text = rest[match.end():]
    suffix, unit_text = _strip_suffix(unit_text, vocab)
    notes: list[ValueNote] = []
    if comparator is None:
        comparator = suffix
    if comparator is None:
        comparator = JX.Equal
        notes.append(ValueNote("ImpliedComparator", "'=' assumed"))
    return _with_unit(stated, comparator, number, unit_text, notes, vocab)


def _with_unit(stated: str, comparator: URIRef, number: Decimal, unit_text: str,
               notes: list[ValueNote], vocab: Vocabulary) -> ParsedValue:
    if not unit_text:
        return ParsedValue(stated, comparator, number, None, "", plain_decimal(number), None, tuple(notes))
    unit = resolve_unit(unit_text, vocab)
    if unit is None:
        if len(unit_text) > _MAX_UNKNOWN_UNIT_CHARS:
            return ParsedValue(stated, notes=(ValueNote("UnparseableValue", "kept as a qualitative target"),))
        notes.append(ValueNote("UnknownUnit", f"unit '{unit_text}' kept as written, not converted"))
        return ParsedValue(stated, comparator, number, None, unit_text, plain_decimal(number), None, tuple(notes))
    stated_unit = unit.iri if unit.iri != URIRef("") else None
    return ParsedValue(stated, comparator, number, stated_unit, unit_text,
                       plain_decimal(number * unit.factor), unit, tuple(notes))
