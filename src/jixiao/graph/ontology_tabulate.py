"""Move hand-written Turtle concepts into the ontology's tables (the inverse of the build).

`scripts/build-ontology --tabulate FILE.ttl` reads FILE.ttl and, for every concept that belongs to a
table (its skos:inScheme is the table's scheme, or it is already a row), adds a row or adds the
concept's values to its row, declaring new columns in the table's header when [columns] in
build.toml knows them. Triples no table can hold (classes, annotation properties, a property no
column fills) are printed as Turtle, to be kept by hand. Nothing in FILE.ttl is changed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from jixiao.graph.ontology_build import LIST_SEPARATOR, LOCAL_NAME, BuildError, Config, column_for_header, load_config


@dataclass
class Table:
    """A table's rows as text, editable in place, written back in the same CSV dialect."""

    spec: dict[str, Any]
    path: Path
    header: list[str]
    rows: list[dict[str, str]]
    scheme: URIRef
    namespace: str
    changed: bool = False
    by_id: dict[URIRef, dict[str, str]] = field(default_factory=dict)

    def text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows([row.get(name, "") for name in self.header] for row in self.rows)
        return out.getvalue()


def _load_tables(config: Config) -> list[Table]:
    tables = []
    for spec in config.tables:
        path = config.src_dir / spec["file"]
        with path.open(encoding="utf-8-sig", newline="") as handle:
            records = list(csv.reader(handle))
        header, rows = records[0], [dict(zip(records[0], record, strict=True)) for record in records[1:] if any(record)]
        scheme = config.iri(spec["scheme"]["id"], spec["prefix"], str(path))
        table = Table(spec, path, header, rows, scheme, config.prefixes[spec["prefix"]])
        table.by_id = {config.iri(row["id"], spec["prefix"], str(path)): row for row in rows}
        tables.append(table)
    return tables


def _short(config: Config, iri: URIRef, prefix: str | None) -> str:
    """How a table cell writes `iri`: a local name in `prefix`, a prefixed name, or the full IRI."""
    for name, namespace in sorted(config.prefixes.items(), key=lambda item: (item[0] != prefix, -len(item[1]))):
        local = str(iri)[len(namespace):]
        if str(iri).startswith(namespace) and LOCAL_NAME.match(local):
            return local if name == prefix else f"{name}:{local}"
    return str(iri)


def _structural(config: Config, table: Table, subject: URIRef, graph: Graph) -> Iterator[tuple[URIRef, Node]]:
    """The triples the table states by its own structure (types, scheme, hierarchy, isDefinedBy)."""
    spec = table.spec
    hierarchy = spec.get("hierarchy", {})
    types = {config.iri(t, None, str(table.path)) for t in [*spec.get("types", []), *hierarchy.get("levels", [])]}
    root = config.iri(hierarchy["root"], None, str(table.path)) if hierarchy.get("root") else None
    for predicate, obj in graph.predicate_objects(subject):
        if ((predicate == RDF.type and obj in types) or (predicate == SKOS.inScheme and obj == table.scheme)
                or predicate == RDFS.isDefinedBy or (predicate == SKOS.topConceptOf and obj == table.scheme)
                or (predicate == RDFS.subClassOf and obj == root)):
            yield predicate, obj  # type: ignore[misc]


def _cell_value(config: Config, header: str, obj: Node) -> str | None:
    """The text a cell of column `header` holds for `obj`, or None if the column cannot hold it."""
    column = column_for_header(config, header, str(config.src_dir))
    if column.read in ("text", "source"):
        if not isinstance(obj, Literal) or obj.language != column.language or obj.datatype is not None:
            return None
        text = str(obj)
        if column.read == "source":
            text = next((short for short, full in config.sources.items() if full == text), text)
        return text
    if column.read == "iri":
        return _short(config, obj, column.prefix) if isinstance(obj, URIRef) else None
    datatype = config.iri(column.read, None, str(config.src_dir))
    return str(obj) if isinstance(obj, Literal) and obj.datatype == datatype else None


