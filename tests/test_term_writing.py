"""The mapper's and encoder's shortcuts past rdflib write exactly what rdflib writes.

The encoder writes the N-Triples form of IRIs and literals itself (`_iri_text`, `_literal_text`),
the mapper makes each of a document's literals once (`mapping.Literals`) and names its terms through
`TermsOnce`; each must give the terms and text rdflib gives, for any value, and refuse what rdflib
refuses.
"""

from __future__ import annotations

import warnings
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from jixiao.graph.build import _DocumentEncoder, _iri_text, _literal_text
from jixiao.graph.mapping import Literals, document_chunks
from jixiao.namespaces import JX, TermsOnce
from jixiao.reading import normalize, read_file

# Text with what N-Triples escapes (quotes, backslashes, line ends) and what it does not (CJK, tabs).
TEXT = st.text(alphabet=st.sampled_from(list('ab "\\\r\n\t1.-+e指标值≥%')), max_size=12)
DATATYPES = st.sampled_from([None, XSD.string, XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.boolean, XSD.gYear, XSD.date])


@settings(max_examples=400, deadline=None)
@given(TEXT, DATATYPES)
def test_a_literal_is_written_as_rdflib_writes_it(text: str, datatype: URIRef | None) -> None:
    literal = Literal(text, datatype=datatype)
    assert _literal_text(literal) == literal.n3()


@settings(max_examples=200, deadline=None)
@given(TEXT, st.sampled_from(["zh", "en", "zh-Hans"]))
def test_a_literal_with_a_language_is_written_as_rdflib_writes_it(text: str, language: str) -> None:
    literal = Literal(text, lang=language)
    assert _literal_text(literal) == literal.n3()


@settings(max_examples=200, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False) | st.integers() | st.booleans())
def test_a_value_is_written_as_rdflib_writes_it(value: Decimal | int | bool) -> None:
    for literal in (Literal(value), Literal(value, datatype=XSD.decimal) if isinstance(value, Decimal) else Literal(value)):
        assert _literal_text(literal) == literal.n3()


@pytest.mark.parametrize("lexical", ["INF", "-INF", "NaN", "1e400", "inf", "12.50", "+3", "abc"])
@pytest.mark.parametrize("datatype", [XSD.double, XSD.float, XSD.decimal])
def test_numbers_rdflib_spells_its_own_way_are_left_to_it(lexical: str, datatype: URIRef) -> None:
    literal = Literal(lexical, datatype=datatype)
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        written = _literal_text(literal)
    with warnings.catch_warnings(record=True) as rdflibs:
        warnings.simplefilter("always")
        expected = literal.n3()
    assert written == expected
    assert len(ours) == len(rdflibs)  # "Serializing weird numerical" still said for "abc"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab/:#<>" {}|\\^`项')), max_size=10))
def test_an_iri_is_written_as_rdflib_writes_it_or_refused_as_rdflib_refuses_it(path: str) -> None:
    iri = URIRef("https://example.org/" + path)
    try:
        expected = iri.n3()
    except Exception as refused:  # rdflib raises a bare Exception for an IRI N-Triples cannot hold
        with pytest.raises(type(refused)):
            _iri_text(iri)
    else:
        assert _iri_text(iri) == expected


def test_a_documents_literals_are_made_once_and_only_the_same_term_is_shared() -> None:
    literal = Literals()
    assert literal("280人次") is literal("280人次")
    assert literal(Decimal("1.0"), XSD.decimal) is not literal(Decimal("1.00"), XSD.decimal)  # equal in Python, not the same term
    assert literal(Decimal("1.00"), XSD.decimal).n3() == Literal(Decimal("1.00"), datatype=XSD.decimal).n3()
    assert literal(True) is not literal(1)
    assert literal(True).n3() == Literal(True).n3() and literal(1).n3() == Literal(1).n3()
    assert literal("1") is not literal(1)
    assert literal.year(2024) == Literal("2024", datatype=XSD.gYear) and literal.year(None) is None
    assert literal.decimal(Decimal("130")) == Literal(Decimal("130"), datatype=XSD.decimal)


def test_terms_once_gives_the_namespaces_terms_and_refuses_what_a_closed_namespace_refuses() -> None:
    jx = TermsOnce(JX)
    assert jx.Project == JX.Project and jx.Project is jx.Project
    assert jx["Finding"] == JX.Finding and jx["Finding"] is jx["Finding"]
    assert TermsOnce(RDF).type == RDF.type and str(jx) == str(JX)
    with pytest.raises(AttributeError):
        _ = jx.NoSuchTerm


def test_encoded_statements_are_rdflib_n3_of_the_mapped_triples() -> None:
    """The encoder's statements, written by its own term writer, are the mapped triples' n3(), each
    once, whether a literal object comes back or a new equal one is made."""
    document = normalize(read_file(Path(__file__).parents[1] / "examples" / "000_34530bcdda777c34.txt"))
    encoder = _DocumentEncoder(entail=False)
    chunks = list(document_chunks(document))
    for chunk in chunks:
        statements = encoder.encode(chunk).statements
        assert len(statements) == len(set(statements))
        assert set(statements) == {(s.n3(), p.n3(), o.n3()) for s, p, o in chunk.triples}
    chunk = chunks[-1]
    rebuilt = [(s, p, Literal(str(o), lang=o.language, datatype=o.datatype) if isinstance(o, Literal) else o) for s, p, o in chunk.triples]
    again = _DocumentEncoder(entail=False).encode(type(chunk)(chunk.key, chunk.graph, rebuilt, chunk.source)).statements
    assert again == _DocumentEncoder(entail=False).encode(chunk).statements
