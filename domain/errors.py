"""Our own failures, by category: the category decides the CLI's exit code (cli/errors.py) and
the web's HTTP status (web/errors.py); the error itself says, in Vietnamese, what went wrong."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar


class ErrorCategory(StrEnum):
    BAD_INPUT = "bad_input"  # what was given cannot be used
    NOT_ALLOWED = "not_allowed"  # this person may not do this
    NOT_FOUND = "not_found"  # no such thing (or none this person may see)
    CONFLICT = "conflict"  # it clashes with what is stored
    UNAVAILABLE = "unavailable"  # a server, program or setting the product needs is missing


class CchcError(Exception):
    """One of the product's failures. Its message is for people (Vietnamese); `lines` frames it."""

    category: ClassVar[ErrorCategory]
    lead: ClassVar[str] = "Lỗi: "  # what the first line starts with
    closing: ClassVar[str] = ""  # what ends the first line ("." after a message written as a phrase)

    def lines(self, next_step: str = "") -> list[str]:
        """What people read: one line per line of the message; `next_step` (what the face they
        read it in offers to do next, e.g. a command) in brackets at the end of the first."""
        first, *rest = str(self).splitlines() or [""]
        step = f" ({next_step})" if next_step else ""
        return [f"{self.lead}{first}{step}{self.closing}", *rest]
