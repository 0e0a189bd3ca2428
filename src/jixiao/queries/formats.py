"""Render SELECT results as an aligned table, CSV (UTF-8 with BOM) or JSON, row by row.

Each output format is a writer registered by name (`@FORMATS.register("csv")`); `jixiao query
--format` offers the names registered in FORMATS.

All three stream: JSON and CSV write each row as it comes; the table measures the first
`TABLE_MEASURE_ROWS` rows for its column widths and then writes on without holding the rest
(a later, wider cell just sticks out of its column).

Values are plain: numbers as numbers (xsd:decimal kept exact, never through a float),
booleans as booleans, every other term as its text; an unbound variable is null in JSON and an
empty cell in CSV and the table.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal, InvalidOperation
from itertools import chain, islice
from typing import TextIO

from rdflib import Graph, Literal
from rdflib.namespace import XSD
from rdflib.term import Node

from jixiao.registry import Registry
from jixiao.stores.base import SelectResult

_NUMERIC = {XSD.decimal, XSD.integer, XSD.int, XSD.long, XSD.double, XSD.float, XSD.short, XSD.byte,
            XSD.nonNegativeInteger, XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger,
            XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort, XSD.unsignedByte}
JsonValue = str | int | float | bool | None
TABLE_MEASURE_ROWS = 1000
TRIPLES_PER_BATCH = 10_000
Writer = Callable[[SelectResult, TextIO], None]
FORMATS: Registry[Writer] = Registry("output format")


def write(name: str, result: SelectResult, out: TextIO) -> None:
    """Write `result` to `out` in the output format `name`."""
    FORMATS[name](result, out)


def _number(text: str) -> int | Decimal | None:
    """A numeric literal's value: an int when whole, else a Decimal without trailing zeros."""
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None  # NaN and INF have no JSON number; they are shown as written
    if number == number.to_integral_value():
        return int(number)
    # normalize() drops trailing zeros (6.50 → 6.5) the way Oxigraph's canonical form does, so
    # the same answer prints the same from every backend.
    return number.normalize()


def plain_value(term: Node | None) -> JsonValue | Decimal:
    """A term as a plain value: numbers as numbers, booleans as booleans, the rest as text."""
    if term is None:
        return None
    if isinstance(term, Literal) and term.datatype in _NUMERIC:
        number = _number(str(term))
        return str(term) if number is None else number
    if isinstance(term, Literal) and term.datatype == XSD.boolean:
        return str(term).strip() in ("true", "1")
    return str(term)


# Plain values computed once per answer and reused (a listing repeats its units, labels and
# numbers); cleared when this full, so an answer of ever new terms does not grow it without bound.
PLAIN_CACHE_SIZE = 50_000


def plain_rows(result: SelectResult) -> Iterator[dict[str, JsonValue | Decimal]]:
    values: dict[Node, JsonValue | Decimal] = {}
    for row in result.rows:
        plain: dict[str, JsonValue | Decimal] = {}
        for name in result.variables:
            term = row.get(name)
            if term is None:
                plain[name] = None
                continue
            value = values.get(term, _MISSING)
            if value is _MISSING:
                if len(values) >= PLAIN_CACHE_SIZE:
                    values.clear()
                value = values[term] = plain_value(term)
            plain[name] = value  # type: ignore[assignment]
        yield plain


_MISSING = object()


def _decimal_text(number: Decimal) -> str:
    """Positional notation, never exponent notation (1E+2 is not how people write 100)."""
    return format(number, "f")


def _json_value(value: JsonValue | Decimal) -> str:
    if isinstance(value, Decimal):
        return _decimal_text(value)  # a JSON number with exactly the decimal's digits
    return json.dumps(value, ensure_ascii=False)


@FORMATS.register("json")
def write_json(result: SelectResult, out: TextIO) -> None:
    """A JSON array of objects (keys = the query's variables), written row by row."""
    out.write("[")
    keys = [json.dumps(name, ensure_ascii=False) for name in result.variables]
    for index, row in enumerate(plain_rows(result)):
        out.write(",\n " if index else "\n ")
        out.write("{" + ", ".join(f"{key}: {_json_value(value)}" for key, value in zip(keys, row.values(), strict=True)) + "}")
    out.write("\n]\n")


