"""`cchc demo`: the Vĩnh Khê sample's whole year on the time-skipping server, checked against the
script and against the SQL tables it leaves in the data directory.

The sample runs once per module, as a newcomer runs it: a separate `cchc demo --json` process
on an empty data directory, timed. A small plan runs twice on the same database (SQLite and
PostgreSQL) to show that a second demo works and records nothing twice.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from cli.app import app
from config import Settings, get_settings
from demo.par_round import DEMO_USERS, GAPS, KEPT, OFFICE_MAPPING, WHOLE_PLAN
from demo.run import SAMPLE_PLAN
from demo.script import CHAIRMAN, REVIEWER_USER, Fate, officer_of, write_script
from domain.assessment_round import RoundRole
from domain.calendar import TZ
from domain.models import CommuneKind
from domain.report_periods import ReportPeriod
from evidence.year_end import groups_of, year_records
from importers import read_plan
from importers.canonical import write_yaml
from persistence.catalogue_tables import CatalogueRow
from persistence.communes import commune_profile
from persistence.db import make_engine, make_session_factory
from persistence.plans import find_plan_id
from persistence.round_tables import RoundEventRow
from persistence.tables import PlanRow
from persistence.task_tables import NotificationRow, TaskEventRow, TaskRunRow
from persistence.user_tables import UserRow
from services.assessment import assessment_sheet
from tests.cli.running import free_port
from tests.demo.year_end import (
    SAMPLE_CHAIRMAN,
    command_in,
    evidence_files,
    expected_files,
    manifest_matches_files,
)
from tests.evidence.reading import text_of
from tests.notifications.smtp import SmtpServer
from tests.web.world import first_sign_in
from web.app import create_app
from workflows.contracts import task_workflow_id

ROOT = Path(__file__).resolve().parents[2]
REQUIRED_KEYS = {
    "plan",
    "tasks",
    "occurrences",
    "reminders",
    "escalations",
    "approved",
    "overdue",
    "by_unit",
    "on_time_rate",
    "on_time_rate_directed",
}
TWO_MINUTES = 120.0
LATER = datetime(2025, 2, 2, 9, 0, tzinfo=TZ)  # the round's publication: every task of 2024 settled


class Finished:
    """One finished `cchc demo --json`: its JSON, how long it took, and the database it left."""

    def __init__(self, document: dict, seconds: float, sessions, script, data_dir: Path) -> None:
        self.document = document
        self.seconds = seconds
        self.sessions = sessions
        self.script = script
        self.data_dir = data_dir

    def workflow_id(self, occurrence: tuple[str, str]) -> str:
        return task_workflow_id(self.document["plan"]["id"], *occurrence)

    def with_fate(self, fate: Fate) -> list[str]:
        return [self.workflow_id(occurrence) for occurrence, f in self.script.fates.items() if f is fate]

    def kinds(self, workflow_id: str) -> list[str]:
        with self.sessions() as session:
            query = select(TaskEventRow.kind).where(TaskEventRow.workflow_id == workflow_id).order_by(TaskEventRow.seq)
            return list(session.scalars(query))

    def run_row(self, workflow_id: str) -> TaskRunRow:
        with self.sessions() as session:
            return session.get(TaskRunRow, workflow_id)


@pytest.fixture(scope="module")
def sample_year(tmp_path_factory):
    """`cchc demo --json` on an empty data directory, in a process of its own."""
    data_dir = tmp_path_factory.mktemp("demo") / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCHC_")}
    env["CCHC_DATA_DIR"] = str(data_dir)
    began = time.monotonic()
    completed = subprocess.run(
        [sys.executable, "-c", "from cli.app import main; main()", "demo", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=2 * TWO_MINUTES,
    )
    seconds = time.monotonic() - began
    assert completed.returncode == 0, completed.stderr
    engine = make_engine(f"sqlite:///{data_dir / 'cchc.db'}")
    script = write_script(read_plan(SAMPLE_PLAN).plan, SAMPLE_CHAIRMAN)
    yield Finished(json.loads(completed.stdout), seconds, make_session_factory(engine), script, data_dir)
    engine.dispose()


def test_the_demo_prints_one_json_object_with_the_plan_totals_in_under_two_minutes(sample_year):
    document = sample_year.document

    assert REQUIRED_KEYS <= document.keys()
    assert (document["plan"]["number"], document["plan"]["commune"], document["plan"]["year"]) == (
        "10/KH-UBND",
        "Vĩnh Khê",
        2024,
    )
    assert (document["tasks"], document["occurrences"]) == (28, 76)
    assert sample_year.seconds < TWO_MINUTES, f"cchc demo --json took {sample_year.seconds:.1f} s"


def draft_in(data_dir: Path, period: ReportPeriod, out: Path) -> bytes:
    """`cchc report draft` of the demo plan for `period`, dated 15/01/2025, on `data_dir`."""
    get_settings.cache_clear()
    result = CliRunner().invoke(
        app,
        [
            "report",
            "draft",
            "--plan",
            "10/KH-UBND",
            "--period",
            period.value,
            "--out",
            str(out),
            "--date",
            "15/01/2025",
        ],
        env={"CCHC_DATA_DIR": str(data_dir), "CCHC_DATABASE_URL": None},
    )
    assert result.exit_code == 0, result.output
    (written,) = out.iterdir()
    return written.read_bytes()


def test_each_periodic_report_of_the_demo_year_cites_every_approved_document_and_is_the_same_twice(
    sample_year, tmp_path
):
    with sample_year.sessions() as session:
        _, records = year_records(session, find_plan_id(session, "10/KH-UBND", year=2024))
    for period in ReportPeriod:
        first, last = period.span(2024)
        report = draft_in(sample_year.data_dir, period, tmp_path / f"{period.value}-1")
        assert report == draft_in(sample_year.data_dir, period, tmp_path / f"{period.value}-2")
        text = text_of(report)
        due = [record for record in records if first <= record.plan_due <= last]
        cited = [document.number for record in due if record.approved for document in record.evidence]
        assert cited and all(f" số {number} ngày " in text for number in cited), period
        assert all(record.task_code in text for record in due)
        assert "chu-tich" not in text  # who decided is named by position, never by login
    # the year's report names who stopped the task, by name or position
    assert re.search(r"Dừng thực hiện theo chỉ đạo của [^\n]*\w[^\n]* ngày \d\d/\d\d/2024", text)


def test_the_totals_are_what_the_script_made_the_officers_do(sample_year):
    document, script = sample_year.document, sample_year.script
    done = script.count(Fate.ON_TIME) + script.count(Fate.REWORK) + script.count(Fate.EXTENDED)

    assert document["approved"] == done + script.count(Fate.LATE)
    # By the plan the extended occurrence is late: its document is dated after the plan's deadline.
    assert (document["on_time"], document["late"]) == (done - 1, script.count(Fate.LATE) + 1)
    assert (document["on_time_directed"], document["late_directed"]) == (done, script.count(Fate.LATE))
    assert (document["waived"], document["returned"], document["extended"]) == (1, 1, 1)
    assert document["not_done"] == 1  # the chairman stopped it citing no amending document
    assert document["overdue"] == document["overdue_directed"] == script.count(Fate.NEVER_DONE) > 0
    assert document["approved"] + document["waived"] + document["overdue"] == document["occurrences"]
    assert document["reminders"] > 0 and document["escalations"] > 0


def test_each_unit_has_its_own_counts_and_both_on_time_rates_adding_up_to_the_plan(sample_year):
    by_unit = sample_year.document["by_unit"]

    assert set(by_unit) == {"Văn phòng", "Tư pháp", "Tài chính", "Văn hoá"}
    for key in ("occurrences", "approved", "overdue", "on_time", "on_time_directed", "not_done"):
        assert sum(unit[key] for unit in by_unit.values()) == sample_year.document[key]
    for unit in by_unit.values():
        to_do = unit["occurrences"] - unit["waived"]  # as directed, a stopped task was not to be done
        assert unit["on_time_rate_directed"] == round(unit["on_time_directed"] / to_do, 3)
        assert unit["on_time_rate"] == round(unit["on_time"] / (to_do + unit["not_done"]), 3)


def test_the_sample_years_extension_and_stopped_task_make_the_rate_by_the_plan_lower_than_as_directed(sample_year):
    document = sample_year.document
    (extended,) = sample_year.with_fate(Fate.EXTENDED)
    (stopped,) = sample_year.with_fate(Fate.WAIVED)
    units = {", ".join(sample_year.run_row(workflow_id).lead) for workflow_id in (extended, stopped)}

    assert document["on_time_rate"] < document["on_time_rate_directed"]
    for unit in units:
        assert document["by_unit"][unit]["on_time_rate"] < document["by_unit"][unit]["on_time_rate_directed"]


def test_the_results_stay_in_the_data_directory_one_run_per_occurrence_and_no_event_missing(sample_year):
    plan_id = sample_year.document["plan"]["id"]
    of_plan = f"cchc-task/{plan_id}/%"  # the data directory also holds the neighbour commune's year
    with sample_year.sessions() as session:
        runs = session.scalar(select(func.count()).select_from(TaskRunRow).where(TaskRunRow.plan_id == plan_id))
        seqs = defaultdict(list)
        query = select(TaskEventRow.workflow_id, TaskEventRow.seq).where(TaskEventRow.workflow_id.like(of_plan))
        for workflow_id, seq in session.execute(query):
            seqs[workflow_id].append(seq)
        notifications = session.scalar(
            select(func.count()).select_from(NotificationRow).where(NotificationRow.workflow_id.like(of_plan))
        )

    assert runs == len(seqs) == sample_year.document["occurrences"]
    assert all(sorted(s) == list(range(1, len(s) + 1)) for s in seqs.values())
    assert sum(map(len, seqs.values())) == sample_year.document["events"]
    assert notifications == sample_year.document["notifications"] > 0


def test_the_returned_occurrence_was_reworked_and_then_approved(sample_year):
    (returned,) = sample_year.with_fate(Fate.REWORK)

    kinds = sample_year.kinds(returned)
    assert kinds.index("return") < kinds.index("approve")
    assert kinds[kinds.index("return") + 1 :].count("submit_evidence") == 1
    assert sample_year.run_row(returned).state == "approved"


def test_the_extended_occurrence_has_its_due_date_moved_and_was_approved_by_it(sample_year):
    (extended,) = sample_year.with_fate(Fate.EXTENDED)
    (move,) = sample_year.document["extensions"]

    run = sample_year.run_row(extended)
    assert move["workflow_id"] == extended
    assert move["to"] > move["from"]
    assert (run.state, run.due_date.isoformat()) == ("approved", move["to"])


def test_the_chairman_gets_at_most_two_escalation_emails_per_occurrence_while_the_levels_keep_rising(sample_year):
    with sample_year.sessions() as session:
        emails = session.execute(
            select(NotificationRow.workflow_id, func.count())
            # The sample directory has no Phó Chủ tịch: the chairman is the leader in charge of every unit.
            .where(NotificationRow.kind == "escalation", NotificationRow.recipient == "leader_in_charge")
            .group_by(NotificationRow.workflow_id)
        ).all()
        highest = session.scalar(select(func.max(TaskRunRow.escalation_level)))
    assert emails and max(count for _, count in emails) == 2
    assert highest is not None and highest > 2  # recorded, on the dashboard and in the digest


def test_late_occurrences_were_escalated_to_the_chairman_and_on_time_ones_never(sample_year):
    for workflow_id in sample_year.with_fate(Fate.LATE) + sample_year.with_fate(Fate.NEVER_DONE):
        assert "escalation" in sample_year.kinds(workflow_id), workflow_id
    for workflow_id in sample_year.with_fate(Fate.ON_TIME):
        assert "escalation" not in sample_year.kinds(workflow_id), workflow_id
    (waived,) = sample_year.with_fate(Fate.WAIVED)
    assert sample_year.run_row(waived).state == "waived"


# --- the year audited, and its evidence package ---------------------------------------------------


def test_every_history_of_the_sample_year_replays_and_its_log_verifies(sample_year):
    cchc = command_in(sample_year.data_dir)

    replayed = cchc("audit", "replay", "--json")
    verified = cchc("audit", "verify", "--plan", str(sample_year.document["plan"]["id"]), "--json")

    assert replayed.exit_code == 0, replayed.output
    closed = sample_year.document["occurrences"] - sample_year.script.count(Fate.NEVER_DONE)
    # The neighbour commune of the PAR round ran the same script: as many closed runs again,
    # and each commune's published round.
    assert (json.loads(replayed.stdout)["replayed"], json.loads(replayed.stdout)["failed"]) == (2 * closed + 2, 0)
    assert verified.exit_code == 0, verified.output
    with sample_year.sessions() as session:
        round_events = session.scalar(
            select(func.count()).select_from(RoundEventRow).where(RoundEventRow.commune == "Vĩnh Khê")
        )
    report = json.loads(verified.stdout)
    assert (report["rounds"], report["events"]) == (1, sample_year.document["events"] + round_events)


def test_each_communes_round_is_replayed_and_shown_step_by_step_to_the_auditor(sample_year):
    cchc = command_in(sample_year.data_dir)

    replayed = cchc("audit", "replay")

    assert replayed.exit_code == 0, replayed.output
    text = " ".join(replayed.stdout.split())
    for commune in ("Vĩnh Khê", "Vĩnh Thủy"):
        assert f"Đợt đánh giá PAR năm 2024 · {commune}" in text
    for words in (
        "mở đợt đánh giá",
        "phê duyệt bản tự chấm",
        "gửi hồ sơ thẩm định",
        "yêu cầu giải trình",
        "công bố kết quả",
        "đã công bố kết quả",
        "tổ thẩm định",
    ):
        assert words in text
    one = json.loads(cchc("audit", "replay", "--round", "2024/Vĩnh Thủy", "--json").stdout)
    assert (one["replayed"], [entry["id"] for entry in one["tasks"]]) == (1, ["cchc-par-round/2024/Vĩnh Thủy"])
    unknown = cchc("audit", "replay", "--round", "2024/Xã Khác")
    assert unknown.exit_code == 1 and "không có đợt đánh giá “2024/Xã Khác” trong nhật ký" in unknown.stderr


def test_a_round_score_changed_in_the_database_breaks_that_rounds_chain_and_only_its(sample_year, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(sample_year.data_dir, copy)
    engine = make_engine(f"sqlite:///{copy / 'cchc.db'}")
    with make_session_factory(engine).begin() as session:
        submitted = session.scalars(
            select(RoundEventRow).where(RoundEventRow.commune == "Vĩnh Thủy", RoundEventRow.kind == "submit")
        ).one()
        submitted.payload = {**submitted.payload, "self_score": "99"}
        seq = submitted.seq
    engine.dispose()

    result = command_in(copy)("audit", "verify", "--json")

    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["rounds"] == 2
    assert [(b["id"], b["seq"], b["kind"]) for b in report["broken"]] == [
        ("cchc-par-round/2024/Vĩnh Thủy", seq, "submit")
    ]
    assert "mã băm không khớp" in report["broken"][0]["reason"]


def test_the_sample_years_package_holds_each_approved_document_once_hashed_and_the_same_twice(sample_year, tmp_path):
    cchc = command_in(sample_year.data_dir)
    for name in ("first.zip", "second.zip"):
        result = cchc("evidence", "export", tmp_path / name, "--plan", "10/KH-UBND")
        assert result.exit_code == 0, result.output

    package = (tmp_path / "first.zip").read_bytes()
    plan = read_plan(SAMPLE_PLAN).plan
    files = evidence_files(package)
    # The office mapped some tasks to sub-criteria for the PAR round: their evidence is filed there.
    groups = {t.code: groups_of(OFFICE_MAPPING.get(t.code, ()), t.section) for t in plan.tasks}
    assert sorted(files) == sorted(expected_files(sample_year.script, groups))
    assert manifest_matches_files(package)
    assert package == (tmp_path / "second.zip").read_bytes()


# --- a second demo on the same data directory --------------------------------------------------


@pytest.fixture
def cchc(monkeypatch, tmp_path, database_url):
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CCHC_DATABASE_URL", database_url)
    runner = CliRunner()

    def run(*args: str):
        get_settings.cache_clear()
        return runner.invoke(app, [str(a) for a in args])

    return run


def table_counts(database_url: str) -> dict[str, int]:
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            return {
                table.__tablename__: session.scalars(select(func.count()).select_from(table)).one()
                for table in (TaskRunRow, TaskEventRow, NotificationRow, UserRow)
            }
    finally:
        engine.dispose()


def test_a_second_demo_on_the_same_data_directory_reuses_the_plan_and_records_nothing_twice(
    cchc, database_url, tmp_path, vinh_khe_plan
):
    plan_file = tmp_path / "small-plan.yaml"
    plan_file.write_text(write_yaml(vinh_khe_plan), encoding="utf-8")

    first = cchc("demo", "--plan", plan_file, "--json")
    assert first.exit_code == 0, first.output
    counts = table_counts(database_url)
    second = cchc("demo", "--plan", plan_file, "--json")
    assert second.exit_code == 0, second.output

    before, after = json.loads(first.stdout), json.loads(second.stdout)
    assert (before["plan"]["created"], after["plan"]["created"]) == (True, False)
    accounts = before.pop("accounts"), after.pop("accounts")
    assert [a["username"] for a in accounts[0]] == [a["username"] for a in accounts[1]]
    assert not {a["password"] for a in accounts[0]} & {a["password"] for a in accounts[1]}
    assert (before["emails"]["directory"], after["emails"]["directory"]) == ("sample", "existing")
    for document in (before, after):
        del document["plan"]["created"], document["elapsed_seconds"], document["emails"]["directory"]
    assert after == before
    assert table_counts(database_url) == counts
    assert counts["task_runs"] == before["occurrences"] == 6
    assert (before["waived"], before["returned"], before["extended"], before["overdue"]) == (1, 1, 1, 1)


def test_the_demo_speaks_vietnamese_to_people(cchc, tmp_path, vinh_khe_plan):
    plan_file = tmp_path / "small-plan.yaml"
    plan_file.write_text(write_yaml(vinh_khe_plan), encoding="utf-8")

    result = cchc("demo", "--plan", plan_file)

    assert result.exit_code == 0, result.output
    assert "Mô phỏng kế hoạch 10/KH-UBND" in result.stdout
    assert "Theo đơn vị chủ trì" in result.stdout and "Tư pháp" in result.stdout
    assert "Lưu ý khi nhập kế hoạch" in result.stderr  # II.4 was past due on the plan's own date
    assert "Tài khoản đăng nhập trang web" in result.stdout and "chu-tich-ubnd-xa" in result.stdout
    assert "Mở trang web trên dữ liệu mô phỏng: CCHC_DATA_DIR=" in result.stdout


# --- emails ------------------------------------------------------------------------------------


def test_every_notification_of_the_sample_year_becomes_an_email_file_counted_by_kind(sample_year):
    emails = sample_year.document["emails"]
    with sample_year.sessions() as session:
        of_plan = NotificationRow.workflow_id.like(f"cchc-task/{sample_year.document['plan']['id']}/%")
        notifications = dict(
            session.execute(
                select(NotificationRow.kind, func.count()).where(of_plan).group_by(NotificationRow.kind)
            ).all()
        )
    files = list(Path(sample_year.document["database"].removeprefix("sqlite:///")).parent.glob("mail/*.eml"))

    assert emails["directory"] == "sample" and (emails["not_sent"], emails["unroutable"]) == (0, 0)
    assert set(emails["sent_by_kind"]) == set(notifications)  # each unit of the sample has someone to email
    assert all(emails["sent_by_kind"][kind] >= count for kind, count in notifications.items())
    assert len(files) == sum(emails["sent_by_kind"].values())
    assert {"reminder", "escalation", "assignment", "approved", "returned", "extended", "waived"} <= set(notifications)


def test_the_demo_delivers_its_emails_to_an_smtp_server_once_each(cchc, tmp_path, vinh_khe_plan):
    plan_file = tmp_path / "small-plan.yaml"
    plan_file.write_text(write_yaml(vinh_khe_plan), encoding="utf-8")
    smtp = SmtpServer().up()
    try:
        first = cchc("demo", "--plan", plan_file, "--smtp", f"127.0.0.1:{smtp.port}", "--json")
        second = cchc("demo", "--plan", plan_file, "--smtp", f"127.0.0.1:{smtp.port}", "--json")
    finally:
        smtp.down()

    assert first.exit_code == 0, first.output
    sent = json.loads(first.stdout)["emails"]["sent_by_kind"]
    received = smtp.mailbox.received
    assert len(received) == sum(sent.values()) > 0  # the second demo sent nothing again
    assert len({r.message["Message-ID"] for r in received}) == len(received)
    assert all(r.message["Subject"].startswith("[CCHC] ") for r in received)
    assert json.loads(second.stdout)["emails"]["sent_by_kind"] == sent


def test_the_sample_years_2024_round_is_appraised_by_the_districts_phong_noi_vu(sample_year):
    assert sample_year.document["supervising_authority"] == "Phòng Nội vụ huyện Vĩnh Linh"
    with sample_year.sessions() as session:
        profile = commune_profile(session, "Vĩnh Khê")
    assert (profile.kind, profile.district, profile.province) == (CommuneKind.XA, "huyện Vĩnh Linh", "tỉnh Quảng Trị")


def test_two_communes_of_the_district_go_through_the_par_round_and_are_ranked(sample_year):
    assessment = sample_year.document["assessment"]
    assert list(assessment) == ["Vĩnh Khê", "Vĩnh Thủy"]
    khe, thuy = assessment["Vĩnh Khê"], assessment["Vĩnh Thủy"]
    assert khe["submitted"] and thuy["submitted"]
    assert khe["max"] == thuy["max"] == 100 and 0 <= thuy["self_score"] <= khe["self_score"] <= 100
    # The same year's tasks; the offices scored report quality (1.2.2) at 1 and at 0,5; the
    # appraiser took Vĩnh Khê's down to 0,75 and left Vĩnh Thủy's as submitted.
    assert khe["self_score"] - thuy["self_score"] == pytest.approx(0.5)
    # The appraiser scored people's satisfaction (8.1, the province's survey) 8,5 and 8, and
    # took Vĩnh Khê's report quality down to 0,75.
    assert khe["appraised_score"] == pytest.approx(khe["self_score"] + 8.5 - 0.25)
    assert thuy["appraised_score"] == pytest.approx(thuy["self_score"] + 8)
    assert (khe["rank"], thuy["rank"]) == (1, 2)
    # The items left without evidence are the year's honest gaps, explained, the same for both.
    assert khe["missing_evidence"] == thuy["missing_evidence"]
    assert set(khe["missing_evidence"]) - {"8.1", "T1", "TR1"} == set(GAPS)
    assert "1.1.1" not in khe["missing_evidence"]  # I.1, the year's plan, mapped to it and approved
    with sample_year.sessions() as session:
        kinds = [
            row.kind
            for row in session.scalars(
                select(RoundEventRow).where(RoundEventRow.commune == "Vĩnh Thủy").order_by(RoundEventRow.seq)
            )
        ]
    assert kinds == [
        "open",
        "reminder",
        "reminder",
        "approve",
        "reopen",
        "approve",
        "submit",
        "appraise",
        "request_explanation",
        "answer",
        "publish",
    ]


# --- from the demo to the browser ----------------------------------------------------------------


def demo_web(data_dir: Path) -> TestClient:
    """The web application on the demo's data directory, as `cchc web` serves it: no Temporal."""
    settings = Settings(data_dir=data_dir, temporal_address=f"127.0.0.1:{free_port()}")
    return TestClient(create_app(settings), follow_redirects=False)


