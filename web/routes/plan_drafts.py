"""The draft editor: a plan's tasks, as the importer read them, corrected in the browser
before the plan is stored.

Each task is a row of fields beside the source lines it came from. Every submit first keeps
what was typed (the draft beside its upload, web.plan_uploads), then does what was asked:
recompute, add, delete, merge or split a task, or confirm. A field that cannot be read comes
back with its error beside it and the value as typed; confirming stores the plan only when
nothing is wrong, then its page offers to start it. While a time is typed, a small script asks
`/plans/import/draft/due` for the due dates it gives; without it, "Tính lại" does the same.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from importers import ImportResult
from importers.draft_edit import (
    MAX_TASKS,
    DraftCheck,
    DraftEditError,
    EditableDraft,
    Field,
    TypedHead,
    TypedTask,
    add_task,
    delete_task,
    draft_from_yaml,
    draft_yaml,
    due_dates,
    merge_tasks,
    split_task,
    with_typed,
)
from importers.drafts import HeadField
from importers.rows import fate_counts, must_see
from persistence.users import User
from services.plan_import import PlanFile, sha256_of, store_plan
from web.auth import CSRF_FIELD, check_csrf, flash, require_role, signed_in
from web.draft_views import DraftPlace, checked, due_text, editor_context, keep_new_draft
from web.errors import BadInput
from web.i18n import DEFAULT, translator
from web.plan_uploads import UploadGone, forget_upload, keep_draft, kept_draft, upload_path
from web.routes.params import optional_id
from web.routes.plans import PLAN_ROLES, read_upload_apart, refuse_another_commune, typed_text
from web.runtime import IMPORTS_FOLDER, Runtime, runtime
from web.templating import language, render

router = APIRouter(include_in_schema=False)
MAX_FIELDS = MAX_TASKS * len(Field) + len(HeadField) + 10  # every task's fields, the head's, the form's few
HEAD = "plan"  # the head's fields are "plan.<field>"
MAX_PERIOD = 200
DRAFT_GONE = "Bản nháp không còn (đã lưu hoặc quá một ngày): hãy tải lên lại tệp kế hoạch."
OPERATIONS = {"add": add_task, "delete": delete_task, "merge": merge_tasks, "split": split_task}


class DueAnswer(BaseModel):
    text: str
    error: bool


@router.get("/plans/import/draft", response_class=HTMLResponse)
def editor(
    request: Request,
    token: str = Query("", max_length=32),
    year: str = Query("", max_length=4),
    commune: str = Query("", max_length=200),
    user: User = Depends(signed_in),
    rt: Runtime = Depends(runtime),
) -> Response:
    """The draft of an upload, made from the file the first time it is asked for."""
    require_role(user, PLAN_ROLES)
    upload = _upload(rt, user, token)
    place = DraftPlace(token, year, commune)
    draft = _kept(upload)
    if draft is not None:
        return render(request, "plan_draft.html", editor_context(request, user, place, draft))
    imported = read_upload_apart(user, upload, optional_id(year), typed_text(commune), rt)
    refuse_another_commune(user, imported.plan, upload)
    draft = keep_new_draft(upload, imported.read)
    rows = {"fates": fate_counts(imported.read.rows), "must_see": must_see(imported.read.rows)}
    return render(request, "plan_draft.html", {**editor_context(request, user, place, draft), **rows})


@router.post("/plans/import/draft", response_class=HTMLResponse)
async def edit(request: Request, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)) -> Response:
    """Keep what was typed, then do what the button pressed asks."""
    form = await request.form(max_fields=MAX_FIELDS)
    fields = {name: value for name, value in form.items() if isinstance(value, str)}
    check_csrf(request, fields.get(CSRF_FIELD))
    require_role(user, PLAN_ROLES)
    token, year, commune = fields.get("token", ""), fields.get("year", ""), fields.get("commune", "")
    upload = _upload(rt, user, token)
    draft = _kept(upload)
    if draft is None:
        raise BadInput(DRAFT_GONE)
    draft = with_typed(draft, _typed(fields), _typed_head(fields))
    operation, _, key = fields.get("op", "save").partition(":")
    problem = None
    if operation in OPERATIONS:
        try:
            draft = OPERATIONS[operation](draft, key)
        except DraftEditError as refusal:
            problem = str(refusal)
    keep_draft(upload, draft_yaml(draft))
    check = checked(user, draft)
    if operation == "confirm" and check.plan is not None:
        return _store(request, user, rt, upload, check)
    context = editor_context(request, user, DraftPlace(token, year, commune), draft, check, problem)
    failed = problem is not None or (operation in ("save", "confirm") and not check.ok)
    return render(request, "plan_draft.html", context, status_code=422 if failed else 200)


@router.get("/plans/import/draft/due")
def due(
    request: Request,
    token: str = Query("", max_length=32),
    period: str = Query("", max_length=MAX_PERIOD),
    user: User = Depends(signed_in),
    rt: Runtime = Depends(runtime),
) -> DueAnswer:
    """The due dates one time expression gives in the draft's plan, and the rule used."""
    require_role(user, PLAN_ROLES)
    draft = _kept(_upload(rt, user, token))
    if draft is None:
        raise BadInput(DRAFT_GONE)
    reading = due_dates(draft, period)
    return DueAnswer(text=due_text(reading, draft, language(request)), error=reading.error is not None)


def _upload(rt: Runtime, user: User, token: str) -> Path:
    try:
        return upload_path(rt.settings.data_dir / IMPORTS_FOLDER, user.id, token)
    except UploadGone:
        raise BadInput(translator(DEFAULT)("upload_gone")) from None


def _kept(upload: Path) -> EditableDraft | None:
    text = kept_draft(upload)
    return None if text is None else draft_from_yaml(text)


def _typed(fields: dict[str, str]) -> dict[str, TypedTask]:
    """Each task's fields, from the form's "<key>.<field>" names."""
    typed: dict[str, dict[str, str]] = {}
    for name, value in fields.items():
        key, _, field = name.partition(".")
        if key != HEAD and field in {f.value for f in Field}:
            typed.setdefault(key, {})[field] = value
    return {key: TypedTask.model_validate(values) for key, values in typed.items()}


def _typed_head(fields: dict[str, str]) -> TypedHead:
    """The head's fields, from the form's "plan.<field>" names."""
    return TypedHead.model_validate(
        {field: fields[f"{HEAD}.{field}"] for field in HeadField if f"{HEAD}.{field}" in fields}
    )


def _store(request: Request, user: User, rt: Runtime, upload: Path, check: DraftCheck) -> Response:
    plan = check.plan
    assert plan is not None  # a draft is stored only when it reads whole
    refuse_another_commune(user, plan, upload)
    imported = PlanFile(
        name=upload.name, sha256=sha256_of(upload), read=ImportResult(plan=plan, warnings=check.findings)
    )
    with rt.sessions.begin() as session:
        saved = store_plan(session, imported)
    forget_upload(upload)
    t = translator(language(request))
    flash(request, t("plan_saved" if saved.created else "plan_already_saved", number=plan.number, id=saved.plan_id))
    return RedirectResponse(f"/plans/{saved.plan_id}", status_code=303)
