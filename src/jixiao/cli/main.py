"""The `jixiao` group and its commands, one module each: they wire the pipeline's steps, nothing more."""

from __future__ import annotations

import click

from jixiao import __version__
from jixiao.cli.drop import drop
from jixiao.cli.ingest import ingest
from jixiao.cli.load import load
from jixiao.cli.publish import publish
from jixiao.cli.query import query
from jixiao.cli.reason import reason
from jixiao.cli.serve import serve
from jixiao.cli.shared import Group
from jixiao.cli.validate import validate

COMMANDS = (ingest, query, load, drop, validate, reason, serve, publish)


@click.group(cls=Group)
@click.version_option(__version__, prog_name="jixiao")
def main() -> None:
    """jixiao — 预算绩效目标知识图谱 / a knowledge graph of budget performance targets."""


for command in COMMANDS:
    main.add_command(command)
