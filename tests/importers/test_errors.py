"""Bad input is refused with every problem found, each naming the file, row and column."""

import builtins
import io
import time
from pathlib import Path

import pytest

from domain.models import Severity
from importers import PlanInputError, read_plan
from tests.importers.builders import VINH_KHE, write_csv

VINH_KHE_LINES = VINH_KHE.read_text(encoding="utf-8").splitlines()


def vinh_khe_with(tmp_path: Path, edits: dict[int, tuple[int, str]], name="vinh-khe.txt") -> Path:
    """The Vĩnh Khê text with cell `column` of line `number` replaced: {number: (column, text)}."""
    lines = list(VINH_KHE_LINES)
    for number, (column, text) in edits.items():
        cells = lines[number - 1].split("\t")
        cells[column] = text
        lines[number - 1] = "\t".join(cells)
    path = tmp_path / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def refused(path: Path, **kwargs) -> PlanInputError:
    with pytest.raises(PlanInputError) as caught:
        read_plan(path, **kwargs)
    assert all(f.severity == Severity.ERROR for f in caught.value.findings)
    return caught.value


PERIOD, LEAD = 5, 3  # cells of a Vĩnh Khê task line


def test_an_unreadable_period_names_the_row_the_column_and_the_text(tmp_path):
    error = refused(vinh_khe_with(tmp_path, {237: (PERIOD, "Sớm nhất")}))
    assert str(error) == "vinh-khe.txt, hàng 237, cột “Thời gian thực hiện”: không đọc được thời hạn “Sớm nhất”"
    (finding,) = error.findings
    assert (finding.file, finding.row, finding.column) == ("vinh-khe.txt", 237, "Thời gian thực hiện")


def test_a_task_without_a_lead_unit_is_refused(tmp_path):
    (finding,) = refused(vinh_khe_with(tmp_path, {234: (LEAD, "")})).findings
    assert (finding.row, finding.column) == (234, "Bộ phận chủ trì")
    assert finding.message == "nhiệm vụ I.2 không có bộ phận chủ trì"


@pytest.mark.parametrize(
    "written, problem",
    [
        ("31/12/2024", "là một ngày"),
        ("15", "là một con số"),
        ("Tham mưu UBND xã xây dựng và triển khai kế hoạch tuyên truyền cải cách hành chính năm nay", "là một câu"),
    ],
)
def test_a_lead_cell_that_is_not_a_unit_name_is_refused(tmp_path, written, problem):
    (finding,) = refused(vinh_khe_with(tmp_path, {249: (LEAD, written)})).findings
    assert (finding.row, finding.column) == (249, "Bộ phận chủ trì")
    assert f"“{written}” {problem}" in finding.message


def test_every_error_of_the_table_is_reported_at_once_in_row_order(tmp_path):
    error = refused(
        vinh_khe_with(tmp_path, {278: (PERIOD, "Khi nào xong"), 233: (LEAD, ""), 257: (PERIOD, "Quý V/2024")})
    )
    assert [(f.row, f.column) for f in error.findings] == [
        (233, "Bộ phận chủ trì"),
        (257, "Thời gian thực hiện"),
        (278, "Thời gian thực hiện"),
    ]
    assert str(error).startswith("vinh-khe.txt, hàng 233, cột “Bộ phận chủ trì”: ")


def test_a_table_without_a_period_column_names_the_missing_column_and_the_header(tmp_path):
    lines = [
        "\t".join(cells[:PERIOD] + cells[PERIOD + 1 :]) if len(cells := line.split("\t")) > 2 else line
        for line in VINH_KHE_LINES
    ]
    path = tmp_path / "vinh-khe.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    (finding,) = refused(path).findings
    assert finding.row == 231
    assert "thiếu cột thời gian (“Thời gian thực hiện”, “Thời hạn”)" in finding.message
    assert (
        "“Nhiệm vụ cụ thể | Sản phẩm | Bộ phận chủ trì | Bộ phận phối hợp | Kinh phí dự kiến | Ghi chú”"
        in finding.message
    )


def test_a_text_with_neither_a_task_table_nor_assigned_items_is_refused_with_what_was_looked_for(tmp_path):
    path = tmp_path / "thu-moi.txt"
    path.write_text(
        "ỦY BAN NHÂN DÂN\nXÃ VĨNH KHÊ\nSố: 3/GM-UBND\n\nGIẤY MỜI\n"
        "Kính mời các đồng chí dự họp giao ban tháng 2.\n- Thời điểm: 8 giờ sáng thứ Hai.\n",
        encoding="utf-8",
    )
    (finding,) = refused(path).findings
    assert finding.file == "thu-moi.txt"
    assert "không tìm thấy nhiệm vụ nào" in finding.message
    assert "“Cơ quan chủ trì/thực hiện: …”" in finding.message and "YAML cchc-plan/1" in finding.message


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "trong.docx"
    path.touch()
    assert str(refused(path)) == "trong.docx: tệp trong.docx trống"


def test_a_missing_file_is_refused(tmp_path):
    assert "không tìm thấy tệp" in str(refused(tmp_path / "khong-co.txt"))


