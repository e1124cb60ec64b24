"""The scripted officers of `cchc demo`: who does what to each task occurrence, and when.

Pure and deterministic: the same plan always gives the same script. Every occurrence gets a
fate, chosen by ranking the occurrences on a hash of their task code and occurrence key:

    waived       the chairman waives it (once per plan)
    extended     the chairman extends its deadline by 10 working days; done by the new date (once)
    rework       the office returns the first evidence, the officer resubmits, approved (once)
    never_done   acknowledged, some progress, no evidence: escalates until the end (a few)
    late         evidence some working days after the due date, approved late (about one in eight,
                 and always a task already past due when the plan was issued)
    on_time      the rest: acknowledged, progress, evidence a few working days before the due date,
                 approved the next working day

Each fate becomes steps at task-clock instants during office hours (alarms fire at 08:00 and at
23:59:59, never at the same instant as a step). Officers of the lead unit acknowledge, report
progress and submit evidence; the office (REVIEWER, an account of the plan's Văn phòng) checks
and confirms completion, or returns the work, except for the tasks its own unit leads, which
the CHAIRMAN confirms; the CHAIRMAN extends and stops.
Every evidence submission carries a real document (`demo.documents`), numbered in issue order:
the script holds their bytes, by SHA-256, for the demo to put in the evidence store.
"""

from __future__ import annotations

import hashlib
import itertools
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from enum import StrEnum
from itertools import groupby

from demo.documents import evidence_document
from domain.calendar import TZ, WorkCalendar
from domain.communes import CommuneProfile, level_above
from domain.models import Occurrence, Plan, Task
from domain.roles import Action, Actor, Role
from domain.units import unit_key
from evidence.location import file_ref
from workflows.contracts import (
    Acknowledge,
    Contract,
    DeadlineExtension,
    EvidenceSubmission,
    ProgressReport,
    ReviewDecision,
    Waiver,
    shares_a_unit,
)

SEED = "cchc-demo"
START_HOUR = time(8, 0)  # the plan starts at 08:00 on its date
EXTENSION_WORKING_DAYS = 10
END_MARGIN_WORKING_DAYS = 5  # the run goes on this long after the last step and after year end
END_HOUR = time(17, 0)

# Hours of the steps: office hours, never 08:00 (reminders) nor 23:59:59 (escalations).
HOURS: dict[Action, time] = {
    Action.ACKNOWLEDGE: time(9, 0),
    Action.REVIEW: time(10, 0),
    Action.REPORT_PROGRESS: time(14, 0),
    Action.SUBMIT_EVIDENCE: time(15, 0),
    Action.EXTEND_DEADLINE: time(16, 0),
    Action.WAIVE: time(16, 0),
}

# An evidence submission before its document is attached (`_issue_documents`).
PENDING_FILE = "pending"
PENDING_DIGEST = "0" * 64

CHAIRMAN = Actor(user="chu-tich-ubnd-xa", role=Role.CHAIRMAN)
REVIEWER_USER = "van-phong-kiem-tra"
# The commune office (Văn phòng HĐND và UBND) is the CCHC focal point whatever the rest of
# its name: the plan's units whose name starts so are the office's own.
OFFICE_NAME = unit_key("Văn phòng")


class Fate(StrEnum):
    ON_TIME = "on_time"
    REWORK = "rework"
    EXTENDED = "extended"
    WAIVED = "waived"
    LATE = "late"
    NEVER_DONE = "never_done"


@dataclass(frozen=True)
class Step:
    """One person's action on one occurrence at one instant of the task clock."""

    at: datetime
    task_code: str
    occurrence_key: str
    action: Action
    request: Contract  # Acknowledge, ProgressReport, EvidenceSubmission, ReviewDecision, ...


