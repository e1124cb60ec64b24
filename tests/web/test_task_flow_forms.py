"""The task page's forms through a task's life, as people click them: each action goes back to
the task page with a message, a refusal shows the workflow's reason in Vietnamese."""

from __future__ import annotations

from sqlalchemy import select

from persistence.task_tables import TaskEventRow
from tests.cli.running import free_port
from tests.web.world import flash_text, form_token, pdf_bytes, task_path, working_day_after


def submit(browser, path: str, action: str, fields: dict, files: dict | None = None) -> list[str]:
    """Post the form of `action` on the task page at `path`; the messages of the page it leads to."""
    response = browser.post(f"{path}/{action}", data={**fields, "csrf_token": form_token(browser, path)}, files=files)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == path
    return flash_text(browser.get(path).text)


def test_an_officer_and_the_office_take_a_task_to_approval_through_the_forms(world):
    officer, reviewer = world.browser("cong-chuc-vp"), world.browser("van-phong")
    path = task_path(world.task_id("III.3", "2024-Q1"))
    page = officer.get(path).text
    assert 'action="' + path + '/acknowledge"' in page and "/review" not in page  # only what the officer may do

    assert submit(officer, path, "acknowledge", {"note": "đã nhận"}) == ["Đã nhận nhiệm vụ."]
    assert submit(officer, path, "progress", {"percent": "80"}) == ["Đã báo cáo tiến độ."]
    document = {
        "document_number": "12/BC-UBND",
        "document_date": "01/03/2024",
        "title": "Báo cáo phản ánh, kiến nghị",
        "issuer": "Ban Chỉ đạo CCHC xã",
    }
    files = {"file": ("bao-cao.pdf", pdf_bytes("bao cao phan anh kien nghi"), "application/pdf")}
    assert submit(officer, path, "evidence", document, files) == ["Đã nộp sản phẩm 12/BC-UBND."]
    assert 'action="' + path + '/review"' in reviewer.get(path).text
    assert submit(reviewer, path, "review", {"decision": "approve", "comment": "đạt"}) == ["Đã ghi kết quả kiểm tra."]

    page = officer.get(path).text
    assert "đã hoàn thành" in page and "Đồng chí không có thao tác nào" in page
    assert (
        "cong-chuc-vp <small>(công chức)</small>" in page
        and "van-phong <small>(Văn phòng (kiểm tra, xác nhận hoàn thành))</small>" in page
    )
    assert "12/BC-UBND" in page and "/evidence/" in page
    with world.sessions() as session:
        submitted = session.scalars(
            select(TaskEventRow.payload).where(
                TaskEventRow.workflow_id == world.task_id("III.3", "2024-Q1"), TaskEventRow.kind == "submit_evidence"
            )
        ).one()
    assert submitted["issuer"] == "Ban Chỉ đạo CCHC xã"  # cited as its issuer's in the reports


def test_the_chairman_extends_reassigns_and_waives_through_the_forms(world):
    chairman = world.browser("chu-tich")
    new_due = working_day_after(21)
    extend = task_path(world.task_id("III.5", "2024-Q1"))
    assert submit(chairman, extend, "extend", {"new_due": f"{new_due:%d/%m/%Y}", "reason": "chờ số liệu"}) == [
        "Đã gia hạn."
    ]
    assert f"{new_due:%d/%m/%Y}" in chairman.get(extend).text

    reassign = task_path(world.task_id("III.5", "2024-H1"))
    assert "<option>Tư pháp</option>" in chairman.get(reassign).text
    assert submit(chairman, reassign, "reassign", {"lead": ["Tư pháp"], "reason": "điều chuyển"}) == [
        "Đã giao lại nhiệm vụ."
    ]
    assert world.run_row_lead(world.task_id("III.5", "2024-H1")) == ["Tư pháp"]

    waive = task_path(world.task_id("III.5", "2024-M9"))
    assert submit(chairman, waive, "waive", {"reason": "không còn phù hợp"}) == ["Đã dừng thực hiện nhiệm vụ."]
    assert world.state(world.task_id("III.5", "2024-M9")) == "waived"


