"""The periods of the CCHC reports, as the plan's year divides them."""

from __future__ import annotations

from datetime import date

import pytest

from domain.report_periods import ReportPeriod


@pytest.mark.parametrize(
    "period, first, last, words",
    [
        (ReportPeriod.Q1, date(2024, 1, 1), date(2024, 3, 31), "quý I năm 2024"),
        (ReportPeriod.Q4, date(2024, 10, 1), date(2024, 12, 31), "quý IV năm 2024"),
        (ReportPeriod.H1, date(2024, 1, 1), date(2024, 6, 30), "6 tháng đầu năm 2024"),
        (ReportPeriod.M9, date(2024, 1, 1), date(2024, 9, 30), "9 tháng năm 2024"),
        (ReportPeriod.YEAR, date(2024, 1, 1), date(2024, 12, 31), "năm 2024"),
    ],
)
def test_a_report_period_runs_from_its_first_to_its_last_day_and_is_named_as_reports_name_it(
    period, first, last, words
):
    assert period.span(2024) == (first, last)
    assert period.words(2024) == words