@dataclass(frozen=True)
class Script:
    start: datetime  # the task clock when the plan starts: its date, 08:00 +07:00
    end: datetime  # where the simulation stops
    fates: dict[tuple[str, str], Fate]  # (task code, occurrence key) -> fate
    steps: tuple[Step, ...]  # in time order
    documents: dict[str, bytes]  # the submitted evidence files, by SHA-256

    def batches(self) -> Iterator[tuple[datetime, list[Step]]]:
        """The steps grouped by instant, earliest first: one clock jump per group."""
        for at, steps in groupby(self.steps, key=lambda step: step.at):
            yield at, list(steps)

    def share_done(self, at: datetime) -> float:
        """How far `at` is from the start to the end, 0 to 1."""
        return min(1.0, max(0.0, (at - self.start) / (self.end - self.start)))

    def count(self, fate: Fate) -> int:
        return sum(1 for f in self.fates.values() if f is fate)


def write_script(plan: Plan, signer: str | None = None) -> Script:
    """The demo's script for `plan`, its documents signed by the chairman `signer`: the same
    plan and signer always give the same script."""
    work = WorkCalendar(plan.settings.extra_days_off)
    start = datetime.combine(plan.date, START_HOUR, tzinfo=TZ)
    occurrences = [(task, occurrence) for task in plan.tasks for occurrence in task.occurrences]
    fates = choose_fates(plan, occurrences, work)
    writer = _StepWriter(plan, work)
    for task, occurrence in occurrences:
        writer.write(task, occurrence, fates[task.code, occurrence.key])
    steps = tuple(sorted(writer.steps, key=lambda s: (s.at, s.task_code, s.occurrence_key)))
    steps, documents = _issue_documents(plan, steps, signer)
    last_day = max([plan_year_end(plan), *(step.at.date() for step in steps)])
    end = datetime.combine(work.add_working_days(last_day, END_MARGIN_WORKING_DAYS), END_HOUR, tzinfo=TZ)
    return Script(start=start, end=end, fates=fates, steps=steps, documents=documents)


def plan_year_end(plan: Plan) -> date:
    return date(plan.year, 12, 31)


# --- fates -----------------------------------------------------------------------------------


def rank(task: Task, occurrence: Occurrence) -> str:
    """The occurrence's place in the draw: a hash of its task code and key, stable everywhere."""
    return hashlib.sha256(f"{SEED}/{task.code}/{occurrence.key}".encode()).hexdigest()


