"""Passwords go only where asked: never echoed from a URL, never sent in clear to another host.

A URL may carry credentials (`http://user:secret@host/sparql`). They are taken out of it once,
when an endpoint is opened, so no URL that a message names holds the password; `redact` masks any
that would still reach a message. Basic authentication sends the password readable by anyone on
the way, so over plain http it goes only to this machine (loopback) unless the user allows more.
"""

from __future__ import annotations

import ipaddress
import re
import urllib.parse

from jixiao.errors import UsageError

# `scheme://user:password@`: the password is everything between the colon and the @.
_URL_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*:)(?P<password>[^/\s@]*)@")


def redact(text: str) -> str:
    """`text` with every password inside a URL replaced by `***`."""
    return _URL_PASSWORD.sub(lambda match: f"{match['head']}***@", text)


def without_credentials(url: str) -> str:
    """`url` without its `user:password@` part."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit(parts._replace(netloc=host))


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_basic_over_http(url: str, allowed: bool) -> None:
    """Refuse to send a Basic password in clear (plain http) to a host other than this machine."""
    parts = urllib.parse.urlsplit(url)
    if allowed or parts.scheme.lower() != "http" or is_loopback(parts.hostname):
        return
    raise UsageError(f"{without_credentials(url)}: refusing to send a password with Basic authentication over plain http "
                     "to another host (anyone on the way could read it); use https, or give --allow-basic-over-http")
