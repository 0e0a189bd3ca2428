"""What every command shares: the one error handler, the options declared once, progress and warnings.

Errors: jixiao's own (bad input naming file and line, a wrong use such as an unknown query)
and click's usage errors (a bad option value, a missing argument) all end the same way, as one
line `error: …` on stderr and exit status 2. Every command is a `Command` (the group a `Group`),
so the rule holds whether a command runs under `jixiao` or on its own, as the tests run it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from jixiao.errors import JixiaoError, UsageError
from jixiao.namespaces import DEFAULT_BASE
from jixiao.queries import FISCAL_YEAR_RANGE, is_absolute_iri
from jixiao.stores.credentials import redact

EXIT_BAD_INPUT = 2
FISCAL_YEARS = click.IntRange(*FISCAL_YEAR_RANGE)
F = TypeVar("F", bound=Callable[..., Any])


class CommandError(click.ClickException):
    """An error shown as one line, `error: …`, with exit status 2."""

    exit_code = EXIT_BAD_INPUT

    def show(self, file: IO[Any] | None = None) -> None:
        # One line, and no password from a URL the message may quote.
        click.echo(f"error: {redact(' '.join(self.format_message().split()))}", err=True, file=file)


def _usage_error(error: click.UsageError) -> CommandError:
    where = f" (see: {error.ctx.command_path} --help)" if error.ctx is not None else ""
    return CommandError(error.format_message() + where)


class _OneLineErrors:
    """Turns jixiao's errors and click's usage errors into a CommandError (the one error handler)."""

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)  # type: ignore[misc]
        except click.exceptions.NoArgsIsHelpError:
            raise  # `jixiao` alone shows the help
        except click.UsageError as error:
            raise _usage_error(error) from error

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)  # type: ignore[misc]
        except JixiaoError as error:
            raise CommandError(str(error)) from error
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as error:  # an unknown command name, raised while the group resolves it
            raise _usage_error(error) from error


class Command(_OneLineErrors, click.Command):
    """A jixiao command: errors as one line and exit status 2."""


class Group(_OneLineErrors, click.Group):
    """The jixiao group: errors as one line and exit status 2; its commands are `Command`s."""

    command_class = Command


def _check_base(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    if not is_absolute_iri(value) or not value.endswith(("/", "#")):
        raise click.BadParameter(f"expected an absolute IRI ending in / or #, got {value!r}")
    return value


def base_option(function: F) -> F:
    return click.option("--base", default=DEFAULT_BASE, show_default=True, callback=_check_base,
                        help="Base IRI of the IRIs minted for tables read (absolute, ending in / or #).")(function)


def year_option(function: F) -> F:
    return click.option("--year", type=FISCAL_YEARS, default=None,
                        help="Fiscal year (预算年度) of the tables read, when they do not state it.")(function)


def allow_basic_option(function: F) -> F:
    return click.option("--allow-basic-over-http", is_flag=True,
                        help="Send the password with Basic authentication over plain http to a host other than this machine.")(function)


def format_option(choices: Iterable[str], default: str | None, help_text: str) -> Callable[[F], F]:
    """`--format`, its choices from a registry (output syntaxes, query writers, report renderers)."""
    return click.option("--format", "output_format", type=click.Choice(list(choices)), default=default,
                        show_default=default is not None, help=help_text)


def progress(items: list[Path], label: str) -> Iterable[Path]:
    """Show a progress bar on a terminal when there is more than one file; stay quiet otherwise."""
    if len(items) < 2 or not sys.stderr.isatty():
        return items
    from rich.console import Console
    from rich.progress import track

    return track(items, description=label, console=Console(stderr=True), transient=True)


def data_files(data: Iterable[str | Path]) -> list[Path]:
    """The files DATA names (RDF files named one by one, the table files of a directory: docs/design.md).
    None is the user's error: every answer would be empty, or the reasoned graph the ontology alone,
    as if the tables said nothing."""
    # Imported here: the reader and mapper are a fifth of every command's start-up, and a command
    # on a store or an endpoint never needs them.
    from jixiao.graph import expand

    files = expand(data)
    if not files:
        raise UsageError(_nothing_named(data))
    return files


def _nothing_named(data: Iterable[str | Path]) -> str:
    """Why DATA names no file: a folder holding only RDF files is read as its table files, none (docs/design.md)."""
    from jixiao.graph import RDF_FORMATS

    for folder in (Path(item) for item in data):
        rdf = sorted(path for path in folder.rglob("*") if path.suffix.lower() in RDF_FORMATS and path.is_file()) if folder.is_dir() else []
        if rdf:
            return (f"{folder} holds no table files, and a folder given as DATA means its table files: RDF files are read "
                    f"only when named one by one (such as {rdf[0]}{f' and {len(rdf) - 1} more' if len(rdf) > 1 else ''})")
    return "no RDF or table files found in the inputs"


def stderr_warn(message: str) -> None:
    """A reading finding or an inconsistency: reported, not fatal."""
    click.echo(f"warning: {message}", err=True)

