"""The `jixiao` command line: it wires the pipeline's steps together, nothing more."""

from jixiao.cli.main import main, run

__all__ = ["main", "run"]
