"""The plan import use case without a face: what a read file is to the stored plans, when a
draft may be stored, and who may confirm an amendment (on each database backend)."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from domain.calendar import TZ
from domain.plan_changes import ChangeKind
from domain.roles import Actor, Role
from importers import ImportResult
from importers.drafts import DraftedTask
from persistence.amendment_tables import AmendmentRow
from persistence.plans import load_plan
from services.plan_import import (
    DraftNotConfirmed,
    DraftWithoutLead,
    PlanFile,
    amendment_of,
    check_draft,
    confirm_amendment,
    store_plan,
)
from services.plan_start import NotAllowed


def read_as(plan, *, name: str = "ke-hoach.yaml", sha256: str = "a" * 64, drafted=None) -> PlanFile:
    return PlanFile(name=name, sha256=sha256, read=ImportResult(plan=plan, warnings=[], drafted=drafted))


def moved(plan):
    """`plan` with its first task's lead changed: a new version of it."""
    first = plan.tasks[0].model_copy(update={"lead": ("Tư pháp",)})
    return plan.model_copy(update={"tasks": (first, *plan.tasks[1:])})


@pytest.fixture
def stored(session_factory, vinh_khe_plan) -> int:
    with session_factory.begin() as session:
        return store_plan(session, read_as(vinh_khe_plan, sha256="0" * 64)).plan_id


def test_a_plan_not_stored_yet_or_imported_again_unchanged_is_a_plan_to_store(session_factory, vinh_khe_plan, stored):
    other = vinh_khe_plan.model_copy(update={"number": "11/KH-UBND"})
    with session_factory() as session:
        assert amendment_of(session, read_as(other)) is None
        assert amendment_of(session, read_as(vinh_khe_plan)) is None


def test_a_corrected_file_of_a_stored_plan_is_its_new_version(session_factory, vinh_khe_plan, stored):
    with session_factory() as session:
        preview = amendment_of(session, read_as(moved(vinh_khe_plan)))

    assert preview.plan_id == stored and preview.document.ref.number == "10/KH-UBND"
    assert [(change.kind, change.task_code) for change in preview.changes] == [(ChangeKind.LEAD_CHANGED, "I.3")]


def test_an_amending_plan_names_the_plan_it_amends_and_is_shown_even_when_it_changes_nothing(
    session_factory, vinh_khe_plan, stored
):
    amending = vinh_khe_plan.model_copy(update={"number": "25/KH-UBND", "title": "Điều chỉnh, bổ sung"})
    with session_factory() as session:
        by_number = amendment_of(session, read_as(amending, name="25.yaml"), amends="10/KH-UBND")
        by_id = amendment_of(session, read_as(amending, name="25.yaml"), amends=stored)

    assert by_number == by_id
    assert (by_number.plan_id, by_number.document.ref.number, by_number.changes) == (stored, "25/KH-UBND", [])


def test_a_draft_is_stored_only_as_confirmed_and_with_a_lead_for_every_task(vinh_khe_plan):
    drafted = {task.code: DraftedTask() for task in vinh_khe_plan.tasks}
    leaderless = vinh_khe_plan.tasks[0].model_copy(update={"lead": ()})
    incomplete = vinh_khe_plan.model_copy(update={"tasks": (leaderless, *vinh_khe_plan.tasks[1:])})

    check_draft(read_as(vinh_khe_plan), confirmed=False)  # a table: no draft to confirm
    check_draft(read_as(vinh_khe_plan, drafted=drafted), confirmed=True)
    with pytest.raises(DraftNotConfirmed):
        check_draft(read_as(vinh_khe_plan, drafted=drafted), confirmed=False)
    with pytest.raises(DraftWithoutLead) as refused:
        check_draft(read_as(incomplete, drafted=drafted), confirmed=True)
    assert refused.value.codes == ("I.3",)


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMIN])
async def test_only_a_role_that_can_make_every_change_confirms_an_amendment_and_nothing_is_recorded_otherwise(
    session_factory, vinh_khe_plan, stored, role
):
    with session_factory() as session:
        preview = amendment_of(session, read_as(moved(vinh_khe_plan)))

    with pytest.raises(NotAllowed):
        await confirm_amendment(
            None,
            session_factory,
            preview,
            Actor(user="van-phong", role=role),
            task_queue="unused",
            now=datetime.now(TZ),
        )

    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(AmendmentRow)) == 0
        assert load_plan(session, stored) == vinh_khe_plan
