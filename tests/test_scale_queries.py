"""Queries at scale: `--limit`/`--offset` page a listing (rows are read lazily, so a page stops reading where it ends); the
rewritten year-over-year on more than two years; the conversion caches of the result path; the guard's kept verdicts; the
embedded store's answers written from its own terms (TermRows) byte for byte as through rdflib terms, streamed."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef

from jixiao.cli.main import main
from jixiao.cli.query import query
from jixiao.errors import UsageError
from jixiao.queries import FORMATS, formats, library, page, plain_value, run, write
from jixiao.queries.formats import plain_parts
from jixiao.queries.guard import query_form
from jixiao.stores import MemoryBackend, oxigraph
from jixiao.stores.base import SelectResult, TermBackend, TermParts, TermRows
from jixiao.stores.oxigraph import OxigraphBackend, term_parts, to_oxigraph, to_rdflib
from jixiao.stores.remote import RemoteEndpoint
from jixiao.stores.remote.results import json_parts, json_term
from jixiao.synthetic import write_corpus
from servers import canned_sparql


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


# ---- the embedded store's answers in its own terms (TermRows): the same bytes as through rdflib terms ----------

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_DATA = [ROOT / "examples", ROOT / "tests" / "fixtures" / "queries"]
REQUIRED = {"search": {"text": "窗口"}}


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two embedded stores as users make them: the seed and the golden fixtures; a generated province over two years."""
    generated = tmp_path_factory.mktemp("province")
    write_corpus(generated, 60, seed=3, per_file=30, damage=0.05, n_agencies=3, years=(2023, 2024), defects=0.1)
    made = {}
    for name, data in (("seed", GOLDEN_DATA), ("generated", [generated])):
        store = tmp_path_factory.mktemp(name) / "store"
        ingested = CliRunner().invoke(main, ["ingest", *map(str, data), "--store", str(store), "--quiet"])
        assert ingested.exit_code == 0, ingested.output
        made[name] = store
    return made


def written(result: SelectResult | TermRows, output_format: str) -> str:
    out = io.StringIO()
    write(output_format, result, out)
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(library()))
def test_own_terms_write_the_same_bytes_as_rdflib_terms(stores: dict[str, Path], name: str) -> None:
    """Every named query on both stores, in every format: the fast path's output is byte for byte the rdflib route's."""
    named = library()[name]
    for store in stores.values():
        with OxigraphBackend(store, read_only=True) as backend:
            for output_format in FORMATS:
                through_rdflib = run(named, backend, REQUIRED.get(name, {}), check=False)
                own = run(named, backend, REQUIRED.get(name, {}), check=False, own_terms=True)
                assert isinstance(through_rdflib, SelectResult) and isinstance(own, TermRows)
                assert written(own, output_format) == written(through_rdflib, output_format), (store.parent.name, output_format)


def test_the_query_command_answers_the_golden_json_from_the_store(stores: dict[str, Path]) -> None:
    """`jixiao query --store` takes the fast path and still answers what the golden files pin (run on the same data in memory)."""
    golden = ROOT / "tests" / "fixtures" / "golden"
    for name in ("indicators", "budget-share", "year-over-year"):
        answer = CliRunner().invoke(query, [name, "--store", str(stores["seed"]), "--format", "json"])
        assert answer.exit_code == 0, answer.output
        assert json.loads(answer.output) == json.loads((golden / f"{name}.json").read_text(encoding="utf-8"))


def test_store_pages_with_limit_and_offset(stores: dict[str, Path]) -> None:
    place = ["--store", str(stores["generated"])]
    for output_format in ("csv", "json", "table"):
        every = CliRunner().invoke(query, ["indicators", *place, "--format", output_format]).output
        page_of_three = CliRunner().invoke(query, ["indicators", *place, "--format", output_format, "--offset", "5", "--limit", "3"]).output
        if output_format == "csv":
            lines = every.splitlines()
            assert page_of_three.splitlines() == [lines[0], *lines[6:9]]
        elif output_format == "json":
            assert json.loads(page_of_three) == json.loads(every)[5:8]
        else:
            assert page_of_three.splitlines()[-1] == "(3 rows)"
    beyond = CliRunner().invoke(query, ["indicators", *place, "--format", "json", "--offset", "100000000"])
    assert beyond.exit_code == 0 and json.loads(beyond.output) == []


def test_a_page_stops_reading_where_it_ends() -> None:
    """--limit reads no row after the page (the rest of the answer is never evaluated or converted); --offset skips rows unconverted."""
    read: list[int] = []

    def rows() -> Iterator[tuple[int]]:
        for index in range(1_000_000):
            read.append(index)
            yield (index,)

    result = TermRows(["n"], rows(), lambda term: TermParts("literal", str(term), str(XSD.integer)))
    text = written(page(result, offset=10, limit=2), "csv")
    assert text.splitlines()[1:] == ["10", "11"] and len(read) == 12
    with pytest.raises(ValueError):
        page(result, offset=-1)


def test_own_terms_stream_rows_as_they_come() -> None:
    """The first rows are written before the last is read: a failure later leaves them written."""

    def rows() -> Iterator[tuple[ox.Literal]]:
        yield (ox.Literal("1", datatype=ox.NamedNode(str(XSD.integer))),)
        yield (ox.Literal("第二行"),)
        raise RuntimeError("the store went away")

    for output_format in ("csv", "json"):
        out = io.StringIO()
        with pytest.raises(RuntimeError):
            write(output_format, TermRows(["n"], rows(), term_parts), out)
        assert "第二行" in out.getvalue()


