"""A commune's people never see another commune's data. Every route of the application, page
and API, asked by the people of Long Điền A (its chairman, office, officer, administrator and
appraiser) about Vĩnh Khê's plan, tasks, evidence, accounts, self-assessment and round, answers
403 or 404 and changes nothing; every route they may open shows nothing of Vĩnh Khê. Vĩnh Khê's
evidence hash, known to Long Điền A, is on Long Điền A's own task a hash that does not exist;
the unit statistics they read count Long Điền A's tasks only.

The routes are read from the application itself: a route added without a case here fails
`test_every_route_of_the_application_is_covered`."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import delete, func, select

from config import Settings
from persistence.round_tables import RoundEventRow
from persistence.tables import PlanRow
from persistence.task_tables import TaskEventRow, TaskRunRow
from persistence.user_tables import UserRow
from tests.web.test_authorization import ACTIONS
from tests.web.world import COMMUNE, CSRF, OTHER_COMMUNE, form_token, pdf_bytes, task_path
from web.app import create_app
from workflows.contracts import task_workflow_id

OUTSIDERS = ["chu-tich-xa-khac", "van-phong-xa-khac", "cong-chuc-xa-khac", "quan-tri-xa-khac", "tham-dinh-xa-khac"]
TASK = ("IV.1", "2024-Q1")  # Vĩnh Khê, led by Văn phòng; given an evidence file below
EVIDENCE = pdf_bytes("kế hoạch tuyên truyền của Vĩnh Khê")
YEAR = 2024

# Routes that hold nobody's data: signing in and out, one's own password, the API's description.
OPEN_ROUTES = {"/login", "/logout", "/password", "/openapi.json", "/docs", "/docs/oauth2-redirect"}
# A path parameter that names a commune's own thing: asked about Vĩnh Khê, the answer is 403 or 404.
SCOPED_PARAMETERS = {"plan_id", "task_code", "occurrence_key", "sha256", "user_id", "commune"}
# Path parameters that name nothing of a commune by themselves (a unit name, a year).
SHARED_PARAMETERS = {"name", "year"}
# JSON bodies of the API's actions, by the path's last segment (valid, so only authorisation can refuse).
API_BODIES = {action: bodies[1] for action, bodies in ACTIONS.items()}
FORM_FIELDS = {action: bodies[0] for action, bodies in ACTIONS.items()}


def application_routes() -> list[tuple[str, str]]:
    return sorted(
        (method, route.path)
        for route in _api_routes(create_app(Settings()).routes)
        for method in _methods(route)
        if method != "HEAD" and route.path not in OPEN_ROUTES
    )


def _methods(route: APIRoute) -> set[str]:
    assert route.methods is not None, f"FastAPI gives every APIRoute its methods: {route.path}"
    return route.methods


def _api_routes(routes) -> list[APIRoute]:
    """Every APIRoute, also inside the routers the application includes."""
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):  # FastAPI ≥ 0.165 wraps each included router
            found += _api_routes(route.original_router.routes)
    return found


ROUTES = application_routes()


def parameters(path: str) -> set[str]:
    return {part[1:-1].split(":")[0] for part in path.split("/") if part.startswith("{")}


def test_every_route_of_the_application_is_covered():
    unknown = {path: parameters(path) - SCOPED_PARAMETERS - SHARED_PARAMETERS for _, path in ROUTES}
    assert {path: names for path, names in unknown.items() if names} == {}, "teach this test these parameters"
    posted_json = [
        path
        for method, path in ROUTES
        if method == "POST"
        and path.startswith("/api/")
        and path.rsplit("/", 1)[-1] not in API_BODIES
        and not path.endswith("/evidence/file")
    ]
    assert posted_json == [], "give these API actions a valid body in API_BODIES"


@pytest.fixture(scope="module")
def vinh_khe(world):
    """What Vĩnh Khê has that Long Điền A must not see: an evidence file on one of its tasks,
    and its PAR round."""
    world.open_round()
    officer = world.browser("cong-chuc-vp")
    path = task_path(world.task_id(*TASK))
    assert officer.post(f"/api{path}/acknowledge", json={}).status_code == 200
    fields = {
        "document_number": "21/KH-UBND",
        "document_date": "15/02/2024",
        "title": "Kế hoạch tuyên truyền",
        "csrf_token": form_token(officer, path),
    }
    response = officer.post(f"{path}/evidence", data=fields, files={"file": ("kh.pdf", EVIDENCE, "application/pdf")})
    assert response.status_code == 303, response.text
    with world.sessions() as session:
        office_id = session.scalar(select(UserRow.id).where(UserRow.username == "van-phong"))
    return {
        "plan_id": world.plan_id,
        "task_code": TASK[0],
        "occurrence_key": TASK[1],
        "sha256": hashlib.sha256(EVIDENCE).hexdigest(),
        "user_id": office_id,
        "commune": COMMUNE,
        "name": "Văn phòng",
        "year": YEAR,
    }


@pytest.fixture
def untouched(world, vinh_khe):
    """Asserts, after the test, that nothing was recorded, stored or changed anywhere."""
    before = _everything(world)
    yield
    assert _everything(world) == before


def _everything(world) -> tuple:
    with world.sessions() as session:
        counts = tuple(
            session.scalar(select(func.count()).select_from(table)) for table in (TaskEventRow, RoundEventRow, UserRow)
        )
        accounts = sorted(session.execute(select(UserRow.username, UserRow.active, UserRow.session_version)).all())
    store = world.settings.data_dir / "evidence"
    files = sorted(str(path) for path in store.rglob("*") if path.is_file())
    return counts, accounts, files, world.history_length(world.task_id(*TASK))


def url(path: str, values: dict) -> str:
    for name in parameters(path):
        path = path.replace(f"{{{name}}}", quote(str(values[name]), safe=""))
    return path


def ask(browser, method: str, path: str, values: dict):
    target = url(path, values)
    query = {"task": f"{values['plan_id']}/{values['task_code']}/{values['occurrence_key']}"}
    if method == "GET":
        return browser.get(target, params=query)
    action = path.rsplit("/", 1)[-1]
    if path.startswith("/api/"):
        if path.endswith("/evidence/file"):
            return browser.post(
                target,
                params={"filename": "x.pdf"},
                content=pdf_bytes("x"),
                headers={"content-type": "application/pdf"},
            )
        return browser.post(target, json=API_BODIES[action])
    return browser.post(target, data={**FORM_FIELDS.get(action, {}), "csrf_token": session_token(browser)})


def session_token(browser) -> str:
    """The session's CSRF token, from the first page this user may open that holds a form."""
    for page in ("/", "/me", "/plans"):
        found = CSRF.search(browser.get(page).text)
        if found:
            return found.group(1)
    raise AssertionError("no page with a form for this user")


