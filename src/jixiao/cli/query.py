"""`jixiao query NAME|FILE.rq DATA ...`: a named query over DATA, an embedded store or an endpoint."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import click

from jixiao.cli.backends import query_backend
from jixiao.cli.shared import Command, allow_basic_option, base_option, format_option, year_option
from jixiao.errors import UsageError
from jixiao.queries import FORMATS, bind, listing, load_query, page, run, write, write_boolean, write_triples
from jixiao.queries.guard import query_form
from jixiao.stores.base import SelectResult, TermRows


def parse_params(values: tuple[str, ...]) -> dict[str, str]:
    """`--param NAME=VALUE` options as a mapping (the values are bound as RDF terms later)."""
    params: dict[str, str] = {}
    for value in values:
        name, equals, text = value.partition("=")
        if not equals or not name:
            raise UsageError(f"--param expects NAME=VALUE, got {value!r}")
        params[name.strip()] = text
    return params


@click.command(cls=Command)
@click.argument("name", required=False)
@click.argument("data", nargs=-1)
@click.option("--endpoint", default=None, help="Query a SPARQL endpoint instead of local DATA.")
@click.option("--param", "params", multiple=True, help="Query parameter NAME=VALUE (repeatable).")
@format_option(FORMATS, "table", "Output: an aligned table, CSV (UTF-8 with BOM) or JSON.")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and exit.")
@base_option
@year_option
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Query this embedded Oxigraph store (made by ingest --store).")
@click.option("--user", default=None, help="User for the endpoint.")
@click.option("--password", default=None, envvar="JIXIAO_PASSWORD", help="Password (or env JIXIAO_PASSWORD).")
@click.option("--allow-service", is_flag=True, help="Let the query's SERVICE clauses fetch data from other hosts.")
@allow_basic_option
@click.option("--limit", type=click.IntRange(0), default=None, help="Write at most this many rows (after --offset).")
@click.option("--offset", type=click.IntRange(0), default=0, help="Skip this many rows first.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the answer to this file instead of stdout: whole, or (when the query fails midway) not at all.")
def query(name: str | None, data: tuple[str, ...], endpoint: str | None, params: tuple[str, ...],
          output_format: str, list_queries: bool, base: str, year: int | None, store_dir: Path | None,
          user: str | None, password: str | None, allow_service: bool, allow_basic_over_http: bool,
          limit: int | None, offset: int, output: Path | None) -> None:
    """Run a named query (or a .rq file) over DATA or an endpoint: SELECT rows in --format; ASK as
    true or false; CONSTRUCT as Turtle (--format table) or N-Triples (csv, json). Updates are refused."""
    if list_queries or name is None:
        click.echo(listing())
        return
    named = load_query(name)
    form = query_form(named.text, allow_service=allow_service)  # refused before any data is read
    if form != "select" and (limit is not None or offset):
        raise UsageError(f"--limit and --offset page the rows of a SELECT query, and this is {form.upper()}: an ASK answers one "
                         "boolean, a CONSTRUCT's triples come in no order (write LIMIT, OFFSET and ORDER BY into its text)")
    raw_params = parse_params(params)
    bind(named, raw_params)
    backend = query_backend(data, endpoint, store_dir, base, year, user, password, named.needs_reasoning,
                            allow_basic_over_http=allow_basic_over_http)
    try:
        # The rows are only written out: the embedded store and servers answer in their own terms (no rdflib term built).
        answer = run(named, backend, raw_params, allow_service=allow_service, own_terms=True)
        with destination(output) as out:
            if isinstance(answer, bool):
                write_boolean(answer, out)
            elif isinstance(answer, SelectResult | TermRows):
                # --offset/--limit cut the solution sequence as it is read (never the query text): a page stops reading where it ends.
                write(output_format, page(answer, offset, limit), out)
            else:
                write_triples(answer, out, turtle=output_format == "table")
    finally:
        backend.close()


@contextmanager
def destination(output: Path | None) -> Iterator[TextIO]:
    """Where the answer goes: stdout (streamed; a failure midway leaves the rows written so far, docs/queries.md),
    or a temporary file beside `output` renamed over it only when the whole answer was written."""
    if output is None:
        yield sys.stdout
        return
    from jixiao.graph.build import atomic_output  # imported here: the reader behind it is not needed for stdout

    with atomic_output(output) as temporary, temporary.open("w", encoding="utf-8", newline="") as out:
        yield out
