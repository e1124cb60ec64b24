"""The self-assessment as the commune sends it: the report (.docx), the summary sheet (.xlsx),
the request for appraisal (.docx) and the package holding them with the evidence by
sub-criterion code, each a file whose bytes depend only on the sheet, the stored evidence,
the approver and the report's date.

Both Word documents are in the layout of Nghị định 30/2020 (`evidence.document_layout`): the
report (báo cáo) holds the summary by area, every scored item with how its score was reached
and its evidence cited in full, the explanations (giải trình) of the items without evidence,
and the difficulties and proposals the office writes; the request for appraisal is a letter
(công văn) with its "V/v" line, to the supervising authority of its date. openpyxl stamps
the save time into the sheet: it is set to the report's date and the file repacked the fixed
way (`evidence.fixed_zip`).
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from domain.communes import supervising_authority
from domain.scoring import number
from evidence.document_layout import (
    FOR_THE_OFFICE,
    DocumentType,
    Layout,
    Release,
    finish,
    heading,
    paragraph,
    start,
    table,
)
from evidence.fixed_zip import zip_bytes
from evidence.index_sheet import workbook_bytes
from evidence.package import free_path, pretty_json, stored_extension
from evidence.paths import safe_name
from evidence.store import EvidenceStore
from services.assessment import Sheet, SheetItem

SUMMARY_HEADERS = ("Mã", "Lĩnh vực", "Điểm tối đa", "Điểm tự chấm")
SUMMARY_WIDTHS = (15, 100, 25, 25)  # mm
ITEM_HEADERS = ("Mã", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm", "Cách tính", "Tài liệu kiểm chứng")
ITEM_WIDTHS = (14, 38, 16, 16, 35, 46)
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


def leaders(sheet: Sheet) -> str:
    """The commune's leaders as "Nơi nhận" lists them."""
    return f"Chủ tịch, các Phó Chủ tịch UBND {sheet.profile.word}"


def points(value: Decimal | None) -> str:
    return NOT_SCORED if value is None else number(value)


def report_layout(sheet: Sheet, *, release: Release, issued: date) -> Layout:
    return Layout(
        issuer=sheet.profile,
        type=DocumentType.REPORT,
        summary=f"Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {sheet.year}",
        issued=issued,
        recipients=release.recipients(addressee(sheet, issued), leaders(sheet)),
        signature=release.signature,
        final=release.final,
    )


def request_layout(sheet: Sheet, *, release: Release, issued: date) -> Layout:
    authority = addressee(sheet, issued)
    return Layout(
        issuer=sheet.profile,
        type=DocumentType.LETTER,
        summary=f"đề nghị thẩm định kết quả tự đánh giá, chấm điểm Chỉ số CCHC năm {sheet.year}",
        issued=issued,
        addressees=(authority,),
        recipients=release.recipients("Như trên", leaders(sheet)),
        signature=release.signature,
        final=release.final,
    )


