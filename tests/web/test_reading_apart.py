"""An uploaded file read in a child process (web.reading_apart): the reader's result comes back
as its type says, its refusal with every finding, and a reader past its memory limit ends only
its child, the person told naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from importers.errors import PlanInputError
from importers.people import read_people
from web.reading_apart import Limits, read_apart

LIMITS = Limits(memory_bytes=256 * 2**20, seconds=60)


def greedy(path: Path) -> int:
    """A reader that needs a GB, whatever the file."""
    return len(bytearray(2**30))


def test_a_directory_read_apart_is_the_directory_read_here(tmp_path):
    path = tmp_path / "danh-ba.csv"
    path.write_text("Họ tên,Email,Đơn vị,Vai trò\nNguyễn Thị Lan,lan@vinhkhe.example.vn,Tư pháp,công chức\n")
    assert read_apart(read_people, path, LIMITS, commune="Vĩnh Khê") == read_people(path, commune="Vĩnh Khê")


def test_a_file_the_reader_refuses_comes_back_with_every_finding_the_reader_made(tmp_path):
    path = tmp_path / "danh-ba.csv"
    path.write_text("Họ tên,Email,Vai trò\nNguyễn Thị Lan,khong-phai-email,công chức\n")
    with pytest.raises(PlanInputError) as apart:
        read_apart(read_people, path, LIMITS, commune="Vĩnh Khê")
    with pytest.raises(PlanInputError) as here:
        read_people(path, commune="Vĩnh Khê")
    assert apart.value.findings == here.value.findings
    assert ("danh-ba.csv", 2, "Email") in [(f.file, f.row, f.column) for f in apart.value.findings]


def test_a_reader_past_its_memory_limit_ends_its_child_and_the_file_is_refused_by_name(tmp_path):
    path = tmp_path / "tham-lam.csv"
    path.write_text("x\n")
    with pytest.raises(PlanInputError) as refused:
        read_apart(greedy, path, LIMITS)
    assert refused.value.findings[0].message == (
        "tệp tham-lam.csv không đọc được trong giới hạn cho phép (60 giây, 256 MB bộ nhớ): tệp hỏng hoặc quá phức tạp"
    )
