"""The PAR round's operations, as the CLI and the web call them: open a commune's round, take
one step of it, read where it stands. Each step goes through the workflow's `act` update,
with the tasks' retries and time limit (services.tasks.execute_update); the workflow's refusal
reaches the caller as `WorkflowUpdateFailedError`, with its reason in Vietnamese."""

from __future__ import annotations

from sqlalchemy.orm import Session
from temporalio.client import Client, WorkflowQueryFailedError
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from domain.assessment_round import RoundRole
from domain.communes import CommuneProfile, place_name
from domain.errors import CchcError, ErrorCategory
from domain.roles import Role
from domain.units import unit_key
from persistence.communes import commune_profile
from services.catalogues import CatalogueNotFound, load_catalogue
from services.tasks import QUERY_TIMEOUT, TaskNotFound, execute_update
from workflows.assessment_round import AssessmentRoundWorkflow
from workflows.round_contracts import RoundInput, RoundRequest, RoundSnapshot, round_workflow_id

# The role a signed-in user takes in a round; the others read it only.
ROUND_ROLES: dict[Role, RoundRole] = {
    Role.CHAIRMAN: RoundRole.CHAIRMAN,
    Role.REVIEWER: RoundRole.OFFICE,
    Role.APPRAISER: RoundRole.APPRAISER,
}


class RoundNotFound(CchcError, LookupError):
    """No round of this commune and year, or it has ended."""

    category = ErrorCategory.NOT_FOUND
    closing = "."

    def __init__(self, commune: str, year: int) -> None:
        self.commune = commune
        self.year = year
        super().__init__(f"không có đợt đánh giá năm {year} của {commune} đang chạy")


class BadOpening(CchcError, ValueError):
    """Why the round cannot be opened as asked; the message is the Vietnamese problem."""

    category = ErrorCategory.BAD_INPUT
    closing = "."


def check_opening(session: Session, round_input: RoundInput) -> None:
    """`BadOpening` unless the dates are in order and the catalogue is one of the commune's
    province, of the year assessed, that holds the plan-completion codes."""
    _check_dates(round_input)
    try:
        catalogue = load_catalogue(session, round_input.catalogue_id)
    except CatalogueNotFound as exc:
        raise BadOpening(str(exc)) from None
    _check_province(commune_profile(session, round_input.commune), catalogue.name, catalogue.province)
    if catalogue.year != round_input.year:
        raise BadOpening(
            f"bộ tiêu chí “{catalogue.name}” dùng cho năm {catalogue.year}, không dùng đánh giá năm {round_input.year}"
        )
    unknown = [code for code in round_input.plan_completion_codes if code not in catalogue.item_codes()]
    if unknown:
        raise BadOpening(f"bộ tiêu chí không có tiêu chí chấm điểm {', '.join(unknown)}")


def _check_province(commune: CommuneProfile, catalogue: str, province: str) -> None:
    """A commune is scored on its own province's criteria set: refused while its province is unknown."""
    if commune.province is None:
        raise BadOpening(f"chưa ghi tỉnh của {commune.name} (cchc commune set --province): chưa chọn được bộ tiêu chí")
    if not same_province(commune.province, province):
        raise BadOpening(f"bộ tiêu chí “{catalogue}” là của {province}, không dùng đánh giá xã của {commune.province}")


def same_province(one: str, other: str) -> bool:
    """ "Quảng Trị", "Tỉnh Quảng Trị", "tỉnh  Quảng Trị" alike."""
    return unit_key(place_name(one, "tỉnh")) == unit_key(place_name(other, "tỉnh"))


async def open_round(client: Client, round_input: RoundInput, *, task_queue: str) -> bool:
    """Start the round's workflow (checked first with `check_opening`): True if opened now,
    False if it was open already."""
    _check_dates(round_input)
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


def _check_dates(round_input: RoundInput) -> None:
    problem = round_input.dates.problem()
    if problem:
        raise BadOpening(problem)


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
