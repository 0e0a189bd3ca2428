"""Wire read → normalize → map for files and directories, and write outputs atomically.

DATA arguments of every command are RDF files, table files (ingested on the fly) or
directories of either; this module turns them into an rdflib graph or into N-Triples chunks.
Every file jixiao writes goes through `atomic_output`: it appears whole or not at all.
"""

from __future__ import annotations

import itertools
import multiprocessing
import multiprocessing.pool
import operator
import os
import re
import signal
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import TextIO

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from jixiao.errors import InputError, UsageError, one_line
from jixiao.graph.mapping import GraphChunk, Triple, document_chunks, document_triples
from jixiao.graph.reason import ontology_schema, schema_digest, triple_entailments
from jixiao.namespaces import DEFAULT_BASE, JX, PREFIXES
from jixiao.reading import DocumentRecord, normalize, read_documents, read_file, supported_suffixes
from jixiao.vocabulary import load_ontology_graph

RDF_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld",
               ".rdf": "xml", ".owl": "xml", ".trig": "trig", ".nq": "nquads", ".n3": "n3"}
OUTPUT_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}
DEFAULT_OUTPUT_FORMAT = "ttl"
Warn = Callable[[str], None]


def _is_table(path: Path) -> bool:
    return path.suffix.lower() in supported_suffixes() and path.suffix.lower() not in RDF_FORMATS


# How RDF begins (Turtle, TriG, N3, SPARQL-style prefixes, RDF/XML, JSON-LD, N-Triples and N-Quads),
# so an output written with another suffix (or none) into a folder of tables is not read back as a table.
_RDF_OPENINGS = re.compile(rb"""\A\s*(?:@prefix|@base|prefix\s|base\s|<\?xml[^>]*>\s*<rdf:RDF|<rdf:RDF|\{\s*"@(?:context|graph|id)"|\[\s*\{\s*"@"""
                           rb"""|(?:<[^>\s]*>|_:\S+)\s+<[^>\s]*>\s)""", re.IGNORECASE)
# A RocksDB directory (what an Oxigraph store such as `ingest --store DIR` is on disk) holds these files.
_STORE_MARKERS = ("CURRENT", "IDENTITY")


def looks_like_rdf(head: bytes) -> bool:
    """Whether a file's first bytes are RDF: leading `#` comment lines (or a Markdown heading) are skipped."""
    text = head.removeprefix(b"\xef\xbb\xbf")
    while text.lstrip().startswith(b"#"):
        _, _, text = text.lstrip().partition(b"\n")
    return _RDF_OPENINGS.match(text) is not None


def is_store_directory(folder: Path, names: Iterable[str]) -> bool:
    """Whether `folder` (with these file names) is an embedded store's directory, never a folder of tables."""
    present = set(names)
    return all(marker in present for marker in _STORE_MARKERS) and any(n.startswith("MANIFEST-") for n in present)


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(4096)
    except OSError as error:
        raise InputError(str(path), None, f"cannot read the file: {error.strerror} / 无法读取文件") from error


def _unreadable_folder(error: OSError) -> None:
    raise InputError(str(error.filename), None, f"cannot read the folder: {error.strerror} / 无法读取文件夹") from error


def tables_in(folder: Path) -> list[Path]:
    """The table files inside `folder`, recursively and sorted: by suffix, and by content (RDF is not a table).

    Hidden files and folders and embedded stores' directories are passed over; a folder that
    cannot be listed is an error naming it, never a silent gap in the data.
    """
    found: list[Path] = []
    for top, folders, names in os.walk(folder, onerror=_unreadable_folder):
        here = Path(top)
        if is_store_directory(here, names):
            folders.clear()
            continue
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in names:
            path = here / name
            if not name.startswith(".") and path.is_file() and _is_table(path) and not looks_like_rdf(_head(path)):
                found.append(path)
    return sorted(found)


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files named (tables or RDF), and the table files inside directories named (see `tables_in`)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += tables_in(path)
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(str(path), None, "no such file or directory")
    return files


def ingest_file(path: Path, year: int | None = None) -> DocumentRecord:
    """Read and normalise one table file."""
    return normalize(read_file(path), year)


def ingest_documents(path: Path, year: int | None = None) -> Iterator[DocumentRecord]:
    """Each document of a file (each member of a ZIP archive: `archive.zip!member.docx`), normalised; an unreadable one raises."""
    for document in read_documents(path):
        if isinstance(document, InputError):
            raise document
        yield normalize(document, year)


