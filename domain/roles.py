"""Who acts on a task and what they may ask of it: the product's roles, the authenticated
actor, the actions and the fields a person fills in to ask one."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Role(StrEnum):
    CHAIRMAN = "chairman"  # Chủ tịch UBND xã: a leader, in charge of every unit
    VICE_CHAIRMAN = "vice_chairman"  # Phó Chủ tịch UBND xã: a leader, in charge of his units
    REVIEWER = "reviewer"  # Văn phòng, the CCHC focal point: checks and confirms completion
    OFFICER = "officer"  # công chức of one or more units
    AUDITOR = "auditor"  # reads everything, changes nothing
    APPRAISER = "appraiser"  # the supervising authority's appraisal team (Sở Nội vụ), its communes only
    SUPERVISOR = "supervisor"  # the supervising authority's head: reads its communes' rounds, changes nothing
    ADMIN = "admin"
    SYSTEM = "system"  # the product itself: timers, imports, amendments


class Actor(BaseModel):
    """Who acts, as established by the caller's authentication (never Temporal's `identity`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    user: str
    role: Role
    # An officer's units; the units a vice chairman is in charge of; the office's own unit.
    units: tuple[str, ...] = ()


LEADERS = frozenset({Role.CHAIRMAN, Role.VICE_CHAIRMAN})  # who decides extensions, reassignments, stopping


class Action(StrEnum):
    """What a person may ask of a task: one workflow update each."""

    ACKNOWLEDGE = "acknowledge"
    REPORT_PROGRESS = "report_progress"
    SUBMIT_EVIDENCE = "submit_evidence"
    REVIEW = "review"
    EXTEND_DEADLINE = "extend_deadline"
    REASSIGN = "reassign"
    WAIVE = "waive"


class ActionField(StrEnum):
    """What a person fills in to ask an action (the web's forms name their fields so)."""

    NOTE = "note"
    PERCENT = "percent"
    DOCUMENT_NUMBER = "document_number"
    DOCUMENT_DATE = "document_date"
    TITLE = "title"
    COMMENT = "comment"
    NEW_DUE = "new_due"
    REASON = "reason"
    LEAD = "lead"
    OFFICER = "officer"
