"""The draft editor on the web, without a script: a prose plan's tasks corrected field by field
beside their source, with tasks added, deleted, merged and split; a field that cannot be read
comes back with its error and everything typed; the draft is confirmed, stored, then started.
The plan's head is corrected the same way, a value the reader guessed marked on its field."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from persistence.tables import PlanRow
from tests.web.test_plan_import import PROSE, upload
from tests.web.world import flash_text, form_token

FIELD = re.compile(r'name="([0-9a-f]{8})\.(\w+)" value="([^"]*)"')
TOKEN = re.compile(r'name="token" value="([0-9a-f]{32})"')


def fields(page: str) -> dict[str, dict[str, str]]:
    """Each task's one-line fields as the page shows them, by task key, in the page's order."""
    tasks: dict[str, dict[str, str]] = {}
    for key, name, value in FIELD.findall(page):
        tasks.setdefault(key, {})[name] = html.unescape(value)
    return tasks


def task_card(page: str, code: str) -> str:
    card = re.search(rf'<fieldset class="draft-task[^"]*" id="task-{re.escape(code)}">.*?</fieldset>', page, re.DOTALL)
    assert card is not None, f"the editor shows task {code}"
    return card.group(0)


def submit(browser, page: str, op: str = "save", **changes: str):
    """The editor's form as the page holds it, with `changes` ("<key>.<field>": value), sent with button `op`."""
    data = {f"{key}.{name}": value for key, values in fields(page).items() for name, value in values.items()}
    data |= {name.replace("__", "."): value for name, value in changes.items()}
    token = TOKEN.search(page)
    assert token is not None
    data |= {"csrf_token": form_token(browser, "/plans"), "token": token.group(1), "op": op}
    return browser.post("/plans/import/draft", data=data)


def edit(key: str, field: str) -> str:
    return f"{key}__{field}"


def stored_numbers(world) -> list[str]:
    with world.sessions() as session:
        return list(session.scalars(select(PlanRow.number)))


def test_a_prose_plan_opens_as_a_draft_each_task_beside_its_source_with_its_warnings(world):
    chairman = world.browser("chu-tich")
    page = upload(chairman, "ke-hoach-61.txt", PROSE.replace("31/KH", "61/KH").encode()).text
    assert "Bản nháp kế hoạch: 61/KH-UBND — 02/02/2024" in page
    second = task_card(page, "II.2")
    assert 'class="draft-task warn"' in second and "II.2 không ghi thời gian thực hiện" in second
    assert "dòng 11–12" in second and "- Cơ quan thực hiện: Tư pháp" in second
    first = task_card(page, "II.1")
    assert "dòng 8–10" in first and "Niêm yết thủ tục hành chính tại Bộ phận một cửa" in first
    assert "28/06/2024 · hạn là ngày cuối kỳ; trùng ngày nghỉ thì là ngày làm việc liền trước" in first
    assert "61/KH-UBND" not in stored_numbers(world)  # nothing stored before it is confirmed


def test_a_bad_time_is_refused_on_its_field_and_everything_typed_is_kept(world):
    chairman = world.browser("chu-tich")
    page = upload(chairman, "ke-hoach-62.txt", PROSE.replace("31/KH", "62/KH").encode()).text
    first, second = fields(page)
    answer = submit(
        chairman,
        page,
        **{
            edit(first, "title"): "Niêm yết công khai thủ tục hành chính",
            edit(first, "period"): "Sớm nhất có thể",
            edit(second, "lead"): "Tư pháp, Văn phòng",
        },
    )
    assert answer.status_code == 422
    card = task_card(answer.text, "II.1")
    error = re.search(r'<label class=" invalid">Thời gian.*?</label>', card, re.DOTALL)
    assert error is not None and "không đọc được thời hạn “Sớm nhất có thể”" in error.group(0)
    again = fields(chairman.get(f"/plans/import/draft?token={TOKEN.search(page).group(1)}").text)
    assert again[first]["period"] == "Sớm nhất có thể" and again[second]["lead"] == "Tư pháp, Văn phòng"
    assert "Niêm yết công khai thủ tục hành chính" in answer.text
    refused = submit(chairman, answer.text, "confirm")
    assert refused.status_code == 422 and "62/KH-UBND" not in stored_numbers(world)


