"""One durable workflow per task occurrence: assignment → progress → evidence → review.

The workflow holds no business rule of its own. The lifecycle is `domain.lifecycle.transition`,
the reminder and escalation schedule is `domain.alerts.next_alarm` over the plan's working-day
calendar, who may do what is `workflows.contracts.permission_problem`. The workflow keeps the
state, waits on durable timers and records every event through an activity.

Updates are validated before they are accepted, so a refused request never enters the
history and the caller gets the reason. Every accepted update or alarm becomes one timeline
entry (seq 1, 2, 3 ...) and one call of the record activity.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date, datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.alerts import Alarm, AlarmKind, AlertState, after_alarm, next_alarm
    from domain.citations import DOCUMENT_NUMBER
    from domain.lifecycle import Rejected, TaskEntryKind, TaskEvent, TaskState, is_final, transition
    from domain.notifications import task_notices
    from domain.roles import Action, Actor, Role
    from domain.task_events import (
        Assigned,
        CitedDocument,
        DeadlineExtended,
        Escalated,
        EvidenceSubmitted,
        Particulars,
        ProgressReported,
        Reassigned,
        Reminded,
        Waived,
        particulars,
    )
    from domain.text import unprintable_problem
    from domain.units import unit_key
    from workflows.contracts import (
        RECORD_EVENT,
        Acknowledge,
        AmendmentRef,
        DeadlineExtension,
        Evidence,
        EvidenceSubmission,
        ProgressReport,
        Reassignment,
        RecordedEvent,
        ReviewDecision,
        TaskInput,
        TaskSnapshot,
        TimelineEntry,
        Waiver,
        permission_problem,
    )
    from workflows.durable import SYSTEM, DurableTimeline, SandboxedCalendar, Undo, refuse, refused_update
    from workflows.search import changed_attributes, task_search_attributes

# Patches (workflow.patched) in force; see docs/versioning.md before adding or removing one.
REASSIGN_NOTIFIES_NEW_UNIT = "reassign-notifies-new-unit"
RECORD_IN_SEQ_ORDER = "record-in-seq-order"
SEARCH_ATTRIBUTES_FOLLOW_TASK = "search-attributes-follow-task"


@workflow.defn
class TaskWorkflow(DurableTimeline):
    _entry_type = TimelineEntry

    @workflow.init
    def __init__(self, task: TaskInput) -> None:
        carried = task.carried or TaskSnapshot(due=task.due, lead=task.lead)
        super().__init__(task.clock_offset, carried.next_seq)
        self._task = task
        self._work = SandboxedCalendar(task.settings.extra_days_off)
        self._state = carried.state
        self._due = carried.due
        self._lead = carried.lead
        self._officer = carried.officer
        self._progress = carried.progress
        self._evidence = list(carried.evidence)
        self._alerts = AlertState(
            frozenset(carried.reminders_sent), carried.escalation_level, carried.last_escalated_on
        )
        self._timeline = list(carried.timeline)
        self._changed = False  # the due date changed or the task ended: re-plan the timers
        # The assignment is seq 1 even when an update arrives with the workflow's start.
        self._assignment = None if task.carried else self._add_entry(SYSTEM, Role.SYSTEM, Assigned())

    # --- the deadline loop -----------------------------------------------------------------

    @workflow.run
    async def run(self, task: TaskInput) -> TaskSnapshot:
        if self._assignment is not None:
            await self._record(self._assignment)
        while not await self._ended():
            if self._history_is_long():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(task.model_copy(update={"carried": self._snapshot()}))
            alarm = next_alarm(self._now(), self._due, self._alerts, task.settings, self._work)
            if await self._sleep_until(alarm.at):
                await self._fire(alarm)
        return self._snapshot()

    async def _ended(self) -> bool:
        """Whether the task is over, once the update that ended it has finished: one whose
        record the database refused is taken back, and the task goes on."""
        if not is_final(self._state):
            return False
        await workflow.wait_condition(workflow.all_handlers_finished)
        return is_final(self._state)

    async def _sleep_until(self, at: datetime) -> bool:
        """Wait until `at` on the task's clock: True then, False if the plan changed first.

        An alarm whose time has come fires even when the history has grown long meanwhile:
        the fresh run would otherwise start after it and never send it.
        """
        self._changed = False
        await self._wait_until(at, self._must_replan)
        return self._now() >= at and not (self._changed or is_final(self._state))

    def _must_replan(self) -> bool:
        """The due date changed, the task ended, or the history needs a fresh run."""
        return self._changed or is_final(self._state) or self._history_is_long()

    async def _fire(self, alarm: Alarm) -> None:
        self._alerts = after_alarm(self._alerts, alarm)
        if alarm.kind is AlarmKind.REMINDER:
            detail = f"nhắc việc: còn {alarm.level} ngày làm việc đến hạn {self._due:%d/%m/%Y}"
            what: Particulars = Reminded(level=alarm.level, scheduled_at=alarm.at)
        else:
            detail = f"cảnh báo quá hạn lần {alarm.level}: hạn {self._due:%d/%m/%Y}, chưa hoàn thành"
            what = Escalated(level=alarm.level, scheduled_at=alarm.at)
        await self._record(self._add_entry(SYSTEM, Role.SYSTEM, what, detail))

    def _history_is_long(self) -> bool:
        info = workflow.info()
        return info.is_continue_as_new_suggested() or info.get_current_history_length() > self._task.history_limit

    # --- updates ---------------------------------------------------------------------------
    # A handler moves the task synchronously (before its first await, so the next update's
    # validator sees the new state), then records what happened.

    @workflow.update
    async def acknowledge(self, request: Acknowledge) -> TaskSnapshot:
        undo = Undo()
        entry = self._move(TaskEvent.ACKNOWLEDGE, request.actor, request.note, undo=undo)
        await self._record_update(undo, [(entry, None)])
        return self._snapshot()

    @acknowledge.validator
    def _validate_acknowledge(self, request: Acknowledge) -> None:
        self._check(Action.ACKNOWLEDGE, request.actor, [TaskEvent.ACKNOWLEDGE], [unprintable_problem(request)])

    @workflow.update
    async def report_progress(self, request: ProgressReport) -> TaskSnapshot:
        progress = ProgressReported(percent=request.percent)
        undo = Undo()
        entry = self._move(TaskEvent.REPORT_PROGRESS, request.actor, request.note, progress, undo=undo)
        self._progress = request.percent
        await self._record_update(undo, [(entry, None)])
        return self._snapshot()

    @report_progress.validator
    def _validate_report_progress(self, request: ProgressReport) -> None:
        self._check(Action.REPORT_PROGRESS, request.actor, [TaskEvent.REPORT_PROGRESS], [unprintable_problem(request)])

    @workflow.update
    async def submit_evidence(self, request: EvidenceSubmission) -> TaskSnapshot:
        evidence = Evidence(
            document_number=request.document_number,
            document_date=request.document_date,
            title=request.title,
            file_ref=request.file_ref,
            sha256=request.sha256,
            issuer=request.issuer,
            submitted_by=request.actor.user,
            submitted_at=self._now(),
        )
        data = EvidenceSubmitted(**evidence.model_dump(exclude={"submitted_by", "submitted_at"}))
        detail = f"{request.document_number} ngày {request.document_date:%d/%m/%Y}: {request.title}"
        undo = Undo()
        entry = self._move(TaskEvent.SUBMIT_EVIDENCE, request.actor, detail, data, undo=undo)
        self._evidence.append(evidence)
        await self._record_update(undo, [(entry, None)])
        return self._snapshot()

    @submit_evidence.validator
    def _validate_submit_evidence(self, request: EvidenceSubmission) -> None:
        number = unicodedata.normalize("NFC", request.document_number.strip())
        problems = [
            unprintable_problem(request),
            not DOCUMENT_NUMBER.match(number)
            and f"số văn bản “{request.document_number}” không đúng dạng (ví dụ 15/QĐ-UBND)",
            request.document_date > self._today() and "ngày văn bản sau ngày hôm nay",
            not request.title.strip() and "thiếu trích yếu văn bản",
            not request.file_ref.strip() and "thiếu tệp sản phẩm",
        ]
        self._check(Action.SUBMIT_EVIDENCE, request.actor, [TaskEvent.SUBMIT_EVIDENCE], problems)

    @workflow.update
    async def review(self, request: ReviewDecision) -> TaskSnapshot:
        undo = Undo()
        steps = []
        if self._state is TaskState.EVIDENCE_SUBMITTED:
            steps.append(self._move(TaskEvent.START_REVIEW, request.actor, undo=undo))
        decision = TaskEvent.APPROVE if request.approve else TaskEvent.RETURN
        steps.append(self._move(decision, request.actor, request.comment, undo=undo))
        await self._record_update(undo, [(entry, None) for entry in steps])
        return self._snapshot()

    @review.validator
    def _validate_review(self, request: ReviewDecision) -> None:
        events = [TaskEvent.START_REVIEW] if self._state is TaskState.EVIDENCE_SUBMITTED else []
        events.append(TaskEvent.APPROVE if request.approve else TaskEvent.RETURN)
        problems = [
            unprintable_problem(request),
            not request.approve and not request.comment.strip() and "trả lại phải kèm ý kiến",
        ]
        self._check(Action.REVIEW, request.actor, events, problems)

    @workflow.update
    async def extend_deadline(self, request: DeadlineExtension) -> TaskSnapshot:
        old_due = self._due
        data = DeadlineExtended(old_due=old_due, new_due=request.new_due, **_cited(request.amendment))
        change = f"từ {old_due:%d/%m/%Y} đến {request.new_due:%d/%m/%Y}"
        if request.amendment:
            detail = f"điều chỉnh hạn {change} {request.amendment.cite()}: {request.reason}"
        else:
            detail = f"gia hạn {change}: {request.reason}"
        undo = Undo()
        entry = self._move(TaskEvent.EXTEND_DEADLINE, request.actor, detail, data, undo=undo)
        self._due = request.new_due
        self._alerts = AlertState()  # a new due date gets its own reminders; escalation starts over
        self._changed = True
        await self._record_update(undo, [(entry, None)])
        return self._snapshot()

    @extend_deadline.validator
    def _validate_extend_deadline(self, request: DeadlineExtension) -> None:
        new_due = request.new_due
        problems = [
            unprintable_problem(request),
            new_due <= self._today() and f"hạn mới ({new_due:%d/%m/%Y}) phải sau ngày hôm nay",
            # An amendment may bring the due date forward; a chairman's extension only moves it later.
            new_due <= self._due
            and not request.amendment
            and f"hạn mới ({new_due:%d/%m/%Y}) phải sau hạn hiện tại ({self._due:%d/%m/%Y})",
            new_due == self._due and f"hạn mới trùng hạn hiện tại ({self._due:%d/%m/%Y})",
            not self._work.is_working_day(new_due) and f"hạn mới ({new_due:%d/%m/%Y}) không phải ngày làm việc",
            not request.reason.strip() and "thiếu lý do gia hạn",
        ]
        self._check(Action.EXTEND_DEADLINE, request.actor, [TaskEvent.EXTEND_DEADLINE], problems)

    @workflow.update
    async def reassign(self, request: Reassignment) -> TaskSnapshot:
        old_lead = self._lead
        cited = _cited(request.amendment)
        data = Reassigned(old_lead=old_lead, new_lead=request.lead, officer=request.officer, **cited)
        detail = f"giao lại cho {', '.join(request.lead)}: {request.reason}"
        undo = Undo()
        entry = self._move(TaskEvent.REASSIGN, request.actor, detail, data, undo=undo)
        # From here on reminders and escalations go to the new unit.
        self._lead, self._officer = request.lead, request.officer
        steps: list[tuple[TimelineEntry, tuple[str, ...] | None]] = [(entry, old_lead)]  # the old units hear of it
        # Version 2 (docs/versioning.md): the new unit gets the assignment as an event of its
        # own. Runs that reassigned under version 1 replay without it.
        if workflow.patched(REASSIGN_NOTIFIES_NEW_UNIT):
            actor = request.actor
            self._mark(undo)
            assigned = self._add_entry(actor.user, actor.role, Assigned(lead=self._lead), detail)
            steps.append((assigned, self._lead))
        await self._record_update(undo, steps)
        return self._snapshot()

    @reassign.validator
    def _validate_reassign(self, request: Reassignment) -> None:
        problems = [
            unprintable_problem(request),
            any(not unit.strip() for unit in request.lead) and "tên đơn vị trống",
            len({unit_key(unit) for unit in request.lead}) < len(request.lead) and "đơn vị chủ trì bị ghi trùng",
            (request.lead, request.officer) == (self._lead, self._officer) and "đơn vị mới trùng đơn vị hiện tại",
            not request.reason.strip() and "thiếu lý do giao lại",
        ]
        self._check(Action.REASSIGN, request.actor, [TaskEvent.REASSIGN], problems)

    @workflow.update
    async def waive(self, request: Waiver) -> TaskSnapshot:
        """Stop the task (dừng thực hiện), citing the amending document when there is one."""
        amendment = request.amendment
        detail = f"dừng thực hiện {amendment.cite()}: {request.reason}" if amendment else request.reason
        undo = Undo()
        entry = self._move(TaskEvent.WAIVE, request.actor, detail, Waived(**_cited(amendment)), undo=undo)
        await self._record_update(undo, [(entry, None)])
        return self._snapshot()

    @waive.validator
    def _validate_waive(self, request: Waiver) -> None:
        amendment = request.amendment
        problems = [
            unprintable_problem(request),
            not request.reason.strip() and "thiếu lý do dừng thực hiện",
            # The amending document a stop cites: its number and date, both (the contract asks both).
            amendment is not None and not amendment.number.strip() and "thiếu số văn bản điều chỉnh",
            amendment is not None
            and amendment.issued > self._today()
            and f"ngày văn bản điều chỉnh ({amendment.issued:%d/%m/%Y}) sau ngày hôm nay",
        ]
        self._check(Action.WAIVE, request.actor, [TaskEvent.WAIVE], problems)

    # --- queries ---------------------------------------------------------------------------

    @workflow.query
    def state(self) -> TaskSnapshot:
        return self._snapshot()

    @workflow.query
    def due(self) -> date:
        return self._due

    @workflow.query
    def escalation_level(self) -> int:
        return self._alerts.escalation_level

    @workflow.query
    def timeline(self) -> list[TimelineEntry]:
        return list(self._timeline)

    # --- helpers ---------------------------------------------------------------------------

    def _check(
        self, action: Action, actor: Actor, events: list[TaskEvent], problems: Sequence[str | bool | None] = ()
    ) -> None:
        """Refuse the update: wrong role first, then an illegal transition, then bad data
        (each problem a message, or False or None when there is none; text with a control character
        first, since it would stop the recording of its event)."""
        reason = permission_problem(actor, action, self._lead)
        if reason:
            raise refuse(reason)
        state = self._state
        for event in events:
            result = transition(state, event)
            if isinstance(result, Rejected):
                raise refuse(result.reason)
            state = result
        for problem in problems:
            if isinstance(problem, str) and problem:  # `condition and "message"`: False or the message
                raise refuse(problem)

    def _move(
        self, event: TaskEvent, actor: Actor, detail: str = "", what: Particulars | None = None, *, undo: Undo
    ) -> TimelineEntry:
        """Move the task through `event` and add it to the timeline (not yet recorded), kept in
        `undo` as it was before.

        Validated updates can still meet a state that moved since validation (two updates
        in one workflow task): the transition is asked again and its refusal fails the update.
        """
        result = transition(self._state, event)
        if isinstance(result, Rejected):
            raise refuse(result.reason)
        self._mark(undo)
        self._state = result
        if is_final(result):
            self._changed = True
        return self._add_entry(actor.user, actor.role, particulars(event, {}) if what is None else what, detail)

    def _add_entry(self, actor: str, role: Role, what: Particulars, detail: str = "") -> TimelineEntry:
        """The next entry of the timeline, its particulars recorded as the JSON of their kind."""
        data = what.model_dump(mode="json", exclude={"kind"}, exclude_unset=True)
        entry = TimelineEntry(state=self._state, **self._entry_fields(what.kind, actor, role, detail, data))
        self._timeline.append(entry)
        return entry

    async def _record_update(self, undo: Undo, steps: list[tuple[TimelineEntry, tuple[str, ...] | None]]) -> None:
        """Record an update's entries (each with the units to tell, `_record`). If the database
        refuses one, the task is taken back to before that entry (`DurableTimeline._take_back`:
        the update's later entries are dropped, its earlier ones stay recorded), and the update
        is refused with the reason."""
        refusal = None
        for entry, units in steps:
            if undo.done:
                break
            refusal = await self._record(entry, units, undo) or refusal
        if refusal:
            raise refused_update(refusal)

    async def _record(
        self, entry: TimelineEntry, units: tuple[str, ...] | None = None, undo: Undo | None = None
    ) -> str | None:
        """Record `entry` with the emails it raises (`TASK_NOTICES`) to the lead units, or to
        `units`: those at the time of the entry, before anything is awaited; and to the
        coordinating units. None once recorded, or why the database refused it."""
        notices = task_notices(
            TaskEntryKind(entry.kind),
            self._lead if units is None else units,
            level=int(entry.data.get("level", 0)),
            emailed_levels=self._task.settings.escalation_emails,
            coordinating=self._task.coordinating,
        )
        task = self._task
        event = RecordedEvent(
            workflow_id=workflow.info().workflow_id,
            commune=task.commune,
            plan_id=task.plan_id,
            plan_number=task.plan_number,
            task_code=task.task_code,
            occurrence_key=task.occurrence_key,
            title=task.title,
            entry=entry,
            due=self._due,
            lead=self._lead,
            escalation_level=self._alerts.escalation_level,
            notify=notices,
        )
        if workflow.patched(SEARCH_ATTRIBUTES_FOLLOW_TASK):
            self._publish_search_attributes()
        if workflow.patched(RECORD_IN_SEQ_ORDER):
            await workflow.wait_condition(lambda: self._recorded_seq >= entry.seq - 1)
        refusal = await self._execute_record(RECORD_EVENT, event, entry.seq, entry.kind, undo)
        if refusal and workflow.patched(SEARCH_ATTRIBUTES_FOLLOW_TASK):
            self._publish_search_attributes()  # as the refusal left the task
        return refusal

    def _scope(self) -> tuple[str, int | None]:
        return self._task.commune, None

    def _publish_search_attributes(self) -> None:
        """Keep CchcState, CchcDue and CchcUnit as they are now, so `temporal workflow list
        --query` finds the task by what it is, not what it was at start."""
        wanted = task_search_attributes(self._task, self._state, due=self._due, lead=self._lead)
        workflow.upsert_search_attributes(changed_attributes(workflow.info().typed_search_attributes, wanted))

    def _snapshot(self) -> TaskSnapshot:
        return TaskSnapshot(
            state=self._state,
            due=self._due,
            lead=self._lead,
            officer=self._officer,
            progress=self._progress,
            evidence=tuple(self._evidence),
            reminders_sent=tuple(sorted(self._alerts.reminders_sent)),
            escalation_level=self._alerts.escalation_level,
            last_escalated_on=self._alerts.last_escalated_on,
            next_seq=self._next_seq,
            timeline=tuple(self._timeline),
        )


def _cited(amendment: AmendmentRef | None) -> dict[str, CitedDocument]:
    """The amending document in an event's particulars, when an amendment made the change."""
    return {"amendment": CitedDocument(**amendment.model_dump())} if amendment else {}
