"""The published dataset: the worker pool, the pages' queries and the named queries, in one place.

The pages ask only the `.rq` files in `queries/pages/` (each with the library's header: title,
description, parameters, columns), their parameters bound as RDF terms by the library's binding
(`jixiao.queries.bind`), never pasted into the text. A visitor's own query (the /sparql endpoint)
is checked first: updates and SERVICE are refused and a malformed query is reported with the
parser's message (`jixiao.queries.guard`, plus DESCRIBE, which the endpoint also answers).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Node

from jixiao.errors import UsageError, message_of
from jixiao.publish.workers import Answer, WorkerPool
from jixiao.queries import NamedQuery, bind, library, load_query
from jixiao.queries.guard import query_form
from jixiao.resources import resource_dir
from jixiao.sparql_tree import has_pattern

Row = dict[str, Node | None]


class Refused(UsageError):
    """A query the endpoint will not run: `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def endpoint_form(text: str) -> str:
    """`select`, `ask`, `construct` or `describe` for a query the endpoint runs, else `Refused`:
    400 for a malformed query or an update sent as a query, 403 for SERVICE."""
    try:
        parsed = parseQuery(text)
    except ParseBaseException:
        try:
            query_form(text)  # the library's message: an update, or the parser's line and column
        except UsageError as error:
            raise Refused(400, str(error)) from error
        raise Refused(400, "malformed SPARQL query") from None
    except Exception as error:
        raise Refused(400, f"malformed SPARQL query: {message_of(error)}") from error
    if has_pattern(parsed, "ServiceGraphPattern"):
        raise Refused(403, "the query calls SERVICE (it would make this server fetch data from another host); this endpoint refuses it")
    if parsed[1].name == "DescribeQuery":
        return "describe"
    try:
        return query_form(text)
    except UsageError as error:
        raise Refused(400, str(error)) from error


@dataclass(frozen=True)
class Prepared:
    query: NamedQuery
    form: str


class Dataset:
    """What the server and the static site read: queries through the pool, nothing else."""

    def __init__(self, pool: WorkerPool, base: str) -> None:
        self.pool = pool
        self.base = base

    @cached_property
    def page_queries(self) -> dict[str, Prepared]:
        folder = resource_dir("queries") / "pages"
        prepared = {}
        for path in sorted(folder.glob("*.rq")):
            query = load_query(str(path))
            prepared[query.name] = Prepared(query, query_form(query.text))
        return prepared

    @cached_property
    def named_queries(self) -> dict[str, Prepared]:
        return {name: Prepared(query, query_form(query.text)) for name, query in library().items()}

    def rows(self, page_query: str, **params: str) -> list[Row]:
        """The rows of a page query, its parameters given as text and bound as RDF terms."""
        prepared = self.page_queries[page_query]
        answer = self.pool.run(prepared.form, prepared.query.text, bind(prepared.query, dict(params)))
        return answer.rows

    def first(self, page_query: str, **params: str) -> Row | None:
        rows = self.rows(page_query, **params)
        return rows[0] if rows else None

    def run_named(self, name: str, raw_params: Mapping[str, str]) -> Answer:
        prepared = self.named_queries.get(name)
        if prepared is None:
            raise UsageError(f"unknown query {name!r}")
        bindings = bind(prepared.query, {key: value for key, value in raw_params.items() if value != ""})
        return self.pool.run(prepared.form, prepared.query.text, bindings)

    def run_sparql(self, text: str) -> Answer:
        return self.pool.run(endpoint_form(text), text)

    def exists(self, iri: str) -> list[str]:
        """The types of a resource ("" for none) when any statement has it as subject; [] when unknown."""
        return ["" if row["type"] is None else str(row["type"]) for row in self.rows("resource-types", resource=iri)]

    def describe(self, iri: str) -> Iterable[tuple[Node, Node, Node]]:
        """The resource's statements, outgoing and incoming: its data document."""
        from rdflib import URIRef

        subject = URIRef(iri)
        for row in self.rows("resource-out", resource=iri):
            assert row["property"] is not None and row["value"] is not None
            yield (subject, row["property"], row["value"])
        for row in self.rows("resource-in", resource=iri):
            assert row["subject"] is not None and row["property"] is not None
            yield (row["subject"], row["property"], subject)
