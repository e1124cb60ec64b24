"""TaskWorkflow on the time-skipping server with the Vĩnh Khê 2024 plan's real tasks and dates.

Side effects are counted in the SQL tables the record activity writes, not in mocks.
Tết 2024: 08–14/02 are days off.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from temporalio.client import WorkflowExecutionStatus, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from persistence.task_tables import TaskEventRow
from tests.workflows.rig import AUDITOR, CHAIRMAN, REVIEWER, at, officer, task_rig
from workflows import search
from workflows.contracts import (
    Acknowledge,
    DeadlineExtension,
    EvidenceSubmission,
    ProgressReport,
    Reassignment,
    ReviewDecision,
    Waiver,
)
from workflows.task import TaskWorkflow

VAN_PHONG = officer("Văn phòng")
TU_PHAP = officer("Tư pháp")
SHA = "ab" * 32


def evidence(number: str = "15/QĐ-UBND", day: date = date(2024, 1, 24), actor=VAN_PHONG) -> EvidenceSubmission:
    return EvidenceSubmission(
        actor=actor,
        document_number=number,
        document_date=day,
        title="Kế hoạch cải cách hành chính năm 2024",
        file_ref=f"evidence/{number.replace('/', '-')}.pdf",
        sha256=SHA,
    )


async def finish(handle, actor=VAN_PHONG, number="15/QĐ-UBND", day=date(2024, 1, 24), acknowledge=True) -> None:
    """The officer does the task and the office approves it."""
    if acknowledge:
        await handle.execute_update(TaskWorkflow.acknowledge, Acknowledge(actor=actor))
    await handle.execute_update(TaskWorkflow.submit_evidence, evidence(number, day, actor))
    await handle.execute_update(TaskWorkflow.review, ReviewDecision(actor=REVIEWER, approve=True))


async def rejection(handle, update, request) -> str:
    """The reason an update was rejected with."""
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await handle.execute_update(update, request)
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError), "an update is rejected with an ApplicationError"
    return cause.message


def kinds(rig, workflow_id) -> list[str]:
    return [e.kind for e in rig.events(workflow_id)]


# --- reminders and escalation ------------------------------------------------------------------


async def test_a_task_due_just_after_tet_is_reminded_on_working_days_before_tet(sqlite_sessions, vinh_khe):
    async with task_rig(sqlite_sessions) as rig:
        # Tư pháp's rule-review plan (II.2, "Tháng 2/2024"), with its deadline set to 15/02/2024.
        handle = await rig.start(rig.input(vinh_khe, "II.2", due=date(2024, 2, 15)))
        await rig.advance_to(at(15, 2, 9), handle)

        assert rig.alarms(handle.id) == [
            ("reminder", 7, at(30, 1)),
            ("reminder", 3, at(5, 2)),
            ("reminder", 1, at(7, 2)),
        ]
        reminders = [(n.recipient, n.unit) for n in rig.notifications(handle.id) if n.kind == "reminder"]
        assert reminders == [("officers", "Tư pháp")] * 3

        await finish(handle, TU_PHAP, "05/KH-UBND", date(2024, 2, 15))
        await handle.result()
        await rig.keep_history(handle, "reminders-before-tet")


async def test_escalation_comes_at_the_deadline_then_every_three_working_days_until_approval(sqlite_sessions, vinh_khe):
    async with task_rig(sqlite_sessions) as rig:
        # I.1: the commune's CCHC plan for 2024, due in January 2024 (31/01).
        handle = await rig.start(rig.input(vinh_khe, "I.1"))
        await rig.advance_to(at(22, 2, 10), handle)
        assert await handle.query(TaskWorkflow.escalation_level) == 4

        await finish(handle, day=date(2024, 2, 22))
        final = await handle.result()
        await rig.advance_to(at(30, 4))

        assert rig.alarms(handle.id) == [
            ("reminder", 7, at(22, 1)),
            ("reminder", 3, at(26, 1)),
            ("reminder", 1, at(30, 1)),
            ("escalation", 1, at(31, 1, 23, 59, 59)),
            ("escalation", 2, at(5, 2)),
            ("escalation", 3, at(15, 2)),  # 08–14/02 is Tết
            ("escalation", 4, at(20, 2)),
        ]
        assert kinds(rig, handle.id)[-4:] == ["acknowledge", "submit_evidence", "start_review", "approve"]
        notices = rig.notifications(handle.id)
        escalations = [(n.recipient, n.unit, n.payload["level"]) for n in notices if n.kind == "escalation"]
        # Each person is warned twice by email (the plan's escalation_emails); levels 3 and 4 are
        # in the history, on the dashboard and in the daily digest.
        assert escalations == [
            ("leader_in_charge", "Văn phòng", 1),
            ("department_head", "Văn phòng", 1),
            ("leader_in_charge", "Văn phòng", 2),
            ("department_head", "Văn phòng", 2),
        ]
        run = rig.run_row(handle.id)
        assert (run.state, run.escalation_level, run.last_seq) == ("approved", 4, final.next_seq - 1)
        await rig.keep_history(handle, "escalation-until-approval")


async def test_a_plan_may_email_more_escalation_levels_than_the_default_two(sqlite_sessions, vinh_khe):
    async with task_rig(sqlite_sessions) as rig:
        task = rig.input(vinh_khe, "I.1")
        settings = task.settings.model_copy(update={"escalation_emails": 3})
        handle = await rig.start(task.model_copy(update={"settings": settings}))
        await rig.advance_to(at(22, 2, 10), handle)

        assert await handle.query(TaskWorkflow.escalation_level) == 4
        emailed = [n.payload["level"] for n in rig.notifications(handle.id) if n.recipient == "leader_in_charge"]
        assert emailed == [1, 2, 3]


async def test_approval_stops_every_reminder_and_escalation(sqlite_sessions, vinh_khe):
    async with task_rig(sqlite_sessions) as rig:
        handle = await rig.start(rig.input(vinh_khe, "I.1"))
        await rig.advance_to(at(24, 1, 9), handle)
        await finish(handle)
        final = await handle.result()
        await rig.advance_to(at(31, 3))

        events = rig.events(handle.id)
        approval = next(e.seq for e in events if e.kind == "approve")
        assert [e.kind for e in events if e.seq > approval] == []
        assert rig.alarms(handle.id) == [("reminder", 7, at(22, 1))]
        assert final.state == "approved" and final.reminders_sent == (7,)
        kinds_notified = [n.kind for n in rig.notifications(handle.id)]
        assert kinds_notified == ["assignment", "reminder", "evidence_submitted", "approved"]
        await rig.keep_history(handle, "approval-before-due")


# --- the lifecycle -----------------------------------------------------------------------------


async def test_returned_evidence_goes_round_the_rework_loop_until_approved(sqlite_sessions, vinh_khe):
    async with task_rig(sqlite_sessions) as rig:
        handle = await rig.start(rig.input(vinh_khe, "I.3"))  # Văn hoá, due 29/02/2024
        culture = officer("Văn hóa")  # spelled the other way: the same unit
        await rig.advance_to(at(1, 2, 9), handle)
        await handle.execute_update(TaskWorkflow.acknowledge, Acknowledge(actor=culture))
        progress = ProgressReport(actor=culture, percent=60, note="dự thảo")
        await handle.execute_update(TaskWorkflow.report_progress, progress)
        await handle.execute_update(TaskWorkflow.submit_evidence, evidence("20/KH-UBND", date(2024, 2, 1), culture))
        returned = await handle.execute_update(
            TaskWorkflow.review, ReviewDecision(actor=REVIEWER, approve=False, comment="Thiếu phụ lục kinh phí")
        )
        assert returned.state == "returned"

        await rig.advance_to(at(19, 2, 9), handle)
        await handle.execute_update(TaskWorkflow.acknowledge, Acknowledge(actor=culture, note="bổ sung phụ lục"))
        await handle.execute_update(TaskWorkflow.submit_evidence, evidence("21/KH-UBND", date(2024, 2, 19), culture))
        approved = await handle.execute_update(TaskWorkflow.review, ReviewDecision(actor=REVIEWER, approve=True))
        await handle.result()

        assert approved.state == "approved"
        assert [e.document_number for e in approved.evidence] == ["20/KH-UBND", "21/KH-UBND"]
        assert kinds(rig, handle.id) == [
            "assign",
            "acknowledge",
            "report_progress",
            "submit_evidence",
            "start_review",
            "return",
            "acknowledge",
            "submit_evidence",
            "start_review",
            "approve",
        ]
        returned_notice = next(n for n in rig.notifications(handle.id) if n.kind == "returned")
        assert (returned_notice.unit, returned_notice.payload["detail"]) == ("Văn hoá", "Thiếu phụ lục kinh phí")
        await rig.keep_history(handle, "rework-loop")


async def test_an_extension_replans_the_reminders_for_the_new_due_date(sqlite_sessions, vinh_khe):
    async with task_rig(sqlite_sessions) as rig:
        handle = await rig.start(rig.input(vinh_khe, "I.1"))  # due 31/01/2024
        await rig.advance_to(at(24, 1, 9), handle)
        extended = await handle.execute_update(
            TaskWorkflow.extend_deadline,
            DeadlineExtension(actor=CHAIRMAN, new_due=date(2024, 2, 29), reason="chờ hướng dẫn của huyện"),
        )
        assert extended.due == date(2024, 2, 29) and extended.reminders_sent == ()
        await rig.advance_to(at(1, 3, 9), handle)
        await finish(handle, day=date(2024, 3, 1))
        await handle.result()

        assert rig.alarms(handle.id) == [
            ("reminder", 7, at(22, 1)),  # for the old due date, before the extension
            ("reminder", 7, at(20, 2)),
            ("reminder", 3, at(26, 2)),
            ("reminder", 1, at(28, 2)),
            ("escalation", 1, at(29, 2, 23, 59, 59)),
        ]
        assert rig.run_row(handle.id).due_date == date(2024, 2, 29)
        extension = next(e for e in rig.events(handle.id) if e.kind == "extend_deadline")
        assert (extension.actor, extension.role, extension.payload["new_due"]) == ("chu-tich", "chairman", "2024-02-29")
        await rig.keep_history(handle, "extension-replans")


async def test_a_waived_task_gets_no_more_reminders(sqlite_sessions, vinh_khe):
    async with task_rig(sqlite_sessions) as rig:
        handle = await rig.start(rig.input(vinh_khe, "I.2"))  # Quý I/2024, due Friday 29/03/2024
        await rig.advance_to(at(21, 3, 9), handle)
        await handle.execute_update(TaskWorkflow.waive, Waiver(actor=CHAIRMAN, reason="gộp vào nhiệm vụ I.1"))
        final = await handle.result()
        await rig.advance_to(at(30, 4))

        assert final.state == "waived"
        assert kinds(rig, handle.id) == ["assign", "reminder", "waive"]
        assert rig.alarms(handle.id) == [("reminder", 7, at(20, 3))]
        assert rig.run_row(handle.id).state == "waived"
        await rig.keep_history(handle, "waive")


async def test_after_a_reassignment_the_remaining_reminders_go_to_the_new_unit(sqlite_sessions, vinh_khe):
    async with task_rig(sqlite_sessions) as rig:
        handle = await rig.start(rig.input(vinh_khe, "I.1"))  # Văn phòng, due 31/01/2024
        await rig.advance_to(at(23, 1, 9), handle)
        await handle.execute_update(
            TaskWorkflow.reassign, Reassignment(actor=CHAIRMAN, lead=("Tư pháp",), reason="Văn phòng thiếu người")
        )
        reason = await rejection(handle, TaskWorkflow.acknowledge, Acknowledge(actor=VAN_PHONG))
        assert reason == "cong-chuc-văn-phòng không thuộc đơn vị chủ trì nhiệm vụ (Tư pháp)"
        await rig.advance_to(at(31, 1, 9), handle)
        await finish(handle, TU_PHAP, day=date(2024, 1, 31))
        await handle.result()

        reminders = [(n.unit, n.created_at) for n in rig.notifications(handle.id) if n.kind == "reminder"]
        assert reminders == [("Văn phòng", at(22, 1)), ("Tư pháp", at(26, 1)), ("Tư pháp", at(30, 1))]
        handover = [(n.kind, n.unit) for n in rig.notifications(handle.id) if n.kind in ("reassigned", "assignment")]
        assert handover == [("assignment", "Văn phòng"), ("reassigned", "Văn phòng"), ("assignment", "Tư pháp")]
        assert kinds(rig, handle.id)[:4] == ["assign", "reminder", "reassign", "assign"]
        assert rig.run_row(handle.id).lead == ["Tư pháp"]
        await rig.keep_history(handle, "reassign")


# --- search attributes -------------------------------------------------------------------------


async def searchable(handle) -> tuple[str, datetime, list[str]]:
    """What `temporal workflow list --query` sees of the task: (CchcState, CchcDue, CchcUnit)."""
    attributes = (await handle.describe()).typed_search_attributes
    return attributes.get(search.STATE), attributes.get(search.DUE), attributes.get(search.UNIT)


async def test_temporal_finds_a_task_by_its_current_state_due_date_and_lead_unit(sqlite_sessions, vinh_khe):
    async with task_rig(sqlite_sessions) as rig:
        handle = await rig.start(rig.input(vinh_khe, "I.1"))  # Văn phòng, due 31/01/2024
        assert await searchable(handle) == ("assigned", at(31, 1, 23, 59, 59), ["Văn phòng"])

        await handle.execute_update(TaskWorkflow.acknowledge, Acknowledge(actor=VAN_PHONG))
        assert await searchable(handle) == ("in_progress", at(31, 1, 23, 59, 59), ["Văn phòng"])

        extension = DeadlineExtension(actor=CHAIRMAN, new_due=date(2024, 2, 29), reason="chờ hướng dẫn của huyện")
        await handle.execute_update(TaskWorkflow.extend_deadline, extension)
        reassignment = Reassignment(actor=CHAIRMAN, lead=("Tư pháp",), reason="Văn phòng thiếu người")
        await handle.execute_update(TaskWorkflow.reassign, reassignment)
        assert await searchable(handle) == ("in_progress", at(29, 2, 23, 59, 59), ["Tư pháp"])

        await finish(handle, TU_PHAP, day=date(2024, 1, 15), acknowledge=False)
        await handle.result()
        assert await searchable(handle) == ("approved", at(29, 2, 23, 59, 59), ["Tư pháp"])
        await rig.keep_history(handle, "search-attributes")


# --- refused updates ---------------------------------------------------------------------------


async def test_an_update_by_the_wrong_role_is_rejected_with_its_reason_and_leaves_no_trace(sqlite_sessions, vinh_khe):
    # On the real (dev) server: the time-skipping test server logs an empty workflow task for
    # a rejected update, a real server keeps no trace of it at all.
    async with task_rig(sqlite_sessions, at(16, 1, 9), local=True) as rig:
        handle = await rig.start(rig.input(vinh_khe, "II.3"))  # Tư pháp, due 29/02/2024
        history, events = await rig.history_length(handle), rig.count(TaskEventRow)

        attempts = [
            (
                TaskWorkflow.waive,
                Waiver(actor=TU_PHAP, reason="không làm"),
                "công chức không có quyền dừng thực hiện nhiệm vụ",
            ),
            (
                TaskWorkflow.extend_deadline,
                DeadlineExtension(actor=REVIEWER, new_due=date(2024, 3, 29), reason="xin gia hạn"),
                "Văn phòng (kiểm tra, xác nhận hoàn thành) không có quyền gia hạn",
            ),
            (
                TaskWorkflow.reassign,
                Reassignment(actor=REVIEWER, lead=("Văn phòng",), reason="Tư pháp thiếu người"),
                "Văn phòng (kiểm tra, xác nhận hoàn thành) không có quyền giao lại nhiệm vụ",
            ),
            (TaskWorkflow.acknowledge, Acknowledge(actor=AUDITOR), "kiểm tra viên không có quyền nhận nhiệm vụ"),
            (
                TaskWorkflow.acknowledge,
                Acknowledge(actor=VAN_PHONG),
                "cong-chuc-văn-phòng không thuộc đơn vị chủ trì nhiệm vụ (Tư pháp)",
            ),
        ]
        for update, request, reason in attempts:
            assert await rejection(handle, update, request) == reason

        await rig.settle(handle)
        assert await rig.history_length(handle) == history
        assert rig.count(TaskEventRow) == events
        assert (await handle.query(TaskWorkflow.state)).state == "assigned"


async def test_a_step_the_lifecycle_forbids_is_rejected_with_the_lifecycle_reason(sqlite_sessions, vinh_khe):
    async with task_rig(sqlite_sessions) as rig:
        handle = await rig.start(rig.input(vinh_khe, "II.3"))
        recorded = await rig.recorded_events(handle)

        reason = await rejection(handle, TaskWorkflow.review, ReviewDecision(actor=REVIEWER, approve=True))

        assert reason == "chỉ xác nhận hoàn thành nhiệm vụ đang được kiểm tra (trạng thái hiện tại: đã giao)"
        assert await rig.recorded_events(handle) == recorded
        assert kinds(rig, handle.id) == ["assign"]


async def test_bad_data_is_rejected_before_it_enters_the_history(sqlite_sessions, vinh_khe):
    async with task_rig(sqlite_sessions) as rig:
        handle = await rig.start(rig.input(vinh_khe, "II.3"))  # due 29/02/2024
        await rig.advance_to(at(1, 2, 9), handle)
        await handle.execute_update(TaskWorkflow.acknowledge, Acknowledge(actor=TU_PHAP))
        recorded = await rig.recorded_events(handle)

        def extension(day: date, reason="chờ hướng dẫn") -> DeadlineExtension:
            return DeadlineExtension(actor=CHAIRMAN, new_due=day, reason=reason)

        assert await rejection(handle, TaskWorkflow.extend_deadline, extension(date(2024, 1, 31))) == (
            "hạn mới (31/01/2024) phải sau ngày hôm nay"
        )
        assert await rejection(handle, TaskWorkflow.extend_deadline, extension(date(2024, 2, 28))) == (
            "hạn mới (28/02/2024) phải sau hạn hiện tại (29/02/2024)"
        )
        assert await rejection(handle, TaskWorkflow.extend_deadline, extension(date(2024, 3, 30))) == (
            "hạn mới (30/03/2024) không phải ngày làm việc"
        )
        assert await rejection(handle, TaskWorkflow.extend_deadline, extension(date(2024, 3, 29), "  ")) == (
            "thiếu lý do gia hạn"
        )
        assert await rejection(handle, TaskWorkflow.submit_evidence, evidence("quyết định 15", actor=TU_PHAP)) == (
            "số văn bản “quyết định 15” không đúng dạng (ví dụ 15/QĐ-UBND)"
        )
        assert await rejection(handle, TaskWorkflow.submit_evidence, evidence(day=date(2024, 2, 2), actor=TU_PHAP)) == (
            "ngày văn bản sau ngày hôm nay"
        )

        twice = Reassignment(actor=CHAIRMAN, lead=("Tư pháp", "Tư  pháp"), reason="thiếu người")
        assert await rejection(handle, TaskWorkflow.reassign, twice) == "đơn vị chủ trì bị ghi trùng"

        assert await rig.recorded_events(handle) == recorded
        assert kinds(rig, handle.id) == ["assign", "acknowledge"]


async def test_a_control_character_in_any_text_is_refused_before_it_enters_the_history(sqlite_sessions, vinh_khe):
    async with task_rig(sqlite_sessions) as rig:
        handle = await rig.start(rig.input(vinh_khe, "II.3"))
        recorded = await rig.recorded_events(handle)

        with_nul = Acknowledge(actor=TU_PHAP, note="đã nhận\x00")
        assert await rejection(handle, TaskWorkflow.acknowledge, with_nul) == (
            "trường “note” chứa ký tự điều khiển (không in được)"
        )
        bell_in_name = officer("Tư pháp", user="cong-chuc\x07")
        assert await rejection(handle, TaskWorkflow.acknowledge, Acknowledge(actor=bell_in_name)) == (
            "trường “actor.user” chứa ký tự điều khiển (không in được)"
        )
        assert await rig.recorded_events(handle) == recorded

        await handle.execute_update(TaskWorkflow.acknowledge, Acknowledge(actor=TU_PHAP, note="đã nhận\nsẽ làm"))
        assert kinds(rig, handle.id) == ["assign", "acknowledge"]


# --- long-lived tasks --------------------------------------------------------------------------


async def test_a_long_lived_task_continues_as_new_with_its_state_carried_over_exactly(sqlite_sessions, vinh_khe):
    async with task_rig(sqlite_sessions) as rig:
        handle = await rig.start(rig.input(vinh_khe, "I.1", history_limit=40))
        await rig.advance_to(at(22, 2, 10), handle)
        await handle.execute_update(TaskWorkflow.report_progress, ProgressReport(actor=VAN_PHONG, percent=30))
        await rig.advance_to(at(14, 3, 10), handle)
        await finish(handle, day=date(2024, 3, 14), acknowledge=False)
        final = await handle.result()

        first_run = rig.client.get_workflow_handle(handle.id, run_id=handle.first_execution_run_id)
        assert (await first_run.describe()).status == WorkflowExecutionStatus.CONTINUED_AS_NEW
        assert rig.alarms(handle.id) == [
            ("reminder", 7, at(22, 1)),
            ("reminder", 3, at(26, 1)),
            ("reminder", 1, at(30, 1)),
            ("escalation", 1, at(31, 1, 23, 59, 59)),
            ("escalation", 2, at(5, 2)),
            ("escalation", 3, at(15, 2)),
            ("escalation", 4, at(20, 2)),
            ("escalation", 5, at(23, 2)),
            ("escalation", 6, at(28, 2)),
            ("escalation", 7, at(4, 3)),
            ("escalation", 8, at(7, 3)),
            ("escalation", 9, at(12, 3)),
        ]
        events = rig.events(handle.id)
        assert [e.seq for e in events] == list(range(1, final.next_seq))
        assert [(t.seq, t.kind, t.at) for t in final.timeline] == [(e.seq, e.kind, e.at) for e in events]
        assert kinds(rig, handle.id).count("assign") == 1
        assert (final.progress, final.escalation_level, final.reminders_sent) == (30, 9, (1, 3, 7))
        await rig.keep_history(first_run, "continue-as-new-first-run")
        await rig.keep_history(handle, "continue-as-new-last-run")
