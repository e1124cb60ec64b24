"""Hostile plan files, written by the tests (no binary fixtures): each is small on disk and
would, read naively, freeze the reader or exhaust its memory."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import openpyxl
from docx.oxml.ns import qn

TITLE = "KẾ HOẠCH\nCải cách hành chính năm 2024\n"
BOMB_BYTES = 50 * 2**20  # zeros: they deflate about 1000:1


def long_line_of_spaces(folder: Path) -> Path:
    """A 200 KB line of spaces (a pipe-table separator test that backtracks on each one)."""
    path = folder / "dong-dai.txt"
    path.write_text(TITLE + " " * 200_000 + "\n", encoding="utf-8")
    return path


def blank_lines(folder: Path, count: int = 10_000) -> Path:
    """`count` blank lines between a reporting sentence's start and its end."""
    path = folder / "dong-trong.txt"
    path.write_text(TITLE + "Báo cáo quý gửi" + "\n" * count + "trước ngày 10 tháng cuối quý.\n", encoding="utf-8")
    return path


def lines_of_spaces(folder: Path, count: int = 40, length: int = 9_999) -> Path:
    """`count` lines of spaces, each just under the line cap."""
    path = folder / "nhieu-dong-trang.txt"
    path.write_text(TITLE + (" " * length + "\n") * count, encoding="utf-8")
    return path


def sheet_claiming_every_cell(folder: Path) -> Path:
    """An .xlsx whose sheet spans A1:XFD1048576: two cells, a million rows by 16,384 columns apart."""
    path = folder / "bang-khong-lo.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "STT"
    sheet["XFD1048576"] = "cuối"
    workbook.save(path)
    return path


def table_spanning_a_billion_columns(folder: Path) -> Path:
    """A .docx whose table cell spans gridSpan="1000000000" columns."""
    path = folder / "bang-gop.docx"
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "STT"
    tc_pr = table.cell(1, 0)._tc.get_or_add_tcPr()
    span = tc_pr.makeelement(qn("w:gridSpan"), {qn("w:val"): "1000000000"})
    tc_pr.append(span)
    document.save(str(path))
    return path


def zip_bomb(folder: Path) -> Path:
    """A .docx with a part of 50 MB of zeros stored in about 50 KB (1000:1)."""
    path = folder / "bom-nen.docx"
    _rewritten(_plain_docx(), path, {"word/media/image1.bin": bytes(BOMB_BYTES)})
    return path


def entity_expansion(folder: Path) -> Path:
    """A .docx whose document declares entities that expand a billion times (billion laughs)."""
    path = folder / "thuc-the.docx"
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY l0 "ha">{laughs}]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>"
    )
    _rewritten(_plain_docx(), path, {"word/document.xml": xml.encode()})
    return path


def _plain_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _rewritten(package: bytes, path: Path, parts: dict[str, bytes]) -> None:
    """The package with `parts` replaced or added."""
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename not in parts:
                target.writestr(item, source.read(item))
        for name, data in parts.items():
            target.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
