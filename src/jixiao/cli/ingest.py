"""`jixiao ingest FILE|DIR|ZIP ... -o OUT [--store DIR]`: read tables into an RDF file, a store, or both.

Folders are walked recursively and each member of a ZIP archive is its own document. A file that
cannot be read is named with its reason and the batch goes on; at the end a summary per file and in
total is printed, and the exit status is 2 if any file failed (everything readable is still written).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click

from jixiao.cli.backends import open_store
from jixiao.cli.load import load_into
from jixiao.cli.shared import Command, base_option, format_option, stderr_warn, year_option
from jixiao.errors import UsageError
from jixiao.graph import OUTPUT_FORMATS, expand, output_format_for, write_chunks
from jixiao.graph.build import RDF_FORMATS, EncodedChunk, default_jobs, produce_documents


@dataclass
class FileSummary:
    """What one document gave: counts, or why it could not be read."""

    source: str
    projects: int = 0
    indicators: int = 0
    repairs: int = 0
    findings: int = 0
    error: str | None = None


@click.command(cls=Command)
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), help="Output RDF file.")
@format_option(OUTPUT_FORMATS, None, "Output syntax (default: from the output's suffix, else ttl).")
@base_option
@year_option
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also add the data to this embedded Oxigraph store (one named graph per file; re-ingesting replaces it).")
@click.option("--quiet", is_flag=True, help="No progress bar and no per-file summary (errors and the total are still printed).")
@click.option("--jobs", type=click.IntRange(1, 256), default=None, help="Worker processes reading the tables (default: all cores).")
def ingest(inputs: tuple[str, ...], output: Path | None, output_format: str | None, base: str, year: int | None,
           store_dir: Path | None, quiet: bool, jobs: int | None) -> None:
    """Read performance-target tables (FILE|DIR|ZIP ...) into an RDF graph."""
    if output is None and store_dir is None:
        raise UsageError("give -o OUT, --store DIR, or both")
    files = [f for f in expand(inputs) if f.suffix.lower() not in RDF_FORMATS]
    if not files:
        raise UsageError("no table files found in the inputs")
    summaries: list[FileSummary] = []
    if output is not None:
        fmt = output_format_for(output, output_format)
        count = write_chunks(_chunks(files, base, year, summaries, quiet, jobs or default_jobs()), output, fmt, base, stderr_warn)
        _report(summaries, quiet)
        click.echo(f"{sum(s.error is None for s in summaries)} document(s) → {output} ({count} triples, {fmt})", err=True)
    if store_dir is not None:
        failed_files = {s.source.split("!")[0] for s in summaries if s.error}
        readable = [str(f) for f in files if str(f) not in failed_files]
        load_into(open_store(store_dir), readable, base, year, graph=None, quiet_findings=output is not None)
    if any(s.error for s in summaries):
        sys.exit(2)


def _chunks(files: list[Path], base: str, year: int | None, summaries: list[FileSummary], quiet: bool, jobs: int) -> Iterator[EncodedChunk]:
    """The chunks of every readable document (made by `jobs` workers); each document's summary appended as it comes."""
    with _Progress(len(files), quiet or not sys.stderr.isatty(), quiet) as bar:
        last_file = None
        for result in produce_documents(files, base, year, jobs):
            summary = FileSummary(result.source)
            if result.error is not None:
                summary.error = result.error.message
                click.echo(f"error: {result.error}", err=True)
            else:
                summary.projects, summary.indicators, summary.repairs = result.projects, result.indicators, result.repairs
                summary.findings = len(result.findings)
                for message in result.findings:
                    bar.warn(message)
                yield from result.chunks
            summaries.append(summary)
            this_file = result.source.split("!")[0]
            if this_file != last_file:
                last_file = this_file
                bar.advance(summaries)


def _report(summaries: list[FileSummary], quiet: bool) -> None:
    if not quiet:
        for s in summaries:
            state = f"error: {s.error}" if s.error else f"{s.projects} projects, {s.indicators} indicators, {s.repairs} repairs, {s.findings} findings"
            click.echo(f"{s.source}: {state}", err=True)
    failed = sum(s.error is not None for s in summaries)
    click.echo(f"total: {len(summaries)} document(s), {sum(s.projects for s in summaries)} projects, "
               f"{sum(s.indicators for s in summaries)} indicators, {sum(s.repairs for s in summaries)} repairs, "
               f"{sum(s.findings for s in summaries)} findings, {failed} unreadable", err=True)


class _Progress:
    """A rich progress bar on stderr (files, projects, findings so far, rate, time left), or nothing."""

    def __init__(self, total: int, silent: bool, quiet: bool) -> None:
        self.quiet = quiet
        self.bar = None
        if not silent and total > 1:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeRemainingColumn
            from rich.text import Text

            class Rate(ProgressColumn):
                def render(self, task: Task) -> Text:
                    return Text(f"{task.speed:.1f} files/s" if task.speed else "… files/s")

            self.bar = Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("files,"),
                                TextColumn("{task.fields[projects]} projects, {task.fields[findings]} findings, {task.fields[failed]} failed,"),
                                Rate(), TimeRemainingColumn(), console=Console(stderr=True), transient=True)
            self.task = self.bar.add_task("ingest", total=total, projects=0, findings=0, failed=0)

    def __enter__(self) -> _Progress:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *_: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def advance(self, summaries: list[FileSummary]) -> None:
        if self.bar is not None:
            self.bar.update(self.task, advance=1, projects=sum(s.projects for s in summaries),
                            findings=sum(s.findings for s in summaries), failed=sum(s.error is not None for s in summaries))

    def warn(self, message: str) -> None:
        """A finding, printed above the bar on a terminal (quiet with --quiet)."""
        if self.bar is not None:
            self.bar.console.print(f"warning: {message}", markup=False, highlight=False)
        elif not self.quiet:
            stderr_warn(message)
