"""`jixiao publish`: the same pages as a static site any web server can host, with the dumps,
the VoID/DCAT description and the ontology's documentation.

Layout (the server's paths, with `.html` pages; every link relative, so the folder can be hosted
under any prefix):
    index.html, findings.html, page/REST.html (units, projects, indicators),
    data/REST.ttl (their descriptions), category/NAME.html, queries/NAME.html + NAME.csv,
    ontology/ (pyLODE), dumps/ (dump.ttl, dump.nt.gz, dump.jsonld, SHA256SUMS), void.ttl, static/

Written into a temporary folder beside the target and renamed into place only when complete,
so a failure leaves the previous site as it was.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from jixiao.publish import description, dumps, ontodoc, pages
from jixiao.publish.dataset import Dataset
from jixiao.publish.links import PAGE_SUFFIX, Links, category_name, rest_of
from jixiao.publish.results import serialize_triples
from jixiao.queries import write
from jixiao.stores.base import SelectResult

STATIC_DIR = Path(__file__).parent / "static"
# The static site draws charts; YASGUI comes along only when there is an endpoint to query.
STATIC_FILES = ("site.css", "charts.js", "vendor/echarts.min.js", "vendor/LICENSE-echarts", "vendor/NOTICE-echarts", "vendor/VERSIONS")
# With --sparql-url the site also has the SPARQL editor (sparql.html), querying that endpoint.
EDITOR_FILES = ("editor.js", "vendor/yasgui.min.js", "vendor/yasgui.min.css", "vendor/yasgui-package.json")

Progress = Callable[[str], None]


class StaticSite:
    def __init__(self, dataset: Dataset, folder: Path, sparql_url: str | None, site_url: str | None) -> None:
        self.dataset = dataset
        self.folder = folder
        self.sparql_url = sparql_url
        self.site_url = (site_url.rstrip("/") + "/") if site_url else ""
        self.pages = 0

    def links_for(self, relative: str) -> Links:
        depth = relative.count("/")
        return Links(self.dataset.base, root="../" * depth, server=False)

    def write(self, relative: str, content: str | bytes) -> None:
        path = self.folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        if relative.endswith(PAGE_SUFFIX):
            self.pages += 1

    def page(self, relative: str, render: Callable[[Links], str | None]) -> None:
        text = render(self.links_for(relative))
        if text is not None:
            self.write(relative, text)

    def build(self, graph: Graph, progress: Progress) -> dict[str, int]:
        data = self.dataset
        self.page("index.html", lambda links: pages.home(data, links, self.sparql_url))
        self.page("findings.html", lambda links: pages.findings(data, links, self.sparql_url))
        entities = data.rows("page-entities")
        progress(f"{len(entities)} pages of units, projects and indicators")
        for row in entities:
            iri, kind = str(row["resource"]), str(row["kind"])
            rest = rest_of(iri, data.base)
            if rest is None:
                continue
            render = getattr(pages, kind)
            self.page(f"page/{rest}{PAGE_SUFFIX}", lambda links, render=render, iri=iri: render(data, links, iri, self.sparql_url))
            self.write(f"data/{rest}.ttl", serialize_triples(data.describe(iri), "turtle"))
        for row in data.rows("categories"):
            name = category_name(str(row["category"]))
            if name is not None:
                iri = str(row["category"])
                self.page(f"category/{name}{PAGE_SUFFIX}", lambda links, iri=iri: pages.category(data, links, iri, self.sparql_url))
        self.write_queries()
        progress("ontology documentation (pyLODE)")
        ontodoc.write_documentation(self.folder / "ontology", self.links_for("ontology/index.html"))
        progress("dumps")
        written = dumps.write_dumps(graph, self.folder / "dumps", self.site_url + "dumps/")
        void = description.describe(data, self.sparql_url, written, (self.site_url + "void.ttl#dataset") if self.site_url else None)
        self.write("void.ttl", void.serialize(format="turtle", encoding="utf-8"))
        files = list(STATIC_FILES)
        if self.sparql_url:
            # The editor, pointed at the public endpoint the site advertises.
            self.page("sparql.html", lambda links: pages.editor(data, links, self.sparql_url or ""))
            files += EDITOR_FILES
        for name in files:
            target = self.folder / "static" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(STATIC_DIR / name, target)
        return {"pages": self.pages, "entities": len(entities), "dumps": len(written), "triples": len(graph)}

    def write_queries(self) -> None:
        """Every named query's page with its answer at the parameters' defaults, and its CSV."""
        for name in self.dataset.named_queries:
            answer, error = None, None
            try:
                answer = self.dataset.run_named(name, {})
            except Exception as failure:  # a required parameter, a timeout: the page says so
                error = str(failure)
            relative = f"queries/{name}{PAGE_SUFFIX}"
            self.page(relative, lambda links, answer=answer, error=error, name=name:
                      pages.named_query(self.dataset, links, name, {}, answer, error, self.sparql_url))
            if answer is not None and answer.form == "select":
                buffer = io.StringIO()
                write("csv", SelectResult(answer.variables, iter(answer.rows)), buffer)
                self.write(f"queries/{name}.csv", buffer.getvalue())


def publish(dataset: Dataset, graph: Graph, target: Path, *, sparql_url: str | None = None, site_url: str | None = None,
            progress: Progress = lambda _message: None) -> dict[str, int]:
    """Write the static site into `target` atomically (a temporary folder renamed into place)."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        summary = StaticSite(dataset, temporary, sparql_url, site_url).build(graph, progress)
        temporary.chmod(0o755)
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            target.rename(old / target.name)
        temporary.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return summary
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
