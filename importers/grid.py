"""What every reader produces: the document as blocks of free text and grids of cells.

A grid is a table as a person sees it: rows numbered as they would find them in the source
(text line, sheet row, CSV line, Word table row), each cell's text and whether it is bold.
Readers resolve merged cells before the table semantics see them: a vertically merged
cell's value is repeated in every row it spans; a horizontally merged cell's value is in its
first column and the others are empty. Cells whose content comes from a merged cell that
starts elsewhere (the copies below, the empty rest of a span) are marked `merged`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field


def clean(text: str) -> str:
    """NFC, spaces collapsed within each line, blank lines dropped, ends stripped."""
    lines = (" ".join(line.split()) for line in unicodedata.normalize("NFC", text).splitlines())
    return "\n".join(line for line in lines if line)


LAYOUT_COLUMNS = 3  # Word documents lay out their header block and signature in tables this narrow


@dataclass(frozen=True)
class Cell:
    text: str = ""
    bold: bool = False
    merged: bool = False


@dataclass(frozen=True)
class Row:
    number: int  # 1-based, as a person finds it in the source
    cells: tuple[Cell, ...]
    last_line: int | None = None  # a text row continued on later lines ends there
    wraps: bool = False  # a text line that may be the wrapped rest of the row above (its first cell empty)
    joined: tuple[int, ...] = ()  # the wrapped lines joined into this row

    def continued_by(self, line: Row) -> Row:
        """This row with a wrapped line's pieces added: each piece to the cell above it, or
        to the nearest filled cell on its left (the renderer shifted it); a piece the cell
        already ends with was rendered twice and is dropped."""
        texts = self.texts()
        for index, cell in enumerate(line.cells):
            if not cell.text:
                continue
            target = min(index, len(texts) - 1)
            while target > 0 and not texts[target]:
                target -= 1
            above = texts[target]
            if above != cell.text and not above.endswith(" " + cell.text):
                texts[target] = f"{above} {cell.text}".strip()
        cells = tuple(Cell(text, bold=old.bold, merged=old.merged) for text, old in zip(texts, self.cells, strict=True))
        return Row(self.number, cells, last_line=line.last_line or line.number, joined=(*self.joined, line.number))

    def text(self, column: int) -> str:
        return self.cells[column].text if 0 <= column < len(self.cells) else ""

    def texts(self) -> list[str]:
        return [cell.text for cell in self.cells]

    def is_empty(self) -> bool:
        return not any(self.texts())


@dataclass(frozen=True)
class Grid:
    rows: tuple[Row, ...]
    label: str | None = None  # which table or sheet, for people, when the file has several

    def as_text(self) -> str:
        """The grid's cells as lines of text, for reading the plan's header and calendar. A
        layout table of a few columns (the issuer beside the national motto, the recipients
        beside the signature) reads column by column, as a person reads it; a wider one row
        by row."""
        width = max((len(row.cells) for row in self.rows), default=0)
        if width <= LAYOUT_COLUMNS:
            columns = ([row.text(c) for row in self.rows if row.text(c)] for c in range(width))
            return "\n\n".join("\n".join(texts) for texts in columns)
        return "\n\n".join("\n".join(cell.text for cell in row.cells if cell.text) for row in self.rows)


@dataclass(frozen=True)
class Document:
    """A plan file as read: free text and grids, in the order they appear."""

    blocks: tuple[str | Grid, ...] = field(default_factory=tuple)
    lines: tuple[str, ...] = ()  # the text as numbered for people (text lines, Word paragraphs), for prose plans
    wrapped: bool = True  # a renderer broke its paragraphs over several lines (text), or not (Word)
    merges_kept: bool = False  # the format records merged cells (Word, Excel): an empty cell is really empty

    def grids(self) -> list[Grid]:
        return [block for block in self.blocks if isinstance(block, Grid)]

    def text_without(self, skipped: Grid | None) -> str:
        """All the document's text except the grid `skipped` (the task table)."""
        parts = (block if isinstance(block, str) else block.as_text() for block in self.blocks if block is not skipped)
        return "\n\n".join(part for part in parts if part)
