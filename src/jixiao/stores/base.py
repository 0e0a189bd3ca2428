"""Where queries run: the backend protocol, its SELECT result, and query parameters as a VALUES block.

Every backend answers SELECT queries with rdflib terms over the union of its table graphs and
the ontology (a set: a triple several tables hold counts once), and writes through a
`StoreWriter`: a batch of graph replacements and drops that queries see all at once or not at all.
Query parameters are RDF terms bound to `?param_<name>` variables: the
rdflib backend passes them as initBindings; backends whose engine cannot bind variables that
are not projected get a VALUES block built from the terms' own N-Triples serialisation
(`inject_values`), never from the user's raw text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol, runtime_checkable

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from jixiao.errors import JixiaoError
from jixiao.stores.tables import SubjectGroups, TableRecord, WriteSummary


class StoreError(JixiaoError):
    """A store or graph cannot be opened, queried or written."""


class OutcomeUnknown(StoreError):
    """A write's last step (the switch) was sent but no answer came: the server may still carry it out.

    The store then holds either the old tables or the new ones, never a mix, but which one the
    client cannot tell; it must not say "nothing was stored".
    """


@dataclass
class SelectResult:
    """The variables of a SELECT query and its rows (a lazily consumed iterator)."""

    variables: list[str]
    rows: Iterator[dict[str, Node | None]]


Triple = tuple[Node, Node, Node]


class TermParts(NamedTuple):
    """What a result term is, in plain strings: what the output writers need, without an rdflib term.

    `term_type` is "iri", "bnode" or "literal" (as SPARQL JSON results say); `text` the IRI, the
    blank node's label or the literal's lexical form; a literal has its `language` tag or its
    `datatype` IRI (xsd:string or "" for a simple literal); both are "" for IRIs and blank nodes.
    """

    term_type: str
    text: str
    datatype: str = ""
    language: str = ""


# RDF 1.1: "x" and "x"^^xsd:string are one term (and a language-tagged literal is an rdf:langString); rdflib writes the first form.
_PLAIN_LITERAL_DATATYPES = frozenset({"", "http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"})


def rdflib_term(parts: TermParts) -> Node:
    """The rdflib term a TermParts describes (plain literals stay plain, tags stay tags): the one rule every
    backend's terms are converted by."""
    if parts.term_type == "iri":
        return URIRef(parts.text)
    if parts.term_type == "bnode":
        return BNode(parts.text)
    if parts.language:
        return Literal(parts.text, lang=parts.language)
    if parts.datatype in _PLAIN_LITERAL_DATATYPES:
        return Literal(parts.text)
    return Literal(parts.text, datatype=URIRef(parts.datatype))


@dataclass
class TermRows:
    """The answer to a SELECT query in the backend's own terms, for writers that turn them straight into text.

    Each row holds one term per variable, in the order of `variables` (None where unbound); the
    terms are hashable, so a writer renders each distinct term once, and `parts` tells what a term
    is. Beside `SelectResult` for the callers that write output only: rdflib terms cost more to
    build than the rest of a listing's writing (see docs/queries.md).
    """

    variables: list[str]
    rows: Iterator[Sequence[Hashable | None]]
    parts: Callable[[Hashable], TermParts]


class StoreWriter(Protocol):
    """One write to a store: graphs staged where queries do not see them, then switched in at once.

    `put` makes a named graph hold exactly the given N-Triples lines (and records which table it
    is); `scopes`, when given, has one byte a line: 0 marks a line about the table's own performance
    object, 1 one about the source document's rows it was read from, 2 one others may share. A store
    may keep the lines of scopes 0 and 1 in the union alone and still remove them exactly when the
    table is replaced or dropped (the embedded store does, for the subjects no other graph speaks
    of; the memory and remote stores keep every line in the graph and ignore it). `groups`, when given with
    `scopes`, says how the lines (in that order) fall into subjects a table may own (tables.SubjectGroups, worked
    out where the table was mapped); a writer that needs it and is not given it works it out. `drop` removes a
    graph; both take effect together at `commit`, which also brings the union the queries read up
    to date. `abort` (or any failure before the switch) leaves the
    store as it was.
    """

    def put(self, graph: str, lines: Sequence[str], record: TableRecord, scopes: bytes | None = None,
            groups: SubjectGroups | None = None) -> int: ...

    def drop(self, graph: str) -> None: ...

    def commit(self) -> WriteSummary: ...

    def abort(self) -> None: ...


class QueryBackend(Protocol):
    def select(self, query: str, bindings: Mapping[str, Node]) -> SelectResult: ...

    def ask(self, query: str, bindings: Mapping[str, Node]) -> bool: ...

    def construct(self, query: str, bindings: Mapping[str, Node]) -> Iterator[Triple]: ...

    def writer(self) -> StoreWriter: ...

    def tables(self) -> list[TableRecord]: ...

    def graph_names(self) -> list[str]: ...

    def close(self) -> None: ...


@runtime_checkable
class TermBackend(Protocol):
    """A backend that can also answer a SELECT query in its own terms (TermRows): parameters bound as in `select`."""

    def select_terms(self, query: str, bindings: Mapping[str, Node]) -> TermRows: ...


@runtime_checkable
class ViewBackend(Protocol):
    """A backend that keeps views of named queries (the embedded store, stores/views.py) and says which are current."""

    def current_views(self) -> set[str]: ...


