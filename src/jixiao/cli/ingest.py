"""`jixiao ingest FILE|DIR ... -o OUT [--store DIR]`: read tables into an RDF file, a store, or both."""

from __future__ import annotations

from pathlib import Path

import click

from jixiao.cli.backends import open_store
from jixiao.cli.load import load_into
from jixiao.cli.shared import Command, base_option, format_option, progress, stderr_warn, year_option
from jixiao.errors import UsageError
from jixiao.graph import OUTPUT_FORMATS, expand, output_format_for, table_chunks, write_chunks


@click.command(cls=Command)
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), help="Output RDF file.")
@format_option(OUTPUT_FORMATS, None, "Output syntax (default: from the output's suffix, else ttl).")
@base_option
@year_option
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also add the data to this embedded Oxigraph store (one named graph per file; re-ingesting replaces it).")
def ingest(inputs: tuple[str, ...], output: Path | None, output_format: str | None, base: str, year: int | None,
           store_dir: Path | None) -> None:
    """Read performance-target tables (FILE|DIR ...) into an RDF graph."""
    if output is None and store_dir is None:
        raise UsageError("give -o OUT, --store DIR, or both")
    files = expand(inputs)
    if not files:
        raise UsageError("no table files found in the inputs")
    if output is not None:
        fmt = output_format_for(output, output_format)
        count = write_chunks(table_chunks(progress(files, "ingest"), base, year, warn=stderr_warn), output, fmt)
        click.echo(f"{len(files)} file(s) → {output} ({count} triples, {fmt})", err=True)
    if store_dir is not None:
        load_into(open_store(store_dir), [str(f) for f in files], base, year, graph=None, quiet_findings=output is not None)
