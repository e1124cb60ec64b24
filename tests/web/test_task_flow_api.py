"""The JSON API through a task's life: an officer works, the office reviews, the chairman decides."""

from __future__ import annotations

import hashlib

from tests.web.world import pdf_bytes, task_path, working_day_after


def api(world, code: str, occurrence: str) -> str:
    return f"/api{task_path(world.task_id(code, occurrence))}"


def upload(browser, base: str, content: bytes, filename: str = "ke-hoach.pdf") -> dict:
    response = browser.post(
        f"{base}/evidence/file",
        params={"filename": filename},
        content=content,
        headers={"content-type": "application/octet-stream"},
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_an_officer_submits_the_office_returns_then_approves_and_the_timeline_names_each_of_them(world):
    officer, reviewer = world.browser("cong-chuc-vp"), world.browser("van-phong")
    base = api(world, "III.2", "2024-Q1")

    assert officer.post(f"{base}/acknowledge", json={"note": "đã nhận"}).json()["state"] == "in_progress"
    assert officer.post(f"{base}/progress", json={"percent": 60, "note": "có dự thảo"}).json()["progress"] == 60
    first = upload(officer, base, pdf_bytes("ra soat TTHC quy I"))
    assert first["sha256"] == hashlib.sha256(pdf_bytes("ra soat TTHC quy I")).hexdigest()
    assert first["media_type"] == "application/pdf" and first["created"]
    evidence = {"document_number": "05/BC-UBND", "document_date": "2024-03-05", "title": "Báo cáo rà soát TTHC"}
    submitted = officer.post(f"{base}/evidence", json={**evidence, "sha256": first["sha256"]}).json()
    assert submitted["state"] == "evidence_submitted"
    assert submitted["actions"] == ["submit_evidence"]  # another document may follow; nothing else

    returned = reviewer.post(f"{base}/review", json={"approve": False, "comment": "thiếu phụ lục"})
    assert returned.json()["state"] == "returned"
    second = upload(officer, base, pdf_bytes("ra soat TTHC quy I, co phu luc"))
    officer.post(f"{base}/evidence", json={**evidence, "document_number": "06/BC-UBND", "sha256": second["sha256"]})
    approved = reviewer.post(f"{base}/review", json={"approve": True, "comment": "đạt"}).json()

    assert approved["state"] == "approved" and approved["actions"] == []
    steps = [(e["kind"], e["actor"], e["role"]) for e in approved["timeline"]][-8:]
    assert steps == [
        ("acknowledge", "cong-chuc-vp", "officer"),
        ("report_progress", "cong-chuc-vp", "officer"),
        ("submit_evidence", "cong-chuc-vp", "officer"),
        ("start_review", "van-phong", "reviewer"),
        ("return", "van-phong", "reviewer"),
        ("submit_evidence", "cong-chuc-vp", "officer"),
        ("start_review", "van-phong", "reviewer"),
        ("approve", "van-phong", "reviewer"),
    ]
    assert [e["document_number"] for e in approved["evidence"]] == ["05/BC-UBND", "06/BC-UBND"]
    download = officer.get(approved["evidence"][1]["download_url"])
    assert download.content == pdf_bytes("ra soat TTHC quy I, co phu luc")
    assert download.headers["content-disposition"].startswith("attachment;")


def test_the_chairman_extends_reassigns_and_waives_and_the_new_unit_takes_over(world):
    chairman = world.browser("chu-tich")
    new_due = working_day_after(14)

    extended = chairman.post(
        f"{api(world, 'III.4', '2024-Q1')}/extend", json={"new_due": new_due.isoformat(), "reason": "chờ hướng dẫn"}
    )
    assert extended.status_code == 200, extended.text
    assert (extended.json()["due_date"], extended.json()["days_late"]) == (new_due.isoformat(), 0)

    base = api(world, "III.4", "2024-H1")
    reassigned = chairman.post(f"{base}/reassign", json={"lead": ["Tư pháp"], "reason": "thiếu người"}).json()
    assert reassigned["lead"] == ["Tư pháp"]
    assert world.browser("cong-chuc-vp").post(f"{base}/acknowledge", json={}).status_code == 403
    assert world.browser("cong-chuc-tp").post(f"{base}/acknowledge", json={}).json()["state"] == "in_progress"

    half = chairman.post(
        f"{api(world, 'III.4', '2024-M9')}/waive", json={"reason": "gộp", "document_date": "2024-02-05"}
    )
    assert half.status_code == 422 and "cả số và ngày ban hành" in half.text
    waived = chairman.post(f"{api(world, 'III.4', '2024-M9')}/waive", json={"reason": "gộp vào báo cáo năm"})
    assert waived.json()["state"] == "waived"
    assert world.task_id("III.4", "2024-M9") not in {
        t["id"] for t in chairman.get("/api/tasks?overdue=true").json()["tasks"]
    }


def test_a_refusal_by_the_workflow_or_the_lifecycle_is_409_with_its_reason(world):
    officer, reviewer = world.browser("cong-chuc-vp"), world.browser("van-phong")
    base = api(world, "I.6", "2024-Q1")
    officer.post(f"{base}/acknowledge", json={})
    stored = upload(officer, base, pdf_bytes("trien khai nghi quyet"))

    bad_number = officer.post(
        f"{base}/evidence",
        json={
            "document_number": "số 5",
            "document_date": "2024-03-01",
            "title": "Kế hoạch",
            "sha256": stored["sha256"],
        },
    )
    assert bad_number.status_code == 409
    assert "số văn bản “số 5” không đúng dạng" in bad_number.json()["detail"]

    too_early = reviewer.post(f"{base}/review", json={"approve": True})
    assert too_early.status_code == 409 and "chỉ" in too_early.json()["detail"]

    never_uploaded = officer.post(
        f"{base}/evidence",
        json={"document_number": "5/KH-UBND", "document_date": "2024-03-01", "title": "Kế hoạch", "sha256": "b" * 64},
    )
    assert never_uploaded.status_code == 409 and "tải tệp lên trước" in never_uploaded.json()["detail"]


def test_who_acts_comes_from_the_session_and_a_body_naming_an_actor_is_invalid(world):
    officer = world.browser("cong-chuc-vp")
    base = api(world, "I.6", "2024-H1")
    forged = officer.post(f"{base}/acknowledge", json={"actor": {"user": "chu-tich", "role": "chairman"}})
    assert forged.status_code == 422
    assert forged.json()["errors"][0]["loc"] == ["body", "actor"]
    done = officer.post(f"{base}/acknowledge", json={"note": "tôi nhận"}).json()
    assert (done["timeline"][-1]["actor"], done["timeline"][-1]["role"]) == ("cong-chuc-vp", "officer")


def test_invalid_bodies_and_paths_are_422_and_a_missing_task_is_404(world):
    officer = world.browser("cong-chuc-vp")
    base = api(world, "I.6", "2024-M9")
    assert officer.post(f"{base}/progress", json={"percent": 101}).status_code == 422
    assert officer.post(f"{base}/progress", json={"percent": "nhiều"}).status_code == 422
    assert officer.post(f"{base}/progress", json={"percent": 5, "note": "a\x00b"}).status_code == 422
    assert (
        officer.post(f"{base}/progress", content=b"{not json", headers={"content-type": "application/json"}).status_code
        == 422
    )
    assert officer.get(f"/api/tasks/{2**40}/I.1/2024-01").status_code == 422
    assert officer.get(f"/api/tasks/{world.plan_id}/IX.9/2024").status_code == 404
    assert officer.get("/api/tasks", params={"state": "bogus"}).status_code == 422
    twice = world.browser("chu-tich").post(f"{base}/reassign", json={"lead": ["Văn hoá", "Văn hóa"], "reason": "x"})
    assert twice.status_code == 422 and twice.json()["errors"][0]["loc"] == ["body", "lead"]


def test_the_task_list_filters_by_unit_state_and_lateness(world):
    auditor = world.browser("so-noi-vu")
    finance = auditor.get("/api/tasks", params={"unit": "tài chính", "overdue": "true"}).json()["tasks"]
    assert finance and all(t["lead"] == ["Tài chính"] and t["overdue"] and t["urgency"] == "red" for t in finance)
    approved = auditor.get("/api/tasks", params={"state": "approved"}).json()["tasks"]
    assert all(t["state"] == "approved" for t in approved)
