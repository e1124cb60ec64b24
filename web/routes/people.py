"""The people directory in the browser: who of a commune receives its emails, who leads which
unit, which Phó Chủ tịch is in charge of which units, and the accounts of those people.

The chairman, the office (reviewer) and an administrator change it; a Phó Chủ tịch and an
auditor read it; nobody else sees it. A directory file (.csv, .xlsx, .yaml) is read by the
CLI's reader in a child process (web.reading_apart), shown, and stored only when confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from domain.calendar import TZ
from domain.people import Person, PersonRole, distinct_units, in_charge_of, in_unit, ordered_roles
from domain.roles import Role
from importers.errors import PlanInputError, describe
from importers.people import read_people, typed_person
from notifications.outbox import requeue_unroutable
from persistence.people import DirectoryEntry, directory, replace_directory, save_person, set_person_active
from persistence.users import (
    COMMUNE_ROLES,
    NewUser,
    User,
    get_user,
    list_users,
    normal_username,
)
from web.auth import check_csrf, require_role, sees_commune, signed_in
from web.errors import BadInput, Forbidden, NotFound
from web.form_stream import read_upload
from web.plan_uploads import UploadGone, forget_upload, keep_upload, upload_path
from web.reading_apart import read_apart
from web.routes.admin import create_account, give_password
from web.routes.forms import SignedForm, signed_form
from web.routes.params import RowId
from web.runtime import Runtime, runtime
from web.templating import render

router = APIRouter(include_in_schema=False)
EDITORS = (Role.CHAIRMAN, Role.REVIEWER, Role.ADMIN)
READERS = (*EDITORS, Role.VICE_CHAIRMAN, Role.AUDITOR)
UPLOADS_FOLDER = "people-imports"  # directory files between their preview and their confirmation
CSRF_FIELD = "csrf_token"
ACCOUNT_ROLE = {  # the account a person's role in the directory gives
    PersonRole.OFFICER: Role.OFFICER,
    PersonRole.HEAD: Role.OFFICER,
    PersonRole.CHAIRMAN: Role.CHAIRMAN,
    PersonRole.VICE_CHAIRMAN: Role.VICE_CHAIRMAN,
    PersonRole.REVIEWER: Role.REVIEWER,
}
# The accounts each editor gives and resets: the office, never a leader's (it would act as him).
MANAGED = {
    Role.ADMIN: frozenset(ACCOUNT_ROLE.values()),
    Role.CHAIRMAN: frozenset(ACCOUNT_ROLE.values()),
    Role.REVIEWER: frozenset({Role.OFFICER, Role.REVIEWER}),
}


@router.get("/people", response_class=HTMLResponse)
def people_page(
    request: Request, commune: str = "", user: User = Depends(signed_in), rt: Runtime = Depends(runtime)
) -> Response:
    require_role(user, READERS)
    return render(request, "people.html", _context(user, rt, _commune(user, commune)))


@router.post("/people")
def save(
    form: SignedForm = Depends(signed_form),
    commune: str = Form(""),
    name: str = Form(""),
    email: str = Form(""),
    unit: str = Form(""),
    roles: list[str] = Form([]),
    in_charge: str = Form(""),
    language: str = Form(""),
) -> RedirectResponse:
    """Add a person, or change the entry of their email."""
    name_of = _editing(form, commune)
    fields: dict[str, str | list[str]] = {"name": name[:200], "email": email[:254], "unit": unit[:200]}
    fields |= {"roles": roles[:10], "in_charge": in_charge[:2000], "language": language[:5]}
    try:
        person = typed_person(fields, commune=name_of)
    except PlanInputError as exc:
        form.flash("Lỗi: " + "; ".join(map(describe, exc.findings)) + ".", "error")
        return form.redirect(_page(form.user, name_of))
    with form.rt.sessions.begin() as session:
        added = save_person(session, person, datetime.now(TZ))
        requeue_unroutable(session, name_of)
    form.flash(form.t("person_added" if added else "person_changed", name=person.name))
    return form.redirect(_page(form.user, name_of))


@router.post("/people/active")
def change_active(
    form: SignedForm = Depends(signed_form), commune: str = Form(""), email: str = Form(""), active: str = Form("")
) -> RedirectResponse:
    """Stop emailing a person (kept in the directory, as sent emails name them), or resume."""
    name_of = _editing(form, commune)
    with form.rt.sessions.begin() as session:
        person = set_person_active(session, name_of, email, active == "1", datetime.now(TZ))
    if person is None:
        raise NotFound("Không tìm thấy người này trong danh bạ.")
    form.flash(form.t("person_active" if active == "1" else "person_inactive", name=person.name))
    return form.redirect(_page(form.user, name_of))


@router.post("/people/import", response_class=HTMLResponse)
async def upload_directory(
    request: Request, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)
) -> Response:
    """Read the uploaded directory and show what it would change; nothing is stored yet."""
    require_role(user, EDITORS)
    upload = await read_upload(request)
    check_csrf(request, upload.fields.get(CSRF_FIELD))
    name_of = _commune(user, upload.fields.get("commune", ""))
    if name_of is None:
        raise NotFound("Không tìm thấy xã này.")
    if upload.filename is None:
        raise BadInput("Lỗi: hãy chọn tệp danh bạ.")
    folder = rt.settings.data_dir / UPLOADS_FOLDER
    token = await keep_upload(folder, user.id, upload.filename, upload.data, max_bytes=rt.max_import_bytes)
    path = upload_path(folder, user.id, token)
    context = _context(user, rt, name_of)
    try:
        people = await run_in_threadpool(_read, path, name_of, rt)
    except PlanInputError as exc:
        forget_upload(path)
        rt.metrics.import_failures.add(1, {"what": "people"})
        return render(request, "people.html", {**context, "errors": exc.findings}, status_code=422)
    with rt.sessions() as session:  # the change, seen and undone
        change = replace_directory(session, name_of, people, datetime.now(TZ))
        session.rollback()
    preview = {"token": token, "file": path.name, "read": people, "change": change}
    return render(request, "people.html", {**context, "preview": preview})


@router.post("/people/import/confirm")
def confirm_import(
    form: SignedForm = Depends(signed_form), commune: str = Form(""), token: str = Form("")
) -> RedirectResponse:
    name_of = _editing(form, commune)
    try:
        path = upload_path(form.rt.settings.data_dir / UPLOADS_FOLDER, form.user.id, token)
    except UploadGone:
        form.flash(form.t("upload_gone"), "error")
        return form.redirect(_page(form.user, name_of))
    people = _read(path, name_of, form.rt)
    with form.rt.sessions.begin() as session:
        change = replace_directory(session, name_of, people, datetime.now(TZ))
        requeue_unroutable(session, name_of)
    forget_upload(path)
    counts = {"added": len(change.added), "changed": len(change.changed), "removed": len(change.removed)}
    form.flash(form.t("directory_imported", **counts))
    return form.redirect(_page(form.user, name_of))


@router.post("/people/accounts")
def add_account(
    form: SignedForm = Depends(signed_form),
    commune: str = Form(""),
    email: str = Form(""),
    username: str = Form(""),
    role: str = Form(""),
    password: str = Form(""),
) -> RedirectResponse:
    """An account for a person of the directory: their name, email and units come from it."""
    name_of = _editing(form, commune)
    with form.rt.sessions() as session:
        entry = _entry(session, name_of, email)
    new = _new_account(entry.person, username, role)
    if new.role in ACCOUNT_ROLE.values() and new.role not in MANAGED[form.user.role]:
        raise Forbidden("Chỉ Chủ tịch hoặc quản trị hệ thống mới tạo tài khoản của lãnh đạo.")
    create_account(form, new, password, refusals=[])
    return form.redirect(_page(form.user, name_of))


@router.post("/people/accounts/{user_id}/password")
def change_password(
    user_id: RowId, form: SignedForm = Depends(signed_form), commune: str = Form(""), password: str = Form("")
) -> RedirectResponse:
    """A new password for the account of a person of the directory: its sessions end everywhere."""
    name_of = _editing(form, commune)
    with form.rt.sessions.begin() as session:
        account = get_user(session, user_id)
        emails = {entry.person.email.casefold() for entry in directory(session, name_of)}
        if account is None or account.commune != name_of or (account.email or "").casefold() not in emails:
            raise NotFound("Không tìm thấy tài khoản này.")
        if account.role not in MANAGED[form.user.role]:
            raise Forbidden("Chỉ Chủ tịch hoặc quản trị hệ thống mới đặt lại mật khẩu của lãnh đạo.")
        give_password(form, session, account, password)
    return form.redirect(_page(form.user, name_of))


def _commune(user: User, asked: str) -> str | None:
    """The commune whose directory the page shows: the user's own, else the one asked for (if
    the user sees it); None when a user of no commune has not chosen one."""
    if user.commune is not None:
        return user.commune
    chosen = " ".join(asked.split())[:200]
    if chosen and not sees_commune(user, chosen):
        raise NotFound("Không tìm thấy xã này.")
    return chosen or None


def _editing(form: SignedForm, asked: str) -> str:
    """The commune whose directory the form changes; 403 for whoever may not change it."""
    require_role(form.user, EDITORS)
    name_of = _commune(form.user, asked)
    if name_of is None:
        raise NotFound("Không tìm thấy xã này.")
    return name_of


def _page(user: User, commune: str) -> str:
    return "/people" if user.commune is not None else f"/people?commune={commune}"


def _read(path: Path, commune: str, rt: Runtime) -> list[Person]:
    """The people of `commune` the file at `path` lists, read apart from the web (web.reading_apart)."""
    people = read_apart(read_people, path, rt.import_limits, commune=commune, max_bytes=rt.max_import_bytes)
    if people[0].commune != commune:
        forget_upload(path)
        raise BadInput(f"Lỗi: {path.name} là danh bạ của xã {people[0].commune}, không phải xã {commune}.")
    return people


def _entry(session, commune: str, email: str) -> DirectoryEntry:
    for entry in directory(session, commune):
        if entry.person.email.casefold() == email.casefold():
            return entry
    raise NotFound("Không tìm thấy người này trong danh bạ.")


def _account_roles(person: Person) -> list[Role]:
    """The accounts `person`'s roles in the directory give, each once."""
    return list(dict.fromkeys(ACCOUNT_ROLE[given] for given in ordered_roles(person.roles)))


