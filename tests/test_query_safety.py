"""`jixiao query` as a careless or hostile user meets it: updates refused on every backend, no
SERVICE call unless asked, one-line errors for bad queries and parameters, no password shown or
sent in clear, and outputs that a spreadsheet or a terminal cannot be tricked by."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from jixiao.errors import UsageError
from jixiao.queries import write
from jixiao.stores.base import SelectResult
from jixiao.stores.remote import RemoteEndpoint
from servers import oxigraph_endpoint, virtuoso_endpoint  # noqa: F401  (fixtures)

UPDATE = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def jixiao(*args: str | Path, umask: int | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "jixiao", *map(str, args)]
    preexec = (lambda: os.umask(umask)) if umask is not None else None
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False, preexec_fn=preexec)


def closed_loopback_url(path: str = "/sparql", credentials: str = "") -> str:
    """A URL on this machine where nothing listens (the port was free a moment ago)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://{credentials}127.0.0.1:{port}{path}"


def rq(tmp_path: Path, text: str, name: str = "q.rq") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    directory = tmp_path_factory.mktemp("store") / "store"
    result = jixiao("ingest", seed_path, "--store", directory)
    assert result.returncode == 0, result.stderr
    return directory


# ---- updates: refused on every backend, by parsing ----------------------------------------------


def test_update_refused_over_memory(tmp_path: Path, seed_path: Path) -> None:
    assert_one_line_error(jixiao("query", rq(tmp_path, UPDATE), seed_path), "SPARQL Update", "only reads")


def test_update_refused_over_store_and_store_unchanged(tmp_path: Path, store: Path) -> None:
    before = jixiao("query", rq(tmp_path, COUNT, "count.rq"), "--store", store, "--format", "json")
    for update in (UPDATE, "DROP ALL", "CLEAR DEFAULT ; DELETE WHERE { ?s ?p ?o }"):
        assert_one_line_error(jixiao("query", rq(tmp_path, update), "--store", store), "SPARQL Update")
    after = jixiao("query", rq(tmp_path, COUNT, "count.rq"), "--store", store, "--format", "json")
    assert before.returncode == 0 and json.loads(before.stdout) == json.loads(after.stdout)
    assert json.loads(after.stdout)[0]["n"] > 0


def test_update_refused_over_endpoint_before_any_request(tmp_path: Path) -> None:
    # Nothing listens there: had the update been sent, the error would be a refused connection.
    assert_one_line_error(jixiao("query", rq(tmp_path, "DROP ALL"), "--endpoint", closed_loopback_url()), "SPARQL Update")


def test_update_refused_over_a_real_server_and_its_data_unchanged(tmp_path: Path, virtuoso_endpoint: Any) -> None:  # noqa: F811
    server = virtuoso_endpoint
    credentials = ["--user", server.user, "--password", server.password] if server.user else []
    loaded = jixiao("load", Path(__file__).resolve().parent / "fixtures" / "queries", "--endpoint", server.query_url, *credentials)
    assert loaded.returncode == 0, loaded.stderr
    where = ["--endpoint", server.query_url]
    before = jixiao("query", rq(tmp_path, COUNT, "count.rq"), *where, "--format", "json")
    for update in (UPDATE, "DROP ALL", "CLEAR DEFAULT ; DELETE WHERE { ?s ?p ?o }"):
        assert_one_line_error(jixiao("query", rq(tmp_path, update), *where, *credentials), "SPARQL Update")
    after = jixiao("query", rq(tmp_path, COUNT, "count.rq"), *where, "--format", "json")
    assert before.returncode == 0 and json.loads(before.stdout) == json.loads(after.stdout) and json.loads(after.stdout)[0]["n"] > 0


def test_keywords_in_strings_and_comments_do_not_make_an_update(tmp_path: Path, seed_path: Path) -> None:
    text = '# DELETE everything? no: this only reads\nSELECT ?x WHERE { BIND("INSERT DATA { } ; DROP ALL" AS ?x) }'
    result = jixiao("query", rq(tmp_path, text), seed_path, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"x": "INSERT DATA { } ; DROP ALL"}]


