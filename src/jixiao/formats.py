"""Render SELECT results as an aligned table, CSV (UTF-8 with BOM) or JSON."""

from __future__ import annotations

import csv
import json
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from typing import TextIO

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .stores import SelectResult

_NUMERIC = {XSD.decimal, XSD.integer, XSD.int, XSD.long, XSD.double, XSD.float, XSD.short,
            XSD.nonNegativeInteger, XSD.positiveInteger, XSD.unsignedInt}
JsonValue = str | int | float | bool | None


def plain_value(term: Node | None) -> JsonValue | Decimal:
    """A term as a plain value: numbers as numbers, everything else as its text."""
    if term is None:
        return None
    if isinstance(term, Literal) and term.datatype in _NUMERIC:
        try:
            number = Decimal(str(term))
        except ArithmeticError:
            return str(term)
        return int(number) if number == number.to_integral() else number
    if isinstance(term, Literal) and term.datatype == XSD.boolean:
        return term.toPython()  # type: ignore[no-any-return]
    if isinstance(term, URIRef | Literal):
        return str(term)
    return str(term)


def _json_default(value: object) -> float:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"not JSON serialisable: {value!r}")


def plain_rows(result: SelectResult) -> Iterator[dict[str, JsonValue | Decimal]]:
    for row in result.rows:
        yield {name: plain_value(row.get(name)) for name in result.variables}


def write_json(result: SelectResult, out: TextIO) -> None:
    """A JSON array of objects, written row by row so large results stream."""
    out.write("[")
    for index, row in enumerate(plain_rows(result)):
        out.write(",\n " if index else "\n ")
        out.write(json.dumps(row, ensure_ascii=False, default=_json_default))
    out.write("\n]\n")


def write_csv(result: SelectResult, out: TextIO) -> None:
    """CSV with a byte-order mark, so spreadsheet programs read the Chinese text as UTF-8."""
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.variables)
    for row in plain_rows(result):
        writer.writerow(["" if v is None else v for v in row.values()])


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - display_width(text))
    return fill + text if right else text + fill


def write_table(result: SelectResult, out: TextIO) -> None:
    """An aligned text table; numbers right-aligned. The whole result is measured first."""
    rows = [list(row.values()) for row in plain_rows(result)]
    texts = [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max([display_width(name)] + [display_width(r[i]) for r in texts]) for i, name in enumerate(result.variables)]
    out.write("  ".join(_pad(name, widths[i], False) for i, name in enumerate(result.variables)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row, text in zip(rows, texts, strict=True):
        cells = [_pad(t, widths[i], isinstance(v, int | Decimal)) for i, (v, t) in enumerate(zip(row, text, strict=True))]
        out.write("  ".join(cells).rstrip() + "\n")
    out.write(f"({len(rows)} rows)\n")


WRITERS = {"table": write_table, "csv": write_csv, "json": write_json}
