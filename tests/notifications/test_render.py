from datetime import date, datetime
from typing import Any

import pytest
from jinja2 import TemplateNotFound

from domain.calendar import TZ
from domain.communes import CommuneProfile
from domain.models import CommuneKind
from notifications.context import DigestItem, digest_context, digest_is_empty, notification_context, round_context
from notifications.render import render

WORKFLOW_ID = "cchc-task/1/I.3/2024-02"
URL = "http://127.0.0.1:8000/tasks/1/I.3/2024-02"
TITLE = "Rà soát, đánh giá thủ tục hành chính"
UNIT = "Tư pháp - Hộ tịch"
PHUONG = CommuneProfile(name="Vĩnh Khê", kind=CommuneKind.PHUONG)

# What each kind carries beyond the common payload, and to whom the workflow sends it.
KINDS: dict[str, dict[str, Any]] = {
    "assignment": {"recipient": "officers", "payload": {"event": "assign"}},
    "reminder": {"recipient": "officers", "payload": {"event": "reminder", "level": 3}},
    "escalation": {"recipient": "chairman", "unit": None, "payload": {"event": "escalation", "level": 1}},
    "evidence_submitted": {
        "recipient": "reviewer",
        "unit": None,
        "payload": {
            "event": "submit_evidence",
            "state": "evidence_submitted",
            "actor": "tuphap.an",
            "detail": "15/QĐ-UBND ngày 20/02/2024: Quyết định công bố kết quả rà soát",
        },
    },
    "returned": {
        "recipient": "officers",
        "payload": {
            "event": "return",
            "state": "returned",
            "actor": "vanphong.binh",
            "detail": "Thiếu phụ lục số liệu",
        },
    },
    "approved": {
        "recipient": "officers",
        "payload": {"event": "approve", "state": "approved", "actor": "vanphong.binh", "detail": "Đạt yêu cầu"},
    },
    "extended": {
        "recipient": "officers",
        "payload": {
            "event": "extend_deadline",
            "due": "2024-03-15",
            "old_due": "2024-02-29",
            "new_due": "2024-03-15",
            "detail": "gia hạn từ 29/02/2024 đến 15/03/2024: chờ số liệu của huyện",
        },
    },
    "waived": {
        "recipient": "officers",
        "payload": {"event": "waive", "state": "waived", "detail": "Nhiệm vụ không còn phù hợp"},
    },
    "reassigned": {
        "recipient": "officers",
        "payload": {
            "event": "reassign",
            "lead": ["Văn phòng - Thống kê"],
            "old_lead": [UNIT],
            "new_lead": ["Văn phòng - Thống kê"],
            "detail": "giao lại cho Văn phòng - Thống kê: điều chỉnh phân công",
        },
    },
}

SUBJECTS = {
    ("assignment", "vi"): f"[CCHC] Giao nhiệm vụ: {TITLE} — hạn 29/02/2024",
    ("assignment", "en"): f"[CCHC] New task: {TITLE} — due 29/02/2024",
    ("reminder", "vi"): f"[CCHC] Nhắc việc: {TITLE} — hạn 29/02/2024",
    ("reminder", "en"): f"[CCHC] Reminder: {TITLE} — due 29/02/2024",
    ("escalation", "vi"): f"[CCHC] Cảnh báo quá hạn lần 1: {TITLE}",
    ("escalation", "en"): f"[CCHC] Overdue warning 1: {TITLE}",
    ("evidence_submitted", "vi"): f"[CCHC] Sản phẩm chờ kiểm tra: {TITLE}",
    ("evidence_submitted", "en"): f"[CCHC] Deliverable to check: {TITLE}",
    ("returned", "vi"): f"[CCHC] Trả lại để làm lại: {TITLE} — hạn 29/02/2024",
    ("returned", "en"): f"[CCHC] Returned for rework: {TITLE} — due 29/02/2024",
    ("approved", "vi"): f"[CCHC] Đã hoàn thành: {TITLE}",
    ("approved", "en"): f"[CCHC] Completed: {TITLE}",
    ("extended", "vi"): f"[CCHC] Gia hạn: {TITLE} — hạn mới 15/03/2024",
    ("extended", "en"): f"[CCHC] Deadline extended: {TITLE} — new due date 15/03/2024",
    ("waived", "vi"): f"[CCHC] Dừng thực hiện: {TITLE}",
    ("waived", "en"): f"[CCHC] Task stopped: {TITLE}",
    ("reassigned", "vi"): f"[CCHC] Giao lại: {TITLE}",
    ("reassigned", "en"): f"[CCHC] Task reassigned: {TITLE}",
}

