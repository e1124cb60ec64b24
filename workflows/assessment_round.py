"""One durable workflow per commune and year: the PAR round, from the self-assessment to the
published result.

The rules are `domain.assessment_round`; the reminders and escalation before the deadline in
force are the tasks' own (`domain.alerts.next_alarm`, working days). People move the round
through one update, `act`, validated before it is accepted; a submission first asks the
database for the sheet (`check_submission`) and is refused while a sub-criterion has neither
evidence nor explanation. Every step and alarm is one timeline entry, recorded in SQL by an
activity, in seq order.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.alerts import Alarm, AlarmKind, AlertState, after_alarm, next_alarm
    from domain.assessment_round import (
        Refused,
        RoundEntryKind,
        RoundEvent,
        RoundState,
        approval_problem,
        approval_voided,
        deadline_in_force,
        move,
        submission_problem,
    )
    from domain.text import unprintable_problem
    from workflows.durable import (
        RECORD_RETRY,
        SYSTEM,
        DurableTimeline,
        SandboxedCalendar,
        Undo,
        refuse,
        refused_update,
    )
    from workflows.round_contracts import (
        CHECK_SUBMISSION,
        RECORD_ROUND_EVENT,
        Publication,
        RoundEntry,
        RoundInput,
        RoundRecord,
        RoundRequest,
        RoundScope,
        RoundSnapshot,
        SubmissionCheck,
        SubmittedItem,
        appraisal_problem,
        changed_items,
        publication,
    )

CHECK_TIMEOUT = timedelta(seconds=60)  # reading a year of events to score the sheet
# Patches (workflow.patched) in force; see docs/versioning.md before adding or removing one.
APPROVAL_FREEZES_SHEET = "approval-freezes-sheet"
# What the opening event records of the round's input: enough to read its sheet from SQL.
OPENING_FIELDS = {"plan_id", "catalogue_id", "plan_completion_codes", "opens", "submission_due", "explanation_due"}


@workflow.defn
class AssessmentRoundWorkflow(DurableTimeline):
    _entry_type = RoundEntry

    @workflow.init
    def __init__(self, round_input: RoundInput) -> None:
        super().__init__(round_input.clock_offset)
        self._round = round_input
        self._work = SandboxedCalendar(round_input.settings.extra_days_off)
        self._state = RoundState.OPEN
        self._alerts = AlertState()
        self._timeline: list[RoundEntry] = []
        self._self_score: Decimal | None = None
        self._sheet: dict[str, SubmittedItem] = {}  # code -> SubmittedItem, as submitted
        self._submitted: SubmissionCheck | None = None  # the check the submission passed
        self._published: Publication | None = None
        self._approved: dict[str, SubmittedItem] | None = None  # the sheet the chairman approved
        self._appraised: dict[str, Decimal] = {}
        self._asked: tuple[str, ...] = ()
        self._changed = False

    @workflow.run
    async def run(self, round_input: RoundInput) -> RoundSnapshot:
        due = round_input.submission_due
        await self._record(
            RoundEntryKind.OPEN.value,
            SYSTEM,
            SYSTEM,
            f"mở đợt tự đánh giá; hạn gửi hồ sơ {due:%d/%m/%Y}",
            round_input.model_dump(mode="json", include=OPENING_FIELDS),
        )
        while not await self._ended():
            deadline = self._deadline()
            if deadline is None:
                await workflow.wait_condition(lambda: self._changed)
            else:
                alarm = next_alarm(self._now(), deadline, self._alerts, round_input.settings, self._work)
                if await self._sleep_until(alarm.at):
                    await self._fire(alarm, deadline)
            self._changed = False
        return self.state()

    async def _ended(self) -> bool:
        """Whether the result is published, once the update that published it has finished:
        one whose record the database refused is taken back, and the round goes on."""
        if self._state is not RoundState.PUBLISHED:
            return False
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._state is RoundState.PUBLISHED

    @workflow.query
    def state(self) -> RoundSnapshot:
        return RoundSnapshot(
            state=self._state,
            deadline=self._deadline(),
            self_score=self._self_score,
            appraised=dict(self._appraised),
            asked=self._asked,
            timeline=tuple(self._timeline),
            published=self._published,
        )

    # --- people ---------------------------------------------------------------------------

    @workflow.update
    async def act(self, request: RoundRequest) -> RoundSnapshot:
        data: dict[str, Any] = {}
        approved: dict[str, SubmittedItem] | None = None  # the sheet this approval approves
        if request.event is RoundEvent.APPROVE and workflow.patched(APPROVAL_FREEZES_SHEET):
            check = await self._check_submission()
            problem = approval_problem(list(check.blocking))
            if problem:
                raise refuse(problem)
            approved = {item.code: item for item in check.sheet}
            data = self._sheet_data(check)
        submitted: SubmissionCheck | None = None
        if request.event is RoundEvent.SUBMIT:
            submitted = await self._check_submission()
            changed = changed_items(self._approved, submitted.sheet) if self._approved is not None else []
            if changed:
                await self._void_approval(changed)
            problem = submission_problem(list(submitted.blocking))
            if problem:
                raise refuse(problem)
            data = self._sheet_data(submitted)
        undo = Undo()
        self._mark(undo)
        if submitted is not None:
            self._self_score = submitted.self_score
            self._sheet = {item.code: item for item in submitted.sheet}
            self._submitted = submitted
        target = move(self._state, request.event, request.role)
        if isinstance(target, Refused):  # the state moved since validation
            raise refuse(target.reason)
        before = self._deadline()
        self._state = target
        if request.event in (RoundEvent.APPROVE, RoundEvent.REOPEN):
            self._approved = approved  # a reopening leaves none
        if request.event is RoundEvent.APPRAISE:
            assert request.points is not None  # the validator refuses an appraisal without points
            self._appraised[request.codes[0]] = request.points
            data = {"code": request.codes[0], "points": str(request.points)}
        if request.event is RoundEvent.REQUEST_EXPLANATION:
            self._asked = request.codes
            data = {"codes": list(request.codes), "deadline": self._round.explanation_due.isoformat()}
        if request.event is RoundEvent.PUBLISH and request.decision is not None and self._submitted is not None:
            self._published = publication(self._sheet, self._appraised, self._submitted, request.decision)
            data = self._published.model_dump(mode="json")
        if self._deadline() != before:
            self._alerts = AlertState()  # another deadline: its own reminders
        self._changed = True
        refusal = await self._record(request.event.value, request.user, request.role.value, request.note, data, undo)
        if refusal:
            raise refused_update(refusal)
        return self.state()

    @act.validator
    def _validate_act(self, request: RoundRequest) -> None:
        target = move(self._state, request.event, request.role)
        if isinstance(target, Refused):
            raise refuse(target.reason)
        problem = unprintable_problem(request)
        if problem:
            raise refuse(problem)
        if request.event is RoundEvent.APPRAISE:
            problem = appraisal_problem(request, self._sheet)
            if problem:
                raise refuse(problem)
        if request.event is RoundEvent.REQUEST_EXPLANATION and not request.codes:
            raise refuse("yêu cầu giải trình: ghi mã các tiêu chí cần giải trình")
        if request.event is RoundEvent.PUBLISH and request.decision is None:
            raise refuse("công bố kết quả: ghi số, ngày và người ký quyết định công bố của tỉnh")

    def _sheet_data(self, check: SubmissionCheck) -> dict[str, Any]:
        """What an approval or a submission records of the sheet: the score and every item."""
        return {
            "self_score": str(check.self_score),
            "max": str(check.max_points),
            "catalogue_id": self._round.catalogue_id,
            "sheet": [item.model_dump(mode="json") for item in check.sheet],
        }

    async def _void_approval(self, changed: list[str]) -> None:
        """The sheet changed since the chairman approved it: back to drafting, recorded, and the
        submission refused."""
        undo = Undo()
        self._mark(undo)
        self._approved = None
        self._state = RoundState.OPEN
        self._changed = True
        refusal = await self._record(
            RoundEntryKind.APPROVAL_VOIDED.value, SYSTEM, SYSTEM, approval_voided(changed), {"changed": changed}, undo
        )
        raise refused_update(refusal) if refusal else refuse(approval_voided(changed))

    # --- the deadline ---------------------------------------------------------------------

    def _deadline(self) -> date | None:
        return deadline_in_force(self._state, self._round.dates)

    async def _sleep_until(self, at: datetime) -> bool:
        """Wait until `at` on the round's clock: True then, False if the round moved first."""
        self._changed = False
        await self._wait_until(at, lambda: self._changed)
        return not self._changed

    async def _fire(self, alarm: Alarm, deadline: date) -> None:
        self._alerts = after_alarm(self._alerts, alarm)
        what = "gửi hồ sơ tự đánh giá" if self._state is not RoundState.EXPLANATION_REQUESTED else "giải trình"
        if alarm.kind is AlarmKind.REMINDER:
            detail = f"nhắc việc {what}: còn {alarm.level} ngày làm việc đến hạn {deadline:%d/%m/%Y}"
        else:
            detail = f"cảnh báo quá hạn lần {alarm.level}: {what}, hạn {deadline:%d/%m/%Y}"
        data = {"level": alarm.level, "deadline": deadline.isoformat()}  # who hears of it: ROUND_NOTICES
        await self._record(alarm.kind.value, SYSTEM, SYSTEM, detail, data)

    # --- side effects ---------------------------------------------------------------------

    async def _check_submission(self) -> SubmissionCheck:
        round_input = self._round
        scope = RoundScope(
            plan_id=round_input.plan_id,
            catalogue_id=round_input.catalogue_id,
            plan_completion_codes=round_input.plan_completion_codes,
            at=self._now(),
        )
        check: SubmissionCheck = await workflow.execute_activity(  # by name: typed by result_type
            CHECK_SUBMISSION,
            scope,
            result_type=SubmissionCheck,
            start_to_close_timeout=CHECK_TIMEOUT,
            retry_policy=RECORD_RETRY,
        )
        return check

    async def _record(
        self,
        kind: str,
        actor: str,
        role: str,
        detail: str = "",
        data: dict[str, Any] | None = None,
        undo: Undo | None = None,
    ) -> str | None:
        """Record the next entry: None once recorded, or why the database refused it (an
        update's changes, `undo`, then taken back)."""
        entry = RoundEntry(state=self._state, **self._entry_fields(kind, actor, role, detail, data))
        self._timeline.append(entry)
        record = RoundRecord(
            workflow_id=workflow.info().workflow_id, commune=self._round.commune, year=self._round.year, entry=entry
        )
        return await self._execute_record(RECORD_ROUND_EVENT, record, entry.seq, entry.kind, undo)

    def _scope(self) -> tuple[str, int | None]:
        return self._round.commune, self._round.year
