"""A document read as the commune's records clerk reads it: python-docx for its page, fonts and
texts in order, LibreOffice (headless) for its pages once printed, the first one kept as a PNG
in `test-artifacts/documents/` (or $CCHC_TEST_ARTIFACTS)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Length
from docx.table import Table
from docx.text.paragraph import Paragraph

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("CCHC_TEST_ARTIFACTS", ROOT / "test-artifacts")) / "documents"
A4_POINTS = "595.3 x 841.9"


def reading_order(document: DocxDocument) -> Iterator[str]:
    """Every paragraph's text, tables' cells row by row, in the order of the document."""
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block.text
        else:
            yield from _cells(block)


def _cells(table: Table) -> Iterator[str]:
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                yield paragraph.text
            for inner in cell.tables:
                yield from _cells(inner)


def opened(data: bytes) -> DocxDocument:
    return Document(io.BytesIO(data))


def text_of(data: bytes) -> str:
    return "\n".join(reading_order(opened(data)))


def header_text(data: bytes, *, first: bool) -> str:
    section = opened(data).sections[0]
    header = section.first_page_header if first else section.header
    return "\n".join(paragraph.text for paragraph in header.paragraphs)


def check_the_form(data: bytes, *, number: str, signer: str, draft: bool = True) -> str:
    """What every document must show (Nghị định 30/2020): A4 and its margins, Times New Roman,
    the issuing body beside the national motto, "Số:" (`number` the symbol of a number left
    blank, "BC-UBND", or an issued one, "15/QĐ-UBND"), the place and date in words, "Nơi nhận"
    ending with "Lưu: VT, VP.", the signing authority above `signer`, and "DỰ THẢO" while a
    draft; its text, for the caller's own checks."""
    document = opened(data)
    section = document.sections[0]
    width, height, top, bottom, left, right = (
        round(Length(value or 0).mm)
        for value in (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
                      section.left_margin, section.right_margin)
    )  # fmt: skip
    assert (width, height) == (210, 297)
    assert 20 <= top <= 25 and 20 <= bottom <= 25 and 30 <= left <= 35 and 15 <= right <= 20
    for each in document.tables:  # no table wider than the text: nothing runs off the page
        assert sum(round(Length(column.width or 0).mm) for column in each.columns) <= width - left - right
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and 13 <= normal.font.size.pt <= 14
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(qn(f"w:{script}")) for script in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Times New Roman"}
    head = document.tables[0].rows[0].cells
    left = [paragraph.text for paragraph in head[0].paragraphs if paragraph.text]
    right = [paragraph.text for paragraph in head[1].paragraphs if paragraph.text]
    assert left[0] == "ỦY BAN NHÂN DÂN" and re.fullmatch(r"(XÃ|PHƯỜNG|ĐẶC KHU) .+", left[1])
    assert left[2] in (f"Số: …/{number}", f"Số: {number}")  # left for the văn thư, or issued
    assert right[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert re.fullmatch(r".+, ngày \d\d tháng (0[12]|[3-9]|1[0-2]) năm \d{4}", right[2])
    dated = next(paragraph for paragraph in head[1].paragraphs if paragraph.text == right[2])
    assert all(run.italic for run in dated.runs)
    assert (
        sum(1 for cell in head for p in cell.paragraphs if p._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None) == 2
    )
    closing = document.tables[-1].rows[0].cells
    recipients = [paragraph.text for paragraph in closing[0].paragraphs]
    assert recipients[0] == "Nơi nhận:" and recipients[-1] == "- Lưu: VT, VP."
    signed = [paragraph.text for paragraph in closing[1].paragraphs]
    assert signed[:2] in (["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"])
    assert signed[-1] == signer and signed[2:-1] == [""] * (len(signed) - 3) and len(signed) >= 6
    assert section.different_first_page_header_footer
    assert 'w:instr="PAGE"' in section.header._element.xml and "PAGE" not in section.first_page_header._element.xml
    assert ("DỰ THẢO" in header_text(data, first=True)) is draft
    assert ("DỰ THẢO" in header_text(data, first=False)) is draft
    return "\n".join(reading_order(document))


def printed_pages(data: bytes, name: str, work: Path) -> int:
    """Print the document to PDF with LibreOffice, check every page is A4, keep the first page
    as `test-artifacts/documents/<name>.png`; the number of pages."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("LibreOffice or poppler-utils is not installed (.ci/run installs them)")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui poppler-utils)")
    source = work / f"{name}.docx"
    source.write_bytes(data)
    profile = f"-env:UserInstallation=file://{work / 'lo-profile'}"
    subprocess.run(
        [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(work), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = work / f"{name}.pdf"
    info = subprocess.run(["pdfinfo", "-l", "-1", str(pdf)], check=True, capture_output=True, text=True).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    assert sizes and all(f"{float(w):.1f} x {float(h):.1f}" == A4_POINTS for w, h in sizes), info
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(ARTIFACTS / name)],
        check=True,
    )
    return len(sizes)
