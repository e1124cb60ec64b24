"""The self-assessment as the commune sends it: the report (.docx), the summary sheet (.xlsx),
the request for appraisal (.docx) and the package holding them with the evidence by
sub-criterion code, each a file whose bytes depend only on the sheet, the stored evidence,
the approver and the report's date.

The report holds the summary by area, every scored item with how its score was reached and
the evidence relied on, the explanations (giải trình) of the items without evidence, and
the approving chairman. python-docx and openpyxl stamp the save time into the document's
properties and its ZIP entries: both are set to the report's date and the files repacked the
fixed way (`evidence.fixed_zip`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from domain.communes import supervising_authority
from domain.scoring import number
from evidence.fixed_zip import repack, zip_bytes
from evidence.index_sheet import workbook_bytes
from evidence.package import free_path, pretty_json, stored_extension
from evidence.paths import safe_name
from evidence.store import EvidenceStore
from services.assessment import Sheet, SheetItem

SUMMARY_HEADERS = ("Mã", "Lĩnh vực", "Điểm tối đa", "Điểm tự chấm")
ITEM_HEADERS = ("Mã", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm", "Cách tính", "Tài liệu kiểm chứng")
SHEET_HEADERS = (
    "Mã",
    "Tiêu chí",
    "Lĩnh vực",
    "Điểm tối đa",
    "Điểm tự chấm",
    "Cách tính",
    "Số tài liệu kiểm chứng",
    "Giải trình",
)
NOT_SCORED = "chưa chấm"
EVIDENCE_FOLDER = "tai-lieu-kiem-chung"


def title(sheet: Sheet) -> str:
    return f"Tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {sheet.year} của {sheet.profile.committee}"


def addressee(sheet: Sheet, issued: date) -> str:
    """Who supervises the commune on the day the letter is issued: the district's Phòng Nội vụ
    before 1 July 2025, the province's Sở Nội vụ (the catalogue's province when the commune's
    own is not recorded) from then on."""
    profile = sheet.profile
    return supervising_authority(
        issued, district=profile.district, province=profile.province or sheet.catalogue.province
    )


def points(value: Decimal | None) -> str:
    return NOT_SCORED if value is None else number(value)


def report_docx(sheet: Sheet, *, approved_by: str | None, issued: date) -> bytes:
    document = _headed("BÁO CÁO", title(sheet))
    decision = sheet.catalogue.decision
    document.add_paragraph(
        f"Theo {sheet.catalogue.name}, ban hành kèm theo Quyết định số {decision.number} ngày "
        f"{decision.issued:%d/%m/%Y} của {decision.issuer}."
    )
    document.add_paragraph(
        f"Tổng điểm tự chấm: {number(sheet.self_score)}/{number(sheet.max_points)} điểm "
        f"(điểm thưởng {number(sheet.totals.bonus)}, điểm trừ {number(sheet.totals.penalty)})."
    )
    document.add_paragraph("I. TỔNG HỢP THEO LĨNH VỰC").runs[0].bold = True
    _table(document, SUMMARY_HEADERS, [
        (area.code, area.name, number(area.max_points), number(area.points)) for area in sheet.totals.areas
    ] + [("", "Tổng cộng", number(sheet.max_points), number(sheet.self_score))])  # fmt: skip
    document.add_paragraph("II. CHI TIẾT TỪNG TIÊU CHÍ").runs[0].bold = True
    _table(document, ITEM_HEADERS, [_item_cells(item) for item in sheet.items])
    document.add_paragraph("III. GIẢI TRÌNH").runs[0].bold = True
    explained = [item for item in sheet.items if item.explanation]
    for item in explained:
        document.add_paragraph(f"Tiêu chí {item.leaf.code} ({item.leaf.name}): {item.explanation}")
    if not explained:
        document.add_paragraph("Không có tiêu chí nào phải giải trình.")
    _sign(document, sheet, approved_by, issued)
    return _document_bytes(document, _stamp(issued))


def request_docx(sheet: Sheet, *, approved_by: str | None, issued: date) -> bytes:
    """The letter asking the supervising authority to appraise the self-assessment."""
    document = _headed("ĐỀ NGHỊ THẨM ĐỊNH", title(sheet))
    authority = addressee(sheet, issued)
    document.add_paragraph(f"Kính gửi: {authority}.")
    documents = sum(len(item.evidence) for item in sheet.items)
    explained = sum(1 for item in sheet.items if item.explanation)
    document.add_paragraph(
        f"{sheet.profile.committee} đã tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {sheet.year} theo "
        f"{sheet.catalogue.name} (Quyết định số {sheet.catalogue.decision.number}), đạt "
        f"{number(sheet.self_score)}/{number(sheet.max_points)} điểm. Kèm theo: báo cáo tự đánh giá, bảng tổng hợp "
        f"điểm, {documents} tài liệu kiểm chứng theo từng tiêu chí và {explained} giải trình."
    )
    document.add_paragraph(f"Đề nghị {authority} thẩm định kết quả tự đánh giá, chấm điểm của {sheet.profile.word}.")
    _sign(document, sheet, approved_by, issued)
    return _document_bytes(document, _stamp(issued))


def assessment_package(sheet: Sheet, store: EvidenceStore, *, approved_by: str | None, issued: date) -> bytes:
    """The ZIP the commune submits: the report, the sheet, the request, and each evidence file
    under its sub-criterion's code (`tai-lieu-kiem-chung/1.1.2/…`), listed in `danh-muc.json`
    with what the store lacks."""
    entries: dict[str, bytes | Path] = {
        f"bao-cao-tu-danh-gia-cchc-{sheet.year}.docx": report_docx(sheet, approved_by=approved_by, issued=issued),
        f"tong-hop-diem-cchc-{sheet.year}.xlsx": summary_xlsx(sheet, issued=issued),
        f"de-nghi-tham-dinh-cchc-{sheet.year}.docx": request_docx(sheet, approved_by=approved_by, issued=issued),
    }
    listed = []
    for item in sheet.items:
        for evidence in item.evidence:
            extension = stored_extension(store, evidence.sha256) if evidence.sha256 else None
            path = None
            if evidence.sha256 and extension is not None:
                path = free_path(entries, f"{EVIDENCE_FOLDER}/{safe_name(item.leaf.code)}", evidence, extension)
                entries[path] = store.path_of(evidence.sha256)
            listed.append(
                {
                    "code": item.leaf.code,
                    "reference": evidence.reference,
                    "source": evidence.source,
                    "sha256": evidence.sha256,
                    "file": path,
                }
            )
    entries["danh-muc.json"] = pretty_json(
        {"commune": sheet.commune, "year": sheet.year, "self_score": str(sheet.self_score), "evidence": listed}
    )
    return zip_bytes(sorted(entries.items()))


def _headed(kind: str, subject: str):
    document = Document()
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.add_run(f"{kind}\n").bold = True
    heading.add_run(subject).bold = True
    return document


def _sign(document, sheet: Sheet, approved_by: str | None, issued: date) -> None:
    signature = document.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.add_run(
        f"{sheet.commune}, ngày {issued:%d/%m/%Y}\nCHỦ TỊCH UBND {sheet.profile.word.upper()}\n"
    ).bold = True
    signature.add_run(approved_by or "(chưa phê duyệt)")


def summary_xlsx(sheet: Sheet, *, issued: date) -> bytes:
    workbook = Workbook()
    table = workbook.active
    table.title = "Tự chấm"
    table.append([title(sheet)])
    table.append([])
    table.append(list(SHEET_HEADERS))
    for item in sheet.items:
        table.append([
            item.leaf.code, item.leaf.name, item.leaf.area or "", _number(item.leaf.max_points),
            _number(item.score.points), item.score.explanation, len(item.evidence), item.explanation or "",
        ])  # fmt: skip
    table.append([])
    for area in sheet.totals.areas:
        table.append([area.code, area.name, "", _number(area.max_points), _number(area.points)])
    table.append(["", "Điểm thưởng", "", None, _number(sheet.totals.bonus)])
    table.append(["", "Điểm trừ", "", None, _number(sheet.totals.penalty)])
    table.append(["", "Tổng cộng", "", _number(sheet.max_points), _number(sheet.self_score)])
    table["A1"].font = Font(bold=True, size=13)
    for cell in table[3]:
        cell.font = Font(bold=True)
    for row in table.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGH", (8, 50, 8, 10, 10, 60, 12, 50), strict=True):
        table.column_dimensions[letter].width = width
    return workbook_bytes(workbook, _stamp(issued))


def _item_cells(item: SheetItem) -> tuple[str, ...]:
    evidence = "; ".join(e.reference for e in item.evidence) or "không có"
    return (
        item.leaf.code,
        item.leaf.name,
        number(item.leaf.max_points),
        points(item.score.points),
        item.score.explanation,
        evidence,
    )


def _table(document, headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=False):
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=False):
            cell.text = text


def _number(value: Decimal | None) -> float | None:
    """A spreadsheet number: what a formula in the sheet can add up."""
    return None if value is None else float(value)


def _stamp(issued: date) -> datetime:
    return datetime.combine(issued, time())


def _document_bytes(document, stamp: datetime) -> bytes:
    properties = document.core_properties
    properties.created = properties.modified = properties.last_printed = stamp
    properties.author = properties.last_modified_by = "CCHC"
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return repack(buffer.getvalue())