NEXT_STEPS = {
    ("assignment", "vi"): "Xác nhận đã nhận nhiệm vụ, sau đó cập nhật tiến độ và nộp sản phẩm trước hạn tại:",
    ("assignment", "en"): (
        "Acknowledge the task, then report progress and submit the deliverable before the deadline at:"
    ),
    ("reminder", "vi"): "Cập nhật tiến độ hoặc nộp sản phẩm tại:",
    ("reminder", "en"): "Report progress or submit the deliverable at:",
    ("escalation", "vi"): (
        "đôn đốc đơn vị chủ trì (Tư pháp - Hộ tịch) hoàn thành, gia hạn có nêu lý do, hoặc dừng thực hiện nhiệm vụ (nêu văn bản) tại:"
    ),
    ("escalation", "en"): (
        "urge the lead unit (Tư pháp - Hộ tịch) to finish, extend the deadline with a reason, or stop the task (citing the document) at:"
    ),
    (
        "evidence_submitted",
        "vi",
    ): "Kiểm tra sản phẩm: xác nhận hoàn thành, hoặc trả lại kèm ý kiến để đơn vị làm lại, tại:",
    (
        "evidence_submitted",
        "en",
    ): "Check the deliverable: confirm completion, or return it with comments for rework, at:",
    ("returned", "vi"): "Chỉnh sửa theo ý kiến và nộp lại sản phẩm trước hạn tại:",
    ("returned", "en"): "Revise it as the comments ask and submit it again before the deadline at:",
    ("approved", "vi"): "Không cần thao tác thêm",
    ("approved", "en"): "Nothing more to do",
    ("extended", "vi"): "Hoàn thành và nộp sản phẩm trước hạn mới; cập nhật tiến độ tại:",
    ("extended", "en"): "Finish and submit the deliverable before the new deadline; report progress at:",
    ("waived", "vi"): "Đơn vị không phải thực hiện tiếp nhiệm vụ này",
    ("waived", "en"): "Your unit no longer has to carry out this task",
    ("reassigned", "vi"): "Bàn giao hồ sơ, tài liệu đã thực hiện cho đơn vị được giao",
    ("reassigned", "en"): "Hand over the files and documents you have prepared",
}

KIND_LANGUAGES = sorted(SUBJECTS)


def payload(**changes: Any) -> dict[str, Any]:
    """An outbox payload as `activities.events` writes it."""
    return {
        "plan_id": 1,
        "plan_number": "10/KH-UBND",
        "task_code": "I.3",
        "occurrence_key": "2024-02",
        "title": TITLE,
        "due": "2024-02-29",
        "lead": [UNIT],
        "state": "in_progress",
        "seq": 5,
        "event": "reminder",
        "at": "2024-02-26T01:00:00+00:00",
        "actor": "system",
        "detail": "",
        **changes,
    }


def context(
    kind: str,
    *,
    person_name: str | None = None,
    profile: CommuneProfile | None = None,
    office: str | None = None,
    **changes: Any,
) -> dict[str, Any]:
    spec = KINDS[kind]
    return notification_context(
        kind=kind,
        commune="Vĩnh Khê",
        recipient=changes.pop("recipient", spec["recipient"]),
        unit=changes.pop("unit", spec.get("unit", UNIT)),
        payload=payload(**{**spec["payload"], **changes}),
        workflow_id=WORKFLOW_ID,
        base_url="http://127.0.0.1:8000/",
        person_name=person_name,
        profile=profile,
        office=office,
    )


@pytest.mark.parametrize("kind, language", KIND_LANGUAGES)
def test_every_kind_has_its_subject_in_each_language(kind, language):
    assert render(kind, language, context(kind)).subject == SUBJECTS[kind, language]


@pytest.mark.parametrize("kind, language", KIND_LANGUAGES)
def test_every_kind_says_what_to_do_next_followed_by_the_task_link_in_both_parts(kind, language):
    rendered = render(kind, language, context(kind))

    assert NEXT_STEPS[kind, language] in rendered.text
    assert f"{URL}\n" in rendered.text.split(NEXT_STEPS[kind, language], 1)[1]
    assert NEXT_STEPS[kind, language] in rendered.html
    assert f'<a href="{URL}"' in rendered.html


