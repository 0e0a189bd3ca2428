"""The web application of `jixiao serve` (Starlette on uvicorn): the SPARQL endpoint, the pages,
dereferenceable IRIs, the named queries and the ontology's documentation.

Routes (see links.py for the IRI ↔ path rules):
    /                      home: units, projects, the named queries
    /sparql                SPARQL 1.1 Protocol (GET, POST form, POST direct); the editor for a browser
    /id/REST               303 See Other to /page/REST.html or /data/REST.EXT by Accept; 404 if unknown
    /page/REST[.html]      the resource's page;  /data/REST[.ttl|.jsonld|.nt|.rdf] its description
    /category/NAME[.html]  a framework category;  /resource?iri=IRI  any other IRI's statements
    /queries/NAME[.html]   a named query with a form for its parameters; ?format=csv|json for the rows
    /findings[.html], /ontology/ (pyLODE documentation; Turtle by Accept), /void (VoID + DCAT), /static/…

Queries run in worker processes (workers.py) with a time limit and a result limit; the handlers
hand them over from a thread, so the event loop keeps serving while a query runs.
"""

from __future__ import annotations

import io
import threading
import time
import urllib.parse
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from jixiao.errors import JixiaoError
from jixiao.namespaces import JX
from jixiao.publish import description, negotiation, ontodoc, pages
from jixiao.publish.dataset import Dataset, Refused
from jixiao.publish.links import PAGE_SUFFIX, Links, category_name, iri_of, rest_of
from jixiao.publish.results import RESULT_MEDIA_TYPES, RESULT_WRITERS, serialize_triples
from jixiao.publish.workers import Answer, QueryFailed, QueryTimeout, ServerBusy
from jixiao.queries import write

STATIC_DIR = Path(__file__).parent / "static"
# Content-Security-Policy of every HTML page: scripts only from this server (no inline code, no
# eval), so even a label that slipped past escaping could not run.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
MAX_QUERY_BYTES = 256 * 1024
# Media types of a SPARQL Update request, which this read-only endpoint refuses.
UPDATE_MEDIA_TYPE = "application/sparql-update"
PROTOCOL_FORM = "application/x-www-form-urlencoded"
PROTOCOL_DIRECT = "application/sparql-query"

Handler = Callable[[Request], Awaitable[Response]]


# Rendered pages kept this long (and at most this many): a unit's or a category's page asks
# queries that aggregate over the whole store, and the data do not change while a store or DATA
# is served (an endpoint's may: `--cache-seconds 0` turns the cache off).
CACHE_SECONDS = 300.0
CACHE_PAGES = 256


class PageCache:
    """Rendered HTML by request path and query, least recently used first out, with an age limit."""

    def __init__(self, seconds: float = CACHE_SECONDS, size: int = CACHE_PAGES) -> None:
        self.seconds = seconds
        self.size = size
        self._pages: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            entry = self._pages.get(key)
            if entry is None or time.monotonic() - entry[0] > self.seconds:
                return None
            self._pages.move_to_end(key)
            return entry[1]

    def put(self, key: str, text: str) -> None:
        if self.seconds <= 0:
            return
        with self._lock:
            self._pages[key] = (time.monotonic(), text)
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)


def _cache_key(request: Request) -> str:
    return request.url.path + "?" + request.url.query


def html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers={"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"})


