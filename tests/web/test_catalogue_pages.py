"""The criteria sets in the browser, as `cchc catalogue import FILE` takes them: the file
uploaded and shown, stored only when confirmed, never twice; a bad file named with its fault
and nothing stored; imported only by whoever opens communes' rounds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from persistence.catalogue_tables import CatalogueRow
from tests.web.world import flash_text, form_token

SAMPLE = Path(__file__).parents[2] / "importers" / "samples" / "sample-criteria-2025.yaml"
YEAR = "2031"  # a year no other test's catalogue is of


def stored(world) -> int:
    with world.sessions() as session:
        return session.scalar(select(func.count()).select_from(CatalogueRow))


def uploads(world) -> set[Path]:
    """The criteria files kept between their preview and their confirmation."""
    folder = world.settings.data_dir / "catalogue-imports"
    return set(folder.rglob("*")) if folder.is_dir() else set()


def upload(browser, content: bytes, name: str = "bo-tieu-chi.yaml", **fields: str):
    data = {"csrf_token": form_token(browser, "/catalogues"), **fields}
    return browser.post("/catalogues/import", data=data, files={"file": (name, content)})


def confirm(browser, preview: str, year: str = YEAR):
    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview)
    assert token, "the preview offers to store the set"
    data = {"csrf_token": form_token(browser, "/catalogues"), "token": token.group(1), "year": year}
    return browser.post("/catalogues/import/confirm", data=data)


def test_the_administrator_sees_the_set_before_it_is_stored_and_stores_it_once(world):
    admin = world.browser("quan-tri")
    before = stored(world)
    preview = upload(admin, SAMPLE.read_bytes(), year=YEAR)
    assert preview.status_code == 200
    assert f"Tỉnh mẫu, năm {YEAR}: Quyết định số" in preview.text
    assert "1. Công tác chỉ đạo, điều hành CCHC" in preview.text and "Lưu bộ tiêu chí này" in preview.text
    assert stored(world) == before, "the preview stores nothing"

    assert confirm(admin, preview.text).status_code == 303
    page = admin.get("/catalogues").text
    (message,) = flash_text(page)
    assert message.startswith("Đã lưu bộ tiêu chí “Bộ tiêu chí mẫu") and stored(world) == before + 1
    assert f'<td class="num" data-label="Năm">{YEAR}</td>' in page

    again = upload(admin, SAMPLE.read_bytes(), year=YEAR)
    assert "Bộ tiêu chí này đã có (id" in again.text and "Lưu bộ tiêu chí này" not in again.text
    assert stored(world) == before + 1


def test_a_set_changed_under_a_stored_decision_is_refused_on_its_preview(world):
    admin = world.browser("quan-tri")
    assert confirm(admin, upload(admin, SAMPLE.read_bytes(), year="2032").text, year="2032").status_code == 303
    changed = SAMPLE.read_text(encoding="utf-8").replace("Công tác chỉ đạo, điều hành CCHC", "Chỉ đạo, điều hành")
    before = stored(world)
    preview = upload(admin, changed.encode(), year="2032")
    assert "bộ tiêu chí đã ban hành không được sửa" in preview.text and "Lưu bộ tiêu chí này" not in preview.text
    assert stored(world) == before


def test_a_file_that_is_no_criteria_set_is_named_with_its_fault_and_nothing_is_stored(world):
    admin = world.browser("quan-tri")
    before, kept = stored(world), uploads(world)
    answer = upload(admin, b"format: cchc-criteria/1\nname: thieu\n", name="sai.yaml")
    assert answer.status_code == 422
    assert "Tệp bộ tiêu chí có lỗi, chưa lưu gì" in answer.text and "sai.yaml" in answer.text
    assert stored(world) == before
    assert uploads(world) == kept, "the refused file is not kept"


@pytest.mark.parametrize("user", ["chu-tich", "van-phong", "quan-tri-xa-khac", "giam-sat"])
def test_the_commune_and_those_who_open_no_round_may_not_import_a_set(world, user):
    browser = world.browser(user)
    assert browser.get("/catalogues").status_code == 403
    token = form_token(browser, "/plans" if user != "giam-sat" else "/supervision/2024")
    answer = browser.post(
        "/catalogues/import", data={"csrf_token": token}, files={"file": ("b.yaml", SAMPLE.read_bytes())}
    )
    assert answer.status_code == 403


def test_an_appraiser_imports_the_set_of_its_communes_province_only(world):
    world.open_round()  # Vĩnh Khê is now of the sample's province
    appraiser = world.browser("tham-dinh")
    assert "Lưu bộ tiêu chí này" in upload(appraiser, SAMPLE.read_bytes(), year="2033").text
    refused = upload(appraiser, SAMPLE.read_bytes(), year="2033", province="Tỉnh Quảng Trị")
    assert refused.status_code == 403
    assert "Bộ tiêu chí này của Tỉnh Quảng Trị, không phải tỉnh có xã đồng chí thẩm định." in refused.text
