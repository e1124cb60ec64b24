"""The PAR round workflows' side effects: recording their events, and checking a sheet at
submission. One activity, one transaction (which the activities running beside it may share,
`persistence.group_commit`): the event, sealed into the round's audit chain, and
the emails it raises (in the outbox) commit together; recording is idempotent on
(workflow_id, seq), so a retried activity writes nothing new and no email twice."""

from __future__ import annotations

import asyncio

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from activities.recording import record_in_thread
from evidence.audit_log import seal
from notifications.round_notices import round_notices
from persistence.group_commit import GroupCommit
from persistence.inserts import insert_if_missing
from persistence.recorded_events import round_event_columns
from persistence.round_tables import RoundEventRow
from services.assessment import assessment_sheet, submitted_item
from workflows.round_contracts import (
    CHECK_SUBMISSION,
    RECORD_ROUND_EVENT,
    RoundRecord,
    RoundScope,
    SubmissionCheck,
)


class RoundActivities:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._commits = GroupCommit(session_factory)

    @activity.defn(name=RECORD_ROUND_EVENT)
    async def record_round_event(self, record: RoundRecord) -> bool:
        """Write `record`; True if written now, False if an earlier attempt already had."""
        return await record_in_thread(self._commits, _write, record)

    @activity.defn(name=CHECK_SUBMISSION)
    async def check_submission(self, scope: RoundScope) -> SubmissionCheck:
        """The sheet as it stands: its score, and what keeps it from being submitted."""
        return await asyncio.to_thread(self._check, scope)

    def _check(self, scope: RoundScope) -> SubmissionCheck:
        with self._session_factory() as session:
            sheet = assessment_sheet(
                session,
                plan_id=scope.plan_id,
                catalogue_id=scope.catalogue_id,
                plan_completion_codes=scope.plan_completion_codes,
                now=scope.at,
            )
        return SubmissionCheck(
            self_score=sheet.self_score,
            max_points=sheet.max_points,
            blocking=tuple(sheet.blocking),
            sheet=tuple(map(submitted_item, sheet.items)),
            bands=sheet.catalogue.bands,
        )


def _write(session: Session, record: RoundRecord) -> bool:
    if not insert_if_missing(session, RoundEventRow, round_event_columns(record), key=("workflow_id", "seq")):
        return False
    seal(session, record.workflow_id, RoundEventRow)
    session.add_all(round_notices(record))
    return True