@pytest.mark.parametrize("kind, language", KIND_LANGUAGES)
def test_every_email_names_the_plan_the_task_and_its_due_date_in_both_parts(kind, language):
    rendered = render(kind, language, context(kind))
    due = "15/03/2024" if kind == "extended" else "29/02/2024"

    for part in (rendered.text, rendered.html):
        assert "10/KH-UBND" in part
        assert f"I.3. {TITLE}" in part
        assert due in part


@pytest.mark.parametrize("kind, language", KIND_LANGUAGES)
def test_every_html_part_is_a_whole_page_in_its_language_without_external_resources(kind, language):
    html = render(kind, language, context(kind)).html

    assert html.startswith("<!DOCTYPE html>")
    assert f'<html lang="{language}">' in html
    assert "<link" not in html and "<img" not in html and "src=" not in html


@pytest.mark.parametrize(
    "language, greeting", [("vi", "Kính gửi đồng chí Nguyễn Thị Lan,"), ("en", "Dear Nguyễn Thị Lan,")]
)
def test_an_email_greets_the_person_by_name(language, greeting):
    rendered = render("reminder", language, context("reminder", person_name="Nguyễn Thị Lan"))

    assert rendered.text.startswith(greeting)
    assert f">{greeting}</p>" in rendered.html


def test_without_a_name_the_email_greets_the_role_it_is_sent_to():
    chairman = render("escalation", "vi", context("escalation")).text
    head = render("escalation", "vi", context("escalation", recipient="department_head", unit=UNIT)).text
    officers = render("reminder", "vi", context("reminder")).text

    assert chairman.startswith("Kính gửi đồng chí Chủ tịch UBND xã Vĩnh Khê,")
    assert head.startswith("Kính gửi đồng chí phụ trách Tư pháp - Hộ tịch,")
    assert officers.startswith("Kính gửi các đồng chí công chức Tư pháp - Hộ tịch,")


@pytest.mark.parametrize(
    "language, greeting, footer",
    [
        ("vi", "Kính gửi đồng chí Chủ tịch UBND phường Vĩnh Khê,", "của UBND phường Vĩnh Khê."),
        ("en", "Dear Chairman of the People's Committee of Vĩnh Khê Ward,", "of Vĩnh Khê Ward."),
    ],
)
def test_a_phuongs_email_names_the_phuongs_committee(language, greeting, footer):
    rendered = render("escalation", language, context("escalation", profile=PHUONG))

    assert rendered.text.startswith(greeting) and footer in rendered.text


def test_a_phuongs_emails_name_its_chairman_and_committee_as_the_phuongs():
    escalation = render("escalation", "vi", context("escalation", profile=PHUONG)).text
    extended = render("extended", "vi", context("extended", profile=PHUONG)).text

    assert "Chủ tịch UBND phường Vĩnh Khê" in escalation and "UBND xã" not in escalation
    assert "UBND phường Vĩnh Khê" in extended and "UBND xã" not in extended


def test_a_phuongs_daily_digest_is_about_the_phuongs_committee():
    phuong = digest_context(items=ITEMS, today=TODAY, commune="Vĩnh Khê", base_url="http://x", profile=PHUONG)

    assert "kế hoạch cải cách hành chính của UBND phường Vĩnh Khê đến ngày" in render("digest_daily", "vi", phuong).text


def test_a_reminder_counts_the_working_days_left():
    assert (
        "còn 3 ngày làm việc nữa là đến hạn hoàn thành (ngày 29/02/2024)"
        in render("reminder", "vi", context("reminder")).text
    )


def test_a_reminder_for_a_task_under_review_says_to_follow_the_review_instead():
    text = render("reminder", "vi", context("reminder", state="under_review")).text

    assert "Sản phẩm đã nộp đang chờ Văn phòng kiểm tra, xác nhận hoàn thành" in text
    assert "Cập nhật tiến độ hoặc nộp sản phẩm tại:" not in text


def test_the_office_is_named_as_the_directory_names_its_unit():
    office = "Văn phòng HĐND và UBND"

    reminder = render("reminder", "vi", context("reminder", state="under_review", office=office)).text
    greeting = render("evidence_submitted", "vi", context("evidence_submitted", office=office)).text

    assert f"Sản phẩm đã nộp đang chờ {office} kiểm tra, xác nhận hoàn thành" in reminder
    assert greeting.startswith(f"Kính gửi {office} UBND xã Vĩnh Khê,")


