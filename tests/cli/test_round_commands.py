"""`cchc round` against a running `cchc up`: the supervising authority opens the round, the
chairman approves, the office submits once nothing blocks, the appraiser scores, asks, and
publishes after the commune answers."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest

from domain.communes import CommuneProfile
from persistence.communes import update_commune
from persistence.db import make_engine, make_session_factory
from services.assessment import assessment_sheet
from services.tasks import today_in_vietnam
from tests.cli.running import cchc, environment, start_up, stop_up
from tests.services.year import AFTER_THE_YEAR, Fate, explain_what_blocks, live, monthly, store

REFUSED = 4
# The round runs on the real clock here: deadlines well ahead, so no reminder falls in the test.
SUBMISSION_DUE = today_in_vietnam() + timedelta(days=60)
EXPLANATION_DUE = today_in_vietnam() + timedelta(days=120)
ROUND = ["--commune", "Xã Mẫu", "--year", "2025"]
SIGNER = "Phó Chủ tịch UBND tỉnh Nguyễn Văn Bình"
DECIDED = ["--decision", "125/QĐ-UBND", "--decision-date", "10/02/2026", "--signer", SIGNER]


@pytest.fixture
def running(tmp_path):
    """`cchc up` on a database holding the sample year (ten monthly reports on time, the plan
    issued), with the sample catalogue: (environment, session factory, plan id, catalogue id)."""
    env = environment(tmp_path / "data")
    up = start_up(env, tmp_path / "up.log")
    engine = make_engine(f"sqlite:///{tmp_path / 'data' / 'cchc.db'}")
    try:
        sessions = make_session_factory(engine)
        plan_id, catalogue_id = store(sessions)
        with sessions.begin() as session:
            update_commune(session, CommuneProfile(name="Xã Mẫu", province="Tỉnh mẫu"))  # the sample catalogue's
        live(sessions, plan_id, {**monthly(*[Fate.ON_TIME] * 10), ("I.2", "2025-01"): Fate.ON_TIME})
        yield env, sessions, plan_id, catalogue_id
    finally:
        engine.dispose()
        assert stop_up(up) == 0


def step(env, *args: str):
    return cchc(env, "round", "act", *args, *ROUND)


def test_a_round_goes_from_opening_to_a_published_appraisal_by_each_role_in_turn(running):
    env, sessions, plan_id, catalogue_id = running
    dates = ["--submission-due", f"{SUBMISSION_DUE:%d/%m/%Y}", "--explanation-due", f"{EXPLANATION_DUE:%d/%m/%Y}"]
    opened = cchc(
        env,
        "round",
        "open",
        "--plan",
        str(plan_id),
        "--catalogue",
        str(catalogue_id),
        *dates,
        "--plan-completion",
        "1.1.2",
    )
    assert opened.returncode == 0, opened.stderr
    assert (
        f"Đã mở đợt đánh giá Chỉ số CCHC năm 2025 của Xã Mẫu; hạn gửi hồ sơ {SUBMISSION_DUE:%d/%m/%Y}." in opened.stdout
    )
    again = cchc(env, "round", "open", "--plan", str(plan_id), "--catalogue", str(catalogue_id), *dates)
    assert "Đã mở từ trước" in again.stdout

    assert step(env, "approve", "--as", "chu-tich", "--role", "office").returncode == REFUSED
    blocked = step(env, "approve", "--as", "chu-tich", "--role", "chairman")
    assert blocked.returncode == REFUSED
    assert "chưa thể phê duyệt: còn tiêu chí không có tài liệu kiểm chứng mà chưa giải trình" in blocked.stderr

    explain_what_blocks(sessions, plan_id, catalogue_id, AFTER_THE_YEAR)
    for args in (
        ["approve", "--as", "chu-tich", "--role", "chairman"],
        ["submit", "--as", "van-phong", "--role", "office"],
        ["appraise", "--as", "so-noi-vu", "--role", "appraiser", "--code", "1.1.2", "--points", "1,5"],
        ["request_explanation", "--as", "so-noi-vu", "--role", "appraiser", "--code", "1.2.2", "--note", "thiếu"],
        ["answer", "--as", "van-phong", "--role", "office", "--note", "đã bổ sung"],
        ["publish", "--as", "so-noi-vu", "--role", "appraiser", *DECIDED],
    ):
        done = step(env, *args)
        assert done.returncode == 0, (args, done.stderr)

    status = cchc(env, "round", "status", *ROUND, "--json")
    assert status.returncode == 0, status.stderr
    shown = json.loads(status.stdout)
    assert shown["state"] == "published"
    assert shown["appraised"] == {"1.1.2": "1.5"}
    assert shown["self_score"] is not None
    assert (shown["published"]["decision"]["number"], shown["published"]["classification"]) == ("125/QĐ-UBND", "Yếu")
    assert "xếp loại Yếu; Quyết định số 125/QĐ-UBND" in cchc(env, "round", "status", *ROUND).stdout
    assert [entry["kind"] for entry in shown["timeline"]] == [
        "open",
        "approve",
        "submit",
        "appraise",
        "request_explanation",
        "answer",
        "publish",
    ]


def test_the_commune_approves_and_submits_with_cchc_assess_and_the_appraiser_ranks_with_cchc_appraise(running):
    env, sessions, plan_id, catalogue_id = running
    dates = ["--submission-due", f"{SUBMISSION_DUE:%d/%m/%Y}", "--explanation-due", f"{EXPLANATION_DUE:%d/%m/%Y}"]
    assert (
        cchc(
            env,
            "round",
            "open",
            "--plan",
            str(plan_id),
            "--catalogue",
            str(catalogue_id),
            *dates,
            "--plan-completion",
            "1.1.2",
        ).returncode
        == 0
    )
    explain_what_blocks(sessions, plan_id, catalogue_id, AFTER_THE_YEAR)
    plan = ["--plan", str(plan_id)]
    submitted_early = cchc(env, "assess", "submit", *plan, "--as", "van-phong")
    assert submitted_early.returncode == REFUSED and "Bị từ chối" in submitted_early.stderr
    approved = cchc(env, "assess", "approve", *plan, "--as", "chu-tich")
    assert "Đợt đánh giá năm 2025 của Xã Mẫu: " in approved.stdout, approved.stderr
    assert cchc(env, "assess", "submit", *plan, "--as", "van-phong").returncode == 0

    too_many = cchc(env, "appraise", "score", "1.1.2", "3", *ROUND, "--as", "tham-dinh")
    assert too_many.returncode == REFUSED
    assert "điểm thẩm định tiêu chí 1.1.2 phải trong khoảng 0..2" in too_many.stderr
    for args in (["score", "1.1.2", "1,5", "--note", "trễ 1 báo cáo"], ["ask", "1.2.2", "--note", "thiếu"]):
        assert cchc(env, "appraise", *args, *ROUND, "--as", "tham-dinh").returncode == 0
    assert cchc(env, "round", "act", "answer", *ROUND, "--as", "van-phong", "--role", "office").returncode == 0
    undecided = cchc(env, "appraise", "publish", *ROUND, "--as", "tham-dinh", "--decision", "125/QĐ-UBND")
    assert undecided.returncode == 2 and "--signer" in undecided.stderr  # named in the usage error
    published = cchc(env, "appraise", "publish", *ROUND, "--as", "tham-dinh", *DECIDED)
    assert published.returncode == 0, published.stderr
    assert "xếp loại Yếu; Quyết định số 125/QĐ-UBND ngày 10/02/2026, người ký: Phó Chủ tịch" in published.stdout

    listed = cchc(env, "appraise", "list", "2025", "--json")
    assert listed.returncode == 0, listed.stderr
    (row,) = json.loads(listed.stdout)["communes"]
    with sessions() as session:
        sheet = assessment_sheet(
            session, plan_id=plan_id, catalogue_id=catalogue_id, plan_completion_codes=("1.1.2",), now=AFTER_THE_YEAR
        )
    expected = float(sheet.self_score - 2 + Decimal("1.5"))  # 1.1.2: 2 by the commune, 1,5 by the appraiser
    assert (row["commune"], row["rank"], row["state"], row["submitted"]) == ("Xã Mẫu", 1, "published", True)
    assert (row["self_score"], row["appraised_score"]) == (float(sheet.self_score), expected)
    assert row["classification"] == "Yếu"
    assert row["decision"] == {"number": "125/QĐ-UBND", "issued": "2026-02-10", "signer": SIGNER}
    assert "Xã Mẫu" in cchc(env, "appraise", "list", "2025").stdout


def test_a_merger_is_recorded_once_and_a_commune_merged_twice_is_refused(tmp_path):
    env = environment(tmp_path / "data")
    merged = cchc(
        env,
        "commune",
        "merge",
        "Xã Mẫu Mới",
        "--from",
        "Xã Mẫu",
        "--from",
        "Xã Bên",
        "--on",
        "01/07/2025",
        "--decision",
        "1656/NQ-UBTVQH15",
    )
    assert merged.returncode == 0, merged.stderr
    assert "Đã ghi: Xã Mẫu, Xã Bên sáp nhập vào Xã Mẫu Mới từ ngày 01/07/2025" in merged.stdout
    again = cchc(env, "commune", "merge", "Xã Khác", "--from", "xã mẫu", "--on", "01/07/2025", "--decision", "x")
    assert again.returncode == 2 and "xã xã mẫu đã được sáp nhập vào Xã Mẫu Mới" in again.stderr
