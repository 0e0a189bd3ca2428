"""`jixiao ingest FILE|DIR|ZIP ... -o OUT [--store DIR]`: read tables into an RDF file, a store, or both.

Folders are walked recursively and each member of a ZIP archive is its own document. A file that
cannot be read is named with its reason and the batch goes on; at the end a summary per file and in
total is printed, and the exit status is 2 if any file failed.

`-o OUT` gets everything readable. `--store DIR` is all or nothing: the tables are written into
the store's next generation, which replaces the store in one atomic step only if every file was
read; one unreadable file leaves the store exactly as it was (the message names the file), unless
`--keep-going` asks to store the readable ones. Ctrl-C (or SIGTERM) stores and writes nothing and says so.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import click

from jixiao.cli.backends import open_store
from jixiao.cli.load import Unreadable, report_stored
from jixiao.cli.shared import Command, base_option, format_option, stderr_warn, year_option
from jixiao.errors import UsageError
from jixiao.graph import OUTPUT_FORMATS, expand, output_format_for, write_chunks
from jixiao.graph.build import RDF_FORMATS, ChunkOutput, EncodedChunk, Prepare, default_jobs, produce_documents
from jixiao.stores import QueryBackend, store_chunks
from jixiao.stores.loading import LoadReport, prepare_chunk


@dataclass
class FileSummary:
    """What one document gave: counts, or why it could not be read."""

    source: str
    projects: int = 0
    indicators: int = 0
    evaluations: int = 0
    repairs: int = 0
    findings: int = 0
    error: str | None = None

    def counts(self) -> str:
        evaluations = f", {self.evaluations} self-evaluations" if self.evaluations else ""
        return f"{self.projects} projects{evaluations}, {self.indicators} indicators, {self.repairs} repairs, {self.findings} findings"


@click.command(cls=Command)
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), help="Output RDF file.")
@format_option(OUTPUT_FORMATS, None, "Output syntax (default: from the output's suffix, else ttl).")
@base_option
@year_option
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also put the tables into this embedded Oxigraph store, all or nothing (each declared table replaces its graph).")
@click.option("--keep-going", is_flag=True, help="With --store: store the readable files even if some cannot be read (exit status still 2).")
@click.option("--quiet", is_flag=True, help="No progress bar and no per-file summary (errors and the total are still printed).")
@click.option("--jobs", type=click.IntRange(1, 256), default=None, help="Worker processes reading the tables (default: all cores).")
def ingest(inputs: tuple[str, ...], output: Path | None, output_format: str | None, base: str, year: int | None,
           store_dir: Path | None, keep_going: bool, quiet: bool, jobs: int | None) -> None:
    """Read performance-target tables (FILE|DIR|ZIP ...) into an RDF graph."""
    if output is None and store_dir is None:
        raise UsageError("give -o OUT, --store DIR, or both")
    files = [f for f in expand(inputs) if f.suffix.lower() not in RDF_FORMATS]
    if not files:
        raise UsageError("no table files found in the inputs")
    summaries: list[FileSummary] = []
    target = (output, output_format_for(output, output_format)) if output is not None else None
    if store_dir is not None:
        _store(store_dir, files, base, year, keep_going, quiet, jobs or default_jobs(), target)
    elif target is not None:
        try:
            count = write_chunks(_chunks(files, base, year, summaries, quiet, jobs or default_jobs()), target[0], target[1], base, stderr_warn)
        except KeyboardInterrupt:
            _interrupted(f"{target[0]} was not written (nor changed)", summaries, files)
        _report(summaries, quiet)
        _written(target, count, summaries)
    if any(s.error for s in summaries):
        sys.exit(2)


def _interrupted(what: str, summaries: list[FileSummary], files: list[Path]) -> NoReturn:
    """Ctrl-C (or SIGTERM, taken as it): say what was left as it was, and exit 130 as an interrupted program does."""
    done = sum(s.error is None for s in summaries)
    click.echo(f"interrupted: {what}; {done} of {len(files)} file(s) had been read (run the same command again to read them all) / 已中断，未写入",
               err=True)
    sys.exit(130)


def _written(target: tuple[Path, str], count: int, summaries: list[FileSummary]) -> None:
    click.echo(f"{sum(s.error is None for s in summaries)} document(s) → {target[0]} ({count} triples, {target[1]})", err=True)


def _store(store_dir: Path, files: list[Path], base: str, year: int | None, keep_going: bool, quiet: bool, jobs: int,
           target: tuple[Path, str] | None = None) -> None:
    """Put every readable table into the store in one write; exit 2 with the store unchanged if a file is unreadable.

    With `target` (`-o OUT`), the same pass over the tables also writes the file, which gets every
    readable table (without the entailments the store keeps) even when the store is left as it was.
    """
    summaries: list[FileSummary] = []
    hashes: dict[str, str] = {}
    written = _Written(target) if target is not None else None
    backend = open_store(store_dir)
    try:
        # Writing a file too, an unreadable table is dealt with by _store_and_write (the file still gets the others).
        chunks = _chunks(files, base, year, summaries, quiet, jobs, hashes, stop_on_error=written is None and not keep_going,
                         entail=True, prepare=prepare_chunk)  # type: ignore[arg-type]
        if written is None:
            report = store_chunks(backend, chunks, content_hashes=hashes, on_duplicate=lambda d: stderr_warn(d.message()))
        else:
            report = _store_and_write(backend, written, chunks, summaries, hashes, base, keep_going)
    except Unreadable:
        _report(summaries, quiet)
        if written is not None:
            _written(written.target, written.count, summaries)
        _left_as_it_was(store_dir, summaries)
    except KeyboardInterrupt:
        _interrupted(f"nothing was stored, the store {store_dir} is as it was", summaries, files)
    finally:
        backend.close()
    _report(summaries, quiet)
    if written is not None:
        _written(written.target, written.count, summaries)
    report_stored(report, store_dir, quiet)
    if any(s.error for s in summaries):
        sys.exit(2)


@dataclass
class _Written:
    """The -o file of a run that also stores: where, in which syntax, how many triples went in."""

    target: tuple[Path, str]
    count: int = 0


def _store_and_write(backend: QueryBackend, written: _Written, chunks: Iterator[EncodedChunk], summaries: list[FileSummary],
                     hashes: dict[str, str], base: str, keep_going: bool) -> LoadReport:
    """One pass: each chunk written to the file and put into the store. The file is finished whatever the store does
    with an unreadable file (it gets every readable table, as `-o` alone would); the store's write then raises Unreadable."""

    def through(output: ChunkOutput) -> Iterator[EncodedChunk]:
        for chunk in chunks:
            output.add(chunk)
            yield chunk
        failed = [s.source for s in summaries if s.error]
        if failed and not keep_going:
            raise Unreadable(failed)  # after the last chunk: the store's writer gives up, the file is kept

    unreadable: Unreadable | None = None
    with ChunkOutput(*written.target, base, stderr_warn) as output:
        try:
            report = store_chunks(backend, through(output), content_hashes=hashes, on_duplicate=lambda d: stderr_warn(d.message()))
        except Unreadable as error:
            unreadable = error
    written.count = output.count
    if unreadable is not None:
        raise unreadable
    return report


