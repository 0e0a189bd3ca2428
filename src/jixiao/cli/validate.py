"""`jixiao validate DATA ... [--format text|json|ttl]`: check graphs or tables with the SHACL shapes.

Exit status: 0 when there is no Violation (Warnings and Infos do not fail a table), 1 when there is
one, 2 for bad input or usage (the message names the file, and the line where there is one).
"""

from __future__ import annotations

import click

from jixiao.cli.shared import Command, base_option, format_option, year_option
from jixiao.errors import UsageError
from jixiao.graph import expand
from jixiao.validation import RENDERERS, render, validate_paths

EXIT_CONFORMS, EXIT_VIOLATIONS = 0, 1


@click.command(cls=Command)
@click.argument("data", nargs=-1, required=True)
@format_option(RENDERERS, "text", "text: grouped by project, Chinese with English; json: {conforms, results}; ttl: the SHACL report.")
@base_option
@year_option
@click.option("--jobs", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Validate projects in this many processes (projects are validated one by one either way).")
@click.pass_context
def validate(ctx: click.Context, data: tuple[str, ...], output_format: str, base: str, year: int | None, jobs: int) -> None:
    """Validate DATA (RDF files, tables, or directories of tables) against the shapes in shapes/.

    A directory contributes its table files only: RDF found in it (an earlier output) is not read back.
    Exit 0 when nothing is a Violation, 1 when something is, 2 for bad input or usage.
    """
    files = expand(data)
    if not files:
        raise UsageError("no RDF or table files found in the inputs")
    report = validate_paths(files, base, year, workers=jobs)
    click.echo(render(report, output_format), nl=False)
    ctx.exit(EXIT_CONFORMS if report.conforms else EXIT_VIOLATIONS)
