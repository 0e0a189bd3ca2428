"""Web pages (部门预算公开 pages saved as .html, and web pages saved under an Excel or Word name).

The page's `<table>`s are read with rowspan and colspan laid out on a grid; a table that only lays
out the page (it holds other tables) is looked into, not read as data; text outside the tables
(titles, `金额单位` lines) is kept in document order. The page is decoded in the encoding it
declares (`<meta charset>` or `http-equiv`), GB2312 and GBK read as GB18030 (their superset).
"""

from __future__ import annotations

import re

from jixiao.errors import InputError
from jixiao.reading.formats import magic
from jixiao.reading.formats.grid import Lines, Span, failure, join_parts, place
from jixiao.reading.readers import RawLine, bytes_reader

_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "cp936": "gb18030"}
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "caption", "section", "article", "header", "footer", "center",
           "title", "pre", "blockquote", "dt", "dd"}
_SKIPPED = {"script", "style", "noscript", "template"}


def decode_page(path: str, data: bytes) -> tuple[str, str]:
    """The page's text and the encoding it was read in: BOM, then the declared charset, then UTF-8, then GB18030."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), codec
    candidates: list[str] = []
    if declared := _DECLARED.search(data[:8192]):
        name = declared.group(1).decode("ascii").lower()
        candidates.append(name)
    candidates += ["utf-8", "gb18030"]
    for name in candidates:
        try:
            return data.decode(_SUPERSETS.get(name, name)), name
        except (LookupError, UnicodeDecodeError):
            continue
    raise InputError(path, None, "cannot decode the web page in its declared encoding, UTF-8 or GB18030 / 无法识别网页编码")


@bytes_reader(".html", ".htm", ".xhtml", sniff=magic.is_html)
def read_html(path: str, data: bytes) -> tuple[list[RawLine], str]:
    import lxml.html
    from lxml import etree

    text, encoding = decode_page(path, data)
    try:
        root = lxml.html.document_fromstring(text.replace("\x00", ""))
    except (etree.ParserError, ValueError) as error:
        raise failure(path, "HTML", error) from error
    for element in root.iter("br"):
        element.tail = "\n" + (element.tail or "")
    lines = Lines()
    _visit(root, lines, [0])
    return lines.lines, encoding


def _visit(element, lines: Lines, tables: list[int]) -> None:  # type: ignore[no-untyped-def]
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIPPED or (tag == "head" and element.find(".//table") is None):
        return
    if tag == "table" and element.find(".//table") is None:
        tables[0] += 1
        _read_table(element, lines, tables[0])
        return
    if element.find(".//table") is None:
        lines.text(_block_text(element))
        return
    lines.text(element.text or "")
    for child in element:
        _visit(child, lines, tables)
        lines.text(child.tail or "")


def _block_text(element) -> str:  # type: ignore[no-untyped-def]
    """An element's text with a line break after every block inside it (and after each <br>)."""
    parts: list[str] = [element.text or ""]
    for child in element:
        child_tag = child.tag if isinstance(child.tag, str) else ""
        if child_tag not in _SKIPPED:
            parts.append(_block_text(child))
            if child_tag in _BLOCKS:
                parts.append("\n")
        parts.append(child.tail or "")
    return "".join(parts)


def _read_table(table, lines: Lines, number: int) -> None:  # type: ignore[no-untyped-def]
    rows = [[Span(_cell_text(cell), _span(cell, "rowspan"), _span(cell, "colspan")) for cell in row if cell.tag in ("td", "th")]
            for row in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")]
    caption = table.find("caption")
    if caption is not None:
        lines.text(caption.text_content())
    for index, (cells, merged) in enumerate(place(rows), start=1):
        lines.row(cells, merged, f"table {number}, row {index}")


def _cell_text(cell) -> str:  # type: ignore[no-untyped-def]
    return join_parts(_block_text(cell).split("\n"))


def _span(cell, attribute: str) -> int:  # type: ignore[no-untyped-def]
    try:
        return max(1, min(int(re.sub(r"\D", "", cell.get(attribute, "1")) or 1), 1000))
    except ValueError:
        return 1