class Site:
    """The application's state: the dataset, where its IRIs live, the endpoint it advertises."""

    def __init__(self, dataset: Dataset, ontology_dir: Path | None = None, cache_seconds: float = CACHE_SECONDS) -> None:
        self.dataset = dataset
        self.links = Links(dataset.base)
        self.ontology_dir = ontology_dir
        self.cache = PageCache(cache_seconds)

    def error(self, status: int, message: str) -> HTMLResponse:
        return html(pages.error(self.links, status, message, "/sparql"), status)

    async def run(self, request: Request, function: Callable[..., str | None], *args: object) -> Response:
        """A page rendered in a thread (its queries wait on the workers), kept in the cache;
        a query the workers could not answer makes a 503 page (the exception handlers)."""
        key = _cache_key(request)
        text = self.cache.get(key)
        if text is None:
            text = await run_in_threadpool(function, self.dataset, self.links, *args)
            if text is None:
                return self.error(404, f"未知资源 unknown resource: {request.url.path}")
            self.cache.put(key, text)
        return html(text)

    # ---- pages -------------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        return await self.run(request, pages.home, "/sparql")

    async def findings(self, request: Request) -> Response:
        return await self.run(request, pages.findings, "/sparql")

    async def page(self, request: Request) -> Response:
        rest = request.path_params["rest"]
        rest = rest[: -len(PAGE_SUFFIX)] if rest.endswith(PAGE_SUFFIX) else rest
        iri = iri_of(rest, self.dataset.base)
        cached = self.cache.get(_cache_key(request))
        if cached is not None:
            return html(cached)
        types = await run_in_threadpool(self.dataset.exists, iri)
        if not types:
            return self.error(404, f"未知资源 unknown resource: {iri}")
        kind = pages.page_kind(types, False)
        if kind == "resource" and await run_in_threadpool(self.dataset.first, "indicator", indicator=iri) is not None:
            kind = "indicator"
        return await self.run(request, getattr(pages, kind), iri, "/sparql")

    async def category(self, request: Request) -> Response:
        name = request.path_params["name"]
        name = name[: -len(PAGE_SUFFIX)] if name.endswith(PAGE_SUFFIX) else name
        if not name.isidentifier():
            return self.error(404, f"未知类别 unknown category: {name}")
        return await self.run(request, pages.category, str(JX) + name, "/sparql")

    async def resource(self, request: Request) -> Response:
        iri = request.query_params.get("iri", "")
        if rest_of(iri, self.dataset.base) is not None:
            return RedirectResponse(self.links.page(iri) or "/", status_code=303)
        if category_name(iri) is not None and await run_in_threadpool(self.dataset.first, "category", category=iri) is not None:
            return RedirectResponse(self.links.category(iri) or "/", status_code=303)
        if not iri or not await run_in_threadpool(self.dataset.rows, "resource-types", resource=iri):
            return self.error(404, f"未知资源 unknown resource: {iri}")
        return await self.run(request, pages.resource, iri, "/sparql")

    # ---- Cool URIs ---------------------------------------------------------------------------

    async def identifier(self, request: Request) -> Response:
        """/id/REST: the thing itself has no representation; 303 to its page or its data."""
        iri = iri_of(request.path_params["rest"], self.dataset.base)
        if not await run_in_threadpool(self.dataset.exists, iri):
            return PlainTextResponse(f"unknown resource: {iri}\n", status_code=404)
        chosen = negotiation.rdf_syntax(request.headers.get("accept"), html=True)
        if chosen is None:
            return _not_acceptable(["text/html"])
        target = self.links.page(iri) if chosen == negotiation.HTML else self.links.data(iri, chosen.suffix)  # type: ignore[union-attr]
        return RedirectResponse(target or "/", status_code=303, headers={"Vary": "Accept"})

    async def data(self, request: Request) -> Response:
        rest = request.path_params["rest"]
        stem, _, suffix = rest.rpartition(".")
        syntax = negotiation.RDF_BY_SUFFIX.get(suffix) if stem and "/" not in suffix else None
        headers = {}
        if syntax is None:
            stem = rest
            chosen = negotiation.rdf_syntax(request.headers.get("accept"))
            if not isinstance(chosen, negotiation.Syntax):
                return _not_acceptable([])
            syntax = chosen
            headers = {"Vary": "Accept", "Content-Location": f"/data/{urllib.parse.quote(stem)}.{syntax.suffix}"}
        iri = iri_of(stem, self.dataset.base)
        try:
            triples = await run_in_threadpool(lambda: list(self.dataset.describe(iri)))
        except (QueryTimeout, QueryFailed, ServerBusy) as error:
            return PlainTextResponse(f"{error}\n", status_code=503)
        if not triples:
            return PlainTextResponse(f"unknown resource: {iri}\n", status_code=404)
        body = await run_in_threadpool(serialize_triples, triples, syntax.rdflib_format)
        return Response(body, media_type=f"{syntax.media_type}; charset=utf-8", headers=headers)

    # ---- the SPARQL endpoint -----------------------------------------------------------------

    async def sparql(self, request: Request) -> Response:
        try:
            text = await self._protocol_query(request)
        except Refused as error:
            return PlainTextResponse(f"{error}\n", status_code=error.status)
        if text is None:  # no query: a browser gets the editor
            if negotiation.best(request.headers.get("accept"), [negotiation.HTML]) is not None:
                return html(pages.editor(self.dataset, self.links, "/sparql"))
            return PlainTextResponse("SPARQL 1.1 Protocol: give the query in the `query` parameter or as an application/sparql-query body\n", status_code=400)
        try:
            answer = await run_in_threadpool(self.dataset.run_sparql, text)
        except Refused as error:
            return PlainTextResponse(f"{error}\n", status_code=error.status)
        except QueryTimeout as error:
            return PlainTextResponse(f"{error}\n", status_code=503)
        except ServerBusy as error:
            return PlainTextResponse(f"{error}\n", status_code=503, headers={"Retry-After": "5"})
        except QueryFailed as error:
            return PlainTextResponse(f"query failed: {error}\n", status_code=400)
        return self._answer_response(request, answer)

    async def _protocol_query(self, request: Request) -> str | None:
        """The query text of a protocol request, or None when there is none; updates are Refused."""
        if request.method == "GET":
            params = request.query_params
            if "update" in params:
                raise Refused(403, "this endpoint is read-only: SPARQL Update is refused")
            self._check_dataset(params.getlist("default-graph-uri") + params.getlist("named-graph-uri"))
            return params.get("query")
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await request.body()
        if len(body) > MAX_QUERY_BYTES:
            raise Refused(413, f"the query is longer than {MAX_QUERY_BYTES} bytes")
        if content_type == UPDATE_MEDIA_TYPE:
            raise Refused(403, "this endpoint is read-only: SPARQL Update is refused")
        if content_type == PROTOCOL_DIRECT:
            self._check_dataset(request.query_params.getlist("default-graph-uri") + request.query_params.getlist("named-graph-uri"))
            return body.decode("utf-8", errors="replace")
        if content_type == PROTOCOL_FORM:
            form = urllib.parse.parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
            if "update" in form:
                raise Refused(403, "this endpoint is read-only: SPARQL Update is refused")
            self._check_dataset(form.get("default-graph-uri", []) + form.get("named-graph-uri", []))
            queries = form.get("query")
            return queries[0] if queries else None
        raise Refused(415, f"unsupported content type {content_type!r}: send {PROTOCOL_FORM} or {PROTOCOL_DIRECT}")

    @staticmethod
    def _check_dataset(graphs: list[str]) -> None:
        if graphs:
            raise Refused(400, "default-graph-uri and named-graph-uri are not supported: every query sees the union of the store's graphs")

    def _answer_response(self, request: Request, answer: Answer) -> Response:
        headers = {"Vary": "Accept"}
        if answer.truncated:
            headers["X-Jixiao-Truncated"] = f"the answer was cut at the result limit of {self.dataset.pool.limits.rows}"
        requested = request.query_params.get("format")
        if answer.form in ("construct", "describe"):
            syntax = negotiation.RDF_BY_SUFFIX.get(requested or "") or negotiation.rdf_syntax(request.headers.get("accept"))
            if not isinstance(syntax, negotiation.Syntax):
                return _not_acceptable([])
            return Response(serialize_triples(answer.triples, syntax.rdflib_format), media_type=f"{syntax.media_type}; charset=utf-8", headers=headers)
        name = negotiation.result_format(request.headers.get("accept"), requested)
        if name is None:
            offered = ", ".join(m for ms in negotiation.RESULT_FORMATS.values() for m in ms)
            return PlainTextResponse(f"none of the accepted media types is offered: {offered}\n", status_code=406)
        return Response(RESULT_WRITERS[name](answer), media_type=RESULT_MEDIA_TYPES[name], headers=headers)

    # ---- named queries -----------------------------------------------------------------------

    async def named_query(self, request: Request) -> Response:
        name = request.path_params["name"]
        name = name[: -len(PAGE_SUFFIX)] if name.endswith(PAGE_SUFFIX) else name
        if name not in self.dataset.named_queries:
            return self.error(404, f"未知查询 unknown query: {name}")
        values = {key: value for key, value in request.query_params.items() if key != "format"}
        output = request.query_params.get("format")
        answer, error, status = None, None, 200
        try:
            answer = await run_in_threadpool(self.dataset.run_named, name, values)
        except (QueryTimeout, ServerBusy) as failure:
            error, status = str(failure), 503
        except JixiaoError as failure:  # a parameter the binding refuses, a query the backend fails
            error, status = str(failure), 400
        if output in ("csv", "json"):
            if error is not None or answer is None or answer.form != "select":
                return PlainTextResponse(f"{error or 'not a SELECT query'}\n", status_code=status if error else 400)
            return Response(_written(output, answer), media_type="text/csv; charset=utf-8" if output == "csv" else "application/json",
                            headers={"Content-Disposition": f'attachment; filename="{name}.{output}"'} if output == "csv" else None)
        csv_query = urllib.parse.urlencode({**values, "format": "csv"})
        json_query = urllib.parse.urlencode({**values, "format": "json"})
        text = pages.named_query(self.dataset, self.links, name, values, answer, error, "/sparql", csv_query, json_query)
        return html(text, status)

    # ---- the ontology and the dataset's description ------------------------------------------

    async def ontology(self, request: Request) -> Response:
        """/ontology/: pyLODE's pages for a browser, the ontology's triples by Accept."""
        chosen = negotiation.rdf_syntax(request.headers.get("accept"), html=True)
        if isinstance(chosen, negotiation.Syntax):
            body = await run_in_threadpool(ontodoc.ontology_bytes, chosen.rdflib_format)
            return Response(body, media_type=f"{chosen.media_type}; charset=utf-8", headers={"Vary": "Accept"})
        if request.url.path == "/ontology":
            return RedirectResponse("/ontology/", status_code=301)
        if self.ontology_dir is None:
            self.ontology_dir = await run_in_threadpool(ontodoc.cached_documentation)
        name = request.path_params.get("name") or "index.html"
        path = self.ontology_dir / name
        if "/" in name or not name.endswith(".html") or not path.is_file():
            return self.error(404, f"no such page: {name}")
        return html(path.read_text(encoding="utf-8"))

    async def void(self, request: Request) -> Response:
        endpoint = str(request.url_for("sparql"))
        graph = await run_in_threadpool(description.describe, self.dataset, endpoint, [])
        chosen = negotiation.rdf_syntax(request.headers.get("accept"))
        syntax = chosen if isinstance(chosen, negotiation.Syntax) else negotiation.RDF_SYNTAXES[0]
        return Response(graph.serialize(format=syntax.rdflib_format, encoding="utf-8"), media_type=f"{syntax.media_type}; charset=utf-8")


