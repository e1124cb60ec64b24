"""Importing a plan on the web: upload, preview with due dates and warnings (or errors with
their row and column), confirm to store, then start it."""

from __future__ import annotations

import re

import pytest

from importers.canonical import write_yaml
from tests.web.world import SAMPLE, flash_text, form_token


@pytest.fixture
def small_plan_yaml(vinh_khe_plan) -> bytes:
    """Three tasks of the Vĩnh Khê plan, under a number of their own, in the canonical YAML format."""
    return write_yaml(vinh_khe_plan.model_copy(update={"number": "11/KH-UBND"})).encode()


def upload(browser, filename: str, content: bytes, **fields: str):
    token = form_token(browser, "/plans/import")
    return browser.post("/plans/import", data={"csrf_token": token, **fields}, files={"file": (filename, content)})


def test_a_plan_with_an_unreadable_period_is_refused_with_its_row_and_column(world):
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    cells = lines[236].split("\t")
    cells[5] = "Sớm nhất"
    lines[236] = "\t".join(cells)
    response = upload(world.browser("van-phong"), "ke-hoach-loi.txt", "\n".join(lines).encode())
    assert response.status_code == 422
    row = re.search(r"<tr><td>ke-hoach-loi.txt</td>.*?</tr>", response.text).group(0)
    assert '<td class="num">237</td>' in row and "Thời gian thực hiện" in row and "“Sớm nhất”" in row
    assert list((world.settings.data_dir / "imports").glob("*/*")) == []


def test_a_plan_is_previewed_with_its_due_dates_then_stored_once_confirmed_then_started(world, small_plan_yaml):
    chairman = world.browser("chu-tich")
    preview = upload(chairman, "ke-hoach-11.yaml", small_plan_yaml)
    assert preview.status_code == 200
    page = preview.text
    assert "Xem trước: 11/KH-UBND — 15/01/2024" in page
    assert "29/02/2024" in page and "08/03/2024" in page  # due dates: end of February, before the 10th of March
    assert "29/12/2023 <strong class=\"late\">(đã quá hạn khi ban hành)</strong>" in page
    token = re.search(r'name="token" value="([0-9a-f]{32})"', page).group(1)
    assert chairman.get("/plans").text.count("11/KH-UBND") == 0  # nothing stored yet

    confirm = {"csrf_token": form_token(chairman, "/plans"), "token": token, "year": "", "commune": ""}
    stored = chairman.post("/plans/import/confirm", data=confirm)
    assert stored.status_code == 303
    plan_page = stored.headers["location"]
    assert flash_text(chairman.get(plan_page).text) == [f"Đã lưu kế hoạch 11/KH-UBND (id {plan_page.rsplit('/', 1)[1]})."]
    again = chairman.post("/plans/import/confirm", data=confirm)
    assert again.headers["location"] == "/plans/import"  # the preview's file is gone once stored

    start = chairman.post(f"{plan_page}/start", data={"csrf_token": form_token(chairman, plan_page), "include_past_due": "1"})
    assert start.status_code == 200
    assert "11/KH-UBND: đã khởi động 6 nhiệm vụ" in start.text
    assert "6 nhiệm vụ đã quá hạn khi khởi động" in start.text
    second = chairman.post(f"{plan_page}/start", data={"csrf_token": form_token(chairman, plan_page), "include_past_due": "1"})
    assert "đã khởi động 0 nhiệm vụ" in second.text and "6 nhiệm vụ đã đang chạy từ trước" in second.text


def test_a_plan_of_another_commune_is_refused_to_a_commune_user(world, vinh_khe_plan):
    other = write_yaml(vinh_khe_plan.model_copy(update={"number": "12/KH-UBND", "commune": "Long Điền A",
                                                        "issuer": "UBND xã Long Điền A"})).encode()
    response = upload(world.browser("chu-tich"), "xa-khac.yaml", other)
    assert response.status_code == 403
    assert "Kế hoạch này của xã Long Điền A, không phải xã của bạn." in response.text
    assert list((world.settings.data_dir / "imports").glob("*/*")) == []


