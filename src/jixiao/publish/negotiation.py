"""Content negotiation: the Accept header (RFC 9110 §12.5.1) or a suffix picks a media type.

One table of the RDF syntaxes documents are served in (suffix, media type, rdflib format) and
one of the SPARQL result formats; the request's Accept header is matched against them by
quality, then by order of preference of the server's list (its first entry wins a tie, and `*/*`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Syntax:
    suffix: str
    media_type: str
    rdflib_format: str
    aliases: tuple[str, ...] = ()


# RDF documents (CONSTRUCT/DESCRIBE answers, data documents, dumps), the server's order of preference.
RDF_SYNTAXES = (
    Syntax("ttl", "text/turtle", "turtle", ("application/x-turtle",)),
    Syntax("jsonld", "application/ld+json", "json-ld"),
    Syntax("nt", "application/n-triples", "nt", ("text/plain",)),
    Syntax("rdf", "application/rdf+xml", "xml", ("application/xml", "text/xml")),
)
RDF_BY_SUFFIX = {syntax.suffix: syntax for syntax in RDF_SYNTAXES}

# SELECT/ASK result formats: name (also the `format` parameter) -> media types, preferred first.
RESULT_FORMATS: dict[str, tuple[str, ...]] = {
    "json": ("application/sparql-results+json", "application/json"),
    "xml": ("application/sparql-results+xml", "application/xml", "text/xml"),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
}
HTML = "text/html"


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their quality, best first (stable for ties)."""
    if not header:
        return [("*/*", 1.0)]
    ranges = []
    for index, part in enumerate(header.split(",")):
        fields = [field.strip() for field in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        quality = 1.0
        for parameter in fields[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((index, media, quality))
    ranges.sort(key=lambda item: (-item[2], item[0]))
    return [(media, quality) for _, media, quality in ranges]


def _matches(media_range: str, media_type: str) -> bool:
    if media_range in ("*/*", "*"):
        return True
    if media_range.endswith("/*"):
        return media_type.startswith(media_range[:-1])
    return media_range == media_type


def best(header: str | None, offered: list[str]) -> str | None:
    """The offered media type the client prefers most (the server's order breaks ties), or None."""
    scores: dict[str, tuple[float, int, int]] = {}
    for media_range, quality in parse_accept(header):
        if quality <= 0:
            continue
        specific = 0 if "*" in media_range else 1
        for order, media_type in enumerate(offered):
            if _matches(media_range, media_type):
                score = (quality, specific, -order)
                if media_type not in scores or score > scores[media_type]:
                    scores[media_type] = score
    if not scores:
        return None
    return max(scores, key=lambda media: scores[media])


def rdf_syntax(header: str | None, html: bool = False) -> Syntax | str | None:
    """The RDF syntax an Accept header asks for; `HTML` when `html` is offered and preferred."""
    offered = ([HTML] if html else []) + [media for syntax in RDF_SYNTAXES for media in (syntax.media_type, *syntax.aliases)]
    chosen = best(header, offered)
    if chosen is None or chosen == HTML:
        return chosen
    return next(syntax for syntax in RDF_SYNTAXES if chosen in (syntax.media_type, *syntax.aliases))


def result_format(header: str | None, requested: str | None = None) -> str | None:
    """The SELECT/ASK result format: the `format` parameter if given, else by Accept, JSON by default."""
    if requested:
        requested = requested.lower()
        for name, media_types in RESULT_FORMATS.items():
            if requested == name or requested in media_types:
                return name
        return None
    offered = [media for media_types in RESULT_FORMATS.values() for media in media_types]
    chosen = best(header, offered)
    if chosen is None:
        return None
    return next(name for name, media_types in RESULT_FORMATS.items() if chosen in media_types)
