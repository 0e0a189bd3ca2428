"""Numbers written exactly by every answer writer, on both routes (the store's own terms and rdflib terms), whatever their length."""

from __future__ import annotations

import io
from decimal import Decimal

import pyoxigraph as ox
import pytest

from jixiao.queries import write
from jixiao.queries.formats import plain_parts
from jixiao.stores.base import TermParts
from jixiao.stores.oxigraph import OxigraphBackend

XSD = "http://www.w3.org/2001/XMLSchema#"
QUERY = "SELECT ?v WHERE { ?s <http://ex/v> ?v }"


def _store(lexical: str, datatype: str) -> OxigraphBackend:
    backend = OxigraphBackend()
    backend.store.add(ox.Quad(ox.NamedNode("http://ex/s"), ox.NamedNode("http://ex/v"), ox.Literal(lexical, datatype=ox.NamedNode(XSD + datatype))))
    return backend


def test_a_decimal_of_more_than_28_digits_is_written_exactly() -> None:
    """formats._number normalises with the default decimal context (28 digits): 12345678901234567890.123456789, a decimal
    Oxigraph keeps exactly, was written 12345678901234567890.12345679 (the module's claim: "xsd:decimal kept exact")."""
    text = "12345678901234567890.123456789"
    assert plain_parts(TermParts("literal", text, XSD + "decimal")) == Decimal(text)
    backend = _store(text, "decimal")
    for route in (backend.select, backend.select_terms):
        out = io.StringIO()
        write("csv", route(QUERY, {}), out)
        assert out.getvalue().splitlines()[1] == text


@pytest.mark.parametrize("output_format", ["csv", "json", "table"])
def test_a_huge_integer_is_written_not_raised_midway(output_format: str) -> None:
    """An integer literal of more than 4,300 digits (Python's int/str conversion limit): the writers raise ValueError
    after the rows before it were written, on both routes."""
    big = "1" + "0" * 5000
    backend = _store(big, "integer")
    for route in (backend.select, backend.select_terms):
        out = io.StringIO()
        write(output_format, route(QUERY, {}), out)
        assert big in out.getvalue()
