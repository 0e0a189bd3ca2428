"""`jixiao load DATA ... --endpoint URL`: push DATA to a SPARQL 1.1 store, replacing each graph whole."""

from __future__ import annotations

from functools import partial

import click

from jixiao.cli.backends import open_endpoint
from jixiao.cli.shared import Command, allow_basic_option, base_option, progress, stderr_warn, year_option
from jixiao.graph import expand, write_ntriples
from jixiao.stores import QueryBackend, load_sources


def load_into(backend: QueryBackend, inputs: list[str], base: str, year: int | None, graph: str | None,
              quiet_findings: bool = False) -> None:
    """Load the inputs into the backend (one named graph per file, or all into `graph`) and close it."""
    warn = None if quiet_findings else stderr_warn
    try:
        loaded = load_sources(backend, expand(inputs), partial(write_ntriples, base=base, year=year, warn=warn), base, graph,
                              progress=lambda files: list(progress(files, "load")))
    finally:
        backend.close()
    for item in loaded:
        click.echo(f"{item.source} → <{item.graph}> ({item.triples} triples)", err=True)


@click.command(cls=Command)
@click.argument("data", nargs=-1, required=True)
@click.option("--endpoint", required=True, help="SPARQL 1.1 endpoint (query URL; update and Graph Store URLs are derived).")
@click.option("--graph", "graph", default=None, help="Put all DATA into this named graph (default: one graph per file).")
@click.option("--user", default=None, help="User for the endpoint's update/Graph Store access.")
@click.option("--password", default=None, envvar="JIXIAO_PASSWORD", help="Password (or env JIXIAO_PASSWORD).")
@click.option("--update-url", default=None, help="SPARQL Update URL, when it cannot be derived from --endpoint.")
@click.option("--gsp-url", default=None, help="Graph Store Protocol URL, when it cannot be derived from --endpoint.")
@allow_basic_option
@base_option
@year_option
def load(data: tuple[str, ...], endpoint: str, graph: str | None, user: str | None, password: str | None,
         update_url: str | None, gsp_url: str | None, allow_basic_over_http: bool, base: str, year: int | None) -> None:
    """Push DATA to a SPARQL 1.1 store, replacing each target graph as a whole."""
    backend = open_endpoint(endpoint, user, password, update_url, gsp_url, allow_basic_over_http=allow_basic_over_http)
    load_into(backend, list(data), base, year, graph)