def test_a_draft_with_a_task_nobody_leads_is_confirmed_once_its_lead_is_written_then_offers_to_start(world):
    chairman = world.browser("chu-tich")
    text = PROSE.replace("- Cơ quan thực hiện: Tư pháp\n", "").replace("31/KH", "63/KH")
    page = upload(chairman, "ke-hoach-63.txt", text.encode()).text
    refused = submit(chairman, page, "confirm")
    assert refused.status_code == 422
    assert "nhiệm vụ II.2 không có bộ phận chủ trì" in task_card(refused.text, "II.2")
    assert "63/KH-UBND" not in stored_numbers(world)
    _, second = fields(refused.text)
    stored = submit(
        chairman, refused.text, "confirm", **{edit(second, "lead"): "Tư pháp", edit(second, "period"): "Quý III/2024"}
    )
    assert stored.status_code == 303
    plan_page = chairman.get(stored.headers["location"]).text
    assert flash_text(plan_page) == [f"Đã lưu kế hoạch 63/KH-UBND (id {stored.headers['location'].rsplit('/', 1)[1]})."]
    assert f'action="{stored.headers["location"]}/start"' in plan_page
    assert "30/09/2024" in plan_page  # Quý III/2024 as corrected
    assert list((world.settings.data_dir / "imports").glob("*/ke-hoach-63.txt")) == []


def test_tasks_are_added_split_merged_and_deleted_and_each_step_is_kept(world):
    chairman = world.browser("chu-tich")
    page = upload(chairman, "ke-hoach-64.txt", PROSE.replace("31/KH", "64/KH").encode()).text
    first, second = fields(page)
    split = submit(chairman, page, f"split:{first}", **{edit(first, "title"): "Niêm yết TTHC"})
    assert next(iter(fields(split.text))) == first and len(fields(split.text)) == 3
    assert [values["number"] for values in fields(split.text).values()] == ["1", "1-2", "2"]
    copy = list(fields(split.text))[1]
    merged = submit(chairman, split.text, f"merge:{copy}")
    assert [values["number"] for values in fields(merged.text).values()] == ["1", "1-2"]
    assert "Niêm yết TTHC; Tổ chức đối thoại với Nhân dân" in merged.text
    added = submit(chairman, merged.text, f"add:{first}")
    assert [values["number"] for values in fields(added.text).values()] == ["1", "2", "1-2"]
    new = list(fields(added.text))[1]
    deleted = submit(chairman, added.text, f"delete:{new}")
    assert list(fields(deleted.text)) == [first, copy]
    assert second not in fields(deleted.text)


def test_the_due_dates_of_a_time_are_read_with_the_plans_calendar_while_it_is_typed(world):
    chairman = world.browser("chu-tich")
    page = upload(chairman, "ke-hoach-65.txt", PROSE.replace("31/KH", "65/KH").encode()).text
    token = TOKEN.search(page).group(1)
    quarter = chairman.get("/plans/import/draft/due", params={"token": token, "period": "Quý I/2024"}).json()
    assert quarter == {
        "text": "29/03/2024 · hạn là ngày cuối kỳ; trùng ngày nghỉ thì là ngày làm việc liền trước",
        "error": False,
    }
    wrong = chairman.get("/plans/import/draft/due", params={"token": token, "period": "Sớm nhất"}).json()
    assert wrong == {"text": "không đọc được thời hạn “Sớm nhất”", "error": True}
    stranger = world.browser("van-phong").get(
        "/plans/import/draft/due", params={"token": token, "period": "Quý I/2024"}
    )
    assert stranger.status_code == 422  # another person's upload is not theirs to read


def test_a_table_plans_preview_opens_in_the_editor_and_its_prose_cannot_bypass_the_draft(world):
    office = world.browser("van-phong")
    table = "STT,Nội dung,Chủ trì,Thời hạn\n1,Ban hành kế hoạch,Văn phòng,Tháng 1/2024\n"
    preview = upload(office, "bang-66.csv", table.encode(), year="2024").text
    token = TOKEN.search(preview).group(1)
    assert f"/plans/import/draft?token={token}&amp;year=2024" in preview
    editor = office.get(f"/plans/import/draft?token={token}&year=2024").text
    assert "31/01/2024 · hạn là ngày cuối kỳ" in editor and "Ban hành kế hoạch" in editor

    chairman = world.browser("chu-tich")
    prose = upload(chairman, "ke-hoach-67.txt", PROSE.replace("31/KH", "67/KH").encode()).text
    bypass = {"csrf_token": form_token(chairman, "/plans"), "token": TOKEN.search(prose).group(1)}
    sent = chairman.post("/plans/import/confirm", data=bypass)
    assert sent.headers["location"].startswith("/plans/import/draft?token=")
    assert "67/KH-UBND" not in stored_numbers(world)


