"""Find the cells of every line, whatever text form the table arrived in.

A table copied from a web page, a PDF or an office document comes as one of these forms; each
RawLine says which (`RawLine.form`), so the layout knows whether row boundaries and column
positions can be trusted:

- `markdown` — `| a | b |`: the line starts with a bar. Today's seed form; a row without its
  closing bar is `complete=False`; the `|---|` rule under a header carries no content and is skipped.
- `bars` — `a | b | ||||` or `a |`: bars between cells but no leading bar. Runs of bars are merged
  cells collapsed, so cells are in column order, not at column positions; trailing empty cells
  are dropped, empty cells between two filled ones are kept as `""`.
- `spaces` — cells separated by a tab or a run of two or more spaces; and by single spaces in a
  block (lines between blank lines) where some line's space-separated tokens are two or more
  labels of the ontology (`产出指标 数量指标 …`, `一级指标 二级指标 …`): such a copy put one
  space between cells. A block right after such a block keeps reading single spaces so when
  one of its lines starts with a label (a table whose rows have blank lines between them).
  A separator inside brackets is no separator (`(   2023年度)`), and a token that is only a
  bracket group annotates the cell before it (`项目资金 (万元)`).
- `csv` — a CSV/TSV row (reading/readers.py): positions are reliable. A row of a single field is text.
- `run-together` — cells written with no separator at all; cut into cells from the ontology's
  labels and the shape of values (reading/segment.py states the rules, including when a line
  is one).
- `text` — anything else: one cell, `cells == (text,)`. Consecutive text lines are a cell stream
  (one cell per line) whose rows the layout finds.

A line that holds only bars (`|`, `||||||`) has no cells; it takes the form of the nearest line
with bars and content before it (after it, at the start of a file), so a lone `|` between
`cell |` lines is read as a bars row and `| | | |` inside a Markdown table as a Markdown row.

Line breaks are `\\n` (or `\\r\\n`) only: a carriage return or NUL character inside a line never
breaks a cell (it is removed), so cells of spreadsheets exported with in-cell breaks stay whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from jixiao.reading.segment import Lexicon, Segmentation, default_lexicon, label_cell, segment

MARKDOWN = "markdown"
BARS = "bars"
SPACES = "spaces"
CSV = "csv"
TEXT = "text"
RUN_TOGETHER = "run-together"
GRID = "grid"  # a row of a real table (office file, web page, PDF): cells at column positions, merged cells known
FORMS = (MARKDOWN, BARS, SPACES, CSV, TEXT, RUN_TOGETHER, GRID)

_SEPARATOR_CELL = re.compile(r"^\s*:?-{2,}:?\s*$")
_UNESCAPED_BAR = re.compile(r"(?<!\\)\|")
_WIDE_SEPARATOR = re.compile(r"\t+|\s{2,}")
_ANY_SEPARATOR = re.compile(r"\s+")
_BRACKET_GROUP = re.compile(r"^[(（\[【][^)）\]】]*[)）\]】]$")
_OPENING = "(（[【《"
_CLOSING = ")）]】》"


@dataclass(frozen=True)
class LineCells:
    """How one line was read: its form, cells and whether a Markdown row was closed."""

    number: int
    text: str
    form: str
    cells: tuple[str, ...]
    complete: bool = True
    split_targets: tuple[str, ...] = ()  # segment.py, rule 4


def physical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Number the lines, breaking at `\\n` only and dropping stray CR and NUL characters."""
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        yield number, line.replace("\r", "").replace("\x00", "")


def blocks(text: str) -> Iterator[list[tuple[int, str]]]:
    """Runs of non-blank lines, the unit in which a line's ambiguous form is decided."""
    block: list[tuple[int, str]] = []
    for number, line in physical_lines(text):
        if line.strip():
            block.append((number, line))
        elif block:
            yield block
            block = []
    if block:
        yield block


def read_lines(text: str, lexicon: Lexicon | None = None) -> list[LineCells]:
    """Every non-empty line of a plain-text or Markdown file with its cells and form."""
    lexicon = lexicon or default_lexicon()
    read: list[LineCells | tuple[int, str]] = []
    single_spaces = False
    for block in blocks(text):
        single_spaces = _single_spaces(block, single_spaces, lexicon)
        read += _read_block(block, single_spaces, lexicon)
    return _resolve_bar_only(read)


def _single_spaces(block: list[tuple[int, str]], before: bool, lexicon: Lexicon) -> bool:
    """Whether one space separates cells in this block: a line of it is a row of labels, or the
    block before was read so and a line of this one starts a row with a label (rows of a table
    with blank lines between them)."""
    spaced = [line for _, line in block if "|" not in line]
    if any(_is_label_row(line, lexicon) for line in spaced):
        return True
    return before and any(_starts_with_label(line, lexicon) for line in spaced)


def _starts_with_label(line: str, lexicon: Lexicon) -> bool:
    tokens = _ANY_SEPARATOR.split(line.strip())
    return len(tokens) >= 2 and label_cell(tokens[0], lexicon)