PROSE = """\
ỦY BAN NHÂN DÂN
XÃ VĨNH KHÊ
Số: 31/KH-UBND
Vĩnh Khê, ngày 02 tháng 02 năm 2024
KẾ HOẠCH
Khắc phục hạn chế chỉ số CCHC năm 2024
II. NHIỆM VỤ, GIẢI PHÁP
1. Niêm yết thủ tục hành chính tại Bộ phận một cửa
- Cơ quan chủ trì: Văn phòng
- Thời gian thực hiện: Quý II/2024
2. Tổ chức đối thoại với Nhân dân
- Cơ quan thực hiện: Tư pháp
"""


def test_a_prose_plan_is_previewed_task_by_task_beside_its_source_with_its_warnings_then_stored(world):
    chairman = world.browser("chu-tich")
    preview = upload(chairman, "ke-hoach-31.txt", PROSE.encode())
    assert preview.status_code == 200
    page = preview.text
    assert "Kế hoạch viết dạng văn xuôi: đây là bản nháp." in page
    row = re.search(r'<tr class="warn" id="task-II.2">.*?</tr>', page, re.DOTALL).group(0)
    assert "II.2 không ghi thời gian thực hiện" in row
    assert "dòng 11–12" in row and "- Cơ quan thực hiện: Tư pháp" in row
    first = re.search(r'<tr id="task-II.1">.*?</tr>', page, re.DOTALL).group(0)
    assert "dòng 8–10" in first and "Niêm yết thủ tục hành chính tại Bộ phận một cửa" in first
    token = re.search(r'name="token" value="([0-9a-f]{32})"', page).group(1)

    confirm = {"csrf_token": form_token(chairman, "/plans"), "token": token, "year": "", "commune": ""}
    stored = chairman.post("/plans/import/confirm", data=confirm)
    assert stored.status_code == 303 and stored.headers["location"].startswith("/plans/")
    assert "31/KH-UBND" in chairman.get("/plans").text


def test_a_prose_draft_with_a_task_nobody_leads_cannot_be_confirmed(world):
    chairman = world.browser("chu-tich")
    text = PROSE.replace("- Cơ quan thực hiện: Tư pháp\n", "- Thời gian thực hiện: Tháng 5/2024\n").replace("31/KH", "32/KH")
    page = upload(chairman, "ke-hoach-32.txt", text.encode()).text
    assert "Bản nháp có nhiệm vụ chưa có cơ quan chủ trì (II.2)" in page
    assert "/plans/import/confirm" not in page
    (kept,) = (world.settings.data_dir / "imports").glob("*-*/ke-hoach-32.txt")  # posted anyway: refused
    confirm = {"csrf_token": form_token(chairman, "/plans"), "token": kept.parent.name.split("-", 1)[1], "year": "", "commune": ""}
    refused = chairman.post("/plans/import/confirm", data=confirm)
    assert refused.headers["location"] == "/plans/import"
    assert "Bản nháp có nhiệm vụ chưa có cơ quan chủ trì (II.2)" in " ".join(flash_text(chairman.get("/plans/import").text))
    assert "32/KH-UBND" not in chairman.get("/plans").text


def test_the_preview_counts_the_rows_by_fate_and_lists_each_skipped_row_naming_a_time(world):
    table = (
        "STT,Nội dung,Chủ trì,Thời hạn,Ghi chú\n"
        "1,Ban hành kế hoạch,Văn phòng,Tháng 1/2024,\n"
        ",,,,Quý II/2024\n"
        "2,Rà soát TTHC,Văn phòng,Quý I/2024,\n"
    )
    response = upload(world.browser("van-phong"), "bang.csv", table.encode(), year="2024")
    assert response.status_code == 200, response.text
    page = response.text
    assert "Các hàng, dòng của tệp đã được đọc thành" in page
    assert "<li><strong>2</strong> nhiệm vụ</li>" in page and "<li><strong>1</strong> bỏ qua</li>" in page
    skipped = re.search(r'<table class="rows-to-see">.*?</table>', page, re.DOTALL).group(0)
    assert "<td>hàng 3</td>" in skipped and "<td>Quý II/2024</td>" in skipped
