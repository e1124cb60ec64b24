"""The plan page's periodic report: a button that downloads the report of the chosen period."""

from __future__ import annotations

import re

from domain.report_periods import ReportPeriod
from tests.evidence.reading import check_the_form

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_the_plan_page_offers_every_period_and_downloads_its_report_as_a_draft(world):
    office = world.browser("van-phong")
    page = office.get(f"/plans/{world.plan_id}").text

    assert re.findall(r'<option value="([^"]+)"', page) == [period.value for period in ReportPeriod]
    assert "Tải báo cáo CCHC định kỳ (.docx)" in page
    response = office.get(f"/plans/{world.plan_id}/report", params={"period": "Q1"})
    assert response.status_code == 200 and response.headers["content-type"] == DOCX
    assert "bao-cao-cchc-quy-1-" in response.headers["content-disposition"]
    text = check_the_form(response.content, number="BC-UBND", signer="")
    assert "Kết quả thực hiện công tác cải cách hành chính quý I năm" in text


def test_an_officer_downloads_the_draft_but_may_not_mark_it_final(world):
    officer = world.browser("cong-chuc-vp")

    assert officer.get(f"/plans/{world.plan_id}/report", params={"period": "YEAR"}).status_code == 200
    assert officer.get(f"/plans/{world.plan_id}/report", params={"period": "YEAR", "final": "true"}).status_code == 403
    assert officer.get(f"/plans/{world.plan_id}/report", params={"period": "Q5"}).status_code in (400, 422)