def _read_block(block: list[tuple[int, str]], single_spaces: bool, lexicon: Lexicon) -> list[LineCells | tuple[int, str]]:
    """The lines of one block; bar-only lines are left as (number, line) for their neighbours to decide."""
    read: list[LineCells | tuple[int, str]] = []
    unseparated: list[tuple[int, Segmentation]] = []  # position in `read` of each line with no separator, and its cut
    for number, line in block:
        if "|" in line:
            read.append(_bar_line(number, line))
            continue
        text = line.strip()
        cells = _split_spaces(text, single_spaces)
        if len(cells) >= 2:
            read.append(LineCells(number, text, SPACES, cells))
            continue
        unseparated.append((len(read), segment(text, lexicon)))
        read.append(LineCells(number, text, TEXT, (text,)))
    run_together_block = any(found.is_row for _, found in unseparated)
    for index, found in unseparated:
        if found.is_row or (run_together_block and found.fits_block):
            line_read = read[index]
            assert isinstance(line_read, LineCells)
            read[index] = LineCells(line_read.number, line_read.text, RUN_TOGETHER, found.cells, split_targets=found.split_targets)
    return read


def _is_label_row(line: str, lexicon: Lexicon) -> bool:
    """Two or more of the line's space-separated tokens are labels: the copy separates cells by one space."""
    tokens = _ANY_SEPARATOR.split(line.strip())
    return len(tokens) >= 2 and sum(1 for token in tokens if label_cell(token, lexicon)) >= 2


def _bar_line(number: int, line: str) -> LineCells | tuple[int, str]:
    """A line with bars: Markdown if it starts with one, bars otherwise; bar-only lines wait for context."""
    body = line.strip()
    if not body.replace("|", "").strip():
        return number, line
    if body.startswith("|"):
        cells, complete = _split_markdown_row(body)
        return LineCells(number, line.rstrip(), MARKDOWN, cells, complete)
    return LineCells(number, line.rstrip(), BARS, _split_bar_row(body))


def _split_markdown_row(body: str) -> tuple[tuple[str, ...], bool]:
    complete = body.endswith("|") and len(body) > 1
    inner = body[1:-1] if complete else body[1:]
    return tuple(_unescape(cell) for cell in _UNESCAPED_BAR.split(inner)), complete


def _split_bar_row(body: str) -> tuple[str, ...]:
    cells = [_unescape(cell) for cell in _UNESCAPED_BAR.split(body)]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)


def _unescape(cell: str) -> str:
    """A backslash-escaped bar belongs to the cell's text."""
    return cell.replace("\\|", "|").strip()


def _resolve_bar_only(read: list[LineCells | tuple[int, str]]) -> list[LineCells]:
    """A bar-only line takes the form of the nearest bar line with content before it (else after it)."""
    following: list[str | None] = [None] * len(read)
    upcoming: str | None = None
    for index in range(len(read) - 1, -1, -1):
        following[index] = upcoming
        item = read[index]
        if isinstance(item, LineCells) and item.form in (MARKDOWN, BARS):
            upcoming = item.form
    resolved: list[LineCells] = []
    previous: str | None = None
    for index, item in enumerate(read):
        if isinstance(item, LineCells):
            previous = item.form if item.form in (MARKDOWN, BARS) else previous
            resolved.append(item)
            continue
        number, line = item
        if (previous or following[index] or MARKDOWN) == BARS:
            resolved.append(LineCells(number, line.rstrip(), BARS, ()))
            continue
        cells, complete = _split_markdown_row(line.strip())
        resolved.append(LineCells(number, line.rstrip(), MARKDOWN, cells, complete))
    # The |---|---| rule under a Markdown header carries no content.
    return [r for r in resolved if not (r.form == MARKDOWN and "-" in r.text and _is_rule(r.cells))]


def _is_rule(cells: tuple[str, ...]) -> bool:
    return any(cells) and all(_SEPARATOR_CELL.match(c) or not c for c in cells)


def _split_spaces(line: str, single_spaces: bool) -> tuple[str, ...]:
    """Cells between separators (wide ones, or any whitespace in a single-space block), brackets kept whole."""
    body = line.strip()
    separator = _ANY_SEPARATOR if single_spaces else _WIDE_SEPARATOR
    cells: list[str] = []
    start = 0
    for match in separator.finditer(body):
        piece = body[start:match.start()]
        if _open_brackets(piece) > 0:
            continue  # inside brackets: not a separator
        cells.append(piece)
        start = match.end()
    cells.append(body[start:])
    return tuple(_attach_annotations([c for c in cells if c], body))


def _open_brackets(text: str) -> int:
    return sum(text.count(c) for c in _OPENING) - sum(text.count(c) for c in _CLOSING)


def _attach_annotations(cells: list[str], body: str) -> list[str]:
    """A token that is only a bracket group (`(万元)`) belongs to the cell before it, with its spacing."""
    joined: list[str] = []
    position = 0
    for cell in cells:
        start = body.index(cell, position)
        if joined and _BRACKET_GROUP.match(cell):
            joined[-1] = joined[-1] + body[position:start] + cell
        else:
            joined.append(cell)
        position = start + len(cell)
    return joined
