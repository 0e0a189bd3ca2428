"""Render SELECT results as an aligned table, CSV (UTF-8 with BOM) or JSON, row by row.

Each output format is a writer registered by name (`@FORMATS.register("csv")`); `jixiao query
--format` offers the names registered in FORMATS. A writer takes a `SelectResult` (rdflib terms,
from any backend) or a `TermRows` (a backend's own terms, described by `TermParts`: the embedded
store's fast path, which builds no rdflib term); both give the same bytes.

Each distinct term is rendered once per answer (its plain value, then its CSV cell, JSON value or
table cell) and the rendering reused: a listing repeats its units, labels, categories and numbers
row after row. A row is then a join of ready strings.

All three stream: JSON and CSV write each row as it comes; the table measures the first
`TABLE_MEASURE_ROWS` rows for its column widths and then writes on without holding the rest
(a later, wider cell just sticks out of its column).

Values are plain: numbers as numbers (xsd:decimal kept exact, never through a float),
booleans as booleans, every other term as its text; an unbound variable is null in JSON and an
empty cell in CSV and the table.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import replace
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal, InvalidOperation
from itertools import chain, islice
from typing import TextIO, TypeVar

from rdflib import Graph, Literal
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from jixiao.errors import terminal_safe
from jixiao.registry import Registry
from jixiao.stores.base import SelectResult, TermParts, TermRows, rdflib_term

_NUMERIC = {XSD.decimal, XSD.integer, XSD.int, XSD.long, XSD.double, XSD.float, XSD.short, XSD.byte,
            XSD.nonNegativeInteger, XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger,
            XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort, XSD.unsignedByte}
JsonValue = str | int | float | bool | None
PlainValue = JsonValue | Decimal
Result = SelectResult | TermRows
TABLE_MEASURE_ROWS = 1000
TRIPLES_PER_BATCH = 10_000
Writer = Callable[[Result, TextIO], None]
FORMATS: Registry[Writer] = Registry("output format")


def write(name: str, result: Result, out: TextIO) -> None:
    """Write `result` to `out` in the output format `name`."""
    FORMATS[name](result, out)


ResultKind = TypeVar("ResultKind", SelectResult, TermRows)


def page(result: ResultKind, offset: int = 0, limit: int | None = None) -> ResultKind:
    """The result's rows from the `offset`-th (counted from 0), at most `limit` of them.

    Applied to the solution sequence as it is read, never written into the query: the rows
    before the page are read and dropped unconverted, and reading stops where the page ends (an
    embedded store evaluates lazily, so a query without ORDER BY or grouping is not evaluated
    further; a remote answer's connection is closed).
    """
    if offset < 0 or (limit is not None and limit < 0):
        raise ValueError(f"a page needs an offset and a limit of at least 0, not {offset} and {limit}")
    return replace(result, rows=islice(result.rows, offset, None if limit is None else offset + limit))


def _number(text: str) -> int | Decimal | None:
    """A numeric literal's value: an int when whole, else a Decimal without trailing zeros."""
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None  # NaN and INF have no JSON number; they are shown as written
    # Exact whatever the length: the default context (28 digits) would round normalize(); an int of
    # more than 4,300 digits cannot be written by str() (Python's limit), so such a number stays a Decimal.
    _, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # finite
    exact = Context(prec=len(digits) + abs(exponent) + 1, Emax=MAX_EMAX, Emin=MIN_EMIN)
    if number == number.to_integral_value(context=exact):
        return int(number) if len(digits) + exponent < _INT_DIGITS_WRITABLE else number
    # normalize() drops trailing zeros (6.50 → 6.5) the way Oxigraph's canonical form does, so
    # the same answer prints the same from every backend.
    return number.normalize(context=exact)


_INT_DIGITS_WRITABLE = 4_000  # below sys.int_info.str_digits_check_threshold's default limit (4,300)


def plain_value(term: Node | None) -> PlainValue:
    """A term as a plain value: numbers as numbers, booleans as booleans, the rest as text."""
    if term is None:
        return None
    if isinstance(term, Literal) and term.datatype in _NUMERIC:
        number = _number(str(term))
        return str(term) if number is None else number
    if isinstance(term, Literal) and term.datatype == XSD.boolean:
        return str(term).strip() in ("true", "1")
    return str(term)


# The literals whose plain value plain_parts reads straight from the lexical form, because rdflib's
# normalisation (str(Literal)) cannot change it: whole numbers of the integer types and decimals
# written with digits and at most one point (rdflib keeps their exact value: int and Decimal), the
# booleans' canonical forms, and text. Every other literal (doubles, dates, years, a boolean
# written "1", an ill-typed number) goes through the rdflib term, so the two routes agree exactly.
_TEXT_DATATYPES = frozenset({"", str(XSD.string), str(RDF.langString)})
_INTEGER_LEXICAL = re.compile(r"[+-]?[0-9]+")
_EXACT_NUMBER_LEXICAL = {str(datatype): _INTEGER_LEXICAL for datatype in _NUMERIC - {XSD.decimal, XSD.double, XSD.float}}
_EXACT_NUMBER_LEXICAL[str(XSD.decimal)] = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_BOOLEAN_LEXICAL = {"true": True, "false": False}
_BOOLEAN = str(XSD.boolean)


def plain_parts(parts: TermParts) -> PlainValue:
    """The plain value of a term described by its parts: the same as plain_value of the equal rdflib term."""
    if parts.term_type != "literal" or parts.language or parts.datatype in _TEXT_DATATYPES:
        return parts.text
    datatype, text = parts.datatype, parts.text
    exact = _EXACT_NUMBER_LEXICAL.get(datatype)
    if exact is not None and exact.fullmatch(text):
        return _number(text)
    if datatype == _BOOLEAN and text in _BOOLEAN_LEXICAL:
        return _BOOLEAN_LEXICAL[text]
    return plain_value(rdflib_term(parts))


# Plain values computed once per answer and reused (a listing repeats its units, labels and
# numbers); cleared when this full, so an answer of ever new terms does not grow it without bound.
PLAIN_CACHE_SIZE = 50_000

Rendered = TypeVar("Rendered")


def _terms(result: Result) -> tuple[Iterator[Sequence[Hashable | None]], Callable[[Hashable], PlainValue]]:
    """The rows of either kind of result as sequences of terms (in the order of the variables), and the plain value of a term."""
    if isinstance(result, TermRows):
        parts = result.parts
        return iter(result.rows), lambda term: plain_parts(parts(term))
    variables = result.variables
    return ([row.get(name) for name in variables] for row in result.rows), plain_value  # type: ignore[return-value]


def rendered_rows(result: Result, render: Callable[[PlainValue], Rendered]) -> Iterator[list[Rendered]]:
    """The rows with each cell rendered by `render` from its plain value (None where unbound); each
    distinct term is rendered once and kept (at most PLAIN_CACHE_SIZE at a time)."""
    rows, plain = _terms(result)
    unbound = render(None)
    cache: dict[Hashable, Rendered] = {}
    for row in rows:
        cells = []
        for term in row:
            if term is None:
                cells.append(unbound)
                continue
            cell = cache.get(term, _MISSING)
            if cell is _MISSING:
                if len(cache) >= PLAIN_CACHE_SIZE:
                    cache.clear()
                cell = cache[term] = render(plain(term))
            cells.append(cell)  # type: ignore[arg-type]
        yield cells


def plain_rows(result: Result) -> Iterator[dict[str, PlainValue]]:
    """The rows as plain values by variable name."""
    variables = result.variables
    for values in rendered_rows(result, _same):
        yield dict(zip(variables, values, strict=True))


def _same(value: PlainValue) -> PlainValue:
    return value


_MISSING = object()


def _decimal_text(number: Decimal) -> str:
    """Positional notation, never exponent notation (1E+2 is not how people write 100)."""
    return format(number, "f")


def _json_value(value: PlainValue) -> str:
    if isinstance(value, Decimal):
        return _decimal_text(value)  # a JSON number with exactly the decimal's digits
    return json.dumps(value, ensure_ascii=False)


@FORMATS.register("json")
def write_json(result: Result, out: TextIO) -> None:
    """A JSON array of objects (keys = the query's variables), written row by row."""
    out.write("[")
    keys = [json.dumps(name, ensure_ascii=False) + ": " for name in result.variables]
    separator = "\n "
    for row in rendered_rows(result, _json_value):
        out.write(separator + "{" + ", ".join([key + value for key, value in zip(keys, row, strict=True)]) + "}")
        separator = ",\n "
    out.write("\n]\n")


def _csv_cell(value: PlainValue) -> str:
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


def _spreadsheet_safe(value: PlainValue) -> str:
    """The CSV cell for `value`, a text that would start a formula prefixed with `'` (OWASP's
    advice), so `=48万元` stays the text it is. Numbers stay numbers: -5 is not a formula."""
    cell = _csv_cell(value)
    if isinstance(value, str) and cell.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


# Python's csv writer (QUOTE_MINIMAL, the excel dialect) quotes a cell holding the delimiter, the
# quote or a character of its line terminator; rows are written with "\r\n" as the terminator and
# end in "\n", so a CR inside a cell is quoted too (with "\n" alone a bare CR split the row in a
# reader). The same rule, applied once per distinct cell: tests check it against the csv module.
_CSV_QUOTED = re.compile('[,"\r\n]')


def _csv_quoted(cell: str) -> str:
    if _CSV_QUOTED.search(cell):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _csv_render(value: PlainValue) -> str:
    return _csv_quoted(_spreadsheet_safe(value))


def _csv_line(cells: list[str]) -> str:
    # A row of one empty cell is written `""` (as the csv module does), so it is not read as no row.
    if len(cells) == 1 and not cells[0]:
        return '""\n'
    return ",".join(cells) + "\n"


@FORMATS.register("csv")
def write_csv(result: Result, out: TextIO) -> None:
    """CSV with a byte-order mark, so spreadsheet programs read the Chinese text as UTF-8;
    cells safe to open in a spreadsheet (no text read as a formula)."""
    out.write("\ufeff")
    out.write(_csv_line([_csv_render(name) for name in result.variables]))
    for row in rendered_rows(result, _csv_render):
        out.write(_csv_line(row))


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: wide and full-width (CJK) characters take two,
    combining marks and zero-width characters none, everything else one."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


def _cell_text(value: PlainValue) -> str:
    # Line breaks and tabs inside a goal statement would break the table's rows apart.
    text = " ".join(_csv_cell(value).split()) if isinstance(value, str) else _csv_cell(value)
    return terminal_safe(text)


class _TableCell:
    """A value as the table shows it: its text, the columns the text takes, and whether it is a number (right-aligned)."""

    __slots__ = ("numeric", "text", "width")

    def __init__(self, value: PlainValue) -> None:
        self.text = _cell_text(value)
        self.width = display_width(self.text)
        self.numeric = isinstance(value, int | Decimal) and not isinstance(value, bool)

    def padded(self, width: int) -> str:
        fill = " " * max(0, width - self.width)
        return fill + self.text if self.numeric else self.text + fill


def _table_line(cells: list[_TableCell], widths: list[int]) -> str:
    return "  ".join([cell.padded(width) for cell, width in zip(cells, widths, strict=True)]).rstrip() + "\n"


@FORMATS.register("table")
def write_table(result: Result, out: TextIO) -> None:
    """An aligned text table, numbers right-aligned, then `(N rows)`.

    Column widths come from the header and the first TABLE_MEASURE_ROWS rows, so a large result
    streams: later rows are written as they come, with the same widths.
    """
    rows = rendered_rows(result, _TableCell)
    head = list(islice(rows, TABLE_MEASURE_ROWS))
    header = [_TableCell(name) for name in result.variables]  # a str: text, left-aligned
    widths = [cell.width for cell in header]
    for row in head:
        widths = [max(width, cell.width) for width, cell in zip(widths, row, strict=True)]
    out.write(_table_line(header, widths))
    out.write("  ".join("-" * w for w in widths) + "\n")
    count = 0
    for row in chain(head, rows):
        out.write(_table_line(row, widths))
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
