"""The audit chain's format: canonical event JSON and SHA-256 links. Pure; docs/audit.md
describes the same rules for auditors who recompute them with other tools.

Per task occurrence (workflow id), in seq order 1, 2, 3 ...:

    hash_0 = "0" * 64
    hash_n = sha256(ascii(hash_{n-1}) || canonical_json(event_n)), as 64 lowercase hex digits

The event is the object `event_document` builds; canonical JSON is that object with its keys
sorted at every level, no whitespace, non-ASCII characters as themselves, UTF-8.
A plan's head: sha256 over the lines "<workflow id> <last hash>\n", sorted by workflow id.

This format is fixed for good: every stored hash depends on it, migration 0007 included.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

GENESIS = "0" * 64
VIET_NAM = ZoneInfo("Asia/Ho_Chi_Minh")

T = TypeVar("T")


def canonical_json(value: Any) -> bytes:
    """`value` as canonical JSON bytes: sorted keys, no whitespace, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def canonical_instant(moment: datetime) -> str:
    """An aware instant in ISO 8601 at +07:00: 2024-01-15T08:00:00+07:00 (microseconds only if any)."""
    if moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: the chain holds instants only")
    return moment.astimezone(VIET_NAM).isoformat()


def event_document(
    *,
    workflow_id: str,
    seq: int,
    at: datetime,
    kind: str,
    state: str,
    actor: str,
    role: str,
    detail: str,
    data: dict[str, Any],
) -> dict[str, Any]:
    """The object an event's link hashes: what happened, when, by whom, to which task."""
    return {
        "workflow_id": workflow_id,
        "seq": seq,
        "at": canonical_instant(at),
        "kind": kind,
        "state": state,
        "actor": actor,
        "role": role,
        "detail": detail,
        "data": data,
    }


# The columns of an event that its canonical document is made of, beside its workflow id.
EVENT_COLUMNS = ("seq", "at", "kind", "state", "actor", "role", "detail", "payload")


def document_of(event: Any) -> dict[str, Any]:
    """The canonical event of anything with the `task_events` columns as attributes."""
    return event_document(
        workflow_id=event.workflow_id,
        seq=event.seq,
        at=event.at,
        kind=event.kind,
        state=event.state,
        actor=event.actor,
        role=event.role,
        detail=event.detail,
        data=event.payload,
    )


def link(previous: str, document: dict[str, Any]) -> str:
    """The hash of the event `document` that follows the event hashed `previous`."""
    return hashlib.sha256(previous.encode("ascii") + canonical_json(document)).hexdigest()


def links(documents: Iterable[dict[str, Any]], previous: str = GENESIS) -> Iterator[str]:
    """The hash of each of `documents`, chained in the order given, after `previous`."""
    for document in documents:
        previous = link(previous, document)
        yield previous


def unbroken(items: Iterable[T], seq_of: Callable[[T], int], first: int = 1) -> list[T]:
    """The leading `items` (in seq order) numbered first, first + 1, ... up to the first gap:
    the events that can be chained once the one before `first` is."""
    run: list[T] = []
    for item in items:
        if seq_of(item) != first + len(run):
            break
        run.append(item)
    return run


def plan_head(heads: Iterable[tuple[str, str]]) -> str:
    """The head of a plan's chains, from each task's (workflow id, hash of its last event)."""
    lines = "".join(f"{workflow_id} {last}\n" for workflow_id, last in sorted(heads))
    return hashlib.sha256(lines.encode()).hexdigest()
