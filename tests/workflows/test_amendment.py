"""An amendment to a started plan reaches its running workflows, on the time-skipping server.

Four tasks of the Vĩnh Khê 2024 plan are started on 15/01/2024; I.1 is approved on 24/01. On
05/02 the commune issues "Kế hoạch điều chỉnh, bổ sung" 25/KH-UBND: I.2 is dropped, I.3's due
date moves from 29/02 to 29/03, II.2 moves from Tư pháp to Văn phòng, IV.1 is added, and I.1
(already approved) would move too. The chairman confirms it.
"""

from __future__ import annotations

from datetime import date

from temporalio.api.enums.v1 import EventType
from temporalio.contrib.pydantic import pydantic_data_converter

from domain.models import Plan, Task
from domain.plan_changes import ChangeKind
from persistence.plans import load_plan, save_plan
from persistence.task_tables import TaskRunRow
from services.amendment import (
    ALREADY_APPLIED,
    APPLIED,
    STARTED,
    AmendingDocument,
    apply_amendment,
    preview_amendment,
    record_amendment,
)
from services.outcomes import counted_runs
from services.plan_start import start_plan
from tests.workflows.rig import CHAIRMAN, at, task_rig
from tests.workflows.test_task_workflow import VAN_PHONG, finish
from workflows.contracts import AmendmentRef, DeadlineExtension, task_workflow_id

AMENDMENT = AmendmentRef(number="25/KH-UBND", issued=date(2024, 2, 5), title="Kế hoạch điều chỉnh, bổ sung")
KEPT = "nhiệm vụ đã hoàn thành: không thay đổi"
DOCUMENT = AmendingDocument(AMENDMENT, source_file="25-kh-ubnd.docx", source_sha256="a" * 64)


def tasks(plan: Plan, *codes: str) -> tuple[Task, ...]:
    return tuple(next(task for task in plan.tasks if task.code == code) for code in codes)


def due_on(task: Task, day: date) -> Task:
    occurrence = task.occurrences[0]
    moved = occurrence.model_copy(update={"due_date": day, "due": occurrence.due + (day - occurrence.due_date)})
    return task.model_copy(update={"occurrences": (moved,)})


def versions(vinh_khe: Plan) -> tuple[Plan, Plan]:
    i1, i2, i3, ii2, iv1 = tasks(vinh_khe, "I.1", "I.2", "I.3", "II.2", "IV.1")
    issued = vinh_khe.model_copy(update={"tasks": (i1, i2, i3, ii2)})
    reassigned = ii2.model_copy(update={"lead": ("Văn phòng",)})
    amended_tasks = (due_on(i1, date(2024, 2, 15)), due_on(i3, date(2024, 3, 29)), reassigned, iv1)
    return issued, vinh_khe.model_copy(update={"tasks": amended_tasks})


def key_of(plan: Plan, code: str) -> str:
    (task,) = tasks(plan, code)
    return task.occurrences[0].key


def by_change(plan: Plan, *, approved: str, removed: str, moved: str, reassigned: str) -> dict[str, str]:
    """What applying the amendment did to each of its changes, by change id."""
    return {
        f"due_moved:I.1:{key_of(plan, 'I.1')}": approved,
        f"removed:I.2:{key_of(plan, 'I.2')}": removed,
        f"due_moved:I.3:{key_of(plan, 'I.3')}": moved,
        f"lead_changed:II.2:{key_of(plan, 'II.2')}": reassigned,
        f"added:IV.1:{key_of(plan, 'IV.1')}": STARTED,  # a second run finds it running
    }


async def simulated(rig) -> dict:
    """Start and apply on the rig's task queue and simulated 2024 clock."""
    return {"task_queue": rig.task_queue, "now": await rig.now(), "clock_offset": rig.offset}


def extensions_in(history) -> list[DeadlineExtension]:
    """The deadline changes Temporal's history accepted, decoded."""
    requests = []
    for event in history.events:
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
            accepted = event.workflow_execution_update_accepted_event_attributes.accepted_request.input
            if accepted.name == "extend_deadline":
                payloads = accepted.args.payloads
                requests.extend(pydantic_data_converter.payload_converter.from_payloads(payloads, [DeadlineExtension]))
    return requests


