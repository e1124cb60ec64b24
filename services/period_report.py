"""The periodic CCHC report (báo cáo CCHC định kỳ) drafted from a plan's tracked work: for a
quarter, the first six or nine months, or the year, area by area of the plan (its sections),
what was done and with which document, what is late and why (the notes of its history), what
was stopped or moved and by whose decision, and the on-time rates by the plan and as directed
(`services.outcomes`); the difficulties, proposals and next steps are left for the office.

An occurrence belongs to the period its plan deadline falls in (the issued plan's, or a
confirmed amending plan's), so a task moved by an extension is reported where the plan put
it, with the move. Everything is read as it stood at the end of the report's date: the same
data and date give the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy.orm import Session

from domain.calendar import TZ
from domain.citations import citation
from domain.communes import CommuneProfile
from domain.formatting import dmy, rate
from domain.lifecycle import TaskEntryKind, TaskState
from domain.models import Plan, Section
from domain.on_time import Standing
from domain.report_periods import ReportPeriod
from domain.roles import Role
from domain.task_events import Cancelled, DeadlineExtended, Reassigned, Waived
from domain.vocabulary import label
from evidence.audit_log import events_by_task
from evidence.document_layout import (
    FOR_THE_OFFICE,
    DocumentType,
    Layout,
    Release,
    finish,
    heading,
    paragraph,
    start,
    table,
)
from evidence.year_end import OccurrenceRecord, year_records
from persistence.communes import commune_profile
from persistence.task_tables import TaskEventRow
from persistence.users import list_users
from services.outcomes import Tally, add
from services.people import chairman_signature

TASK_HEADERS = ("Mã", "Nhiệm vụ", "Chủ trì", "Hạn", "Kết quả, sản phẩm")
TASK_WIDTHS = (17, 45, 22, 25, 56)  # mm
RATE_HEADERS = ("Mục", "Lĩnh vực", "Đến hạn", "Đúng hạn", "Tỷ lệ đúng hạn", "Tỷ lệ theo chỉ đạo")
RATE_WIDTHS = (14, 61, 20, 20, 25, 25)
# The events whose notes tell why a task is late, and those that stop or move it.
NOTED = frozenset(
    kind.value for kind in (TaskEntryKind.REPORT_PROGRESS, TaskEntryKind.RETURN, TaskEntryKind.EXTEND_DEADLINE)
)
DECIDED = frozenset(
    kind.value
    for kind in (TaskEntryKind.EXTEND_DEADLINE, TaskEntryKind.REASSIGN, TaskEntryKind.WAIVE, TaskEntryKind.CANCEL)
)
STOPPED = (TaskState.WAIVED, TaskState.CANCELLED)


@dataclass(frozen=True)
class Line:
    """One occurrence as the report tells it."""

    record: OccurrenceRecord
    standing: Standing  # by the plan
    result: str  # "Hoàn thành đúng hạn: Báo cáo số …"
    notes: tuple[str, ...]  # "15/03/2024: chờ số liệu của Phòng Kinh tế"
    decisions: tuple[str, ...]  # "Gia hạn đến 10/04/2024 theo chỉ đạo của Trần Văn Hùng ngày …: …"


@dataclass(frozen=True)
class Area:
    section: Section
    lines: tuple[Line, ...]
    tally: Tally


@dataclass(frozen=True)
class PeriodReport:
    plan: Plan
    profile: CommuneProfile
    period: ReportPeriod
    issued: date
    areas: tuple[Area, ...]
    tally: Tally

    @property
    def summary(self) -> str:
        return f"Kết quả thực hiện công tác cải cách hành chính {self.period.words(self.plan.year)}"

    @property
    def file_name(self) -> str:
        return f"bao-cao-cchc-{self.period.slug(self.plan.year)}.docx"


def period_report(session: Session, *, plan_id: int, period: ReportPeriod, issued: date) -> PeriodReport:
    """The plan's report for `period` as its work stood at the end of `issued`."""
    as_of = datetime.combine(issued, time(23, 59, 59), tzinfo=TZ)
    plan, records = year_records(session, plan_id, until=as_of)
    first, last = period.span(plan.year)
    covered = [record for record in records if first <= record.plan_due <= last]
    events = events_by_task(session, [record.workflow_id for record in covered], TaskEventRow)
    names = {
        user.username: user.display_name for user in list_users(session, commune=plan.commune) if user.display_name
    }
    profile = commune_profile(session, plan.commune)
    lines = [
        _line(record, [e for e in events.get(record.workflow_id, []) if e.at <= as_of], names, profile, as_of)
        for record in covered
    ]
    areas = []
    for section in plan.sections:
        own = tuple(line for line in lines if line.record.section == section.code)
        if own:
            areas.append(Area(section, own, _tally(own, as_of)))
    return PeriodReport(plan, profile, period, issued, tuple(areas), _tally(lines, as_of))


