"""Put tables into a store by what they declare, and take them out again.

The loader takes the mapper's `GraphChunk`s (any object with their four fields: the stores import
nothing of reading, nor the mapper that imports it) (one per declared table: its key, its named graph,
its triples, where it was read from) as an iterable, so a parallel producer can feed it, and
writes them in one `StoreWriter`: each chunk replaces its named graph whole, the ontology gets
its graph, and the store's union (what queries read) is brought up to date at commit, all at once.
Nothing here looks at file paths or triple text to decide where a triple goes: the chunk says.

Two chunks with the same key in one write (the same project-year declared by two files) keep the
last one in input order; the loader reports each such pair, so it is a finding, not a double count.
"""

from __future__ import annotations

import dataclasses
import hashlib
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.errors import InputError
from jixiao.namespaces import ONTOLOGY_GRAPH
from jixiao.stores.base import QueryBackend, StoreWriter
from jixiao.stores.tables import Chunk, PreparedTable, TableLines, TableRecord, WriteSummary, lines_digest, ntriples_lines, prepare_table, select_tables
from jixiao.vocabulary import load_ontology_graph

ONTOLOGY_KEY = ("ontology",)


@dataclass(frozen=True)
class Duplicate:
    """Two chunks declaring the same table in one write: the one kept and the one dropped."""

    key: tuple[str, ...]
    kept: str
    dropped: str

    def message(self) -> str:
        what = " / ".join(part for part in self.key[1:] if part)
        return (f"{self.dropped} and {self.kept} both declare {self.key[0]} {what}: keeping {self.kept} (the later one), "
                f"dropping {self.dropped} / 两个文件声明同一表，保留后者")


@dataclass
class LoadReport:
    """What a load did: the write's summary, the duplicate declarations found, the tables stored."""

    summary: WriteSummary = field(default_factory=WriteSummary)
    duplicates: list[Duplicate] = field(default_factory=list)
    tables: int = 0


def ontology_lines() -> list[str]:
    """The ontology, framework and units as N-Triples lines."""
    return ntriples_lines(load_ontology_graph())  # type: ignore[arg-type]


def put_ontology(writer: StoreWriter, backend: QueryBackend) -> int:
    """(Re)load the ontology into its graph (a writer leaves a graph whose digest is unchanged as it is)."""
    lines = ontology_lines()
    digest = lines_digest(lines)
    return writer.put(str(ONTOLOGY_GRAPH), lines, TableRecord(str(ONTOLOGY_GRAPH), ONTOLOGY_KEY, "ontology", digest, digest))


def store_chunks(backend: QueryBackend, chunks: Iterable[Chunk], *, content_hashes: Mapping[str, str] | None = None,
                 on_duplicate: Callable[[Duplicate], None] | None = None) -> LoadReport:
    """Write the chunks (and the ontology) to the backend in one write: all of them or, on any error or interrupt, none.

    `content_hashes` maps a chunk's source to its content hash (filled by the producer as it reads,
    recorded so that `drop` can name a table by its source's hash).
    """
    report = LoadReport()
    writer = backend.writer()
    try:
        put_ontology(writer, backend)
        sources: dict[tuple[str, ...], str] = {}
        for chunk in chunks:
            earlier = sources.get(chunk.key)
            if earlier is not None and earlier != chunk.source:
                duplicate = Duplicate(chunk.key, chunk.source, earlier)
                report.duplicates.append(duplicate)
                if on_duplicate is not None:
                    on_duplicate(duplicate)
            sources[chunk.key] = chunk.source
            table = chunk_table(chunk)
            record = TableRecord(str(chunk.graph), chunk.key, chunk.source, (content_hashes or {}).get(chunk.source, ""), table.digest,
                                 getattr(chunk, "closed_under", ""))  # a chunk made with its entailments says under which schema
            writer.put(str(chunk.graph), table.lines, record, table.scopes, table.groups)
        report.tables = len(sources)
        with _switching():
            report.summary = writer.commit()
    except BaseException:
        writer.abort()
        _stop(chunks)
        raise
    return report


def _stop(chunks: Iterable[Chunk]) -> None:
    """Close a producer the write stopped reading (a generator: its worker processes are stopped now, not at exit)."""
    close = getattr(chunks, "close", None)
    if callable(close):
        close()


