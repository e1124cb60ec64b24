"""`cchc report draft`: the periodic CCHC reports of a tracked year, as the office opens them."""

from __future__ import annotations

from datetime import datetime

import pytest

from domain.calendar import TZ
from domain.people import Person, PersonRole
from domain.report_periods import ReportPeriod
from domain.roles import Role
from evidence.document_layout import FOR_THE_OFFICE
from persistence.people import replace_directory
from persistence.users import NewUser, add_user
from tests.evidence.reading import check_the_form, printed_pages
from tests.services.year import COMMUNE, Fate, live, monthly, store

# January to October of task I.1; I.2 in January.
FATES = {
    **monthly(
        Fate.ON_TIME,  # 01
        Fate.LATE,  # 02
        Fate.EXTENDED,  # 03: a leader moved it ten days
        Fate.ON_TIME,  # 04
        Fate.WAIVED,  # 05: stopped
        Fate.AMENDED_OUT,  # 06: stopped citing the amending plan
        Fate.OPEN,  # 07: never done
        Fate.ON_TIME,  # 08
        Fate.AMENDED,  # 09
        Fate.ON_TIME,  # 10
    ),
    ("I.2", "2025-01"): Fate.ON_TIME,
}
FILES = {
    ReportPeriod.Q1: "bao-cao-cchc-quy-1-2025.docx",
    ReportPeriod.Q2: "bao-cao-cchc-quy-2-2025.docx",
    ReportPeriod.Q3: "bao-cao-cchc-quy-3-2025.docx",
    ReportPeriod.Q4: "bao-cao-cchc-quy-4-2025.docx",
    ReportPeriod.H1: "bao-cao-cchc-6-thang-2025.docx",
    ReportPeriod.M9: "bao-cao-cchc-9-thang-2025.docx",
    ReportPeriod.YEAR: "bao-cao-cchc-nam-2025.docx",
}


CHAIRMAN = "Trần Văn Hùng"
NOW = datetime(2025, 1, 2, 8, tzinfo=TZ)


@pytest.fixture
def plan(session_factory):
    """The sample year as `FATES` tells it; the chairman in the people directory, the office's
    "lan" an account with her full name."""
    plan_id, _ = store(session_factory)
    live(session_factory, plan_id, FATES)
    with session_factory.begin() as session:
        chairman = Person(commune=COMMUNE, name=CHAIRMAN, email="hung@xamau.gov.vn", roles={PersonRole.CHAIRMAN})
        replace_directory(session, COMMUNE, [chairman], NOW)
        add_user(session, NewUser("lan", Role.REVIEWER, COMMUNE, "Nguyễn Thị Lan"), "not a password hash", NOW)
    return str(plan_id)


def drafted(cchc, plan, period: ReportPeriod, folder, *options: str) -> bytes:
    result = cchc("report", "draft", "--plan", plan, "--period", period.value, "--out", folder, *options)
    assert result.exit_code == 0, result.output
    return (folder / FILES[period]).read_bytes()


@pytest.mark.parametrize("period", list(ReportPeriod), ids=[period.value for period in ReportPeriod])
def test_each_periods_report_is_a_draft_of_the_committee_byte_identical_when_drafted_twice(
    cchc, plan, period, tmp_path
):
    first = drafted(cchc, plan, period, tmp_path / "first", "--date", "05/12/2025")
    second = drafted(cchc, plan, period, tmp_path / "second", "--date", "05/12/2025")

    assert first == second
    text = check_the_form(first, number="BC-UBND", signer=CHAIRMAN)
    assert "Xã Mẫu, ngày 05 tháng 12 năm 2025" in text
    assert "BÁO CÁO\nKết quả thực hiện công tác cải cách hành chính" in text
    for section in ("V. KHÓ KHĂN, VƯỚNG MẮC", "VI. ĐỀ XUẤT, KIẾN NGHỊ", "VII. NHIỆM VỤ TRỌNG TÂM KỲ TỚI"):
        assert f"{section}\n{FOR_THE_OFFICE}" in text


def test_the_first_quarters_report_cites_each_done_tasks_document_and_tells_what_is_late_and_moved(
    cchc, plan, tmp_path
):
    text = check_the_form(
        drafted(cchc, plan, ReportPeriod.Q1, tmp_path, "--date", "05/12/2025"), number="BC-UBND", signer=CHAIRMAN
    )

    assert "Kết quả thực hiện công tác cải cách hành chính quý I năm 2025" in text
    assert (
        "Hoàn thành đúng hạn: Báo cáo số I.1-2025-01/BC-UBND ngày 31/01/2025 của UBND xã Xã Mẫu về việc I.1 2025-01"
        in text
    )
    assert "Hoàn thành chậm 5 ngày: Báo cáo số I.1-2025-02/BC-UBND ngày 05/03/2025" in text
    assert "2025-04" not in text  # April is the second quarter's
    assert (
        "Gia hạn từ 31/03/2025 đến 10/04/2025 theo chỉ đạo của Nguyễn Thị Lan ngày 05/04/2025: Chờ số liệu của các bộ phận"
        in text
    )
    assert text.index("II. NHIỆM VỤ CHẬM, QUÁ HẠN VÀ NGUYÊN NHÂN") < text.index(
        "05/04/2025: Chờ số liệu của các bộ phận"
    )
    # four occurrences due, two on time by the plan (I.1 in January, I.2); the extension counts as directed
    assert "Tỷ lệ hoàn thành đúng hạn theo kế hoạch: 50,0%; tính cả gia hạn theo chỉ đạo: 75,0%." in text


def test_the_final_years_report_tells_who_stopped_a_task_and_by_which_document_goes_where_asked_and_prints_on_a4(
    cchc, plan, tmp_path
):
    report = drafted(
        cchc, plan, ReportPeriod.YEAR, tmp_path, "--date", "15/12/2025", "--final", "--copy", "Thường trực Đảng ủy xã"
    )
    text = check_the_form(report, number="BC-UBND", signer=CHAIRMAN, draft=False)

    assert (
        "Dừng thực hiện theo chỉ đạo của Nguyễn Thị Lan ngày 31/05/2025: Nội dung đã lồng ghép vào nhiệm vụ khác"
        in text
    )
    assert "Dừng thực hiện theo Kế hoạch số 30/KH-UBND ngày 02/06/2025" in text
    assert "Chưa hoàn thành, quá hạn" in text
    assert "Nơi nhận:\n- Sở Nội vụ;\n- Thường trực Đảng ủy xã;\n- Lưu: VT, VP." in text
    assert "Báo cáo số I.1-2025-09/BC-UBND ngày 05/10/2025 của Ban Chỉ đạo CCHC xã về việc I.1 2025-09" in text
    assert printed_pages(report, "bao-cao-cchc-nam", tmp_path) >= 2


def test_an_unknown_period_is_refused_naming_the_periods(cchc, plan, tmp_path):
    result = cchc("report", "draft", "--plan", plan, "--period", "Q5", "--out", tmp_path / "out")

    assert result.exit_code != 0 and "Q5" in result.output
    assert not (tmp_path / "out").exists()
