"""The periods of the CCHC reports a plan asks for (báo cáo định kỳ): each quarter, the first
six and nine months, the year; the occurrences a report covers are those the plan makes due in
its period."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

_ROMAN = ("I", "II", "III", "IV")


class ReportPeriod(StrEnum):
    Q1 = "Q1"
    Q2 = "Q2"
    Q3 = "Q3"
    Q4 = "Q4"
    H1 = "6M"
    M9 = "9M"
    YEAR = "YEAR"

    def span(self, year: int) -> tuple[date, date]:
        """Its first and last day in `year`."""
        first_month, last_month = _MONTHS[self]
        after = date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)
        return date(year, first_month, 1), after - timedelta(days=1)

    def words(self, year: int) -> str:
        """ "quý I năm 2024", "6 tháng đầu năm 2024", "9 tháng năm 2024", "năm 2024"."""
        match self:
            case ReportPeriod.H1:
                return f"6 tháng đầu năm {year}"
            case ReportPeriod.M9:
                return f"9 tháng năm {year}"
            case ReportPeriod.YEAR:
                return f"năm {year}"
        return f"quý {_ROMAN[int(self.value[1]) - 1]} năm {year}"

    def slug(self, year: int) -> str:
        """ "quy-1-2024", "6-thang-2024", "9-thang-2024", "nam-2024": for file names."""
        match self:
            case ReportPeriod.H1 | ReportPeriod.M9:
                return f"{self.value[0]}-thang-{year}"
            case ReportPeriod.YEAR:
                return f"nam-{year}"
        return f"quy-{self.value[1]}-{year}"


_MONTHS = {
    ReportPeriod.Q1: (1, 3),
    ReportPeriod.Q2: (4, 6),
    ReportPeriod.Q3: (7, 9),
    ReportPeriod.Q4: (10, 12),
    ReportPeriod.H1: (1, 6),
    ReportPeriod.M9: (1, 9),
    ReportPeriod.YEAR: (1, 12),
}
