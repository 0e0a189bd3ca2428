"""The `jixiao` group and its commands, one module each: they wire the pipeline's steps, nothing more.

A command's module is imported when that command runs (or when --help lists them): `jixiao query`
should not pay for importing the web server, the reader and the validator first.
"""

from __future__ import annotations

import importlib
import signal
import threading
from types import FrameType

import click

from jixiao import __version__
from jixiao.cli.shared import Group

# Command name -> the module that defines it (as a function of the same name).
COMMANDS = {name: f"jixiao.cli.{name}" for name in ("ingest", "query", "load", "drop", "validate", "reason", "serve", "publish")}


class LazyGroup(Group):
    """A group that imports a command's module only when the command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMANDS.get(cmd_name)
        if module is None:
            return None
        command = getattr(importlib.import_module(module), cmd_name)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup)
@click.version_option(__version__, prog_name="jixiao")
def main() -> None:
    """jixiao — 预算绩效目标知识图谱 / a knowledge graph of budget performance targets."""


def run() -> None:
    """The `jixiao` program: the group, with SIGTERM taken as Ctrl-C."""
    _take_sigterm_as_ctrl_c()
    main()


def _take_sigterm_as_ctrl_c() -> None:
    """`kill PID` (SIGTERM: a service manager or a CI timeout stopping the job) is handled as Ctrl-C,
    so the commands' interrupt handling runs: a `.part` output removed, a store write aborted, the
    workers stopped. Python's default ends the process at once, leaving the partial output behind and
    the workers running. Installed by the program only, not by `main` (tests invoke the group in
    their own process)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _as_ctrl_c)


def _as_ctrl_c(_signum: int, frame: FrameType | None) -> None:
    """Do what Ctrl-C would do now: call SIGINT's handler of the moment (a block that holds Ctrl-C back
    has one that only remembers it), or raise KeyboardInterrupt where SIGINT is ignored or left to the
    system (a job started in the background by a shell ignores it; a termination must still stop it)."""
    handler = signal.getsignal(signal.SIGINT)
    if callable(handler):
        handler(signal.SIGINT, frame)
    else:
        raise KeyboardInterrupt