def test_the_demo_leaves_one_account_per_person_of_its_script_kept_for_its_owner_only(sample_year):
    accounts = sample_year.document["accounts"]
    plan = read_plan(SAMPLE_PLAN).plan
    officers = {officer_of(task.lead[0]).user for task in plan.tasks}

    assert {(a["username"], a["role"]) for a in accounts} == {
        (CHAIRMAN.user, "chairman"),
        (REVIEWER_USER, "reviewer"),
        (DEMO_USERS[RoundRole.APPRAISER], "appraiser"),
        *((officer, "officer") for officer in officers),
    }
    assert len({a["password"] for a in accounts}) == len(accounts)
    kept = sample_year.data_dir / "demo-accounts.txt"
    assert kept.stat().st_mode & 0o777 == 0o600
    assert kept.read_text(encoding="utf-8").splitlines() == [
        f"{a['username']}\t{a['role']}\t{a['password']}" for a in accounts
    ]
    assert sample_year.document["web"] == f"CCHC_DATA_DIR={sample_year.data_dir.resolve()} cchc web"


def test_the_chairman_signs_in_with_the_printed_password_changes_it_and_sees_the_demo_year_finished(sample_year):
    (password,) = (a["password"] for a in sample_year.document["accounts"] if a["username"] == CHAIRMAN.user)
    never_done = {code for (code, _), fate in sample_year.script.fates.items() if fate is Fate.NEVER_DONE}
    titles = {task.title for task in read_plan(SAMPLE_PLAN).plan.tasks if task.code in never_done}

    with demo_web(sample_year.data_dir) as browser:
        first_sign_in(browser, CHAIRMAN.user, password)  # a password the demo set: changed first
        page = browser.get("/").text

    assert "bản chạy thử (cchc demo)" in page and "mô phỏng xong" in page
    assert "tạm thời không hoạt động" not in page
    assert "10/KH-UBND" in page
    assert all(html.escape(title) in page for title in titles)  # overdue at the end of the year


