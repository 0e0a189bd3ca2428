"""What a query text is, decided by parsing it (never by looking for keywords).

`jixiao query` only reads: a SPARQL Update is refused on every backend before any backend sees
it, and a query that calls SERVICE (which makes the engine fetch from another host) is refused
unless the user allows it. A text that parses as neither is a malformed query, reported with the
parser's line and column.
"""

from __future__ import annotations

import functools

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

from jixiao.errors import UsageError, message_of
from jixiao.sparql_tree import has_pattern

# rdflib's names for the four query forms, and what `jixiao query` calls them.
QUERY_FORMS = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "construct", "DescribeQuery": "describe"}
SUPPORTED_FORMS = ("select", "ask", "construct")


def query_form(text: str, *, allow_service: bool = False) -> str:
    """`select`, `ask` or `construct` for a query jixiao runs; a UsageError for anything else."""
    form, refusal = _verdict(text, allow_service)
    if refusal is not None:
        raise UsageError(refusal)
    return form


@functools.lru_cache(maxsize=256)
def _verdict(text: str, allow_service: bool) -> tuple[str, str | None]:
    """The form, or why the text is refused. Remembered per text: rdflib's parser takes 0.1-0.5 s
    for a named query, and the command line and `run` both ask about the same text."""
    try:
        return _checked_form(text, allow_service), None
    except UsageError as error:
        return "", str(error)


def _checked_form(text: str, allow_service: bool) -> str:
    try:
        parsed = parseQuery(text)
        translateQuery(parsed)  # resolves prefixes: an undefined one is the query's error, found here
    except ParseBaseException as error:
        if _is_update(text):
            raise UsageError("this is a SPARQL Update (it would change data); `jixiao query` only reads, "
                             "so it was not run") from error
        raise UsageError(f"malformed SPARQL query: line {error.lineno}, column {error.col}: {error.msg}") from error
    except Exception as error:  # rdflib raises plain exceptions for some prologue errors (an undefined prefix)
        raise UsageError(f"malformed SPARQL query: {message_of(error)}") from error
    form = QUERY_FORMS.get(parsed[1].name, parsed[1].name)
    if form not in SUPPORTED_FORMS:
        raise UsageError(f"{form.upper()} queries are not supported; use SELECT, ASK or CONSTRUCT")
    if not allow_service and has_pattern(parsed, "ServiceGraphPattern"):
        raise UsageError("the query calls SERVICE (it would fetch data from another host); "
                         "give --allow-service to let it")
    return form


def _is_update(text: str) -> bool:
    """Whether `text` is a SPARQL Update with at least one operation (the empty text parses as one)."""
    try:
        parsed = parseUpdate(text)
    except Exception:
        return False
    return "request" in parsed and bool(parsed["request"])


