"""Queries at scale: `--limit`/`--offset` page a listing (rows are read lazily, so a page stops reading where it ends); the
rewritten year-over-year on more than two years; the conversion caches of the result path; the guard's kept verdicts."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef

from jixiao.cli.query import query
from jixiao.errors import UsageError
from jixiao.queries import formats, library, write
from jixiao.queries.guard import query_form
from jixiao.stores import MemoryBackend, oxigraph
from jixiao.stores.base import SelectResult
from jixiao.stores.oxigraph import OxigraphBackend, to_oxigraph


def test_query_limit_and_offset_page_the_rows(seed_path: Path) -> None:
    every = CliRunner().invoke(query, ["projects", str(seed_path), "--format", "csv"]).output.splitlines()
    page = CliRunner().invoke(query, ["projects", str(seed_path), "--format", "csv", "--offset", "2", "--limit", "3"]).output.splitlines()
    assert len(every) > 5 and page == [every[0], *every[3:6]]
    table = CliRunner().invoke(query, ["projects", str(seed_path), "--limit", "1"]).output.splitlines()
    assert len(table) == 4 and table[-1].startswith("(1 row")  # header, rule, one row, count


JX = Namespace("https://w3id.org/jixiao/ontology#")
EX = Namespace("https://example.org/id/")


def three_years() -> Graph:
    """One project declared in 2022, 2023 and 2024, one annual indicator whose target changes every year."""
    graph = Graph()
    graph.add((EX.p, RDF.type, JX.Project))
    graph.add((EX.p, RDFS.label, Literal("项目")))
    for year, stated in (("2022", "≥1人"), ("2023", "≥2人"), ("2024", "≥3人")):
        py, goal, indicator, target = EX["py" + year], EX["g" + year], EX["i" + year], EX["t" + year]
        graph.add((py, JX.yearOf, EX.p))
        graph.add((py, JX.fiscalYear, Literal(year, datatype=XSD.gYear)))
        graph.add((py, JX.hasGoal, goal))
        graph.add((goal, RDF.type, JX.AnnualGoal))
        graph.add((goal, JX.hasIndicator, indicator))
        graph.add((indicator, RDFS.label, Literal("人数")))
        graph.add((indicator, JX.target, target))
        graph.add((target, JX.statedValue, Literal(stated)))
    graph.add((JX.AnnualGoal, SKOS.notation, Literal("annual")))
    return graph


def test_year_over_year_pairs_consecutive_years_only() -> None:
    """2022→2023 and 2023→2024, never 2022→2024 (a year lies between), on rdflib and on Oxigraph."""
    graph = three_years()
    query = library()["year-over-year"]
    expected = [("项目", "2022", "2023", "changed", "≥1人", "≥2人"), ("项目", "2023", "2024", "changed", "≥2人", "≥3人")]
    for backend in (MemoryBackend(graph), OxigraphBackend()):
        if isinstance(backend, OxigraphBackend):
            backend.store.extend(ox.Quad(*(to_oxigraph(term) for term in triple)) for triple in graph)
        result = backend.select(query.text, {})
        found = [tuple(str(row[name]) if row[name] is not None else None for name in ("project", "yearBefore", "yearAfter", "change", "before", "after"))
                 for row in result.rows]
        assert found == expected, type(backend).__name__


def test_rows_are_the_same_when_the_conversion_caches_fill(monkeypatch: pytest.MonkeyPatch) -> None:
    """The caches of converted terms and plain values are cleared when full: the answer does not change."""
    backend = OxigraphBackend()
    terms = [Literal("1.50", datatype=XSD.decimal), Literal("满意度", lang="zh"), Literal("text"), URIRef("https://example.org/id/x"),
             Literal("true", datatype=XSD.boolean)]
    for index, term in enumerate(terms * 3):
        backend.store.add(ox.Quad(ox.NamedNode(f"https://example.org/id/s{index:02d}"), ox.NamedNode("https://example.org/id/p"), to_oxigraph(term)))
    text = "SELECT ?s ?o WHERE { ?s <https://example.org/id/p> ?o } ORDER BY ?s"

    def answer() -> tuple[list[dict], str]:
        rows = list(backend.select(text, {}).rows)
        out = io.StringIO()
        write("csv", SelectResult(["s", "o"], iter(rows)), out)
        return rows, out.getvalue()

    roomy = answer()
    monkeypatch.setattr(oxigraph, "TERM_CACHE_SIZE", 2)
    monkeypatch.setattr(formats, "PLAIN_CACHE_SIZE", 2)
    assert answer() == roomy
    assert [row["o"] for row in roomy[0][:5]] == [Literal("1.5", datatype=XSD.decimal), *terms[1:]]  # Oxigraph's canonical decimal
    assert roomy[1].splitlines()[1:6] == ["https://example.org/id/s00,1.5", "https://example.org/id/s01,满意度", "https://example.org/id/s02,text",
                                          "https://example.org/id/s03,https://example.org/id/x", "https://example.org/id/s04,true"]


def test_the_guard_refuses_an_update_every_time() -> None:
    """The guard keeps verdicts per text; a refusal is not kept as a verdict, it is raised again."""
    update = "INSERT DATA { <https://example.org/a> <https://example.org/b> <https://example.org/c> }"
    for _ in range(2):
        with pytest.raises(UsageError, match="SPARQL Update"):
            query_form(update)
    assert query_form("SELECT * WHERE { ?s ?p ?o }") == query_form("SELECT * WHERE { ?s ?p ?o }") == "select"
