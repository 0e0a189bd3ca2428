"""The named query library: `.rq` files in queries/ with a header comment, and their parameters.

Header lines at the top of each file (comment lines before the first line of SPARQL):
    # title: 中文标题 / English title
    # description: the question it answers (continued on lines indented by two spaces)
    # param NAME: TYPE [= DEFAULT | required] — what it restricts
    # columns: a, b, c
    #   notes on columns, continued on lines indented by two spaces
    # reasoning: none
TYPE is one of literal, year, integer, decimal, iri (binding.py). A parameter NAME is bound, as
an RDF term of its TYPE, to the variable ?param_NAME: never pasted into the query text. A parameter not
given on the command line is bound to its DEFAULT if it has one, is an error if `required`, and
is left unbound otherwise (the query then does not restrict on it: `FILTER(!BOUND(?param_x) || ...)`).

`reasoning: none` says the query answers the same on the asserted data + ontology as on its
OWL RL closure (it follows jx:category/skos:broader rather than inferred rdf:types), so no
reasoning is needed before running it. A query without that line (a user's own .rq file) may
rely on entailments: `needs_reasoning` tells the caller to materialise them first
(jixiao.graph.reason.materialise), which is cheap for the in-memory graph.

Parameters must only be used in the outermost WHERE group, not inside sub-SELECTs: rdflib
binds them everywhere, while the VALUES block other backends get is not visible inside a
sub-SELECT, so a parameter there would answer differently per backend.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.errors import UsageError
from jixiao.queries.binding import PARAM_TYPES, Parameter, bind, term
from jixiao.queries.guard import query_form
from jixiao.resources import resource_dir
from jixiao.stores.base import QueryBackend, SelectResult, Triple

REASONING_NONE = "none"
# `TYPE`, then `= DEFAULT` or `required` or nothing, then the description after a dash.
# The description follows an em dash, or a hyphen with spaces around it (a default may be `long-term`).
_PARAM_SPEC = re.compile(r"^\s*(?P<type>\w+)\s*(?:=\s*(?P<default>.*?)|(?P<required>required))?\s*(?:(?:—|\s-{1,2}\s)\s*(?P<doc>.*))?$")
_CONTINUED = ("description", "columns")


@dataclass
class NamedQuery:
    name: str
    path: Path
    text: str
    title: str = ""
    description: str = ""
    params: dict[str, Parameter] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    column_notes: str = ""
    reasoning: str = ""

    @property
    def needs_reasoning(self) -> bool:
        """Whether the query may rely on OWL RL entailments (unknown queries are assumed to)."""
        return self.reasoning != REASONING_NONE


def _parse_header(name: str, path: Path, text: str) -> NamedQuery:
    query = NamedQuery(name, path, text)
    last_key = ""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:]
        if body.startswith("   ") and last_key in _CONTINUED:
            # A continuation line: more description, or notes on the columns.
            if last_key == "description":
                query.description += " " + body.strip()
            else:
                query.column_notes = (query.column_notes + " " + body.strip()).strip()
            continue
        key, _, value = body.strip().partition(":")
        last_key = key
        if key == "title":
            query.title = value.strip()
        elif key == "description":
            query.description = value.strip()
        elif key == "columns":
            query.columns = [c.strip() for c in value.split(",") if c.strip()]
        elif key == "reasoning":
            query.reasoning = value.strip()
        elif key.startswith("param "):
            query.params[key[6:].strip()] = _parameter(key[6:].strip(), value, path)
    return query


def _parameter(name: str, spec: str, path: Path) -> Parameter:
    match = _PARAM_SPEC.match(spec)
    if match is None or match["type"] not in PARAM_TYPES:
        found = match["type"] if match else spec.strip()
        raise UsageError(f"{path}: parameter {name} has unknown type {found!r} (expected one of {', '.join(PARAM_TYPES)})")
    parameter = Parameter(name, match["type"], (match["doc"] or "").strip(), match["default"], bool(match["required"]))
    if parameter.default is not None:
        term(parameter, parameter.default)  # a bad default is the query file's error, found at load time
    return parameter


def library() -> dict[str, NamedQuery]:
    """Every named query shipped in queries/, by name (the file name without .rq)."""
    queries = {}
    for path in sorted(resource_dir("queries").glob("*.rq")):
        queries[path.stem] = _parse_header(path.stem, path, path.read_text(encoding="utf-8"))
    return queries


def listing() -> str:
    """The library as text for `jixiao query --list`: name and title, then parameters, per query."""
    queries = library()
    width = max(len(name) for name in queries) if queries else 0
    lines = []
    for name, query in queries.items():
        lines.append(f"{name:<{width}}  {query.title}")
        if query.params:
            lines.append(f"{'':<{width}}    --param " + "; ".join(p.describe() for p in query.params.values()))
    return "\n".join(lines)


def load_query(name_or_path: str) -> NamedQuery:
    """A named query, or any .rq file given by path."""
    if name_or_path.endswith(".rq"):
        path = Path(name_or_path)
        if not path.is_file():
            raise UsageError(f"query file not found: {name_or_path}")
        return _parse_header(path.stem, path, path.read_text(encoding="utf-8"))
    queries = library()
    if name_or_path not in queries:
        raise UsageError(f"unknown query {name_or_path!r}; the library has: {', '.join(queries)} "
                         "(or give the path of a .rq file; `jixiao query --list` shows titles)")
    return queries[name_or_path]


Answer = SelectResult | bool | Iterator[Triple]


def run(query: NamedQuery, backend: QueryBackend, raw_params: dict[str, str] | None = None, *, allow_service: bool = False) -> Answer:
    """The query's answer on `backend`, its parameters bound as RDF terms: rows for SELECT, a
    boolean for ASK, triples for CONSTRUCT. Updates, and SERVICE unless allowed, are refused
    here, before any backend sees the text (guard.py)."""
    form = query_form(query.text, allow_service=allow_service)
    bindings = bind(query, raw_params or {})
    if form == "ask":
        return backend.ask(query.text, bindings)
    if form == "construct":
        return backend.construct(query.text, bindings)
    return backend.select(query.text, bindings)