# ---- ASK and CONSTRUCT ----------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["memory", "store"])
def test_ask_answers_true_or_false(tmp_path: Path, seed_path: Path, store: Path, backend: str) -> None:
    where = [seed_path] if backend == "memory" else ["--store", store]
    yes = jixiao("query", rq(tmp_path, "ASK { ?s ?p ?o }"), *where)
    no = jixiao("query", rq(tmp_path, "ASK { ?s <http://example.org/never> ?o }"), *where, "--format", "json")
    assert (yes.returncode, yes.stdout) == (0, "true\n"), yes.stderr
    assert (no.returncode, json.loads(no.stdout)) == (0, False), no.stderr


@pytest.mark.parametrize("backend", ["memory", "store"])
def test_construct_writes_rdf(tmp_path: Path, seed_path: Path, store: Path, backend: str) -> None:
    where = [seed_path] if backend == "memory" else ["--store", store]
    text = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
            "CONSTRUCT { ?c skos:prefLabel ?label } WHERE { ?c skos:prefLabel ?label }")
    triples = jixiao("query", rq(tmp_path, text), *where, "--format", "csv")
    turtle = jixiao("query", rq(tmp_path, text), *where)
    assert triples.returncode == 0 and turtle.returncode == 0, triples.stderr + turtle.stderr
    as_nt = Graph().parse(data=triples.stdout, format="nt")
    as_ttl = Graph().parse(data=turtle.stdout, format="turtle")
    assert len(as_nt) > 10 and len(as_nt) == len(as_ttl)


# ---- SERVICE ------------------------------------------------------------------------------


def test_service_refused_unless_allowed(tmp_path: Path, seed_path: Path, store: Path) -> None:
    query = rq(tmp_path, f"SELECT * WHERE {{ SERVICE <{closed_loopback_url()}> {{ ?s ?p ?o }} }}")
    assert_one_line_error(jixiao("query", query, seed_path), "SERVICE", "--allow-service")
    assert_one_line_error(jixiao("query", query, "--store", store), "SERVICE", "--allow-service")
    assert_one_line_error(jixiao("query", query, "--endpoint", closed_loopback_url()), "SERVICE", "--allow-service")


def test_failing_service_is_one_line(tmp_path: Path, seed_path: Path) -> None:
    query = rq(tmp_path, f"SELECT * WHERE {{ SERVICE <{closed_loopback_url()}> {{ ?s ?p ?o }} }}")
    assert_one_line_error(jixiao("query", query, seed_path, "--allow-service"), "query failed")


# ---- malformed queries, options and parameters ----------------------------------------------


@pytest.mark.parametrize("text", ["SELEC * WHERE { ?s ?p ?o }", "SELECT * WHERE { x:a ?p ?o }", "", "SELECT * WHERE { ?s ?p"])
def test_malformed_query_is_one_line(tmp_path: Path, seed_path: Path, text: str) -> None:
    assert_one_line_error(jixiao("query", rq(tmp_path, text), seed_path), "malformed SPARQL query")


@pytest.mark.parametrize("args", [
    ("--base", "not an iri"),
    ("--base", "http://example.org/no-slash"),
    ("--year", "1"),
    ("--param", "year=99999"),
    ("--param", "year=1"),
])
def test_bad_option_or_parameter_is_one_line(seed_path: Path, args: tuple[str, str]) -> None:
    assert_one_line_error(jixiao("query", "budget-by-year", seed_path, *args))


def test_huge_decimal_parameter_is_one_line(tmp_path: Path, seed_path: Path) -> None:
    query = rq(tmp_path, "# param amount: decimal — a threshold\nSELECT ?x WHERE { BIND(?param_amount AS ?x) }")
    assert_one_line_error(jixiao("query", query, seed_path, "--param", "amount=1e999999"), "amount")


def test_full_width_digits_in_parameters(tmp_path: Path, seed_path: Path) -> None:
    ascii_digits = jixiao("query", "budget-by-year", seed_path, "--year", "2024", "--param", "year=2024", "--format", "json")
    full_width = jixiao("query", "budget-by-year", seed_path, "--year", "2024", "--param", "year=２０２４", "--format", "json")
    assert ascii_digits.returncode == 0 and full_width.returncode == 0, full_width.stderr
    assert json.loads(ascii_digits.stdout) and json.loads(full_width.stdout) == json.loads(ascii_digits.stdout)
    query = rq(tmp_path, "# param amount: decimal — a threshold\nSELECT ?x WHERE { BIND(?param_amount AS ?x) }")
    result = jixiao("query", query, seed_path, "--param", "amount=－１２．５", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"x": -12.5}]



