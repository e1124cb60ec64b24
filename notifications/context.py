"""What the templates are given: typed values built from an outbox row or a digest's tasks.

`notification_context` turns a notification's JSON payload (`activities.events`) back into
dates, an aware datetime in Asia/Ho_Chi_Minh and the task page's URL. `digest_context` sorts
and groups open tasks for the chairman's daily digest and a unit's weekly digest. A digest
with nothing in it still renders (it says so); whether to send it is the caller's choice,
asked through `digest_is_empty`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from domain.calendar import TZ
from domain.communes import CommuneProfile, supervising_authority
from domain.lifecycle import FINAL_STATES
from domain.units import unit_key
from services.tasks import short_id
from workflows.round_contracts import Publication

DAILY_RECIPIENT = "chairman"
WEEKLY_RECIPIENT = "unit"  # the head and the officers of one unit
WEEKLY_DAYS = 7  # the weekly digest lists what falls due in the next 7 days, today included
CLOSED_STATES = frozenset(state.value for state in FINAL_STATES)


@dataclass(frozen=True)
class DigestItem:
    """One open task occurrence, as a digest lists it."""

    workflow_id: str
    task_code: str
    title: str
    units: tuple[str, ...]  # its lead units
    due: date  # overdue once this day is over
    days_late: int  # days past due, as the caller counts them (shown, and the sort order)
    escalation_level: int
    state: str


def task_url(base_url: str, workflow_id: str) -> str:
    """The task page: `{base_url}/tasks/1/I.3/2024-02`, every path segment percent-encoded."""
    segments = (quote(segment, safe="") for segment in short_id(workflow_id).split("/"))
    return f"{base_url.rstrip('/')}/tasks/{'/'.join(segments)}"


def notification_context(
    *,
    kind: str,
    commune: str,
    recipient: str,
    unit: str | None,
    payload: Mapping[str, Any],
    workflow_id: str,
    base_url: str,
    person_name: str | None = None,
    profile: CommuneProfile | None = None,
    office: str | None = None,
    names: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Everything a notification template needs, from an outbox row; `names` shows the actor's
    username as a person (services.people.shown_names)."""
    due = date.fromisoformat(payload["due"])
    at = _instant(payload["at"])
    return {
        "kind": kind,
        "commune": commune,
        "commune_kind": profile.kind if profile else None,  # xã when unknown
        "office": office,  # the directory's name of the office's unit; the vocabulary's word when unknown
        "recipient": recipient,
        "unit": unit,
        "person_name": person_name,
        "plan_id": payload["plan_id"],
        "plan_number": payload.get("plan_number", ""),
        "task_code": payload["task_code"],
        "occurrence_key": payload["occurrence_key"],
        "title": payload["title"],
        "due": due,
        "lead": list(payload["lead"]),
        "state": payload["state"],
        "event": payload["event"],
        "at": at,
        "actor": _shown(payload["actor"], names),
        "detail": payload.get("detail", ""),
        "level": payload.get("level"),  # reminder: working days left; escalation: its level
        "days_late": max((at.date() - due).days, 0),  # calendar days past due at the event
        "old_due": _optional_date(payload.get("old_due")),
        "new_due": _optional_date(payload.get("new_due")),
        "old_lead": list(payload.get("old_lead", [])),
        "new_lead": list(payload.get("new_lead", [])),
        "task_url": task_url(base_url, workflow_id),
    }


def _shown(username: str, names: Mapping[str, str] | None) -> str:
    return (names or {}).get(username, username)


def round_url(base_url: str, commune: str, year: int) -> str:
    """The round's page: `{base_url}/rounds/2025/X%C3%A3%20H%C3%B2a%20An`."""
    return f"{base_url.rstrip('/')}/rounds/{year}/{quote(commune, safe='')}"