def test_the_chairman_stops_a_task_citing_the_amending_document_and_its_history_shows_it(world):
    chairman = world.browser("chu-tich")
    path = task_path(world.task_id("III.3", "2024-M9"))
    assert 'name="document_number"' in chairman.get(path).text

    half = submit(chairman, path, "waive", {"reason": "kế hoạch điều chỉnh", "document_number": "25/KH-UBND"})
    assert half == ["Lỗi: văn bản điều chỉnh phải ghi cả số và ngày ban hành, hoặc bỏ trống cả hai."]
    assert world.state(world.task_id("III.3", "2024-M9")) != "waived"

    fields = {
        "reason": "kế hoạch điều chỉnh bỏ nhiệm vụ",
        "document_number": "25/KH-UBND",
        "document_date": "05/02/2024",
    }
    assert submit(chairman, path, "waive", fields) == ["Đã dừng thực hiện nhiệm vụ."]
    assert "dừng thực hiện theo văn bản số 25/KH-UBND ngày 05/02/2024: kế hoạch điều chỉnh bỏ nhiệm vụ" in (
        chairman.get(path).text
    )


def test_a_refused_form_shows_the_reason_and_a_bad_value_names_the_field(world):
    chairman = world.browser("chu-tich")
    path = task_path(world.task_id("III.5", "2024-Y"))
    before = world.event_count(world.task_id("III.5", "2024-Y"))

    past = submit(chairman, path, "extend", {"new_due": "02/01/2024", "reason": "x"})
    assert len(past) == 1 and past[0].startswith("Bị từ chối: hạn mới (02/01/2024) phải sau ngày hôm nay")
    assert submit(chairman, path, "extend", {"new_due": "31/02/2030", "reason": "x"}) == [
        "Lỗi: hạn mới “31/02/2030” không đúng dạng dd/mm/yyyy."
    ]
    assert submit(chairman, path, "waive", {"reason": ""}) == ["Lỗi: hãy kiểm tra lại lý do."]
    assert world.event_count(world.task_id("III.5", "2024-Y")) == before


def test_the_form_records_the_signed_in_user_whatever_the_form_says(world):
    officer = world.browser("cong-chuc-vp")
    path = task_path(world.task_id("V.2", "2024-Q1"))
    submit(officer, path, "acknowledge", {"note": "nhận", "actor": "chu-tich", "role": "chairman", "user": "chu-tich"})
    last = world.events(world.task_id("V.2", "2024-Q1"))[-1]
    assert (last.kind, last.actor, last.role) == ("acknowledge", "cong-chuc-vp", "officer")


def test_pages_read_while_temporal_is_down_and_an_action_then_says_so_in_plain_vietnamese_the_server_for_programs(
    world,
):
    address = f"127.0.0.1:{free_port()}"
    officer = world.browser("cong-chuc-vp", temporal_address=address)
    path = task_path(world.task_id("V.2", "2024-H1"))
    assert officer.get("/me").status_code == 200
    assert officer.get(path).status_code == 200
    plain = "Hệ thống theo dõi nhiệm vụ tạm thời không hoạt động: các thao tác trên nhiệm vụ chưa thực hiện được."
    assert submit(officer, path, "acknowledge", {}) == [plain]
    api = officer.post(f"/api{path}/acknowledge", json={})
    assert api.status_code == 503 and api.json()["detail"].startswith(
        f"Không kết nối được máy chủ Temporal tại {address}"
    )
    chairman = world.browser("chu-tich", temporal_address=address).get("/").text
    assert "Hệ thống theo dõi nhiệm vụ tạm thời không hoạt động" in chairman and "Temporal" not in chairman
    assert "Không kết nối được máy chủ Temporal" in world.browser("quan-tri", temporal_address=address).get("/").text


def test_the_dashboard_warns_in_red_when_no_worker_serves_the_task_queue_naming_the_worker_only_to_an_admin(world):
    assert 'class="banner"' not in world.browser("chu-tich").get("/").text
    idle = world.browser("chu-tich", task_queue="hang-doi-khong-ai-nhan").get("/").text
    assert '<p class="banner" role="alert">Nhắc việc và cảnh báo quá hạn đang tạm dừng' in idle
    assert "worker" not in idle and "cchc" not in idle
    admin = world.browser("quan-tri", task_queue="hang-doi-khong-ai-nhan").get("/").text
    assert '<p class="banner" role="alert">Không có worker nào đang chạy' in admin
