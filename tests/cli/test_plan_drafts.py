"""A draft is written for anything readable: numbering used twice, an unreadable time,
number or unit are warnings beside their task, never a refusal."""

from __future__ import annotations

import re

import pytest
import yaml

from importers import read_plan
from tests.importers.builders import SAMPLES, VINH_KHE

SAMPLE_PLANS = [
    (VINH_KHE, {}),
    (SAMPLES / "long-dien-a-2023-cchc-plan.txt", {"year": 2023}),
    (SAMPLES / "quang-vinh-2020-par-index-plan.txt", {}),
]
_ROMAN_LINE = re.compile(r"^(?P<lead>\W*)(?P<number>[IVX]+)\.", re.MULTILINE)
_ITEM_LINE = re.compile(r"^(?P<lead>\s*)(?:(?P<number>[2-9])\.|(?P<letter>[b-h])\))(?=[\s\t])", re.MULTILINE)


def numbered_twice(text: str) -> str:
    """The text with its last roman section numbered as the one before it, and each item
    from "2." or "b)" on numbered one less ("1.", "1.", "2." ...): what hand typing does."""
    romans = list(_ROMAN_LINE.finditer(text))
    if len(romans) >= 2:
        last, before = romans[-1], romans[-2]
        text = text[: last.start("number")] + before["number"] + text[last.end("number") :]
    for match in reversed(list(_ITEM_LINE.finditer(text))):
        kind = "number" if match["number"] else "letter"
        one_less = str(int(match["number"]) - 1) if match["number"] else chr(ord(match["letter"]) - 1)
        text = text[: match.start(kind)] + one_less + text[match.end(kind) :]
    return text


@pytest.mark.parametrize("path, options", SAMPLE_PLANS, ids=lambda p: getattr(p, "stem", ""))
def test_a_sample_with_its_numbering_used_twice_still_gives_a_draft_of_every_task(cchc, tmp_path, path, options):
    original = read_plan(path, **options, drafting=True).plan
    twice = tmp_path / path.name
    twice.write_text(numbered_twice(path.read_text(encoding="utf-8")), encoding="utf-8")
    out = tmp_path / "draft.yaml"
    year = ["--year", str(options["year"])] if "year" in options else []
    result = cchc("plan", "draft", twice, "--out", out, *year)

    assert result.exit_code == 0, result.output
    draft = yaml.safe_load(out.read_text(encoding="utf-8"))
    titles = [task["title"] for section in draft["sections"] for task in section["tasks"]]
    assert titles == [task.title for task in original.tasks]
    assert "trùng" in out.read_text(encoding="utf-8")


def test_a_table_row_with_an_unreadable_time_number_or_unit_is_drafted_with_a_warning_beside_it(cchc, tmp_path):
    lines = VINH_KHE.read_text(encoding="utf-8").split("\n")
    for number, column, text in ((237, 5, "Sớm nhất"), (249, 3, "31/12/2024"), (252, 0, "?")):
        cells = lines[number - 1].split("\t")
        cells[column] = text
        lines[number - 1] = "\t".join(cells)
    path = tmp_path / "ke-hoach.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert cchc("plan", "import", path, "--dry-run").exit_code == 2

    result = cchc("plan", "draft", path)
    assert result.exit_code == 0, result.output
    draft = result.stdout
    assert "# ⚠ nhiệm vụ I.5 không đọc được thời gian “Sớm nhất”" in draft
    assert "# ⚠ “31/12/2024” là một ngày hoặc thời hạn, không phải tên bộ phận" in draft
    assert "# ⚠ không đọc được số thứ tự “?”" in draft
    assert len([t for s in yaml.safe_load(draft)["sections"] for t in s["tasks"]]) == 28


def test_a_prose_plan_that_states_no_year_is_drafted_for_the_year_its_deadlines_name_with_a_warning(cchc):
    result = cchc("plan", "draft", SAMPLES / "long-dien-a-2023-cchc-plan.txt")

    assert result.exit_code == 0, result.output
    draft = yaml.safe_load(result.stdout)
    assert draft["plan"]["year"] == 2023
    assert "bản nháp dùng năm 2023, năm mà các thời hạn trong kế hoạch nêu nhiều nhất" in result.stdout