def round_context(
    *,
    kind: str,
    commune: str,
    recipient: str,
    unit: str | None,
    payload: Mapping[str, Any],
    workflow_id: str,
    base_url: str,
    person_name: str | None = None,
    profile: CommuneProfile | None = None,
    office: str | None = None,
    names: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Everything a PAR round's notification template needs, from an outbox row
    (notifications/round_notices.py); the same arguments as `notification_context`."""
    return {
        "kind": kind,
        "commune": commune,
        "commune_kind": profile.kind if profile else None,  # xã when unknown
        "office": office,  # the directory's name of the office's unit; the vocabulary's word when unknown
        "recipient": recipient,
        "unit": unit,
        "person_name": person_name,
        "year": payload["year"],
        "deadline": _optional_date(payload.get("deadline")),
        "level": payload.get("level"),
        "codes": list(payload.get("codes", [])),  # asked about
        "changed": list(payload.get("changed", [])),  # changed since the approval
        "state": payload["state"],
        "event": payload["event"],
        "at": _instant(payload["at"]),
        "actor": _shown(payload["actor"], names),
        "detail": payload.get("detail", ""),
        "published": _publication(payload),
        "round_url": round_url(base_url, commune, payload["year"]),
        "authority": _supervisor(profile, _instant(payload["at"]).date()),
    }


def _publication(payload: Mapping[str, Any]) -> Publication | None:
    """The published result with the province's decision; None for other events, and for
    results published before decisions were recorded."""
    if "decision" not in payload:
        return None
    return Publication.model_validate({name: payload[name] for name in Publication.model_fields})


def digest_context(
    *,
    items: Iterable[DigestItem],
    today: date,
    commune: str,
    base_url: str,
    unit: str | None = None,
    person_name: str | None = None,
    profile: CommuneProfile | None = None,
) -> dict[str, Any]:
    """The chairman's daily digest (`unit` None) or `unit`'s weekly digest.

    Overdue tasks come first, grouped by lead unit: the unit with the latest task first,
    within it the latest task first. Then what falls due soon: by the end of this week
    (Sunday) for the daily digest, within 7 days for the weekly one. A task led by two units
    is listed under each, one with no lead unit under the unit "". Closed tasks and, for a
    weekly digest, other units' tasks are left out.
    """
    open_items = [item for item in items if item.state not in CLOSED_STATES and _concerns(item, unit)]
    overdue = [item for item in open_items if item.due < today]
    horizon = _end_of_week(today) if unit is None else today + timedelta(days=WEEKLY_DAYS - 1)
    due_soon = sorted(
        (item for item in open_items if today <= item.due <= horizon),
        key=lambda item: (item.due, item.units, item.task_code),
    )
    return {
        "recipient": DAILY_RECIPIENT if unit is None else WEEKLY_RECIPIENT,
        "commune": commune,
        "commune_kind": profile.kind if profile else None,  # xã when unknown
        "unit": unit,
        "person_name": person_name,
        "today": today,
        "horizon": horizon,
        "overdue_count": len(overdue),
        "overdue_groups": _overdue_groups(overdue, unit, base_url),
        "due_soon": [_row(item, base_url) for item in due_soon],
    }


def _supervisor(profile: CommuneProfile | None, on: date) -> str:
    """Who supervises the commune on `on`: "Phòng Nội vụ huyện …", "Sở Nội vụ tỉnh …"."""
    if profile is None:
        return supervising_authority(on, district=None, province=None)
    return profile.supervising_authority(on)


def digest_is_empty(context: Mapping[str, Any]) -> bool:
    """Whether a digest context lists no task at all (the caller may then not send it)."""
    return not context["overdue_groups"] and not context["due_soon"]


def _instant(text: str) -> datetime:
    at = datetime.fromisoformat(text)
    if at.tzinfo is None:
        raise ValueError(f"instant without a UTC offset: {text!r}")
    return at.astimezone(TZ)


def _optional_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _concerns(item: DigestItem, unit: str | None) -> bool:
    return unit is None or unit_key(unit) in {unit_key(u) for u in item.units}


def _end_of_week(today: date) -> date:
    return today + timedelta(days=6 - today.weekday())


def _overdue_groups(overdue: Sequence[DigestItem], unit: str | None, base_url: str) -> list[dict[str, Any]]:
    """Overdue tasks by lead unit, one group for every spelling of a unit, named as first spelt."""
    names: dict[str, str] = {}
    by_unit: dict[str, list[DigestItem]] = {}
    for item in overdue:
        for lead in (unit,) if unit is not None else item.units or ("",):
            key = unit_key(lead)
            names.setdefault(key, lead)
            by_unit.setdefault(key, []).append(item)
    latest_first = sorted(by_unit, key=lambda key: (-max(i.days_late for i in by_unit[key]), names[key]))
    return [
        {"unit": names[key], "rows": [_row(item, base_url) for item in sorted(by_unit[key], key=_lateness)]}
        for key in latest_first
    ]


def _lateness(item: DigestItem) -> tuple[int, date, str]:
    return (-item.days_late, item.due, item.task_code)


def _row(item: DigestItem, base_url: str) -> dict[str, Any]:
    return {**asdict(item), "url": task_url(base_url, item.workflow_id)}
