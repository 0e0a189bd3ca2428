"""The `jixiao` command: each sub-command wires pipeline steps together, nothing more."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from jixiao import __version__
from jixiao.errors import InputError, JixiaoError, UsageError
from jixiao.graph.build import OUTPUT_FORMATS, expand, load_graph, stderr_warn, table_chunks, write_chunks
from jixiao.namespaces import DEFAULT_BASE
from jixiao.queries.formats import WRITERS
from jixiao.queries.library import listing, load_query, run
from jixiao.stores import open_backend

F = TypeVar("F", bound=Callable[..., Any])
EXIT_BAD_INPUT = 2


def reports_errors(function: F) -> F:
    """Turn jixiao's own errors into a one-line message and exit code 2, never a traceback."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except (InputError, UsageError, JixiaoError) as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(EXIT_BAD_INPUT)

    return wrapper  # type: ignore[return-value]


def progress(items: list[Path], label: str) -> Iterable[Path]:
    """Show a progress bar on a terminal when there is more than one file; stay quiet otherwise."""
    if len(items) < 2 or not sys.stderr.isatty():
        return items
    from rich.console import Console
    from rich.progress import track

    return track(items, description=label, console=Console(stderr=True), transient=True)


def _params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for value in values:
        name, equals, text = value.partition("=")
        if not equals or not name:
            raise UsageError(f"--param expects NAME=VALUE, got {value!r}")
        params[name.strip()] = text
    return params


@click.group()
@click.version_option(__version__, prog_name="jixiao")
def main() -> None:
    """jixiao — 预算绩效目标知识图谱 / a knowledge graph of budget performance targets."""


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), help="Output RDF file.")
@click.option("--format", "output_format", type=click.Choice(sorted(OUTPUT_FORMATS)), default=None,
              help="Output syntax (default: from the output's suffix, else ttl).")
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI of the data's IRIs.")
@click.option("--year", type=click.IntRange(1949, 2200), default=None, help="Fiscal year of the tables (预算年度).")
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also add the data to this embedded Oxigraph store (one named graph per file; re-ingesting replaces it).")
@reports_errors
def ingest(inputs: tuple[str, ...], output: Path | None, output_format: str | None, base: str, year: int | None,
           store_dir: Path | None) -> None:
    """Read performance-target tables (FILE|DIR ...) into an RDF graph."""
    if output is None and store_dir is None:
        raise UsageError("give -o OUT, --store DIR, or both")
    files = expand(inputs)
    if not files:
        raise UsageError("no table files found in the inputs")
    if output is not None:
        fmt = output_format or {".nt": "nt", ".jsonld": "jsonld", ".json": "jsonld"}.get(output.suffix.lower(), "ttl")
        count = write_chunks(table_chunks(progress(files, "ingest"), base, year, warn=stderr_warn), output, fmt)
        click.echo(f"{len(files)} file(s) → {output} ({count} triples, {fmt})", err=True)
    if store_dir is not None:
        _load_into(open_store(store_dir), [str(f) for f in files], base, year, graph=None, quiet_findings=output is not None)


def open_store(store_dir: Path) -> Any:
    return open_backend(store=store_dir)


def _load_into(backend: Any, inputs: list[str], base: str, year: int | None, graph: str | None,
               quiet_findings: bool = False) -> None:
    from functools import partial

    from jixiao.graph.build import write_ntriples
    from jixiao.stores.loading import load_sources

    warn = None if quiet_findings else stderr_warn
    try:
        loaded = load_sources(backend, expand(inputs), partial(write_ntriples, base=base, year=year, warn=warn), base, graph,
                              progress=lambda files: list(progress(files, "load")))
    finally:
        backend.close()
    for item in loaded:
        click.echo(f"{item.source} → <{item.graph}> ({item.triples} triples)", err=True)


