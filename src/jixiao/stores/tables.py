"""What a store holds besides the data: which table each named graph is, and the graphs jixiao keeps for itself.

A store keeps one named graph per declared table (the graph IRI comes with the mapper's
`GraphChunk`, from what the table declares, never from a path) and, beside them, the set-union
of all of them plus the ontology: the graph the named queries read. The union is kept exact on
every replacement and drop: a triple stays while any table graph holds it, and goes with the last.

Graphs whose IRI begins with INTERNAL_PREFIX are jixiao's own bookkeeping, never data: the
registry (which table each graph is: its declared key, its source and content hash), staging
graphs of a write in progress, and on a remote server the union graph itself. They are never
listed as data graphs and never count as "holding" a triple.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from rdflib.term import Node

INTERNAL_PREFIX = "urn:jixiao:"
REGISTRY_GRAPH = "urn:jixiao:tables"
UNION_GRAPH = "urn:jixiao:union"  # remote servers: the union the named queries read (the embedded store uses its default graph)
STAGING_PREFIX = "urn:jixiao:staging:"
TEMP_GRAPH_PREFIX = "urn:jixiao:tmp:"  # remote servers: a table between upload and switch
CANDIDATES_GRAPH = "urn:jixiao:staging:candidates"  # embedded store: triples whose last holder may have gone
# Embedded store: which table a subject belongs to, whose statements (the mapper's scopes 0 and 1) are kept in the
# union alone, not in the table's graph: `<subject> OWNED_BY <table graph>` in OWNED_GRAPH (see oxigraph.py).
OWNED_GRAPH = "urn:jixiao:owned"
OWNED_BY = "urn:jixiao:ownedBy"
# Embedded store: a table's lines its graph leaves to the ontology graph, which holds them too (see oxigraph.py): their
# positions in the ontology's vocabulary index (`vocabulary_index`), in the registry as `<table graph> IN_ONTOLOGY "3,17,…"`.
IN_ONTOLOGY = "urn:jixiao:inOntology"
FORMAT_SUBJECT = "urn:jixiao:store"

# Registry predicates: what a table graph is.
KEY = "urn:jixiao:key"  # the declared key, its parts joined by KEY_SEPARATOR
KIND = "urn:jixiao:kind"
UNIT = "urn:jixiao:unit"  # canon(unit name), as in the key
SOURCE = "urn:jixiao:source"
CONTENT_HASH = "urn:jixiao:contentHash"
DIGEST = "urn:jixiao:digest"  # of the graph's triples: a table put again unchanged is not rewritten
CLOSED_UNDER = "urn:jixiao:closedUnder"  # the digest of the schema the graph's triples were closed under when mapped (none: not closed)
REPLACES = "urn:jixiao:replaces"  # staging graph → the table graph it replaces (remote switch)
FORMAT = "urn:jixiao:format"
# 1: graphs by file path, union by use_default_graph_as_union; 2: graphs by declared key, materialised union;
# 3: as 2, and a table's own subjects' statements in the union alone (OWNED_GRAPH); 4: as 3, and a table's statements
# the ontology graph holds too left to it (IN_ONTOLOGY). A format-2 or -3 store is a format-4 store that owns or leaves
# nothing, so all three are read and written alike; a write marks the store 4 (and jixiao versions knowing only 3 refuse it).
# 5: as 4, and the views of named queries kept by every write (stores/views.py): a jixiao knowing only 4 would write without
# keeping them, leaving views that no longer say what the union says, so it must refuse the store. A store of format 2-4
# has no current view; this jixiao reads it from the union and makes its views at its next write.
STORE_FORMAT = "5"

KEY_SEPARATOR = "\x1f"


class Chunk(Protocol):
    """What the loader needs of a mapper's GraphChunk: the declared key, the graph, the triples, the source.

    A chunk that carries its N-Triples lines already (an attribute `lines`, as graph.build's
    EncodedChunk from the parallel producer) is written from them, without rdflib terms. A chunk
    made with its entailments says under which schema (an attribute `closed_under`, recorded as
    TableRecord.closed_under); any other chunk is recorded as not closed. A closed chunk may say
    for each line whether only this table makes it (an attribute `scopes`, one byte a line, 0 for
    "under the table's own performance object", 1 for "about the source rows it was read from"): a
    store may keep those lines out of the table's graph. A chunk may carry what the worker process
    that mapped it worked out for the writer (an attribute `prepared`, a PreparedTable: the lines'
    digest and grouping by subject), so the writer's process need not.
    """

    @property
    def key(self) -> tuple[str, ...]: ...

    @property
    def graph(self) -> Node: ...

    @property
    def triples(self) -> Sequence[tuple[Node, Node, Node]]: ...

    @property
    def source(self) -> str: ...


def ntriples_lines(triples: Iterable[tuple[Node, Node, Node]]) -> list[str]:
    """N-Triples lines of IRIs and literals (rdflib's n3() without a namespace manager), duplicates dropped."""
    return list(dict.fromkeys(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples))


def vocabulary_index(lines: Iterable[str]) -> list[str]:
    """The ontology's lines a table's graph may leave to the ontology graph, in the order their positions (IN_ONTOLOGY) count.

    Only lines of IRIs: their N-Triples text is the same as the mapper writes it and as the store gives it back
    (literals are canonicalised on load, blank nodes relabelled), so the index can be made again from the stored graph.
    """
    return sorted({line for line in lines if '"' not in line and "_:" not in line})


def is_internal(graph: str) -> bool:
    return graph.startswith(INTERNAL_PREFIX)


@dataclass(frozen=True)
class TableRecord:
    """One table graph as the registry knows it."""

    graph: str
    key: tuple[str, ...]
    source: str = ""
    content_hash: str = ""
    digest: str = ""
    # The schema (jixiao.graph.reason.schema_digest) under which the graph holds every one-step
    # entailment of its own triples, as ingest writes a table; empty when loaded without them.
    # `jixiao reason --store` reads only the graphs not closed under the current schema.
    closed_under: str = ""

    @property
    def kind(self) -> str:
        return self.key[0] if self.key else ""

    @property
    def unit(self) -> str:
        return self.key[1] if len(self.key) > 1 else ""

    def describe(self) -> str:
        """`project 单位 / 项目 / 2024 (from path)` for messages."""
        parts = " / ".join(part for part in self.key[1:] if part) or "-"
        return f"{self.kind} {parts}" + (f" (from {self.source})" if self.source else "")

    def statements(self) -> Iterator[tuple[str, str]]:
        """(predicate, plain literal value) pairs describing the graph in the registry."""
        yield KEY, KEY_SEPARATOR.join(self.key)
        yield KIND, self.kind
        yield UNIT, self.unit
        if self.source:
            yield SOURCE, self.source
        if self.content_hash:
            yield CONTENT_HASH, self.content_hash
        if self.digest:
            yield DIGEST, self.digest
        if self.closed_under:
            yield CLOSED_UNDER, self.closed_under


def record_from(graph: str, values: dict[str, str]) -> TableRecord:
    """A TableRecord from the registry's (predicate → value) pairs of one graph."""
    key = tuple(values.get(KEY, "").split(KEY_SEPARATOR)) if values.get(KEY) else ()
    return TableRecord(graph, key, values.get(SOURCE, ""), values.get(CONTENT_HASH, ""), values.get(DIGEST, ""), values.get(CLOSED_UNDER, ""))


def lines_digest(lines: Iterable[str]) -> str:
    """A digest of a graph's N-Triples lines, whatever their order."""
    return hashlib.sha256("".join(sorted(lines)).encode("utf-8")).hexdigest()


# The scopes whose subjects a table tries to own (EncodedChunk.scopes): 0, under its own project or plan,
# and 1, the rows of its source document it was read from (usually cited by one table only; a row two
# tables of a document cite, such as a shared header, is given up by the first, as any subject two graphs speak of). Scope 2
# (units, programmes, the document itself) is shared by many tables and stays in their graphs.
MAY_OWN_SCOPE = 1

# An IRI subject at the start of an N-Triples line, and the escapes (UCHAR) an IRI may be written with.
_IRI_SUBJECT = re.compile(r"[ \t]*<([^>]*)>")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def subject_text(line: str) -> str | None:
    """The subject of an N-Triples line as `<iri>` with no escapes (None for a blank node): the key ownership is kept by.

    The mapper writes `<iri> ` with one space and no escapes; a user's file (`jixiao load`, `replace_graph`) may
    separate terms by tabs or nothing and write `\\u00E9` for `é`, and the same subject must give the same key."""
    end = line.find(">")
    if line[:1] == "<" and line[end + 1:end + 2] == " " and "\\" not in line[:end]:
        return line[:end + 1]
    match = _IRI_SUBJECT.match(line)
    if match is None:
        return None
    iri = _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), match.group(1))
    return f"<{iri}>"


