"""A SPARQL 1.1 server as a QueryBackend: queries over the data's union, graph listing, and writes.

Writes go through `RemoteWriter` (writer.py): each table is uploaded into a fresh staging graph
(Graph Store Protocol PUT where the server has it, else SPARQL Update INSERT DATA in batches) and
its triple count checked; one SPARQL Update then switches every staged table in and keeps the
union graph `urn:jixiao:union` exact. Data queries read that union graph (`default-graph-uri`)
once a jixiao write made it, else the server's own union of all graphs (the dialect's parameter).
Why staging graphs: Virtuoso's Graph Store commits the triples before a syntax error and then
answers 500; and DROP SILENT only, because Virtuoso's DROP GRAPH fails on graphs created
implicitly by inserts.
"""

from __future__ import annotations

import json
import re
import tempfile
import urllib.parse
import uuid
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

import httpx
from rdflib import Graph, URIRef
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Node

from jixiao.errors import InputError
from jixiao.sparql_tree import has_pattern
from jixiao.stores.base import IRI_FORBIDDEN, SelectResult, TermParts, TermRows, inject_values
from jixiao.stores.credentials import check_basic_over_http, without_credentials
from jixiao.stores.remote.bulk import BulkLoad
from jixiao.stores.remote.client import Answer, HttpClient
from jixiao.stores.remote.dialects import Dialect, EndpointError, EndpointUrls, detect_urls
from jixiao.stores.remote.results import json_parts, json_term, read_select_results
from jixiao.stores.remote.sparql import SparqlQueries
from jixiao.stores.remote.writer import RemoteWriter
from jixiao.stores.tables import (
    FORMAT_SUBJECT,
    REGISTRY_GRAPH,
    STAGING_PREFIX,
    TEMP_GRAPH_PREFIX,
    UNION_GRAPH,
    TableRecord,
    is_internal,
    record_from,
)

# INSERT DATA batch size: Virtuoso fails from about 2000 triples per request ("generated SQL text
# has exceeded 10000 lines") and runs out of parser memory near 5000.
MAX_BATCH = 500

# GSP answers meaning "no Graph Store here": fall back to SPARQL Update (nothing was written).
GSP_UNSUPPORTED_STATUS = {404, 405, 415, 501}