# ---- parameter values that match nothing ----------------------------------------------------------

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "queries"


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("fixture-store") / "store"
    result = jixiao("ingest", FIXTURE, "--store", directory)
    assert result.returncode == 0, result.stderr
    return directory


def assert_values_listed(result: subprocess.CompletedProcess[str], given: str, *values: str) -> None:
    """One line, exit 2, naming the value given and listing the values that exist."""
    assert_one_line_error(result, given, "matches nothing", *values)


@pytest.mark.parametrize("backend", ["memory", "store"])
def test_a_parameter_value_that_matches_nothing_lists_the_values(fixture_store: Path, backend: str) -> None:
    where = [FIXTURE] if backend == "memory" else ["--store", fixture_store]
    assert_values_listed(jixiao("query", "indicators", *where, "--param", "goal=年度"), "goal=年度", "annual", "long-term")
    assert_values_listed(jixiao("query", "category-counts", *where, "--param", "goal=年度"), "goal=年度", "annual", "long-term", "all")
    assert_values_listed(jixiao("query", "budget-by-year", *where, "--param", "agency=黄石市财政"), "agency=黄石市财政", "黄石市财政局")
    assert_values_listed(jixiao("query", "budget-by-year", *where, "--param", "year=2019"), "year=2019", "2023", "2024")
    # A value that exists still answers, full-width digits read as ASCII ones.
    known = jixiao("query", "budget-by-year", *where, "--param", "year=２０２４", "--param", "agency=黄石市财政局", "--format", "json")
    assert known.returncode == 0, known.stderr
    assert json.loads(known.stdout) == [{"year": "2024", "agency": "黄石市财政局", "projects": 1, "budget": 500000}]


def test_values_listed_closest_first_and_cut_short(tmp_path: Path) -> None:
    from jixiao.queries.library import SHOWN_VALUES, check_values, load_query
    from jixiao.stores import MemoryBackend

    data = Graph()
    names = [f"其他单位{index:02d}" for index in range(SHOWN_VALUES + 4)] + ["黄石市财政局"]
    for index, name in enumerate(names):
        data.add((URIRef(f"http://example.org/x{index}"), RDFS.label, Literal(name)))
    query = load_query(str(rq(tmp_path, "# param unit: literal — a unit\n"
                                        "# values unit: SELECT DISTINCT ?value\n#   WHERE { ?x rdfs:label ?value }\n"
                                        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                                        "SELECT ?x WHERE { ?x rdfs:label ?param_unit }")))
    with pytest.raises(UsageError) as error:
        check_values(query, MemoryBackend(data), {"unit": "黄石市财政"}, {"param_unit": Literal("黄石市财政")})
    message = str(error.value)
    assert "\n" not in message and message.split("values: ")[1].startswith("黄石市财政局, ") and message.endswith("(5 more)")
    check_values(query, MemoryBackend(data), {"unit": "其他单位03"}, {"param_unit": Literal("其他单位03")})  # known: no error
    check_values(query, MemoryBackend(data), {}, {"param_unit": Literal("不存在")})  # a default is not checked


def test_values_of_no_parameter_are_the_query_file_s_error(tmp_path: Path) -> None:
    from jixiao.queries.library import load_query

    with pytest.raises(UsageError, match="values for unit"):
        load_query(str(rq(tmp_path, "# values unit: SELECT ?value WHERE { ?x ?p ?value }\nSELECT ?x WHERE { ?x ?p ?o }")))


