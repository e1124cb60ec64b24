"""The PAR round's operations, as the CLI and the web call them: open a commune's round, take
one step of it, read where it stands. Each step goes through the workflow's `act` update,
with the tasks' retries and time limit (services.tasks.execute_update); the workflow's refusal
reaches the caller as `WorkflowUpdateFailedError`, with its reason in Vietnamese."""

from __future__ import annotations

from temporalio.client import Client, WorkflowQueryFailedError
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from domain.assessment_round import RoundRole
from services.tasks import QUERY_TIMEOUT, TaskNotFound, execute_update
from workflows.assessment_round import AssessmentRoundWorkflow
from workflows.contracts import Role
from workflows.round_contracts import RoundInput, RoundRequest, RoundSnapshot, round_workflow_id

# The role a signed-in user takes in a round; the others read it only.
ROUND_ROLES: dict[Role, RoundRole] = {
    Role.CHAIRMAN: RoundRole.CHAIRMAN,
    Role.REVIEWER: RoundRole.OFFICE,
    Role.APPRAISER: RoundRole.APPRAISER,
}


class RoundNotFound(LookupError):
    """No round of this commune and year, or it has ended."""

    def __init__(self, commune: str, year: int) -> None:
        self.commune = commune
        self.year = year
        super().__init__(f"no PAR round {year} of {commune!r}")


class BadRoundDates(ValueError):
    """The round's dates out of order; the message is the Vietnamese problem."""


async def open_round(client: Client, round_input: RoundInput, *, task_queue: str) -> bool:
    """Start the round's workflow: True if opened now, False if it was open already."""
    problem = round_input.dates.problem()
    if problem:
        raise BadRoundDates(problem)
    try:
        await client.start_workflow(
            AssessmentRoundWorkflow.run,
            round_input,
            id=round_workflow_id(round_input.commune, round_input.year),
            task_queue=task_queue,
        )
    except WorkflowAlreadyStartedError:
        return False
    return True


async def act_on_round(client: Client, commune: str, year: int, request: RoundRequest) -> RoundSnapshot:
    """One step of the round, by the person and role the caller authenticated."""
    try:
        return await execute_update(client, round_workflow_id(commune, year), AssessmentRoundWorkflow.act, request)
    except TaskNotFound as exc:
        raise RoundNotFound(commune, year) from exc


async def round_snapshot(client: Client, commune: str, year: int) -> RoundSnapshot | None:
    """The round as its workflow holds it; None when there is no such round."""
    handle = client.get_workflow_handle(round_workflow_id(commune, year))
    try:
        return await handle.query(AssessmentRoundWorkflow.state, rpc_timeout=QUERY_TIMEOUT)
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return None
        raise
    except WorkflowQueryFailedError:
        return None
