"""Search attributes: how Temporal's own UI and `temporal workflow list --query` find tasks.

    temporal workflow list --query 'CchcPlan="1"'
    temporal workflow list --query 'CchcUnit="Tư pháp" AND CchcState!="approved"'
    temporal workflow list --query 'CchcDue < "2024-04-01T00:00:00+07:00" AND CchcState="assigned"'

The client sets them when it starts a task (`services.plan_start`); the workflow upserts
them whenever the state, the due date or the lead units change. A namespace must have them
registered first: the embedded dev server does it at start (`devserver.py`); on a cluster,
`cchc worker` checks and prints the `temporal operator search-attribute create` commands.

Pure and deterministic: safe to import in the workflow sandbox.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date, datetime

from temporalio.common import (
    SearchAttributeIndexedValueType,
    SearchAttributeKey,
    SearchAttributePair,
    SearchAttributeUpdate,
    TypedSearchAttributes,
)

from domain.calendar import end_of_day
from domain.lifecycle import TaskState
from workflows.contracts import TaskInput

COMMUNE = SearchAttributeKey.for_keyword("CchcCommune")  # "Vĩnh Khê"
PLAN = SearchAttributeKey.for_keyword("CchcPlan")  # the stored plan's id, as text: "1"
TASK = SearchAttributeKey.for_keyword("CchcTask")  # the task's code in its plan: "I.3"
UNIT = SearchAttributeKey.for_keyword_list("CchcUnit")  # the lead units, as the plan names them
DUE = SearchAttributeKey.for_datetime("CchcDue")  # the deadline: the end of the due day, +07:00
STATE = SearchAttributeKey.for_keyword("CchcState")  # domain.lifecycle.TaskState value: "assigned"

# The attributes hold text, lists of text and instants.
AttributeKey = SearchAttributeKey[str] | SearchAttributeKey[Sequence[str]] | SearchAttributeKey[datetime]
AttributeUpdate = SearchAttributeUpdate[str] | SearchAttributeUpdate[Sequence[str]] | SearchAttributeUpdate[datetime]

ALL_KEYS: tuple[AttributeKey, ...] = (COMMUNE, PLAN, TASK, UNIT, DUE, STATE)

# The names `temporal` uses for the index types (server start-dev, operator search-attribute create).
TYPE_NAMES: dict[SearchAttributeIndexedValueType, str] = {
    SearchAttributeIndexedValueType.KEYWORD: "Keyword",
    SearchAttributeIndexedValueType.KEYWORD_LIST: "KeywordList",
    SearchAttributeIndexedValueType.DATETIME: "Datetime",
}


def type_name(key: AttributeKey) -> str:
    return TYPE_NAMES[key.indexed_value_type]


def task_search_attributes(
    task: TaskInput,
    state: TaskState,
    *,
    due: date | None = None,
    lead: tuple[str, ...] | None = None,
) -> TypedSearchAttributes:
    """The search attributes of a task in `state`; `due` and `lead` when they differ from the input's."""
    units = [unicodedata.normalize("NFC", unit) for unit in (lead if lead is not None else task.lead)]
    return TypedSearchAttributes(
        [
            SearchAttributePair(COMMUNE, unicodedata.normalize("NFC", task.commune)),
            SearchAttributePair(PLAN, plan_value(task.plan_id)),
            SearchAttributePair(TASK, task.task_code),
            SearchAttributePair(UNIT, units),
            SearchAttributePair(DUE, end_of_day(due or task.due)),
            SearchAttributePair(STATE, state.value),
        ]
    )


def changed_attributes(current: TypedSearchAttributes, wanted: TypedSearchAttributes) -> list[AttributeUpdate]:
    """The updates that turn `current` into `wanted`, for `workflow.upsert_search_attributes`.

    Empty when nothing changed, so a reminder (which changes none of them) adds no command.
    """
    return [pair.key.value_set(pair.value) for pair in wanted if current.get(pair.key) != pair.value]


def plan_value(plan_id: int) -> str:
    """CchcPlan's value for a plan: `temporal workflow list --query 'CchcPlan="1"'`."""
    return str(plan_id)


def plan_query(plan_id: int) -> str:
    return f'{PLAN.name}="{plan_value(plan_id)}"'
