"""Errors that reach the user: each names the file and line and says what was expected."""

from __future__ import annotations


class JixiaoError(Exception):
    """Base class for errors reported to the user without a traceback."""


class InputError(JixiaoError):
    """A file that cannot be read as a performance-target table (or as RDF)."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


class UsageError(JixiaoError):
    """A command used wrongly: unknown query, unknown parameter, bad option value."""


def message_of(error: BaseException) -> str:
    """An exception's message on one line (a parser's may span several), or its type's name when it has none."""
    return " ".join(str(error).split()) or type(error).__name__