def scoped(path: str) -> bool:
    return bool(parameters(path) & SCOPED_PARAMETERS)


def vinh_khe_marks(world) -> list[str]:
    """What would give Vĩnh Khê away in a page, a JSON answer or a file (not the address asked
    for, which a page may repeat): its name, its plan's number, its task's title, its evidence."""
    with world.sessions() as session:
        plan_number = session.scalar(select(PlanRow.number).where(PlanRow.id == world.plan_id))
        title = session.scalar(select(TaskRunRow.title).where(TaskRunRow.workflow_id == world.task_id(*TASK)))
    return [COMMUNE, plan_number, title, "21/KH-UBND"]


def texts(content: bytes) -> list[str]:
    """The text of an answer, and of every file inside it when it is an archive (a .zip, .docx
    or .xlsx), so that nothing hides in a compressed part."""
    found = [content.decode("utf-8", "replace")]
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for member in archive.namelist():
                found += texts(archive.read(member))
                found.append(member)
    return found


@pytest.mark.parametrize("user", OUTSIDERS)
@pytest.mark.parametrize(("method", "path"), [route for route in ROUTES if scoped(route[1])])
def test_a_route_of_vinh_khe_answers_403_or_404_to_the_people_of_long_dien_a(
    world, vinh_khe, untouched, user, method, path
):
    response = ask(world.browser(user), method, path, vinh_khe)
    assert response.status_code in (403, 404), response.text[:300]
    asked = url(path, vinh_khe)  # an error page may repeat the address, and so the commune named in it
    marks = [mark for mark in vinh_khe_marks(world) if mark not in asked and quote(mark, safe="") not in asked]
    assert not any(mark in text for text in texts(response.content) for mark in marks)


@pytest.mark.parametrize("user", OUTSIDERS)
@pytest.mark.parametrize("path", [path for method, path in ROUTES if method == "GET" and not scoped(path)])
def test_a_page_the_people_of_long_dien_a_may_open_shows_nothing_of_vinh_khe(world, vinh_khe, user, path):
    response = ask(world.browser(user), "GET", path, {**vinh_khe, "commune": OTHER_COMMUNE})
    assert response.status_code < 500
    shown = [mark for text in texts(response.content) for mark in vinh_khe_marks(world) if mark in text]
    assert shown == [], f"{path} shows {shown}"


@pytest.mark.parametrize("user", OUTSIDERS)
@pytest.mark.parametrize("path", [path for method, path in ROUTES if method == "GET" and "{commune}" in path])
def test_long_dien_a_own_pages_and_exports_hold_nothing_of_vinh_khe(world, vinh_khe, user, path):
    response = ask(world.browser(user), "GET", path, {**vinh_khe, "commune": OTHER_COMMUNE})
    assert response.status_code < 500
    shown = [mark for text in texts(response.content) for mark in vinh_khe_marks(world) if mark in text]
    assert shown == [], f"{path} shows {shown}"


