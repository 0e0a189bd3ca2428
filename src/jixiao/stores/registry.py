"""Backends registered by name and URL scheme, imported only when opened (as rdflib registers its plugins).

A backend is a class (or function) taking its location first and options as keywords, and
returning a QueryBackend. `open_backend` picks one from the command line's options: an endpoint
URL by its scheme, a store directory by the name "oxigraph", a graph in memory by "memory".
Another backend registers itself with `register("name-or-scheme", "module", "ClassName")`.
"""

from __future__ import annotations

import importlib
import urllib.parse
from pathlib import Path
from typing import Any

from rdflib import Graph

from jixiao.errors import UsageError
from jixiao.stores.base import QueryBackend

# name or URL scheme -> (module, attribute): modules are imported on first use, so opening the
# memory backend never loads pyoxigraph or the HTTP client.
_BACKENDS: dict[str, tuple[str, str]] = {}


def register(key: str, module: str, attribute: str) -> None:
    """Make `module.attribute` the backend opened for a name or a URL scheme."""
    _BACKENDS[key.lower()] = (module, attribute)


def registered() -> list[str]:
    return sorted(_BACKENDS)


def backend_class(key: str) -> Any:
    """The class (or factory) registered under a name or URL scheme."""
    try:
        module, attribute = _BACKENDS[key.lower()]
    except KeyError:
        raise UsageError(f"no store backend registered for {key!r} (known: {', '.join(registered())})") from None
    return getattr(importlib.import_module(module), attribute)


def open_backend(*, graph: Graph | None = None, store: Path | None = None, endpoint: str | None = None,
                 read_only: bool = False, **options: Any) -> QueryBackend:
    """The backend named by the command line's options (at most one): a SPARQL endpoint URL
    (`--endpoint`, by its scheme; `options` go to it: user, password, update_url, gsp_url), an
    embedded store directory (`--store`, opened read-only when asked), else `graph` in memory."""
    if endpoint is not None and store is not None:
        raise UsageError("give either --endpoint URL or --store DIR, not both")
    if endpoint is not None:
        scheme = urllib.parse.urlsplit(endpoint).scheme
        return backend_class(scheme or endpoint)(endpoint, **options)  # type: ignore[no-any-return]
    if store is not None:
        return backend_class("oxigraph")(store, read_only=read_only)  # type: ignore[no-any-return]
    return backend_class("memory")(graph)  # type: ignore[no-any-return]


register("memory", "jixiao.stores.memory", "MemoryBackend")
register("oxigraph", "jixiao.stores.oxigraph", "OxigraphBackend")
register("http", "jixiao.stores.remote", "RemoteEndpoint")
register("https", "jixiao.stores.remote", "RemoteEndpoint")
