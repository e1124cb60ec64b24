"""Importing a plan file: the one use case behind `cchc plan import` and the web's import page.

What the importer read of a file (`PlanFile`) is either a plan to store, or a new version of a
stored plan: an amending plan naming the plan it amends, or a corrected file of the plan
itself (same commune, issuer, number and year) that changes something. `amendment_of` tells which:

- a plan to store: `store_plan`, in the caller's transaction. A drafted (prose) plan is stored
  only as the office confirmed its draft, and only when every task has a lead (`check_draft`);
- a new version: its changes are shown (`services.amendment.AmendmentPreview`), and once
  confirmed, `confirm_amendment` records them and applies them to the running tasks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import overload

from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client

from domain.errors import CchcError, ErrorCategory
from domain.models import Plan
from domain.roles import Action, Actor
from importers import ImportResult
from importers.digest import sha256_of
from persistence.plans import SaveResult, save_plan, stored_plan_id
from services.amendment import (
    AmendingDocument,
    AmendmentPreview,
    apply_amendment,
    preview_amendment,
    record_amendment,
)
from services.plan_start import NotAllowed
from workflows.contracts import ALLOWED_ROLES, SCOPED_ROLES, AmendmentRef

# Who may confirm an amendment: whoever each of its changes' updates accepts, on every unit.
AMENDING_ROLES = (
    ALLOWED_ROLES[Action.WAIVE] & ALLOWED_ROLES[Action.EXTEND_DEADLINE] & ALLOWED_ROLES[Action.REASSIGN]
) - SCOPED_ROLES


@dataclass(frozen=True)
class PlanFile:
    """A plan file as the importer read it: its name, its SHA-256 (what makes an amending
    document the same one again) and what was understood."""

    name: str
    sha256: str
    read: ImportResult

    @property
    def plan(self) -> Plan:
        return self.read.plan


def plan_file(path: Path, read: ImportResult) -> PlanFile:
    return PlanFile(name=path.name, sha256=sha256_of(path), read=read)


class DraftNotConfirmed(CchcError):
    """A plan written as prose, stored before the office confirmed its draft."""

    category = ErrorCategory.BAD_INPUT

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        super().__init__(f"{file_name}: kế hoạch viết dạng văn xuôi: các nhiệm vụ chỉ là bản nháp")


class DraftWithoutLead(CchcError):
    """A confirmed draft in which some tasks have no lead unit."""

    category = ErrorCategory.BAD_INPUT

    def __init__(self, file_name: str, codes: tuple[str, ...]) -> None:
        self.file_name = file_name
        self.codes = codes
        super().__init__(f"{file_name}: nhiệm vụ {', '.join(codes)} không có cơ quan chủ trì")


def leaderless(read: ImportResult) -> tuple[str, ...]:
    """The codes of the tasks no unit leads: a draft with any cannot be stored."""
    return tuple(task.code for task in read.plan.tasks if not task.lead)


def check_draft(file: PlanFile, *, confirmed: bool) -> None:
    """A drafted (prose) plan is used only as the office `confirmed` it, every task with a lead."""
    if file.read.drafted is None:
        return
    if not confirmed:
        raise DraftNotConfirmed(file.name)
    if codes := leaderless(file.read):
        raise DraftWithoutLead(file.name, codes)


@overload
def amendment_of(session: Session, file: PlanFile, *, amends: int | str) -> AmendmentPreview: ...
@overload
def amendment_of(session: Session, file: PlanFile, *, amends: int | str | None = None) -> AmendmentPreview | None: ...
def amendment_of(session: Session, file: PlanFile, *, amends: int | str | None = None) -> AmendmentPreview | None:
    """The file as a new version of the stored plan `amends` (its id or number), or of the
    stored plan with its own commune, issuer, number and year: the changes it makes. None when it is a
    plan to store: no such plan is stored, or the file changes nothing in it and names no plan
    it amends (the same plan imported again)."""
    plan = file.plan
    stored = amends if amends is not None else stored_plan_id(session, plan)
    if stored is None:
        return None
    ref = AmendmentRef(number=plan.number, issued=plan.date, title=plan.title)
    document = AmendingDocument(ref, source_file=file.name, source_sha256=file.sha256)
    preview = preview_amendment(session, stored, plan, document, year=plan.year)
    return preview if preview.changes or amends is not None else None


def store_plan(session: Session, file: PlanFile) -> SaveResult:
    """Store the file's plan (in the caller's transaction), unless a plan with its issuer,
    number and year is stored already."""
    return save_plan(session, file.plan, source_file=file.name, source_sha256=file.sha256)


async def confirm_amendment(
    client: Client,
    sessions: sessionmaker[Session],
    preview: AmendmentPreview,
    actor: Actor,
    *,
    task_queue: str,
    now: datetime,
) -> dict[str, str]:
    """Record the amendment `actor` confirmed and make the stored plan its new version (one
    transaction), then apply each change to its running task; what became of each change, by
    its id. Refused, before anything is recorded, to a role that cannot make every change."""
    if actor.role not in AMENDING_ROLES:
        raise NotAllowed(f"{actor.user} ({actor.role.value}) không có quyền xác nhận điều chỉnh kế hoạch")
    with sessions.begin() as session:
        amendment_id = record_amendment(session, preview, actor, now)
    return await apply_amendment(client, sessions, amendment_id, actor, task_queue=task_queue, now=now)