def test_a_parameter_value_that_matches_nothing_on_a_server(oxigraph_endpoint: Any) -> None:  # noqa: F811
    loaded = jixiao("load", FIXTURE, "--endpoint", oxigraph_endpoint.query_url)
    assert loaded.returncode == 0, loaded.stderr
    where = ["--endpoint", oxigraph_endpoint.query_url]
    assert_values_listed(jixiao("query", "satisfaction", *where, "--param", "goal=年度"), "goal=年度", "annual", "long-term")
    assert_values_listed(jixiao("query", "indicators", *where, "--param", "basis=计划"), "basis=计划", "计划标准")
    known = jixiao("query", "satisfaction", *where, "--param", "goal=annual", "--format", "json")
    assert known.returncode == 0 and json.loads(known.stdout), known.stderr

# ---- passwords --------------------------------------------------------------------------------


def test_no_password_in_an_error_message(tmp_path: Path) -> None:
    url = closed_loopback_url(credentials="u:secret@")
    result = jixiao("query", rq(tmp_path, COUNT), "--endpoint", url)
    assert_one_line_error(result)
    assert "secret" not in result.stderr and "127.0.0.1" in result.stderr


def test_no_basic_auth_over_plain_http_to_another_host() -> None:
    # Refused in the constructor: no request is made (example.invalid is never contacted). A Fuseki
    # URL, whose dialect speaks Basic (Virtuoso's /sparql speaks Digest, which sends no password).
    with pytest.raises(UsageError, match="allow-basic-over-http") as refused:
        RemoteEndpoint("http://u:secret@example.invalid/ds/query")
    assert "secret" not in str(refused.value)
    with pytest.raises(UsageError):
        RemoteEndpoint("http://example.invalid/ds/query", user="u", password="secret")
    RemoteEndpoint("http://u:secret@example.invalid/ds/query", allow_basic_over_http=True).close()
    RemoteEndpoint("https://u:secret@example.invalid/ds/query").close()
    RemoteEndpoint("http://u:secret@127.0.0.1:1/ds/query").close()  # loopback stays allowed
    RemoteEndpoint("http://u:secret@localhost:1/ds/query").close()
    RemoteEndpoint("http://example.invalid/ds/query").close()  # no password, nothing to protect


def test_basic_over_http_refused_on_the_command_line(tmp_path: Path) -> None:
    result = jixiao("query", rq(tmp_path, COUNT), "--endpoint", "http://example.invalid/ds/query", "--user", "u", "--password", "secret")
    assert_one_line_error(result, "--allow-basic-over-http")
    assert "secret" not in result.stderr


# ---- outputs ------------------------------------------------------------------------------------


def one_column(*values: Literal | None) -> SelectResult:
    return SelectResult(["v"], iter([{"v": value} for value in values]))


def test_csv_cells_cannot_start_a_formula() -> None:
    values = [Literal("=48万元"), Literal("+SUM(A1:A9)"), Literal("-2+3"), Literal("@cmd"), Literal("\tx"), Literal("\rx"),
              Literal("-5", datatype=XSD.decimal), Literal("-12.5"), Literal("48万元"), Literal("+86 10")]
    out = io.StringIO()
    write("csv", one_column(*values), out)
    cells = [row[0] for row in csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff"), newline=""))][1:]
    assert cells == ["'=48万元", "'+SUM(A1:A9)", "'-2+3", "'@cmd", "'\tx", "'\rx", "-5", "-12.5", "48万元", "'+86 10"]


def test_json_keeps_the_text_as_it_is() -> None:
    out = io.StringIO()
    write("json", one_column(Literal("=48万元"), Literal("a\x1bb")), out)
    assert [row["v"] for row in json.loads(out.getvalue())] == ["=48万元", "a\x1bb"]


def test_table_shows_control_characters_escaped() -> None:
    out = io.StringIO()
    write("table", one_column(Literal("red\x1b[31m"), Literal("abc\u202etxt.exe"), Literal("c1\x9b"), Literal("\x00nul\x07")), out)
    text = out.getvalue()
    assert not any(char in text for char in "\x1b\u202e\x9b\x00\x07")
    for escaped in ("red\\x1b[31m", "abc\\u202etxt.exe", "c1\\x9b", "\\x00nul\\x07"):
        assert escaped in text


def test_output_file_keeps_the_umask(tmp_path: Path, seed_path: Path) -> None:
    out = tmp_path / "seed.nt"
    result = jixiao("ingest", seed_path, "-o", out, umask=0o022)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
