"""Each request's lines name the commune, plan and task it is about, in the JSON lines an
operator ships (CCHC_LOG_FORMAT=json); the health probes answer anyone, unlogged."""

from __future__ import annotations

from datetime import datetime

from tests.observability.json_logs import json_logs
from tests.web.world import COMMUNE, add_accounts, sign_in


def request_lines(lines: list[dict], path: str) -> list[dict]:
    return [line for line in lines if line["logger"] == "cchc.web" and f" {path} " in line["message"]]


def test_a_request_line_names_the_signed_in_users_commune_the_plan_and_the_task_of_its_path(bare_app):
    add_accounts(bare_app.app.state.runtime.sessions)
    sign_in(bare_app, "cong-chuc-vp")
    with json_logs() as logs:
        bare_app.get("/tasks/7/I.1/2024-01")
    (line,) = request_lines(logs.all(), "/tasks/7/I.1/2024-01")
    assert line["commune"] == COMMUNE
    assert (line["plan"], line["task"]) == (7, "cchc-task/7/I.1/2024-01")
    assert line["level"] == "INFO" and line["request_id"]
    assert datetime.fromisoformat(line["time"]).utcoffset().total_seconds() == 7 * 3600  # Asia/Ho_Chi_Minh


def test_the_proxys_request_id_names_the_lines_of_its_request(bare_app):
    with json_logs() as logs:
        bare_app.get("/login", headers={"X-Request-ID": "proxy-42"})
    (line,) = request_lines(logs.all(), "/login")
    assert line["request_id"] == "proxy-42" and "commune" not in line


def test_health_probes_answer_without_sign_in_name_each_check_and_are_not_logged(bare_app):
    with json_logs() as logs:
        alive = bare_app.get("/healthz")
        ready = bare_app.get("/readyz")
    assert (alive.status_code, alive.json()) == (200, {"status": "ok"})
    assert ready.status_code == 503  # Temporal does not answer at the bare app's address
    found = {check["name"]: check["ok"] for check in ready.json()["checks"]}
    assert found == {"database": True, "temporal": False, "worker": False}
    assert request_lines(logs.all(), "/healthz") == request_lines(logs.all(), "/readyz") == []
