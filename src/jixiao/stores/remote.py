"""A remote SPARQL 1.1 server (Virtuoso, Oxigraph server, or another) as a QueryBackend.

Queries go through SPARQLWrapper and come back as SPARQL JSON results, streamed row by row and
turned into rdflib terms (datatypes and language tags as the server gives them). Parameters are
RDF terms put into a VALUES block serialised by rdflib (`inject_values`), never raw user text.

`replace_graph` uploads a file into a fresh temporary graph (Graph Store Protocol PUT where the
server has it, else SPARQL Update INSERT DATA in batches), checks the triple count, and only then
swaps it into the target graph with one update request. A failure before the swap drops the
temporary graph and leaves the target as it was.

Every failure reaches the caller as EndpointError, naming the URL and what went wrong. Idempotent
requests (SELECT, the GSP PUT, INSERT DATA into the private temporary graph) are retried a few
times with backoff; the swap is not retried blindly: after a failure the graphs are inspected.

Server quirks handled here (see scripts/virtuoso-start.sh for the ones fixed in configuration):
- Virtuoso's /sparql is anonymous and read-only; updates and GSP need /sparql-auth and
  /sparql-graph-crud-auth with HTTP Digest (Basic is refused). Both are tried.
- Virtuoso's DROP GRAPH fails on graphs created implicitly by inserts: only DROP SILENT is used.
- Virtuoso's GSP commits the triples before a syntax error and then answers 500: hence the
  temporary graph.
- Virtuoso refuses blank nodes in INSERT DATA, and a blank node split over batches would become
  several nodes anyway: files with blank nodes need GSP.
- Virtuoso silently truncates results at ResultSetMaxRows (header X-SPARQL-MaxRows) and returns
  partial "anytime" results on timeouts (header X-SQL-State): both raise EndpointError here.
- Virtuoso's default graph is the union of all graphs, system graphs included; the Oxigraph server
  needs the `union-default-graph` request parameter for that.
"""

from __future__ import annotations

import ast
import base64
import codecs
import contextlib
import http.client
import json
import math
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node
from SPARQLWrapper import BASIC, DIGEST, JSON, POST, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from jixiao.errors import InputError, JixiaoError
from jixiao.stores.base import IRI_FORBIDDEN, SelectResult, inject_values

T = TypeVar("T")

# Temporary graphs hold a file between upload and swap; graph_names() never lists them.
TEMP_GRAPH_PREFIX = "urn:jixiao:tmp:"

# INSERT DATA batch size: Virtuoso fails from about 2000 triples per request ("generated SQL text
# has exceeded 10000 lines") and runs out of parser memory near 5000.
MAX_BATCH = 500

# Below this many triples a file goes to Virtuoso through INSERT DATA rather than its Graph Store
# (see RemoteEndpoint.__init__ for the measurements).
VIRTUOSO_GSP_MIN_TRIPLES = 20_000

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_RETRYABLE_STATUS = {408, 429, 502, 503, 504}
# GSP answers meaning "no Graph Store here": fall back to SPARQL Update (nothing was written).
_GSP_UNSUPPORTED_STATUS = {404, 405, 415, 501}
# Graphs every Virtuoso holds for itself; not the project's data.
_VIRTUOSO_SYSTEM_GRAPH = re.compile(
    r"^(http://www\.openlinksw\.com/|http://www\.w3\.org/ns/ldp#|urn:activitystreams-owl:map$"
    r"|https?://[^/]+/(sparql|DAV/?)$)"
)
# Virtuoso's answer when one request changes more than TransactionAfterImageLimit bytes of data.
_VIRTUOSO_TRANSACTION_TOO_BIG = "SR325"


class EndpointError(JixiaoError):
    """A SPARQL endpoint could not be reached, refused a request, or answered wrongly."""


# ---- URLs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EndpointUrls:
    """Where queries, updates and Graph Store requests go, and how GSP names a graph."""

    flavour: str  # "virtuoso", "oxigraph" (/query /update /store layout) or "generic"
    query: str
    update: str | None
    gsp: str | None
    gsp_graph_param: str = "graph"  # Virtuoso: graph-uri


