"""`jixiao publish DATA -o DIR`: a static site, dumps, VoID/DCAT and the ontology's documentation."""

from __future__ import annotations

from pathlib import Path

import click

from jixiao.cli.shared import Command, base_option, year_option


@click.command(cls=Command)
@click.argument("data", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder of the site (replaced whole).")
@base_option
@year_option
@click.option("--sparql-url", default=None, help="The public SPARQL endpoint to advertise (VoID, pages).")
@click.option("--site-url", default=None, help="Where the site will be hosted (absolute URLs of the dumps in VoID/DCAT).")
@click.option("--timeout", "seconds", type=click.FloatRange(min=0.1), default=120.0, show_default=True, help="Time limit of one query in seconds.")
@click.option("--quiet", is_flag=True, help="No progress messages.")
def publish(data: tuple[str, ...], output: Path, base: str, year: int | None, sparql_url: str | None, site_url: str | None,
            seconds: float, quiet: bool) -> None:
    """Write DATA as a static site into --output: pages, dumps (Turtle, gzipped N-Triples, JSON-LD)
    with SHA-256 checksums, a VoID and DCAT description, and the ontology's documentation (pyLODE)."""
    from jixiao.publish.site import publish as write_site
    from jixiao.publish.sources import data_graph, open_dataset
    from jixiao.publish.workers import Limits
    from jixiao.vocabulary import load_ontology_graph

    def progress(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    graph = data_graph(data, base, year)
    with open_dataset(data, None, None, base, year, Limits(seconds, 1_000_000), 1, graph=graph) as dataset:
        dump = graph - load_ontology_graph()  # the dumps hold the data; the ontology is published beside them
        summary = write_site(dataset, dump, output, sparql_url=sparql_url, site_url=site_url, progress=progress)
    click.echo(f"wrote {output}: {summary['pages']} pages, {summary['dumps']} dumps of {summary['triples']} triples", err=True)