@dataclass(frozen=True)
class SubjectGroups:
    """How a closed table's lines, in an order of their own, fall into what the embedded store's writer may own.

    The first `shared` lines are those no table may own (scope 2, or about a blank node): its graph holds them
    whatever the store holds; `spoken` are the positions of one of them for each of their subjects. Then come runs of
    lines of scope 0 or 1 about one IRI subject each (the subject of a run's first line), in the order the subjects first
    occur: `runs` holds where each ends. Only positions, so what a worker process sends with a table stays small; the
    writer, which must ask its store whether the table may own each subject, then goes over subjects, not lines.
    """

    shared: int
    spoken: tuple[int, ...]
    runs: tuple[int, ...]

    def fits(self, count: int) -> bool:
        """Whether these groups describe `count` lines (the last run ends at the last line)."""
        return (self.runs[-1] if self.runs else self.shared) == count


def group_by_subject(lines: Sequence[str], scopes: bytes) -> tuple[array[int], SubjectGroups]:
    """The order SubjectGroups describes (each position in `lines`: shared lines first, then each subject's run), and the groups.

    Within the shared lines and within each run the lines keep their order, and the runs their subjects' first
    occurrence: the writer decides subject after subject as it would going over the lines."""
    shared = array("I")
    spoken: dict[str | None, int] = {}
    own: dict[str, array[int]] = {}
    for position, (line, scope) in enumerate(zip(lines, scopes, strict=True)):
        subject = subject_text(line)
        if subject is None or scope > MAY_OWN_SCOPE:
            spoken.setdefault(subject, len(shared))
            shared.append(position)
            continue
        run = own.get(subject)
        if run is None:
            run = own[subject] = array("I")
        run.append(position)
    shared_count = len(shared)
    order, runs = shared, []  # the runs follow the shared lines
    for run in own.values():
        order.extend(run)
        runs.append(len(order))
    return order, SubjectGroups(shared_count, tuple(spoken.values()), tuple(runs))


