"""RDF files given as DATA are read as the stores read them, so a query answers alike on every route.

Three ways the in-memory route (rdflib) read RDF differently from the stores (Oxigraph):
language tags in upper case ("…"@ZH, which `LANG(?x) = "zh"` did not match in rdflib, but did in
Oxigraph, which lower-cases tags on reading, as RDF 1.1 allows); a quad file's named graphs
(read into a plain graph, N-Quads and TriG kept only their default graph, silently); and
ill-typed literals ("abc"^^xsd:integer, valid RDF), for which rdflib logged a traceback on stderr.
"""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from jixiao.cli.main import main
from jixiao.queries import load_query, run, write
from jixiao.stores.oxigraph import OxigraphBackend

TAGS_TTL = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<http://example.org/a> rdfs:label "甲"@ZH , "A"@EN .
<http://example.org/b> rdfs:label "乙"@Zh-Hans , "B"@en .
<http://example.org/c> rdfs:label "丙"@zh .
"""
LABELS_RQ = """# title: 标签 / Labels
# reasoning: none
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?s ?label ?tag WHERE {
  ?s rdfs:label ?label .
  FILTER(STRSTARTS(STR(?s), "http://example.org/"))
  FILTER(LANG(?label) = "zh" || LANG(?label) = "zh-hans" || LANGMATCHES(LANG(?label), "en"))
  BIND(LANG(?label) AS ?tag)
}
ORDER BY ?s ?label
"""
ILL_TYPED_TTL = """@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://example.org/a> <http://example.org/count> "abc"^^xsd:integer ; <http://example.org/on> "2023-13-45"^^xsd:date .
"""
VALUES_RQ = """# title: 值 / Values
# reasoning: none
SELECT ?p ?value WHERE { <http://example.org/a> ?p ?value } ORDER BY ?p
"""


def cli(*args: str | Path) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def files(tmp_path: Path) -> Path:
    for name, text in {"tags.ttl": TAGS_TTL, "labels.rq": LABELS_RQ, "ill.ttl": ILL_TYPED_TTL, "values.rq": VALUES_RQ}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _store_csv(query: Path, data: Path) -> str:
    """The query's CSV answer on the embedded Oxigraph store holding `data` (Oxigraph's own Turtle reader)."""
    backend = OxigraphBackend()
    backend.store.load(path=str(data), format=ox.RdfFormat.TURTLE)
    out = io.StringIO()
    write("csv", run(load_query(str(query)), backend, {}, own_terms=True), out)
    return out.getvalue()


def test_an_upper_case_language_tag_matches_lang_zh_on_every_route(files: Path) -> None:
    result = cli("query", files / "labels.rq", files / "tags.ttl", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == ["http://example.org/a,A,en", "http://example.org/a,甲,zh", "http://example.org/b,B,en",
                                              "http://example.org/b,乙,zh-hans", "http://example.org/c,丙,zh"]
    assert result.stdout == _store_csv(files / "labels.rq", files / "tags.ttl")


@pytest.mark.parametrize(("suffix", "text"), [
    (".nq", '<http://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "甲"@ZH <http://example.org/g> .\n'
            '<http://example.org/b> <http://www.w3.org/2000/01/rdf-schema#label> "B"@en .\n'),
    (".trig", '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
              '<http://example.org/g> { <http://example.org/a> rdfs:label "甲"@ZH . }\n<http://example.org/b> rdfs:label "B"@en .\n'),
])
def test_the_named_graphs_of_a_quad_file_are_read(files: Path, suffix: str, text: str) -> None:
    """As the stores' default graph holds the union of their graphs, so does DATA read in memory."""
    data = files / f"quads{suffix}"
    data.write_text(text, encoding="utf-8")
    result = cli("query", files / "labels.rq", data, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == ["http://example.org/a,甲,zh", "http://example.org/b,B,en"]


def test_an_ill_typed_literal_is_kept_as_written_without_a_traceback(files: Path) -> None:
    # A process of its own: under pytest, rdflib's log record goes to pytest's handler, not to stderr.
    result = subprocess.run([sys.executable, "-m", "jixiao", "query", str(files / "values.rq"), str(files / "ill.ttl"), "--format", "csv"],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == ["http://example.org/count,abc", "http://example.org/on,2023-13-45"]
    assert result.stderr == ""


def test_reasoning_over_an_ill_typed_literal_says_so_in_one_line(files: Path, tmp_path: Path) -> None:
    result = cli("reason", files / "ill.ttl", "-o", tmp_path / "out.nt")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [f'warning: {files / "ill.ttl"}: 2 literal(s) not valid for their datatype, kept as written '
                        '(e.g. "2023-13-45"^^<http://www.w3.org/2001/XMLSchema#date>)']
    assert "Traceback" not in result.stderr
    assert '"abc"^^<http://www.w3.org/2001/XMLSchema#integer>' in (tmp_path / "out.nt").read_text(encoding="utf-8")


@pytest.mark.parametrize("own_terms", [True, False])
def test_an_ill_typed_literal_from_a_store_is_written_without_a_log(files: Path, own_terms: bool, caplog: pytest.LogCaptureFixture) -> None:
    """Its plain value is built through rdflib (formats.plain_parts): no log record, the lexical form written."""
    backend = OxigraphBackend()
    backend.store.load(path=str(files / "ill.ttl"), format=ox.RdfFormat.TURTLE)
    out = io.StringIO()
    with caplog.at_level(logging.DEBUG):
        write("csv", run(load_query(str(files / "values.rq")), backend, {}, own_terms=own_terms), out)
    assert out.getvalue().splitlines()[1:] == ["http://example.org/count,abc", "http://example.org/on,2023-13-45"]
    assert caplog.records == []
