"""A document cited in full, as a report of the commune writes it."""

from __future__ import annotations

from datetime import date

import pytest

from domain.citations import citation, document_type

DAY = date(2024, 1, 15)


@pytest.mark.parametrize(
    "number, kind",
    [("15/QĐ-UBND", "Quyết định"), ("10/KH-UBND", "Kế hoạch"), ("12/UBND-VP", "Công văn"), ("15", "Văn bản")],
)
def test_the_type_is_read_from_the_numbers_abbreviation(number, kind):
    assert document_type(number) == kind


@pytest.mark.parametrize(
    "summary",
    ["ban hành Quy chế làm việc", "Về việc ban hành Quy chế làm việc", "V/v ban hành Quy chế làm việc",
     "Quyết định về việc: ban hành Quy chế làm việc"],
)  # fmt: skip
def test_a_citation_names_type_number_date_issuer_and_subject_once(summary):
    assert citation("15/QĐ-UBND", DAY, "UBND xã Vĩnh Khê", summary) == (
        "Quyết định số 15/QĐ-UBND ngày 15/01/2024 của UBND xã Vĩnh Khê về việc ban hành Quy chế làm việc"
    )


def test_a_citation_without_issuer_or_summary_leaves_them_out():
    assert citation("30/KH-UBND", date(2025, 6, 2), None, "") == "Kế hoạch số 30/KH-UBND ngày 02/06/2025"
