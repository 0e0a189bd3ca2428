"""Read a file into a raw grid: lines of text and table rows, each with its line number.

Readers are registered per file suffix (`@reader(".csv")`), so a new format is a new function,
not a new branch in the pipeline.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jixiao.errors import InputError


@dataclass(frozen=True)
class RawLine:
    """One non-empty line of the input: a text line (cells is None) or a table row."""

    number: int
    text: str
    cells: tuple[str, ...] | None = None
    complete: bool = True  # False for a table row cut off before its closing bar


@dataclass(frozen=True)
class RawDocument:
    """A file as read: where it came from, how it was decoded, and its lines."""

    path: str
    name: str
    encoding: str
    content_hash: str
    lines: tuple[RawLine, ...]


ReaderFunction = Callable[[str, str], list[RawLine]]
_READERS: dict[str, ReaderFunction] = {}
_SEPARATOR_CELL = re.compile(r"^\s*:?-{2,}:?\s*$")


def reader(*suffixes: str) -> Callable[[ReaderFunction], ReaderFunction]:
    """Register a function that turns decoded text into raw lines for the given suffixes."""

    def register(function: ReaderFunction) -> ReaderFunction:
        for suffix in suffixes:
            _READERS[suffix] = function
        return function

    return register


def supported_suffixes() -> list[str]:
    return sorted(_READERS)


def decode(path: str, data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 (a GBK superset)."""
    if not data.strip():
        raise InputError(path, None, "the file is empty (expected a performance-target table) / 文件为空")
    if data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", data[len(codecs.BOM_UTF8):], "utf-8")]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", data, "utf-16")]
    else:
        candidates = [("utf-8", data, "utf-8"), ("gb18030", data, "gb18030")]
    for name, payload, codec in candidates:
        try:
            return payload.decode(codec), name
        except UnicodeDecodeError:
            continue
    raise InputError(path, None, "cannot decode the file as UTF-8 or GB18030/GBK / 无法识别文件编码")


def _split_markdown_row(line: str) -> tuple[tuple[str, ...], bool]:
    body = line.strip()
    complete = body.endswith("|") and len(body) > 1
    body = body[1:-1] if complete else body[1:]
    # A backslash-escaped bar belongs to the cell's text.
    cells = [cell.replace("\\|", "|").strip() for cell in re.split(r"(?<!\\)\|", body)]
    return tuple(cells), complete


@reader(".txt", ".md", ".markdown", "")
def read_markdown(path: str, text: str) -> list[RawLine]:
    """Markdown pipe tables and the text lines around them (title, 申报单位, 金额单位)."""
    lines: list[RawLine] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if line.lstrip().startswith("|"):
            cells, complete = _split_markdown_row(line)
            if all(_SEPARATOR_CELL.match(c) or not c for c in cells) and any(cells):
                continue  # the |---|---| rule under a header carries no content
            lines.append(RawLine(number, line.rstrip("\r\n"), cells, complete))
        else:
            lines.append(RawLine(number, line.strip()))
    return lines


@reader(".csv", ".tsv")
def read_csv(path: str, text: str) -> list[RawLine]:
    """Comma- or tab-separated tables; a row with one non-empty cell is read as a text line."""
    dialect = csv.excel_tab if path.endswith(".tsv") else csv.excel
    rows = csv.reader(io.StringIO(text), dialect)
    lines: list[RawLine] = []
    for cells in rows:
        number = rows.line_num
        filled = [c.strip() for c in cells if c.strip()]
        if not filled:
            continue
        raw = ",".join(cells)
        if len(filled) == 1 and cells and cells[0].strip() == filled[0]:
            lines.append(RawLine(number, filled[0]))
        else:
            lines.append(RawLine(number, raw, tuple(c.strip() for c in cells)))
    return lines


def read_file(path: Path | str) -> RawDocument:
    """Read one table file into a RawDocument, or raise InputError naming the file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(str(path), None, f"cannot read the file: {error.strerror}") from error
    return read_bytes(str(path), data)


def read_bytes(path: str, data: bytes) -> RawDocument:
    suffix = Path(path).suffix.lower()
    function = _READERS.get(suffix)
    if function is None:
        known = ", ".join(s for s in supported_suffixes() if s)
        raise InputError(path, None, f"unsupported file type {suffix!r} (expected one of {known})")
    text, encoding = decode(path, data)
    lines = function(path, text)
    digest = hashlib.sha256(data).hexdigest()
    return RawDocument(path, Path(path).name, encoding, digest, tuple(lines))