def choose_fates(
    plan: Plan, occurrences: list[tuple[Task, Occurrence]], work: WorkCalendar
) -> dict[tuple[str, str], Fate]:
    """A fate for every occurrence; the special ones are drawn only where they fit the dates."""
    days = _Days(plan, work)
    # An occurrence already past due when the plan was issued cannot be on time any more.
    fates = {(t.code, o.key): Fate.LATE for t, o in occurrences if o.past_due_at_issue}
    drawn = sorted(((t, o) for t, o in occurrences if (t.code, o.key) not in fates), key=lambda pair: rank(*pair))
    total, late_already, year_end = len(occurrences), len(fates), plan_year_end(plan)
    quotas = [
        (Fate.WAIVED, 1, lambda o: days.waive_day(o) > days.acknowledge_day(o)),
        (Fate.EXTENDED, 1, lambda o: days.extend_day(o) > days.acknowledge_day(o) and days.new_due(o) <= year_end),
        (Fate.REWORK, 1, lambda o: days.before_due(o, 6) > days.acknowledge_day(o)),
        (Fate.NEVER_DONE, max(1, total // 30), lambda o: True),
        (Fate.LATE, max(1, total // 8) - late_already, lambda o: True),
    ]
    for fate, quota, fits in quotas:
        for task, occurrence in drawn:
            if quota <= 0:
                break
            key = (task.code, occurrence.key)
            if key not in fates and fits(occurrence):
                fates[key] = fate
                quota -= 1
    for task, occurrence in drawn:
        fates.setdefault((task.code, occurrence.key), Fate.ON_TIME)
    return fates


class _Days:
    """The working days a fate's steps fall on."""

    def __init__(self, plan: Plan, work: WorkCalendar) -> None:
        self.plan = plan
        self.work = work

    def acknowledge_day(self, occurrence: Occurrence) -> date:
        """The first working day after the plan's date, or the period's first working day if later."""
        after_issue = self.work.add_working_days(self.plan.date, 1)
        return max(after_issue, self.work.roll_forward(occurrence.period.start))

    def before_due(self, occurrence: Occurrence, n: int) -> date:
        return self.work.subtract_working_days(occurrence.due_date, n)

    def after(self, day: date, n: int) -> date:
        return self.work.add_working_days(day, n)

    def waive_day(self, occurrence: Occurrence) -> date:
        return self.before_due(occurrence, 5)

    def extend_day(self, occurrence: Occurrence) -> date:
        return self.before_due(occurrence, 2)

    def new_due(self, occurrence: Occurrence) -> date:
        return self.work.add_working_days(occurrence.due_date, EXTENSION_WORKING_DAYS)

    def halfway(self, first: date, last: date) -> date | None:
        """A working day strictly between `first` and `last`, near the middle; None if none."""
        days = []
        day = self.work.add_working_days(first, 1)
        while day < last:
            days.append(day)
            day = self.work.add_working_days(day, 1)
        return days[len(days) // 2] if days else None


# --- steps -----------------------------------------------------------------------------------


class _StepWriter:
    """The steps of each occurrence's fate, written one occurrence at a time."""

    def __init__(self, plan: Plan, work: WorkCalendar) -> None:
        self.days = _Days(plan, work)
        self.steps: list[Step] = []
        self.reviewer = reviewer_of(plan)

    def write(self, task: Task, occurrence: Occurrence, fate: Fate) -> None:
        self.task, self.occurrence = task, occurrence
        self.officer = officer_of(task.lead[0])
        self.acknowledged = self.days.acknowledge_day(occurrence)
        self.add(self.acknowledged, Action.ACKNOWLEDGE, Acknowledge(actor=self.officer))
        {
            Fate.ON_TIME: self.done_on_time,
            Fate.LATE: self.done_late,
            Fate.REWORK: self.returned_once,
            Fate.EXTENDED: self.extended,
            Fate.WAIVED: self.waived,
            Fate.NEVER_DONE: self.never_done,
        }[fate]()

    # --- fates

    def done_on_time(self) -> None:
        days_early = self.draw().choice([1, 2, 3, 5])
        submitted = max(self.days.before_due(self.occurrence, days_early), self.days.after(self.acknowledged, 1))
        self.done(submitted)

    def done_late(self) -> None:
        days_late = self.draw().choice([2, 4, 6, 9])
        self.done(self.days.after(max(self.occurrence.due_date, self.acknowledged), days_late))

    def returned_once(self) -> None:
        submitted = self.days.before_due(self.occurrence, 6)
        self.progress(submitted, 60)
        self.submit(submitted)
        returned = self.days.after(submitted, 1)
        comment = "Sản phẩm chưa có số liệu tổng hợp của các thôn; đề nghị bổ sung và nộp lại."
        self.add(returned, Action.REVIEW, ReviewDecision(actor=self.confirmer(), approve=False, comment=comment))
        resubmitted = self.days.after(returned, 1)
        self.submit(resubmitted, revised=True)
        self.approve(self.days.after(resubmitted, 1))

    def extended(self) -> None:
        asked = self.days.extend_day(self.occurrence)
        self.progress(asked, 40)
        new_due = self.days.new_due(self.occurrence)
        reason = f"Chờ số liệu của {level_above(asked)}; gia hạn thêm {EXTENSION_WORKING_DAYS} ngày làm việc."
        self.add(asked, Action.EXTEND_DEADLINE, DeadlineExtension(actor=CHAIRMAN, new_due=new_due, reason=reason))
        submitted = self.days.work.subtract_working_days(new_due, 2)
        self.submit(submitted)
        self.approve(self.days.after(submitted, 1))

    def waived(self) -> None:
        reason = "Nhiệm vụ không còn phù hợp sau khi cấp trên điều chỉnh chỉ tiêu; Chủ tịch quyết định dừng thực hiện."
        self.add(self.days.waive_day(self.occurrence), Action.WAIVE, Waiver(actor=CHAIRMAN, reason=reason))

    def never_done(self) -> None:
        self.progress(self.occurrence.due_date, 30)

    # --- steps

    def done(self, submitted: date) -> None:
        """Progress halfway, evidence on `submitted`, approval the next working day."""
        self.progress(submitted, 50)
        self.submit(submitted)
        self.approve(self.days.after(submitted, 1))

    def draw(self) -> random.Random:
        """This occurrence's own random draw: the same on every run."""
        return random.Random(f"{SEED}/{self.task.code}/{self.occurrence.key}")

    def add(self, day: date, action: Action, request: Contract) -> None:
        at = datetime.combine(day, HOURS[action], tzinfo=TZ)
        self.steps.append(Step(at, self.task.code, self.occurrence.key, action, request))

    def progress(self, before: date, percent: int) -> None:
        """A progress report halfway between the acknowledgement and `before`, if a day lies between."""
        day = self.days.halfway(self.acknowledged, before)
        if day is not None:
            note = f"Đã hoàn thành khoảng {percent}% khối lượng công việc."
            self.add(day, Action.REPORT_PROGRESS, ProgressReport(actor=self.officer, percent=percent, note=note))

    def submit(self, day: date, revised: bool = False) -> None:
        task = self.task
        title = f"{document_kind(task.product)} {'(bổ sung) ' if revised else ''}về việc: {task.title}"[:300]
        request = EvidenceSubmission(  # numbered, and its document attached, in issue order later
            actor=self.officer,
            document_number=f"0/{document_symbol(task.product)}-UBND",
            document_date=day,
            title=title,
            file_ref=PENDING_FILE,
            sha256=PENDING_DIGEST,
        )
        self.add(day, Action.SUBMIT_EVIDENCE, request)

    def approve(self, day: date) -> None:
        self.add(
            day, Action.REVIEW, ReviewDecision(actor=self.confirmer(), approve=True, comment="Sản phẩm đạt yêu cầu.")
        )

    def confirmer(self) -> Actor:
        """The office, or a leader for a task the office's own unit leads."""
        return CHAIRMAN if shares_a_unit(self.reviewer.units, self.task.lead) else self.reviewer


def _issue_documents(
    plan: Plan, steps: tuple[Step, ...], signer: str | None
) -> tuple[tuple[Step, ...], dict[str, bytes]]:
    """Number the evidence documents 1, 2, 3 ... in the order they are issued, as a commune does,
    and attach each its file, signed by the chairman `signer`: the steps, and the files by SHA-256."""
    issuer = CommuneProfile(name=plan.commune, kind=plan.commune_kind)
    issued, documents = [], {}
    numbers = itertools.count(1)
    for step in steps:
        if isinstance(step.request, EvidenceSubmission):
            symbol = step.request.document_number.partition("/")[2]
            numbered = step.request.model_copy(update={"document_number": f"{next(numbers)}/{symbol}"})
            content = evidence_document(issuer, signer, numbered)
            digest = hashlib.sha256(content).hexdigest()
            documents[digest] = content
            attached = numbered.model_copy(update={"file_ref": file_ref(digest), "sha256": digest})
            step = replace(step, request=attached)
        issued.append(step)
    return tuple(issued), documents


# --- people and documents --------------------------------------------------------------------


def reviewer_of(plan: Plan) -> Actor:
    """The office's account: the plan's office units are its own (none when no unit is the office)."""
    units = dict.fromkeys(u for task in plan.tasks for u in task.lead if unit_key(u).startswith(OFFICE_NAME))
    return Actor(user=REVIEWER_USER, role=Role.REVIEWER, units=tuple(units))


def officer_of(unit: str) -> Actor:
    """An officer of `unit`: `cong-chuc-tu-phap` for Tư pháp."""
    return Actor(user=f"cong-chuc-{slug(unit)}", role=Role.OFFICER, units=(unit,))


def slug(text: str) -> str:
    """ASCII, lower case, words joined by dashes: "Văn hoá" → "van-hoa"."""
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return "-".join("".join(c if c.isalnum() else " " for c in plain.lower()).split())


def document_kind(product: str | None) -> str:
    text = (product or "").lower()
    for words, kind in (("kế hoạch", "Kế hoạch"), ("quyết định", "Quyết định")):
        if words in text:
            return kind
    return "Báo cáo"


def document_symbol(product: str | None) -> str:
    return {"Kế hoạch": "KH", "Quyết định": "QĐ"}.get(document_kind(product), "BC")
