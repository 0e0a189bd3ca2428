"""Readers of the files units publish: web pages, Word and Excel files, PDFs, and ZIP archives of them.

Each module registers its reader with `jixiao.reading.readers.bytes_reader`, by suffix and by the
file's content (magic bytes), and yields RawLines: a table row is a line of form `grid` (cells at
their column positions; a merged cell's value in the cell it starts in, the cells it covers left
empty and listed in `RawLine.merged`, so the layout inherits them as it does the blank cells of a
Markdown table), text outside tables (titles, `金额单位：万元` lines) a line of form `text`, in
document order. `RawLine.number` counts rows and lines through the whole file; `RawLine.where`
says where the row is (`sheet 1 (Sheet1), row 5`, `page 2, table 1, row 3`, `table 2, row 4`).
"""

from jixiao.reading.formats import archive, html, office, pdf, sheets  # noqa: F401  (registration)
