"""The provinces' PAR criteria sets (bộ tiêu chí) in the browser: the stored ones, and a file
imported as `cchc catalogue import FILE` does it: uploaded, shown, stored only when confirmed.

Who opens communes' rounds imports the criteria they are scored on (segregation of duties): an
appraiser, a set of the province of a commune it supervises, or an administrator of no commune.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from domain.calendar import TZ
from domain.criteria import Catalogue
from domain.roles import Role
from importers.catalogue import read_catalogue
from importers.digest import sha256_of
from importers.errors import PlanInputError
from persistence.communes import commune_profile
from persistence.users import User
from services.catalogues import CatalogueConflict, CatalogueImport, import_catalogue, list_catalogues
from services.rounds import same_province
from web.auth import CSRF_FIELD, check_csrf, signed_in
from web.errors import BadInput, Forbidden, web_error
from web.form_stream import read_upload
from web.plan_uploads import UploadGone, forget_upload, keep_upload, upload_path
from web.reading_apart import read_apart
from web.routes.forms import SignedForm, signed_form
from web.routes.params import optional_id
from web.routes.plans import typed_text
from web.routes.rounds import opens_rounds
from web.runtime import Runtime, runtime
from web.templating import render

router = APIRouter(include_in_schema=False)
UPLOADS_FOLDER = "catalogue-imports"  # criteria files between their preview and their confirmation
REFUSED = "Chỉ người thẩm định, hoặc quản trị không thuộc xã nào, mới nhập bộ tiêu chí."


@dataclass(frozen=True)
class Given:
    """What the form says beside the file, replacing what the file says (as the CLI's options)."""

    province: str | None
    year: int | None


@router.get("/catalogues", response_class=HTMLResponse)
def catalogues_page(request: Request, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)) -> Response:
    _require_importer(user)
    return render(request, "catalogues.html", _context(user, rt))


@router.post("/catalogues/import", response_class=HTMLResponse)
async def upload_catalogue(
    request: Request, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)
) -> Response:
    """Read the uploaded criteria file and show what it holds; nothing is stored yet."""
    _require_importer(user)
    upload = await read_upload(request)
    check_csrf(request, upload.fields.get(CSRF_FIELD))
    if upload.filename is None:
        raise BadInput("Lỗi: hãy chọn tệp bộ tiêu chí.")
    given = Given(typed_text(upload.fields.get("province")), optional_id(upload.fields.get("year")))
    folder = rt.settings.data_dir / UPLOADS_FOLDER
    token = await keep_upload(folder, user.id, upload.filename, upload.data, max_bytes=rt.max_import_bytes)
    path = upload_path(folder, user.id, token)
    context = {**_context(user, rt), "province": given.province or "", "year": given.year or ""}
    try:
        catalogue = await run_in_threadpool(_read, rt, user, path, given)
    except PlanInputError as exc:
        forget_upload(path)
        return render(request, "catalogues.html", {**context, "errors": exc.findings}, status_code=422)
    except Exception:
        forget_upload(path)
        raise
    outcome = await run_in_threadpool(_stored, rt, catalogue, path, user, keep=False)
    preview = {"token": token, "file": path.name, "catalogue": catalogue}
    if isinstance(outcome, CatalogueConflict):
        preview |= {"conflict": web_error(outcome).message}
    else:
        preview |= {"stored": outcome}
    if not isinstance(outcome, CatalogueImport) or not outcome.created:
        forget_upload(path)  # nothing to confirm
    return render(request, "catalogues.html", {**context, "preview": preview})


@router.post("/catalogues/import/confirm")
def confirm_catalogue(
    form: SignedForm = Depends(signed_form), token: str = Form(""), province: str = Form(""), year: str = Form("")
) -> RedirectResponse:
    user, rt = form.user, form.rt
    _require_importer(user)
    try:
        path = upload_path(rt.settings.data_dir / UPLOADS_FOLDER, user.id, token)
    except UploadGone:
        form.flash(form.t("upload_gone"), "error")
        return form.redirect("/catalogues")
    catalogue = _read(rt, user, path, Given(typed_text(province), optional_id(year)))
    outcome = _stored(rt, catalogue, path, user, keep=True)
    forget_upload(path)
    if isinstance(outcome, CatalogueConflict):
        form.flash(web_error(outcome).message, "error")
    elif outcome.created:
        form.flash(f"Đã lưu bộ tiêu chí “{catalogue.name}” (id {outcome.catalogue_id}).")
    else:
        form.flash(f"Bộ tiêu chí này đã có (id {outcome.catalogue_id}): không có gì thay đổi.")
    return form.redirect("/catalogues")


def _require_importer(user: User) -> None:
    if not opens_rounds(user):
        raise Forbidden(REFUSED)


def _read(rt: Runtime, user: User, path: Path, given: Given) -> Catalogue:
    """The criteria set in the file, read apart from the web (web.reading_apart); Forbidden, the
    file forgotten, for an appraiser's set of a province none of its communes is in."""
    catalogue = read_apart(read_catalogue, path, rt.import_limits, province=given.province, year=given.year)
    if user.role is Role.APPRAISER:
        with rt.sessions() as session:
            provinces = [commune_profile(session, name).province for name in user.supervises]
        if not any(province and same_province(province, catalogue.province) for province in provinces):
            forget_upload(path)
            raise Forbidden(f"Bộ tiêu chí này của {catalogue.province}, không phải tỉnh có xã đồng chí thẩm định.")
    return catalogue


def _stored(
    rt: Runtime, catalogue: Catalogue, path: Path, user: User, *, keep: bool
) -> CatalogueImport | CatalogueConflict:
    """What storing the set does (stored, or found already stored), or why it is refused; kept
    only when `keep`, otherwise seen and undone for the preview."""
    with rt.sessions() as session:
        try:
            outcome: CatalogueImport | CatalogueConflict = import_catalogue(
                session,
                catalogue,
                source_file=path.name,
                source_sha256=sha256_of(path),
                actor=user.username,
                now=datetime.now(TZ),
            )
        except CatalogueConflict as exc:
            outcome = exc
        if keep and isinstance(outcome, CatalogueImport):
            session.commit()
        else:
            session.rollback()
    return outcome


def _context(user: User, rt: Runtime) -> dict:
    with rt.sessions() as session:
        stored = list_catalogues(session)
    return {"user": user, "catalogues": stored, "max_mb": rt.settings.max_import_mb}
