"""`jixiao load DATA ... --endpoint URL`: put DATA into a SPARQL 1.1 store in one write, each declared table replacing its graph.

Tables go to the graphs their declarations give (as `ingest --store`); an RDF file goes to a graph
named by its content; `--graph IRI` puts all DATA into that one graph. Everything is staged on the
server where queries do not see it and switched in by one SPARQL Update; any unreadable file
leaves the server's data as they were.
"""

from __future__ import annotations

import hashlib
import os
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import click
from rdflib import Graph, URIRef

from jixiao.cli.backends import open_endpoint
from jixiao.cli.shared import Command, allow_basic_option, base_option, stderr_warn, year_option
from jixiao.errors import JixiaoError, UsageError
from jixiao.graph import expand
from jixiao.graph.build import RDF_FORMATS, findings, ingest_documents, parse_rdf
from jixiao.graph.mapping import GraphChunk, Triple, document_chunks
from jixiao.stores import LoadReport, QueryBackend, rdf_graph_iri, store_chunks
from jixiao.stores.base import OutcomeUnknown
from jixiao.stores.remote.bulk import DEFAULT_SQL_PORT, PASSWORD_ENV, BulkLoad


class Unreadable(JixiaoError):
    """Files that could not be read: the write is given up so that the store stays as it was."""

    def __init__(self, sources: list[str]) -> None:
        super().__init__(f"{len(sources)} file(s) could not be read: {', '.join(sources)}; nothing was stored, the store is as it was")
        self.sources = sources


def data_chunks(files: list[Path], base: str, year: int | None, hashes: dict[str, str], graph: str | None = None) -> Iterator[GraphChunk]:
    """The chunks of DATA files: tables by their declarations, RDF files by their content (or all in `graph`).

    The first unreadable file raises (InputError names it): the caller's write is then discarded.
    """
    if graph is not None:
        everything: list[Triple] = []
        for chunk in data_chunks(files, base, year, hashes):
            everything += chunk.triples
        yield GraphChunk(("graph", graph), URIRef(graph), everything, f"{len(files)} file(s)")
        return
    for path in files:
        if path.suffix.lower() in RDF_FORMATS:
            content = hashlib.sha256(path.read_bytes()).hexdigest()
            parsed = Graph()
            parse_rdf(path, parsed, stderr_warn)
            hashes[str(path)] = content
            yield GraphChunk(("rdf", content), URIRef(rdf_graph_iri(content, base)), list(parsed), str(path))  # type: ignore[arg-type]
            continue
        for document in ingest_documents(path, year):
            for message in findings(document):
                stderr_warn(message)
            hashes[document.path] = document.content_hash
            yield from document_chunks(document, base)


def report_stored(report: LoadReport, where: str | Path, quiet: bool = False) -> None:
    """What a write changed, on stderr: a line per table (unless quiet) and the total."""
    for graph, count in () if quiet else report.summary.replaced.items():
        record = report.summary.records.get(graph)
        click.echo(f"{record.describe() if record else graph} → <{graph}> ({count} triples)", err=True)
    click.echo(f"stored {report.tables} table(s) in {where}" + (f", {len(report.duplicates)} declared twice (the later kept)" if report.duplicates else ""),
               err=True)


def load_into(backend: QueryBackend, inputs: list[str], base: str, year: int | None, graph: str | None, where: str) -> None:
    """Load the inputs into the backend in one write and close it."""
    hashes: dict[str, str] = {}
    try:
        report = store_chunks(backend, data_chunks(expand(inputs), base, year, hashes, graph), content_hashes=hashes,
                              on_duplicate=lambda d: stderr_warn(d.message()))
    except OutcomeUnknown:
        raise  # sent but unanswered: the store may yet change, so never "nothing was stored"
    except JixiaoError as error:
        raise _nothing_stored(error, where) from error
    finally:
        backend.close()
    report_stored(report, where)


def _nothing_stored(error: JixiaoError, where: str) -> JixiaoError:
    return JixiaoError(f"{error}; nothing was stored, {where} is as it was")


@click.command(cls=Command)
@click.argument("data", nargs=-1, required=True)
@click.option("--endpoint", required=True, help="SPARQL 1.1 endpoint (query URL; update and Graph Store URLs are derived).")
@click.option("--graph", "graph", default=None, help="Put all DATA into this named graph (default: one graph per declared table).")
@click.option("--user", default=None, help="User for the endpoint's update/Graph Store access.")
@click.option("--password", default=None, envvar="JIXIAO_PASSWORD", help="Password (or env JIXIAO_PASSWORD).")
@click.option("--update-url", default=None, help="SPARQL Update URL, when it cannot be derived from --endpoint.")
@click.option("--gsp-url", default=None, help="Graph Store Protocol URL, when it cannot be derived from --endpoint.")
@click.option("--bulk-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Virtuoso: stage the tables as N-Quads files in this folder, which the server may read (DirsAllowed), and load them "
                   "with its bulk loader (ld_dir); the SQL password comes from env JIXIAO_SQL_PASSWORD.")
@click.option("--bulk-server-dir", default=None, help="The --bulk-dir folder as the Virtuoso server names it, when mounted at another path there.")
@click.option("--sql", "sql_address", default=None, help="With --bulk-dir: Virtuoso's SQL port (isql's), HOST:PORT (default: the endpoint's host, port 1111).")
@click.option("--sql-user", default="dba", show_default=True, help="With --bulk-dir: the SQL account that may run ld_dir.")
@allow_basic_option
@base_option
@year_option
def load(data: tuple[str, ...], endpoint: str, graph: str | None, user: str | None, password: str | None,
         update_url: str | None, gsp_url: str | None, bulk_dir: Path | None, bulk_server_dir: str | None, sql_address: str | None, sql_user: str,
         allow_basic_over_http: bool, base: str, year: int | None) -> None:
    """Put DATA into a SPARQL 1.1 store in one write, each table replacing its graph."""
    bulk = bulk_settings(endpoint, bulk_dir, bulk_server_dir, sql_address, sql_user) if bulk_dir is not None else None
    backend = open_endpoint(endpoint, user, password, update_url, gsp_url, allow_basic_over_http=allow_basic_over_http,
                            **({"bulk_load": bulk} if bulk else {}))
    load_into(backend, list(data), base, year, graph, endpoint)


def bulk_settings(endpoint: str, directory: Path, server_directory: str | None, sql_address: str | None, sql_user: str) -> BulkLoad:
    """Where Virtuoso's bulk loader reads and how to reach its SQL port; the password only from the environment (not seen in `ps`)."""
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        raise UsageError(f"--bulk-dir needs the password of the SQL account {sql_user} in the environment variable {PASSWORD_ENV}")
    host = urllib.parse.urlsplit(endpoint).hostname or "localhost"
    return BulkLoad(directory, sql_address or f"{host}:{DEFAULT_SQL_PORT}", sql_user, password, server_directory)
