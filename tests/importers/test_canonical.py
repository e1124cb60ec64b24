"""The canonical YAML format: export then import gives the same plan; errors name the line."""

from datetime import date

import pytest

from importers import PlanInputError, read_plan
from importers.canonical import write_yaml


def export(plan, path):
    path.write_text(write_yaml(plan), encoding="utf-8")
    return path


def test_exporting_a_plan_and_importing_the_yaml_gives_the_same_plan(vinh_khe, tmp_path):
    again = read_plan(export(vinh_khe.plan, tmp_path / "kh.yaml"))
    assert again.plan == vinh_khe.plan
    assert [w.message for w in again.warnings] == [w.message for w in vinh_khe.warnings if "quá hạn" in w.message]


def test_the_yaml_is_readable_vietnamese_with_dates_as_people_write_them(vinh_khe):
    text = write_yaml(vinh_khe.plan)
    assert "number: 10/KH-UBND" in text
    assert "date: 15/01/2024" in text
    assert "Ban hành Kế hoạch cải cách hành chính năm 2024" in text
    assert "due" not in text  # due dates follow from the period, never typed


def test_an_edited_period_in_the_yaml_re_plans_the_due_date(vinh_khe, tmp_path):
    text = write_yaml(vinh_khe.plan).replace("period: Tháng 1/2024", "period: Quý II/2024", 1)
    (tmp_path / "kh.yaml").write_text(text, encoding="utf-8")
    task = read_plan(tmp_path / "kh.yaml").plan.tasks[0]
    assert task.code == "I.1"
    assert [o.due_date for o in task.occurrences] == [date(2024, 6, 28)]  # 30/06/2024 is a Sunday: the Friday before


def test_plan_settings_in_the_yaml_change_the_rules(vinh_khe, tmp_path):
    text = write_yaml(vinh_khe.plan).replace("before_day_rule: last_working_day", "before_day_rule: previous_day")
    (tmp_path / "kh.yaml").write_text(text, encoding="utf-8")
    by_code = {t.code: t for t in read_plan(tmp_path / "kh.yaml").plan.tasks}
    assert by_code["II.4"].occurrences[0].due_date == date(2023, 12, 30)


@pytest.mark.parametrize(
    "default, unbounded",
    [
        ("reminder_offsets:\n  - 7\n  - 3\n  - 1\n", "reminder_offsets: [7, 3, 1, 100000]\n"),
        ("reminder_offsets:\n  - 7\n  - 3\n  - 1\n", f"reminder_offsets: [{', '.join(['1'] * 11)}]\n"),
        ("escalation_interval: 3", "escalation_interval: 1000000000"),
        ("escalation_interval: 3", "escalation_interval: 0"),
        ("escalation_emails: 2", "escalation_emails: 100000"),
    ],
)
def test_a_plan_setting_beyond_what_a_year_holds_is_refused_naming_the_setting(vinh_khe, tmp_path, default, unbounded):
    text = write_yaml(vinh_khe.plan)
    assert default in text
    path = tmp_path / "kh.yaml"
    path.write_text(text.replace(default, unbounded), encoding="utf-8")
    with pytest.raises(PlanInputError) as raised:
        read_plan(path)
    assert unbounded.split(":")[0] in str(raised.value)


def test_an_unreadable_period_in_the_yaml_names_its_line_and_field(vinh_khe, tmp_path):
    text = write_yaml(vinh_khe.plan).replace("period: Tháng 2/2024", "period: Sớm nhất có thể", 1)
    path = tmp_path / "kh.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanInputError) as raised:
        read_plan(path)
    (finding,) = raised.value.findings
    line = next(i for i, text_line in enumerate(text.splitlines(), 1) if "Sớm nhất có thể" in text_line)
    assert finding.column == "period"
    assert abs(finding.row - line) <= 8  # the task's entry
    assert "Sớm nhất có thể" in str(raised.value) and "kh.yaml" in str(raised.value)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", "trống"),
        ("plan: [unclosed", "YAML không hợp lệ"),
        ("format: other/9\n", "không được hỗ trợ"),
        ("plan:\n  number: 1/KH\n  date: 31/02/2024\n  issuer: UBND xã A\n  commune: A\nsections: []\n", "31/02/2024"),
    ],
)
def test_a_broken_yaml_file_is_refused_with_a_clear_reason(tmp_path, text, expected):
    path = tmp_path / "kh.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanInputError) as raised:
        read_plan(path)
    assert expected in "\n".join(f.message for f in raised.value.findings)
