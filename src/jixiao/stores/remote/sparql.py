"""SELECT and ASK queries through SPARQLWrapper, their answers streamed to the ijson reader.

Which library sends what (the rule):
- Queries go through SPARQLWrapper: a form-encoded POST (no URL length limit for the long named
  queries with their VALUES blocks), JSON results, the dialect's union-default-graph parameter,
  Basic credentials set per request. Its `QueryResult.response` (the raw HTTP response) is read
  chunk by chunk by results.read_select_results, never `.convert()`ed, so memory stays bounded.
- A query that needs Digest credentials (a server that protects its query endpoint with Digest,
  as Virtuoso's /sparql-auth) goes through the httpx client instead: SPARQLWrapper's Digest
  support installs a urllib opener for the whole process, after which any urllib request from
  anywhere would answer challenges with those credentials. SPARQLWrapper's DIGEST is never used.
- Updates, Graph Store requests and uploads go through httpx (client.py).

Retries are ours (SPARQLWrapper raises at the first failure), and its exceptions are turned into
EndpointErrors by their type, never by reading their text. SPARQLWrapper tells a query from an
update by the first form keyword it finds after the prologue, and its comment stripper misses
every other line of a comment block ("...that were added" in a query's header reads as ADD): the
comments before the query form are left out of what it is given, and a text it still reads as
an update is refused, never sent as one.
"""

from __future__ import annotations

import http.client
import math
import re
import socket
import urllib.error
from collections.abc import Iterator, Mapping

import httpx
from SPARQLWrapper import BASIC, JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, EndPointNotFound, QueryBadFormed, SPARQLWrapperException, Unauthorized, URITooLong

from jixiao.stores.remote.client import RETRYABLE_STATUS, Answer, AttemptFailed, caused_by, describe_status, retrying
from jixiao.stores.remote.dialects import EndpointError

# The status each of SPARQLWrapper's exceptions stands for (it raises urllib's HTTPError for the others).
STATUS_OF = {QueryBadFormed: 400, Unauthorized: 401, EndPointNotFound: 404, URITooLong: 414, EndPointInternalError: 500}
CHUNK = 64 * 1024
# One item of a query's prologue: white space, a comment, or a PREFIX or BASE declaration.
_PROLOGUE_ITEM = re.compile(r'\s+|#[^\n]*|(?P<declaration>(?:PREFIX\s+[^\s:]*:\s*|BASE\s*)<[^<>"{}|^`\\\x00-\x20]*>)', re.IGNORECASE)


class SparqlQueries:
    """Queries to one URL through SPARQLWrapper; Basic credentials if a user is given."""

    def __init__(self, url: str, user: str | None, password: str | None, timeout: float, retries: int, backoff: float) -> None:
        self.url, self.user, self.password = url, user, password
        self.timeout = max(1, math.ceil(timeout))  # SPARQLWrapper's setTimeout takes whole seconds (int())
        self.retries, self.backoff = max(0, retries), backoff

    def query(self, text: str, parameters: Mapping[str, str]) -> Answer:
        """The answer of one SELECT or ASK query (with these protocol parameters), unread; every failure leaves as EndpointError."""
        response = retrying(self.url, "query", self.retries, self.backoff, lambda: self._attempt(text, parameters))
        headers = httpx.Headers(list(response.headers.items()))
        return Answer(headers, self._chunks(response), response.close)

    def _attempt(self, text: str, parameters: Mapping[str, str]) -> http.client.HTTPResponse:
        wrapper = SPARQLWrapper(self.url, returnFormat=JSON)
        wrapper.setMethod(POST)
        wrapper.setTimeout(self.timeout)
        wrapper.setQuery(without_prologue_comments(text))
        if not wrapper.isSparqlQueryRequest():
            raise EndpointError(f"{self.url}: SPARQLWrapper reads this query as an update ({wrapper.queryType}); only queries are sent as queries")
        for name, value in parameters.items():
            wrapper.addParameter(name, value)
        if self.user is not None:
            wrapper.setHTTPAuth(BASIC)  # a header on this request only
            wrapper.setCredentials(self.user, self.password or "")
        try:
            return wrapper.query().response
        except SPARQLWrapperException as error:
            status = STATUS_OF.get(type(error), 500)
            raise AttemptFailed(describe_status(status, type(error).__name__, "", self.user), status, status in RETRYABLE_STATUS) from error
        except urllib.error.HTTPError as error:  # a status SPARQLWrapper has no exception for; its body is unread
            text = error.read().decode("utf-8", "replace")
            raise AttemptFailed(describe_status(error.code, str(error.reason), text, self.user), error.code, error.code in RETRYABLE_STATUS) from error
        except (OSError, http.client.HTTPException) as error:  # URLError is an OSError
            raise AttemptFailed(self.describe_network_error(error), None, not caused_by(error, socket.gaierror)) from error

    def describe_network_error(self, error: BaseException) -> str:
        reason = error.reason if isinstance(error, urllib.error.URLError) else error
        if caused_by(error, TimeoutError) or isinstance(reason, TimeoutError):
            return f"no answer within {self.timeout:g} s (timeout)"
        if isinstance(reason, socket.gaierror):
            return f"unknown host ({reason})"
        if isinstance(reason, ConnectionRefusedError):
            return "connection refused (is the server running?)"
        if isinstance(reason, http.client.RemoteDisconnected | ConnectionResetError):
            return f"the server closed the connection without answering ({reason})"
        return f"{type(reason).__name__}: {reason}" if str(reason) else type(reason).__name__

    def _chunks(self, response: http.client.HTTPResponse) -> Iterator[bytes]:
        try:
            while chunk := response.read1(CHUNK):
                yield chunk
        except (OSError, http.client.HTTPException) as error:
            raise EndpointError(f"{self.url}: connection lost while reading results: {self.describe_network_error(error)}") from error


def without_prologue_comments(query: str) -> str:
    """The query with the comments before its form keyword left out (declarations one per line)."""
    declarations, position = [], 0
    while match := _PROLOGUE_ITEM.match(query, position):
        if match["declaration"]:
            declarations.append(match["declaration"] + "\n")
        position = match.end()
    return "".join(declarations) + query[position:]
