"""`jixiao serve [DATA ...] [--store DIR | --endpoint URL]`: the SPARQL endpoint, pages and IRIs on the web."""

from __future__ import annotations

from pathlib import Path

import click

from jixiao.cli.shared import Command, allow_basic_option, base_option, year_option


@click.command(cls=Command)
@click.argument("data", nargs=-1)
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Serve this embedded Oxigraph store (made by ingest --store), opened read-only.")
@click.option("--endpoint", default=None, help="Serve a remote SPARQL endpoint: queries are forwarded with the same limits.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@base_option
@year_option
@click.option("--timeout", "seconds", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Time limit of one query in seconds (the query's worker is stopped after it).")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Result limit: rows of a SELECT, triples of a CONSTRUCT/DESCRIBE.")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True, help="Query worker processes.")
@click.option("--cache-seconds", type=click.FloatRange(min=0), default=300.0, show_default=True,
              help="Keep rendered pages this long (0: no cache; for an endpoint whose data change).")
@click.option("--user", default=None, help="User for the endpoint.")
@click.option("--password", default=None, envvar="JIXIAO_PASSWORD", help="Password (or env JIXIAO_PASSWORD).")
@allow_basic_option
def serve(data: tuple[str, ...], store_dir: Path | None, endpoint: str | None, host: str, port: int, base: str, year: int | None,
          seconds: float, max_rows: int, workers: int, cache_seconds: float, user: str | None, password: str | None, allow_basic_over_http: bool) -> None:
    """Serve DATA, a store or an endpoint: SPARQL 1.1 Protocol at /sparql (read-only, with a time
    and a result limit), HTML pages, and every IRI under --base dereferenceable (/id/…)."""
    import uvicorn

    from jixiao.publish.app import create_app
    from jixiao.publish.sources import open_dataset
    from jixiao.publish.workers import Limits

    options = {"user": user, "password": password, "allow_basic_over_http": allow_basic_over_http} if endpoint else {}
    with open_dataset(data, store_dir, endpoint, base, year, Limits(seconds, max_rows), workers, **options) as dataset:
        click.echo(f"serving on http://{host}:{port}/ (SPARQL at /sparql); Ctrl-C stops", err=True)
        uvicorn.run(create_app(dataset, cache_seconds=cache_seconds), host=host, port=port, log_level="warning", access_log=False)
