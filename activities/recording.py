"""What every recording activity shares (a task's events, a PAR round's): a SQL transaction
in a worker thread, shared with the activities running beside it (`persistence.group_commit`),
and one error policy. A value the database refuses fails the attempt for
good (`INVALID_EVENT`, which the workflows' retry policy does not retry), whether it breaks
a column's type (DataError) or a constraint (IntegrityError: every insert of a recording
ignores a row that exists, so a race never raises one); the database being away or busy is
retried until it succeeds, so a recording never waits forever on a value it cannot write.
The refusal carries its reason for people (`REFUSALS`); the workflow records it in the
event's place (`activities.refusals`) and goes on."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, StatementError
from sqlalchemy.orm import Session
from temporalio.exceptions import ApplicationError

from persistence.group_commit import GroupCommit
from workflows.contracts import INVALID_EVENT

Record = TypeVar("Record")


async def record_in_thread(commits: GroupCommit, write: Callable[[Session, Record], bool], record: Record) -> bool:
    """`write(session, record)` in a worker thread, committed with the writes beside it: True if
    written now, False if an earlier attempt already had."""
    try:
        return await commits.write(lambda session: write(session, record))
    except (DataError, IntegrityError) as exc:  # a value the database refuses: retrying cannot help
        raise _invalid(exc) from exc
    except DBAPIError:  # the database is away or busy: retry
        raise
    except StatementError as exc:  # a value refused before reaching the database
        raise _invalid(exc) from exc


# Why the database refused an event, as people read it: the error's class, first match.
REFUSALS: tuple[tuple[type[Exception], str], ...] = (
    (IntegrityError, "dữ liệu trái ràng buộc của cơ sở dữ liệu"),
    (DataError, "cơ sở dữ liệu không nhận một giá trị (quá dài hoặc sai kiểu)"),
    (StatementError, "có giá trị không hợp lệ"),
)


def _invalid(exc: Exception) -> ApplicationError:
    reason = next(phrase for kind, phrase in REFUSALS if isinstance(exc, kind))
    return ApplicationError(f"invalid event: {exc}", reason, type=INVALID_EVENT, non_retryable=True)