def test_the_editors_only_script_is_the_sites_own_file_and_no_page_runs_an_inline_one(world):
    chairman = world.browser("chu-tich")
    answer = upload(chairman, "ke-hoach-68.txt", PROSE.replace("31/KH", "68/KH").encode())
    policy = answer.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert re.findall(r"<script[^>]*>", answer.text) == ['<script src="/static/draft_editor.js" defer>']
    script = chairman.get("/static/draft_editor.js")
    assert script.status_code == 200 and "/plans/import/draft/due" in script.text


def test_a_nul_typed_in_the_editor_is_refused_and_the_kept_draft_is_unchanged(world):
    chairman = world.browser("chu-tich")
    page = upload(chairman, "ke-hoach-69.txt", PROSE.replace("31/KH", "69/KH").encode()).text
    (kept,) = (world.settings.data_dir / "imports").glob(f"*-{TOKEN.search(page).group(1)}/.ban-nhap.yaml")
    before = kept.read_text(encoding="utf-8")
    first, _ = fields(page)
    answer = submit(chairman, page, **{edit(first, "title"): "Niêm yết\x00"})
    assert answer.status_code == 400
    assert kept.read_text(encoding="utf-8") == before


HEAD_FIELD = re.compile(r'name="plan\.(\w+)" value="([^"]*)"')


def head(page: str) -> dict[str, str]:
    """The plan's head as the editor's fields show it."""
    return {name: html.unescape(value) for name, value in HEAD_FIELD.findall(page)}


def head_label(page: str, field: str) -> str:
    label = re.search(rf'<label class="[^"]*">[^<]*<input name="plan\.{field}".*?</label>', page, re.DOTALL)
    assert label is not None, f"the editor shows the plan's {field}"
    return label.group(0)


def test_the_plans_guessed_number_and_date_are_marked_refused_until_corrected_and_a_new_year_moves_the_dues(world):
    chairman = world.browser("chu-tich")
    unnumbered = PROSE.replace("Số: 31/KH-UBND\n", "").replace("Vĩnh Khê, ngày 02 tháng 02 năm 2024\n", "")
    page = upload(chairman, "ke-hoach-70.txt", unnumbered.replace("Quý II/2024", "Quý II").encode()).text
    assert head(page) == {
        "number": "ke-hoach-70",
        "date": "01/01/2024",
        "year": "2024",
        "issuer": "UBND xã Vĩnh Khê",
        "commune": "Vĩnh Khê",
        "title": "Khắc phục hạn chế chỉ số CCHC năm 2024",
    }
    assert "guessed" in head_label(page, "number") and "dùng tên tệp “ke-hoach-70”" in head_label(page, "number")
    assert "dùng ngày 01/01/2024" in head_label(page, "date") and "guessed" not in head_label(page, "issuer")
    refused = submit(chairman, page, "confirm")
    assert refused.status_code == 422 and "ke-hoach-70" not in stored_numbers(world)
    assert "số kế hoạch “ke-hoach-70” không đúng dạng (ví dụ 45/KH-UBND)" in head_label(refused.text, "number")

    _, second = fields(page)
    typed = {"plan__number": "70 /KH-UBND", "plan__date": "15/03/2025", "plan__year": "2025"}
    other = submit(
        chairman, refused.text, "confirm", **typed, plan__commune="Long Điền A", **{edit(second, "lead"): "Tư pháp"}
    )
    assert other.status_code == 422 and "70/KH-UBND" not in stored_numbers(world)
    assert "Kế hoạch này của xã Long Điền A, không phải xã của đồng chí." in head_label(other.text, "commune")
    kept = chairman.get(f"/plans/import/draft?token={TOKEN.search(page).group(1)}").text
    assert head(kept) == {
        "number": "70/KH-UBND",
        "date": "15/03/2025",
        "year": "2025",
        "issuer": "UBND xã Vĩnh Khê",
        "commune": "Long Điền A",
        "title": "Khắc phục hạn chế chỉ số CCHC năm 2024",
    }
    assert fields(kept)[second]["lead"] == "Tư pháp" and "guessed" not in head_label(kept, "number")
    assert "30/06/2025 · hạn là ngày cuối kỳ" in task_card(kept, "II.1")  # "Quý II" of the new year

    bad_date = submit(chairman, kept, "save", plan__commune="Vĩnh Khê", plan__date="31/02/2025")
    assert bad_date.status_code == 422
    assert "ngày ban hành “31/02/2025” không đọc được (dd/mm/yyyy)" in head_label(bad_date.text, "date")
    stored = submit(chairman, bad_date.text, "confirm", plan__date="15/03/2025")
    assert stored.status_code == 303, stored.text
    plan_page = chairman.get(stored.headers["location"]).text
    assert "70/KH-UBND" in stored_numbers(world) and "15/03/2025" in plan_page and "30/06/2025" in plan_page