@pytest.mark.parametrize(
    "name, expected",
    [
        ("ke-hoach.docx", "tệp ke-hoach.docx không phải là tài liệu Word (.docx)"),
        ("ke-hoach.xlsx", "tệp ke-hoach.xlsx không phải là bảng tính Excel (.xlsx)"),
    ],
)
def test_a_binary_file_renamed_to_an_office_extension_is_refused(tmp_path, name, expected):
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 8)
    assert str(refused(path)) == f"{name}: {expected}"


def test_a_zip_that_is_not_a_word_document_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "ke-hoach.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    assert "không phải là tài liệu Word (.docx)" in str(refused(path))


def test_a_file_over_the_size_limit_is_refused_from_its_size_without_being_read(tmp_path, monkeypatch):
    path = tmp_path / "ke-hoach.docx"
    with path.open("wb") as sparse:
        sparse.truncate(50 * 2**20)

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    started = time.monotonic()
    with monkeypatch.context() as patched:
        for target, name in ((builtins, "open"), (io, "open"), (Path, "open"), (Path, "read_bytes")):
            patched.setattr(target, name, no_reading)
        with pytest.raises(PlanInputError) as caught:
            read_plan(path)
    assert time.monotonic() - started < 1
    assert str(caught.value) == "ke-hoach.docx: tệp ke-hoach.docx quá lớn (50 MB; tối đa 20 MB)"


def test_the_size_limit_can_be_set(tmp_path):
    path = tmp_path / "kh.txt"
    path.write_text("x" * 3 * 2**20)
    assert "quá lớn (3 MB; tối đa 2 MB)" in str(refused(path, max_bytes=2 * 2**20))


@pytest.mark.parametrize(
    "suffix, hint",
    [(".pdf", "; hãy lưu lại thành .docx hoặc .txt"), (".doc", "; hãy lưu lại thành .docx"), (".odp", "")],
)
def test_an_unknown_extension_is_refused_naming_the_formats_read(tmp_path, suffix, hint):
    path = tmp_path / f"ke-hoach{suffix}"
    path.write_bytes(b"%PDF-1.4")
    message = str(refused(path))
    assert f"không đọc được định dạng “{suffix}”" in message
    assert ".docx, .xlsx, .csv" in message and ".yaml" in message
    assert message.endswith(hint or ")")


def test_a_bare_table_without_year_or_commune_asks_for_both(vinh_khe, tmp_path):
    error = refused(write_csv(tmp_path / "bang.csv", vinh_khe.plan, with_head=False))
    messages = [f.message for f in error.findings]
    assert len(messages) == 2
    assert any("(--year)" in m for m in messages)
    assert any("(--commune)" in m for m in messages)


def test_a_task_row_without_a_title_or_with_an_unreadable_number_is_refused(tmp_path):
    error = refused(vinh_khe_with(tmp_path, {251: (1, ""), 252: (0, "?")}))
    assert [(f.row, f.column, f.message) for f in error.findings] == [
        (251, "Nhiệm vụ cụ thể", "nhiệm vụ không có nội dung"),
        (252, "STT", "không đọc được số thứ tự “?”"),
    ]


def test_a_row_without_a_number_under_a_task_is_a_further_task_of_its_group_with_a_warning(tmp_path):
    path = tmp_path / "kh.csv"
    path.write_text(
        "STT,Nội dung,Chủ trì,Thời hạn\n1,Ban hành kế hoạch,Văn phòng,Tháng 1/2024\n,Rà soát TTHC,,Quý I/2024\n",
        encoding="utf-8",
    )
    result = read_plan(path, year=2024, commune="Vĩnh Khê")
    assert [(t.code, t.title, t.lead) for t in result.plan.tasks] == [
        ("1", "Ban hành kế hoạch", ("Văn phòng",)),
        ("1.1", "Rà soát TTHC", ("Văn phòng",)),
    ]
    on_row_3 = [(w.column, w.message) for w in result.warnings if w.row == 3]
    assert ("STT", "hàng không có số thứ tự (ô số thứ tự gộp?): đọc là nhiệm vụ 1.1 thuộc nhóm 1") in on_row_3
    assert ("Chủ trì", "ô trống, đọc như ô gộp với hàng 2: “Văn phòng”") in on_row_3


def test_a_number_used_twice_gets_a_suffix_and_a_warning_naming_both_rows_and_a_gap_is_a_warning(tmp_path):
    result = read_plan(vinh_khe_with(tmp_path, {234: (0, "1.")}))
    assert [t.code for t in result.plan.tasks][:3] == ["I.1", "I.1-2", "I.3"]
    (twice,) = [w for w in result.warnings if "trùng" in w.message]
    assert twice.row == 234 and "I.1 trùng" in twice.message and "hàng 233" in twice.message
    result = read_plan(vinh_khe_with(tmp_path, {234: (0, "7.")}, name="gap.txt"))
    gaps = [w for w in result.warnings if "nhảy" in w.message]
    assert [(w.row, w.message) for w in gaps] == [
        (234, "số thứ tự nhảy từ 1 lên 7 trong mục I"),
        (235, "số thứ tự nhảy từ 7 lên 3 trong mục I"),
    ]