def detect_urls(url: str, *, authenticated: bool) -> EndpointUrls:
    """Sensible endpoint URLs from the one URL a user gives.

    - Virtuoso `http://h:p/sparql`: queries there (anonymous); with credentials updates go to
      /sparql-auth and GSP to /sparql-graph-crud-auth (Digest), without to /sparql and
      /sparql-graph-crud (which work only if the server grants anonymous updates).
    - Oxigraph server `http://h:p` or `http://h:p/query`: /query, /update, /store. The same layout
      fits Fuseki's /ds/query and /ds/update; a missing /store falls back to SPARQL Update.
    - Anything else: that URL for queries and updates, no GSP.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"{url}: not an http(s) URL of a SPARQL endpoint")
    base = f"{parts.scheme}://{_netloc_without_userinfo(parts)}"
    path = parts.path.rstrip("/")
    if path in ("/sparql", "/sparql-auth"):
        query = base + path
        if authenticated:
            return EndpointUrls("virtuoso", query, base + "/sparql-auth", base + "/sparql-graph-crud-auth", "graph-uri")
        return EndpointUrls("virtuoso", query, base + "/sparql", base + "/sparql-graph-crud", "graph-uri")
    if path == "" or path.endswith("/query"):
        prefix = path[: -len("/query")] if path.endswith("/query") else path
        root = base + prefix
        return EndpointUrls("oxigraph", root + "/query", root + "/update", root + "/store", "graph")
    plain = urllib.parse.urlunsplit((parts.scheme, _netloc_without_userinfo(parts), parts.path, parts.query, ""))
    return EndpointUrls("generic", plain, plain, None, "graph")


def _netloc_without_userinfo(parts: urllib.parse.SplitResult) -> str:
    return parts.netloc.rpartition("@")[2]


def _userinfo(url: str) -> tuple[str | None, str | None]:
    parts = urllib.parse.urlsplit(url)
    user = urllib.parse.unquote(parts.username) if parts.username else None
    password = urllib.parse.unquote(parts.password) if parts.password else None
    return user, password


def _check_iri(iri: str) -> str:
    """A graph IRI safe to write between < > in a query (absolute, no forbidden characters)."""
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri) or IRI_FORBIDDEN.search(iri):
        raise EndpointError(f"not a valid graph IRI: {iri!r}")
    return iri


# ---- SPARQL JSON results, streamed --------------------------------------------------------------


def json_term(binding: Mapping[str, str]) -> Node:
    """One SPARQL JSON result term as an rdflib term."""
    kind = binding.get("type")
    value = binding.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):  # "typed-literal": Virtuoso's pre-1.1 spelling
        language = binding.get("xml:lang")
        if language:
            return Literal(value, lang=language)
        datatype = binding.get("datatype")
        if datatype and datatype not in (_XSD_STRING, _RDF_LANG_STRING):
            return Literal(value, datatype=URIRef(datatype))
        return Literal(value)
    raise EndpointError(f"unsupported term type {kind!r} in SPARQL results")


_BINDINGS_OPEN = re.compile(r'"bindings"\s*:\s*\[')
_HEAD = re.compile(r'"head"\s*:\s*')


class _JsonResultStream:
    """Reads `{"head": {...}, "results": {"bindings": [ {...}, ... ]}}` one binding at a time.

    Only the current binding is held in memory; a whole result is parsed at once only when a
    server writes "head" after the bindings (allowed by JSON, done by no server we know).
    """

    def __init__(self, response: IO[bytes], url: str, chunk_size: int = 1 << 16) -> None:
        self._response = response
        self._url = url
        self._chunk_size = chunk_size
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
        self._json = json.JSONDecoder()
        self._buffer = ""
        self._pos = 0
        self._eof = False

    def _read_more(self) -> bool:
        if self._eof:
            return False
        chunk = self._response.read(self._chunk_size)
        if not chunk:
            self._eof = True
            self._buffer += self._decoder.decode(b"", final=True)
            return False
        self._buffer += self._decoder.decode(chunk)
        return True

    def open(self) -> tuple[list[str], Iterator[Mapping[str, Any]]]:
        """Read up to the first binding; return the variables and an iterator over bindings."""
        while not (match := _BINDINGS_OPEN.search(self._buffer)):
            if not self._read_more():
                return self._whole_document()
        head = _HEAD.search(self._buffer, 0, match.start())
        if head is None:
            return self._whole_document()
        header, _ = self._json.raw_decode(self._buffer, head.end())
        self._pos = match.end()
        return list(header.get("vars", [])), self._bindings()

    def _whole_document(self) -> tuple[list[str], Iterator[Mapping[str, Any]]]:
        while self._read_more():
            pass
        try:
            document = json.loads(self._buffer)
        except ValueError as error:
            raise EndpointError(f"{self._url}: the answer is not SPARQL JSON results: {error}") from error
        if "boolean" in document:
            raise EndpointError(f"{self._url}: the query is an ASK query, not a SELECT query")
        if "results" not in document:
            raise EndpointError(f"{self._url}: the answer is not SPARQL JSON results")
        return list(document.get("head", {}).get("vars", [])), iter(document["results"].get("bindings", []))

    def _bindings(self) -> Iterator[Mapping[str, Any]]:
        while True:
            self._skip_separators()
            if self._pos >= len(self._buffer):
                if not self._read_more():
                    raise EndpointError(f"{self._url}: the result stream ended early (truncated answer)")
                continue
            if self._buffer[self._pos] == "]":
                return
            try:
                binding, end = self._json.raw_decode(self._buffer, self._pos)
            except json.JSONDecodeError as error:
                # Usually the object continues in the next chunk; at the end it is really broken.
                if self._read_more():
                    continue
                raise EndpointError(f"{self._url}: malformed SPARQL JSON results: {error}") from error
            self._pos = end
            if self._pos > self._chunk_size:  # drop what has been consumed
                self._buffer = self._buffer[self._pos :]
                self._pos = 0
            yield binding

    def _skip_separators(self) -> None:
        while self._pos < len(self._buffer) and self._buffer[self._pos] in " \t\r\n,":
            self._pos += 1


# ---- the backend ----------------------------------------------------------------------------


class RemoteEndpoint:
    """A SPARQL 1.1 server as a QueryBackend.

    `query_url` alone is enough for Virtuoso and the Oxigraph server (see detect_urls); give
    `update_url`/`gsp_url` to override (an explicit `update_url` without `gsp_url` means: no Graph
    Store). Credentials come from the arguments, else from the URL (`http://user:pass@host/...`).
    `timeout` is per network operation in seconds; `retries` is how many times an idempotent
    request is repeated after a connection failure, timeout or 429/502/503/504. Files of at least
    `gsp_min_triples` triples (default: 20000 on Virtuoso, 0 elsewhere) are uploaded with the Graph
    Store Protocol when the server has one, smaller ones with INSERT DATA in `batch_size` batches.
    """

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        gsp_url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 60.0,
        retries: int = 3,
        *,
        backoff: float = 0.5,
        batch_size: int = MAX_BATCH,
        flavour: str | None = None,
        gsp_min_triples: int | None = None,
    ) -> None:
        url_user, url_password = _userinfo(query_url)
        self.user = user or url_user or None
        self.password = password if password is not None else url_password
        detected = detect_urls(query_url, authenticated=self.user is not None)
        self.urls = EndpointUrls(
            flavour or detected.flavour,
            detected.query,
            update_url or detected.update,
            gsp_url or (detected.gsp if update_url is None else None),
            "graph-uri" if gsp_url and "sparql-graph-crud" in gsp_url else detected.gsp_graph_param,
        )
        if not 1 <= batch_size <= MAX_BATCH:
            raise ValueError(f"batch_size must be between 1 and {MAX_BATCH}")
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.batch_size = batch_size
        # Files with fewer triples go through INSERT DATA even where a Graph Store exists. On
        # Virtuoso, deleting triples its Graph Store loaded is slow and erratic when the same
        # triples sit in another graph, as they do during every replacement (12k triples: 0.4-6 s
        # per replacement through GSP, a steady 0.6-0.9 s through INSERT DATA); from about 100k
        # triples the faster GSP upload wins (3-5 s against 10-12 s).
        if gsp_min_triples is None:
            gsp_min_triples = VIRTUOSO_GSP_MIN_TRIPLES if self.urls.flavour == "virtuoso" else 0
        self.gsp_min_triples = gsp_min_triples
        # How SELECTs authenticate, once known: None (anonymous), Digest or Basic. Queries start
        # anonymous (Virtuoso's /sparql needs nothing) and answer a 401 with Digest (all
        # Virtuoso accepts), then Basic. Not sending credentials unasked also keeps SPARQLWrapper
        # from installing its Digest opener process-wide.
        self._query_auth: list[str | None] = [None, DIGEST, BASIC] if self.user is not None else [None]

    # ---- queries ---------------------------------------------------------------------------

    def select(self, query: str, bindings: Mapping[str, Node]) -> SelectResult:
        text = inject_values(query, bindings) if bindings else query
        url = self.urls.query
        response = self._with_retries(url, "query", lambda: self._send(url, text))
        try:
            if response.headers.get("X-SQL-State"):
                # Virtuoso's "anytime" answer: a timeout cut the result short but said 200 OK.
                raise EndpointError(f"{url}: the server returned partial results ({response.headers.get('X-SQL-Message', '').strip()})")
            variables, bindings_iter = _JsonResultStream(response, url).open()
        except BaseException:
            response.close()
            raise
        max_rows = response.headers.get("X-SPARQL-MaxRows")
        return SelectResult(variables, self._rows(response, url, variables, bindings_iter, max_rows))

    def _rows(
        self,
        response: Any,
        url: str,
        variables: list[str],
        bindings: Iterator[Mapping[str, Any]],
        max_rows: str | None,
    ) -> Iterator[dict[str, Node | None]]:
        count = 0
        try:
            for binding in bindings:
                count += 1
                yield {name: json_term(binding[name]) if name in binding else None for name in variables}
        except (OSError, http.client.HTTPException) as error:
            raise EndpointError(f"{url}: connection lost while reading results: {_reason(error)}") from error
        finally:
            response.close()
        if max_rows and max_rows.isdigit() and count >= int(max_rows):
            # Virtuoso cuts results at ResultSetMaxRows with 200 OK and only this header.
            raise EndpointError(
                f"{url}: the result was truncated at {max_rows} rows by the server's limit "
                "(Virtuoso [SPARQL] ResultSetMaxRows; scripts/virtuoso-start.sh raises it)"
            )

    def check_connection(self) -> None:
        """Raise EndpointError unless the query endpoint answers (a cheap connectivity check)."""
        list(self.select("SELECT ?x WHERE { VALUES ?x { 1 } }", {}).rows)

    def count_triples(self, graph_iri: str) -> int:
        """Triples in one named graph."""
        graph = _check_iri(graph_iri)
        result = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", {})
        for row in result.rows:
            value = row.get("n")
            return int(str(value)) if value is not None else 0
        return 0

    def graph_names(self) -> list[str]:
        """Named graphs holding data, without temporary graphs and Virtuoso's own graphs."""
        # Oxigraph lists its graphs from `GRAPH ?g {}` without scanning; others need a pattern.
        pattern = "" if self.urls.flavour == "oxigraph" else "?s ?p ?o"
        query = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {pattern} }} }}"
        names = []
        for row in self.select(query, {}).rows:
            graph = row.get("g")
            if not isinstance(graph, URIRef) or str(graph).startswith(TEMP_GRAPH_PREFIX):
                continue
            if self.urls.flavour == "virtuoso" and _VIRTUOSO_SYSTEM_GRAPH.match(str(graph)):
                continue
            names.append(str(graph))
        return sorted(names)

    # ---- updates ---------------------------------------------------------------------------

    def update(self, text: str) -> None:
        """Run one SPARQL Update request, once (updates are not retried blindly)."""
        url = self._update_url()
        self._with_retries(url, "update", lambda: self._post_update(url, text), retries=0)

    def drop_graph(self, graph_iri: str) -> None:
        self.update(f"DROP SILENT GRAPH <{_check_iri(graph_iri)}>")

    def replace_graph(self, graph_iri: str, ntriples_path: Path) -> int:
        """Make the named graph hold exactly the triples of an N-Triples file; return its size.

        Any failure before the swap raises EndpointError (or InputError for an unreadable file)
        and leaves the target graph as it was.
        """
        target = _check_iri(graph_iri)
        path = Path(ntriples_path)
        expected, has_blank_nodes = _survey_ntriples(path)
        temporaries: list[str] = []  # every temporary graph this call may have written to
        try:
            temporary = self._upload(path, expected, has_blank_nodes, temporaries)
            loaded = self.count_triples(temporary)
            if loaded != expected:
                raise EndpointError(f"{self.urls.query}: {path} has {expected} triples but the server stored {loaded}")
        except EndpointError as error:
            left = self._drop_quietly(temporaries)
            note = f" (temporary graph(s) {', '.join(f'<{g}>' for g in left)} could not be dropped)" if left else ""
            raise EndpointError(f"{error}; graph <{target}> left unchanged{note}") from error
        except BaseException:
            self._drop_quietly(temporaries)
            raise
        self._swap(temporary, target, expected)
        self._drop_quietly([graph for graph in temporaries if graph != temporary])
        return self.count_triples(target)

    def _new_temporary(self, temporaries: list[str]) -> str:
        graph = TEMP_GRAPH_PREFIX + uuid.uuid4().hex
        temporaries.append(graph)
        return graph

    def _upload(self, path: Path, triples: int, has_blank_nodes: bool, temporaries: list[str]) -> str:
        """Put the file into a fresh temporary graph and return that graph's IRI."""
        if self.urls.gsp and (triples >= self.gsp_min_triples or has_blank_nodes):
            try:
                return self._gsp_put(path, temporaries)
            except _GspUnsupported:
                pass  # no Graph Store at that URL: nothing was written, use SPARQL Update
        if has_blank_nodes:
            raise EndpointError(
                f"{path}: has blank nodes, which cannot be sent with SPARQL INSERT DATA in batches; use an endpoint with the Graph Store Protocol"
            )
        graph = self._new_temporary(temporaries)
        self._insert_batches(graph, path)
        return graph

    def _insert_batches(self, graph: str, path: Path) -> None:
        url = self._update_url()
        for batch in _batches(_triple_lines(path), self.batch_size):
            text = f"INSERT DATA {{ GRAPH <{graph}> {{\n{''.join(batch)}}} }}"
            # INSERT DATA into a graph no one else writes is idempotent (RDF graphs are sets),
            # so a batch whose answer got lost may safely be sent again.
            self._with_retries(url, "update", lambda text=text: self._post_update(url, text))

    def _swap(self, temporary: str, target: str, expected: int) -> None:
        """Replace the target by the temporary graph in one update request, never retried."""
        # One request, so no reader sees the target empty for longer than the server needs. The
        # DROP is explicit because MOVE SILENT from a missing (empty-file) graph does nothing.
        text = f"DROP SILENT GRAPH <{target}> ;\nMOVE SILENT GRAPH <{temporary}> TO GRAPH <{target}>"
        if expected == 0:
            text = f"DROP SILENT GRAPH <{target}> ;\nDROP SILENT GRAPH <{temporary}>"
        url = self._update_url()
        # A server copies triples one by one (the Oxigraph server about 10k/s): time for that.
        timeout = self.timeout + expected / 5_000
        try:
            self._with_retries(url, "update", lambda: self._post_update(url, text, timeout), retries=0)
        except EndpointError as error:
            if _may_still_run(error.__cause__):
                # The request reached the server and may still be running: dropping or
                # re-sending anything now could undo it halfway.
                raise EndpointError(f"{error}; the server may still be replacing graph <{target}> (from <{temporary}>): check it later") from error
            self._after_failed_swap(error, temporary, target, expected)

    def _after_failed_swap(self, error: EndpointError, temporary: str, target: str, expected: int) -> None:
        """The server answered the swap with an error: look at the graphs before saying more."""
        try:
            left_in_temporary = self.count_triples(temporary)
            now_in_target = self.count_triples(target)
        except EndpointError:
            raise EndpointError(f"{error}; the state of graph <{target}> is unknown (temporary graph <{temporary}> may remain)") from error
        if left_in_temporary == 0 and now_in_target == expected:
            return  # the swap was done; only the answer was an error
        if left_in_temporary == expected:
            if _VIRTUOSO_TRANSACTION_TOO_BIG in str(error):
                self._swap_without_transaction(temporary, target, expected, error)
                return
            self._drop_quietly([temporary])
            raise EndpointError(f"{error}; graph <{target}> left unchanged") from error
        raise EndpointError(f"{error}; graph <{target}> now holds {now_in_target} triples instead of {expected}") from error

    def _swap_without_transaction(self, temporary: str, target: str, expected: int, error: EndpointError) -> None:
        """Virtuoso's fallback when a graph is too big for one transaction (TransactionAfterImageLimit).

        `DEFINE sql:log-enable 3` makes Virtuoso commit row by row, so the limit does not apply;
        the price is that readers may see the graph partly replaced meanwhile. The new triples
        stay in the temporary graph until moved, so a failure here loses nothing of them.
        """
        text = f"DEFINE sql:log-enable 3 DROP SILENT GRAPH <{target}> ;\nMOVE SILENT GRAPH <{temporary}> TO GRAPH <{target}>"
        url = self._update_url()
        timeout = self.timeout + expected / 5_000
        try:
            self._with_retries(url, "update", lambda: self._post_update(url, text, timeout), retries=0)
            if self.count_triples(target) == expected and self.count_triples(temporary) == 0:
                return
            problem = "the graphs do not hold the expected triples afterwards"
        except EndpointError as second:
            problem = str(second)
        raise EndpointError(
            f"{error}; retrying without a transaction failed too ({problem}): graph <{target}> may be partly replaced, "
            f"its complete new contents are in graph <{temporary}>"
        ) from error

    def _drop_quietly(self, graphs: list[str]) -> list[str]:
        """Drop graphs, ignoring failures (the original error is the one to report); return those left."""
        left = []
        for graph in graphs:
            try:
                self.drop_graph(graph)
            except EndpointError:
                left.append(graph)
        return left

    def temporary_graphs(self) -> list[str]:
        """Temporary graphs on the server: normally none, unless a load was cut off mid-way."""
        query = f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{TEMP_GRAPH_PREFIX}")) }}'
        return sorted(str(row["g"]) for row in self.select(query, {}).rows if row.get("g") is not None)

    def drop_temporary_graphs(self) -> list[str]:
        """Drop the temporary graphs left by cut-off loads; run it only while no load is running."""
        graphs = self.temporary_graphs()
        for graph in graphs:
            self.drop_graph(graph)
        return graphs

    def _update_url(self) -> str:
        if not self.urls.update:
            raise EndpointError(f"{self.urls.query}: no SPARQL Update URL known for this endpoint")
        return self.urls.update

    # ---- HTTP ------------------------------------------------------------------------------

    def _send(self, url: str, text: str) -> Any:
        """POST a SELECT query with SPARQLWrapper; return the open HTTP response."""

        def attempt(scheme: str | None) -> Any:
            wrapper = SPARQLWrapper(url)
            wrapper.setMethod(POST)  # long VALUES blocks do not fit in a GET URL
            wrapper.setOnlyConneg(True)  # no format=/output= parameters that confuse servers
            wrapper.setReturnFormat(JSON)
            wrapper.setTimeout(max(1, math.ceil(self.timeout)))
            if scheme is not None and self.user is not None:
                wrapper.setHTTPAuth(scheme)
                wrapper.setCredentials(self.user, self.password or "")
            if self.urls.flavour == "oxigraph":
                wrapper.addParameter("union-default-graph", "")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # its "unknown query type" guesses are not ours to show
                wrapper.setQuery(text)
            # SPARQLWrapper guesses the query type from keywords anywhere in the text: a SELECT
            # that mentions "added" was sent as an ADD update. This method only runs SELECTs.
            wrapper.queryType = SELECT
            with _private_urllib_opener():
                return wrapper.query().response

        refused: Unauthorized | None = None
        for scheme in self._query_auth:
            try:
                response = attempt(scheme)
            except Unauthorized as error:
                refused = error  # a 401 comes before anything runs: trying the next scheme is safe
                continue
            self._query_auth = [scheme]
            return response
        if self.user is None:
            raise EndpointError(f"{url}: the server requires a user and password (HTTP 401); give them as http://USER:PASSWORD@host/...") from refused
        raise _unauthorized(url, self.user) from refused

    def _post_update(self, url: str, text: str, timeout: float | None = None) -> None:
        """POST one SPARQL Update request (SPARQL 1.1 Protocol, form-encoded).

        Not through SPARQLWrapper: its Digest support sends every body twice (first without
        credentials) and Virtuoso may close the connection on the 401 before a large body is
        sent. Here the credentials go with the first and only copy of the body.
        """
        data = urllib.parse.urlencode({"update": text}).encode("ascii")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json, */*;q=0.1"}
        authorization = self._authorization(url, "POST", data)
        if authorization:
            headers["Authorization"] = authorization
        answer = _http("POST", url, data, headers, timeout or self.timeout)
        if not 200 <= answer.status < 300:
            raise _HttpStatusError(answer)

    def _gsp_put(self, path: Path, temporaries: list[str]) -> str:
        """Graph Store Protocol PUT of the file into a fresh temporary graph; return its IRI.

        Each attempt writes to a new graph: an attempt that timed out may still be running on
        the server, and must not mix with the next one (and Virtuoso was once seen to hang on
        its own locks when a PUT overwrote a large graph).
        """
        assert self.urls.gsp
        data = path.read_bytes()  # bytes: sent again as a whole if an attempt fails
        # Big files take the server a while before it answers; allow about 1 MB/s on top.
        timeout = self.timeout + len(data) / 1_000_000

        def put() -> str:
            graph = self._new_temporary(temporaries)
            url = self._gsp_url(graph)
            headers = {"Content-Type": "application/n-triples"}
            authorization = self._authorization(url, "PUT", data)
            if authorization:
                headers["Authorization"] = authorization
            answer = _http("PUT", url, data, headers, timeout)
            if answer.status in (200, 201, 204):
                return graph
            if answer.status in _GSP_UNSUPPORTED_STATUS:
                raise _GspUnsupported(url)
            raise _HttpStatusError(answer)

        return self._with_retries(self.urls.gsp, "Graph Store upload", put)

    def _gsp_url(self, graph: str) -> str:
        assert self.urls.gsp
        separator = "&" if "?" in self.urls.gsp else "?"
        return f"{self.urls.gsp}{separator}{self.urls.gsp_graph_param}={urllib.parse.quote(graph, safe='')}"

    def _authorization(self, url: str, method: str, data: bytes) -> str | None:
        """An Authorization header for a request with a body, got before sending the body.

        Answering a challenge the usual way (send, get 401, send again) fails with big bodies:
        Virtuoso answers 401 and closes the connection while the body is still being sent (a
        broken pipe, no 401 seen). So a bodiless GET fetches the challenge first; Digest is
        answered when offered, Basic otherwise.
        """
        if self.user is None:
            return None
        probe = _http("GET", url, None, {}, self.timeout)
        if probe.status != 401:
            return None  # no authentication asked for
        challenges = probe.headers.get_all("WWW-Authenticate") or []
        password = self.password or ""
        for challenge in challenges:
            scheme, _, params = challenge.partition(" ")
            if scheme.lower() == "digest":
                passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
                passwords.add_password(None, url, self.user, password)
                fields = urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(params)))
                request = urllib.request.Request(url, data=data, method=method)
                value = urllib.request.HTTPDigestAuthHandler(passwords).get_authorization(request, fields)
                if value:
                    return f"Digest {value}"
        if any(challenge.lower().startswith("basic") for challenge in challenges):
            token = base64.b64encode(f"{self.user}:{password}".encode()).decode("ascii")
            return f"Basic {token}"
        return None

    def _with_retries(self, url: str, what: str, call: Callable[[], T], retries: int | None = None) -> T:
        """Run a request, repeating it after transient failures with backoff when idempotent.

        Every failure leaves as EndpointError; pass retries=0 for non-idempotent requests.
        """
        limit = self.retries if retries is None else retries
        attempt = 0
        while True:
            try:
                return call()
            except (EndpointError, _GspUnsupported, InputError):
                raise
            except Exception as error:  # every failure becomes an EndpointError
                problem, transient = _describe(error, self.timeout, self.user)
                if not transient or attempt >= limit:
                    tries = f" (after {attempt + 1} attempts)" if attempt else ""
                    raise EndpointError(f"{url}: {what} failed{tries}: {problem}") from error
            time.sleep(self.backoff * (2**attempt))
            attempt += 1

    def close(self) -> None:
        """Nothing stays open between requests (each response is closed once read)."""

    def __enter__(self) -> RemoteEndpoint:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


_OPENER_LOCK = threading.Lock()


@contextlib.contextmanager
def _private_urllib_opener() -> Iterator[None]:
    """Keep SPARQLWrapper's process-wide urllib opener from outliving one request.

    For Digest auth SPARQLWrapper calls urllib.request.install_opener with the credentials in
    it; left in place, every later request to that URL in the process, from any endpoint
    object, answers challenges with those credentials (a wrong password then "works").
    """
    with _OPENER_LOCK:
        urllib.request.install_opener(None)  # None: urllib builds its default opener again
        try:
            yield
        finally:
            urllib.request.install_opener(None)


class _GspUnsupported(Exception):
    """The GSP URL answered 404/405/415/501: there is no Graph Store there."""


@dataclass(frozen=True)
class _HttpAnswer:
    status: int
    reason: str
    headers: http.client.HTTPMessage
    body: bytes


class _HttpStatusError(Exception):
    """A plain-HTTP request (GSP) answered with an error status."""

    def __init__(self, answer: _HttpAnswer) -> None:
        super().__init__(f"HTTP {answer.status} {answer.reason}")
        self.answer = answer


def _http(method: str, url: str, data: bytes | None, headers: Mapping[str, str], timeout: float) -> _HttpAnswer:
    """One HTTP request with http.client, reading the answer even if the server stopped reading.

    A server may answer (500 on a syntax error, 401, 413) and close before the whole body is
    sent; urllib then reports only a broken pipe. Here the answer it sent is still read.
    Network failures raise OSError or http.client.HTTPException.
    """
    parts = urllib.parse.urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname or "", parts.port, timeout=timeout)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    try:
        connection.putrequest(method, target)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.putheader("Content-Length", str(len(data or b"")))
        connection.endheaders()
        if data:
            view = memoryview(data)
            try:
                for offset in range(0, len(view), 1 << 20):
                    connection.send(view[offset : offset + (1 << 20)])
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server stopped reading: its answer, if any, is read below
        response = connection.getresponse()
        return _HttpAnswer(response.status, response.reason, response.headers, response.read())
    finally:
        connection.close()


def _unauthorized(url: str, user: str) -> EndpointError:
    return EndpointError(f"{url}: user {user!r} was refused (HTTP 401, tried Digest and Basic authentication): check the user name and password")


def _describe(error: BaseException, timeout: float, user: str | None) -> tuple[str, bool]:
    """What went wrong, in words for a user, and whether trying again may help."""
    if isinstance(error, Unauthorized) or (isinstance(error, urllib.error.HTTPError) and error.code == 401):
        who = f"user {user!r} was refused" if user else "authentication is required"
        return f"{who} (HTTP 401): check the user name and password", False
    if isinstance(error, QueryBadFormed):
        return f"the server rejected the request as malformed (HTTP 400): {_sparqlwrapper_body(error)}", False
    if isinstance(error, EndPointNotFound):
        return "not found (HTTP 404): is this the SPARQL endpoint's URL?", False
    if isinstance(error, URITooLong):
        return "request URI too long (HTTP 414)", False
    if isinstance(error, EndPointInternalError):
        return f"server error (HTTP 500): {_sparqlwrapper_body(error)}", False
    if isinstance(error, SPARQLWrapperException):
        return str(error), False
    if isinstance(error, _HttpStatusError):
        answer = error.answer
        if answer.status == 401:
            who = f"user {user!r} was refused" if user else "authentication is required"
            return f"{who} (HTTP 401): check the user name and password", False
        body = _first_lines(re.sub(r"<[^>]+>", " ", answer.body.decode("utf-8", "replace")))
        return f"HTTP {answer.status} {answer.reason}{': ' + body if body else ''}", answer.status in _RETRYABLE_STATUS
    if isinstance(error, urllib.error.HTTPError):
        body = _http_error_body(error)
        return f"HTTP {error.code} {error.reason}{': ' + body if body else ''}", error.code in _RETRYABLE_STATUS
    if isinstance(error, urllib.error.URLError):
        return _reason(error.reason), not isinstance(error.reason, socket.gaierror)
    if isinstance(error, (TimeoutError, socket.timeout)):
        return f"no answer within {timeout:g} s (timeout)", True
    if isinstance(error, (OSError, http.client.HTTPException)):
        return _reason(error), not isinstance(error, socket.gaierror)
    return f"{type(error).__name__}: {error}", False


def _may_still_run(error: BaseException | None) -> bool:
    """Did a request fail after the server may have started on it (timeout, lost answer)?"""
    if isinstance(error, urllib.error.URLError) and isinstance(error.reason, BaseException):
        error = error.reason
    if isinstance(error, ConnectionRefusedError | socket.gaierror):
        return False  # never reached the server
    return isinstance(error, TimeoutError | socket.timeout | ConnectionError | http.client.HTTPException)


def _reason(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    if isinstance(reason, socket.gaierror):
        return f"unknown host ({reason})"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(reason, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(reason, BaseException):
        return f"{type(reason).__name__}: {reason}" if str(reason) else type(reason).__name__
    return str(reason)


def _sparqlwrapper_body(error: SPARQLWrapperException) -> str:
    """The server's own message, which SPARQLWrapper keeps only inside its exception text."""
    text = str(error)
    _, marker, raw = text.partition("Response:\n")
    if not marker:
        return text
    try:
        body = ast.literal_eval(raw)
        raw = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    except (ValueError, SyntaxError):
        pass
    return _first_lines(raw)


def _http_error_body(error: urllib.error.HTTPError) -> str:
    try:
        raw = error.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        return ""
    # Virtuoso wraps its message in HTML; keep the text.
    return _first_lines(re.sub(r"<[^>]+>", " ", raw))


def _first_lines(text: str, limit: int = 400) -> str:
    # Virtuoso appends the whole query after "SPARQL query:"; the message before it is enough.
    text = text.split("SPARQL query:")[0]
    text = " ".join(line.strip() for line in text.splitlines() if line.strip())
    return text if len(text) <= limit else text[:limit] + "…"


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
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
