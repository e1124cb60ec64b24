"""People directory files: the YAML sample, CSV with Vietnamese or English headers, and every
bad input refused naming the file, row and column."""

from pathlib import Path

import openpyxl
import pytest

from domain.people import PersonRole, units_without_recipients
from importers import PlanInputError, read_plan
from importers.errors import describe
from importers.people import read_people
from tests.importers.builders import SAMPLES, VINH_KHE

SAMPLE = SAMPLES / "vinh-khe-people.yaml"
VIETNAMESE_HEADER = "Họ tên;Thư điện tử;Đơn vị;Vai trò;Ngôn ngữ"


def write_csv(tmp_path: Path, *lines: str, name="danh-ba.csv", bom=True) -> Path:
    path = tmp_path / name
    path.write_bytes(("\ufeff" if bom else "").encode() + "\r\n".join(lines).encode("utf-8"))
    return path


def problems(path: Path, **options) -> list[str]:
    """The lines a person sees for a refused file."""
    with pytest.raises(PlanInputError) as refused:
        read_people(path, **options)
    return [describe(finding) for finding in refused.value.findings]


# --- files that load -------------------------------------------------------------------------


def test_the_vinh_khe_sample_names_someone_for_every_lead_unit_of_the_sample_plan():
    people = read_people(SAMPLE)
    plan = read_plan(VINH_KHE).plan

    leads = [unit for task in plan.tasks for unit in task.lead]
    assert units_without_recipients(people, leads) == []
    assert {person.commune for person in people} == {plan.commune}
    assert [p.name for p in people if PersonRole.CHAIRMAN in p.roles] == ["Trần Văn Hùng"]
    (reviewer,) = [p for p in people if PersonRole.REVIEWER in p.roles]
    assert reviewer.unit == "Văn phòng - Thống kê"
    assert [p.name for p in people if p.language == "en"] == ["Phạm Thu Hà"]
    assert all(p.email.endswith("@vinhkhe.example.vn") for p in people)


def test_a_csv_with_vietnamese_headers_and_a_bom_loads_with_the_commune_given(tmp_path):
    path = write_csv(
        tmp_path,
        VIETNAMESE_HEADER,
        "Nguyễn Thị Lan;lan@vinhkhe.example.vn;Văn phòng;Công chức, Văn phòng thẩm định;",
        "Vũ Đức Long;long@VinhKhe.example.vn;Tư pháp;TRUONG BO PHAN;tiếng Anh",
        ";;;;",
        "Trần Văn Hùng;chutich@vinhkhe.example.vn;;chủ tịch;vi",
    )

    people = read_people(path, commune="Vĩnh Khê")

    assert [(p.name, p.email, p.unit, p.roles, p.language) for p in people] == [
        ("Nguyễn Thị Lan", "lan@vinhkhe.example.vn", "Văn phòng", {PersonRole.OFFICER, PersonRole.REVIEWER}, "vi"),
        ("Vũ Đức Long", "long@vinhkhe.example.vn", "Tư pháp", {PersonRole.HEAD}, "en"),
        ("Trần Văn Hùng", "chutich@vinhkhe.example.vn", None, {PersonRole.CHAIRMAN}, "vi"),
    ]
    assert {p.commune for p in people} == {"Vĩnh Khê"}


def test_a_vice_chairman_is_read_with_the_units_in_his_charge_from_csv_and_yaml(tmp_path):
    csv = write_csv(
        tmp_path,
        "Họ tên,Email,Đơn vị,Vai trò,Đơn vị phụ trách",
        'Trần Văn Bình,binh@vinhkhe.example.vn,,Phó Chủ tịch,"Tư pháp - Hộ tịch; Văn hóa - Xã hội"',
    )
    yaml = tmp_path / "danh-ba.yaml"
    yaml.write_text(
        "format: cchc-people/1\ncommune: Vĩnh Khê\npeople:\n"
        "  - {name: Trần Văn Bình, email: binh@vinhkhe.example.vn, roles: [vice_chairman],"
        " in_charge: [Tư pháp - Hộ tịch, Văn hóa - Xã hội]}\n",
        encoding="utf-8",
    )

    (from_csv,) = read_people(csv, commune="Vĩnh Khê")
    (from_yaml,) = read_people(yaml)

    assert from_csv == from_yaml
    assert (from_csv.roles, from_csv.in_charge) == (
        {PersonRole.VICE_CHAIRMAN},
        ("Tư pháp - Hộ tịch", "Văn hóa - Xã hội"),
    )