def findings(document: DocumentRecord) -> Iterator[str]:
    """`file:line: kind: saw → decision` for each finding (not each repair) of a document."""
    for project in document.projects:
        for note in project.all_notes():
            if note.finding:
                where = f"{document.path}:{note.line}" if note.line else document.path
                yield f"{where}: {note.kind}: {note.saw} → {note.decision}".replace("  ", " ")


def table_chunks(paths: Iterable[Path], base: str = DEFAULT_BASE, year: int | None = None,
                 warn: Warn | None = None) -> Iterator[list[Triple]]:
    """Triples of every table file, one chunk per document record and project."""
    for path in paths:
        for document in ingest_documents(path, year):
            if warn is not None:
                for message in findings(document):
                    warn(message)
            yield from document_triples(document, base)


_QUAD_FORMATS = frozenset({"trig", "nquads"})


def parse_rdf(path: Path, graph: Graph, warn: Warn | None = None) -> None:
    """Add the triples of an RDF file to `graph`, read as the stores read it.

    A quad file's named graphs are read as their union (as the stores' default graph: a plain
    Graph parsing N-Quads or TriG would keep only the default graph's triples). Language tags are
    written in lower case: BCP 47 tags are case-insensitive and RDF 1.1 lets them be lower-cased,
    as Oxigraph does on reading, so `LANG(?x) = "zh"` matches "…"@ZH on every route. A literal
    whose lexical form does not fit its datatype ("abc"^^xsd:integer) is kept as written and
    said in one line to `warn` (jixiao.errors keeps rdflib's traceback off stderr).
    """
    rdf_format = RDF_FORMATS[path.suffix.lower()]
    parsed: Graph = Dataset() if rdf_format in _QUAD_FORMATS else Graph()
    try:
        parsed.parse(path, format=rdf_format)
    # rdflib's parsers raise many kinds of exception on broken input (IndexError on a cut-off
    # triple, AssertionError on an unterminated string): any of them means "not valid RDF".
    except Exception as error:
        raise InputError(str(path), None, f"not valid RDF ({rdf_format}): {one_line(str(error))}") from error
    triples = ((s, p, o) for s, p, o, _ in parsed.quads()) if isinstance(parsed, Dataset) else iter(parsed)
    ill_typed: list[Literal] = []
    graph.addN((s, p, _as_stored(o, ill_typed), graph) for s, p, o in triples)
    if ill_typed and warn is not None:
        warn(f"{path}: {len(ill_typed)} literal(s) not valid for their datatype, kept as written (e.g. {one_line(min(term.n3() for term in ill_typed), 120)})")


def _as_stored(term: Node, ill_typed: list[Literal]) -> Node:
    """The term with its language tag in lower case; an ill-typed literal noted in `ill_typed`."""
    if isinstance(term, Literal):
        if term.language and not term.language.islower():
            return Literal(str(term), lang=term.language.lower())
        if term.ill_typed:
            ill_typed.append(term)
    return term


def load_graph(paths: Iterable[str | Path], base: str = DEFAULT_BASE, year: int | None = None,
               with_ontology: bool = True, warn: Warn | None = None) -> Graph:
    """One graph of all DATA (RDF parsed, tables ingested), with the ontology unless told not to."""
    graph = load_ontology_graph() if with_ontology else Graph()
    for path in expand(paths):
        if path.suffix.lower() in RDF_FORMATS:
            parse_rdf(path, graph, warn)
        elif _is_table(path):
            for chunk in table_chunks([path], base, year, warn):
                for triple in chunk:
                    graph.add(triple)
        else:
            raise InputError(str(path), None, f"unsupported file type (expected a table {supported_suffixes()} or RDF {sorted(RDF_FORMATS)})")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def write_ntriples(path: Path, target: Path, base: str = DEFAULT_BASE, year: int | None = None, warn: Warn | None = None) -> None:
    """One DATA file (a table or RDF) as N-Triples in `target`: what the store loader is given.

    A table's triples come with what the ontology entails from them (types, inverses,
    superproperties); RDF is passed on as it is (`jixiao reason --store` adds its entailments).
    """
    rdf_format = RDF_FORMATS.get(path.suffix.lower())
    if rdf_format is None:  # a table: with the entailments of each of its chunks, so a store needs no reasoning over the whole
        write_chunks(produce_chunks([path], base, year, 1, warn, entail=True), target, "nt", with_entailed=True)
    elif rdf_format in _OXIGRAPH_FORMATS:  # parsed and written by Oxigraph, far faster than rdflib
        import pyoxigraph

        try:
            quads = pyoxigraph.parse(path=str(path), format=getattr(pyoxigraph.RdfFormat, _OXIGRAPH_FORMATS[rdf_format]))
            pyoxigraph.serialize((q.triple for q in quads), output=str(target), format=pyoxigraph.RdfFormat.N_TRIPLES)
        except SyntaxError as error:
            raise InputError(str(path), error.lineno, f"not valid RDF ({rdf_format}): {one_line(error.msg)}") from error
    else:  # JSON-LD and the quad formats go through rdflib
        graph = Graph()
        parse_rdf(path, graph, warn)
        graph.serialize(target, format="nt", encoding="utf-8")


