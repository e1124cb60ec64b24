"""Sign-in rate limit: after 5 failures for one username or from one address within 15
minutes, every sign-in for it is refused for the next 15 minutes, whatever the password.

The failures are rows in the database, so the limit survives a restart and holds across
every process serving the site. Attempts refused while locked are not counted: the lock
ends 15 minutes after the failure that set it, however often someone keeps trying.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from persistence.users import drop_failures_before, failures_since, record_failure

LIMIT = 5
WINDOW = timedelta(minutes=15)
LOCK = timedelta(minutes=15)
KEEP = timedelta(days=1)  # older failures are deleted


def lock_end(failures: list[datetime]) -> datetime | None:
    """When the lock that `failures` (oldest first) set ends, or None if they set none."""
    ends = [
        failures[last] + LOCK
        for last in range(LIMIT - 1, len(failures))
        if failures[last] - failures[last - LIMIT + 1] <= WINDOW
    ]
    return max(ends, default=None)


def locked_until(session: Session, now: datetime, *, username: str, address: str) -> datetime | None:
    """Until when sign-ins for `username` or from `address` are refused, or None if they are not."""
    failures = failures_since(session, now - WINDOW - LOCK, username=username, address=address)
    end = _latest(lock_end(times) for times in failures.values())
    return end if end is not None and end > now else None


def note_failure(session: Session, now: datetime, *, username: str, address: str) -> None:
    record_failure(session, username, address, now)
    drop_failures_before(session, now - KEEP)


def _latest(ends: Iterable[datetime | None]) -> datetime | None:
    return max((end for end in ends if end is not None), default=None)
