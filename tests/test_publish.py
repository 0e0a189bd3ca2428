"""`jixiao publish DATA -o DIR`: the static site, its links, dumps with checksums, VoID/DCAT,
the ontology's documentation by pyLODE, and the atomic replacement of the folder."""

from __future__ import annotations

import gzip
import hashlib
import re
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCAT, VOID

from jixiao.cli import main
from jixiao.namespaces import JX

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "000_34530bcdda777c34.txt"
SPDX = "http://spdx.org/rdf/terms#"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site") / "public"
    target.mkdir()
    (target / "stale.html").write_text("from an earlier run", encoding="utf-8")
    result = CliRunner().invoke(main, ["publish", str(SEED), "-o", str(target), "--sparql-url", "https://example.org/sparql",
                                       "--site-url", "https://example.org/jixiao/", "--quiet"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return target


def test_the_site_has_every_page_kind_and_replaced_the_old_folder(site: Path) -> None:
    assert not (site / "stale.html").exists()
    assert (site / "index.html").is_file() and (site / "findings.html").is_file()
    assert len(list((site / "page" / "agency").glob("*.html"))) == 1
    assert len(list((site / "page" / "project").glob("*.html"))) == 7  # a project, across years
    assert len(list((site / "page" / "project").glob("*/year/*.html"))) == 7  # each of its declared tables
    assert list((site / "page" / "project").rglob("indicator/*.html"))
    assert (site / "category" / "QuantityIndicator.html").is_file()
    assert (site / "queries" / "budget-by-unit.html").is_file() and (site / "queries" / "budget-by-unit.csv").is_file()
    assert (site / "static" / "vendor" / "echarts.min.js").is_file()
    assert list((site / "data" / "project").glob("*.ttl"))
    editor = (site / "sparql.html").read_text(encoding="utf-8")  # --sparql-url gives the site an editor
    assert "yasgui.min.js" in editor and 'id="endpoint">https://example.org/sparql<' in editor


def test_every_relative_link_of_every_page_resolves_to_a_file(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    assert len(pages) > 50
    checked = 0
    for page in pages:
        if page.parent.name == "ontology" and page.name != "index.html":
            continue  # pyLODE's own pages link within themselves by fragment
        for href in re.findall(r'(?:href|src)="([^"#?]+)"', page.read_text(encoding="utf-8")):
            if href.startswith(("http://", "https://", "data:", "mailto:")):
                continue
            target = (page.parent / urllib.parse.unquote(href)).resolve()
            assert target.is_file(), f"{page.relative_to(site)} links to missing {href}"
            checked += 1
    assert checked > 500


def test_dumps_parse_match_their_checksums_and_hold_the_data(site: Path) -> None:
    sums = dict(reversed(line.split("  ")) for line in (site / "dumps" / "SHA256SUMS").read_text(encoding="utf-8").splitlines())
    assert set(sums) == {"dump.ttl", "dump.nt.gz", "dump.jsonld"}
    for name, digest in sums.items():
        assert hashlib.sha256((site / "dumps" / name).read_bytes()).hexdigest() == digest
    turtle = Graph().parse(site / "dumps" / "dump.ttl", format="turtle")
    ntriples = Graph().parse(data=gzip.decompress((site / "dumps" / "dump.nt.gz").read_bytes()).decode("utf-8"), format="nt")
    jsonld = Graph().parse(site / "dumps" / "dump.jsonld", format="json-ld")
    assert len(turtle) == len(ntriples) == len(jsonld) > 1000
    assert len(set(turtle.subjects(RDF.type, JX.Project))) == 7


def test_void_and_dcat_describe_the_dataset_and_its_dumps(site: Path) -> None:
    graph = Graph().parse(site / "void.ttl", format="turtle")
    dataset = next(graph.subjects(RDF.type, VOID.Dataset))
    assert (dataset, RDF.type, DCAT.Dataset) in graph
    assert str(graph.value(dataset, VOID.sparqlEndpoint)) == "https://example.org/sparql"
    dumps = {str(url) for url in graph.objects(dataset, VOID.dataDump)}
    assert dumps == {f"https://example.org/jixiao/dumps/{name}" for name in ("dump.ttl", "dump.nt.gz", "dump.jsonld")}
    checksums = {str(value) for value in graph.objects(None, URIRef(SPDX + "checksumValue"))}
    assert checksums == {line.split()[0] for line in (site / "dumps" / "SHA256SUMS").read_text(encoding="utf-8").splitlines()}
    assert int(graph.value(dataset, VOID.triples)) > 1000  # type: ignore[arg-type]
    assert URIRef(str(JX)) in set(graph.objects(dataset, VOID.vocabulary))
    assert graph.value(dataset, URIRef("http://purl.org/dc/terms/license")) is not None
    assert graph.value(dataset, URIRef("http://purl.org/dc/terms/modified")) is not None


def test_the_ontology_is_documented_by_pylode(site: Path) -> None:
    core = (site / "ontology" / "jixiao.html").read_text(encoding="utf-8")
    assert "pyLODE" in core and "BudgetUnit" in core
    index = (site / "ontology" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{name}.html"' in index for name in ("jixiao", "framework", "units"))


def test_a_failed_publish_leaves_the_previous_site(site: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle <", encoding="utf-8")
    before = sorted(path.relative_to(site) for path in site.rglob("*"))
    result = CliRunner().invoke(main, ["publish", str(bad), "-o", str(site), "--quiet"])
    assert result.exit_code == 2 and "bad.ttl" in result.output
    assert sorted(path.relative_to(site) for path in site.rglob("*")) == before
    assert not [path for path in site.parent.iterdir() if path.name.startswith(".public.")]
