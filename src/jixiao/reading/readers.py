"""Read a file into a raw grid: lines of text and table rows, each with its line number and form.

Readers are registered per file suffix (`@reader(".csv")`), so a new format is a new function,
not a new branch in the pipeline. Plain text and Markdown hold a table in any of several text
forms (Markdown rows, bar rows, space-separated cells, one cell per line, cells run together);
reading/textforms.py finds each line's cells and says which form it is in (`RawLine.form`).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jixiao.errors import InputError
from jixiao.reading.textforms import CSV, FORMS, MARKDOWN, TEXT, physical_lines, read_lines


@dataclass(frozen=True)
class RawLine:
    """One non-empty line of the input with its cells and the text form they were found in.

    `form` is one of textforms.FORMS: `markdown` and `csv` rows have cells at column positions;
    `bars` and `spaces` rows have cells in column order; `text` lines (one cell, `cells ==
    (text,)`) and `run-together` lines (cells recovered from the vocabulary) are a cell stream
    whose row boundaries the layout finds. Left out, the form follows the cells: none given is
    a text line, cells given a Markdown row.
    """

    number: int
    text: str
    cells: tuple[str, ...] | None = None
    complete: bool = True  # False for a table row cut off before its closing bar
    form: str = ""
    # Office, web and PDF rows (form `grid`): where the row is in the file (`sheet 2 (表一), row 5`,
    # `page 3, table 1, row 2`; the column is a cell's index + 1), and the indices of cells that
    # continue a merged cell (left empty; the merged value is in the cell it started in).
    where: str = ""
    merged: frozenset[int] = frozenset()
    # Run-together lines: cells the segmenter cut off the end of a name as a qualitative target (segment.py, rule 4).
    split_targets: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.form:
            object.__setattr__(self, "form", TEXT if self.cells is None else MARKDOWN)
        if self.cells is None:
            object.__setattr__(self, "cells", (self.text,))
        if self.form not in FORMS:
            raise ValueError(f"unknown text form {self.form!r} (expected one of {', '.join(FORMS)})")


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


def reader(*suffixes: str) -> Callable[[ReaderFunction], ReaderFunction]:
    """Register a function that turns decoded text into raw lines for the given suffixes."""

    def register(function: ReaderFunction) -> ReaderFunction:
        for suffix in suffixes:
            _READERS[suffix] = function
        return function

    return register


# Formats that are not text (office files, PDF, web pages in any declared encoding) are read from
# bytes: a reader returns its lines and how the file was decoded (`docx`, `gb2312`, …). Besides its
# suffixes, such a reader may claim a file by its content (`sniff`), so a web page saved as `.xls`
# or a workbook without a suffix is read for what it is. The readers live in reading/formats/.
BytesReaderFunction = Callable[[str, bytes], tuple[list[RawLine], str]]
_BYTES_READERS: dict[str, BytesReaderFunction] = {}
_SNIFFERS: list[tuple[Callable[[bytes], bool], BytesReaderFunction]] = []


def bytes_reader(*suffixes: str, sniff: Callable[[bytes], bool] | None = None) -> Callable[[BytesReaderFunction], BytesReaderFunction]:
    """Register a function that turns a file's bytes into raw lines, by suffix and optionally by content."""

    def register(function: BytesReaderFunction) -> BytesReaderFunction:
        for suffix in suffixes:
            _BYTES_READERS[suffix] = function
        if sniff is not None:
            _SNIFFERS.append((sniff, function))
        return function

    return register


def supported_suffixes() -> list[str]:
    return sorted({*_READERS, *_BYTES_READERS})


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


@reader(".txt", ".md", ".markdown", "")
def read_text(path: str, text: str) -> list[RawLine]:
    """Plain text and Markdown: each non-empty line with its cells, in whichever text form it is."""
    return [RawLine(line.number, line.text, line.cells, line.complete, line.form, split_targets=line.split_targets) for line in read_lines(text)]


@reader(".csv", ".tsv")
def read_csv(path: str, text: str) -> list[RawLine]:
    """Comma- or tab-separated rows (form `csv`); a line of a single field is a text line.

    A row with one filled cell among empty ones (`长期绩效目标表,,,,,`) stays a row, as the same
    row does in a Markdown table; only a line with no delimiter at all is text.
    """
    dialect = csv.excel_tab if path.endswith(".tsv") else csv.excel
    cleaned = "\n".join(line for _, line in physical_lines(text))
    rows = csv.reader(io.StringIO(cleaned, newline=""), dialect)
    lines: list[RawLine] = []
    for cells in rows:
        number = rows.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) == 1:
            lines.append(RawLine(number, cells[0].strip()))
        else:
            lines.append(RawLine(number, dialect.delimiter.join(cells), tuple(c.strip() for c in cells), form=CSV))
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
    by_content = next((function for sniff, function in _SNIFFERS if sniff(data)), None)
    function = _READERS.get(suffix)
    if by_content is not None or suffix in _BYTES_READERS:
        lines, encoding = (by_content or _BYTES_READERS[suffix])(path, data)
    elif function is not None:
        text, encoding = decode(path, data)
        lines = function(path, text)
    else:
        known = ", ".join(s for s in supported_suffixes() if s)
        raise InputError(path, None, f"unsupported file type {suffix!r} (expected one of {known})")
    digest = hashlib.sha256(data).hexdigest()
    return RawDocument(path, Path(path).name, encoding, digest, tuple(lines))


# The office, PDF and web-page readers register themselves on import (they need RawLine above).
import jixiao.reading.formats  # noqa: E402, F401