def test_a_vice_chairman_without_units_and_units_in_charge_of_anyone_else_are_refused(tmp_path):
    path = write_csv(
        tmp_path,
        "Họ tên;Email;Đơn vị;Vai trò;Đơn vị phụ trách",
        "Trần Văn Bình;binh@vinhkhe.example.vn;;phó chủ tịch;",
        "Trần Văn Hùng;chutich@vinhkhe.example.vn;;chủ tịch;Tư pháp",
    )

    assert problems(path, commune="Vĩnh Khê") == [
        "danh-ba.csv, hàng 2, cột “Đơn vị phụ trách”: Phó Chủ tịch phải ghi đơn vị phụ trách",
        "danh-ba.csv, hàng 3, cột “Đơn vị phụ trách”: chỉ Phó Chủ tịch mới ghi đơn vị phụ trách",
    ]


def test_the_office_role_reads_in_the_communes_words_and_in_the_older_word_of_earlier_files(tmp_path):
    path = write_csv(
        tmp_path,
        VIETNAMESE_HEADER,
        "Nguyễn Thị Lan;lan@vinhkhe.example.vn;Văn phòng;Xác nhận hoàn thành;",
        "Lê Thu Hà;ha@vinhkhe.example.vn;Văn phòng;kiểm tra;",
        "Đỗ Văn Nam;nam@vinhkhe.example.vn;Văn phòng;thẩm định;",
    )

    assert [p.roles for p in read_people(path, commune="Vĩnh Khê")] == [{PersonRole.REVIEWER}] * 3


def test_a_comma_csv_with_english_headers_chooses_one_commune_of_several(tmp_path):
    path = write_csv(
        tmp_path,
        "name,email,unit,roles,commune",
        'Lan,lan@vinhkhe.example.vn,Văn phòng,"officer; reviewer",Vĩnh Khê',
        "Hạnh,hanh@longdiena.example.vn,Văn phòng,phụ trách,Long Điền A",
        bom=False,
    )

    (lan,) = read_people(path, commune="vĩnh khê")

    assert (lan.name, lan.commune, lan.roles) == ("Lan", "Vĩnh Khê", {PersonRole.OFFICER, PersonRole.REVIEWER})


# --- files that are refused ------------------------------------------------------------------


def test_a_missing_required_column_names_the_header_row(tmp_path):
    path = write_csv(tmp_path, "Họ tên;Email;Đơn vị", "Lan;lan@vinhkhe.example.vn;Văn phòng")

    assert problems(path, commune="Vĩnh Khê") == ["danh-ba.csv, hàng 1: thiếu cột “Vai trò” (hoặc “roles”)"]


def test_each_bad_row_is_named_by_row_and_column_and_nothing_is_read(tmp_path):
    path = write_csv(
        tmp_path,
        VIETNAMESE_HEADER,
        "Nguyễn Thị Lan;lan@vinhkhe.example.vn;Văn phòng;công chức;",
        ";mai@vinhkhe.example.vn;Tư pháp;công chức;",
        "Vũ Đức Long;Long <long@vinhkhe.example.vn>;Tư pháp;công chức;",
        "Phạm Thu Hà;ha@vinhkhe.example.vn;Văn hóa;sếp;",
        "Lê Minh Tuấn;LAN@vinhkhe.example.vn;Văn phòng;trưởng bộ phận;",
        "Đỗ Văn Nam;nam@vinhkhe.example.vn;;trưởng bộ phận;",
        "Bùi Thị Hương;huong@vinhkhe.example.vn;Tài chính;công chức;tiếng Pháp",
    )

    assert problems(path, commune="Vĩnh Khê") == [
        "danh-ba.csv, hàng 3, cột “Họ tên”: thiếu họ tên",
        "danh-ba.csv, hàng 4, cột “Thư điện tử”: “Long <long@vinhkhe.example.vn>” không phải một địa chỉ email "
        "(một địa chỉ, không kèm tên, ví dụ lan@vinhkhe.gov.vn)",
        "danh-ba.csv, hàng 5, cột “Vai trò”: không có vai trò “sếp” (dùng: công chức, trưởng bộ phận, chủ tịch, phó chủ tịch, xác nhận hoàn thành)",
        "danh-ba.csv, hàng 6, cột “Thư điện tử”: email LAN@vinhkhe.example.vn đã có ở hàng 2",
        "danh-ba.csv, hàng 7, cột “Đơn vị”: công chức và trưởng bộ phận phải ghi đơn vị",
        "danh-ba.csv, hàng 8, cột “Ngôn ngữ”: không có ngôn ngữ “tiếng Pháp” (dùng: vi hoặc en)",
    ]


