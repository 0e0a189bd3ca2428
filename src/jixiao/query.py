"""The named query library: `.rq` files in queries/ with a header comment, and their parameters.

Header lines at the top of each file:
    # title: 中文标题 / English title
    # description: what it answers (continued on lines indented by two spaces)
    # param NAME: TYPE — what it restricts      (TYPE: literal, year, integer, decimal, iri)
    # columns: a, b, c
A parameter NAME is bound, as an RDF term of its TYPE, to the variable ?param_NAME.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .errors import UsageError
from .resources import resource_dir
from .stores import QueryBackend, SelectResult

PARAM_TYPES = ("literal", "year", "integer", "decimal", "iri")


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    doc: str


@dataclass
class NamedQuery:
    name: str
    path: Path
    text: str
    title: str = ""
    description: str = ""
    params: dict[str, Parameter] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)


def _parse_header(name: str, path: Path, text: str) -> NamedQuery:
    query = NamedQuery(name, path, text)
    last_key = ""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:]
        if body.startswith("   ") and last_key == "description":
            query.description += " " + body.strip()
            continue
        key, _, value = body.strip().partition(":")
        last_key = key
        if key == "title":
            query.title = value.strip()
        elif key == "description":
            query.description = value.strip()
        elif key == "columns":
            query.columns = [c.strip() for c in value.split(",") if c.strip()]
        elif key.startswith("param "):
            query.params[key[6:].strip()] = _parameter(key[6:].strip(), value, path)
    return query


def _parameter(name: str, spec: str, path: Path) -> Parameter:
    type_name, _, doc = spec.strip().partition(" ")
    if type_name not in PARAM_TYPES:
        raise UsageError(f"{path}: parameter {name} has unknown type {type_name!r} (expected one of {', '.join(PARAM_TYPES)})")
    return Parameter(name, type_name, doc.strip(" —-"))


def library() -> dict[str, NamedQuery]:
    """Every named query shipped in queries/, by name (the file name without .rq)."""
    queries = {}
    for path in sorted(resource_dir("queries").glob("*.rq")):
        queries[path.stem] = _parse_header(path.stem, path, path.read_text(encoding="utf-8"))
    return queries


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
                         "(or give the path of a .rq file)")
    return queries[name_or_path]


def _term(parameter: Parameter, raw: str) -> Node:
    if parameter.type == "literal":
        return Literal(raw)
    if parameter.type == "iri":
        return URIRef(raw)
    if parameter.type == "year":
        if not re.fullmatch(r"\d{4}", raw):
            raise UsageError(f"parameter {parameter.name} expects a year YYYY, got {raw!r}")
        return Literal(raw, datatype=XSD.gYear)
    try:
        number = Decimal(raw)
    except InvalidOperation as error:
        raise UsageError(f"parameter {parameter.name} expects a number, got {raw!r}") from error
    if parameter.type == "integer":
        if number != number.to_integral():
            raise UsageError(f"parameter {parameter.name} expects a whole number, got {raw!r}")
        return Literal(int(number))
    return Literal(number, datatype=XSD.decimal)


def bind(query: NamedQuery, raw: dict[str, str]) -> dict[str, Node]:
    """Turn `--param k=v` values into RDF terms for ?param_k; unknown names are an error."""
    bindings: dict[str, Node] = {}
    for name, value in raw.items():
        if name not in query.params:
            known = ", ".join(f"{p.name} ({p.type})" for p in query.params.values()) or "none"
            raise UsageError(f"query {query.name} has no parameter {name!r}; its parameters: {known}")
        bindings[f"param_{name}"] = _term(query.params[name], value)
    return bindings


def run(query: NamedQuery, backend: QueryBackend, raw_params: dict[str, str] | None = None) -> SelectResult:
    return backend.select(query.text, bind(query, raw_params or {}))