def _ox(text: str, datatype: URIRef | None = None, language: str | None = None) -> ox.Literal:
    if language:
        return ox.Literal(text, language=language)
    return ox.Literal(text, datatype=ox.NamedNode(str(datatype))) if datatype else ox.Literal(text)


NUMERIC_TYPES = [XSD.decimal, XSD.integer, XSD.int, XSD.long, XSD.double, XSD.float, XSD.short, XSD.byte, XSD.nonNegativeInteger,
                 XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger, XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort,
                 XSD.unsignedByte]
ODD_TERMS = [
    ox.NamedNode("https://w3id.org/jixiao/unit/Person"), ox.BlankNode("b0"), _ox("满意度", language="zh"), _ox("text"), _ox("=48万元"),
    _ox("x", XSD.string), _ox("2024", XSD.gYear), _ox("2024-01-31", XSD.date), _ox("2024-01-31T00:00:00Z", XSD.dateTime),
    _ox("true", XSD.boolean), _ox("false", XSD.boolean), _ox("1", XSD.boolean), _ox("0", XSD.boolean), _ox("TRUE", XSD.boolean),
    _ox(" true", XSD.boolean), _ox("yes", XSD.boolean), _ox("x", URIRef("https://example.org/type")),
    *[_ox(lexical, datatype) for datatype in NUMERIC_TYPES
      for lexical in ("12", "+5", "-0", "007", "1.50", "1.", ".5", "1e2", "1.5E3", "NaN", "INF", "-INF", "abc", "", " 7 ", "٣", "300", "-5",
                      "0.1", "123456789012345678901234567890.5")],
]


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("term", ODD_TERMS, ids=str)
def test_plain_value_of_own_terms_is_the_rdflib_terms(term: object) -> None:
    """A term's plain value from its parts equals the plain value of the equal rdflib term, down to the type (1 is not 1.0 nor True)."""
    from_parts = plain_parts(term_parts(term))
    through_rdflib = plain_value(to_rdflib(term))
    assert from_parts == through_rdflib and type(from_parts) is type(through_rdflib)


@pytest.mark.filterwarnings("ignore")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lexical=st.text(alphabet="0123456789+-.eE ", max_size=12), datatype=st.sampled_from([*NUMERIC_TYPES, XSD.boolean]))
def test_plain_value_of_any_numeric_lexical_form_is_the_rdflib_terms(lexical: str, datatype: URIRef) -> None:
    term = _ox(lexical, datatype)
    from_parts = plain_parts(term_parts(term))
    through_rdflib = plain_value(to_rdflib(term))
    assert from_parts == through_rdflib and type(from_parts) is type(through_rdflib)


def _csv_module_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()[:-2] + "\n"


@settings(max_examples=500, deadline=None)
@given(cells=st.lists(st.text(alphabet=st.sampled_from(['a', '中', ',', '"', '\r', '\n', ' ', "'", '=', '\t']), max_size=5), min_size=1, max_size=4))
def test_csv_cells_are_quoted_as_the_csv_module_quotes_them(cells: list[str]) -> None:
    own = TermRows([f"v{i}" for i in range(len(cells))], iter([tuple(ox.Literal(cell) for cell in cells)]), term_parts)
    through_rdflib = SelectResult([f"v{i}" for i in range(len(cells))], iter([{f"v{i}": Literal(cell) for i, cell in enumerate(cells)}]))
    expected = _csv_module_line([formats._spreadsheet_safe(cell) for cell in cells])
    assert written(own, "csv").split("\n", 1)[1] == expected
    assert written(through_rdflib, "csv").split("\n", 1)[1] == expected


def test_remote_answers_in_plain_parts_write_the_same_bytes() -> None:
    """A server's JSON terms go straight to the writers (no rdflib term), with the same bytes as through json_term."""
    xsd = "http://www.w3.org/2001/XMLSchema#"
    cells = [{"type": "uri", "value": "http://e/项目"}, {"type": "bnode", "value": "b0"}, {"type": "literal", "value": "鄂州", "xml:lang": "zh"},
             {"type": "typed-literal", "datatype": xsd + "decimal", "value": "27.060"}, {"type": "literal", "datatype": xsd + "string", "value": "=1+1"},
             {"type": "literal", "datatype": xsd + "boolean", "value": "1"}, {"type": "literal", "datatype": xsd + "gYear", "value": "2024"},
             {"type": "literal", "datatype": xsd + "double", "value": "1.5E3"}, {"type": "literal", "value": "a,\"b\"\r\nc"}]
    bindings = [{"v": cell, "n": {"type": "literal", "datatype": xsd + "integer", "value": str(i)}} for i, cell in enumerate(cells)] + [{}]
    with canned_sparql() as server:
        server.document = {"head": {"vars": ["n", "v"]}, "results": {"bindings": bindings}}  # type: ignore[attr-defined]
        endpoint = RemoteEndpoint(f"http://127.0.0.1:{server.server_address[1]}/sparql")
        for output_format in FORMATS:
            own = endpoint.select_terms("SELECT ?n ?v WHERE { ?s ?n ?v }", {})
            assert isinstance(endpoint, TermBackend) and isinstance(own, TermRows)
            through_rdflib = endpoint.select("SELECT ?n ?v WHERE { ?s ?n ?v }", {})
            assert written(own, output_format) == written(through_rdflib, output_format), output_format
        assert [plain_parts(json_parts(cell)) for cell in cells] == [plain_value(json_term(cell)) for cell in cells]