def in_order(lines: Sequence[str], scopes: bytes, order: Sequence[int]) -> tuple[list[str], bytes]:
    """The lines and their scopes in the order given by positions (group_by_subject's)."""
    return list(map(lines.__getitem__, order)), bytes(map(scopes.__getitem__, order))


@dataclass(frozen=True)
class TableLines:
    """A table's lines as `store_chunks` hands them to a writer: with their digest (the record's), and for a closed
    table (with scopes) in the order of their SubjectGroups."""

    lines: list[str]
    scopes: bytes | None
    digest: str
    groups: SubjectGroups | None


@dataclass(frozen=True)
class PreparedTable:
    """What needs no store of a table's lines, worked out where the table is mapped (`loading.prepare_chunk`, run by the
    worker processes of `ingest --store`): their digest, and for a closed table the order and groups of
    `group_by_subject`. Positions only, not the lines: the chunk already carries them, as its statements, which pickle
    far smaller (a term repeated in many statements goes once), so the writer's process only joins each statement's terms."""

    digest: str
    order: array[int] | None = None
    groups: SubjectGroups | None = None

    def table(self, lines: list[str], scopes: bytes | None) -> TableLines | None:
        """The table's lines and scopes as prepared, or None if they are not the lines this was made from (by their count)."""
        if self.order is None or self.groups is None:
            return TableLines(lines, None, self.digest, None) if scopes is None else None
        if scopes is None or len(self.order) != len(lines) or len(scopes) != len(lines) or not self.groups.fits(len(lines)):
            return None
        ordered_lines, ordered_scopes = in_order(lines, scopes, self.order)
        return TableLines(ordered_lines, ordered_scopes, self.digest, self.groups)


def prepare_table(lines: list[str], scopes: bytes | None) -> PreparedTable:
    """What a writer wants of a table's lines besides them: their digest, and their grouping by subject when scopes
    say which lines the table may own."""
    digest = lines_digest(lines)
    if scopes is None or len(scopes) != len(lines):
        return PreparedTable(digest)
    order, groups = group_by_subject(lines, scopes)
    return PreparedTable(digest, order, groups)


@dataclass
class WriteSummary:
    """What one write did to a store: graphs replaced (with their triple counts), graphs dropped."""

    replaced: dict[str, int] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    records: dict[str, TableRecord] = field(default_factory=dict)
    view_rows: dict[str, int] = field(default_factory=dict)  # rows each view recomputed (the embedded store's views)


def select_tables(records: Iterable[TableRecord], *, graphs: Iterable[str] = (), content_hash: str | None = None,
                  unit: str | None = None, project: str | None = None, year: str | None = None) -> list[TableRecord]:
    """The registered tables a drop names: by graph IRI, by source content hash, or by unit (and project and year).

    `unit`, `project` and `year` are compared as declared keys are: canonical forms (the caller canon()s them).
    """
    wanted = set(graphs)
    chosen = []
    for record in records:
        named = record.graph in wanted or bool(content_hash and record.content_hash == content_hash)
        of_unit = (unit is not None and record.unit == unit and len(record.key) >= 4
                   and (project is None or record.key[2] == project) and (year is None or record.key[3] == year))
        if named or of_unit:
            chosen.append(record)
    return chosen