class RemoteEndpoint:
    """A SPARQL 1.1 server as a QueryBackend.

    `query_url` alone is enough for the servers in dialects.py; give `update_url`/`gsp_url` to
    override (an explicit `update_url` without `gsp_url` means: no Graph Store), `dialect` to
    name the server. Credentials come from the arguments, else from the URL
    (`http://user:pass@host/...`). `timeout` is per network operation in seconds; `retries` is how
    many times a query or a temporary upload is repeated after a connection failure, timeout or
    429/502/503/504. Files of at least `gsp_min_triples` triples (default: the dialect's) go
    through the Graph Store when there is one, smaller ones through INSERT DATA in `batch_size`
    batches. `transport` replaces httpx's network transport (tests put a failing one there).
    `bulk_load` (Virtuoso only): stage the tables of a write through the server's bulk loader
    (bulk.py) instead of HTTP uploads.
    """

    def __init__(self, query_url: str, update_url: str | None = None, gsp_url: str | None = None, user: str | None = None,
                 password: str | None = None, timeout: float = 60.0, retries: int = 3, *, backoff: float = 0.5,
                 batch_size: int = MAX_BATCH, dialect: Dialect | None = None, gsp_min_triples: int | None = None,
                 transport: httpx.BaseTransport | None = None, allow_basic_over_http: bool = False, bulk_load: BulkLoad | None = None) -> None:
        parts = urllib.parse.urlsplit(query_url)
        self.user = user or (urllib.parse.unquote(parts.username) if parts.username else None)
        self.password = password if password is not None else (urllib.parse.unquote(parts.password) if parts.password else None)
        # The credentials leave the URLs here, so no message that names a URL can show the password.
        query_url = without_credentials(query_url)
        update_url = without_credentials(update_url) if update_url else update_url
        gsp_url = without_credentials(gsp_url) if gsp_url else gsp_url
        detected = detect_urls(query_url, authenticated=self.user is not None, dialect=dialect)
        self.dialect = detected.dialect
        self.urls = EndpointUrls(self.dialect, detected.query, update_url or detected.update, gsp_url or (detected.gsp if update_url is None else None),
                                 detected.query_protected)
        if not 1 <= batch_size <= MAX_BATCH:
            raise ValueError(f"batch_size must be between 1 and {MAX_BATCH}")
        self.batch_size = batch_size
        self.gsp_min_triples = self.dialect.gsp_min_triples if gsp_min_triples is None else gsp_min_triples
        self.timeout = timeout
        if self.user is not None and not self.dialect.digest:
            for url in (self.urls.query, self.urls.update, self.urls.gsp):
                if url:
                    check_basic_over_http(url, allow_basic_over_http)
        auth = self.dialect.auth(self.user, self.password or "") if self.user is not None else None
        self.http = HttpClient(auth, self.user, timeout, retries, backoff, transport)
        # Queries: SPARQLWrapper, with Basic credentials where the dialect speaks Basic; a Digest
        # server's query URL is anonymous (Virtuoso's /sparql) unless protected, and then httpx asks.
        self.digest_queries = self.dialect.digest and self.urls.query_protected and self.user is not None
        basic_user = None if self.dialect.digest else self.user
        self.queries = SparqlQueries(self.urls.query, basic_user, self.password, timeout, retries, backoff)
        self.union_exists: bool | None = None  # known after the first data query or write
        if bulk_load is not None and self.dialect.name != "virtuoso":
            raise EndpointError(f"{self.urls.query}: a bulk load (--bulk-dir) needs a Virtuoso endpoint (its ld_dir), not {self.dialect.name}")
        self.bulk_load = bulk_load

    # ---- queries ---------------------------------------------------------------------------

    def _data_parameters(self, query: str = "") -> dict[str, str]:
        """How to make a query's default graph the data: jixiao's union graph where a jixiao write made one,
        else the server's own union of its graphs (the dialect's parameter).

        A query that names graphs itself (GRAPH, FROM, FROM NAMED) gets the server's own dataset:
        by the SPARQL protocol, a `default-graph-uri` would leave it no named graphs to look in.
        """
        if query and names_graphs(query):
            return dict(self.dialect.union_default_graph)
        if self.union_exists is None:
            found = self._select(f"SELECT ?s WHERE {{ GRAPH <{UNION_GRAPH}> {{ ?s ?p ?o }} }} LIMIT 1", {})
            self.union_exists = any(True for _ in found.rows)
        return {"default-graph-uri": UNION_GRAPH} if self.union_exists else dict(self.dialect.union_default_graph)

    def select(self, query: str, bindings: Mapping[str, Node]) -> SelectResult:
        """Rows streamed as they arrive, over the data's union; parameters go in as a VALUES block (never raw text)."""
        return self._select(inject_values(query, bindings), self._data_parameters(query))

    def _select(self, text: str, parameters: Mapping[str, str]) -> SelectResult:
        variables, answer, found = self._answer(text, parameters)

        def row(binding: Mapping[str, Any]) -> dict[str, Node | None]:
            return {name: json_term(binding[name], self.urls.query) if name in binding else None for name in variables}

        return SelectResult(variables, self._rows(answer, found, row))

    def select_terms(self, query: str, bindings: Mapping[str, Node]) -> TermRows:
        """As `select`, the rows as the plain parts of the server's JSON terms (TermParts), for the output
        writers: no rdflib term is built."""
        variables, answer, found = self._answer(inject_values(query, bindings), self._data_parameters(query))

        def row(binding: Mapping[str, Any]) -> tuple[TermParts | None, ...]:
            return tuple([json_parts(binding[name], self.urls.query) if name in binding else None for name in variables])

        return TermRows(variables, self._rows(answer, found, row), _parts_of_parts)

    def _answer(self, text: str, parameters: Mapping[str, str]) -> tuple[list[str], Answer, Iterator[Mapping[str, Any]]]:
        """The variables of a SELECT's answer and its bindings, read as they arrive (the answer is closed on a failure here)."""
        answer = self._ask(text, parameters)
        try:
            self.dialect.check_complete(self.urls.query, answer.headers)
            variables, found = read_select_results(answer.chunks, self.urls.query)
        except BaseException:
            answer.close()
            raise
        return variables, answer, found

    def ask(self, query: str, bindings: Mapping[str, Node]) -> bool:
        """true or false, from the server's SPARQL JSON boolean."""
        response = self.http.send("POST", self.urls.query, "query", retry=True, data={"query": inject_values(query, bindings), **self._data_parameters(query)},
                                  headers={"Accept": "application/sparql-results+json"})
        try:
            answer = json.loads(response.text)
        except ValueError as error:
            raise EndpointError(f"{self.urls.query}: the answer to an ASK query is not SPARQL JSON results") from error
        if not isinstance(answer, dict) or not isinstance(answer.get("boolean"), bool):
            raise EndpointError(f"{self.urls.query}: the answer to an ASK query has no boolean")
        return answer["boolean"]

    def construct(self, query: str, bindings: Mapping[str, Node]) -> Iterator[tuple[Node, Node, Node]]:
        """The triples, asked for as N-Triples (Virtuoso's Turtle writes an integral decimal as an integer)."""
        if bindings:
            # The first group of a CONSTRUCT is its template, so a VALUES block cannot go there.
            raise EndpointError("a CONSTRUCT query with parameters runs only over DATA in memory, not over --endpoint")
        response = self.http.send("POST", self.urls.query, "query", retry=True, data={"query": query, **self._data_parameters(query)},
                                  headers={"Accept": "application/n-triples, text/plain;q=0.9, text/turtle;q=0.5"})
        kind = response.headers.get("content-type", "").split(";")[0].strip()
        syntax = "turtle" if kind == "text/turtle" else "nt"
        graph = Graph()
        try:
            graph.parse(data=response.text, format=syntax)
        except Exception as error:  # rdflib's parsers raise many kinds of exception on a broken answer
            raise EndpointError(f"{self.urls.query}: the answer to a CONSTRUCT query is not {syntax} ({kind or 'no content type'})") from error
        return iter(graph)  # type: ignore[arg-type]

    def _ask(self, text: str, parameters: Mapping[str, str]) -> Answer:
        """A query's answer, unread: through SPARQLWrapper, or httpx where Digest credentials are needed (sparql.py)."""
        if self.digest_queries:
            return self.http.query(self.urls.query, text, dict(parameters))
        try:
            return self.queries.query(text, parameters)
        except EndpointError as error:
            if error.status != 400:
                raise
        # SPARQLWrapper keeps the server's explanation of a malformed query only inside its
        # exception's text: ask once more through httpx, which reads it (a query that does not
        # parse costs the server nothing), rather than parse that text.
        return self.http.query(self.urls.query, text, dict(parameters))

    def _rows(self, answer: Answer, found: Iterator[Mapping[str, Any]], row: Callable[[Mapping[str, Any]], Any]) -> Iterator[Any]:
        """Each binding made a row by `row`; the answer is closed when the rows end or the reader stops,
        and an answer cut at the server's row limit is an error."""
        count = 0
        try:
            for binding in found:
                count += 1
                yield row(binding)
        finally:
            answer.close()
        self.dialect.check_complete(self.urls.query, answer.headers, count)

    def count_triples(self, graph_iri: str) -> int:
        """Triples in one named graph."""
        result = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{_check_iri(graph_iri)}> {{ ?s ?p ?o }} }}", {})
        return sum(int(str(row["n"])) for row in result.rows if row.get("n") is not None)

    def graph_names(self) -> list[str]:
        """Named graphs holding data, without temporary graphs and the server's own graphs."""
        query = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {self.dialect.list_graphs_pattern} }} }}"
        system = self.dialect.system_graphs
        graphs = (str(row["g"]) for row in self._select(query, {}).rows if isinstance(row.get("g"), URIRef))
        return sorted(g for g in graphs if not is_internal(g) and not (system and system.match(g)))

    def temporary_graphs(self) -> list[str]:
        """Temporary and staging graphs on the server: normally none, unless a write was cut off mid-way."""
        query = (f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {self.dialect.list_graphs_pattern} }} '
                 f'FILTER(STRSTARTS(STR(?g), "{TEMP_GRAPH_PREFIX}") || STRSTARTS(STR(?g), "{STAGING_PREFIX}")) }}')
        return sorted(str(row["g"]) for row in self._select(query, {}).rows if row.get("g") is not None)

    # ---- updates ---------------------------------------------------------------------------

    def update(self, text: str, *, retry: bool = False, timeout: float | None = None) -> None:
        """Run one SPARQL Update request (form-encoded); repeated only if the caller says it is safe."""
        if not self.urls.update:
            raise EndpointError(f"{self.urls.query}: no SPARQL Update URL known for this endpoint")
        self.http.send("POST", self.urls.update, "update", retry=retry, timeout=timeout, data={"update": text}).close()

    def drop_graph(self, graph_iri: str) -> None:
        self.update(f"DROP SILENT GRAPH <{_check_iri(graph_iri)}>")

    def drop_temporary_graphs(self) -> list[str]:
        """Drop the temporary graphs left by cut-off loads; run it only while no load is running."""
        graphs = self.temporary_graphs()
        for graph in graphs:
            self.drop_graph(graph)
        return graphs

    def writer(self) -> RemoteWriter:
        """A write: graphs uploaded into staging graphs, switched in with the union by one SPARQL Update."""
        return RemoteWriter(self)

    def tables(self) -> list[TableRecord]:
        """What the registry graph on the server says each table graph is."""
        values: dict[str, dict[str, str]] = {}
        rows = self._select(f"SELECT ?g ?p ?v WHERE {{ GRAPH <{REGISTRY_GRAPH}> {{ ?g ?p ?v }} }}", {}).rows
        for row in rows:
            graph, predicate, value = row.get("g"), row.get("p"), row.get("v")
            if isinstance(graph, URIRef) and predicate is not None and value is not None and str(graph) != FORMAT_SUBJECT:
                values.setdefault(str(graph), {})[str(predicate)] = str(value)
        return [record_from(graph, found) for graph, found in sorted(values.items())]

    def replace_graph(self, graph_iri: str, ntriples_path: Path) -> int:
        """One graph replaced by an N-Triples file's triples, in a write of its own (see loading.replace_graph)."""
        from jixiao.stores.loading import replace_graph

        return replace_graph(self, _check_iri(graph_iri), ntriples_path)

    def upload_staging(self, lines: list[str], temporaries: list[str]) -> str:
        """Put N-Triples lines into a fresh staging graph (checked by count); its IRI."""
        with tempfile.TemporaryDirectory(prefix="jixiao-upload-") as folder:
            path = Path(folder) / "graph.nt"
            path.write_text("".join(lines), encoding="utf-8")
            expected, has_blank_nodes = _survey_ntriples(path)
            graph = self._upload(path, expected, has_blank_nodes, temporaries)
        loaded = self.count_triples(graph)
        if loaded != expected:
            raise EndpointError(f"{self.urls.query}: {expected} triples were sent but the server stored {loaded}")
        return graph

    def _new_temporary(self, temporaries: list[str]) -> str:
        temporaries.append(TEMP_GRAPH_PREFIX + uuid.uuid4().hex)
        return temporaries[-1]

    def _upload(self, path: Path, triples: int, has_blank_nodes: bool, temporaries: list[str]) -> str:
        """Put the file into a fresh temporary graph and return that graph's IRI."""
        if self.urls.gsp and (triples >= self.gsp_min_triples or has_blank_nodes):
            try:
                return self._gsp_put(path, temporaries)
            except EndpointError as error:
                if error.status not in GSP_UNSUPPORTED_STATUS:
                    raise  # else no Graph Store at that URL: nothing was written, use SPARQL Update
        if has_blank_nodes:
            # Virtuoso refuses blank nodes in INSERT DATA, and one split over batches would become several.
            raise EndpointError(f"{path}: has blank nodes, which cannot be sent with SPARQL INSERT DATA in batches; "
                                "use an endpoint with the Graph Store Protocol")
        graph = self._new_temporary(temporaries)
        for batch in _batches(_triple_lines(path), self.batch_size):
            # INSERT DATA into a graph no one else writes is idempotent (RDF graphs are sets),
            # so a batch whose answer got lost may safely be sent again.
            self.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{''.join(batch)}}} }}", retry=True)
        return graph

    def _gsp_put(self, path: Path, temporaries: list[str]) -> str:
        """Graph Store Protocol PUT of the file into a fresh temporary graph; return its IRI.

        Each attempt writes to a new graph: an attempt that timed out may still be running on
        the server, and must not mix with the next one.
        """
        assert self.urls.gsp
        data = path.read_bytes()  # bytes, not a stream: an attempt (or an auth challenge) sends it again
        # Big files take the server a while before it answers; allow about 1 MB/s on top.
        self.http.send("PUT", self.urls.gsp, "Graph Store upload", retry=True, timeout=self.timeout + len(data) / 1_000_000,
                       attempt_url=lambda: self.urls.gsp_graph(self._new_temporary(temporaries)),
                       content=data, headers={"Content-Type": "application/n-triples"}).close()
        return temporaries[-1]

    def _drop_quietly(self, graphs: list[str]) -> list[str]:
        """Drop graphs, ignoring failures (the original error is the one to report); return those left."""
        left = []
        for graph in graphs:
            try:
                self.drop_graph(graph)
            except EndpointError:
                left.append(graph)
        return left

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> RemoteEndpoint:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@lru_cache(maxsize=256)
def names_graphs(query: str) -> bool:
    """Whether a query says which graphs it reads: a GRAPH pattern, or FROM / FROM NAMED."""
    try:
        parsed = parseQuery(query)
    except Exception:  # not ours to judge here: the server answers a malformed query with its own message
        return False
    # (CompValue.get answers a missing key with the key's name, so ask whether it is there.)
    return "datasetClause" in parsed[1] or has_pattern(parsed, "GraphGraphPattern")


