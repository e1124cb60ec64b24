"""Unit names come from the people directory and the plan: no text a person reads names a
department of its own (a commune's units differ, and changed on 1 July 2025). The office, the
CCHC focal point, is named by the directory (its reviewers' unit) or by the vocabulary."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXTS = (
    *sorted((ROOT / "notifications" / "templates").rglob("*.txt")),
    *sorted((ROOT / "notifications" / "templates").rglob("*.html")),
    *sorted((ROOT / "web" / "templates").rglob("*.html")),
    ROOT / "web" / "i18n.py",
    ROOT / "evidence" / "assessment_report.py",
    *sorted((ROOT / "services").glob("*documents*.py")),
)
DEPARTMENTS = ("Văn phòng", "Tư pháp", "Địa chính", "Tài chính", "Văn hóa", "Văn hoá", "Công an", "Hộ tịch", "Thống kê")


def test_no_user_text_names_a_department_of_its_own():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {department}"
        for path in TEXTS
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for department in DEPARTMENTS
        if department.casefold() in line.casefold()
    ]
    assert found == []
