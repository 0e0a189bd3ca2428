"""Turn a table's cells (with merges) and the text around it into RawLines, shared by every format."""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.errors import InputError
from jixiao.reading.readers import RawLine
from jixiao.reading.textforms import GRID


@dataclass
class Lines:
    """RawLines of one document as they are found, numbered in document order."""

    lines: list[RawLine] = field(default_factory=list)

    def text(self, text: str, where: str = "") -> None:
        """A line of text outside any table (one RawLine per non-empty line)."""
        for part in text.replace("\r", "\n").split("\n"):
            part = " ".join(part.split())
            if part:
                self.lines.append(RawLine(len(self.lines) + 1, part, where=where))

    def row(self, cells: list[str], merged: set[int], where: str) -> None:
        """A table row with its cells at their columns; an empty row is skipped (it holds nothing)."""
        cells = [" ".join(c.split()) for c in cells]
        if not any(cells):
            return
        self.lines.append(RawLine(len(self.lines) + 1, " | ".join(cells), tuple(cells), form=GRID, where=where,
                                  merged=frozenset(merged)))


@dataclass(frozen=True)
class Span:
    """A cell as a format stores it: its text and how many rows and columns it covers."""

    text: str
    rows: int = 1
    columns: int = 1


def place(rows: list[list[Span]]) -> list[tuple[list[str], set[int]]]:
    """Lay spanning cells out on a grid (as HTML's rowspan/colspan do): each row's texts and covered columns."""
    grid: dict[tuple[int, int], str | None] = {}
    width = 0
    for r, spans in enumerate(rows):
        column = 0
        for span in spans:
            while (r, column) in grid:
                column += 1
            for dr in range(max(1, span.rows)):
                for dc in range(max(1, span.columns)):
                    grid[(r + dr, column + dc)] = span.text if dr == dc == 0 else None
            column += max(1, span.columns)
            width = max(width, column)
    placed: list[tuple[list[str], set[int]]] = []
    for r in range(len(rows)):
        texts = [grid.get((r, c), "") for c in range(width)]
        placed.append(([t or "" for t in texts], {c for c, t in enumerate(texts) if t is None}))
    return placed


def join_parts(parts: list[str]) -> str:
    """Join a cell's paragraphs or broken lines: no space between Chinese characters, one between words."""
    text = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if text and (text[-1].isascii() and part[0].isascii()):
            text += " "
        text += part
    return text


def failure(path: str, kind: str, error: BaseException | str) -> InputError:
    """A clear error for a file its reader could not read (corrupt, truncated or not what its name says)."""
    return InputError(path, None, f"cannot read the file as {kind} (corrupt or not a {kind} file): {error} / 文件已损坏或不是{kind}文件")
