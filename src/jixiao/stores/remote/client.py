"""HTTP for the remote store: one httpx client per endpoint, with authentication, retries and errors in words.

httpx rather than requests (or SPARQLWrapper's urllib): it streams responses, has Digest as well
as Basic authentication without any process-wide state (SPARQLWrapper's Digest support installs a
urllib opener for the whole process, so later requests from anywhere answered challenges with
those credentials), separate connect/read/write timeouts, keeps connections alive between the many
requests of a load, reads a server's answer even when the server stopped reading the request body
(Virtuoso answers 401 or 500 and closes while a large upload is still being sent), and takes a
transport object, which is the seam the tests use to cut or record requests (httpx.MockTransport).

Only requests that are safe to repeat are retried (SELECT queries, and uploads into a temporary
graph no one else writes); httpx itself retries nothing here, so the attempts counted in messages
are the real ones.
"""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Callable
from typing import Any

import httpx

from jixiao.stores.remote.dialects import EndpointError

# Statuses worth another try: the server is busy or a proxy lost it.
RETRYABLE_STATUS = {408, 429, 502, 503, 504}


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
        limit = self.retries if retry else 0
        attempt = 0
        while True:
            target = attempt_url() if attempt_url else url
            try:
                response = self.http.send(self.http.build_request(method, target, timeout=timeout or self.timeout, **request), stream=stream)
            except httpx.TransportError as error:
                failure: Exception = error
                transient = not _unknown_host(error)
                problem = describe_transport_error(error, timeout or self.timeout)
                status = None
            else:
                if response.is_success:
                    return response
                response.read()
                response.close()
                failure = httpx.HTTPStatusError(f"HTTP {response.status_code}", request=response.request, response=response)
                transient = response.status_code in RETRYABLE_STATUS
                problem = self.describe_status(response)
                status = response.status_code
            if not transient or attempt >= limit:
                tries = f" (after {attempt + 1} attempts)" if attempt else ""
                raise EndpointError(f"{url}: {what} failed{tries}: {problem}", status) from failure
            time.sleep(self.backoff * (2**attempt))
            attempt += 1

    def describe_status(self, response: httpx.Response) -> str:
        """An error answer in words, with the server's own message."""
        code = response.status_code
        if code == 401:
            if self.user is None:
                return "the server requires a user and password (HTTP 401); give them with --user/--password or as http://USER:PASSWORD@host/..."
            return f"user {self.user!r} was refused (HTTP 401): check the user name and password"
        if code == 404:
            return "not found (HTTP 404): is this the SPARQL endpoint's URL?"
        meaning = {400: "the server rejected the request as malformed", 500: "server error"}.get(code, response.reason_phrase)
        body = server_message(response.text)
        return f"{meaning} (HTTP {code}){': ' + body if body else ''}"

    def close(self) -> None:
        self.http.close()


def describe_transport_error(error: httpx.TransportError, timeout: float) -> str:
    if isinstance(error, httpx.TimeoutException):
        return f"no answer within {timeout:g} s (timeout)"
    if _unknown_host(error):
        return f"unknown host ({error})"
    if _caused_by(error, ConnectionRefusedError):
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


def _unknown_host(error: BaseException) -> bool:
    return _caused_by(error, socket.gaierror)


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