def report_docx(sheet: Sheet, *, release: Release, issued: date) -> bytes:
    """The self-assessment report (báo cáo): the summary by area, each item with the evidence
    cited in full, the explanations, and the office's difficulties and proposals to write."""
    layout = report_layout(sheet, release=release, issued=issued)
    document = start(layout)
    decision = sheet.catalogue.decision
    paragraph(
        document,
        f"Thực hiện {sheet.catalogue.name}, ban hành kèm theo Quyết định số {decision.number} ngày "
        f"{decision.issued:%d/%m/%Y} của {decision.issuer}, {sheet.profile.committee} báo cáo kết quả tự đánh "
        f"giá, chấm điểm Chỉ số cải cách hành chính năm {sheet.year} như sau:",
    )
    heading(document, "I. TỔNG HỢP KẾT QUẢ TỰ CHẤM THEO LĨNH VỰC")
    paragraph(
        document,
        f"Tổng điểm tự chấm: {number(sheet.self_score)}/{number(sheet.max_points)} điểm "
        f"(điểm thưởng {number(sheet.totals.bonus)}, điểm trừ {number(sheet.totals.penalty)}).",
    )
    table(document, SUMMARY_HEADERS, [
        (area.code, area.name, number(area.max_points), number(area.points)) for area in sheet.totals.areas
    ] + [("", "Tổng cộng", number(sheet.max_points), number(sheet.self_score))], SUMMARY_WIDTHS)  # fmt: skip
    heading(document, "II. KẾT QUẢ TỰ CHẤM TỪNG TIÊU CHÍ VÀ TÀI LIỆU KIỂM CHỨNG")
    table(document, ITEM_HEADERS, [_item_cells(item, sheet.profile.committee) for item in sheet.items], ITEM_WIDTHS)
    heading(document, "III. GIẢI TRÌNH")
    explained = [item for item in sheet.items if item.explanation]
    for item in explained:
        paragraph(document, f"Tiêu chí {item.leaf.code} ({item.leaf.name}): {item.explanation}")
    if not explained:
        paragraph(document, "Không có tiêu chí nào phải giải trình.")
    heading(document, "IV. KHÓ KHĂN, VƯỚNG MẮC, KIẾN NGHỊ")
    paragraph(document, FOR_THE_OFFICE)
    return finish(document, layout)


def request_docx(sheet: Sheet, *, release: Release, issued: date) -> bytes:
    """The letter (công văn) asking the supervising authority to appraise the self-assessment."""
    layout = request_layout(sheet, release=release, issued=issued)
    document = start(layout)
    authority = addressee(sheet, issued)
    documents = sum(len(item.evidence) for item in sheet.items)
    explained = sum(1 for item in sheet.items if item.explanation)
    paragraph(
        document,
        f"Thực hiện {sheet.catalogue.name} (Quyết định số {sheet.catalogue.decision.number} ngày "
        f"{sheet.catalogue.decision.issued:%d/%m/%Y} của {sheet.catalogue.decision.issuer}), "
        f"{sheet.profile.committee} đã tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {sheet.year}, "
        f"đạt {number(sheet.self_score)}/{number(sheet.max_points)} điểm.",
    )
    paragraph(
        document,
        f"Hồ sơ gửi kèm: báo cáo tự đánh giá, bảng tổng hợp điểm, {documents} tài liệu kiểm chứng theo từng "
        f"tiêu chí và {explained} giải trình.",
    )
    paragraph(
        document,
        f"{sheet.profile.committee} kính đề nghị {authority} thẩm định kết quả tự đánh giá, chấm điểm của "
        f"{sheet.profile.word}./.",
    )
    return finish(document, layout)


def assessment_package(sheet: Sheet, store: EvidenceStore, *, release: Release, issued: date) -> bytes:
    """The ZIP the commune submits: the report, the sheet, the request, and each evidence file
    under its sub-criterion's code (`tai-lieu-kiem-chung/1.1.2/…`), listed in `danh-muc.json`
    with what the store lacks."""
    entries: dict[str, bytes | Path] = {
        f"bao-cao-tu-danh-gia-cchc-{sheet.year}.docx": report_docx(sheet, release=release, issued=issued),
        f"tong-hop-diem-cchc-{sheet.year}.xlsx": summary_xlsx(sheet, issued=issued),
        f"de-nghi-tham-dinh-cchc-{sheet.year}.docx": request_docx(sheet, release=release, issued=issued),
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


def _item_cells(item: SheetItem, committee: str) -> tuple[str, ...]:
    evidence = "; ".join(e.citation(committee) for e in item.evidence) or "không có"
    return (
        item.leaf.code,
        item.leaf.name,
        number(item.leaf.max_points),
        points(item.score.points),
        item.score.explanation,
        evidence,
    )


def _number(value: Decimal | None) -> float | None:
    """A spreadsheet number: what a formula in the sheet can add up."""
    return None if value is None else float(value)


def _stamp(issued: date) -> datetime:
    return datetime.combine(issued, time())
