"""Wire read → normalize → map for files and directories, and write outputs atomically.

DATA arguments of every command are RDF files, table files (ingested on the fly) or
directories of either; this module turns them into an rdflib graph or into N-Triples chunks.
Every file jixiao writes goes through `atomic_output`: it appears whole or not at all.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Graph

from jixiao.errors import InputError
from jixiao.graph.mapping import Triple, document_triples
from jixiao.namespaces import DEFAULT_BASE, PREFIXES
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


def parse_rdf(path: Path, graph: Graph) -> None:
    try:
        graph.parse(path, format=RDF_FORMATS[path.suffix.lower()])
    # rdflib's parsers raise many kinds of exception on broken input (IndexError on a cut-off
    # triple, AssertionError on an unterminated string): any of them means "not valid RDF".
    except Exception as error:
        raise InputError(str(path), None, f"not valid RDF ({RDF_FORMATS[path.suffix.lower()]}): {one_line(str(error))}") from error


def one_line(text: str, limit: int = 300) -> str:
    """A parser's message fit for one line of a terminal: it may quote the file, so control characters are escaped and it is cut short."""
    escaped = "".join(c if c.isprintable() or c == " " else ascii(c)[1:-1] for c in text)
    return escaped if len(escaped) <= limit else escaped[:limit] + "…"


def load_graph(paths: Iterable[str | Path], base: str = DEFAULT_BASE, year: int | None = None,
               with_ontology: bool = True, warn: Warn | None = None) -> Graph:
    """One graph of all DATA (RDF parsed, tables ingested), with the ontology unless told not to."""
    graph = load_ontology_graph() if with_ontology else Graph()
    for path in expand(paths):
        if path.suffix.lower() in RDF_FORMATS:
            parse_rdf(path, graph)
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
    """One DATA file (a table or RDF) as N-Triples in `target`: what the store loader is given."""
    rdf_format = RDF_FORMATS.get(path.suffix.lower())
    if rdf_format is None:
        write_chunks(table_chunks([path], base, year, warn), target, "nt")
    elif rdf_format in _OXIGRAPH_FORMATS:  # parsed and written by Oxigraph, far faster than rdflib
        import pyoxigraph

        try:
            quads = pyoxigraph.parse(path=str(path), format=getattr(pyoxigraph.RdfFormat, _OXIGRAPH_FORMATS[rdf_format]))
            pyoxigraph.serialize((q.triple for q in quads), output=str(target), format=pyoxigraph.RdfFormat.N_TRIPLES)
        except SyntaxError as error:
            raise InputError(str(path), error.lineno, f"not valid RDF ({rdf_format}): {one_line(error.msg)}") from error
    else:  # JSON-LD and the quad formats go through rdflib
        graph = Graph()
        parse_rdf(path, graph)
        graph.serialize(target, format="nt", encoding="utf-8")


_OXIGRAPH_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "xml": "RDF_XML", "n3": "N3"}


@contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, renamed over it only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
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


def write_chunks(chunks: Iterable[list[Triple]], target: Path, output_format: str) -> int:
    """Write triples to `target` atomically; N-Triples stream, other formats are built in memory."""
    if output_format != "nt":
        graph = Graph()
        for chunk in chunks:
            graph.addN((s, p, o, graph) for s, p, o in chunk)
        write_graph(graph, target, output_format)
        return len(graph)
    count = 0
    with atomic_output(target) as temporary, temporary.open("w", encoding="utf-8") as out:
        for chunk in chunks:
            lines = ntriples_lines(chunk)
            out.writelines(lines)
            count += len(lines)
    return count


def ntriples_lines(triples: Iterable[Triple]) -> list[str]:
    """N-Triples lines for IRIs and literals (the mapper makes no blank nodes), duplicates dropped.

    rdflib's `n3()` of a term with no namespace manager is its N-Triples form; writing the lines
    directly is several times faster than building a Graph per chunk and serialising it.
    """
    return list(dict.fromkeys(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples))
