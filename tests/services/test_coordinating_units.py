"""A coordinating unit (phối hợp) sees the task among its officers' tasks, and does not act as its lead."""

from __future__ import annotations

from datetime import date, datetime

from domain.calendar import TZ
from domain.roles import Action, Actor, Role
from persistence.plans import save_plan
from persistence.task_runs import add_started_runs
from services.tasks import list_tasks
from web.task_views import coordinated_by, of_units
from workflows.contracts import permission_problem, task_input, task_workflow_id

NOW = datetime(2024, 1, 15, 8, 0, tzinfo=TZ)


def started(session_factory, plan) -> None:
    with session_factory.begin() as session:
        plan_id = save_plan(session, plan, source_file="ke-hoach.txt", source_sha256="0" * 64).plan_id
        runs = [
            (task_workflow_id(plan_id, task.code, occurrence.key), task_input(plan, plan_id, task, occurrence))
            for task in plan.tasks
            for occurrence in task.occurrences
        ]
        add_started_runs(session, runs, NOW)


def test_a_coordinating_units_officers_see_the_task_and_cannot_act_on_it_as_its_lead(session_factory, vinh_khe_plan):
    started(session_factory, vinh_khe_plan)
    office_officer = Actor(user="cong-chuc-vp", role=Role.OFFICER, units=("Văn phòng",))

    with session_factory() as session:
        tasks = list_tasks(session, today=date(2024, 1, 15))
    coordinated = coordinated_by(tasks, office_officer.units)

    # I.3: Văn hóa leads, Văn phòng coordinates.
    assert [(task.task_code, task.lead, task.coordinating) for task in coordinated] == [
        ("I.3", ("Văn hóa",), ("Văn phòng",))
    ]
    assert "I.3" not in {task.task_code for task in of_units(tasks, office_officer.units)}
    assert permission_problem(office_officer, Action.ACKNOWLEDGE, coordinated[0].lead) is not None
