"""Word documents (.docx, python-docx), and the Office files no reader takes (password-protected, Word 97).

A document's body is read in order: each paragraph a text line (titles, `金额单位：万元`), each
table its rows. Merged cells are read from the table's own markup: a cell spanning columns
(`w:gridSpan`) and a cell continued downwards (`w:vMerge`) keep their text in the first cell, and
the cells they cover are empty and marked merged.
"""

from __future__ import annotations

import io

from jixiao.errors import InputError
from jixiao.reading.formats import magic
from jixiao.reading.formats.grid import Lines, failure, join_parts
from jixiao.reading.readers import RawLine, bytes_reader

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@bytes_reader(".docx", sniff=magic.is_docx)
def read_docx(path: str, data: bytes) -> tuple[list[RawLine], str]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if magic.is_encrypted_office(data):
        return read_encrypted(path, data)
    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except (PackageNotFoundError, KeyError, ValueError, OSError) as error:
        raise failure(path, "DOCX", error) from error
    except Exception as error:  # zipfile and lxml raise their own kinds on a damaged package
        raise failure(path, "DOCX", error) from error
    lines = Lines()
    tables = 0
    for element in body.iterchildren():
        if element.tag == f"{_W}p":
            lines.text(_paragraph_text(element))
        elif element.tag == f"{_W}tbl":
            tables += 1
            _read_table(element, lines, tables)
    return lines.lines, "docx"


def _paragraph_text(paragraph) -> str:  # type: ignore[no-untyped-def]
    return "".join(node.text or ("\n" if node.tag in (f"{_W}br", f"{_W}cr") else "\t" if node.tag == f"{_W}tab" else "")
                   for node in paragraph.iter(f"{_W}t", f"{_W}br", f"{_W}cr", f"{_W}tab"))


def _cell_text(cell) -> str:  # type: ignore[no-untyped-def]
    return join_parts([_paragraph_text(p) for p in cell.iter(f"{_W}p")])


def _read_table(table, lines: Lines, number: int) -> None:  # type: ignore[no-untyped-def]
    """Rows of one table with gridSpan and vMerge resolved onto the table's grid columns."""
    above: dict[int, bool] = {}  # columns whose cell in the previous row can be continued downwards
    for index, row in enumerate(table.iterchildren(f"{_W}tr"), start=1):
        cells: list[str] = []
        merged: set[int] = set()
        before = row.find(f"{_W}trPr/{_W}gridBefore")
        if before is not None:
            cells += [""] * int(before.get(f"{_W}val", "0"))
        for cell in row.iterchildren(f"{_W}tc"):
            properties = cell.find(f"{_W}tcPr")
            span, continued = 1, False
            if properties is not None:
                grid_span = properties.find(f"{_W}gridSpan")
                span = int(grid_span.get(f"{_W}val", "1")) if grid_span is not None else 1
                vmerge = properties.find(f"{_W}vMerge")
                continued = vmerge is not None and vmerge.get(f"{_W}val", "continue") == "continue"
            start = len(cells)
            if continued and above.get(start):
                cells += [""] * span
                merged.update(range(start, start + span))
            else:
                cells.append(_cell_text(cell))
                cells += [""] * (span - 1)
                merged.update(range(start + 1, start + span))
        above = {c: True for c in range(len(cells))}
        lines.row(cells, merged, f"table {number}, row {index}")


@bytes_reader(".doc", sniff=magic.is_word97)
def read_word97(path: str, data: bytes) -> tuple[list[RawLine], str]:
    if magic.is_encrypted_office(data):
        return read_encrypted(path, data)
    raise InputError(path, None, "a Word 97-2003 document (.doc) is not read: save it as .docx / 不支持 .doc 格式，请另存为 .docx")


@bytes_reader(sniff=magic.is_encrypted_office)
def read_encrypted(path: str, data: bytes) -> tuple[list[RawLine], str]:
    raise InputError(path, None, "the file is password-protected (encrypted Office file): save it again without a password "
                     "/ 文件有密码保护，请去掉密码后另存")