def _candidates(config: Config, table: Table, predicate: URIRef, obj: Node) -> list[str]:
    """Headers whose column states (predicate, obj): those in the table first, then any declared."""
    language = obj.language if isinstance(obj, Literal) else None
    names = [name for name, spec in config.columns.items() if str(predicate) in {str(config.iri(p, None, "")) for p in spec["predicates"]}]
    headers = [f"{name}@{language}" if language else name for name in names]
    return sorted(headers, key=lambda header: header not in table.header)


def _place(config: Config, table: Table, row: dict[str, str], graph: Graph, subject: URIRef, consumed: Graph) -> list[str]:
    """Put the subject's remaining triples into `row`; what could not be placed is said in the result."""
    problems = []
    hierarchy = table.spec.get("hierarchy")
    for predicate, obj in sorted(graph.predicate_objects(subject)):
        if (subject, predicate, obj) in consumed:
            continue
        if hierarchy and predicate in (SKOS.broader, RDFS.subClassOf) and isinstance(obj, URIRef):
            parent = _short(config, obj, table.spec["prefix"])
            if row.get(hierarchy["column"], "") in ("", parent):
                row[hierarchy["column"]] = parent
                consumed.add((subject, predicate, obj))
            continue
        for header in _candidates(config, table, predicate, obj):
            column = column_for_header(config, header, str(table.path))
            value = _cell_value(config, header, obj)
            together = [(subject, config.iri(p, None, ""), obj) for p in config.columns[column.name]["predicates"]]
            if value is None or not all(triple in graph for triple in together):
                continue
            if column.is_list and LIST_SEPARATOR in value:
                problems.append(f"{_short(config, subject, None)}: {value!r} holds {LIST_SEPARATOR!r}, which separates the values of {header}")
                break
            if header not in table.header:
                table.header.append(header)
            present = [v for v in row.get(header, "").split(LIST_SEPARATOR) if v]
            if value not in present and present and not column.is_list:
                problems.append(f"{_short(config, subject, None)}: {header} is {present[0]!r} in {table.path.name}, here {value!r}")
                break
            if value not in present:
                row[header] = LIST_SEPARATOR.join([*present, value])
            for triple in together:
                consumed.add(triple)
            break
    return problems


def tabulate(root: Path, turtle: Path) -> tuple[dict[Path, str], Graph, list[str]]:
    """Tables with `turtle`'s concepts added (path -> text), the triples left over, and conflicts."""
    config = load_config(root)
    graph = Graph()
    try:
        graph.parse(turtle, format="turtle")
    except Exception as error:  # rdflib raises several parser error types
        raise BuildError(f"{turtle}: {error}") from error
    tables = _load_tables(config)
    by_scheme = {table.scheme: table for table in tables}
    consumed, problems = Graph(), []
    for subject in sorted({s for s in graph.subjects() if isinstance(s, URIRef)}):
        table = by_scheme.get(graph.value(subject, SKOS.inScheme)) or next((t for t in tables if subject in t.by_id), None)  # type: ignore[arg-type]
        if table is None or (table.scheme == subject):
            continue
        if subject not in table.by_id:
            if not str(subject).startswith(table.namespace):
                problems.append(f"{subject}: not in the namespace of {table.path.name}; left as Turtle")
                continue
            table.by_id[subject] = {"id": _short(config, subject, table.spec["prefix"])}
            table.rows.append(table.by_id[subject])
        for triple in _structural(config, table, subject, graph):
            consumed.add((subject, *triple))
        problems += _place(config, table, table.by_id[subject], graph, subject, consumed)
        table.changed = True
    left = Graph()
    for prefix, namespace in config.prefixes.items():
        left.bind(prefix, namespace)
    for triple in graph:
        if triple not in consumed:
            left.add(triple)
    texts = {table.path.relative_to(root): table.text() for table in tables if table.changed}
    return texts, left, problems
