"""A SPARQL 1.1 server as a QueryBackend: queries, graph listing and whole-graph replacement.

`replace_graph` uploads a file into a fresh temporary graph (Graph Store Protocol PUT where the
server has it, else SPARQL Update INSERT DATA in batches), checks the triple count, and only then
swaps it into the target graph with one update request. A failure before the swap drops the
temporary graph and leaves the target as it was. The swap is never retried blindly: after a
failure the graphs are inspected. Why the temporary graph: Virtuoso's Graph Store commits the
triples before a syntax error and then answers 500; and DROP SILENT only, because Virtuoso's DROP
GRAPH fails on graphs created implicitly by inserts.
"""

from __future__ import annotations

import re
import urllib.parse
import uuid
from collections.abc import Iterator, Mapping
from itertools import islice
from pathlib import Path
from typing import Any

import httpx
from rdflib import URIRef
from rdflib.term import Node

from jixiao.errors import InputError
from jixiao.stores.base import IRI_FORBIDDEN, SelectResult, inject_values
from jixiao.stores.credentials import check_basic_over_http, without_credentials
from jixiao.stores.remote.client import Answer, HttpClient, may_still_run
from jixiao.stores.remote.dialects import Dialect, EndpointError, EndpointUrls, detect_urls
from jixiao.stores.remote.results import json_term, read_select_results
from jixiao.stores.remote.sparql import SparqlQueries

