"""Where each resource's page and documents are, for the server and for the static site alike.

The graph's IRIs are minted under the base (`--base`, default `jixiao.namespaces.DEFAULT_BASE`);
the site serves the part after the base, REST, at fixed paths (W3C "Cool URIs for the Semantic
Web", the 303 solution):

    /id/REST             the resource itself: 303 See Other to its page or to a data document
    /page/REST.html      its HTML page (the server also answers /page/REST)
    /data/REST.ttl       its description in Turtle (.jsonld, .nt, .rdf: the other syntaxes;
                         /data/REST alone is negotiated by Accept)
    /category/NAME.html  a category of the indicator framework (its IRI is JX + NAME)

The static site keeps the same paths, relative to the page linking them (so it can be hosted
under any prefix); the server links them from its root.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from rdflib.term import Node

from jixiao.namespaces import JX

PAGE_SUFFIX = ".html"
# Characters kept as they are in a path made from an IRI's rest (the rest is already an IRI path).
_PATH_SAFE = "/-._~!$&'()*+,;=:@"


def rest_of(iri: str, base: str) -> str | None:
    """The part of `iri` after the base, or None when the IRI is not minted under it."""
    if not iri.startswith(base) or len(iri) == len(base):
        return None
    rest = iri[len(base):]
    # Dot segments and empty segments could never round-trip through a URL path.
    if any(segment in ("", ".", "..") for segment in rest.split("/")):
        return None
    return rest


def iri_of(rest: str, base: str) -> str:
    """The IRI a request path's REST stands for."""
    return base + rest


def category_name(iri: str) -> str | None:
    text = str(iri)
    if text.startswith(str(JX)) and text[len(str(JX)):].isidentifier():
        return text[len(str(JX)):]
    return None


@dataclass(frozen=True)
class Links:
    """Hrefs of pages, relative to `root` (`/` on the server, `../..` … on a static page)."""

    base: str
    root: str = "/"
    server: bool = True  # the server also has generic pages for every IRI and runs queries

    def _path(self, path: str) -> str:
        return self.root + urllib.parse.quote(path, safe=_PATH_SAFE)

    def page(self, iri: Node | str | None) -> str | None:
        """The page of a resource minted under the base, else None."""
        if iri is None:
            return None
        rest = rest_of(str(iri), self.base)
        return None if rest is None else self._path(f"page/{rest}{PAGE_SUFFIX}")

    def data(self, iri: Node | str, suffix: str) -> str | None:
        rest = rest_of(str(iri), self.base)
        return None if rest is None else self._path(f"data/{rest}.{suffix}")

    def category(self, iri: Node | str | None) -> str | None:
        name = None if iri is None else category_name(str(iri))
        return None if name is None else self._path(f"category/{name}{PAGE_SUFFIX}")

    def any(self, iri: Node | str | None) -> str | None:
        """A link for any IRI: its page, its category page, or (server only) the generic page."""
        if iri is None:
            return None
        href = self.page(iri) or self.category(iri)
        if href is None and self.server:
            href = self.root + "resource?" + urllib.parse.urlencode({"iri": str(iri)})
        return href

    def query(self, name: str) -> str:
        return self._path(f"queries/{name}{PAGE_SUFFIX}")

    def static(self, path: str) -> str:
        return self._path(f"static/{path}")

    def to(self, path: str) -> str:
        return self._path(path)
