"""The named query library: `.rq` files in queries/ with a header comment, and their parameters.

Header lines at the top of each file (comment lines before the first line of SPARQL):
    # title: 中文标题 / English title
    # description: the question it answers (continued on lines indented by two spaces)
    # param NAME: TYPE [= DEFAULT | required] — what it restricts
    # values NAME: SELECT DISTINCT ?value WHERE { ... }   (continued on lines indented by two spaces)
    # columns: a, b, c
    #   notes on columns, continued on lines indented by two spaces
    # reasoning: none
TYPE is one of literal, year, integer, decimal, iri (binding.py). A parameter NAME is bound, as
an RDF term of its TYPE, to the variable ?param_NAME: never pasted into the query text. A parameter not
given on the command line is bound to its DEFAULT if it has one, is an error if `required`, and
is left unbound otherwise (the query then does not restrict on it: `FILTER(!BOUND(?param_x) || ...)`).

`values NAME` says where the values of parameter NAME come from: a SELECT of one variable, ?value,
over the same data (with the file's PREFIX lines). A value given on the command line that is not
among them matches nothing the graph knows: `run` refuses it with one line that lists the values
that exist (`goal=年度` → annual, long-term, all), on every backend, since the SELECT runs where
the query runs. Its text is compared with the bound term's (full-width digits already read as
ASCII), as the queries' filters compare. Defaults are not checked, and a parameter without a
`values` line (a search text) is free.

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

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib.term import Node

from jixiao.errors import UsageError
from jixiao.queries.binding import PARAM_TYPES, Parameter, bind, term
from jixiao.queries.guard import query_form
from jixiao.resources import resource_dir
from jixiao.stores.base import QueryBackend, SelectResult, TermBackend, TermRows, Triple, ViewBackend

REASONING_NONE = "none"
# `TYPE`, then `= DEFAULT` or `required` or nothing, then the description after a dash.
# The description follows an em dash, or a hyphen with spaces around it (a default may be `long-term`).
_PARAM_SPEC = re.compile(r"^\s*(?P<type>\w+)\s*(?:=\s*(?P<default>.*?)|(?P<required>required))?\s*(?:(?:—|\s-{1,2}\s)\s*(?P<doc>.*))?$")
_CONTINUED = ("description", "columns", "values")
_PREFIX_LINE = re.compile(r"^\s*PREFIX\s.*$", re.M | re.I)
# At most this many values are listed when a parameter value matches nothing (the closest first).
SHOWN_VALUES = 12


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
    values: dict[str, str] = field(default_factory=dict)  # parameter → SELECT ?value of the values that exist

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
        continued = last_key.split(" ")[0]
        if body.startswith("   ") and continued in _CONTINUED:
            # A continuation line: more description, notes on the columns, or more of a values SELECT.
            if continued == "description":
                query.description += " " + body.strip()
            elif continued == "values":
                name = last_key[7:].strip()
                query.values[name] += " " + body.strip()
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
        elif key.startswith("values "):
            query.values[key[7:].strip()] = value.strip()
    for name in query.values:
        if name not in query.params:
            raise UsageError(f"{path}: values for {name}, which is no parameter of the query")
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
        return _parse_header(path.stem, path, _query_text(path))
    queries = library()
    if name_or_path not in queries:
        raise UsageError(f"unknown query {name_or_path!r}; the library has: {', '.join(queries)} "
                         "(or give the path of a .rq file; `jixiao query --list` shows titles)")
    return queries[name_or_path]


def _query_text(path: Path) -> str:
    """A query file's text: UTF-8 (SPARQL's encoding), a byte-order mark allowed; anything else is the file's error, named."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UsageError(f"{path}: a query file must be UTF-8 text; byte {error.start} is not ({error.reason})") from error
    except OSError as error:
        raise UsageError(f"{path}: cannot read the query file: {error.strerror}") from error


