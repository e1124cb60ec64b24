"""The report and the summary sheet the commune sends with its self-assessment: what the
supervising authority opens, and the same bytes every time they are made."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from zipfile import ZipFile

import pytest
from docx import Document
from openpyxl import load_workbook

from domain.communes import CommuneProfile
from domain.models import CommuneKind
from evidence.assessment_report import assessment_package, report_docx, request_docx, summary_xlsx
from evidence.document_layout import Release, Signature
from evidence.store import EvidenceStore
from persistence.communes import update_commune
from services.assessment import Sheet, explain
from tests.evidence.reading import check_the_form, printed_pages, reading_order
from tests.services.test_assessment import LATE, ON, change, item, sheet, year  # noqa: F401  (year is a fixture)
from tests.services.year import COMMUNE, MONTHS, document_number, live, monthly

ISSUED = date(2026, 1, 20)
SIGNED = Release(signature=Signature(full_name="Trần Văn Hùng"))


def everything(document) -> str:
    """The document's text as a reader meets it: its paragraphs and tables, in order."""
    return "\n".join(reading_order(document))


def a_scored_year(year):
    live(year[0], year[1], monthly(ON, ON, ON, ON, ON, ON, ON, ON, ON, LATE))
    change(year, explain, code="1.2.2", text="Báo cáo năm gửi qua hệ thống quản lý văn bản, chưa có bản giấy")
    return sheet(year)


def test_the_report_opens_with_each_area_against_its_maximum_the_items_and_the_approving_chairman(year):
    scored = a_scored_year(year)

    document = Document(io.BytesIO(report_docx(scored, release=SIGNED, issued=ISSUED)))

    _, summary, details, _ = document.tables  # the head, the two tables, "Nơi nhận" and the signature
    rows = [[cell.text for cell in row.cells] for row in summary.rows]
    assert rows[0] == ["Mã", "Lĩnh vực", "Điểm tối đa", "Điểm tự chấm"]
    assert len(rows) == 1 + 8 + 1  # the header, the eight areas, the total
    assert rows[1][:3] == ["1", "Công tác chỉ đạo, điều hành CCHC", "10"]
    assert rows[-1][1:] == ["Tổng cộng", "100", rows[-1][3]]
    assert Decimal(rows[-1][3].replace(",", ".")) == scored.self_score
    plan_completion = next(row for row in details.rows if row.cells[0].text == "1.1.2")
    assert plan_completion.cells[3].text == "1,8"
    assert "0,9 × 2 = 1,8" in plan_completion.cells[4].text
    text = everything(document)
    assert "Tiêu chí 1.2.2" in text and "chưa có bản giấy" in text
    assert "Trần Văn Hùng" in text and "ngày 20 tháng 01 năm 2026" in text
    assert "Báo cáo số I.1-2025-01/BC-UBND ngày 31/01/2025 của UBND xã Xã Mẫu về việc" in plan_completion.cells[5].text
    assert text.index("III. GIẢI TRÌNH") < text.index("IV. KHÓ KHĂN, VƯỚNG MẮC, KIẾN NGHỊ") < text.index("Nơi nhận")


def test_the_summary_sheets_totals_equal_the_self_assessment(year):
    scored = a_scored_year(year)

    rows = list(load_workbook(io.BytesIO(summary_xlsx(scored, issued=ISSUED))).active.iter_rows(values_only=True))

    items = {row[0]: row for row in rows[3:] if row[0] and row[2]}
    assert items["1.1.2"][4] == 1.8 and items["1.1.2"][3] == 2
    assert len(items) == len([i for i in scored.items if i.leaf.area])
    total = rows[-1]
    assert total[1:5] == ("Tổng cộng", None, 100, float(scored.self_score))
    adjustments = float(scored.totals.bonus + scored.totals.penalty)
    assert sum(row[4] or 0 for row in items.values()) + adjustments == pytest.approx(float(scored.self_score))


def test_making_the_report_and_the_sheet_twice_gives_the_same_bytes(year):
    scored = a_scored_year(year)

    assert report_docx(scored, release=SIGNED, issued=ISSUED) == report_docx(sheet(year), release=SIGNED, issued=ISSUED)
    assert summary_xlsx(scored, issued=ISSUED) == summary_xlsx(sheet(year), issued=ISSUED)
    assert item(scored, "1.1.2").score.points == Decimal("1.8")