def _check_iri(iri: str) -> str:
    """A graph IRI safe to write between < > in a query (absolute, no forbidden characters)."""
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri) or IRI_FORBIDDEN.search(iri):
        raise EndpointError(f"not a valid graph IRI: {iri!r}")
    return iri


# ---- N-Triples files ----------------------------------------------------------------------------

_BLANK_NODE_TERM = re.compile(r"^\s*(?:_:|<[^>]*>\s+<[^>]*>\s+_:)")


def _triple_lines(path: Path) -> Iterator[str]:
    """The triple lines of an N-Triples file (one triple per line by the N-Triples grammar)."""
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                stripped = line.strip()
                if stripped and not stripped.startswith("#"):
                    yield stripped + "\n"
    except FileNotFoundError as error:
        raise InputError(str(path), None, "no such file") from error
    except UnicodeDecodeError as error:
        raise InputError(str(path), None, f"not UTF-8 N-Triples: {error}") from error
    except OSError as error:
        raise InputError(str(path), None, f"cannot read: {error}") from error


def _survey_ntriples(path: Path) -> tuple[int, bool]:
    """Distinct triples in the file (the count the server must end up with), and blank nodes?

    Distinct by line text: duplicate lines collapse in any store. Hashes, not lines, are kept.
    """
    seen: set[int] = set()
    blank = False
    for line in _triple_lines(path):
        seen.add(hash(line))
        blank = blank or bool(_BLANK_NODE_TERM.match(line))
    return len(seen), blank


def _batches(lines: Iterator[str], size: int) -> Iterator[list[str]]:
    while batch := list(islice(lines, size)):
        yield batch


def _parts_of_parts(term: Any) -> TermParts:
    """The rows of `select_terms` hold TermParts already."""
    return term  # type: ignore[no-any-return]
