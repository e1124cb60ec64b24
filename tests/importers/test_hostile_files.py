"""Hostile plan files are refused (or read) quickly, each refusal naming the file and what is
wrong. Each file is read in a child process with a generous timeout: a reader that freezes
fails the test instead of hanging it."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from domain.reporting import find_reporting_calendar
from importers import PlanInputError, read_plan
from tests import hostile_files

GENEROUS_SECONDS = 60


def _messages(path: Path) -> list[str]:
    """The errors reading the plan gives (none when it is read)."""
    try:
        read_plan(path, year=2024, commune="Vĩnh Khê")
    except PlanInputError as refusal:
        return [finding.message for finding in refusal.findings]
    return []


def read_in_time(path: Path) -> list[str]:
    with multiprocessing.get_context("fork").Pool(1) as pool:
        return pool.apply_async(_messages, (path,)).get(timeout=GENEROUS_SECONDS)


def test_a_200_kb_line_of_spaces_is_refused_naming_the_file_and_the_line(tmp_path):
    messages = read_in_time(hostile_files.long_line_of_spaces(tmp_path))
    assert messages == ["tệp dong-dai.txt, dòng 3: dài 200000 ký tự (tối đa 10000 ký tự một dòng)"]


def test_lines_of_spaces_each_under_the_cap_are_read_in_time(tmp_path):
    [message] = read_in_time(hostile_files.lines_of_spaces(tmp_path))
    assert message.startswith("không tìm thấy nhiệm vụ nào")  # a plan without tasks, said as for any other


def test_fifty_thousand_blank_lines_are_read_in_time_and_the_reporting_sentence_across_them_is_found(tmp_path):
    path = hostile_files.blank_lines(tmp_path, count=50_000)
    read_in_time(path)  # whatever the plan lacks, it is said in time
    with multiprocessing.get_context("fork").Pool(1) as pool:
        text = path.read_text(encoding="utf-8")
        calendar = pool.apply_async(find_reporting_calendar, (text,)).get(timeout=GENEROUS_SECONDS)
    assert calendar is not None and calendar.source_text is not None


def test_an_xlsx_claiming_a_million_rows_by_16384_columns_is_refused(tmp_path):
    messages = read_in_time(hostile_files.sheet_claiming_every_cell(tmp_path))
    assert messages == [
        "tệp bang-khong-lo.xlsx: xl/worksheets/sheet1.xml có vùng A1:XFD1048576 (1048576 hàng × 16384 cột), "
        "quá lớn cho một kế hoạch (tối đa 10000 hàng × 200 cột)"
    ]


def test_a_docx_cell_spanning_a_billion_columns_is_refused_naming_its_table_and_row(tmp_path):
    messages = read_in_time(hostile_files.table_spanning_a_billion_columns(tmp_path))
    assert messages == ["tệp bang-gop.docx, bảng 1, hàng 2: gridSpan = 1000000000 cột không hợp lệ (tối đa 63)"]


def test_a_1000_to_1_zip_bomb_is_refused_before_anything_is_inflated(tmp_path):
    [message] = read_in_time(hostile_files.zip_bomb(tmp_path))
    assert message.startswith("tệp bom-nen.docx: phần word/media/image1.bin nén bất thường (")
    assert message.endswith(":1; tối đa 200:1), có thể là tệp độc hại")


def test_xml_declaring_entities_is_refused(tmp_path):
    messages = read_in_time(hostile_files.entity_expansion(tmp_path))
    assert messages == ["tệp thuc-the.docx: phần word/document.xml khai báo thực thể XML (không được phép)"]


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_an_office_file_that_is_no_archive_is_refused_as_before(tmp_path, suffix):
    path = tmp_path / f"hong{suffix}"
    path.write_bytes(b"not a zip at all")
    [message] = read_in_time(path)
    assert message.startswith(f"tệp hong{suffix} không phải là ")