def test_the_third_escalation_differs_from_the_first_and_shows_its_level_and_days_late():
    first = render("escalation", "vi", context("escalation"))
    third = render("escalation", "vi", context("escalation", level=3, at="2024-03-07T01:00:00+00:00"))

    assert third.subject == f"[CCHC] Cảnh báo quá hạn lần 3: {TITLE}"
    assert "cảnh báo quá hạn lần đầu" in first.text
    assert "đã quá hạn 7 ngày (hạn ngày 29/02/2024) và vẫn chưa hoàn thành sau 2 lần cảnh báo" in third.text
    assert "Đây là cảnh báo quá hạn lần 3." in third.text
    assert "quyết định ngay" in third.text and "quyết định ngay" not in first.text


def test_an_escalation_asks_the_department_head_to_act_today():
    text = render("escalation", "vi", context("escalation", recipient="department_head", unit=UNIT, level=2)).text

    assert (
        "Lãnh đạo UBND xã đã nhận cảnh báo quá hạn lần 2; đề nghị đồng chí chỉ đạo hoàn thành ngay trong hôm nay"
        in text
    )


def test_a_returned_task_carries_the_reviewers_comment():
    rendered = render("returned", "vi", context("returned"))

    assert "Ý kiến: Thiếu phụ lục số liệu" in rendered.text
    assert "Ý kiến: Thiếu phụ lục số liệu" in rendered.html


def test_an_extension_shows_the_old_and_the_new_due_date():
    text = render("extended", "vi", context("extended")).text

    assert "gia hạn nhiệm vụ I.3 từ ngày 29/02/2024 đến ngày 15/03/2024" in text


def test_a_unit_that_keeps_a_reassigned_task_is_told_to_coordinate_not_to_hand_over():
    text = render("reassigned", "vi", context("reassigned", new_lead=[UNIT, "Văn phòng - Thống kê"])).text

    assert "Đơn vị tiếp tục chủ trì" in text
    assert "Bàn giao" not in text


def test_evidence_shows_when_it_was_submitted_in_viet_nam_time():
    assert (
        "tuphap.an đã nộp sản phẩm của nhiệm vụ I.3 lúc 26/02/2024 08:00."
        in render("evidence_submitted", "vi", context("evidence_submitted")).text
    )


def test_markup_in_a_title_is_escaped_in_html_and_verbatim_in_text():
    title = "Rà soát <script>alert(1)</script> & báo cáo"
    rendered = render("reminder", "vi", context("reminder", title=title))

    assert "<script>" not in rendered.html
    assert "Rà soát &lt;script&gt;alert(1)&lt;/script&gt; &amp; báo cáo" in rendered.html
    assert title in rendered.text
    assert title in rendered.subject


def test_a_very_long_title_is_shortened_in_the_subject_which_keeps_the_due_date():
    title = "Tổ chức rà soát, đánh giá, đề xuất phương án đơn giản hóa " * 4
    rendered = render("reminder", "vi", context("reminder", title=title))

    assert rendered.subject.startswith("[CCHC] Nhắc việc: Tổ chức rà soát")
    assert rendered.subject.endswith("… — hạn 29/02/2024")
    assert len(rendered.subject) < 120
    assert title.strip() in rendered.text


def test_line_breaks_in_a_title_never_reach_the_subject():
    rendered = render("reminder", "vi", context("reminder", title="Rà soát\r\nBcc: x@example.com"))

    assert rendered.subject == "[CCHC] Nhắc việc: Rà soát Bcc: x@example.com — hạn 29/02/2024"


def test_a_language_without_templates_falls_back_to_vietnamese():
    rendered = render("reminder", "fr", context("reminder"))

    assert rendered.subject == SUBJECTS["reminder", "vi"]
    assert '<html lang="vi">' in rendered.html


def test_an_unknown_template_is_an_error():
    with pytest.raises(TemplateNotFound):
        render("no_such_kind", "vi", context("reminder"))


def test_the_context_types_dates_and_instants_and_percent_encodes_the_task_link():
    ctx = notification_context(
        kind="extended",
        commune="Vĩnh Khê",
        recipient="officers",
        unit=UNIT,
        payload=payload(**KINDS["extended"]["payload"]),
        workflow_id="cchc-task/1/II.1/quý-1 2024",
        base_url="https://cchc.example.vn/app/",
    )

    assert ctx["due"] == date(2024, 3, 15) and ctx["old_due"] == date(2024, 2, 29)
    assert ctx["at"] == datetime(2024, 2, 26, 8, 0, tzinfo=TZ) and ctx["at"].utcoffset().total_seconds() == 7 * 3600
    assert ctx["task_url"] == "https://cchc.example.vn/app/tasks/1/II.1/qu%C3%BD-1%202024"


