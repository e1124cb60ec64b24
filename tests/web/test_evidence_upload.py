"""Evidence uploads: the size limit holds while reading, the type is decided by the content,
a file's name never becomes a path, the same content is stored once, and nothing is written
anywhere but the evidence store."""

from __future__ import annotations

import hashlib
import tempfile

import pytest

from evidence.location import evidence_store
from evidence.store import EvidenceStore, TooLarge
from tests.web.world import flash_text, form_token, pdf_bytes, task_path
from web.evidence_upload import store_upload

TASK = ("V.1", "2024-Q1")  # Văn phòng
WINDOWS_PROGRAM = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"This program cannot be run in DOS mode"
)


@pytest.fixture(scope="module")
def task_path_in_progress(world) -> str:
    path = task_path(world.task_id(*TASK))
    assert world.browser("cong-chuc-vp").post(f"/api{path}/acknowledge", json={}).status_code == 200
    return path


@pytest.fixture
def nothing_else_written(world, tmp_path, monkeypatch):
    """Fails the test if anything is written outside the evidence store: the data directory
    (the database and the security log aside) is compared before and after, and Python's temporary folder is an
    empty one of the test's own."""
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    before = _outside_the_store(world)
    yield
    assert _outside_the_store(world) == before
    assert list(spool.iterdir()) == []


def post_evidence(browser, path: str, filename: str, content: bytes, number: str = "15/QĐ-UBND") -> list[str]:
    fields = {
        "document_number": number,
        "document_date": "10/01/2024",
        "title": "Quyết định kiện toàn",
        "csrf_token": form_token(browser, path),
    }
    response = browser.post(f"{path}/evidence", data=fields, files={"file": (filename, content, "application/pdf")})
    assert response.status_code == 303, response.text
    return flash_text(browser.get(path).text)


def stored(world) -> set[str]:
    store = world.settings.data_dir / "evidence"
    return {p.name for p in store.rglob("*") if p.is_file() and not p.parent.name.startswith(".")}


def test_a_file_over_the_limit_is_refused_while_it_is_read_and_nothing_is_kept(
    world, task_path_in_progress, nothing_else_written
):
    officer = world.browser("cong-chuc-vp", max_evidence_mb=1)
    before, events = stored(world), world.event_count(world.task_id(*TASK))
    big = pdf_bytes("lớn") + b"0" * (3 * 2**19)  # 1.5 MB: passes the Content-Length check, stopped while read
    assert post_evidence(officer, task_path_in_progress, "lon.pdf", big) == ["Tệp quá lớn: tối đa 1 MB."]
    huge = pdf_bytes("rất lớn") + b"0" * (3 * 2**20)  # refused by its Content-Length before reading
    refused = officer.post(
        f"{task_path_in_progress}/evidence",
        data={"csrf_token": form_token(officer, task_path_in_progress)},
        files={"file": ("rat-lon.pdf", huge, "application/pdf")},
    )
    assert refused.status_code == 413 and refused.text == "Dữ liệu gửi lên quá lớn (tối đa 1 MB)."
    api = officer.post(
        f"/api{task_path_in_progress}/evidence/file", content=big, headers={"content-type": "application/pdf"}
    )
    assert api.status_code == 413
    assert stored(world) == before and world.event_count(world.task_id(*TASK)) == events
    assert list((world.settings.data_dir / "evidence").glob(".incoming/*")) == []


async def test_an_endless_upload_is_read_only_up_to_the_limit(tmp_path):
    read = []

    async def endless():
        yield pdf_bytes("vô tận")
        while True:
            read.append(64 * 1024)
            yield b"0" * 64 * 1024

    with pytest.raises(TooLarge):
        await store_upload(EvidenceStore(tmp_path), endless(), "vo-tan.pdf", max_bytes=2**20)
    assert sum(read) <= 2**20 + 64 * 1024
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_a_program_renamed_pdf_is_refused_by_its_content(world, task_path_in_progress, nothing_else_written):
    officer = world.browser("cong-chuc-vp")
    before = stored(world)
    messages = post_evidence(officer, task_path_in_progress, "ke-hoach.pdf", WINDOWS_PROGRAM)
    assert len(messages) == 1 and messages[0].startswith("Tệp “ke-hoach.pdf” không phải loại văn bản được nhận")
    empty = post_evidence(officer, task_path_in_progress, "trong.pdf", b"")
    assert empty == ["Tệp trống: hãy chọn tệp sản phẩm."]
    api = officer.post(
        f"/api{task_path_in_progress}/evidence/file",
        params={"filename": "x.pdf"},
        content=WINDOWS_PROGRAM,
        headers={"content-type": "application/pdf"},
    )
    assert api.status_code == 415
    assert stored(world) == before