def drafted_report(
    session: Session,
    *,
    plan_id: int,
    period: ReportPeriod,
    issued: date,
    final: bool = False,
    copies: tuple[str, ...] = (),
) -> tuple[str, bytes]:
    """The report's file name and bytes, signed by the commune's chairman of the people directory,
    sent to the supervising authority and `copies` (empty: the commune's leaders)."""
    report = period_report(session, plan_id=plan_id, period=period, issued=issued)
    release = Release(signature=chairman_signature(session, report.plan.commune), final=final, copies=copies)
    return report.file_name, report_docx(report, release=release)


def _tally(lines: tuple[Line, ...] | list[Line], as_of: datetime) -> Tally:
    tally = Tally()
    for line in lines:
        add(tally, line.record.state, line.record.standings(as_of))
    return tally


def _line(
    record: OccurrenceRecord,
    events: list[TaskEventRow],
    names: dict[str, str],
    profile: CommuneProfile,
    as_of: datetime,
) -> Line:
    standing = record.standings(as_of).by_plan
    notes = tuple(
        f"{dmy(event.at.astimezone(TZ).date())}: {event.detail}"
        for event in events
        if event.detail and event.kind in NOTED
    )
    decisions = tuple(_decision(event, _who(event, names)) for event in events if event.kind in DECIDED)
    return Line(record, standing, _result(record, standing, profile, as_of), notes, decisions)


def _who(event: TaskEventRow, names: dict[str, str]) -> str:
    """Who decided: the account's full name, else the position ("Chủ tịch UBND xã"), never a login."""
    return names.get(event.actor) or label(Role(event.role))


def _result(record: OccurrenceRecord, standing: Standing, profile: CommuneProfile, as_of: datetime) -> str:
    if record.state in STOPPED:
        return "Dừng thực hiện"
    products = "; ".join(
        citation(document.number, document.day, document.issuer or profile.committee, document.title)
        for document in record.evidence
    )
    match standing:
        case Standing.ON_TIME:
            return f"Hoàn thành đúng hạn: {products}"
        case Standing.LATE:
            return f"Hoàn thành chậm {record.days_late} ngày: {products}"
        case Standing.OVERDUE:
            return f"Chưa hoàn thành, quá hạn {record.days_overdue(as_of.date())} ngày"
    return "Đang thực hiện"


def _decision(event: TaskEventRow, name: str) -> str:
    """ "Gia hạn từ 31/03/2024 đến 10/04/2024 theo chỉ đạo của Trần Văn Hùng ngày 25/03/2024: …"."""
    what = event.entry().what
    day = dmy(event.at.astimezone(TZ).date())
    act = "Dừng thực hiện"
    if isinstance(what, DeadlineExtended):
        act = f"Gia hạn từ {dmy(what.old_due)} đến {dmy(what.new_due)}"
    elif isinstance(what, Reassigned):
        act = f"Giao lại cho {', '.join(what.new_lead)}"
    amendment = what.amendment if isinstance(what, DeadlineExtended | Reassigned | Waived | Cancelled) else None
    by = (
        f"theo {citation(amendment.number, amendment.issued, None, amendment.title)}"
        if amendment
        else f"theo chỉ đạo của {name} ngày {day}"
    )
    reason = f": {event.detail}" if event.detail else ""
    return f"{act} {by}{reason}"


# --- the document ------------------------------------------------------------------------------