# --- digests -----------------------------------------------------------------------------

TODAY = date(2024, 3, 5)  # a Tuesday


def item(code: str, units: tuple[str, ...], due: date, days_late: int = 0, level: int = 0, **changes) -> DigestItem:
    fields = {
        "workflow_id": f"cchc-task/1/{code}/2024",
        "task_code": code,
        "title": f"Nhiệm vụ {code}",
        "units": units,
        "due": due,
        "days_late": days_late,
        "escalation_level": level,
        "state": "in_progress",
    }
    return DigestItem(**{**fields, **changes})


ITEMS = [
    item("I.1", ("Tư pháp - Hộ tịch",), date(2024, 2, 29), days_late=4, level=1),
    item("I.2", ("Văn phòng - Thống kê",), date(2024, 2, 20), days_late=10, level=3),
    item("I.3", ("Tư pháp - Hộ tịch",), date(2024, 2, 15), days_late=13, level=4),
    item("I.4", ("Văn hóa - Xã hội",), date(2024, 3, 8)),
    item("I.5", ("Tư pháp - Hộ tịch",), date(2024, 3, 6)),
    item("I.6", ("Văn hóa - Xã hội",), date(2024, 3, 11)),  # next Monday: within 7 days, not this week
    item("I.7", ("Tư pháp - Hộ tịch",), date(2024, 2, 1), days_late=25, level=5, state="approved"),
]


def daily(items=ITEMS) -> dict[str, Any]:
    return digest_context(items=items, today=TODAY, commune="Vĩnh Khê", base_url="http://127.0.0.1:8000")


def weekly(unit: str, items=ITEMS) -> dict[str, Any]:
    return digest_context(items=items, today=TODAY, commune="Vĩnh Khê", base_url="http://127.0.0.1:8000", unit=unit)


def positions(text: str, *needles: str) -> list[int]:
    return [text.index(needle) for needle in needles]


def test_the_daily_digest_subject_counts_the_overdue_tasks():
    assert render("digest_daily", "vi", daily()).subject == "[CCHC] Tổng hợp ngày 05/03/2024: 3 nhiệm vụ quá hạn"
    assert render("digest_daily", "en", daily()).subject == "[CCHC] Daily summary 05/03/2024: 3 overdue tasks"


def test_the_daily_digest_groups_overdue_tasks_by_unit_the_latest_first():
    ctx = daily()

    assert [(g["unit"], [r["task_code"] for r in g["rows"]]) for g in ctx["overdue_groups"]] == [
        ("Tư pháp - Hộ tịch", ["I.3", "I.1"]),
        ("Văn phòng - Thống kê", ["I.2"]),
    ]


def test_the_daily_digest_lists_overdue_tasks_before_those_due_this_week_in_both_parts():
    rendered = render("digest_daily", "vi", daily())

    for part in (rendered.text, rendered.html):
        overdue, unit, due_week = positions(part, "Nhiệm vụ quá hạn: 3", "Tư pháp - Hộ tịch", "đến hạn trong tuần này")
        assert overdue < unit < due_week
        assert positions(part, "Nhiệm vụ I.3", "Nhiệm vụ I.1", "Nhiệm vụ I.2") == sorted(
            positions(part, "Nhiệm vụ I.3", "Nhiệm vụ I.1", "Nhiệm vụ I.2")
        )
        assert due_week < part.index("Nhiệm vụ I.5") < part.index("Nhiệm vụ I.4")
    assert "hạn 15/02/2024, quá hạn 13 ngày, đã cảnh báo quá hạn lần 4, đang thực hiện" in rendered.text
    assert "http://127.0.0.1:8000/tasks/1/I.3/2024" in rendered.text


def test_the_daily_digest_covers_this_week_only_and_never_closed_tasks():
    text = render("digest_daily", "vi", daily()).text

    assert "Nhiệm vụ sắp đến hạn trong tuần này (đến hết ngày 10/03/2024): 2" in text
    assert "Nhiệm vụ I.6" not in text
    assert "Nhiệm vụ I.7" not in text


def test_the_daily_digest_html_is_a_table():
    html = render("digest_daily", "vi", daily()).html

    assert '<html lang="vi">' in html
    assert html.count("<table") == 2
    assert '<th colspan="6"' in html
    assert '<a href="http://127.0.0.1:8000/tasks/1/I.3/2024"' in html


