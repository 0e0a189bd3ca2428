"""`jixiao drop`: take tables out of a store or an endpoint again, keeping the union the queries read exact.

A table is named by its file (the graphs its declared tables give), by its source's content hash
(`--hash`, a prefix of at least 8 hex digits), by a project-year (`--unit U --project P --year Y`)
or by a unit (`--unit U`: all of its tables, or with `--year` those of one year). Names are
compared as declarations are (full-width and half-width alike, spaces ignored). Everything named
goes in one write; what matches nothing is an error, and nothing is removed.
"""

from __future__ import annotations

from pathlib import Path

import click

from jixiao.cli.backends import open_endpoint, open_store
from jixiao.cli.shared import FISCAL_YEARS, Command, allow_basic_option, base_option
from jixiao.errors import UsageError
from jixiao.graph.build import ingest_documents
from jixiao.graph.mapping import document_chunks
from jixiao.stores import QueryBackend, TableRecord, drop_tables, select_tables
from jixiao.vocabulary import canon


def _graphs_of_files(files: tuple[Path, ...], base: str) -> list[str]:
    """The named graphs the tables in these files declare (read again: identity is what they declare)."""
    return [str(chunk.graph) for path in files for document in ingest_documents(path) for chunk in document_chunks(document, base)]


def _chosen(backend: QueryBackend, files: tuple[Path, ...], content_hash: str | None, unit: str | None, project: str | None,
            year: int | None, base: str) -> list[TableRecord]:
    records = [r for r in backend.tables() if r.kind not in ("ontology",)]
    chosen: list[TableRecord] = []
    if files:
        chosen += select_tables(records, graphs=_graphs_of_files(files, base))
    if content_hash:
        chosen += [r for r in records if r.content_hash and r.content_hash.startswith(content_hash.lower())]
    if unit is not None:
        chosen += select_tables(records, unit=canon(unit), project=canon(project) if project else None, year=str(year) if year else None)
    unique = {record.graph: record for record in chosen}
    if not unique:
        units = sorted({r.key[1] for r in records if len(r.key) > 1 and r.key[1]})
        known = f"; the store holds {len(records)} table(s) of the units: {', '.join(units[:20])}" if units else "; the store holds no tables"
        raise UsageError(f"no table in the store matches what was named{known} / 库中没有匹配的表")
    return sorted(unique.values(), key=lambda r: r.graph)


@click.command(cls=Command)
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--hash", "content_hash", default=None,
              help="Drop the tables read from the source with this content hash (SHA-256, or a prefix of 8+ hex digits).")
@click.option("--unit", default=None, help="Drop the tables of this unit (预算单位) — all of them, or with --project/--year only those.")
@click.option("--project", default=None, help="With --unit: the project's name.")
@click.option("--year", type=FISCAL_YEARS, default=None, help="With --unit: the fiscal year.")
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="The embedded store to drop from.")
@click.option("--endpoint", default=None, help="The SPARQL endpoint to drop from.")
@click.option("--user", default=None, help="User for the endpoint's update access.")
@click.option("--password", default=None, envvar="JIXIAO_PASSWORD", help="Password (or env JIXIAO_PASSWORD).")
@allow_basic_option
@base_option
def drop(files: tuple[Path, ...], content_hash: str | None, unit: str | None, project: str | None, year: int | None,
         store_dir: Path | None, endpoint: str | None, user: str | None, password: str | None, allow_basic_over_http: bool, base: str) -> None:
    """Remove tables (by FILE, --hash, or --unit [--project] [--year]) from --store DIR or --endpoint URL."""
    if (store_dir is None) == (endpoint is None):
        raise UsageError("give either --store DIR or --endpoint URL")
    if not (files or content_hash or unit):
        raise UsageError("name what to drop: FILE ..., --hash HASH, or --unit UNIT [--project P] [--year Y]")
    if (project or year) and unit is None:
        raise UsageError("--project and --year name a table together with --unit")
    if content_hash is not None and (len(content_hash) < 8 or any(c not in "0123456789abcdefABCDEF" for c in content_hash)):
        raise UsageError(f"--hash expects at least 8 hex digits of a SHA-256, got {content_hash!r}")
    if store_dir is not None:
        backend = open_store(store_dir, read_only=False, must_exist=True)
    else:
        assert endpoint is not None
        backend = open_endpoint(endpoint, user, password, allow_basic_over_http=allow_basic_over_http)
    try:
        chosen = _chosen(backend, files, content_hash, unit, project, year, base)
        drop_tables(backend, chosen)
    finally:
        backend.close()
    for record in chosen:
        click.echo(f"removed {record.describe()} <{record.graph}>", err=True)
    click.echo(f"dropped {len(chosen)} table(s) from {store_dir or endpoint}", err=True)
