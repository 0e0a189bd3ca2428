"""Workbooks: .xlsx (openpyxl: merged ranges, number formats, borders) and .xls (python-calamine).

Every sheet is read in order. A merged range keeps its value in its top-left cell; the cells it
covers are empty and marked merged. A number is written as the cell shows it (`130`, `27.06`,
`95%` for 0.95 formatted as a percentage, dates as `2023-01-01`), not as the float stored.

Text outside a table: a row whose only filled cell has no border (a title, `金额单位：万元`) is a
line of text, as it would be in a Word document; a row of a ruled table stays a row even with one
cell filled (`长期绩效目标表`). An .xls carries no border here, so there a row of one filled cell
is a line of text, as a CSV line of one field is.
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

from jixiao.reading.formats import magic
from jixiao.reading.formats.grid import Lines, failure
from jixiao.reading.formats.office import read_encrypted
from jixiao.reading.readers import RawLine, bytes_reader

_DECIMALS = re.compile(r"0\.(0+)")


def shown(value: object, number_format: str = "General") -> str:
    """A cell's value as a spreadsheet shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        section = number_format.split(";")[0]
        decimals = _DECIMALS.search(section)
        places = len(decimals.group(1)) if decimals else 0
        if "%" in section:
            return f"{Decimal(str(value)) * 100:.{places}f}%"
        if decimals or (section not in ("General", "@") and "0" in section):
            return f"{Decimal(str(value)):{',' if ',' in section else ''}.{places}f}"
        return _general(value)
    return str(value)


def _general(value: float | int | Decimal) -> str:
    """Excel's General format: an integral number without a decimal point, others as short as exact."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return format(number.normalize(), "f")


@bytes_reader(".xlsx", ".xlsm", sniff=magic.is_xlsx)
def read_xlsx(path: str, data: bytes) -> tuple[list[RawLine], str]:
    import openpyxl

    if magic.is_encrypted_office(data):
        return read_encrypted(path, data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # zipfile, lxml and openpyxl raise their own kinds on a damaged workbook
        raise failure(path, "XLSX", error) from error
    lines = Lines()
    for number, sheet in enumerate(workbook.worksheets, start=1):
        covered: set[tuple[int, int]] = set()
        for cell_range in sheet.merged_cells.ranges:
            covered |= {(r, c) for r in range(cell_range.min_row, cell_range.max_row + 1)
                        for c in range(cell_range.min_col, cell_range.max_col + 1)} - {(cell_range.min_row, cell_range.min_col)}
        for row in sheet.iter_rows():
            cells = [shown(cell.value, cell.number_format) if (cell.row, cell.column) not in covered else "" for cell in row]
            merged = {cell.column - 1 for cell in row if (cell.row, cell.column) in covered}
            where = f"sheet {number} ({sheet.title}), row {row[0].row}" if row else ""
            filled = [cell for cell, text in zip(row, cells, strict=True) if text]
            if len(filled) == 1 and not _ruled(filled[0]) and not merged:
                lines.text(cells[filled[0].column - 1], where)
            else:
                lines.row(cells, merged, where)
    return lines.lines, "xlsx"


def _ruled(cell) -> bool:  # type: ignore[no-untyped-def]
    border = cell.border
    return any(side is not None and side.style for side in (border.left, border.right, border.top, border.bottom))


@bytes_reader(".xls", sniff=magic.is_xls)
def read_xls(path: str, data: bytes) -> tuple[list[RawLine], str]:
    from python_calamine import CalamineWorkbook

    if magic.is_encrypted_office(data):
        return read_encrypted(path, data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # calamine raises its own kinds on a damaged workbook
        raise failure(path, "XLS", error) from error
    lines = Lines()
    for number, name in enumerate(workbook.sheet_names, start=1):
        sheet = workbook.get_sheet_by_name(name)
        covered: set[tuple[int, int]] = set()
        for (top, left), (bottom, right) in getattr(sheet, "merged_cell_ranges", None) or []:
            covered |= {(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)} - {(top, left)}
        for r, values in enumerate(sheet.to_python(skip_empty_area=False)):
            cells = ["" if (r, c) in covered else shown(value if value != "" else None) for c, value in enumerate(values)]
            merged = {c for c in range(len(values)) if (r, c) in covered}
            filled = [text for text in cells if text]
            if len(filled) == 1 and not merged:
                lines.text(filled[0], f"sheet {number} ({name}), row {r + 1}")
            else:
                lines.row(cells, merged, f"sheet {number} ({name}), row {r + 1}")
    return lines.lines, "xls"