@pytest.mark.parametrize("user", OUTSIDERS)
def test_an_upload_naming_vinh_khe_plan_as_the_plan_it_amends_answers_403_or_404(world, vinh_khe, untouched, user):
    """A form field that names a plan (the import page's `amends`) is scoped as a path parameter
    is: refused before the file is kept."""
    browser = world.browser(user)
    fields = {"csrf_token": session_token(browser), "amends": str(vinh_khe["plan_id"])}
    response = browser.post("/plans/import", data=fields, files={"file": ("dieu-chinh.yaml", b"format: cchc-plan/1\n")})
    assert response.status_code in (403, 404)
    assert list((world.settings.data_dir / "imports").glob("*/dieu-chinh.yaml")) == []


def test_the_people_of_vinh_khe_do_see_its_task_and_evidence(world, vinh_khe):
    """The refusals above are about the commune, not a broken route: the same requests by
    Vĩnh Khê's own people are answered."""
    chairman = world.browser("chu-tich")
    assert chairman.get(url("/tasks/{plan_id}/{task_code}/{occurrence_key}", vinh_khe)).status_code == 200
    download = ask(chairman, "GET", "/evidence/{sha256}", vinh_khe)
    assert download.content == EVIDENCE
    assert json.loads(chairman.get("/api/tasks").text)["tasks"]


# --- Long Điền A's own task, citing Vĩnh Khê's evidence hash --------------------------------------

OWN_TASK = task_workflow_id(9_999, "I.1", "2024-Q1")  # Long Điền A's, led by its Văn phòng
UNKNOWN = hashlib.sha256(b"stored nowhere").hexdigest()


@pytest.fixture(scope="module")
def own_task(world, vinh_khe):
    """A task of Long Điền A whose history cites Vĩnh Khê's evidence hash, as a submission
    recorded before stored files belonged to a commune would: its read model only (refusals
    come before any workflow is asked), removed after this module. Its `task` reference."""
    source = world.task_id(*TASK)
    with world.sessions.begin() as session:
        run = session.get(TaskRunRow, source)
        assert run is not None
        session.add(
            TaskRunRow(
                **{column: getattr(run, column) for column in ("state", "due_date", "escalation_level", "last_seq")},
                workflow_id=OWN_TASK,
                commune=OTHER_COMMUNE,
                plan_id=9_999,
                task_code="I.1",
                occurrence_key="2024-Q1",
                title="Nhiệm vụ của Long Điền A",
                lead=["Văn phòng"],
                updated_at=run.updated_at,
            )
        )
        for event in world.events(source):
            copied = ("seq", "at", "kind", "state", "actor", "role", "detail", "payload")
            session.add(TaskEventRow(workflow_id=OWN_TASK, **{column: getattr(event, column) for column in copied}))
    yield OWN_TASK.removeprefix("cchc-task/")
    with world.sessions.begin() as session:
        session.execute(delete(TaskEventRow).where(TaskEventRow.workflow_id == OWN_TASK))
        session.execute(delete(TaskRunRow).where(TaskRunRow.workflow_id == OWN_TASK))


def test_vinh_khe_evidence_hash_submitted_on_long_dien_a_own_task_answers_as_an_unknown_hash(world, vinh_khe, own_task):
    officer = world.browser("cong-chuc-xa-khac")  # of Long Điền A's Văn phòng: may submit on its task
    path = f"/api/tasks/{own_task}/evidence"
    known, unknown = (
        officer.post(path, json={**API_BODIES["evidence"], "sha256": digest})
        for digest in (vinh_khe["sha256"], UNKNOWN)
    )
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    assert unknown.status_code == 409


@pytest.mark.parametrize("user", OUTSIDERS)
def test_vinh_khe_evidence_cited_by_long_dien_a_own_task_downloads_as_an_unknown_hash(world, vinh_khe, own_task, user):
    browser = world.browser(user)
    known = browser.get(f"/evidence/{vinh_khe['sha256']}", params={"task": own_task})
    unknown = browser.get(f"/evidence/{UNKNOWN}", params={"task": own_task})
    assert known.status_code == unknown.status_code == 404
    assert known.content.replace(vinh_khe["sha256"].encode(), UNKNOWN.encode()) == unknown.content
    assert EVIDENCE not in known.content


@pytest.mark.parametrize("user", OUTSIDERS)
def test_the_unit_statistics_long_dien_a_reads_count_its_own_tasks_only(world, vinh_khe, own_task, user):
    page = world.browser(user).get(url("/units/{name}", vinh_khe)).text
    counted = re.search(r"(\d+) kỳ thực hiện", page)
    assert counted is not None and counted.group(1) == "1", "Long Điền A's Văn phòng leads one task"