@main.command()
@click.argument("name", required=False)
@click.argument("data", nargs=-1)
@click.option("--endpoint", default=None, help="Query a SPARQL endpoint instead of local DATA.")
@click.option("--param", "params", multiple=True, help="Query parameter NAME=VALUE (repeatable).")
@click.option("--format", "output_format", type=click.Choice(sorted(WRITERS)), default="table", show_default=True)
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and exit.")
@click.option("--base", default=DEFAULT_BASE, help="Base IRI for tables ingested on the fly.")
@click.option("--year", type=int, default=None, help="Fiscal year for tables ingested on the fly.")
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Query this embedded Oxigraph store (made by ingest --store).")
@click.option("--user", default=None, help="User for the endpoint.")
@click.option("--password", default=None, envvar="JIXIAO_PASSWORD", help="Password (or env JIXIAO_PASSWORD).")
@reports_errors
def query(name: str | None, data: tuple[str, ...], endpoint: str | None, params: tuple[str, ...],
          output_format: str, list_queries: bool, base: str, year: int | None, store_dir: Path | None,
          user: str | None, password: str | None) -> None:
    """Run a named query (or a .rq file) over DATA or an endpoint."""
    if list_queries or name is None:
        click.echo(listing())
        return
    named = load_query(name)
    raw_params = _params(params)
    backend = _query_backend(data, endpoint, store_dir, base, year, user, password, named.needs_reasoning)
    try:
        WRITERS[output_format](run(named, backend, raw_params), sys.stdout)
    finally:
        backend.close()


def _query_backend(data: tuple[str, ...], endpoint: str | None, store_dir: Path | None, base: str, year: int | None,
                   user: str | None, password: str | None, needs_reasoning: bool = False) -> Any:
    """Where a query runs: a remote endpoint, an embedded store, or DATA read into memory.

    A query that relies on entailments gets them materialised in memory first; stores hold
    what was loaded, so for them run `jixiao reason` before loading.
    """
    if sum(bool(x) for x in (data, endpoint, store_dir)) != 1:
        raise UsageError("give exactly one of: DATA files, --endpoint URL, --store DIR")
    if endpoint:
        return open_backend(endpoint=endpoint, user=user, password=password)
    if store_dir is not None:
        if not store_dir.is_dir():
            raise UsageError(f"no store at {store_dir} (create it with: jixiao ingest FILES --store {store_dir})")
        return open_backend(store=store_dir, read_only=True)
    graph = load_graph(data, base, year)
    if needs_reasoning:
        from jixiao.graph.reason import materialise

        materialise(graph)
    return open_backend(graph=graph)


@main.command()
@click.argument("data", nargs=-1, required=True)
@click.option("--endpoint", required=True, help="SPARQL 1.1 endpoint (query URL; update and Graph Store URLs are derived).")
@click.option("--graph", "graph", default=None, help="Put all DATA into this named graph (default: one graph per file).")
@click.option("--user", default=None, help="User for the endpoint's update/Graph Store access.")
@click.option("--password", default=None, envvar="JIXIAO_PASSWORD", help="Password (or env JIXIAO_PASSWORD).")
@click.option("--update-url", default=None, help="SPARQL Update URL, when it cannot be derived from --endpoint.")
@click.option("--gsp-url", default=None, help="Graph Store Protocol URL, when it cannot be derived from --endpoint.")
@click.option("--base", default=DEFAULT_BASE, help="Base IRI for tables ingested on the fly.")
@click.option("--year", type=int, default=None, help="Fiscal year for tables ingested on the fly.")
@reports_errors
def load(data: tuple[str, ...], endpoint: str, graph: str | None, user: str | None, password: str | None,
         update_url: str | None, gsp_url: str | None, base: str, year: int | None) -> None:
    """Push DATA to a SPARQL 1.1 store, replacing each target graph as a whole."""
    backend = open_backend(endpoint=endpoint, update_url=update_url, gsp_url=gsp_url, user=user, password=password)
    _load_into(backend, list(data), base, year, graph)


def _register_commands() -> None:
    """Commands that live in modules of their own, registered rather than special-cased."""
    from jixiao.cli.reason import reason
    from jixiao.cli.validate import validate

    main.add_command(validate)
    main.add_command(reason)


_register_commands()