# Temporary graphs hold a file between upload and swap; graph_names() never lists them.
TEMP_GRAPH_PREFIX = "urn:jixiao:tmp:"

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
    """

    def __init__(self, query_url: str, update_url: str | None = None, gsp_url: str | None = None, user: str | None = None,
                 password: str | None = None, timeout: float = 60.0, retries: int = 3, *, backoff: float = 0.5,
                 batch_size: int = MAX_BATCH, dialect: Dialect | None = None, gsp_min_triples: int | None = None,
                 transport: httpx.BaseTransport | None = None, allow_basic_over_http: bool = False) -> None:
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
        self.queries = SparqlQueries(self.urls.query, basic_user, self.password, timeout, retries, backoff, self.dialect.union_default_graph)

    # ---- queries ---------------------------------------------------------------------------

    def select(self, query: str, bindings: Mapping[str, Node]) -> SelectResult:
        """Rows streamed as they arrive; parameters go in as a VALUES block (never raw text)."""
        url, text = self.urls.query, inject_values(query, bindings)
        answer = self._ask(text)
        try:
            self.dialect.check_complete(url, answer.headers)
            variables, found = read_select_results(answer.chunks, url)
        except BaseException:
            answer.close()
            raise
        return SelectResult(variables, self._rows(answer, url, variables, found))

    def ask(self, query: str, bindings: Mapping[str, Node]) -> bool:
        raise EndpointError(f"{self.urls.query}: ASK queries are run over DATA or --store, not over an endpoint yet")

    def construct(self, query: str, bindings: Mapping[str, Node]) -> Iterator[tuple[Node, Node, Node]]:
        raise EndpointError(f"{self.urls.query}: CONSTRUCT queries are run over DATA or --store, not over an endpoint yet")

    def _ask(self, text: str) -> Answer:
        """A query's answer, unread: through SPARQLWrapper, or httpx where Digest credentials are needed (sparql.py)."""
        if self.digest_queries:
            return self.http.query(self.urls.query, text, dict(self.dialect.union_default_graph))
        try:
            return self.queries.query(text)
        except EndpointError as error:
            if error.status != 400:
                raise
        # SPARQLWrapper keeps the server's explanation of a malformed query only inside its
        # exception's text: ask once more through httpx, which reads it (a query that does not
        # parse costs the server nothing), rather than parse that text.
        return self.http.query(self.urls.query, text, dict(self.dialect.union_default_graph))

    def _rows(self, answer: Answer, url: str, variables: list[str], found: Iterator[Mapping[str, Any]]) -> Iterator[dict[str, Node | None]]:
        count = 0
        try:
            for binding in found:
                count += 1
                yield {name: json_term(binding[name]) if name in binding else None for name in variables}
        finally:
            answer.close()
        self.dialect.check_complete(url, answer.headers, count)

    def count_triples(self, graph_iri: str) -> int:
        """Triples in one named graph."""
        result = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{_check_iri(graph_iri)}> {{ ?s ?p ?o }} }}", {})
        return sum(int(str(row["n"])) for row in result.rows if row.get("n") is not None)

    def graph_names(self) -> list[str]:
        """Named graphs holding data, without temporary graphs and the server's own graphs."""
        query = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {self.dialect.list_graphs_pattern} }} }}"
        system = self.dialect.system_graphs
        graphs = (str(row["g"]) for row in self.select(query, {}).rows if isinstance(row.get("g"), URIRef))
        return sorted(g for g in graphs if not g.startswith(TEMP_GRAPH_PREFIX) and not (system and system.match(g)))

    def temporary_graphs(self) -> list[str]:
        """Temporary graphs on the server: normally none, unless a load was cut off mid-way."""
        query = f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{TEMP_GRAPH_PREFIX}")) }}'
        return sorted(str(row["g"]) for row in self.select(query, {}).rows if row.get("g") is not None)

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

    def _swap(self, temporary: str, target: str, expected: int, *, transactional: bool = True) -> None:
        """Replace the target by the temporary graph in one update request, never retried."""
        # One request, so no reader sees the target empty for longer than the server needs. The
        # DROP is explicit because MOVE SILENT from a missing (empty-file) graph does nothing.
        text = f"DROP SILENT GRAPH <{target}> ;\nMOVE SILENT GRAPH <{temporary}> TO GRAPH <{target}>"
        if expected == 0:
            text = f"DROP SILENT GRAPH <{target}> ;\nDROP SILENT GRAPH <{temporary}>"
        if not transactional:
            text = self.dialect.without_transaction + text
        try:
            # A server copies triples one by one (the Oxigraph server about 10k/s): time for that.
            self.update(text, timeout=self.timeout + expected / 5_000)
        except EndpointError as error:
            if may_still_run(error.__cause__):
                # The request reached the server and may still be running: dropping or
                # re-sending anything now could undo it halfway.
                raise EndpointError(f"{error}; the server may still be replacing graph <{target}> (from <{temporary}>): check it later") from error
            self._after_failed_swap(error, temporary, target, expected, transactional)

    def _after_failed_swap(self, error: EndpointError, temporary: str, target: str, expected: int, transactional: bool) -> None:
        """The server answered the swap with an error: look at the graphs before saying more."""
        try:
            left_in_temporary = self.count_triples(temporary)
            now_in_target = self.count_triples(target)
        except EndpointError:
            raise EndpointError(f"{error}; the state of graph <{target}> is unknown (temporary graph <{temporary}> may remain)") from error
        if left_in_temporary == 0 and now_in_target == expected:
            return  # the swap was done; only the answer was an error
        if not transactional:
            raise EndpointError(f"{error}; retrying without a transaction failed too: graph <{target}> may be partly replaced, "
                                f"its complete new contents are in graph <{temporary}>") from error
        if left_in_temporary == expected:
            too_big = self.dialect.transaction_too_big
            if too_big and too_big in str(error):
                # Virtuoso: one request may change only TransactionAfterImageLimit bytes. Row by row
                # it goes through; readers may meanwhile see the graph partly replaced, and the new
                # triples stay in the temporary graph until moved, so a failure loses none of them.
                self._swap(temporary, target, expected, transactional=False)
                return
            self._drop_quietly([temporary])
            raise EndpointError(f"{error}; graph <{target}> left unchanged") from error
        raise EndpointError(f"{error}; graph <{target}> now holds {now_in_target} triples instead of {expected}") from error

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