def _csv_cell(value: JsonValue | Decimal) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# A spreadsheet reads a cell beginning with one of these as a formula (OWASP, CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def _spreadsheet_safe(value: JsonValue | Decimal) -> str:
    """The CSV cell for `value`, a text that would start a formula prefixed with `'` (OWASP's
    advice), so `=48万元` stays the text it is. Numbers stay numbers: -5 is not a formula."""
    cell = _csv_cell(value)
    if isinstance(value, str) and cell.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


@FORMATS.register("csv")
def write_csv(result: SelectResult, out: TextIO) -> None:
    """CSV with a byte-order mark, so spreadsheet programs read the Chinese text as UTF-8;
    cells safe to open in a spreadsheet (no text read as a formula)."""
    out.write("\ufeff")
    write_row = _csv_row_writer(out)
    write_row([_spreadsheet_safe(name) for name in result.variables])
    for row in plain_rows(result):
        write_row([_spreadsheet_safe(v) for v in row.values()])


def _csv_row_writer(out: TextIO) -> Callable[[list[str]], None]:
    """Rows ending in \\n, every cell holding a CR or LF quoted. (Python's csv quotes a cell only
    for the characters of its line terminator: with "\\n" alone a CR inside a cell went out bare
    and split the row in a reader, so rows are written with "\\r\\n" and end in "\\n".)"""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def write_row(cells: list[str]) -> None:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        out.write(buffer.getvalue()[:-2] + "\n")

    return write_row


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: wide and full-width (CJK) characters take two,
    combining marks and zero-width characters none, everything else one."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


# Characters a terminal acts on rather than shows: C0 and C1 controls, DEL, and the bidirectional
# controls that reorder what follows them (an RLO makes "txt.exe" look like "exe.txt").
_TERMINAL_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """`text` with every terminal control written as an escape (`\\x1b`, `\\u202e`)."""
    return _TERMINAL_CONTROLS.sub(lambda match: _escape(match.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _cell_text(value: JsonValue | Decimal) -> str:
    # Line breaks and tabs inside a goal statement would break the table's rows apart.
    text = " ".join(_csv_cell(value).split()) if isinstance(value, str) else _csv_cell(value)
    return terminal_safe(text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def _table_line(cells: list[str], widths: list[int], numeric: list[bool]) -> str:
    return "  ".join(_pad(cell, widths[i], numeric[i]) for i, cell in enumerate(cells)).rstrip() + "\n"


@FORMATS.register("table")
def write_table(result: SelectResult, out: TextIO) -> None:
    """An aligned text table, numbers right-aligned, then `(N rows)`.

    Column widths come from the header and the first TABLE_MEASURE_ROWS rows, so a large result
    streams: later rows are written as they come, with the same widths.
    """
    rows = plain_rows(result)
    head = list(islice(rows, TABLE_MEASURE_ROWS))
    header = [terminal_safe(name) for name in result.variables]
    widths = [display_width(name) for name in header]
    for row in head:
        for i, value in enumerate(row.values()):
            widths[i] = max(widths[i], display_width(_cell_text(value)))
    out.write(_table_line(header, widths, [False] * len(widths)))
    out.write("  ".join("-" * w for w in widths) + "\n")
    count = 0
    for row in chain(head, rows):
        values = list(row.values())
        numeric = [isinstance(v, int | Decimal) and not isinstance(v, bool) for v in values]
        out.write(_table_line([_cell_text(v) for v in values], widths, numeric))
        count += 1
    out.write(f"({count} rows)\n")



def write_boolean(answer: bool, out: TextIO) -> None:
    """An ASK answer: `true` or `false`, which is also the JSON boolean."""
    out.write("true\n" if answer else "false\n")


def write_triples(triples: Iterable[tuple[Node, Node, Node]], out: TextIO, turtle: bool) -> None:
    """A CONSTRUCT answer as N-Triples, streamed line by line, or as Turtle (which needs the whole graph)."""
    if turtle:
        from jixiao.namespaces import PREFIXES

        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for triple in triples:
            graph.add(triple)
        out.write(graph.serialize(format="turtle"))
        return
    iterator = iter(triples)
    while batch := list(islice(iterator, TRIPLES_PER_BATCH)):
        graph = Graph()
        for triple in batch:
            graph.add(triple)
        out.write(graph.serialize(format="nt"))  # rdflib's N-Triples escaping (a line break in a literal is \n)
