"""`jixiao serve` over HTTP (Starlette's TestClient): the SPARQL 1.1 Protocol and its limits,
content negotiation and Cool-URI dereferencing, the pages, and escaping of untrusted text."""

from __future__ import annotations

import csv
import io
import json
import re
import time
import urllib.parse
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.query import Result
from starlette.testclient import TestClient

from jixiao.namespaces import DEFAULT_BASE, JX
from jixiao.publish.app import create_app
from jixiao.publish.sources import open_dataset
from jixiao.publish.workers import Limits

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "000_34530bcdda777c34.txt"
# Two years of the same units' tables (2023.md, 2024.md): one project is declared in both.
YEARS = ROOT / "tests" / "fixtures" / "queries"
TIME_LIMIT = 3.0
ROW_LIMIT = 500
HOSTILE_LABEL = '<script>alert("x")</script> & <b>粗体</b>'
HOSTILE_PROJECT = DEFAULT_BASE + "project/hostile0000000001"
HOSTILE_YEAR = HOSTILE_PROJECT + "/year/2024"
HOSTILE_UNIT = DEFAULT_BASE + "agency/hostile0000000001"
# Every triple against every triple against every triple: far beyond any time limit.
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SELECT_PROJECTS = "PREFIX jx: <https://w3id.org/jixiao/ontology#> SELECT ?p ?budget WHERE { ?p a jx:ProjectYear ; jx:budget ?budget } ORDER BY ?p"


