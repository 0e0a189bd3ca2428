"""`jixiao validate DATA ... [--format text|json|ttl]`: check graphs or tables with the SHACL shapes.

Exit status: 0 when there is no Violation (Warnings and Infos do not fail a table), 1 when there is
one, 2 for bad input or usage (the message names the file, and the line where there is one).
The command is registered in cli.py with `main.add_command(validate)`.
"""

from __future__ import annotations

import sys

import click

from jixiao.errors import JixiaoError, UsageError
from jixiao.graph.build import expand
from jixiao.namespaces import DEFAULT_BASE
from jixiao.validation.validate import RENDERERS, validate_paths

EXIT_CONFORMS, EXIT_VIOLATIONS, EXIT_BAD_INPUT = 0, 1, 2


@click.command("validate")
@click.argument("data", nargs=-1, required=True)
@click.option("--format", "output_format", type=click.Choice(list(RENDERERS)), default="text", show_default=True,
              help="text: grouped by project, Chinese with English; json: {conforms, results}; ttl: the SHACL report.")
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI for tables ingested on the fly.")
@click.option("--year", type=click.IntRange(1949, 2200), default=None, help="Fiscal year (预算年度) of tables ingested on the fly.")
@click.option("--jobs", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Validate projects in this many processes (projects are validated one by one either way).")
def validate(data: tuple[str, ...], output_format: str, base: str, year: int | None, jobs: int) -> None:
    """Validate DATA (RDF files, tables, or directories of them) against the shapes in shapes/.

    Exit 0 when nothing is a Violation, 1 when something is, 2 for bad input or usage.
    """
    try:
        files = expand(data)
        if not files:
            raise UsageError("no RDF or table files found in the inputs")
        report = validate_paths(files, base, year, workers=jobs)
    except JixiaoError as error:  # InputError and UsageError: say what and where, no traceback
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    click.echo(RENDERERS[output_format](report), nl=False)
    sys.exit(EXIT_CONFORMS if report.conforms else EXIT_VIOLATIONS)
