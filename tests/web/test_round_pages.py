"""The PAR round on the web: the commune's sheet, its round with the steps each role may
take, and the supervising authority's view of the communes it supervises."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import datetime
from urllib.parse import quote

import pytest

from domain.calendar import TZ
from domain.people import Person, PersonRole
from domain.roles import Role
from evidence.location import evidence_store
from persistence.people import commune_people, replace_directory
from persistence.users import NewUser, add_user
from services.passwords import hash_password
from tests.evidence.reading import check_the_form
from tests.web.world import COMMUNE, OTHER_COMMUNE, PASSWORD, flash_text, form_token, pdf_bytes

ROUND = f"/rounds/2024/{quote(COMMUNE)}"
SHEET = f"/assessment/2024/{quote(COMMUNE)}"


@pytest.fixture(scope="module")
def opened(world):
    world.open_round()
    return world


def test_the_sheet_page_shows_each_item_and_the_same_total_as_the_api(opened):
    office = opened.browser("van-phong")
    sheet = office.get(f"/api{SHEET}").json()
    page = office.get(SHEET).text
    total = f"{sheet['self_score']:g}".replace(".", ",")
    assert f"Tổng điểm tự chấm: <strong>{total}</strong> / 100" in page
    assert "1.1.2" in page and "Mức độ hoàn thành kế hoạch CCHC" in page
    assert sheet["self_score"] == pytest.approx(sum(item["points"] or 0 for item in sheet["items"]))
    assert "chưa có tài liệu kiểm chứng và chưa giải trình" in page and sheet["blocking"]


def test_the_chairman_cannot_approve_on_the_round_page_while_items_block(opened):
    chairman = opened.browser("chu-tich")
    assert "phê duyệt hồ sơ" in chairman.get(ROUND).text
    response = chairman.post(f"{ROUND}/act", data={"step": "approve", "csrf_token": form_token(chairman, ROUND)})
    assert response.status_code == 303
    (refusal,) = flash_text(chairman.get(ROUND).text)
    assert "chưa thể phê duyệt: còn tiêu chí không có tài liệu kiểm chứng mà chưa giải trình" in refusal
    assert chairman.get(f"/api{ROUND}").json()["state"] == "open"


def test_an_officer_reads_the_round_but_takes_no_step_and_an_appraiser_cannot_approve(opened):
    officer = opened.browser("cong-chuc-vp")
    page = officer.get(ROUND)
    assert page.status_code == 200 and 'action="' + ROUND + '/act"' not in page.text
    assert (
        officer.post(f"{ROUND}/act", data={"step": "approve", "csrf_token": form_token(officer, ROUND)}).status_code
        == 403
    )
    appraiser = opened.browser("tham-dinh")
    appraiser.post(f"{ROUND}/act", data={"step": "approve", "csrf_token": form_token(appraiser, ROUND)})
    (refusal,) = flash_text(appraiser.get(ROUND).text)
    assert refusal.startswith("Bị từ chối")


def test_the_supervision_page_lists_only_the_communes_supervised(opened):
    mine = opened.browser("tham-dinh").get("/api/supervision/2024").json()["communes"]
    assert [row["commune"] for row in mine] == [COMMUNE] and mine[0]["state"] is not None
    page = opened.browser("tham-dinh").get("/supervision/2024").text
    assert COMMUNE in page and OTHER_COMMUNE not in page
    both = opened.browser("giam-sat").get("/api/supervision/2024").json()["communes"]
    assert [row["commune"] for row in both] == [COMMUNE, OTHER_COMMUNE]
    assert both[1]["state"] is None and both[1]["rank"] is None  # Long Điền A has no round
    assert opened.browser("chu-tich").get("/supervision/2024").status_code == 403


def test_the_office_scores_and_explains_on_the_sheet_page_and_an_officer_may_not(opened):
    office = opened.browser("van-phong")
    token = form_token(office, SHEET)
    office.post(
        f"{SHEET}/score", data={"code": "1.2.2", "points": "0,5", "reason": "thiếu số liệu", "csrf_token": token}
    )
    assert flash_text(office.get(SHEET).text) == ["Đã ghi vào bảng tự chấm điểm."]
    blocking = office.get(f"/api{SHEET}").json()["blocking"]
    office.post(f"{SHEET}/explain", data={"code": blocking[0], "text": "Không phát sinh", "csrf_token": token})
    assert flash_text(office.get(SHEET).text) == ["Đã ghi vào bảng tự chấm điểm."]
    sheet = office.get(f"/api{SHEET}").json()
    assert {item["code"]: item["points"] for item in sheet["items"]}["1.2.2"] == 0.5
    assert blocking[0] not in sheet["blocking"]
    office.post(f"{SHEET}/score", data={"code": "9.9.9", "points": "1", "reason": "x", "csrf_token": token})
    assert flash_text(office.get(SHEET).text) == ["Lỗi: bộ tiêu chí không có tiêu chí chấm điểm 9.9.9."]
    officer = opened.browser("cong-chuc-vp")
    denied = officer.post(
        f"{SHEET}/score", data={"code": "1.2.2", "points": "1", "reason": "x", "csrf_token": form_token(officer, SHEET)}
    )
    assert denied.status_code == 403


def test_the_package_downloads_as_a_zip_with_the_report_for_the_appraiser(opened):
    package = opened.browser("tham-dinh").get(f"{SHEET}/package")
    assert package.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(package.content)) as archive:
        assert "bao-cao-tu-danh-gia-cchc-2024.docx" in archive.namelist()


def report_of(package: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return archive.read("bao-cao-tu-danh-gia-cchc-2024.docx")


def test_the_packages_documents_are_signed_by_the_directorys_chairman_and_drafts_until_the_office_says_final(opened):
    chairman = Person(commune=COMMUNE, name="Trần Văn Hùng", email="hung@vinhkhe.gov.vn", roles={PersonRole.CHAIRMAN})
    with opened.sessions.begin() as session:
        before = commune_people(session, COMMUNE)
        replace_directory(session, COMMUNE, [*before, chairman], datetime.now(TZ))
    office = opened.browser("van-phong")
    try:
        draft = report_of(office.get(f"{SHEET}/package").content)
        final = report_of(office.get(f"{SHEET}/package", params={"final": "true"}).content)
    finally:
        with opened.sessions.begin() as session:
            replace_directory(session, COMMUNE, before, datetime.now(TZ))

    check_the_form(draft, number="BC-UBND", signer="Trần Văn Hùng")
    check_the_form(final, number="BC-UBND", signer="Trần Văn Hùng", draft=False)
    assert "/package?final=true" in office.get(SHEET).text  # the office's link to the final documents
    assert opened.browser("tham-dinh").get(f"{SHEET}/package", params={"final": "true"}).status_code == 403


def test_an_appraiser_opens_rounds_only_for_the_communes_it_supervises(opened):
    catalogue_id = opened.open_round()
    fields = {
        "plan_id": str(opened.plan_id),
        "catalogue_id": str(catalogue_id),
        "submission_due": "15/01/2099",
        "explanation_due": "27/02/2099",
    }
    stranger = opened.browser("tham-dinh-xa-khac")
    refused = stranger.post(
        "/supervision/2024/open", data={**fields, "csrf_token": form_token(stranger, "/supervision/2024")}
    )
    assert refused.status_code == 404
    appraiser = opened.browser("tham-dinh")
    appraiser.post("/supervision/2024/open", data={**fields, "csrf_token": form_token(appraiser, "/supervision/2024")})
    assert flash_text(appraiser.get(ROUND).text) == [f"Đợt đánh giá của {COMMUNE} đã mở từ trước."]
    chairman = opened.browser("chu-tich")
    assert (
        chairman.post("/supervision/2024/open", data={**fields, "csrf_token": form_token(chairman, ROUND)}).status_code
        == 403
    )


def test_a_commune_own_administrator_cannot_open_its_round_only_the_appraiser_or_an_administrator_of_no_commune(
    opened,
):
    """Segregation of duties: the commune assessed never opens its own round."""
    with opened.sessions.begin() as session:
        own_admin = NewUser(username="quan-tri-vinh-khe", role=Role.ADMIN, commune=COMMUNE)
        add_user(session, own_admin, hash_password(PASSWORD), datetime.now(TZ), must_change_password=False)
    fields = {
        "plan_id": str(opened.plan_id),
        "catalogue_id": str(opened.open_round()),
        "submission_due": "15/01/2099",
        "explanation_due": "27/02/2099",
    }
    admin = opened.browser("quan-tri-vinh-khe")
    refused = admin.post("/supervision/2024/open", data={**fields, "csrf_token": form_token(admin, ROUND)})
    assert refused.status_code == 403
    assert "supervision/2024/open" not in admin.get("/supervision/2024").text
    unbound = opened.browser("quan-tri")
    unbound.post("/supervision/2024/open", data={**fields, "csrf_token": form_token(unbound, "/supervision/2024")})
    assert flash_text(unbound.get(ROUND).text) == [f"Đợt đánh giá của {COMMUNE} đã mở từ trước."]


def test_the_office_adds_a_document_with_its_file_for_an_item_and_it_lands_in_the_package(opened):
    office = opened.browser("van-phong")
    code = office.get(f"/api{SHEET}").json()["blocking"][0]
    document = {
        "code": code,
        "document_number": "45/BC-UBND",
        "document_date": "20/12/2024",
        "issuer": "UBND xã",
        "summary": "Báo cáo kết quả",
        "page": "3",
        "signed": "on",
        "csrf_token": form_token(office, SHEET),
    }
    content = pdf_bytes("báo cáo kết quả CCHC 2024")

    office.post(f"{SHEET}/evidence", data={**document, "code": "9.9.9"}, files={"file": ("bc.pdf", content)})
    assert flash_text(office.get(SHEET).text) == ["Lỗi: bộ tiêu chí không có tiêu chí chấm điểm 9.9.9."]
    store = evidence_store(opened.settings.data_dir)
    assert not store.exists(hashlib.sha256(content).hexdigest())  # refused before its file was kept
    office.post(f"{SHEET}/evidence", data=document, files={"file": ("bc.pdf", content)})
    assert flash_text(office.get(SHEET).text) == [f"Đã thêm tài liệu kiểm chứng số 45/BC-UBND cho tiêu chí {code}."]

    sheet = office.get(f"/api{SHEET}").json()
    assert code not in sheet["blocking"]
    assert any("45/BC-UBND" in reference for reference in {i["code"]: i for i in sheet["items"]}[code]["evidence"])
    package = office.get(f"{SHEET}/package")
    with zipfile.ZipFile(io.BytesIO(package.content)) as archive:
        files = [name for name in archive.namelist() if name.startswith(f"tai-lieu-kiem-chung/{code}/")]
        assert [archive.read(name) for name in files] == [content]
        listed = json.loads(archive.read("danh-muc.json"))
    assert "45/BC-UBND" in json.dumps(listed, ensure_ascii=False)
    assert store.exists(hashlib.sha256(content).hexdigest())
    cong_chuc = opened.browser("cong-chuc-vp")
    denied = cong_chuc.post(
        f"{SHEET}/evidence",
        data={**document, "csrf_token": form_token(cong_chuc, SHEET)},
        files={"file": ("bc.pdf", content)},
    )
    assert denied.status_code == 403


def test_the_office_maps_a_task_to_a_sub_criterion_on_the_sheet_page_and_an_officer_may_not(opened):
    office = opened.browser("van-phong")
    token = form_token(office, SHEET)
    office.post(f"{SHEET}/map", data={"task": "I.3", "codes": "1.3.1, 9.9", "csrf_token": token})
    assert flash_text(office.get(SHEET).text) == ["Lỗi: bộ tiêu chí không có tiêu chí chấm điểm 9.9."]

    office.post(f"{SHEET}/map", data={"task": "I.3", "codes": "1.3.1", "csrf_token": token})
    page = office.get(SHEET).text
    assert flash_text(page) == ["Đã gắn nhiệm vụ I.3 với tiêu chí."]
    assert "<td>I.3</td><td>Ban hành Kế hoạch tuyên truyền công tác CCHC năm 2024</td><td>1.3.1</td>" in page
    officer = opened.browser("cong-chuc-vp")
    denied = officer.post(f"{SHEET}/map", data={"task": "I.3", "codes": "", "csrf_token": form_token(officer, SHEET)})
    assert denied.status_code == 403


def test_a_score_changed_after_approval_is_flagged_on_the_sheet_and_voids_the_approval_at_submission(opened):
    office, chairman = opened.browser("van-phong"), opened.browser("chu-tich")
    token = form_token(office, SHEET)
    for code in office.get(f"/api{SHEET}").json()["blocking"]:
        office.post(f"{SHEET}/explain", data={"code": code, "text": "Không phát sinh", "csrf_token": token})
    chairman.post(f"{ROUND}/act", data={"step": "approve", "csrf_token": form_token(chairman, ROUND)})
    assert flash_text(chairman.get(ROUND).text) == ["Đã ghi: phê duyệt hồ sơ."]
    assert "Chủ tịch đã phê duyệt" in chairman.get(ROUND).text

    office.post(f"{SHEET}/score", data={"code": "1.2.2", "points": "0,25", "reason": "sửa", "csrf_token": token})
    page = office.get(SHEET).text
    assert "đã thay đổi sau khi Chủ tịch phê duyệt (tiêu chí 1.2.2)" in page
    assert office.get(f"/api{SHEET}").json()["changed_since_approval"] == ["1.2.2"]
    office.post(f"{ROUND}/act", data={"step": "submit", "csrf_token": form_token(office, ROUND)})
    (refusal,) = flash_text(office.get(ROUND).text)
    assert "phê duyệt bị hủy, cần Chủ tịch phê duyệt lại" in refusal
    assert chairman.get(f"/api{ROUND}").json()["state"] == "open"

    chairman.post(f"{ROUND}/act", data={"step": "approve", "csrf_token": form_token(chairman, ROUND)})
    office.post(f"{ROUND}/act", data={"step": "submit", "csrf_token": form_token(office, ROUND)})
    assert chairman.get(f"/api{ROUND}").json()["state"] == "submitted"


def test_the_appraiser_publishes_by_the_provinces_decision_and_the_pages_show_the_classification(opened):
    appraiser = opened.browser("tham-dinh")
    assert "Số quyết định" in appraiser.get(ROUND).text
    appraiser.post(f"{ROUND}/act", data={"step": "publish", "csrf_token": form_token(appraiser, ROUND)})
    (refusal,) = flash_text(appraiser.get(ROUND).text)
    assert "ghi số, ngày và người ký quyết định công bố của tỉnh" in refusal

    decision = {"decision_number": "125/QĐ-UBND", "decision_date": "10/02/2025", "signer": "Nguyễn Văn Bình"}
    appraiser.post(f"{ROUND}/act", data={"step": "publish", **decision, "csrf_token": form_token(appraiser, ROUND)})

    assert flash_text(appraiser.get(ROUND).text) == ["Đã ghi: công bố kết quả."]
    page = appraiser.get(ROUND).text
    assert "/100 điểm, xếp loại Yếu · Quyết định số 125/QĐ-UBND ngày 10/02/2025, người ký: Nguyễn Văn Bình" in page
    shown = appraiser.get(f"/api{ROUND}").json()
    assert (shown["state"], shown["classification"]) == ("published", "Yếu")
    assert shown["decision"] == {"number": "125/QĐ-UBND", "issued": "2025-02-10", "signer": "Nguyễn Văn Bình"}
    assert "QĐ số 125/QĐ-UBND ngày 10/02/2025" in appraiser.get("/supervision/2024").text