def test_a_file_named_with_a_path_is_stored_under_its_digest_only(world, task_path_in_progress, nothing_else_written):
    officer = world.browser("cong-chuc-vp")
    content = pdf_bytes("ten tep co duong dan")
    messages = post_evidence(officer, task_path_in_progress, "../../etc/passwd.pdf", content, number="16/QĐ-UBND")
    assert messages == ["Đã nộp sản phẩm 16/QĐ-UBND."]
    digest = hashlib.sha256(content).hexdigest()
    assert (world.settings.data_dir / "evidence" / digest[:2] / digest).read_bytes() == content
    assert not (world.settings.data_dir.parent / "etc").exists()


def test_an_upload_without_a_content_type_is_refused_and_nothing_is_stored(
    world, task_path_in_progress, nothing_else_written
):
    officer = world.browser("cong-chuc-vp")
    before = stored(world)
    api = officer.post(
        f"/api{task_path_in_progress}/evidence/file", params={"filename": "x.pdf"}, content=pdf_bytes("khong kieu")
    )
    assert api.status_code == 415 and "Hãy gửi chính tệp" in api.json()["detail"]
    assert stored(world) == before


def test_the_same_file_twice_is_stored_once_and_both_submissions_are_recorded(
    world, task_path_in_progress, nothing_else_written
):
    officer = world.browser("cong-chuc-vp")
    content = pdf_bytes("cung mot tep")
    first = officer.post(
        f"/api{task_path_in_progress}/evidence/file",
        params={"filename": "a.pdf"},
        content=content,
        headers={"content-type": "application/pdf"},
    ).json()
    assert first["created"]
    again = post_evidence(officer, task_path_in_progress, "b.pdf", content, number="17/QĐ-UBND")
    assert again == ["Đã nộp sản phẩm 17/QĐ-UBND. (Tệp này đã có trong kho sản phẩm: không lưu lần hai.)"]
    assert sorted(stored(world)).count(first["sha256"]) == 1


def test_a_download_is_an_attachment_with_a_safe_name_and_only_for_its_task(world, task_path_in_progress):
    officer = world.browser("cong-chuc-vp")
    content = pdf_bytes("tai ve")
    post_evidence(officer, task_path_in_progress, "tai-ve.pdf", content, number="18/QĐ-UBND")
    digest = hashlib.sha256(content).hexdigest()
    task = world.task_id(*TASK).removeprefix("cchc-task/")

    download = officer.get(f"/evidence/{digest}", params={"task": task})
    assert download.content == content
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"] == "attachment; filename*=utf-8''18-Q%C4%90-UBND.pdf"
    assert download.headers["x-content-type-options"] == "nosniff"
    other_task = world.task_id("I.1", "2024-01").removeprefix("cchc-task/")
    assert officer.get(f"/evidence/{digest}", params={"task": other_task}).status_code == 404
    assert officer.get("/evidence/..%2F..%2Fcchc.db", params={"task": task}).status_code in (404, 422)
    assert world.browser("chu-tich-xa-khac").get(f"/evidence/{digest}", params={"task": task}).status_code == 404


def test_a_file_only_another_commune_uploaded_is_submitted_and_downloaded_as_if_it_did_not_exist(
    world, task_path_in_progress
):
    """Hashes are printed on task pages and in the manifests handed to the province: knowing one
    gives no other commune the file, nor tells it that the file is stored."""
    officer = world.browser("cong-chuc-vp")
    theirs = pdf_bytes("tệp của Long Điền A")
    foreign = evidence_store(world.settings.data_dir).put([theirs], max_bytes=2**20).sha256  # kept for another commune
    unknown = hashlib.sha256(b"never stored anywhere").hexdigest()
    task = world.task_id(*TASK).removeprefix("cchc-task/")

    def submit(digest: str):
        body = {"document_number": "19/QĐ-UBND", "document_date": "2024-01-10", "title": "Quyết định", "sha256": digest}
        return officer.post(f"/api{task_path_in_progress}/evidence", json=body)

    def download(digest: str):
        return officer.get(f"/evidence/{digest}", params={"task": task})

    submitted, refused = submit(foreign), submit(unknown)
    assert (submitted.status_code, submitted.json()) == (refused.status_code, refused.json())
    assert refused.status_code == 409
    got, missing = download(foreign), download(unknown)
    same_page = got.content.replace(foreign.encode(), unknown.encode()) == missing.content  # the address aside
    assert (got.status_code, same_page) == (missing.status_code, True) and missing.status_code == 404
    upload = officer.post(
        f"/api{task_path_in_progress}/evidence/file",
        params={"filename": "cua-xa.pdf"},
        content=theirs,
        headers={"content-type": "application/pdf"},
    ).json()
    assert upload["sha256"] == foreign and upload["created"], "new to this commune, whoever else stored it"
    assert submit(foreign).status_code == 200
    assert download(foreign).content == theirs


def _outside_the_store(world) -> dict[str, int]:
    data = world.settings.data_dir
    return {
        str(path.relative_to(data)): path.stat().st_size
        for path in data.rglob("*")
        if path.is_file()
        and path.relative_to(data).parts[0] != "evidence"
        and not path.name.startswith("cchc.db")
        and path.name != "security.log"
    }