async def test_an_amendment_starts_waives_moves_and_reassigns_running_tasks_but_never_an_approved_one(
    sqlite_sessions, vinh_khe
):
    issued, amended = versions(vinh_khe)
    with sqlite_sessions.begin() as session:
        plan_id = save_plan(session, issued, source_file="10-kh-ubnd.txt", source_sha256="0" * 64).plan_id

    def wid(code: str) -> str:
        return task_workflow_id(plan_id, code, key_of(vinh_khe, code))

    async with task_rig(sqlite_sessions) as rig:
        with sqlite_sessions.begin() as session:
            started = await start_plan(rig.client, session, plan_id, actor=CHAIRMAN, **await simulated(rig))
        assert len(started.started) == 4
        i1 = rig.client.get_workflow_handle(wid("I.1"))
        await rig.settle(i1)
        await rig.advance_to(at(24, 1, 9), i1)
        await finish(i1, actor=VAN_PHONG)
        await rig.advance_to(at(5, 2, 9), *(rig.client.get_workflow_handle(wid(c)) for c in ("I.2", "I.3", "II.2")))

        with sqlite_sessions() as session:
            preview = preview_amendment(session, plan_id, amended, DOCUMENT)
        shown = {(change.kind, change.task_code): change for change in preview.changes}
        assert set(shown) == {
            (ChangeKind.DUE_MOVED, "I.1"),
            (ChangeKind.REMOVED, "I.2"),
            (ChangeKind.DUE_MOVED, "I.3"),
            (ChangeKind.LEAD_CHANGED, "II.2"),
            (ChangeKind.ADDED, "IV.1"),
        }
        assert shown[ChangeKind.DUE_MOVED, "I.1"].kept_because == KEPT
        assert (shown[ChangeKind.DUE_MOVED, "I.3"].old, shown[ChangeKind.DUE_MOVED, "I.3"].new) == (
            "29/02/2024",
            "29/03/2024",
        )

        with sqlite_sessions.begin() as session:
            amendment_id = record_amendment(session, preview, CHAIRMAN, await rig.now())
        outcomes = await apply_amendment(rig.client, sqlite_sessions, amendment_id, CHAIRMAN, **await simulated(rig))
        assert outcomes == by_change(vinh_khe, approved=KEPT, removed=APPLIED, moved=APPLIED, reassigned=APPLIED)
        handles = [rig.client.get_workflow_handle(wid(code)) for code in ("I.2", "I.3", "II.2", "IV.1")]
        await rig.advance_to(at(2, 4, 9), *handles)

        # The stored plan is the amended one; the approved task kept its due date.
        with sqlite_sessions() as session:
            stored = load_plan(session, plan_id)
        assert [task.code for task in stored.tasks] == ["I.1", "I.3", "II.2", "IV.1"]
        assert rig.run_row(wid("I.1")).state == "approved" and rig.run_row(wid("I.1")).due_date == date(2024, 1, 31)

        # I.2: waived citing the amendment, no reminder for its old due date 01/04.
        waiver = next(e for e in rig.events(wid("I.2")) if e.kind == "waive")
        assert (waiver.actor, waiver.role, waiver.payload["amendment"]["number"]) == (
            "chu-tich",
            "chairman",
            "25/KH-UBND",
        )
        assert "25/KH-UBND" in waiver.detail
        assert rig.run_row(wid("I.2")).state == "waived" and rig.alarms(wid("I.2")) == []

        # I.3: reminders and escalation planned for 29/03, none for the old 29/02.
        assert rig.alarms(wid("I.3")) == [
            ("reminder", 7, at(20, 3)),
            ("reminder", 3, at(26, 3)),
            ("reminder", 1, at(28, 3)),
            ("escalation", 1, at(29, 3, 23, 59, 59)),
        ]
        moved = next(e for e in rig.events(wid("I.3")) if e.kind == "extend_deadline")
        assert (moved.actor, moved.payload["new_due"], moved.payload["amendment"]["number"]) == (
            "chu-tich",
            "2024-03-29",
            "25/KH-UBND",
        )
        # Counted by the amending plan: its deadline is the plan's, its removal cites it.
        with sqlite_sessions() as session:
            counted = {run.task_code: history for run, history in counted_runs(session, TaskRunRow.plan_id == plan_id)}
        assert (counted["I.3"].plan_due, counted["I.3"].due) == (date(2024, 3, 29), date(2024, 3, 29))
        assert counted["I.2"].stopped_by is not None and counted["I.2"].stopped_by.number == "25/KH-UBND"

        # II.2: Văn phòng leads it now.
        assert rig.run_row(wid("II.2")).lead == ["Văn phòng"]
        reassigned = next(e for e in rig.events(wid("II.2")) if e.kind == "reassign")
        assert reassigned.payload["amendment"]["issued"] == "2024-02-05"

        # IV.1: started by the amendment, assigned on 05/02.
        assert rig.events(wid("IV.1"))[0].at == at(5, 2, 9)

        # Temporal's own history holds the confirming user and the document with each change.
        history = await rig.client.get_workflow_handle(wid("I.3")).fetch_history()
        (request,) = extensions_in(history)
        assert (request.actor.user, request.amendment) == ("chu-tich", AMENDMENT)

        await rig.keep_history(rig.client.get_workflow_handle(wid("I.3")), "amendment-moves-due")
        await rig.keep_history(rig.client.get_workflow_handle(wid("I.2")), "amendment-waives")

        # Confirming the same document again applies nothing twice.
        counts = {code: len(rig.events(wid(code))) for code in ("I.1", "I.2", "I.3", "II.2", "IV.1")}
        with sqlite_sessions.begin() as session:
            assert record_amendment(session, preview, CHAIRMAN, await rig.now()) == amendment_id
        again = await apply_amendment(rig.client, sqlite_sessions, amendment_id, CHAIRMAN, **await simulated(rig))
        assert again == by_change(
            vinh_khe,
            approved=KEPT,
            removed="giữ nguyên: nhiệm vụ đã kết thúc (đã dừng thực hiện)",
            moved=ALREADY_APPLIED,
            reassigned=ALREADY_APPLIED,
        )
        assert {code: len(rig.events(wid(code))) for code in counts} == counts
