"""Query parameters: declared types, and raw `--param` text turned into RDF terms.

A parameter NAME is bound, as an RDF term of its declared TYPE, to the variable ?param_NAME:
never pasted into the query text. Each TYPE is a converter registered by name below.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from jixiao.errors import UsageError
from jixiao.registry import Registry

if TYPE_CHECKING:
    from jixiao.queries.library import NamedQuery

# An absolute IRI: a scheme, a colon, and no character RFC 3987 forbids.
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*")


def is_absolute_iri(text: str) -> bool:
    return _ABSOLUTE_IRI.fullmatch(text) is not None


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    doc: str
    default: str | None = None
    required: bool = False

    def describe(self) -> str:
        """`name (type)`, `name (type, default: x)` or `name (type, required)` for listings and errors.

        A parameter with neither restricts nothing unless given.
        """
        if self.required:
            return f"{self.name} ({self.type}, required)"
        if self.default is not None:
            return f"{self.name} ({self.type}, default: {self.default})"
        return f"{self.name} ({self.type})"


Converter = Callable[[str, str], Node]  # (parameter name, raw text) → term
CONVERTERS: Registry[Converter] = Registry("parameter type")


# Fiscal years of the People's Republic's budgets, with room ahead (`--year` and year parameters).
FISCAL_YEAR_RANGE = (1949, 2200)
# A decimal parameter has at most this many digits before or after the point: amounts in 元 need
# far fewer, and `1e999999` would otherwise be written out as a million digits.
MAX_DECIMAL_DIGITS = 40
# Full-width digits (０-９), as a Chinese input method types them, read as ASCII digits.
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@CONVERTERS.register("literal")
def _literal(_name: str, raw: str) -> Node:
    return Literal(raw.translate(_FULL_WIDTH_DIGITS))


@CONVERTERS.register("year")
def _year(name: str, raw: str) -> Node:
    text = unicodedata.normalize("NFKC", raw).strip()
    first, last = FISCAL_YEAR_RANGE
    if not re.fullmatch(r"[0-9]{4}", text) or not first <= int(text) <= last:
        raise UsageError(f"parameter {name} expects a year YYYY between {first} and {last}, got {raw!r}")
    return Literal(text, datatype=XSD.gYear)


@CONVERTERS.register("integer")
def _integer(name: str, raw: str) -> Node:
    number = _number(name, raw)
    if number != number.to_integral():
        raise UsageError(f"parameter {name} expects a whole number, got {raw!r}")
    return Literal(int(number))


@CONVERTERS.register("decimal")
def _decimal(name: str, raw: str) -> Node:
    return Literal(_number(name, raw), datatype=XSD.decimal)


@CONVERTERS.register("iri")
def _iri(name: str, raw: str) -> Node:
    if not is_absolute_iri(raw):
        raise UsageError(f"parameter {name} expects an absolute IRI, got {raw!r}")
    return URIRef(raw)


def _number(name: str, raw: str) -> Decimal:
    text = unicodedata.normalize("NFKC", raw).strip()  # full-width digits, signs and points as ASCII
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise UsageError(f"parameter {name} expects a number, got {raw!r}") from error
    if not number.is_finite():
        raise UsageError(f"parameter {name} expects a finite number, got {raw!r}")
    if not number.is_zero() and (abs(number.adjusted()) >= MAX_DECIMAL_DIGITS or -number.as_tuple().exponent > MAX_DECIMAL_DIGITS):  # type: ignore[operator]
        raise UsageError(f"parameter {name} expects a number of at most {MAX_DECIMAL_DIGITS} digits before and after the point, got {raw!r}")
    return number


PARAM_TYPES = tuple(CONVERTERS)


def term(parameter: Parameter, raw: str) -> Node:
    """The RDF term `raw` stands for as a value of `parameter` (a UsageError when it is not one)."""
    return CONVERTERS[parameter.type](parameter.name, raw)


def bind(query: NamedQuery, raw: dict[str, str]) -> dict[str, Node]:
    """Turn `--param k=v` values (and defaults) into RDF terms for ?param_k.

    An unknown name or a missing required parameter is an error that lists the parameters.
    """
    known = "; ".join(p.describe() for p in query.params.values()) or "none"
    for name in raw:
        if name not in query.params:
            raise UsageError(f"query {query.name} has no parameter {name!r}; its parameters: {known}")
    bindings: dict[str, Node] = {}
    for name, parameter in query.params.items():
        value = raw.get(name, parameter.default)
        if value is None:
            if parameter.required:
                raise UsageError(f"query {query.name} needs --param {name}=...; its parameters: {known}")
            continue
        bindings[f"param_{name}"] = term(parameter, value)
    return bindings