def hostile_data(folder: Path) -> Path:
    path = folder / "hostile.ttl"
    label = HOSTILE_LABEL.replace('"', '\\"')
    path.write_text(f"""@prefix jx: <{JX}> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{HOSTILE_PROJECT}> a jx:Project ; rdfs:label "{label}" ; jx:declaredBy <{HOSTILE_UNIT}> .
<{HOSTILE_YEAR}> a jx:ProjectYear ; jx:yearOf <{HOSTILE_PROJECT}> ; jx:budget 12.5 .
<{HOSTILE_UNIT}> a jx:BudgetUnit ; rdfs:label "{label}" .
""", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    hostile = hostile_data(tmp_path_factory.mktemp("hostile"))
    with open_dataset((str(SEED), str(YEARS), str(hostile)), None, None, DEFAULT_BASE, None, Limits(TIME_LIMIT, ROW_LIMIT), 2) as dataset:
        yield TestClient(create_app(dataset), follow_redirects=False)


def sparql(client: TestClient, query: str, accept: str) -> tuple[int, str, str]:
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    return response.status_code, response.headers.get("content-type", ""), response.text


def first_project(client: TestClient) -> str:
    _, _, body = sparql(client, SELECT_PROJECTS, "application/sparql-results+json")
    return str(json.loads(body)["results"]["bindings"][0]["p"]["value"])


# ---- the protocol: result formats ------------------------------------------------------------


def test_select_in_every_result_format_parses_to_the_same_rows(client: TestClient) -> None:
    status, kind, body = sparql(client, SELECT_PROJECTS, "application/sparql-results+json")
    assert status == 200 and kind.startswith("application/sparql-results+json")
    reference = [(row["p"]["value"], row["budget"]["value"]) for row in json.loads(body)["results"]["bindings"]]
    assert len(reference) >= 7
    parsed_json = Result.parse(io.StringIO(body), format="json")
    assert [(str(r[0]), str(r[1])) for r in parsed_json] == reference  # type: ignore[index]

    status, kind, body = sparql(client, SELECT_PROJECTS, "application/sparql-results+xml")
    assert status == 200 and "sparql-results+xml" in kind
    root = ElementTree.fromstring(body)
    namespace = "{http://www.w3.org/2005/sparql-results#}"
    xml_rows = [(result.find(f"{namespace}binding[@name='p']/{namespace}uri").text,  # type: ignore[union-attr]
                 result.find(f"{namespace}binding[@name='budget']/{namespace}literal").text)  # type: ignore[union-attr]
                for result in root.iter(f"{namespace}result")]
    assert xml_rows == reference
    assert [(str(r[0]), str(r[1])) for r in Result.parse(io.BytesIO(body.encode()), format="xml")] == reference  # type: ignore[index]

    status, kind, body = sparql(client, SELECT_PROJECTS, "text/csv")
    assert status == 200 and kind.startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["p", "budget"] and [tuple(row) for row in rows[1:]] == reference

    status, kind, body = sparql(client, SELECT_PROJECTS, "text/tab-separated-values")
    assert status == 200 and kind.startswith("text/tab-separated-values")
    lines = body.splitlines()
    assert lines[0] == "?p\t?budget"
    cells = [line.split("\t") for line in lines[1:]]
    assert [(iri.strip("<>"), number.split("^^")[0].strip('"')) for iri, number in cells] == reference


def test_ask_as_json_xml_csv_and_tsv(client: TestClient) -> None:
    query = "ASK { ?s a <https://w3id.org/jixiao/ontology#Project> }"
    assert json.loads(sparql(client, query, "application/sparql-results+json")[2])["boolean"] is True
    assert ElementTree.fromstring(sparql(client, query, "application/sparql-results+xml")[2]).find(
        "{http://www.w3.org/2005/sparql-results#}boolean").text == "true"  # type: ignore[union-attr]
    assert sparql(client, query, "text/csv")[2].split() == ["_askResult", "true"]
    assert sparql(client, "ASK { ?s a <urn:nothing> }", "text/tab-separated-values")[2].split() == ["?_askResult", "false"]


@pytest.mark.parametrize(("accept", "rdflib_format"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                                       ("application/n-triples", "nt"), ("application/rdf+xml", "xml")])
def test_construct_and_describe_by_accept(client: TestClient, accept: str, rdflib_format: str) -> None:
    construct = "PREFIX jx: <https://w3id.org/jixiao/ontology#> CONSTRUCT { ?p jx:budget ?b } WHERE { ?p a jx:ProjectYear ; jx:budget ?b }"
    status, kind, body = sparql(client, construct, accept)
    assert status == 200 and kind.startswith(accept)
    graph = Graph().parse(data=body, format=rdflib_format)
    assert len(graph) >= 8 and all(str(p) == str(JX.budget) for _, p, _ in graph)

    project = first_project(client)
    status, kind, body = sparql(client, f"DESCRIBE <{project}>", accept)
    assert status == 200 and kind.startswith(accept)
    assert (URIRef(project), JX.yearOf, None) in Graph().parse(data=body, format=rdflib_format)


def test_post_form_and_post_direct_answer_like_get(client: TestClient) -> None:
    accept = {"Accept": "application/sparql-results+json"}
    get = client.get("/sparql", params={"query": SELECT_PROJECTS}, headers=accept).json()
    form = client.post("/sparql", content=urllib.parse.urlencode({"query": SELECT_PROJECTS}),
                       headers={**accept, "Content-Type": "application/x-www-form-urlencoded"}).json()
    direct = client.post("/sparql", content=SELECT_PROJECTS.encode(), headers={**accept, "Content-Type": "application/sparql-query"}).json()
    assert get == form == direct
    assert client.post("/sparql", content=b"x", headers={"Content-Type": "text/plain"}).status_code == 415


def test_a_browser_gets_the_editor_with_the_named_queries(client: TestClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/html"})
    assert response.status_code == 200 and "yasgui.min.js" in response.text
    assert 'id="named-query-texts"' in response.text and "budget-by-unit" in response.text
    assert client.get("/static/vendor/yasgui.min.js").status_code == 200


# ---- the protocol: refusals and limits -------------------------------------------------------


def test_updates_are_refused(client: TestClient) -> None:
    insert = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    as_query = client.get("/sparql", params={"query": insert})
    assert as_query.status_code == 400 and "Update" in as_query.text
    as_update = client.post("/sparql", content=insert.encode(), headers={"Content-Type": "application/sparql-update"})
    assert as_update.status_code == 403 and "read-only" in as_update.text
    as_form = client.post("/sparql", content=urllib.parse.urlencode({"update": insert}), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert as_form.status_code == 403
    assert sparql(client, "ASK { <urn:a> <urn:b> <urn:c> }", "text/csv")[2].split() == ["_askResult", "false"]


def test_service_is_refused(client: TestClient) -> None:
    status, _, body = sparql(client, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "application/json")
    assert status == 403 and "SERVICE" in body
    status, _, _ = sparql(client, "DESCRIBE ?s WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "text/turtle")
    assert status == 403


def test_a_malformed_query_gets_400_with_the_parsers_message(client: TestClient) -> None:
    status, _, body = sparql(client, "SELECT ?s WHERE { ?s ?p }", "application/json")
    assert status == 400 and "malformed SPARQL query" in body and "line 1" in body
    assert client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": "urn:g"}).status_code == 400


def test_an_expensive_query_is_stopped_at_the_time_limit_and_the_server_goes_on(client: TestClient) -> None:
    started = time.monotonic()
    status, _, body = sparql(client, EXPENSIVE, "application/json")
    elapsed = time.monotonic() - started
    assert status == 503 and "time limit" in body
    assert TIME_LIMIT <= elapsed < TIME_LIMIT + 10, elapsed
    # Its worker was replaced: the next queries are answered.
    for _ in range(3):
        assert sparql(client, "ASK { ?s ?p ?o }", "application/json")[0] == 200


def test_answers_are_cut_at_the_result_limit(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == ROW_LIMIT
    assert "result limit" in response.headers["x-jixiao-truncated"]


def test_an_unacceptable_accept_gets_406(client: TestClient) -> None:
    assert sparql(client, SELECT_PROJECTS, "image/png")[0] == 406


# ---- dereferencing (Cool URIs, 303) ----------------------------------------------------------


def test_an_iri_redirects_by_accept_and_documents_come_in_every_syntax(client: TestClient) -> None:
    project = first_project(client)
    rest = project[len(DEFAULT_BASE):]
    browser = client.get(f"/id/{rest}", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status_code == 303 and browser.headers["location"] == f"/page/{rest}.html"
    machine = client.get(f"/id/{rest}", headers={"Accept": "text/turtle"})
    assert machine.status_code == 303 and machine.headers["location"] == f"/data/{rest}.ttl"
    for suffix, rdflib_format in (("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt"), ("rdf", "xml")):
        document = client.get(f"/data/{rest}.{suffix}")
        assert document.status_code == 200
        graph = Graph().parse(data=document.text, format=rdflib_format)
        assert (URIRef(project), JX.yearOf, None) in graph
    negotiated = client.get(f"/data/{rest}", headers={"Accept": "application/ld+json"})
    assert negotiated.headers["content-type"].startswith("application/ld+json") and negotiated.headers["content-location"].endswith(".jsonld")
    assert client.get(f"/page/{rest}").status_code == 200


def test_unknown_iris_are_404(client: TestClient) -> None:
    for path in ("/id/project/0000000000000000", "/page/project/0000000000000000.html", "/data/project/0000000000000000.ttl",
                 "/category/NoSuchCategory.html", "/queries/no-such-query.html", "/resource?iri=urn:nothing",
                 "/page/project/a%20b%3Cc%3E.html", "/id/project/a%20b", "/data/x%22y.ttl", "/resource?iri=not%20an%20iri"):
        assert client.get(path, headers={"Accept": "text/turtle"} if path.startswith("/id") else {}).status_code == 404, path


# ---- pages -----------------------------------------------------------------------------------


def test_home_unit_project_indicator_category_and_findings_pages(client: TestClient) -> None:
    home = client.get("/")
    assert home.status_code == 200 and "预算单位" in home.text and "Budget units" in home.text
    assert "content-security-policy" in home.headers
    unit = re.search(r'href="(/page/agency/[0-9a-f]{16}\.html)"', home.text)
    assert unit is not None
    unit_page = client.get(unit.group(1))
    assert unit_page.status_code == 200 and "Budget by year" in unit_page.text
    project = re.search(r'href="(/page/project/[0-9a-f]{16}/year/\w+\.html)"', unit_page.text)
    assert project is not None
    project_page = client.get(project.group(1)).text
    for heading in ("绩效目标", "绩效指标", "来源行", "指标值确定依据"):
        assert heading in project_page
    indicator = re.search(r'href="(/page/project/[^"]+/indicator/[0-9a-f]+\.html)"', project_page)
    across_years = re.search(r'href="(/page/project/[0-9a-f]{16}\.html)"', project_page)
    assert across_years is not None and "Budget by year" in client.get(across_years.group(1)).text
    category = re.search(r'href="(/category/\w+\.html)"', project_page)
    assert indicator is not None and category is not None
    assert "同名指标" in client.get(indicator.group(1)).text
    category_page = client.get(category.group(1))
    assert category_page.status_code == 200 and "Spread of targets" in category_page.text
    findings = client.get("/findings")
    assert findings.status_code == 200 and "Findings" in findings.text


def test_untrusted_text_is_shown_as_text(client: TestClient) -> None:
    for path in ("/", *(f"/page/{iri[len(DEFAULT_BASE):]}.html" for iri in (HOSTILE_PROJECT, HOSTILE_YEAR, HOSTILE_UNIT))):
        page = client.get(path).text
        assert "<script>alert" not in page and "<b>粗体" not in page, path
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;粗体&lt;/b&gt;" in page, path
    # In a chart's JSON the label cannot close its <script> element either.
    home = client.get("/").text
    assert "\\u003cscript\\u003e" in home


def test_a_named_query_page_runs_with_parameters_and_gives_csv(client: TestClient) -> None:
    page = client.get("/queries/indicators.html", params={"project": "法律服务"})
    assert page.status_code == 200 and "法律服务" in page.text and "<table" in page.text
    rows = list(csv.reader(io.StringIO(client.get("/queries/indicators", params={"project": "法律服务", "format": "csv"}).text.lstrip("\ufeff"))))
    assert rows[0][:2] == ["agency", "project"] and len(rows) > 1 and all(row[1] == "法律服务" for row in rows[1:])
    bad = client.get("/queries/indicators", params={"year": "not-a-year"})
    assert bad.status_code == 400 and "year" in bad.text


def test_the_void_description_counts_the_data(client: TestClient) -> None:
    graph = Graph().parse(data=client.get("/void", headers={"Accept": "text/turtle"}).text, format="turtle")
    void = "http://rdfs.org/ns/void#"
    dataset = next(graph.subjects(RDF.type, URIRef(void + "Dataset")))
    assert int(graph.value(dataset, URIRef(void + "triples"))) > 1000  # type: ignore[arg-type]
    assert str(graph.value(dataset, URIRef(void + "sparqlEndpoint"))).endswith("/sparql")
    classes = {str(graph.value(partition, URIRef(void + "class"))): int(graph.value(partition, URIRef(void + "entities")))  # type: ignore[arg-type]
               for partition in graph.objects(dataset, URIRef(void + "classPartition"))}
    assert classes[str(JX.Project)] == 13  # the seed's seven, the two years' five (one in both years), the hostile one
    assert classes[str(JX.ProjectYear)] == 14


def test_accept_quality_values_and_the_servers_preference_decide() -> None:
    from jixiao.publish import negotiation

    assert negotiation.rdf_syntax("text/turtle;q=0.5, application/ld+json").suffix == "jsonld"  # type: ignore[union-attr]
    assert negotiation.rdf_syntax("*/*").suffix == "ttl"  # type: ignore[union-attr]
    assert negotiation.rdf_syntax("text/html;q=0.9, text/turtle", html=True).suffix == "ttl"  # type: ignore[union-attr]
    assert negotiation.rdf_syntax("text/html, */*;q=0.1", html=True) == negotiation.HTML
    assert negotiation.rdf_syntax("application/n-triples;q=0, image/png") is None
    assert negotiation.result_format("text/csv;q=0.2, application/sparql-results+xml;q=0.8") == "xml"
    assert negotiation.result_format(None, "tsv") == "tsv" and negotiation.result_format(None, "yaml") is None


def test_the_ontology_iri_gives_the_ontology_to_a_machine(client: TestClient) -> None:
    response = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["vary"] == "Accept"
    graph = Graph().parse(data=response.text, format="turtle")
    assert (JX.Project, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in graph
    assert client.get("/ontology", headers={"Accept": "text/html"}).status_code == 301


def test_a_projects_findings_and_rows_are_its_own(client: TestClient) -> None:
    # The page queries must start from their parameter: a group that cannot see it would match
    # every project's findings and rows. Goals and indicators have IRIs under their project's.
    dataset = client.app.state.site.dataset  # type: ignore[attr-defined]
    projects = [str(row["projectYear"]) for row in dataset.rows("projects") if str(row["project"]) != HOSTILE_PROJECT]
    with_findings = 0
    for project in projects:
        findings = dataset.rows("project-findings", projectYear=project)
        assert all(str(row["concerns"]).startswith(project) for row in findings), project
        with_findings += bool(findings)
        sources = dataset.rows("project-sources", projectYear=project)
        assert sources and len(sources) < 60, project
    assert with_findings >= 1
    all_findings = dataset.rows("findings")
    assert sum(len(dataset.rows("project-findings", projectYear=project)) for project in projects) <= len(all_findings)


def test_a_project_year_page_shows_the_other_years_of_its_project(client: TestClient) -> None:
    query = """PREFIX jx: <https://w3id.org/jixiao/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
               SELECT ?py ?year WHERE { ?py jx:yearOf ?p ; jx:fiscalYear ?year . ?p rdfs:label "职业技能培训" } ORDER BY ?year"""
    rows = json.loads(sparql(client, query, "application/json")[2])["results"]["bindings"]
    years = {row["year"]["value"]: row["py"]["value"][len(DEFAULT_BASE):] for row in rows}
    assert sorted(years) == ["2023", "2024"]
    page = client.get(f"/page/{years['2024']}.html").text
    assert f'href="/page/{years["2023"]}.html"' in page and "Other years" in page
    project = re.search(r'href="(/page/project/[0-9a-f]{16}\.html)"', page)
    assert project is not None
    across = client.get(project.group(1)).text
    assert all(f'href="/page/{rest}.html"' in across for rest in years.values())