_OXIGRAPH_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "xml": "RDF_XML", "n3": "N3"}


@contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, renamed over it only if the block succeeds."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as error:  # a folder that cannot be made or written: the user's choice of place, said in one line
        raise UsageError(f"cannot write {target}: {error.strerror}") from error
    os.close(handle)
    # mkstemp makes the file 0600; the output gets the mode any new file of the user's gets.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)
    try:
        yield Path(temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def output_format_for(target: Path, chosen: str | None = None) -> str:
    """The output syntax (a key of OUTPUT_FORMATS): the one chosen, else the target's suffix's, else ttl."""
    if chosen is not None:
        return chosen
    by_suffix = {suffix: name for suffix, rdflib_name in RDF_FORMATS.items() for name, known in OUTPUT_FORMATS.items()
                 if known == rdflib_name}
    return by_suffix.get(target.suffix.lower(), DEFAULT_OUTPUT_FORMAT)


def write_graph(graph: Graph, target: Path, output_format: str) -> None:
    """Serialise `graph` to `target` atomically, with the project's prefixes (those already bound win)."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=False)
    with atomic_output(target) as temporary:
        graph.serialize(temporary, format=OUTPUT_FORMATS[output_format], encoding="utf-8")


def write_chunks(chunks: Iterable[list[Triple] | EncodedChunk], target: Path, output_format: str, base: str = DEFAULT_BASE,
                 warn: Warn | None = None, with_entailed: bool = False) -> int:
    """Write chunks to `target` atomically and return the number of triples written.

    N-Triples and Turtle stream chunk by chunk (Turtle as one block per subject, IRIs shortened
    by the project's prefixes and the base), each triple once (see `OutputDeduplicator`); JSON-LD
    is built in memory. Chunks may be the producer's encoded chunks or plain triple lists; what a
    chunk carries only as entailed is written with `with_entailed` alone.
    """
    with ChunkOutput(target, output_format, base, warn, with_entailed) as output:
        for chunk in chunks:
            output.add(chunk)
    return output.count


class ChunkOutput:
    """An RDF file written chunk by chunk (see `write_chunks`), atomically: it appears when the block ends without error.

    So one pass over the tables can feed this file and a store (`ingest -o OUT --store DIR`).
    """

    def __init__(self, target: Path, output_format: str, base: str = DEFAULT_BASE, warn: Warn | None = None, with_entailed: bool = False) -> None:
        self.target, self.output_format, self.with_entailed = target, output_format, with_entailed
        self.count = 0
        self.graph: Graph | None = Graph() if output_format not in STREAMED_FORMATS else None
        self.dedupe = OutputDeduplicator(warn)
        self.turtle = TurtleWriter(base) if output_format == "ttl" else None
        self._atomic = atomic_output(target)
        self._out: TextIO | None = None

    def __enter__(self) -> ChunkOutput:
        temporary = self._atomic.__enter__()
        if self.graph is None:
            self._out = temporary.open("w", encoding="utf-8")
            if self.turtle is not None:
                self._out.write(self.turtle.header())
        self._temporary = temporary
        return self

    def add(self, chunk: list[Triple] | EncodedChunk) -> None:
        if isinstance(chunk, EncodedChunk) and not self.with_entailed:
            chunk = chunk.as_asserted()
        if self.graph is not None:
            triples = chunk.triples if isinstance(chunk, EncodedChunk) else chunk
            self.graph.addN((s, p, o, self.graph) for s, p, o in triples)
            return
        assert self._out is not None
        statements = self.dedupe.new_statements(chunk if isinstance(chunk, EncodedChunk) else encode_chunk(chunk))
        self.count += len(statements)
        if self.turtle is not None:
            self.turtle.write(statements, self._out)
        else:
            self._out.writelines(f"{s} {p} {o} .\n" for s, p, o in statements)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: object) -> None:
        try:
            if self._out is not None:
                self._out.close()
            elif kind is None and self.graph is not None:
                for prefix, namespace in PREFIXES.items():
                    self.graph.bind(prefix, namespace, override=False)
                self.graph.serialize(self._temporary, format=OUTPUT_FORMATS[self.output_format], encoding="utf-8")
                self.count = len(self.graph)
        except BaseException as failure:
            self._atomic.__exit__(type(failure), failure, failure.__traceback__)
            raise
        self._atomic.__exit__(kind, error, trace)


def ntriples_lines(triples: Iterable[Triple]) -> list[str]:
    """N-Triples lines for IRIs and literals (the mapper makes no blank nodes), duplicates dropped.

    rdflib's `n3()` of a term with no namespace manager is its N-Triples form; writing the lines
    directly is several times faster than building a Graph per chunk and serialising it.
    """
    return list(dict.fromkeys(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples))


# ---------------------------------------------------------------------------------------------
# The parallel producer: tables read, normalised and mapped in worker processes.
# ---------------------------------------------------------------------------------------------

Statement = tuple[str, str, str]  # subject, predicate, object in N-Triples syntax
STREAMED_FORMATS = ("nt", "ttl")
_RDF_TYPE = RDF.type  # looked up once: an rdflib Namespace attribute costs microseconds each time
_TYPE = _RDF_TYPE.n3()


@dataclass
class EncodedChunk:
    """A GraphChunk whose triples are already written as N-Triples terms (cheap to pass between
    processes, and what both output syntaxes and the stores' loaders want).

    `scopes` says, for each statement, where else it may occur: 0 in this chunk only (its subject
    lies under the chunk's project), 1 in other chunks of the same document at most (the source
    rows the chunk was read from: usually no other chunk's, a header row a document's tables share),
    2 anywhere (units, programmes, units of measure shared by many tables).
    """

    key: tuple[str, ...]
    graph: str
    source: str
    statements: list[Statement]
    scopes: bytes = b""
    asserted: int | None = None  # with entailments: the first `asserted` statements are the mapper's, the rest only entailed
    closed_under: str = ""  # with entailments: the digest of the schema they were drawn from (a store's TableRecord.closed_under)
    # What the consumer's `prepare` (see produce_documents) made of the chunk in the worker process, opaque here: for
    # `ingest --store`, the digest of its lines and their grouping by subject (stores.loading.prepare_chunk).
    prepared: object = None

    def as_asserted(self) -> EncodedChunk:
        """The chunk without what is only entailed (what `-o` writes), in the order the mapper gave."""
        if self.asserted is None:
            return self
        return EncodedChunk(self.key, self.graph, self.source, self.statements[:self.asserted], self.scopes[:self.asserted])

    @property
    def lines(self) -> list[str]:
        """The chunk as N-Triples lines."""
        return [f"{s} {p} {o} .\n" for s, p, o in self.statements]

    @property
    def triples(self) -> list[Triple]:
        """The chunk as rdflib triples (parsed back: for the in-memory route only)."""
        graph = Graph()
        graph.parse(data="".join(self.lines), format="nt")
        return list(graph)  # type: ignore[arg-type]


@dataclass
class DocumentResult:
    """What one document of a table file gave: its chunks and counts, or why it could not be read."""

    source: str
    chunks: list[EncodedChunk] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    content_hash: str = ""
    projects: int = 0
    indicators: int = 0
    evaluations: int = 0  # year-end self-evaluations (a document holds these instead of projects)
    repairs: int = 0
    problem: tuple[str, int | None, str] | None = None  # an InputError's (path, line, message): exceptions do not all pickle

    @property
    def error(self) -> InputError | None:
        """Why the document could not be read, or None."""
        return InputError(*self.problem) if self.problem is not None else None


def _statement(triple: Triple) -> Statement:
    s, p, o = triple
    return s.n3(), p.n3(), o.n3()


# The characters rdflib's n3() refuses in an IRI (rdflib.term._invalid_uri_chars), searched for in one pass.
_NOT_IN_IRI = re.compile(r'[<>" {}|\\^`]')
# The datatypes whose n3() spells infinities and NaN its own way (rdflib.term._NUMERIC_INF_NAN_LITERAL_TYPES),
# and the lexical forms of theirs that can have no such spelling (plain decimal numerals).
_NUMERIC_TYPES = frozenset({XSD.float, XSD.double, XSD.decimal})
_PLAIN_NUMERAL = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def _iri_text(iri: URIRef) -> str:
    """An IRI's N-Triples form, as rdflib's `n3()` writes it (which also raises on a character N-Triples forbids)."""
    return f"<{iri}>" if _NOT_IN_IRI.search(iri) is None else iri.n3()


def _literal_text(literal: Literal) -> str:
    """A literal's N-Triples form, exactly as rdflib's `n3()` writes it (the tests compare the two),
    written here for the mapper's usual literals: one line, no language tag, and a datatype with no
    numeric spelling or a plain numeral. rdflib's own path builds the same string in several
    method calls and type checks for every one of the mapper's literals; the rest still go there."""
    datatype = literal.datatype
    if literal.language is not None or "\n" in literal or (datatype in _NUMERIC_TYPES and not _PLAIN_NUMERAL.fullmatch(literal)):
        return literal.n3()
    # rdflib's escapes, in rdflib's order (Literal._quote_encode).
    quoted = '"' + literal.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r") + '"'
    return quoted if datatype is None else f"{quoted}^^<{datatype}>"


class _TermWriter:
    """N-Triples forms of terms, each IRI's computed once: the same predicates, classes and subjects
    come back in almost every triple."""

    def __init__(self) -> None:
        self.iris: dict[str, str] = {}
        # The mapper makes each of a document's literals once (mapping.Literals) and repeats the object,
        # so a literal's text is remembered by the object's identity (kept alive here, so its id is not
        # reused): rdflib's own hashing and comparing of literals would cost more than writing them.
        self.literals: dict[int, tuple[Literal, str]] = {}

    def term(self, node: Node) -> str:
        kind = type(node)
        if kind is URIRef:
            text = self.iris.get(node)  # type: ignore[call-overload]
            if text is None:
                text = self.iris[node] = _iri_text(node)  # type: ignore[index,arg-type]
            return text
        if kind is Literal:
            known = self.literals.get(id(node))
            if known is not None and known[0] is node:
                return known[1]
            text = _literal_text(node)  # type: ignore[arg-type]
            self.literals[id(node)] = (node, text)  # type: ignore[assignment]
            return text
        return node.n3()


# Stand-ins for an assertion's subject and object while its entailments are compiled (never written).
_SUBJECT = URIRef("urn:jixiao:placeholder:subject")
_OBJECT = URIRef("urn:jixiao:placeholder:object")
_LITERAL_OBJECT = Literal("urn:jixiao:placeholder:literal")
Template = tuple[int | str, str, int | str]  # 0: the assertion's subject, 2: its object, else an N-Triples term


class _EntailmentTemplates:
    """What the ontology entails from one assertion, as N-Triples templates compiled once per predicate
    (and per class, for rdf:type), so that a triple's entailments are a lookup and string assembly.

    `reason.triple_entailments` decides what is entailed; it is asked once per kind of assertion,
    with stand-ins for subject and object: the per-triple rules (types from classes, domains and
    ranges; super-properties; inverses) depend on the predicate, the class of an rdf:type and
    whether the object is a literal, never on the subject's or object's name.
    """

    def __init__(self) -> None:
        self.schema = ontology_schema()
        self.schema_digest = schema_digest(self.schema)
        self.templates: dict[tuple[Node, Node | bool], tuple[Template, ...]] = {}

    def statements(self, triple: Triple, encoded: Statement) -> list[Statement]:
        _, predicate, obj = triple
        literal = isinstance(obj, Literal)
        typing = predicate == _RDF_TYPE
        key = (predicate, obj) if typing else (predicate, literal)
        templates = self.templates.get(key)
        if templates is None:
            stand_in = obj if typing else _LITERAL_OBJECT if literal else _OBJECT
            templates = self.templates[key] = self._compile(predicate, stand_in)
        return [(encoded[s] if type(s) is int else s, p, encoded[o] if type(o) is int else o) for s, p, o in templates]  # type: ignore[misc]

    def _compile(self, predicate: Node, stand_in: Node) -> tuple[Template, ...]:
        def part(term: Node) -> int | str:
            if term == _SUBJECT:
                return 0
            if stand_in in (_OBJECT, _LITERAL_OBJECT) and term == stand_in:
                return 2
            return term.n3()

        entailed = triple_entailments([(_SUBJECT, predicate, stand_in)], self.schema)
        return tuple((part(s), p.n3(), part(o)) for s, p, o in entailed)


@cache
def _entailment_templates() -> _EntailmentTemplates:
    return _EntailmentTemplates()


@cache
def _root_classes() -> tuple[frozenset[str], frozenset[str]]:
    """The classes (N-Triples form) of a chunk's own root (a performance object: project or plan) and of a document."""
    superclasses = ontology_schema().superclasses
    own = {cls.n3() for cls, parents in superclasses.items() if JX.PerformanceObject in parents} | {JX.PerformanceObject.n3()}
    return frozenset(own), frozenset({JX.SourceDocument.n3()})


class _DocumentEncoder:
    """Encodes one document's chunks. The mapper repeats the document's provenance (the very same
    triple objects) in every chunk: each triple is encoded, reasoned over and scoped once."""

    def __init__(self, entail: bool) -> None:
        self.entailments = _entailment_templates() if entail else None
        self.terms = _TermWriter()
        self.seen: dict[int, tuple[Triple, list[Statement], int]] = {}
        self.document_roots: tuple[str, ...] = ()
        self.previous: list[Triple] = []
        self.prefix: tuple[int, tuple[dict[Statement, int], dict[Statement, int]]] = (0, ({}, {}))

    def _common_prefix(self, triples: list[Triple]) -> int:
        """How many leading triples this chunk shares (as the same objects) with the previous one."""
        length, _ = self.prefix
        if length and len(triples) >= length and all(map(operator.is_, triples[:length], self.previous[:length])):
            return length
        return sum(1 for _ in itertools.takewhile(bool, map(operator.is_, triples, self.previous)))

    def _encode(self, triple: Triple) -> list[Statement]:
        term = self.terms.term
        s, p, o = triple
        statement = (term(s), term(p), term(o))
        if self.entailments is None:
            return [statement]
        return [statement, *self.entailments.statements(triple, statement)]

    def encode(self, chunk: GraphChunk) -> EncodedChunk:
        """The chunk's statements and scopes; the part it shares with the previous chunk is taken whole from a cache."""
        triples = chunk.triples
        shared = self._common_prefix(triples)
        if shared and shared == self.prefix[0]:
            asserted, entailed = self.prefix[1]
            encoded = self._encode_chunk(chunk, triples[shared:], dict(asserted), dict(entailed))
        else:
            if shared:
                head: tuple[dict[Statement, int], dict[Statement, int]] = ({}, {})
                self._encode_chunk(chunk, triples[:shared], *head)
                self.prefix = (shared, head)
            encoded = self._encode_chunk(chunk, triples, {}, {})
        self.previous = triples
        return encoded

    def _encode_chunk(self, chunk: GraphChunk, triples: list[Triple], asserted: dict[Statement, int],
                      entailed: dict[Statement, int]) -> EncodedChunk:
        """The chunk's statements (filling `asserted` and `entailed`, statement -> scope): the mapper's first, then what only the ontology entails."""
        fresh: list[tuple[Triple, list[Statement]]] = []
        known: list[tuple[Triple, list[Statement], int]] = []
        seen = self.seen
        for triple in triples:
            entry = seen.get(id(triple))
            if entry is not None and entry[0] is triple:
                known.append(entry)
            else:
                fresh.append((triple, self._encode(triple)))
        own = self._roots(fresh)
        document_roots = self.document_roots
        scoped: list[tuple[Triple, list[Statement], int]] = []
        for triple, encoded in fresh:
            subject = encoded[0][0]
            scope = 0 if own and subject.startswith(own) else 1 if document_roots and subject.startswith(document_roots) else 2
            entry = seen[id(triple)] = (triple, encoded, scope)
            scoped.append(entry)
        for _, encoded, scope in itertools.chain(scoped, known):
            asserted.setdefault(encoded[0], scope)
            for statement in itertools.islice(encoded, 1, None):
                entailed.setdefault(statement, scope if statement[0] == encoded[0][0] else self._scope(statement, own))
        only_entailed = {statement: scope for statement, scope in entailed.items() if statement not in asserted}
        return EncodedChunk(chunk.key, str(chunk.graph), chunk.source, [*asserted, *only_entailed],
                            bytes([*asserted.values(), *only_entailed.values()]), len(asserted) if self.entailments is not None else None,
                            self.entailments.schema_digest if self.entailments is not None else "")

    def _roots(self, fresh: list[tuple[Triple, list[Statement]]]) -> tuple[str, ...]:
        """The chunk's own roots (its project or plan, as `<IRI/` prefixes) among the newly encoded
        statements; a document's root found among them is kept for the document's later chunks.
        Roots come from asserted types only, so that scopes (and so `-o`) are the same with entailments or without."""
        own_classes, document_classes = _root_classes()
        typed = [(s, o) for s, p, o in (encoded[0] for _, encoded in fresh) if p == _TYPE]
        own = tuple(f"{s[:-1]}/" for s, o in typed if o in own_classes)
        self.document_roots += tuple(f"{s[:-1]}/" for s, o in typed if o in document_classes and f"{s[:-1]}/" not in self.document_roots)
        return own

    def _scope(self, statement: Statement, own: tuple[str, ...]) -> int:
        """The scope of an entailed statement about another resource (an inverse property's subject, a range's type)."""
        subject = statement[0]
        return 0 if own and subject.startswith(own) else 1 if self.document_roots and subject.startswith(self.document_roots) else 2


def encode_chunk(triples: list[Triple]) -> EncodedChunk:
    """Plain triples as an anonymous chunk of N-Triples statements, each once, all of shared scope."""
    statements = list(dict.fromkeys(map(_statement, triples)))
    return EncodedChunk((), "", "", statements, bytes([2]) * len(statements))


def _count(document: DocumentRecord, result: DocumentResult) -> None:
    notes = [n for p in document.projects for n in p.all_notes()]
    result.projects = len(document.projects)
    result.evaluations = len(document.evaluations)
    result.indicators = sum(len(list(p.indicators())) for p in document.projects)
    result.findings = list(findings(document))
    result.repairs = len(notes) - sum(n.finding for n in notes)


Prepare = Callable[[EncodedChunk], EncodedChunk]


def produce_file(path: Path, base: str = DEFAULT_BASE, year: int | None = None, entail: bool = False,
                 prepare: Prepare | None = None) -> list[DocumentResult]:
    """Every document of one table file, read, normalised, mapped and encoded (what a worker does).

    With `entail`, each chunk carries the triples the ontology entails from it (jixiao.graph.reason:
    types, superproperties, inverses), so a store holds them without reasoning over the whole.
    With `prepare`, each chunk is what it makes of the encoded chunk (see produce_documents).
    """
    results = []
    for found in read_documents(path):
        result = DocumentResult(found.path)
        try:
            if isinstance(found, InputError):
                raise found
            document = normalize(found, year)
        except InputError as error:
            result.problem = (error.path, error.line, error.message)
        else:
            _count(document, result)
            result.content_hash = document.content_hash
            encoder = _DocumentEncoder(entail)
            result.chunks = [encoder.encode(chunk) for chunk in document_chunks(document, base)]
            if prepare is not None:
                result.chunks = [prepare(chunk) for chunk in result.chunks]
        results.append(result)
    return results


def default_jobs() -> int:
    """All the cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def produce_documents(paths: Iterable[Path], base: str = DEFAULT_BASE, year: int | None = None, jobs: int | None = None,
                      entail: bool = False, prepare: Prepare | None = None) -> Iterator[DocumentResult]:
    """Each table file's documents (see `produce_file`), in the order of `paths`, made by `jobs` worker processes.

    At most a few files per worker are in flight, so memory stays bounded however many files
    there are; with one job (or one file) everything runs in this process. `prepare`, a module-level
    function (it goes to the workers by name), is run on each chunk in the worker: what the consumer
    can make of a chunk alone is made there, beside the other workers, not in the one consuming process.
    """
    files = list(paths)
    jobs = min(jobs or default_jobs(), len(files))
    if jobs <= 1:
        for path in files:
            yield from produce_file(path, base, year, entail, prepare)
        return
    window = jobs * 3
    pool = _started_pool(jobs)
    try:
        pending: deque[AsyncResult[list[DocumentResult]]] = deque()
        queue = iter(files)
        for path in itertools.islice(queue, window):
            pending.append(pool.apply_async(produce_file, (path, base, year, entail, prepare)))
        while pending:
            results = pending.popleft().get()
            nxt = next(queue, None)
            if nxt is not None:
                pending.append(pool.apply_async(produce_file, (nxt, base, year, entail, prepare)))
            yield from results
        pool.close()
    except BaseException:
        # Ctrl-C, an error, or a consumer that stopped early: the workers are stopped at once, not
        # waited for (waiting on a pool interrupted mid-task can hang).
        pool.terminate()
        raise
    finally:
        pool.join()


def _started_pool(jobs: int) -> multiprocessing.pool.Pool:
    """A pool whose every worker has started, with Ctrl-C held back until then: a worker stopped while
    it starts prints a traceback of its own (its parent's semaphores are gone)."""
    context = _worker_context()
    ready = context.Barrier(jobs + 1)
    with _interrupts_held() as interrupted:
        pool = context.Pool(jobs, initializer=_worker_started, initargs=(ready,))
        ready.wait(timeout=120)
    if interrupted:
        pool.terminate()
        pool.join()
        raise KeyboardInterrupt
    return pool


@contextmanager
def _interrupts_held() -> Iterator[list[int]]:
    """Ctrl-C held back for the block, then reported (the list is non-empty if one came).

    Blocking SIGINT in this thread is not enough: the kernel then gives it to another thread of the
    process (a store's RocksDB threads, a bulk load), and Python still raises it here at once, in
    the middle of starting the pool, whose workers would wait for a start that never comes, holding
    the caller's stderr open. So the handler only remembers it, where this is the main thread.
    """
    interrupted: list[int] = []
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: interrupted.append(signum)) if main else None
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield interrupted
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        if main:
            signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)


def _worker_started(ready: threading.Barrier) -> None:
    """Workers leave Ctrl-C to the caller, which stops them (a worker interrupted mid-task would hang the pool)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    ready.wait(timeout=120)


def _worker_context() -> multiprocessing.context.BaseContext:
    """Workers forked from a fork server, never from this process: a forked worker would inherit the
    caller's open descriptors — a store's writer lock (flock) among them — and, outliving a killed
    caller, keep the store locked. The server imports the pipeline once, so workers start warm."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["jixiao.graph.build"])
    return context


def produce_chunks(paths: Iterable[Path], base: str = DEFAULT_BASE, year: int | None = None, jobs: int | None = None,
                   warn: Warn | None = None, entail: bool = False) -> Iterator[EncodedChunk]:
    """The chunks of every table file in order (an unreadable document raises); findings go to `warn`."""
    for result in produce_documents(paths, base, year, jobs, entail):
        if result.error is not None:
            raise result.error
        if warn is not None:
            for message in result.findings:
                warn(message)
        yield from result.chunks


class OutputDeduplicator:
    """Keeps an output to each triple once and each declared table once, in bounded memory.

    A statement under a chunk's own project is unique to that chunk; one under its document
    (rows, the document's notes) is checked against the other chunks of the same document only;
    only the few statements about shared entities (units, programmes, units of measure) are
    remembered for the whole output. A table declared again (same kind, unit, project and year)
    in another file is left out, and a finding says which file is kept.
    """

    def __init__(self, warn: Warn | None = None) -> None:
        self.warn = warn
        self.keys: dict[tuple[str, ...], str] = {}
        self.document_source = ""
        self.document_seen: set[Statement] = set()
        self.shared_seen: set[int] = set()

    def new_statements(self, chunk: EncodedChunk) -> list[Statement]:
        if chunk.key:
            kept = self.keys.setdefault(chunk.key, chunk.source)
            if kept != chunk.source:
                if self.warn is not None:
                    self.warn(f"{chunk.source}: duplicate declaration {' / '.join(k for k in chunk.key if k)}: already read from "
                              f"{kept}, which is kept / 重复申报（同一单位、项目、年度），保留 {kept}")
                return []
        if chunk.source != self.document_source:
            self.document_source, self.document_seen = chunk.source, set()
        scopes = chunk.scopes or bytes([2]) * len(chunk.statements)
        fresh: list[Statement] = []
        for statement, scope in zip(chunk.statements, scopes, strict=True):
            if scope == 1:
                if statement in self.document_seen:
                    continue
                self.document_seen.add(statement)
            elif scope == 2:
                digest = hash(statement)
                if digest in self.shared_seen:
                    continue
                self.shared_seen.add(digest)
            fresh.append(statement)
        return fresh


class TurtleWriter:
    """Streams statements as Turtle: one block per subject, IRIs shortened by prefix or the base.

    Every N-Triples term is a valid Turtle term, so a term is shortened only when the short form
    is certainly valid, and written as it is otherwise.
    """

    _LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
    _RELATIVE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_/-]*")

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        namespaces = {**PREFIXES, "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD)}
        self.prefixes = sorted(namespaces.items(), key=lambda item: -len(item[1]))
        self.base = base if base.endswith("/") else None
        self.cache: dict[str, str] = {}

    def header(self) -> str:
        lines = [f"@prefix {name}: <{iri}> ." for name, iri in sorted(self.prefixes)]
        if self.base is not None:
            lines.insert(0, f"@base <{self.base}> .")
        return "\n".join(lines) + "\n\n"

    def _iri(self, iri: str) -> str:
        for name, namespace in self.prefixes:
            if iri.startswith(namespace) and self._LOCAL.fullmatch(iri[len(namespace):]):
                return f"{name}:{iri[len(namespace):]}"
        if self.base is not None and iri.startswith(self.base) and self._RELATIVE.fullmatch(iri[len(self.base):]):
            return f"<{iri[len(self.base):]}>"
        return f"<{iri}>"

    def term(self, text: str) -> str:
        short = self.cache.get(text)
        if short is None:
            if text.startswith("<"):
                short = self._iri(text[1:-1])
            elif text.endswith(">") and "^^<" in text:
                lexical, _, datatype = text.rpartition("^^<")
                short = f"{lexical}^^{self._iri(datatype[:-1])}"
            else:
                short = text
            if len(self.cache) < 100_000:
                self.cache[text] = short
        return short

    def write(self, statements: list[Statement], out: TextIO) -> None:
        by_subject: dict[str, list[str]] = {}
        for s, p, o in statements:
            verb = "a" if p == _TYPE else self.term(p)
            by_subject.setdefault(s, []).append(f"{verb} {self.term(o)}")
        for subject, pairs in by_subject.items():
            out.write(f"{self.term(subject)} " + " ;\n    ".join(pairs) + " .\n")