def test_the_package_holds_each_stored_evidence_file_under_its_code_and_lists_what_the_store_lacks(year, tmp_path):
    scored = a_scored_year(year)
    store = EvidenceStore(tmp_path / "evidence")
    for month in MONTHS[:-1]:  # every file of I.1 but the last month's is in the store
        store.put([document_number("I.1", f"2025-{month:02d}").encode()], max_bytes=1024)

    package = assessment_package(scored, store, release=SIGNED, issued=ISSUED)

    assert package == assessment_package(sheet(year), store, release=SIGNED, issued=ISSUED)
    with ZipFile(io.BytesIO(package)) as archive:
        names = set(archive.namelist())
        listed = json.loads(archive.read("danh-muc.json"))["evidence"]
        january = archive.read("tai-lieu-kiem-chung/1.1.2/I.1-2025-01-BC-UBND.bin")
        request = Document(io.BytesIO(archive.read("de-nghi-tham-dinh-cchc-2025.docx")))
    assert january == b"I.1-2025-01/BC-UBND"
    assert len([name for name in names if name.startswith("tai-lieu-kiem-chung/1.1.2/")]) == 9
    unstored = [entry["reference"] for entry in listed if entry["file"] is None]
    assert unstored == ["Số I.1-2025-10/BC-UBND ngày 05/11/2025"]  # October's, submitted five days late
    letter = everything(request)
    assert "Kính gửi: Sở Nội vụ tỉnh mẫu." in letter and "kính đề nghị Sở Nội vụ tỉnh mẫu thẩm định" in letter


def located(year, *, kind: CommuneKind | None = None) -> None:
    """The sample commune recorded as of huyện Vĩnh Linh, tỉnh Quảng Trị (and of `kind`)."""
    with year[0].begin() as session:
        update_commune(
            session, CommuneProfile(name=COMMUNE, kind=kind, district="huyện Vĩnh Linh", province="tỉnh Quảng Trị")
        )


def request_text(scored: Sheet, issued: date) -> str:
    document = Document(io.BytesIO(request_docx(scored, release=SIGNED, issued=issued)))
    return everything(document)


@pytest.mark.parametrize(
    "round_year, issued, authority, not_named",
    [
        (2024, date(2025, 1, 10), "Phòng Nội vụ huyện Vĩnh Linh", "Sở Nội vụ"),
        (2026, date(2027, 1, 11), "Sở Nội vụ tỉnh Quảng Trị", "Phòng Nội vụ"),
    ],
    ids=["a 2024 round goes to the district's home-affairs office", "a 2026 round goes to the province's"],
)
def test_the_request_for_appraisal_goes_to_who_supervises_the_commune_on_its_date(
    year, round_year, issued, authority, not_named
):
    located(year)

    letter = request_text(replace(sheet(year), year=round_year), issued)

    assert f"Kính gửi: {authority}." in letter
    assert f"kính đề nghị {authority} thẩm định" in letter and not_named not in letter
    assert f"Chỉ số cải cách hành chính năm {round_year}" in letter


def test_a_phuongs_report_and_request_are_the_phuongs_committees_signed_by_its_chairman(year):
    located(year, kind=CommuneKind.PHUONG)
    scored = sheet(year)

    report = Document(io.BytesIO(report_docx(scored, release=SIGNED, issued=ISSUED)))
    letter = request_text(scored, ISSUED)

    report_text = everything(report)
    assert f"ỦY BAN NHÂN DÂN\nPHƯỜNG {COMMUNE.upper()}" in report_text
    assert (
        f"UBND phường {COMMUNE} báo cáo kết quả" in report_text
        and "Chủ tịch, các Phó Chủ tịch UBND phường" in report_text
    )
    assert f"UBND phường {COMMUNE} đã tự đánh giá" in letter and "chấm điểm của phường./." in letter
    assert "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH" in letter and "ỦY BAN NHÂN DÂN\nXÃ" not in letter and "của xã" not in letter


def test_the_report_and_the_request_are_documents_of_the_committee_an_office_can_send(year, tmp_path):
    located(year)
    scored = a_scored_year(year)
    report = report_docx(scored, release=SIGNED, issued=ISSUED)
    request = request_docx(scored, release=SIGNED, issued=ISSUED)

    report_text = check_the_form(report, number="BC-UBND", signer="Trần Văn Hùng")
    letter = check_the_form(request, number="UBND-VP", signer="Trần Văn Hùng")

    assert "Xã Mẫu, ngày 20 tháng 01 năm 2026" in report_text
    assert report_text.index("BÁO CÁO\nKết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2025") < (
        report_text.index("I. TỔNG HỢP KẾT QUẢ TỰ CHẤM THEO LĨNH VỰC")
    )
    assert "- Sở Nội vụ tỉnh Quảng Trị;" in report_text
    assert "Số: …/UBND-VP\nV/v đề nghị thẩm định kết quả tự đánh giá, chấm điểm Chỉ số CCHC năm 2025" in letter
    assert "BÁO CÁO" not in letter and "ĐỀ NGHỊ THẨM ĐỊNH" not in letter
    assert (
        letter.index("Kính gửi: Sở Nội vụ tỉnh Quảng Trị.") < letter.index("kính đề nghị") < letter.index("- Như trên;")
    )
    assert printed_pages(report, "bao-cao-tu-danh-gia", tmp_path) >= 2
    assert printed_pages(request, "cong-van-de-nghi-tham-dinh", tmp_path) == 1


def test_documents_the_office_marked_final_carry_no_draft_mark(year):
    scored = a_scored_year(year)

    final = report_docx(scored, release=SIGNED.model_copy(update={"final": True}), issued=ISSUED)

    check_the_form(final, number="BC-UBND", signer="Trần Văn Hùng", draft=False)
