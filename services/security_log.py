"""The security log: sign-ins, refused and slowed-down sign-ins, accounts added, locked and
unlocked, passwords reset (by someone else) and changed (by their owner). One record per event
on the Python logger `cchc.security`, its message a JSON object (`event`, who acted, on which
account, from where, and the particulars) and the same fields on the record as `security`, so
any handler can keep or ship them as they are; the web and the account commands also append
them to <data_dir>/security.log (0600). Passwords and session contents are never written."""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict

LOGGER = logging.getLogger("cchc.security")
OPERATOR = "cli"  # who acts at the terminal: the operator, known to the machine, not to us


class SecurityEvent(StrEnum):
    SIGNED_IN = "signed_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_IN_SLOWED = "sign_in_slowed"  # refused unchecked: the limit's wait was running
    ACCOUNT_ADDED = "account_added"  # with its role: the only way a role is given
    ACCOUNT_LOCKED = "account_locked"
    ACCOUNT_UNLOCKED = "account_unlocked"
    PASSWORD_RESET = "password_reset"  # by someone else: its owner must change it
    PASSWORD_CHANGED = "password_changed"  # by its owner, who gave the current one
    PASSWORD_CHANGE_REFUSED = "password_change_refused"  # the current password given was wrong


class SecurityRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    event: SecurityEvent
    account: str  # the username acted on (as typed, for a failed sign-in)
    actor: str | None = None  # who acted, when not the account itself
    address: str | None = None  # the client's address, as the sign-in limit counts it
    role: str | None = None
    until: datetime | None = None


def log_security(record: SecurityRecord) -> None:
    fields = record.model_dump(mode="json", exclude_none=True)
    LOGGER.info(json.dumps(fields, ensure_ascii=False, sort_keys=True), extra={"security": fields})


def open_security_log(path: Path) -> None:
    """Append the security log to `path` too, readable by its owner only: one file per process
    (a process serves one data directory), so opening another closes the one before."""
    path = path.resolve()
    for handler in [h for h in LOGGER.handlers if isinstance(h, logging.FileHandler)]:
        if handler.baseFilename == str(path):
            return
        LOGGER.removeHandler(handler)
        handler.close()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDONLY, 0o600))
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    LOGGER.addHandler(handler)
    LOGGER.setLevel(logging.INFO)