def report_layout(report: PeriodReport, *, release: Release) -> Layout:
    authority = report.profile.supervising_authority(report.issued)
    return Layout(
        issuer=report.profile,
        type=DocumentType.REPORT,
        summary=report.summary,
        issued=report.issued,
        recipients=release.recipients(authority, f"Chủ tịch, các Phó Chủ tịch UBND {report.profile.word}"),
        signature=release.signature,
        final=release.final,
    )


def report_docx(report: PeriodReport, *, release: Release) -> bytes:
    """The report in the layout of Nghị định 30/2020 (`evidence.document_layout`)."""
    layout = report_layout(report, release=release)
    document = start(layout)
    plan = report.plan
    paragraph(
        document,
        f"Thực hiện {citation(plan.number, plan.date, plan.issuer, plan.title)}, "
        f"{report.profile.committee} báo cáo {report.summary[0].lower()}{report.summary[1:]} như sau:",
    )
    heading(document, "I. KẾT QUẢ THỰC HIỆN")
    paragraph(document, _overall(report.tally))
    for number, area in enumerate(report.areas, start=1):
        heading(document, f"{number}. {area.section.title}")
        table(document, TASK_HEADERS, [_cells(line) for line in area.lines], TASK_WIDTHS)
    heading(document, "II. NHIỆM VỤ CHẬM, QUÁ HẠN VÀ NGUYÊN NHÂN")
    late = [line for area in report.areas for line in area.lines if line.standing in (Standing.LATE, Standing.OVERDUE)]
    for line in late:
        why = "; ".join(note.rstrip(".") for note in line.notes) or "chưa ghi nhận nguyên nhân"
        paragraph(document, f"- {line.record.task_code} {line.record.title} ({line.result.split(':')[0]}): {why}.")
    if not late:
        paragraph(document, "Không có nhiệm vụ chậm hoặc quá hạn.")
    heading(document, "III. NHIỆM VỤ DỪNG THỰC HIỆN, ĐIỀU CHỈNH")
    decided = [line for area in report.areas for line in area.lines if line.decisions]
    for line in decided:
        decided_how = "; ".join(decision.rstrip(".") for decision in line.decisions)
        paragraph(document, f"- {line.record.task_code} {line.record.title}: {decided_how}.")
    if not decided:
        paragraph(document, "Không có nhiệm vụ dừng thực hiện hoặc điều chỉnh.")
    heading(document, "IV. TỶ LỆ HOÀN THÀNH ĐÚNG HẠN THEO LĨNH VỰC")
    rows = [(a.section.code, a.section.title, *_rates(a.tally)) for a in report.areas]
    table(document, RATE_HEADERS, [*rows, ("", "Tổng cộng", *_rates(report.tally))], RATE_WIDTHS)
    for title in ("V. KHÓ KHĂN, VƯỚNG MẮC", "VI. ĐỀ XUẤT, KIẾN NGHỊ", "VII. NHIỆM VỤ TRỌNG TÂM KỲ TỚI"):
        heading(document, title)
        paragraph(document, FOR_THE_OFFICE)
    return finish(document, layout)


def _overall(tally: Tally) -> str:
    settled = tally.plan.settled
    return (
        f"Trong kỳ có {tally.occurrences} lượt nhiệm vụ theo kế hoạch, {settled} lượt đã đến hạn; đã hoàn thành "
        f"{tally.approved} lượt, trong đó {tally.plan.on_time} lượt đúng hạn; dừng thực hiện "
        f"{tally.waived + tally.cancelled} lượt. Tỷ lệ hoàn thành đúng hạn theo kế hoạch: {_rate(tally.on_time_rate)}; "
        f"tính cả gia hạn theo chỉ đạo: {_rate(tally.on_time_rate_directed)}."
    )


def _rates(tally: Tally) -> tuple[str, str, str, str]:
    return (
        str(tally.plan.settled),
        str(tally.plan.on_time),
        _rate(tally.on_time_rate),
        _rate(tally.on_time_rate_directed),
    )


def _rate(share: float | None) -> str:
    return "chưa có nhiệm vụ đến hạn" if share is None else rate(share)


def _cells(line: Line) -> tuple[str, str, str, str, str]:
    record = line.record
    return (record.task_code, record.title, ", ".join(record.lead), dmy(record.plan_due), line.result)
