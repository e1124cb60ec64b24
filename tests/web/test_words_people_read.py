"""The commune's words (issue 20, item 6) in everything a person reads about a task taken
through its whole life: every email, the task page, `cchc task show` and `cchc task list`.

Two occurrences of task II.1 (led by Tư pháp) of the running world, both escalated when they
started: one is acknowledged, reported on, returned, submitted again and confirmed; the other
is extended, reassigned to Văn phòng and stopped. People are then known from the commune's directory, so
whoever acted is shown by full name and position.
"""

from __future__ import annotations

import os
import re
import subprocess
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from domain.calendar import TZ
from domain.people import Person, PersonRole
from domain.roles import Role
from notifications.digests import send_daily_digests, send_weekly_digests
from notifications.outbox import Outbox, route_pending
from notifications.render import render
from persistence.mail_tables import EmailRow
from persistence.people import replace_directory
from persistence.users import NewUser, add_user
from services.passwords import hash_password
from tests.cli.running import CCHC
from tests.notifications.test_render import KIND_LANGUAGES, context, daily, weekly
from tests.web.test_task_flow_forms import submit
from tests.web.world import COMMUNE, PASSWORD, pdf_bytes, sign_in, task_path, working_day_after

# Words that belong to something else: the province's appraisal, a leader's approval, an
# exemption, a report (a document), the PAR evidence's old name, and a pronoun.
WRONG_WORDS = re.compile(r"(?<!\w)(thẩm định|phê duyệt|miễn|báo cáo chủ tịch|minh chứng|bạn)(?!\w)", re.IGNORECASE)
DOMAIN = "vinhkhe.example.vn"
# username -> the directory's person (full name, unit, roles) and the account's role
PEOPLE = {
    "an.tuphap": ("Nguyễn Văn An", "Tư pháp", {PersonRole.OFFICER}, Role.OFFICER),
    "cuong.tuphap": ("Phạm Văn Cường", "Tư pháp", {PersonRole.HEAD}, Role.OFFICER),
    "hoa.vanphong": ("Trần Thị Hoa", "Văn phòng", {PersonRole.OFFICER, PersonRole.REVIEWER}, Role.REVIEWER),
    "binh.chutich": ("Lê Văn Bình", None, {PersonRole.CHAIRMAN}, Role.CHAIRMAN),
}


def wrong_words(text: str) -> list[str]:
    return WRONG_WORDS.findall(text)