# Characters an IRI may not contain (RFC 3987 / SPARQL IRIREF).
IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


# ---- parameters as a VALUES block -------------------------------------------------------------


def values_block(bindings: Mapping[str, Node]) -> str:
    """`VALUES (?a ?b) { (term term) }`, every term serialised by rdflib's n3()."""
    names = []
    terms = []
    for name, term in bindings.items():
        if not re.fullmatch(r"\w+", name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
        if isinstance(term, BNode) or not isinstance(term, (URIRef, Literal)):
            raise ValueError(f"parameter ?{name}: only IRIs and literals can be bound, not {term!r}")
        if isinstance(term, URIRef) and IRI_FORBIDDEN.search(term):
            raise ValueError(f"parameter ?{name}: not a valid IRI: {str(term)!r}")
        names.append(f"?{name}")
        terms.append(term.n3())  # rdflib escapes quotes, backslashes and newlines
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"


def inject_values(query: str, bindings: Mapping[str, Node]) -> str:
    """The query with a VALUES block for the bindings at the start of its outermost group, and one
    for the parameters each sub-SELECT mentions at the start of that sub-SELECT's group.

    The outermost group is the first `{` outside comments, strings, IRIs and parentheses (so
    `SELECT (EXISTS {...} AS ?x)`, a `#` inside an IRI or a "{" in a string do not confuse it);
    for a SELECT query that is the brace after WHERE, whether or not WHERE is written.

    A sub-SELECT's variables are its own: a parameter bound only outside is unbound inside it,
    where rdflib (the memory backend's initBindings) binds it everywhere. Bound inside too, the
    parameter means the same on every backend, and a query can filter on it where its rows are
    found (a text search inside each branch of a UNION) instead of after every join: a block of
    one row joined where the variable is already bound (or projected with the same value) changes
    no answer. Only the parameters a sub-SELECT's text names are bound there.
    """
    if not bindings:
        return query
    outermost = _outermost_group_start(query)
    insertions = [(outermost, values_block(bindings))]
    for start, end in _subselect_groups(query, outermost):
        named = {name: term for name, term in bindings.items() if re.search(rf"[?$]{re.escape(name)}(?!\w)", query[start:end])}
        if named:
            insertions.append((start, values_block(named)))
    for position, block in sorted(insertions, reverse=True):  # from the end: earlier positions stay where they were
        query = _inserted(query, position, block)
    return query


def insert_block(query: str, block: str) -> str:
    """The query with `block` (a VALUES block made of serialised terms) at the start of its outermost group."""
    return _inserted(query, _outermost_group_start(query), block)


def _inserted(query: str, position: int, block: str) -> str:
    """The query with `block` on a line of its own at `position` (just after a group's `{`)."""
    return f"{query[:position]}\n  {block}\n{query[position:]}"


_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')


def _outermost_group_start(query: str) -> int:
    """Index just after the first top-level `{` of a query."""
    for kind, position in _tokens(query, 0):
        if kind == "{" and position[1] == 0:
            return position[0] + 1
    raise ValueError("the query has no group pattern ({ ... }) to bind parameters in")


_SELECT = re.compile(r"(?<![\w?$])SELECT(?!\w)", re.IGNORECASE)


def _tokens(query: str, start: int) -> Iterator[tuple[str, tuple[int, int]]]:
    """The braces, parentheses and SELECT keywords of the query from `start`, outside comments,
    strings and IRIs: (what, (index, parentheses open before it))."""
    i, parens, length = start, 0, len(query)
    while i < length:
        char = query[i]
        if char == "#":
            newline = query.find("\n", i)
            i = length if newline < 0 else newline + 1
            continue
        if char in "\"'":
            i = _skip_string(query, i)
            continue
        if char == "<":
            match = _IRIREF.match(query, i)
            if match:
                i = match.end()
                continue
        if char == "(":
            parens += 1
        elif char == ")":
            parens -= 1
        elif char in "{}":
            yield char, (i, parens)
        elif char in "sS" and _SELECT.match(query, i):
            yield "SELECT", (i, parens)
            i += len("SELECT")
            continue
        i += 1


def _subselect_groups(query: str, start: int) -> list[tuple[int, int]]:
    """(start, end) of the WHERE group of every SELECT after `start` (the sub-SELECTs): from just
    after its `{` to its matching `}`."""
    groups: list[tuple[int, int]] = []
    open_groups: list[int | None] = []  # a `{` of a sub-SELECT's group holds its start, any other None
    select_parens: int | None = None  # the parentheses open at a SELECT whose group has not begun
    for kind, (index, parens) in _tokens(query, start):
        if kind == "SELECT":
            select_parens = parens
        elif kind == "{":
            if select_parens is not None and parens == select_parens:
                open_groups.append(index + 1)
                select_parens = None
            else:
                open_groups.append(None)
        elif open_groups:
            opened = open_groups.pop()
            if opened is not None:
                groups.append((opened, index))
    return groups


def _skip_string(text: str, start: int) -> int:
    """Index after the string literal starting at `start` (short or long form, with escapes)."""
    quote = text[start]
    delimiter = quote * 3 if text.startswith(quote * 3, start) else quote
    i = start + len(delimiter)
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(delimiter, i):
            return i + len(delimiter)
        i += 1
    return len(text)
