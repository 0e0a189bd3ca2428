"""Errors that reach the user: each names the file and line and says what was expected."""

from __future__ import annotations

import logging
import re


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


# Characters a terminal acts on rather than shows: C0 and C1 controls, DEL, and the bidirectional
# controls that reorder what follows them (an RLO makes "txt.exe" look like "exe.txt"), and the
# Unicode line and paragraph separators (a message quoting a file stays on one line).
_TERMINAL_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """`text` with every terminal control written as an escape (`\\x1b`, `\\u202e`)."""
    return _TERMINAL_CONTROLS.sub(lambda match: _escape(match.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str, limit: int = 300) -> str:
    """A message fit for one line of a terminal: it may quote a file, so controls (line breaks included) are escaped and it is cut short."""
    escaped = terminal_safe(text)
    return escaped if len(escaped) <= limit else escaped[:limit] + "…"


# RDF 1.1 allows a literal whose lexical form is not valid for its datatype ("abc"^^xsd:integer:
# an ill-typed literal, kept as written, with no value). rdflib logs each one it builds as a
# warning with a traceback; that is no error of jixiao's and not the user's either, so the record
# is dropped, wherever the literal is built (parsing DATA, converting a store's or a server's
# answer). A reader that wants to tell the user says so in one line (graph.build.parse_rdf).
_ILL_TYPED_LITERAL_LOG = "Failed to convert Literal lexical form to value"


class _IllTypedLiteralFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(_ILL_TYPED_LITERAL_LOG)


logging.getLogger("rdflib.term").addFilter(_IllTypedLiteralFilter())
