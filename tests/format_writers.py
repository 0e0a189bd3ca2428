"""Write one table document in the formats units publish (DOCX, XLSX, HTML; PDF printed from the DOCX).

A document is a list of blocks in order: a text line (`str`) or a table (`list[list[str]]`, rows of
cells). Merged cells are written the way an office user makes them: a row's trailing empty cells
are merged into its last filled cell (a title or a statement spanning the table), and an empty cell
in a `merge_down` column under a cell of that column is merged into it (a category spanning the
rows of its indicators). Read back, a merged cell's value is in the cell it starts in and the cells
it covers are empty: the same cells the Markdown table has.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

Block = str | list[list[str]]


@dataclass(frozen=True)
class Merge:
    row: int
    column: int
    rows: int
    columns: int


def merges(table: list[list[str]], merge_down: tuple[int, ...]) -> tuple[list[Merge], set[tuple[int, int]]]:
    """The merged ranges of a table (origin, size) and the cells they cover."""
    width = max(len(row) for row in table)
    rows = [row + [""] * (width - len(row)) for row in table]
    spans: dict[tuple[int, int], list[int]] = {}
    covered: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        filled = [c for c, text in enumerate(row) if text.strip()]
        if filled and filled[-1] < width - 1:
            spans[(r, filled[-1])] = [1, width - filled[-1]]
            covered |= {(r, c) for c in range(filled[-1] + 1, width)}
    for c in merge_down:
        origin: tuple[int, int] | None = None
        for r, row in enumerate(rows):
            if (r, c) in covered or spans.get((r, c), [1, 1])[1] > 1:
                origin = None
            elif row[c].strip():
                origin = (r, c)
                spans.setdefault(origin, [1, 1])
            elif origin is not None and c < len(row) and not any((r, k) in covered for k in range(c + 1)):
                spans[origin][0] += 1
                covered.add((r, c))
            else:
                origin = None
    found = [Merge(r, c, rs, cs) for (r, c), (rs, cs) in spans.items() if rs > 1 or cs > 1]
    return found, covered


def _padded(table: list[list[str]]) -> list[list[str]]:
    width = max(len(row) for row in table)
    return [row + [""] * (width - len(row)) for row in table]


def write_docx(blocks: list[Block], target: Path, merge_down: tuple[int, ...] = (1, 2)) -> Path:
    import docx
    from docx.oxml import OxmlElement

    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        rows = _padded(block)
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if text:
                    table.cell(r, c).text = text
        found, _ = merges(rows, merge_down)
        for row in table.rows:  # a row is not broken across pages (the PDF reader does not join a row's halves)
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for merge in found:
            table.cell(merge.row, merge.column).merge(table.cell(merge.row + merge.rows - 1, merge.column + merge.columns - 1))
    document.save(str(target))
    return target


def write_xlsx(blocks: list[Block], target: Path, merge_down: tuple[int, ...] = (1, 2), sheets: int = 1) -> Path:
    """Blocks into a workbook: table cells ruled, text lines in column A unruled; split over `sheets` sheets at text lines."""
    import openpyxl
    from openpyxl.styles import Border, Side

    thin = Side(style="thin")
    ruled = Border(left=thin, right=thin, top=thin, bottom=thin)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    per_sheet = max(1, -(-len(blocks) // sheets))
    row_number, started = 0, 0
    for index, block in enumerate(blocks):
        if index - started >= per_sheet and isinstance(block, str) and isinstance(blocks[index - 1], list):
            sheet, row_number, started = workbook.create_sheet(f"表{index}"), 0, index
        if isinstance(block, str):
            row_number += 1
            _put(sheet.cell(row_number, 1), block)
            continue
        rows = _padded(block)
        found, covered = merges(rows, merge_down)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                cell = sheet.cell(row_number + r + 1, c + 1)
                cell.border = ruled
                if text and (r, c) not in covered:
                    _put(cell, text)
        for merge in found:
            sheet.merge_cells(start_row=row_number + merge.row + 1, start_column=merge.column + 1,
                              end_row=row_number + merge.row + merge.rows, end_column=merge.column + merge.columns)
        row_number += len(rows)
    workbook.save(str(target))
    return target


def _put(cell, text: str) -> None:  # type: ignore[no-untyped-def]
    """A text starting with `=` (a target `=48万元`) is text, as Excel keeps it when typed with a leading quote."""
    cell.value = _stored(text)
    if text.startswith("="):
        cell.data_type = "s"


def _stored(text: str) -> str | int | float:
    """Numbers are stored as numbers, as a clerk typing them into Excel stores them."""
    try:
        number = float(text)
    except ValueError:
        return text
    if text.strip() != text or (text.startswith(("+", "0")) and text != "0" and not text.startswith("0.")):
        return text
    return int(number) if number.is_integer() and "." not in text else number


def write_html(blocks: list[Block], target: Path, merge_down: tuple[int, ...] = (1, 2), encoding: str = "utf-8") -> Path:
    html = ElementTree.Element("html")
    head = ElementTree.SubElement(html, "head")
    ElementTree.SubElement(head, "meta", {"http-equiv": "Content-Type", "content": f"text/html; charset={encoding}"})
    body = ElementTree.SubElement(html, "body")
    for block in blocks:
        if isinstance(block, str):
            ElementTree.SubElement(body, "p").text = block
            continue
        rows = _padded(block)
        found, covered = merges(rows, merge_down)
        origin = {(m.row, m.column): m for m in found}
        table = ElementTree.SubElement(body, "table", {"border": "1"})
        for r, row in enumerate(rows):
            tr = ElementTree.SubElement(table, "tr")
            for c, text in enumerate(row):
                if (r, c) in covered:
                    continue
                attributes = {}
                if (r, c) in origin:
                    attributes = {k: str(v) for k, v in (("rowspan", origin[r, c].rows), ("colspan", origin[r, c].columns)) if v > 1}
                ElementTree.SubElement(tr, "td", attributes).text = text
    target.write_bytes(b"<!DOCTYPE html>\n" + ElementTree.tostring(html, encoding=encoding, method="html"))
    return target


def converter() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def print_pdf(docx_file: Path, out_dir: Path) -> Path:
    """Print a DOCX to PDF with LibreOffice, as a unit's clerk would."""
    soffice = converter()
    assert soffice is not None
    profile = out_dir / ".lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(out_dir),
                    str(docx_file)], check=True, capture_output=True, timeout=300)
    return out_dir / (docx_file.stem + ".pdf")


def write_xls(blocks: list[Block], target: Path, merge_down: tuple[int, ...] = (1, 2)) -> Path:
    """Blocks into an Excel 97-2003 workbook (xlwt), merged ranges written with write_merge."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("表1")
    row_number = 0
    for block in blocks:
        if isinstance(block, str):
            sheet.write(row_number, 0, block)
            row_number += 1
            continue
        rows = _padded(block)
        found, covered = merges(rows, merge_down)
        origin = {(m.row, m.column): m for m in found}
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if (r, c) in origin:
                    m = origin[r, c]
                    sheet.write_merge(row_number + r, row_number + r + m.rows - 1, c, c + m.columns - 1, text)
                elif text and (r, c) not in covered:
                    sheet.write(row_number + r, c, _stored(text))
        row_number += len(rows)
    book.save(str(target))
    return target
