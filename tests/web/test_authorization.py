"""Every action, through the forms and through the API, refuses the wrong role and the wrong
unit with 403 before anything reaches the task: no event in SQL, no event in Temporal's
history, no file in the evidence store."""

from __future__ import annotations

import pytest

from tests.web.world import form_token, pdf_bytes, task_path

TASK = ("I.4", "2024-Q1")  # led by Văn phòng, assigned (and overdue)
OTHER_UNIT = "cong-chuc-tp"  # an officer of Tư pháp

# action path -> (form fields, JSON body)
ACTIONS = {
    "acknowledge": ({"note": "nhận"}, {"note": "nhận"}),
    "progress": ({"percent": "50"}, {"percent": 50}),
    "evidence": (
        {"document_number": "15/KH-UBND", "document_date": "20/01/2024", "title": "Kế hoạch"},
        {"document_number": "15/KH-UBND", "document_date": "2024-01-20", "title": "Kế hoạch", "sha256": "a" * 64},
    ),
    "review": ({"decision": "approve"}, {"approve": True}),
    "extend": ({"new_due": "30/12/2099", "reason": "chờ"}, {"new_due": "2099-12-30", "reason": "chờ"}),
    "reassign": ({"lead": "Tư pháp", "reason": "thiếu người"}, {"lead": ["Tư pháp"], "reason": "thiếu người"}),
    "waive": ({"reason": "gộp"}, {"reason": "gộp"}),
}
WRONG_ROLES = {
    "acknowledge": ["so-noi-vu", "quan-tri"],
    "progress": ["so-noi-vu", "quan-tri"],
    "evidence": ["so-noi-vu", "quan-tri"],
    "review": ["cong-chuc-vp", "so-noi-vu"],
    "extend": ["van-phong", "cong-chuc-vp", "so-noi-vu"],
    "reassign": ["van-phong", "cong-chuc-vp", "so-noi-vu"],
    "waive": ["van-phong", "cong-chuc-vp", "quan-tri"],
}
OFFICER_ACTIONS = ["acknowledge", "progress", "evidence"]  # where the unit decides

CASES = [(action, user) for action, users in WRONG_ROLES.items() for user in users] + [
    (action, OTHER_UNIT) for action in OFFICER_ACTIONS
]


@pytest.fixture
def untouched(world):
    """Asserts, after the test, that the task and the evidence store are as they were."""
    workflow_id = world.task_id(*TASK)
    store = world.settings.data_dir / "evidence"
    before = (world.event_count(workflow_id), world.history_length(workflow_id), _files(store))
    yield
    assert (world.event_count(workflow_id), world.history_length(workflow_id), _files(store)) == before


@pytest.mark.parametrize(("action", "user"), CASES)
def test_a_form_refuses_the_wrong_role_or_unit_with_403_and_records_nothing(world, untouched, action, user):
    browser = world.browser(user)
    path = f"{task_path(world.task_id(*TASK))}/{action}"
    fields = {**ACTIONS[action][0], "csrf_token": form_token(browser, task_path(world.task_id(*TASK)))}
    if action == "evidence":
        response = browser.post(path, data=fields, files={"file": ("kh.pdf", pdf_bytes("kế hoạch"), "application/pdf")})
    else:
        response = browser.post(path, data=fields)
    assert response.status_code == 403
    assert "Bị từ chối" in response.text


@pytest.mark.parametrize(("action", "user"), CASES)
def test_the_api_refuses_the_wrong_role_or_unit_with_403_and_records_nothing(world, untouched, action, user):
    browser = world.browser(user)
    response = browser.post(f"/api{task_path(world.task_id(*TASK))}/{action}", json=ACTIONS[action][1])
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Bị từ chối")


@pytest.mark.parametrize("user", [*WRONG_ROLES["evidence"], OTHER_UNIT])
def test_an_evidence_upload_by_the_wrong_role_or_unit_is_refused_before_a_byte_is_stored(world, untouched, user):
    browser = world.browser(user)
    response = browser.post(
        f"/api{task_path(world.task_id(*TASK))}/evidence/file",
        params={"filename": "kh.pdf"},
        content=pdf_bytes("không được lưu"),
        headers={"content-type": "application/pdf"},
    )
    assert response.status_code == 403


def test_a_form_without_its_csrf_token_is_refused_with_403(world, untouched):
    officer = world.browser("cong-chuc-vp")
    response = officer.post(f"{task_path(world.task_id(*TASK))}/acknowledge", data={"note": "x"})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.text


def test_an_api_call_without_a_session_gets_401(world, untouched):
    stranger = world.app_client()
    response = stranger.post(f"/api{task_path(world.task_id(*TASK))}/acknowledge", json={})
    assert response.status_code == 401
    assert stranger.get("/api/tasks").status_code == 401


def test_the_api_refuses_a_body_sent_as_a_form_with_415(world, untouched):
    officer = world.browser("cong-chuc-vp")
    path = f"/api{task_path(world.task_id(*TASK))}/acknowledge"
    assert officer.post(path, content=b'{"note": ""}', headers={"content-type": "text/plain"}).status_code == 415
    assert officer.post(path, data={"note": ""}).status_code == 415


def test_only_the_plan_roles_may_import_or_start_a_plan(world):
    for user in ("cong-chuc-vp", "so-noi-vu"):
        browser = world.browser(user)
        assert browser.get("/plans/import").status_code == 403
        token = form_token(browser, "/plans")
        response = browser.post(f"/plans/{world.plan_id}/start", data={"csrf_token": token})
        assert response.status_code == 403


def test_only_the_administrator_sees_the_outbox_and_the_accounts(world):
    chairman = world.browser("chu-tich")
    assert chairman.get("/outbox").status_code == 403
    assert chairman.get("/users").status_code == 403
    token = form_token(chairman, "/plans")
    response = chairman.post(
        "/users", data={"csrf_token": token, "username": "ke-la", "role": "admin", "password": "x" * 10}
    )
    assert response.status_code == 403


def _files(store) -> set[str]:
    return {str(path.relative_to(store)) for path in store.rglob("*") if path.is_file()} if store.exists() else set()
