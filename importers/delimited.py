"""CSV and TSV plans: a task table pasted from Word or exported from a spreadsheet.

UTF-8 with or without BOM, UTF-16 with a BOM or Windows-1258. The delimiter is sniffed:
comma, semicolon or tab, whichever gives the most rows of one width (tab for .tsv). Rows
are the file's line numbers where each record starts.

Lines above the table's header (the plan's number, date, title, reporting duties, if pasted
along) are read as the plan's header. A bare table has none, so: the year comes from
`--year`, the issuer is "UBND xã <commune>" from `--commune` (an error asks for each when
missing), the number is the file's name, the date 1 January of the year, and the reporting
calendar the default one, each with a warning (see importers/header.py).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from importers.grid import Cell, Document, Grid, Row, clean
from importers.text import decode

DELIMITERS = ",;\t"


def read_delimited(path: Path) -> Document:
    text = decode(path.read_bytes(), path.name)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else _sniff(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    line = 1
    for record in reader:
        rows.append(Row(line, tuple(Cell(clean(value)) for value in record)))
        line = reader.line_num + 1
    return Document((Grid(tuple(rows)),))


def _sniff(text: str) -> str:
    """The delimiter that splits most rows of the sample into the same number (>1) of cells.
    (csv.Sniffer is thrown off by title lines above the table and commas inside cells.)"""
    sample = text[: 64 * 1024]

    def rows_of_one_width(delimiter: str) -> int:
        widths = Counter(len(r) for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
        return max((count for width, count in widths.items() if width > 1), default=0)

    return max(DELIMITERS, key=rows_of_one_width)