def test_a_task_led_by_two_units_is_listed_under_each_and_counted_once():
    ctx = daily([item("I.9", ("Tư pháp - Hộ tịch", "Văn phòng - Thống kê"), date(2024, 3, 1), days_late=2, level=1)])

    assert [g["unit"] for g in ctx["overdue_groups"]] == ["Tư pháp - Hộ tịch", "Văn phòng - Thống kê"]
    assert ctx["overdue_count"] == 1


def test_two_spellings_of_a_unit_make_one_group():
    spellings = [("Văn hoá - Xã hội",), ("VĂN HÓA – XÃ HỘI",)]
    ctx = daily([item(f"I.{n}", units, date(2024, 3, 1), 4, 1) for n, units in enumerate(spellings, 1)])

    assert [(g["unit"], len(g["rows"])) for g in ctx["overdue_groups"]] == [("Văn hoá - Xã hội", 2)]


def test_the_weekly_digest_lists_only_its_units_tasks_however_the_unit_is_spelled():
    rendered = render("digest_weekly", "vi", weekly("tư pháp – hộ tịch"))

    assert rendered.subject == (
        "[CCHC] Tổng hợp tuần — tư pháp – hộ tịch: 2 nhiệm vụ quá hạn, 1 nhiệm vụ sắp đến hạn trong 7 ngày"
    )
    assert "Nhiệm vụ I.3" in rendered.text and "Nhiệm vụ I.5" in rendered.text
    assert "Nhiệm vụ I.2" not in rendered.text and "Nhiệm vụ I.4" not in rendered.text


def test_the_weekly_digest_looks_seven_days_ahead():
    rendered = render("digest_weekly", "en", weekly("Văn hóa - Xã hội"))

    assert rendered.subject == "[CCHC] Weekly summary — Văn hóa - Xã hội: 0 overdue, 2 due in the next 7 days"
    assert "Tasks due in the next 7 days (until 11/03/2024): 2" in rendered.text
    assert rendered.text.index("Nhiệm vụ I.4") < rendered.text.index("Nhiệm vụ I.6")


def test_an_empty_digest_says_so_and_is_reported_empty():
    ctx = daily([])
    rendered = render("digest_daily", "vi", ctx)

    assert digest_is_empty(ctx)
    assert not digest_is_empty(daily())
    assert rendered.subject == "[CCHC] Tổng hợp ngày 05/03/2024: 0 nhiệm vụ quá hạn"
    for part in (rendered.text, rendered.html):
        assert "Không có nhiệm vụ quá hạn." in part
        assert "Không có nhiệm vụ sắp đến hạn." in part
    assert "<table" not in rendered.html


def test_markup_in_a_digest_title_is_escaped_in_html_and_verbatim_in_text():
    title = "<script>alert(1)</script> & co"
    rendered = render("digest_daily", "vi", daily([item("I.1", (UNIT,), date(2024, 3, 1), 4, 1, title=title)]))

    assert "<script>" not in rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in rendered.html
    assert title in rendered.text


@pytest.mark.parametrize(
    "asked_on, authority",
    [
        ("2025-01-20T02:00:00+00:00", "Phòng Nội vụ huyện Vĩnh Linh"),
        ("2026-01-20T02:00:00+00:00", "Sở Nội vụ tỉnh Quảng Trị"),
    ],
    ids=["in a 2024 round, the district's", "in a 2025 round, the province's"],
)
def test_an_explanation_asked_for_names_the_authority_that_supervises_the_commune_on_that_day(asked_on, authority):
    located = CommuneProfile(name="Vĩnh Khê", district="huyện Vĩnh Linh", province="tỉnh Quảng Trị")
    asked = round_context(
        kind="round_explanation_requested",
        commune="Vĩnh Khê",
        recipient="reviewer",
        unit=None,
        payload={
            "year": int(asked_on[:4]) - 1,
            "deadline": "2026-02-27",
            "codes": ["1.1.2"],
            "state": "explanation_requested",
            "event": "request_explanation",
            "at": asked_on,
            "actor": "tham-dinh",
        },
        workflow_id="cchc-round/Vĩnh Khê/2025",
        base_url="http://127.0.0.1:8000/",
        profile=located,
    )

    assert (
        f"Tổ thẩm định ({authority}) đề nghị xã giải trình" in render("round_explanation_requested", "vi", asked).text
    )