def test_a_file_of_several_communes_needs_one_chosen(tmp_path):
    path = write_csv(
        tmp_path,
        "Họ tên;Email;Đơn vị;Vai trò;Xã",
        "Lan;lan@vinhkhe.example.vn;Văn phòng;công chức;Vĩnh Khê",
        "Hạnh;hanh@longdiena.example.vn;Văn phòng;công chức;Long Điền A",
    )

    assert problems(path) == [
        "danh-ba.csv: tệp có danh bạ của 2 xã (Vĩnh Khê, Long Điền A): chọn một xã bằng --commune"
    ]
    assert problems(path, commune="Quang Vinh") == ["danh-ba.csv: tệp không có ai thuộc xã Quang Vinh"]


def test_a_csv_that_says_no_commune_needs_one_given(tmp_path):
    path = write_csv(tmp_path, VIETNAMESE_HEADER, "Lan;lan@vinhkhe.example.vn;Văn phòng;công chức;")

    assert problems(path) == ["danh-ba.csv, hàng 2: không rõ danh bạ của xã nào: thêm cột “Xã” hoặc chọn --commune"]


def test_yaml_errors_name_the_line_and_the_key(tmp_path):
    path = tmp_path / "people.yaml"
    path.write_text(
        "format: cchc-people/1\n"
        "commune: Vĩnh Khê\n"
        "people:\n"
        "  - name: Nguyễn Thị Lan\n"
        "    email: lan@vinhkhe\n"
        "    unit: Văn phòng\n"
        "    roles: [officer, reviewer]\n"
        "  - name: Lê Minh Tuấn\n"
        "    emial: tuan@vinhkhe.example.vn\n"
        "    roles: head\n",
        encoding="utf-8",
    )

    assert problems(path) == [
        "people.yaml, hàng 5, cột “email”: “lan@vinhkhe” không phải một địa chỉ email "
        "(một địa chỉ, không kèm tên, ví dụ lan@vinhkhe.gov.vn)",
        "people.yaml, hàng 8, cột “email”: thiếu email",
        "people.yaml, hàng 8, cột “unit”: công chức và trưởng bộ phận phải ghi đơn vị",
        "people.yaml, hàng 9, cột “emial”: không có trường “emial” (dùng: name, email, unit, roles, language, commune, in_charge)",
    ]


def test_an_xlsx_directory_is_read_from_its_first_sheet_and_its_errors_name_the_row_and_column(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Họ tên", "Email", "Đơn vị", "Vai trò", "Đơn vị phụ trách"])
    sheet.append(["Nguyễn Thị Lan", "lan.tp@vinhkhe.example.vn", "Tư pháp", "công chức", None])
    sheet.append(["Trần Văn Bình", "binh.pct@vinhkhe.example.vn", None, "Phó Chủ tịch", "Tư pháp; Văn hóa - Xã hội"])
    path = tmp_path / "danh-ba.xlsx"
    workbook.save(path)

    lan, binh = read_people(path, commune="Vĩnh Khê")
    assert (lan.name, lan.unit, lan.roles) == ("Nguyễn Thị Lan", "Tư pháp", {PersonRole.OFFICER})
    assert binh.in_charge == ("Tư pháp", "Văn hóa - Xã hội")

    sheet["D3"] = "Phó giám đốc"
    workbook.save(path)
    assert problems(path, commune="Vĩnh Khê")[0].startswith(
        "danh-ba.xlsx, hàng 3, cột “Vai trò”: không có vai trò “Phó giám đốc”"
    )


def test_a_yaml_file_of_another_format_is_refused(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("format: cchc-plan/1\nplan: {}\n", encoding="utf-8")

    assert problems(path) == ["plan.yaml, hàng 1: không phải một danh bạ (cần dòng “format: cchc-people/1”)"]


@pytest.mark.parametrize(
    "name, content, problem",
    [
        ("danh-ba.xls", b"x", "danh-ba.xls: danh bạ phải là tệp .yaml, .yml, .csv hoặc .xlsx"),
        ("danh-ba.csv", b"", "danh-ba.csv: tệp danh-ba.csv trống"),
        ("danh-ba.csv", "Họ tên;Email;Vai trò\r\n".encode(), "danh-ba.csv: danh bạ không có ai"),
    ],
)
def test_files_that_cannot_be_a_directory_are_refused(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)

    assert problems(path, commune="Vĩnh Khê") == [problem]
