"""What differs between SPARQL servers, as data: where requests go, how to ask for the union
default graph, how a result is cut short, which authentication the server speaks.

A dialect is recognised from the path of the one URL a user gives (`detect_urls`):
- Virtuoso `http://h:p/sparql`: queries there (anonymous); with credentials updates go to
  /sparql-auth and the Graph Store to /sparql-graph-crud-auth (Digest only), without them to
  /sparql and /sparql-graph-crud (which work only if the server grants anonymous updates). Its
  default graph is the union of all graphs, its own system graphs included.
- GraphDB `http://h:p/repositories/ID`: updates at .../statements, Graph Store at .../rdf-graphs/service.
- Oxigraph server `http://h:p` or `http://h:p/query`: /query, /update, /store.
- Fuseki `http://h:p/DATASET/query`: /DATASET/update, /DATASET/data.
- Anything else: that URL for queries and updates, no Graph Store.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from jixiao.errors import JixiaoError


class EndpointError(JixiaoError):
    """A SPARQL endpoint could not be reached, refused a request, or answered wrongly."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status that caused it, if any


@dataclass(frozen=True)
class Dialect:
    """One kind of server: data, and the few methods that read it."""

    name: str
    # The query URL's path; group "root" is what the other URLs hang from, group "protected" (if
    # matched) marks a query URL that takes credentials in the dialect's authentication scheme.
    path: re.Pattern[str]
    # Services as paths below the root; "": the query URL itself; None: the server has none.
    query: str = "/query"
    update: str | None = "/update"
    gsp: str | None = None
    credentials_suffix: str = ""  # appended to the update and GSP paths when credentials are given
    gsp_graph_param: str = "graph"
    union_default_graph: Mapping[str, str] = field(default_factory=dict)  # request parameters asking for it
    digest: bool = False  # authentication: HTTP Digest, else Basic
    list_graphs_pattern: str = "?s ?p ?o"  # inside GRAPH ?g { }: what makes a server list its graphs
    keeps_empty_graphs: bool = False  # a graph whose triples are all deleted stays listed until dropped
    system_graphs: re.Pattern[str] | None = None  # graphs the server keeps for itself
    gsp_min_triples: int = 0  # smaller files are uploaded with INSERT DATA
    max_rows_header: str | None = None  # a header giving the row limit the server cuts results at
    partial_result_header: str | None = None  # a header present when a timeout cut the result short
    transaction_too_big: str | None = None  # error code: one update changed too much data at once
    without_transaction: str = ""  # prefix making an update commit row by row

    def auth(self, user: str, password: str) -> httpx.Auth:
        return httpx.DigestAuth(user, password) if self.digest else httpx.BasicAuth(user, password)

    def check_complete(self, url: str, headers: httpx.Headers, rows: int | None = None) -> None:
        """Raise EndpointError if the server said 200 OK to a cut-short result (rows: count so far)."""
        if self.partial_result_header and headers.get(self.partial_result_header):
            raise EndpointError(f"{url}: the server returned partial results ({headers.get('X-SQL-Message', '').strip()})")
        limit = headers.get(self.max_rows_header, "") if self.max_rows_header else ""
        if rows is not None and limit.isdigit() and rows >= int(limit):
            raise EndpointError(f"{url}: the result was truncated at {limit} rows by the server's limit "
                                "(Virtuoso [SPARQL] ResultSetMaxRows; scripts/virtuoso-start.sh raises it)")


VIRTUOSO = Dialect(
    "virtuoso", re.compile(r"(?P<root>)/sparql(?P<protected>-auth)?"), query="", update="/sparql", gsp="/sparql-graph-crud",
    credentials_suffix="-auth", gsp_graph_param="graph-uri", digest=True,
    system_graphs=re.compile(r"^(http://www\.openlinksw\.com/|http://www\.w3\.org/ns/ldp#|urn:activitystreams-owl:map$|https?://[^/]+/(sparql|DAV/?)$)"),
    # Deleting triples its Graph Store loaded is slow and erratic on Virtuoso when the same triples
    # sit in another graph, as they do during every replacement (12k triples: 0.4-6 s per
    # replacement through GSP, a steady 0.6-0.9 s through INSERT DATA); from about 100k triples
    # the faster GSP upload wins (3-5 s against 10-12 s).
    gsp_min_triples=20_000,
    max_rows_header="X-SPARQL-MaxRows", partial_result_header="X-SQL-State",
    transaction_too_big="SR325", without_transaction="DEFINE sql:log-enable 3 ",
)
GRAPHDB = Dialect("graphdb", re.compile(r"(?P<root>.*/repositories/[^/]+)"), query="", update="/statements", gsp="/rdf-graphs/service")
OXIGRAPH = Dialect("oxigraph", re.compile(r"(?P<root>)(?:/query)?"), gsp="/store", union_default_graph={"union-default-graph": ""},
                   list_graphs_pattern="", keeps_empty_graphs=True)  # Oxigraph lists its graphs from `GRAPH ?g {}` without scanning them
FUSEKI = Dialect("fuseki", re.compile(r"(?P<root>/.+)/(?:query|sparql)"), gsp="/data",
                 union_default_graph={"default-graph-uri": "urn:x-arq:UnionGraph"})
GENERIC = Dialect("generic", re.compile(r"(?P<root>.*)"), query="", update="")
DIALECTS = (VIRTUOSO, GRAPHDB, OXIGRAPH, FUSEKI, GENERIC)  # tried in this order; GENERIC takes any path


@dataclass(frozen=True)
class EndpointUrls:
    """Where queries, updates and Graph Store requests go, and the dialect they were derived by."""

    dialect: Dialect
    query: str
    update: str | None
    gsp: str | None
    query_protected: bool = False  # the query URL is one the dialect protects (Virtuoso's /sparql-auth)

    def gsp_graph(self, graph: str) -> str:
        assert self.gsp
        separator = "&" if "?" in self.gsp else "?"
        return f"{self.gsp}{separator}{self.dialect.gsp_graph_param}={urllib.parse.quote(graph, safe='')}"


def detect_urls(url: str, *, authenticated: bool, dialect: Dialect | None = None) -> EndpointUrls:
    """The endpoint URLs that the one URL a user gives stands for (credentials in it left out)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"{url}: not an http(s) URL of a SPARQL endpoint")
    site = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"
    path = parts.path.rstrip("/")
    for candidate in (dialect,) if dialect else DIALECTS:
        match = candidate.path.fullmatch(path)
        if match:
            break
    else:
        raise EndpointError(f"{url}: not a {dialect.name if dialect else 'SPARQL'} endpoint URL")
    root = site + match["root"]
    query = site + path + (f"?{parts.query}" if parts.query else "") if candidate.query == "" else root + candidate.query
    suffix = candidate.credentials_suffix if authenticated else ""

    def below(service: str | None) -> str | None:
        if service is None:
            return None
        return query if service == "" else root + service + suffix

    return EndpointUrls(candidate, query, below(candidate.update), below(candidate.gsp), bool(match.groupdict().get("protected")))