def _not_acceptable(also: list[str]) -> Response:
    offered = ", ".join(also + [syntax.media_type for syntax in negotiation.RDF_SYNTAXES])
    return PlainTextResponse(f"none of the accepted media types is offered: {offered}\n", status_code=406)


def _written(output: str, answer: Answer) -> str:
    from jixiao.stores.base import SelectResult

    buffer = io.StringIO()
    write(output, SelectResult(answer.variables, iter(answer.rows)), buffer)  # the same writers as `jixiao query`
    return buffer.getvalue()


def create_app(dataset: Dataset, ontology_dir: Path | None = None, cache_seconds: float = CACHE_SECONDS) -> Starlette:
    # Parse and check every page query and named query now (a few seconds with rdflib's parser)
    # rather than in the first visitor's request; a broken query file stops the start.
    assert dataset.page_queries and dataset.named_queries
    site = Site(dataset, ontology_dir, cache_seconds)
    routes = [
        Route("/", site.home),
        Route("/index.html", site.home),
        Route("/findings", site.findings),
        Route("/findings.html", site.findings),
        Route("/sparql", site.sparql, methods=["GET", "POST"], name="sparql"),
        Route("/id/{rest:path}", site.identifier),
        Route("/page/{rest:path}", site.page),
        Route("/data/{rest:path}", site.data),
        Route("/category/{name}", site.category),
        Route("/resource", site.resource),
        Route("/queries/{name}", site.named_query),
        Route("/ontology", site.ontology),
        Route("/ontology/", site.ontology),
        Route("/ontology/{name}", site.ontology),
        Route("/void", site.void),
        Route("/.well-known/void", site.void),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]
    async def unavailable(_request: Request, error: Exception) -> Response:
        # A query the workers could not answer in time, wherever in a handler it was asked.
        return site.error(503, str(error))

    async def not_found(_request: Request, error: Exception) -> Response:
        # A path that names no IRI (a parameter the binding refuses: spaces, angle brackets …).
        return site.error(404, str(error))

    handlers = {QueryTimeout: unavailable, ServerBusy: unavailable, QueryFailed: unavailable, JixiaoError: not_found}
    app = Starlette(routes=routes, exception_handlers=handlers)  # type: ignore[arg-type]
    app.state.site = site
    return app