@contextmanager
def _switching() -> Iterator[None]:
    """Ctrl-C waits while a write is switched in: once started, the switch finishes, so "nothing was
    stored" is never said of a write that got through (a second Ctrl-C still stops at once)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    interrupted: list[int] = []

    def remember(signum: int, _frame: object) -> None:
        if interrupted:
            raise KeyboardInterrupt
        interrupted.append(signum)

    previous = signal.signal(signal.SIGINT, remember)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    # Interrupted during the switch: the write is complete, which is what the user gets told.


def chunk_lines(chunk: Chunk) -> list[str]:
    """A chunk's N-Triples lines: as the producer encoded them (`lines`, e.g. graph.build's EncodedChunk), else from its rdflib triples."""
    encoded = getattr(chunk, "lines", None)
    return list(encoded) if encoded is not None else ntriples_lines(chunk.triples)


def chunk_scopes(chunk: Chunk, count: int) -> bytes | None:
    """The chunk's scopes, one a line, when a store may keep its own lines (scopes 0 and 1) out of its graph.

    Only for a chunk closed under its entailments: `jixiao reason --store` reads a table graph
    not closed, and must find it whole. (Lines and scopes come in the same order from EncodedChunk.)
    """
    scopes = getattr(chunk, "scopes", None)
    if not scopes or not getattr(chunk, "closed_under", "") or len(scopes) != count:
        return None
    return bytes(scopes)


def chunk_table(chunk: Chunk) -> TableLines:
    """The chunk's lines as a writer takes them: as a worker prepared them (`prepare_chunk`), else prepared here."""
    lines = chunk_lines(chunk)
    scopes = chunk_scopes(chunk, len(lines))
    prepared = getattr(chunk, "prepared", None)
    table = prepared.table(lines, scopes) if isinstance(prepared, PreparedTable) else None
    if table is None:
        table = prepare_table(lines, scopes).table(lines, scopes)
        assert table is not None  # prepared from these very lines
    return table


def prepare_chunk(chunk: Chunk) -> Chunk:
    """The chunk with what its writer needs besides its lines (`PreparedTable`: their digest, their grouping by subject)
    in `prepared`, made in the worker process that mapped it (`produce_documents(prepare=…)`).

    So the writer's process, which every table passes through in turn, neither sorts the lines for the digest nor goes
    over them for their subjects. The lines are made again there from the chunk's statements: sent as lines they
    pickled 7.5 times larger (6.5 MB a file of 50 projects against 0.87), which cost the writer's process more to
    receive than it saved.
    """
    lines = chunk_lines(chunk)
    return dataclasses.replace(chunk, prepared=prepare_table(lines, chunk_scopes(chunk, len(lines))))  # type: ignore[type-var]


def store_graph_file(backend: QueryBackend, graph: str, lines: list[str], source: str) -> WriteSummary:
    """Put RDF that declares no table (an RDF file, or `load --graph IRI`) into one named graph, with the ontology."""
    digest = lines_digest(lines)
    writer = backend.writer()
    try:
        put_ontology(writer, backend)
        writer.put(graph, lines, TableRecord(graph, ("graph", "", "", ""), source, digest, digest))
        return writer.commit()
    except BaseException:
        writer.abort()
        raise


def rdf_graph_iri(content_hash: str, base: str) -> str:
    """The named graph of an RDF file loaded as it is: by its content, never its path."""
    base = base if base.endswith(("/", "#")) else base + "/"
    return f"{base}graph/rdf-{content_hash[:16]}"


def drop_tables(backend: QueryBackend, records: Iterable[TableRecord]) -> WriteSummary:
    """Remove the tables' graphs from the store in one write, keeping the union exact."""
    writer = backend.writer()
    try:
        for record in records:
            writer.drop(record.graph)
        return writer.commit()
    except BaseException:
        writer.abort()
        raise


def read_ntriples(path: Path) -> list[str]:
    """The triple lines of an N-Triples file, checked whole first: a bad file raises InputError (file and line) before any write."""
    import pyoxigraph  # the Rust parser: fast, and it reports the line

    try:
        for _ in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES):
            pass
        with path.open(encoding="utf-8") as handle:
            return [line.strip() + "\n" for line in handle if line.strip() and not line.lstrip().startswith("#")]
    except SyntaxError as error:
        raise InputError(str(path), error.lineno, f"not valid N-Triples: {getattr(error, 'msg', None) or error}") from error
    except UnicodeDecodeError as error:
        raise InputError(str(path), None, f"not UTF-8: {error}") from error
    except FileNotFoundError as error:
        raise InputError(str(path), None, "no such file") from error
    except OSError as error:
        raise InputError(str(path), None, f"cannot read: {error.strerror}") from error


def replace_graph(backend: QueryBackend, graph: str, path: Path) -> int:
    """Make one named graph hold exactly an N-Triples file's triples, in a write of its own; the graph's size."""
    lines = read_ntriples(Path(path))
    writer = backend.writer()
    try:
        count = writer.put(graph, lines, TableRecord(graph, ("graph", "", "", ""), str(path), "", lines_digest(lines)))
        if not lines:
            writer.drop(graph)
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    return count


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


__all__ = ["Duplicate", "LoadReport", "drop_tables", "file_hash", "prepare_chunk", "put_ontology", "rdf_graph_iri", "read_ntriples", "replace_graph",
           "select_tables",
           "store_chunks",
           "store_graph_file"]