def _new_account(person: Person, username: str, role: str) -> NewUser:
    """The account `person` would have in `role` (one their directory roles give)."""
    chosen = next((r for r in _account_roles(person) if r.value == role), Role.SYSTEM)  # SYSTEM: refused by problems()
    units = person.in_charge if chosen is Role.VICE_CHAIRMAN else (person.unit,) if person.unit else ()
    return NewUser(
        username=normal_username(username)[:100],
        role=chosen,
        commune=person.commune,
        display_name=person.name,
        email=person.email,
        units=units if chosen in (Role.OFFICER, Role.VICE_CHAIRMAN, Role.REVIEWER) else (),
    )


@dataclass(frozen=True)
class UnitLeaders:
    """Who leads a unit (its heads) and who is in charge of it (a Phó Chủ tịch, else the chairman)."""

    unit: str
    heads: list[Person]
    in_charge: list[Person]


def _units(people: list[Person]) -> list[UnitLeaders]:
    units = distinct_units(name for person in people for name in (person.unit, *person.in_charge) if name)
    return [
        UnitLeaders(
            unit,
            [person for person in in_unit(people, unit) if PersonRole.HEAD in person.roles],
            in_charge_of(people, unit),
        )
        for unit in units
    ]


def _context(user: User, rt: Runtime, commune: str | None) -> dict:
    entries: list[DirectoryEntry] = []
    accounts: dict[str, User] = {}
    if commune is not None:
        with rt.sessions() as session:
            entries = directory(session, commune)
            accounts = {
                (account.email or "").casefold(): account
                for account in list_users(session, commune=commune)
                if account.email and account.role in COMMUNE_ROLES
            }
    return {
        "user": user,
        "commune": commune,
        "entries": entries,
        "units": _units([entry.person for entry in entries if entry.active]),
        "accounts": accounts,
        "may_edit": user.role in EDITORS,
        "person_roles": list(PersonRole),
        "account_roles": _account_roles,
        "managed": MANAGED.get(user.role, frozenset()),
    }
