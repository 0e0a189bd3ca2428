"""The `jixiao` group and its commands, one module each: they wire the pipeline's steps, nothing more.

A command's module is imported when that command runs (or when --help lists them): `jixiao query`
should not pay for importing the web server, the reader and the validator first.
"""

from __future__ import annotations

import importlib

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