def email_text(row: EmailRow) -> str:
    message = message_from_bytes(row.raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return f"{row.subject}\n{body.get_content()}"


@pytest.fixture(scope="module")
def lived(world):
    """The two occurrences' workflow ids, after their lives, with the people known."""
    with world.sessions.begin() as session:
        now = datetime.now(TZ)
        for username, (_, unit, _, role) in PEOPLE.items():
            units = (unit,) if role is Role.OFFICER and unit else ()
            account = NewUser(username=username, role=role, commune=COMMUNE, units=units, email=f"{username}@{DOMAIN}")
            add_user(session, account, hash_password(PASSWORD), now, must_change_password=False)
        people = [
            Person(commune=COMMUNE, name=name, email=f"{username}@{DOMAIN}", unit=unit, roles=frozenset(roles))
            for username, (name, unit, roles, _) in PEOPLE.items()
        ]
        replace_directory(session, COMMUNE, people, now)
    officer, office, chairman = (world.browser(name) for name in ("an.tuphap", "hoa.vanphong", "binh.chutich"))

    done = task_path(world.task_id("II.1", "2024-Q1"))
    assert submit(officer, done, "acknowledge", {"note": "đã nhận"}) == ["Đã nhận nhiệm vụ."]
    assert submit(officer, done, "progress", {"percent": "50"}) == ["Đã báo cáo tiến độ."]
    document = {"document_number": "15/BC-UBND", "document_date": "05/03/2024", "title": "Báo cáo quý I"}
    pdf = {"file": ("bao-cao.pdf", pdf_bytes("bao cao quy I"), "application/pdf")}
    assert submit(officer, done, "evidence", document, pdf) == ["Đã nộp sản phẩm 15/BC-UBND."]
    assert submit(office, done, "review", {"decision": "return", "comment": "thiếu số liệu"}) == [
        "Đã ghi kết quả kiểm tra."
    ]
    again = {**document, "document_number": "16/BC-UBND"}
    pdf = {"file": ("bao-cao-2.pdf", pdf_bytes("bao cao quy I, bo sung"), "application/pdf")}
    assert submit(officer, done, "evidence", again, pdf) == ["Đã nộp sản phẩm 16/BC-UBND."]
    assert submit(office, done, "review", {"decision": "approve", "comment": "đạt"}) == ["Đã ghi kết quả kiểm tra."]

    stopped = task_path(world.task_id("II.1", "2024-H1"))
    new_due = f"{working_day_after(21):%d/%m/%Y}"
    assert submit(chairman, stopped, "extend", {"new_due": new_due, "reason": "chờ số liệu"}) == ["Đã gia hạn."]
    assert submit(chairman, stopped, "reassign", {"lead": ["Văn phòng"], "reason": "điều chuyển"}) == [
        "Đã giao lại nhiệm vụ."
    ]
    assert submit(chairman, stopped, "waive", {"reason": "theo Kế hoạch số 20/KH-UBND điều chỉnh"}) == [
        "Đã dừng thực hiện nhiệm vụ."
    ]
    return world.task_id("II.1", "2024-Q1"), world.task_id("II.1", "2024-H1")


def test_no_task_email_of_a_whole_life_says_a_word_that_belongs_to_something_else_and_each_names_who_acted(
    world, lived
):
    outbox = Outbox(mail_from=f"CCHC Vĩnh Khê <cchc@{DOMAIN}>", base_url="http://127.0.0.1:8000")
    now = datetime.now(TZ)
    with world.sessions.begin() as session:
        route_pending(session, outbox, now, limit=100_000)
        send_daily_digests(session, outbox, now)
        send_weekly_digests(session, outbox, now)
    with world.sessions() as session:
        mine = list(session.scalars(select(EmailRow).where(EmailRow.workflow_id.in_(lived))))
        digests = list(session.scalars(select(EmailRow).where(EmailRow.kind.in_(("digest_daily", "digest_weekly")))))
    kinds = {row.kind for row in mine}
    expected = {"assignment", "escalation", "evidence_submitted", "returned", "approved", "extended", "reassigned"}
    assert expected | {"waived"} <= kinds
    assert {row.kind for row in digests} == {"digest_daily", "digest_weekly"}
    texts = {f"{row.kind} #{row.id}": email_text(row) for row in mine + digests}
    assert {where: wrong_words(text) for where, text in texts.items() if wrong_words(text)} == {}

    by_kind = {row.kind: email_text(row) for row in mine}
    assert "Nguyễn Văn An, công chức Tư pháp đã nộp sản phẩm" in by_kind["evidence_submitted"]
    assert "người xác nhận: Trần Thị Hoa, công chức Văn phòng" in by_kind["approved"]
    assert "Lê Văn Bình, Chủ tịch UBND xã đã gia hạn nhiệm vụ II.1" in by_kind["extended"]
    assert "Lê Văn Bình, Chủ tịch UBND xã đã quyết định dừng thực hiện nhiệm vụ II.1" in by_kind["waived"]


@pytest.mark.parametrize("kind, language", KIND_LANGUAGES)
def test_no_kind_of_task_email_says_a_word_that_belongs_to_something_else(kind, language):
    rendered = render(kind, language, context(kind))
    assert wrong_words(f"{rendered.subject}\n{rendered.text}\n{rendered.html}") == []


def test_no_digest_says_a_word_that_belongs_to_something_else():
    for kind, variables in (("digest_daily", daily()), ("digest_weekly", weekly("Tư pháp - Hộ tịch"))):
        rendered = render(kind, "vi", variables)
        assert wrong_words(f"{rendered.subject}\n{rendered.text}\n{rendered.html}") == []


def test_no_task_page_says_a_word_that_belongs_to_something_else_and_it_shows_people_by_name_and_position(world, lived):
    # Browsers of their own: another test's message waiting in a shared browser's session is not this page's.
    browsers = {username: world.app_client() for username in ("an.tuphap", "hoa.vanphong", "binh.chutich", "chu-tich")}
    for username, browser in browsers.items():
        sign_in(browser, username)
        for workflow_id in lived:
            assert wrong_words(browser.get(task_path(workflow_id)).text) == [], (workflow_id, username)
    done, stopped = (browsers["binh.chutich"].get(task_path(workflow_id)).text for workflow_id in lived)
    assert "Nguyễn Văn An, công chức Tư pháp" in done and "Trần Thị Hoa, công chức Văn phòng" in done
    assert "cảnh báo quá hạn" in done and "xác nhận hoàn thành" in done and "đã hoàn thành" in done
    assert "Lê Văn Bình, Chủ tịch UBND xã" in stopped and "đã dừng thực hiện" in stopped


def test_no_cli_task_text_says_a_word_that_belongs_to_something_else(world, lived):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CCHC_")},
        "CCHC_DATA_DIR": str(world.settings.data_dir),
        "CCHC_TEMPORAL_ADDRESS": world.settings.temporal_address,
        "COLUMNS": "300",
    }
    commands = [
        *(["task", "show", workflow_id] for workflow_id in lived),
        ["task", "list"],
        ["task", "list", "--overdue"],
        ["task", "--help"],
        ["task", "review", "--help"],
        ["task", "waive", "--help"],
    ]
    outputs = {}
    for command in commands:
        result = subprocess.run([str(CCHC), *command], env=env, capture_output=True, text=True, timeout=180)
        assert result.returncode == 0, result.stderr
        outputs[" ".join(command)] = " ".join(result.stdout.split())
    assert {command: wrong_words(text) for command, text in outputs.items() if wrong_words(text)} == {}
    shown = outputs[f"task show {lived[0]}"]
    assert "Nguyễn Văn An, công chức Tư pháp" in shown and "cảnh báo quá hạn" in shown
    assert "xác nhận hoàn thành" in shown and "đã hoàn thành" in shown
    assert "đã dừng thực hiện" in outputs[f"task show {lived[1]}"]
