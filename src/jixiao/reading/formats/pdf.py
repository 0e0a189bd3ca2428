"""Text-based PDFs (pdfplumber): ruled tables and the text around them, page by page.

A table continuing on the next page is read on: its rows follow the previous page's, each with its
page in `where`. Cells a ruled table merges (pdfplumber finds no cell there) are empty and marked
merged. A PDF with pages but no text at all is a scan: it is refused as such (no OCR), not read as a
file without a table.
"""

from __future__ import annotations

import io

from jixiao.errors import InputError
from jixiao.reading.formats import magic
from jixiao.reading.formats.grid import Lines, failure, join_parts
from jixiao.reading.readers import RawLine, bytes_reader

SCANNED = "scanned PDF without a text layer: OCR is not supported / 扫描版PDF没有文字层：不支持OCR识别"


@bytes_reader(".pdf", sniff=magic.is_pdf)
def read_pdf(path: str, data: bytes) -> tuple[list[RawLine], str]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    lines = Lines()
    characters = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as document:
            tables = 0
            for number, page in enumerate(document.pages, start=1):
                characters += len(page.chars)
                tables = _read_page(page, number, tables, lines)
    except PDFPasswordIncorrect as error:
        raise InputError(path, None, "the PDF is password-protected / PDF文件有密码保护") from error
    except InputError:
        raise
    except Exception as error:  # pdfminer raises many kinds on a damaged file (PSSyntaxError, PDFSyntaxError, KeyError)
        raise failure(path, "PDF", error) from error
    if characters == 0:
        raise InputError(path, None, SCANNED)
    return lines.lines, "pdf"


def _read_page(page, page_number: int, tables: int, lines: Lines) -> int:  # type: ignore[no-untyped-def]
    """Text lines and table rows of one page, top to bottom; returns the count of tables read so far."""
    found = sorted(page.find_tables(), key=lambda table: table.bbox[1])
    boxes = [table.bbox for table in found]

    def outside(obj: dict) -> bool:
        middle_x, middle_y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, top, x1, bottom in boxes)

    items: list[tuple[float, object]] = [(line["top"], line["text"]) for line in page.filter(outside).extract_text_lines()]
    items += [(table.bbox[1], table) for table in found]
    for _, item in sorted(items, key=lambda pair: pair[0]):
        if isinstance(item, str):
            lines.text(item, f"page {page_number}")
            continue
        tables += 1
        for index, row in enumerate(item.extract(), start=1):
            texts = [join_parts((text or "").split("\n")) for text in row]
            merged = {column for column, text in enumerate(row) if text is None}
            lines.row(texts, merged, f"page {page_number}, table {tables}, row {index}")
    return tables