def _left_as_it_was(store_dir: Path, summaries: list[FileSummary]) -> None:
    failed = [s.source for s in summaries if s.error]
    click.echo(f"error: {len(failed)} file(s) could not be read ({', '.join(failed)}): nothing was stored, the store {store_dir} "
               "is as it was; fix or remove them, or give --keep-going to store the readable ones / 有文件无法读取，库未改动", err=True)
    sys.exit(2)


def _chunks(files: list[Path], base: str, year: int | None, summaries: list[FileSummary], quiet: bool, jobs: int,
            hashes: dict[str, str] | None = None, stop_on_error: bool = False, entail: bool = False,
            prepare: Prepare | None = None) -> Iterator[EncodedChunk]:
    """The chunks of every readable document (made by `jobs` workers); each document's summary appended as it comes.

    With `stop_on_error`, all files are still read (so that every unreadable one is named), and
    Unreadable is raised at the end if any was: the store's writer then discards what it staged.
    With `entail`, each chunk carries what the ontology entails from it (what a store keeps); `prepare` is run on each
    chunk in the workers (produce_documents).
    """
    with _Progress(len(files), quiet or not sys.stderr.isatty(), quiet) as bar:
        last_file = None
        for result in produce_documents(files, base, year, jobs, entail=entail, prepare=prepare):
            summary = FileSummary(result.source)
            if result.error is not None:
                summary.error = result.error.message
                click.echo(f"error: {result.error}", err=True)
            else:
                summary.projects, summary.indicators, summary.repairs = result.projects, result.indicators, result.repairs
                summary.evaluations = result.evaluations
                summary.findings = len(result.findings)
                for message in result.findings:
                    bar.warn(message)
                if hashes is not None:
                    hashes[result.source] = result.content_hash
                if not (stop_on_error and any(s.error for s in summaries)):
                    yield from result.chunks
            summaries.append(summary)
            this_file = result.source.split("!")[0]
            if this_file != last_file:
                last_file = this_file
                bar.advance(summaries)
    if stop_on_error and any(s.error for s in summaries):
        raise Unreadable([s.source for s in summaries if s.error])


def _report(summaries: list[FileSummary], quiet: bool) -> None:
    if not quiet:
        for s in summaries:
            click.echo(f"{s.source}: {f'error: {s.error}' if s.error else s.counts()}", err=True)
    total = FileSummary("total", *(sum(getattr(s, name) for s in summaries)
                                   for name in ("projects", "indicators", "evaluations", "repairs", "findings")))
    failed = sum(s.error is not None for s in summaries)
    click.echo(f"total: {len(summaries)} document(s), {total.counts()}, {failed} unreadable", err=True)


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