Answer = SelectResult | TermRows | bool | Iterator[Triple]


def known_values(query: NamedQuery, name: str, backend: QueryBackend) -> list[str]:
    """The values parameter `name` can take in the data behind `backend` (its `values` SELECT)."""
    prefixes = "\n".join(_PREFIX_LINE.findall(query.text))
    result = backend.select(f"{prefixes}\n{query.values[name]}", {})
    return sorted({str(row["value"]) for row in result.rows if row.get("value") is not None})


def _shown(given: str, values: list[str]) -> str:
    """The values to show, the ones closest to what was given first, at most SHOWN_VALUES."""
    closest = difflib.get_close_matches(given, values, n=SHOWN_VALUES, cutoff=0.3)
    ordered = closest + [v for v in values if v not in closest]
    more = len(ordered) - SHOWN_VALUES
    return ", ".join(ordered[:SHOWN_VALUES]) + (f" … ({more} more)" if more > 0 else "")


def check_values(query: NamedQuery, backend: QueryBackend, raw_params: dict[str, str], bindings: dict[str, Node]) -> None:
    """Refuse a given parameter value that matches nothing the data know, listing what exists."""
    for name in raw_params:
        if name not in query.values:
            continue
        given = str(bindings[f"param_{name}"])
        values = known_values(query, name, backend)
        if given not in values:
            listed = _shown(given, values) if values else "none (the data have no value for it)"
            raise UsageError(f"参数 {name}={given} 在数据中没有匹配 / --param {name}={given} matches nothing in the data; "
                             f"values: {listed}")


def view_form(query: NamedQuery) -> str | None:
    """The text of a shipped named query's form that reads its view (queries/views/NAME.read.rq), if it has one."""
    shipped = resource_dir("queries")
    if query.path.resolve() != (shipped / f"{query.name}.rq").resolve():
        return None  # a user's own file of the same name: its own text, always
    path = shipped / "views" / f"{query.name}.read.rq"
    return _query_text(path) if path.is_file() else None


def answering_text(query: NamedQuery, backend: QueryBackend) -> str:
    """The text that answers `query` on `backend`: its view's reading form where the backend says it keeps that view
    current (the embedded store, docs/stores.md "Views kept by the writer"), else the query itself."""
    if not isinstance(backend, ViewBackend):
        return query.text
    form = view_form(query)
    return form if form is not None and query.name in backend.current_views() else query.text


def run(query: NamedQuery, backend: QueryBackend, raw_params: dict[str, str] | None = None, *, allow_service: bool = False,
        check: bool = True, own_terms: bool = False, views: bool = True) -> Answer:
    """The query's answer on `backend`, its parameters bound as RDF terms: rows for SELECT, a
    boolean for ASK, triples for CONSTRUCT. Updates, and SERVICE unless allowed, are refused
    here, before any backend sees the text (guard.py). A given parameter value that matches
    nothing in the data is refused, with the values that exist (`check_values`), unless `check`
    is false (a caller that wants the empty answer).

    With `own_terms`, a SELECT on a backend that can answer in its own terms (a TermBackend: the
    embedded store, a remote server) comes as TermRows, for a caller that only writes the rows out
    (formats.py writes both kinds alike, docs/queries.md); the memory backend answers with rdflib terms as always.

    With `views` (the default), a named query whose view the backend keeps is read from it (`answering_text`): the same
    answer, without evaluating the query over the union; `views=False` always evaluates it over the union."""
    form = query_form(query.text, allow_service=allow_service)
    bindings = bind(query, raw_params or {})
    if check:
        check_values(query, backend, raw_params or {}, bindings)
    if form == "ask":
        return backend.ask(query.text, bindings)
    if form == "construct":
        return backend.construct(query.text, bindings)
    text = answering_text(query, backend) if views else query.text
    if own_terms and isinstance(backend, TermBackend):
        return backend.select_terms(text, bindings)
    return backend.select(text, bindings)
