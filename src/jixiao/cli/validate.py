"""`jixiao validate DATA ... [--format text|json|ttl]`: check graphs or tables with the SHACL shapes;
`jixiao validate --store DIR` (or `--endpoint URL`): check what a store holds, inside the store.

DATA are validated project by project with pyshacl (jixiao.validation.run); a store is validated
over all its projects at once by the shapes translated to SPARQL and answered by the store itself
(jixiao.validation.sparql), with the same report.

Exit status: 0 when there is no Violation (Warnings and Infos do not fail a table), 1 when there is
one, 2 for bad input or usage (the message names the file, and the line where there is one).
"""

from __future__ import annotations

from pathlib import Path

import click

from jixiao.cli.backends import open_endpoint, open_store
from jixiao.cli.shared import Command, allow_basic_option, base_option, data_files, format_option, year_option
from jixiao.errors import UsageError
from jixiao.validation import RENDERERS, Report, render, validate_paths
from jixiao.validation.sparql import validate_store

EXIT_CONFORMS, EXIT_VIOLATIONS = 0, 1


@click.command(cls=Command)
@click.argument("data", nargs=-1)
@format_option(RENDERERS, "text", "text: grouped by project, Chinese with English; json: {conforms, results}; ttl: the SHACL report.")
@base_option
@year_option
@click.option("--jobs", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Validate DATA's projects in this many processes (projects are validated one by one either way).")
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Validate what this embedded Oxigraph store holds, inside the store.")
@click.option("--endpoint", default=None, help="Validate what this SPARQL 1.1 endpoint holds, inside the server.")
@click.option("--user", default=None, help="User for the endpoint.")
@click.option("--password", default=None, envvar="JIXIAO_PASSWORD", help="Password (or env JIXIAO_PASSWORD).")
@allow_basic_option
@click.pass_context
def validate(ctx: click.Context, data: tuple[str, ...], output_format: str, base: str, year: int | None, jobs: int,
             store_dir: Path | None, endpoint: str | None, user: str | None, password: str | None, allow_basic_over_http: bool) -> None:
    """Validate DATA (RDF files, tables, or directories of tables), or a store, against the shapes in shapes/.

    A directory contributes its table files only: RDF found in it (an earlier output) is not read back.
    Exit 0 when nothing is a Violation, 1 when something is, 2 for bad input or usage.
    """
    if sum(bool(x) for x in (data, store_dir, endpoint)) != 1:
        raise UsageError("give exactly one of: DATA files, --store DIR, --endpoint URL")
    report = _validate_store(store_dir, endpoint, user, password, allow_basic_over_http) if not data else _validate_data(data, base, year, jobs)
    click.echo(render(report, output_format), nl=False)
    ctx.exit(EXIT_CONFORMS if report.conforms else EXIT_VIOLATIONS)


def _validate_data(data: tuple[str, ...], base: str, year: int | None, jobs: int) -> Report:
    return validate_paths(data_files(data), base, year, workers=jobs)


def _validate_store(store_dir: Path | None, endpoint: str | None, user: str | None, password: str | None,
                    allow_basic_over_http: bool) -> Report:
    backend = open_store(store_dir, read_only=True) if store_dir is not None else \
        open_endpoint(endpoint or "", user, password, allow_basic_over_http=allow_basic_over_http)
    try:
        return validate_store(backend)
    finally:
        backend.close()
