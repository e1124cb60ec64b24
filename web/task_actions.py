"""Acting on a task, for the forms and the API alike.

The user's permission (role, and unit for an officer) is checked with the workflow's own
rule, `permission_problem`, and the lifecycle's `transition` BEFORE anything is sent: a
request that would be refused never reaches Temporal. The workflow's validators check again,
along with what only the workflow knows (a document number's form, a new due date's day).
"""

from __future__ import annotations

from domain.roles import Action
from persistence.users import User
from services.tasks import UPDATES, TaskSummary, execute_update, today_in_vietnam
from web.api_models import Body
from web.errors import Forbidden, Refused
from web.runtime import Runtime
from web.task_views import TaskRef, find_task, lifecycle_problem
from workflows.contracts import TaskSnapshot, permission_problem


def authorize(rt: Runtime, user: User, ref: TaskRef, action: Action) -> TaskSummary:
    """The task, if `user` may take `action` on it now: else `Forbidden` (403) or `Refused` (409)."""
    with rt.sessions() as session:
        task = find_task(session, user, ref, today_in_vietnam())
    problem = permission_problem(user.actor, action, task.lead)
    if problem:
        raise Forbidden(f"Bị từ chối: {problem}.")
    problem = lifecycle_problem(task.state, action)
    if problem:
        raise Refused(f"Bị từ chối: {problem}.")
    return task


async def execute(rt: Runtime, user: User, task: TaskSummary, action: Action, body: Body) -> TaskSnapshot:
    """Send an authorized action to the task's workflow; its refusal raises with the reason."""
    client = await rt.temporal.client()
    return await execute_update(client, task.workflow_id, UPDATES[action], body.request(user.actor))
