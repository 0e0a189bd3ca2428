"""HTTP for the remote store: httpx for updates, the Graph Store, uploads and Digest-protected
queries; the retry loop and the words for failures that the SPARQLWrapper queries share.

httpx rather than requests or urllib: it streams responses, has Digest as well as Basic
authentication without any process-wide state, separate connect/read/write timeouts, keeps
connections alive between the many requests of a load, reads a server's answer even when the
server stopped reading the request body (Virtuoso answers 401 or 500 and closes while a large
upload is still being sent), and takes a transport object, the seam the tests use to cut or
record requests (httpx.MockTransport).

Only requests that are safe to repeat are retried (queries, and uploads into a temporary graph no
one else writes); the libraries themselves retry nothing here, so the attempts counted in
messages are the real ones.
"""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from jixiao.stores.remote.dialects import EndpointError

# Statuses worth another try: the server is busy or a proxy lost it.
RETRYABLE_STATUS = {408, 429, 502, 503, 504}

T = TypeVar("T")


class AttemptFailed(Exception):
    """One attempt failed: in words, with its HTTP status and whether another try may succeed."""

    def __init__(self, problem: str, status: int | None, transient: bool) -> None:
        super().__init__(problem)
        self.problem, self.status, self.transient = problem, status, transient


def retrying(url: str, what: str, retries: int, backoff: float, attempt: Callable[[], T]) -> T:
    """Call `attempt` until it succeeds, fails for good, or `retries` more tries (exponential backoff) failed.

    The EndpointError names the URL and the attempts; its cause is the library's own exception.
    """
    tries = 0
    while True:
        try:
            return attempt()
        except AttemptFailed as failure:
            if not failure.transient or tries >= retries:
                note = f" (after {tries + 1} attempts)" if tries else ""
                raise EndpointError(f"{url}: {what} failed{note}: {failure.problem}", failure.status) from failure.__cause__
        time.sleep(backoff * (2**tries))
        tries += 1


@dataclass
class Answer:
    """A successful query answer not yet read: its headers, its body as it arrives, how to let it go."""

    headers: httpx.Headers
    chunks: Iterator[bytes]
    close: Callable[[], None]


class HttpClient:
    """Requests to one endpoint; every failure leaves as EndpointError naming the URL."""

    def __init__(self, auth: httpx.Auth | None, user: str | None, timeout: float, retries: int, backoff: float,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.user = user
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.http = httpx.Client(auth=auth, timeout=timeout, transport=transport)

    def send(self, method: str, url: str, what: str, *, retry: bool = False, timeout: float | None = None, stream: bool = False,
             attempt_url: Callable[[], str] | None = None, **request: Any) -> httpx.Response:
        """Send one request and return its successful (2xx) response, unread when `stream`.

        With `retry`, connection failures, timeouts and RETRYABLE_STATUS answers are tried again
        with exponential backoff; anything else raises at once. `attempt_url` gives each attempt a
        URL of its own (messages name `url`).
        """
        seconds = timeout or self.timeout

        def attempt() -> httpx.Response:
            target = attempt_url() if attempt_url else url
            try:
                response = self.http.send(self.http.build_request(method, target, timeout=seconds, **request), stream=stream)
            except httpx.TransportError as error:
                raise AttemptFailed(describe_transport_error(error, seconds), None, not caused_by(error, socket.gaierror)) from error
            if response.is_success:
                return response
            response.read()
            response.close()
            failure = httpx.HTTPStatusError(f"HTTP {response.status_code}", request=response.request, response=response)
            code = response.status_code
            raise AttemptFailed(describe_status(code, response.reason_phrase, response.text, self.user), code, code in RETRYABLE_STATUS) from failure

        return retrying(url, what, self.retries if retry else 0, self.backoff, attempt)

    def query(self, url: str, text: str, parameters: dict[str, str]) -> Answer:
        """A query sent with this client's credentials (form-encoded POST), its answer streamed."""
        accept = {"Accept": "application/sparql-results+json, application/json;q=0.5"}
        response = self.send("POST", url, "query", retry=True, stream=True, data={"query": text, **parameters}, headers=accept)

        def chunks() -> Iterator[bytes]:
            try:
                yield from response.iter_bytes()
            except httpx.TransportError as error:
                raise EndpointError(f"{url}: connection lost while reading results: {describe_transport_error(error, self.timeout)}") from error

        return Answer(response.headers, chunks(), response.close)

    def close(self) -> None:
        self.http.close()


def describe_status(code: int, reason: str, text: str, user: str | None) -> str:
    """An error answer in words, with the server's own message."""
    if code == 401:
        if user is None:
            return "the server requires a user and password (HTTP 401); give them with --user/--password or as http://USER:PASSWORD@host/..."
        return f"user {user!r} was refused (HTTP 401): check the user name and password"
    if code == 404:
        return "not found (HTTP 404): is this the SPARQL endpoint's URL?"
    meaning = {400: "the server rejected the request as malformed", 500: "server error"}.get(code, reason)
    body = server_message(text)
    return f"{meaning} (HTTP {code}){': ' + body if body else ''}"


def describe_transport_error(error: httpx.TransportError, timeout: float) -> str:
    if isinstance(error, httpx.TimeoutException):
        return f"no answer within {timeout:g} s (timeout)"
    if caused_by(error, socket.gaierror):
        return f"unknown host ({error})"
    if caused_by(error, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    if isinstance(error, httpx.RemoteProtocolError):
        return f"the server closed the connection without answering ({error})"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def may_still_run(error: BaseException | None) -> bool:
    """Did a request fail after the server may have started on it (timeout, lost answer)?"""
    if not isinstance(error, httpx.TransportError):
        return False
    return not isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.UnsupportedProtocol)


def server_message(text: str, limit: int = 400) -> str:
    """The first lines of a server's error text, without HTML tags and the query Virtuoso echoes."""
    text = re.sub(r"<[^>]+>", " ", text).split("SPARQL query:")[0]
    text = " ".join(line.strip() for line in text.splitlines() if line.strip())
    return text if len(text) <= limit else text[:limit] + "…"


def caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
