"""Every word people read for a member of the domain's enums, in Vietnamese and English: the
one place to change them.

`label(member, lang)` gives the word for a state, an event, a role, an action, a kind of
email, a row's fate ... in the language asked ("vi" unless told). The web, the CLI, the emails
and the documents the product writes all take their words from here. Each enum has its own
table: members of two enums may share a value ("approved"), never a word in one enum.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, NamedTuple

from domain.assessment_round import RoundEntryKind, RoundEvent, RoundRole, RoundState
from domain.language import Language
from domain.lifecycle import TaskEntryKind, TaskState
from domain.models import BeforeDayRule, CommuneKind, DayOffRule, DueRule, PlanSettings, RowFate
from domain.notifications import EmailStatus, NotificationKind
from domain.people import Person, PersonRole
from domain.plan_changes import ChangeKind
from domain.roles import Action, ActionField, Role
from domain.scoring import RuleKind


class Words(NamedTuple):
    vi: str
    en: str


Labelled = (
    TaskState
    | TaskEntryKind
    | Role
    | Action
    | ActionField
    | PersonRole
    | NotificationKind
    | EmailStatus
    | RoundState
    | RoundRole
    | RoundEvent
    | RoundEntryKind
    | ChangeKind
    | RuleKind
    | RowFate
    | CommuneKind
    | DueRule
    | DayOffRule
    | BeforeDayRule
    | Language
)

_TASK_STATES: dict[TaskState, Words] = {
    TaskState.ASSIGNED: Words("đã giao", "assigned"),
    TaskState.IN_PROGRESS: Words("đang thực hiện", "in progress"),
    TaskState.EVIDENCE_SUBMITTED: Words("đã nộp sản phẩm", "evidence submitted"),
    TaskState.UNDER_REVIEW: Words("đang kiểm tra", "being checked"),
    TaskState.RETURNED: Words("bị trả lại", "returned for rework"),
    TaskState.APPROVED: Words("đã hoàn thành", "completed"),
    TaskState.WAIVED: Words("đã dừng thực hiện", "stopped"),
    TaskState.CANCELLED: Words("đã hủy", "cancelled"),
}

# The entries of a task's timeline.
_TASK_ENTRIES: dict[TaskEntryKind, Words] = {
    TaskEntryKind.ASSIGN: Words("giao nhiệm vụ", "assigned"),
    TaskEntryKind.ACKNOWLEDGE: Words("nhận nhiệm vụ", "acknowledged"),
    TaskEntryKind.REPORT_PROGRESS: Words("báo cáo tiến độ", "progress reported"),
    TaskEntryKind.SUBMIT_EVIDENCE: Words("nộp sản phẩm", "evidence submitted"),
    TaskEntryKind.START_REVIEW: Words("bắt đầu kiểm tra", "check started"),
    TaskEntryKind.APPROVE: Words("xác nhận hoàn thành", "completion confirmed"),
    TaskEntryKind.RETURN: Words("trả lại", "returned for rework"),
    TaskEntryKind.EXTEND_DEADLINE: Words("gia hạn", "deadline extended"),
    TaskEntryKind.REASSIGN: Words("giao lại", "reassigned"),
    TaskEntryKind.WAIVE: Words("dừng thực hiện", "stopped"),
    TaskEntryKind.CANCEL: Words("hủy", "cancelled"),
    TaskEntryKind.REMINDER: Words("nhắc việc", "reminder"),
    TaskEntryKind.ESCALATION: Words("cảnh báo quá hạn", "overdue warning"),
    TaskEntryKind.RECORD_REFUSED: Words("ghi nhận bị từ chối", "record refused"),
}

_ROLES: dict[Role, Words] = {
    Role.CHAIRMAN: Words("Chủ tịch UBND xã", "commune chairman"),
    Role.VICE_CHAIRMAN: Words("Phó Chủ tịch UBND xã", "commune vice chairman"),
    Role.REVIEWER: Words("Văn phòng (kiểm tra, xác nhận hoàn thành)", "office (checks and confirms completion)"),
    Role.OFFICER: Words("công chức", "officer"),
    Role.AUDITOR: Words("kiểm tra viên", "auditor"),
    Role.APPRAISER: Words("thẩm định viên (Sở Nội vụ)", "appraiser (provincial Department of Home Affairs)"),
    Role.SUPERVISOR: Words("lãnh đạo cơ quan giám sát", "head of the supervising authority"),
    Role.ADMIN: Words("quản trị hệ thống", "administrator"),
    Role.SYSTEM: Words("hệ thống", "system"),
}

_ACTIONS: dict[Action, Words] = {
    Action.ACKNOWLEDGE: Words("nhận nhiệm vụ", "acknowledge"),
    Action.REPORT_PROGRESS: Words("báo cáo tiến độ", "report progress"),
    Action.SUBMIT_EVIDENCE: Words("nộp sản phẩm", "submit evidence"),
    Action.REVIEW: Words("kiểm tra, xác nhận hoàn thành", "check and confirm completion"),
    Action.EXTEND_DEADLINE: Words("gia hạn", "extend the deadline"),
    Action.REASSIGN: Words("giao lại nhiệm vụ", "reassign"),
    Action.WAIVE: Words("dừng thực hiện nhiệm vụ", "stop the task"),
}

_ACTION_FIELDS: dict[ActionField, Words] = {
    ActionField.NOTE: Words("ghi chú", "note"),
    ActionField.PERCENT: Words("phần trăm hoàn thành", "percent done"),
    ActionField.DOCUMENT_NUMBER: Words("số văn bản", "document number"),
    ActionField.DOCUMENT_DATE: Words("ngày văn bản", "document date"),
    ActionField.TITLE: Words("trích yếu", "title"),
    ActionField.COMMENT: Words("ý kiến", "comment"),
    ActionField.NEW_DUE: Words("hạn mới", "new due date"),
    ActionField.REASON: Words("lý do", "reason"),
    ActionField.LEAD: Words("đơn vị chủ trì mới", "new lead unit"),
    ActionField.OFFICER: Words("công chức", "officer"),
}

# The roles of the people directory (who receives which email).
_PERSON_ROLES: dict[PersonRole, Words] = {
    PersonRole.OFFICER: Words("công chức", "officer"),
    PersonRole.HEAD: Words("trưởng bộ phận", "head of unit"),
    PersonRole.CHAIRMAN: Words("chủ tịch", "chairman"),
    PersonRole.VICE_CHAIRMAN: Words("phó chủ tịch", "vice chairman"),
    PersonRole.REVIEWER: Words("xác nhận hoàn thành", "confirms completion"),
}

_NOTIFICATION_KINDS: dict[NotificationKind, Words] = {
    NotificationKind.ASSIGNMENT: Words("giao nhiệm vụ", "assignment"),
    NotificationKind.REMINDER: Words("nhắc việc", "reminder"),
    NotificationKind.ESCALATION: Words("cảnh báo quá hạn", "overdue warning"),
    NotificationKind.EVIDENCE_SUBMITTED: Words("sản phẩm chờ kiểm tra", "product to check"),
    NotificationKind.RETURNED: Words("trả lại để làm lại", "returned for rework"),
    NotificationKind.APPROVED: Words("đã hoàn thành", "completed"),
    NotificationKind.EXTENDED: Words("gia hạn", "deadline extended"),
    NotificationKind.WAIVED: Words("dừng thực hiện", "stopped"),
    NotificationKind.REASSIGNED: Words("giao lại", "reassigned"),
    NotificationKind.ROUND_REMINDER: Words("nhắc việc hồ sơ Chỉ số CCHC", "PAR index file reminder"),
    NotificationKind.ROUND_ESCALATION: Words("cảnh báo quá hạn hồ sơ Chỉ số CCHC", "overdue warning (PAR index file)"),
    NotificationKind.ROUND_APPROVAL_VOIDED: Words(
        "phê duyệt hồ sơ Chỉ số CCHC bị hủy", "approval of the PAR index file voided"
    ),
    NotificationKind.ROUND_EXPLANATION_REQUESTED: Words(
        "yêu cầu giải trình (Chỉ số CCHC)", "explanation requested (PAR index)"
    ),
    NotificationKind.ROUND_PUBLISHED: Words("công bố kết quả Chỉ số CCHC", "PAR index result published"),
    NotificationKind.DIGEST_DAILY: Words("tổng hợp hằng ngày (Chủ tịch)", "daily digest (chairman)"),
    NotificationKind.DIGEST_WEEKLY: Words("tổng hợp hằng tuần (bộ phận)", "weekly digest (unit)"),
}

_EMAIL_STATUSES: dict[EmailStatus, Words] = {
    EmailStatus.PENDING: Words("chờ gửi", "waiting"),
    EmailStatus.SENDING: Words("đang gửi", "sending"),
    EmailStatus.SENT: Words("đã gửi", "sent"),
    EmailStatus.FAILED: Words("lỗi, không gửi được", "failed"),
}

_ROUND_STATES: dict[RoundState, Words] = {
    RoundState.OPEN: Words("đang tự chấm", "self-assessment in progress"),
    RoundState.APPROVED: Words("Chủ tịch đã phê duyệt", "approved by the chairman"),
    RoundState.SUBMITTED: Words("đã gửi thẩm định", "submitted for appraisal"),
    RoundState.EXPLANATION_REQUESTED: Words("được yêu cầu giải trình", "explanation requested"),
    RoundState.EXPLAINED: Words("đã giải trình", "explained"),
    RoundState.PUBLISHED: Words("đã công bố kết quả", "result published"),
}

_ROUND_ROLES: dict[RoundRole, Words] = {
    RoundRole.CHAIRMAN: Words("Chủ tịch UBND xã", "commune chairman"),
    RoundRole.OFFICE: Words("Văn phòng", "office"),
    RoundRole.APPRAISER: Words("tổ thẩm định", "appraisal team"),
}

# The steps a person takes on a round, as the round's page offers them.
_ROUND_STEPS: dict[RoundEvent, Words] = {
    RoundEvent.APPROVE: Words("phê duyệt hồ sơ", "approve the file"),
    RoundEvent.REOPEN: Words("trả lại để sửa", "return for correction"),
    RoundEvent.SUBMIT: Words("gửi hồ sơ thẩm định", "submit for appraisal"),
    RoundEvent.APPRAISE: Words("chấm điểm thẩm định", "score in appraisal"),
    RoundEvent.REQUEST_EXPLANATION: Words("yêu cầu giải trình", "request an explanation"),
    RoundEvent.ANSWER: Words("gửi giải trình", "send the explanation"),
    RoundEvent.PUBLISH: Words("công bố kết quả", "publish the result"),
}

# The entries of a round's timeline.
_ROUND_ENTRIES: dict[RoundEntryKind, Words] = {
    RoundEntryKind.OPEN: Words("mở đợt đánh giá", "round opened"),
    RoundEntryKind.APPROVE: Words("phê duyệt bản tự chấm", "self-assessment approved"),
    RoundEntryKind.REOPEN: Words("sửa lại bản tự chấm", "self-assessment reopened"),
    RoundEntryKind.SUBMIT: Words("gửi hồ sơ thẩm định", "submitted for appraisal"),
    RoundEntryKind.APPRAISE: Words("chấm thẩm định", "appraisal scored"),
    RoundEntryKind.REQUEST_EXPLANATION: Words("yêu cầu giải trình", "explanation requested"),
    RoundEntryKind.ANSWER: Words("giải trình", "explained"),
    RoundEntryKind.PUBLISH: Words("công bố kết quả", "result published"),
    RoundEntryKind.APPROVAL_VOIDED: Words(
        "phê duyệt bị hủy (bản tự chấm đã thay đổi)", "approval voided (the self-assessment changed)"
    ),
    RoundEntryKind.REMINDER: Words("nhắc việc", "reminder"),
    RoundEntryKind.ESCALATION: Words("cảnh báo quá hạn", "overdue warning"),
    RoundEntryKind.RECORD_REFUSED: Words("ghi nhận bị từ chối", "record refused"),
}

# What an amendment changes in a started plan.
_PLAN_CHANGES: dict[ChangeKind, Words] = {
    ChangeKind.ADDED: Words("thêm nhiệm vụ", "task added"),
    ChangeKind.REMOVED: Words("bỏ nhiệm vụ", "task removed"),
    ChangeKind.DUE_MOVED: Words("đổi hạn", "due date moved"),
    ChangeKind.LEAD_CHANGED: Words("đổi đơn vị chủ trì", "lead unit changed"),
    ChangeKind.TITLE_CHANGED: Words("đổi tên nhiệm vụ", "task renamed"),
}

# How a criteria set scores a sub-criterion or an adjustment.
_RULE_KINDS: dict[RuleKind, Words] = {
    RuleKind.FIXED: Words("cố định", "fixed"),
    RuleKind.THRESHOLD: Words("tỷ lệ", "ratio"),
    RuleKind.PARTS: Words("từng phần", "in parts"),
    RuleKind.MANUAL: Words("chấm tay", "scored by hand"),
    RuleKind.BONUS: Words("điểm thưởng", "bonus points"),
    RuleKind.PENALTY: Words("điểm trừ", "penalty points"),
}

# What a commune is, as its committee's name says it: "UBND phường Bến Nghé".
_COMMUNE_KINDS: dict[CommuneKind, Words] = {
    CommuneKind.XA: Words("xã", "commune"),
    CommuneKind.PHUONG: Words("phường", "ward"),
    CommuneKind.DAC_KHU: Words("đặc khu", "special zone"),
}

# How an import's accounting counts rows: "28 nhiệm vụ, 8 tiêu đề mục".
_ROW_FATES: dict[RowFate, Words] = {
    RowFate.TASK: Words("nhiệm vụ", "tasks"),
    RowFate.HEADING: Words("tiêu đề mục", "section headings"),
    RowFate.CONTINUATION: Words("phần tiếp của nhiệm vụ", "continuations of a task"),
    RowFate.HEADER: Words("hàng tiêu đề bảng", "table header rows"),
    RowFate.DOCUMENT: Words(
        "văn bản ngoài bảng (phần đầu, nội dung, chữ ký)", "document text around the table (header, body, signature)"
    ),
    RowFate.SKIPPED: Words("bỏ qua", "skipped"),
}

_DUE_RULES: dict[DueRule, Words] = {
    DueRule.PERIOD_END: Words("hạn là ngày cuối kỳ", "due on the period's last day"),
    DueRule.BY_DAY: Words("hạn là ngày ghi (“chậm nhất ngày”)", "due on the day written (“by”)"),
    DueRule.BEFORE_DAY: Words("hạn trước ngày ghi (“trước ngày”)", "due before the day written (“before”)"),
}
_DAY_OFF_RULES: dict[DayOffRule, Words] = {
    DayOffRule.WITHIN_PERIOD: Words(
        "trùng ngày nghỉ thì là ngày làm việc liền trước", "on a day off: the working day before it"
    ),
    DayOffRule.NEXT_WORKING_DAY: Words(
        "trùng ngày nghỉ thì là ngày làm việc tiếp theo (Điều 148 Bộ luật Dân sự)",
        "on a day off: the next working day (Civil Code art. 148)",
    ),
    DayOffRule.AS_WRITTEN: Words("giữ đúng ngày, kể cả ngày nghỉ", "the day itself, day off or not"),
}
_BEFORE_DAY_RULES: dict[BeforeDayRule, Words] = {
    BeforeDayRule.LAST_WORKING_DAY: Words("là ngày làm việc liền trước", "the working day before it"),
    BeforeDayRule.PREVIOUS_DAY: Words("là ngày liền trước", "the day before it"),
}
_LANGUAGES: dict[Language, Words] = {
    Language.VI: Words("Tiếng Việt", "Vietnamese"),
    Language.EN: Words("English", "English"),
}

# A person's position, as shown beside the full name to another person; the first of the
# person's roles in this order, the unit after the words.
_POSITIONS: dict[PersonRole, Words] = {
    PersonRole.CHAIRMAN: Words("Chủ tịch UBND xã", "commune chairman"),
    PersonRole.HEAD: Words("phụ trách", "head of"),
    PersonRole.OFFICER: Words("công chức", "officer of"),
    PersonRole.REVIEWER: Words("Văn phòng (kiểm tra, xác nhận hoàn thành)", "office (checks and confirms completion)"),
}

# What people write for a directory role or a language in a file they import, folded (lower
# case, no diacritics, single spaces), besides the code's own values.
WRITTEN_PERSON_ROLES: dict[str, PersonRole] = {
    **{role.value: role for role in PersonRole},
    "cong chuc": PersonRole.OFFICER,
    "truong bo phan": PersonRole.HEAD,
    "phu trach": PersonRole.HEAD,
    "chu tich": PersonRole.CHAIRMAN,
    "pho chu tich": PersonRole.VICE_CHAIRMAN,
    "kiem tra": PersonRole.REVIEWER,
    "xac nhan hoan thanh": PersonRole.REVIEWER,
    "tham dinh": PersonRole.REVIEWER,  # the word older directories use
    "van phong tham dinh": PersonRole.REVIEWER,
}
WRITTEN_LANGUAGES: dict[str, Language] = {
    **{language.value: language for language in Language},
    "tieng viet": Language.VI,
    "vietnamese": Language.VI,
    "tieng anh": Language.EN,
    "english": Language.EN,
}

# Keyed by each enum; its table is keyed by that enum's members, which no one type says.
_TABLES: dict[type[StrEnum], Mapping[Any, Words]] = {
    TaskState: _TASK_STATES,
    TaskEntryKind: _TASK_ENTRIES,
    Role: _ROLES,
    Action: _ACTIONS,
    ActionField: _ACTION_FIELDS,
    PersonRole: _PERSON_ROLES,
    NotificationKind: _NOTIFICATION_KINDS,
    EmailStatus: _EMAIL_STATUSES,
    RoundState: _ROUND_STATES,
    RoundRole: _ROUND_ROLES,
    RoundEvent: _ROUND_STEPS,
    RoundEntryKind: _ROUND_ENTRIES,
    ChangeKind: _PLAN_CHANGES,
    RuleKind: _RULE_KINDS,
    RowFate: _ROW_FATES,
    CommuneKind: _COMMUNE_KINDS,
    DueRule: _DUE_RULES,
    DayOffRule: _DAY_OFF_RULES,
    BeforeDayRule: _BEFORE_DAY_RULES,
    Language: _LANGUAGES,
}


def label(member: Labelled, lang: str = Language.VI) -> str:
    """The word for `member` in `lang` ("vi" or "en")."""
    words: Words = _TABLES[type(member)][member]
    return words.en if Language(lang) is Language.EN else words.vi


def introduced(person: Person, lang: str = Language.VI) -> str:
    """A person as shown to another: full name and position, "Nguyễn Thị Lan, công chức Văn phòng"."""
    role = next(role for role in _POSITIONS if role in person.roles)
    words = _POSITIONS[role]
    position = words.en if Language(lang) is Language.EN else words.vi
    unit = f" {person.unit}" if person.unit and role in (PersonRole.HEAD, PersonRole.OFFICER) else ""
    return f"{person.name}, {position}{unit}"


def due_rule_words(rule: DueRule, settings: PlanSettings, lang: str = Language.VI) -> str:
    """How `rule` made a due date under the plan's settings: "hạn là ngày cuối kỳ; trùng ngày
    nghỉ thì là ngày làm việc liền trước"."""
    second = settings.before_day_rule if rule is DueRule.BEFORE_DAY else settings.day_off_rule
    return f"{label(rule, lang)}; {label(second, lang)}"
