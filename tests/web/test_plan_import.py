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