def test_an_officer_of_the_demo_signs_in_and_finds_the_tasks_of_the_unit(sample_year):
    officer = officer_of("Tư pháp").user
    (password,) = (a["password"] for a in sample_year.document["accounts"] if a["username"] == officer)
    titles = [task.title for task in read_plan(SAMPLE_PLAN).plan.tasks if task.lead == ("Tư pháp",)]

    with demo_web(sample_year.data_dir) as browser:
        first_sign_in(browser, officer, password)
        page = browser.get("/me").text

    assert titles and all(html.escape(title) in page for title in titles)


# --- a self-assessment that looks like a working commune's ---------------------------------------


def test_each_demo_commune_self_scores_between_60_and_95_of_100(sample_year):
    for commune, row in sample_year.document["assessment"].items():
        assert 60 <= row["self_score"] <= 95, commune


def test_each_point_of_the_demo_sheets_comes_from_the_plans_tasks_or_the_offices_documents(sample_year):
    kept = {kept.code: kept for kept in KEPT}
    with sample_year.sessions() as session:
        plans = session.execute(select(PlanRow.id, PlanRow.number)).all()
        catalogue_id = session.scalars(select(CatalogueRow.id)).one()  # the demo's sample catalogue
        for plan_id, number in plans:
            sheet = assessment_sheet(
                session, plan_id=plan_id, catalogue_id=catalogue_id, plan_completion_codes=WHOLE_PLAN, now=LATER
            )
            for item in sheet.items:
                if not item.score.points:
                    continue
                code = item.leaf.code
                assert item.evidence, f"{number} {code}"
                for document in item.evidence:
                    if document.source == "task":
                        assert code in OFFICE_MAPPING[document.task_code], f"{number} {code}"
                    else:
                        assert document.summary == kept[code].summary, f"{number} {code}"
