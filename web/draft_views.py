"""What the draft editor shows of a draft: the plan's head, each field with its errors and
the reader's guess; each task's fields, the due dates its time gives with the rule used, its
errors by field and its warnings (web.routes.plan_drafts)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import Request

from domain.vocabulary import due_rule_words
from importers import ImportResult
from importers.draft_edit import (
    DraftCheck,
    DraftHead,
    DraftTask,
    DueReading,
    EditableDraft,
    Field,
    check_draft,
    draft_yaml,
    due_dates,
    editable_draft,
)
from importers.drafts import HeadField
from persistence.users import User
from web.auth import another_commune
from web.i18n import translator
from web.plan_uploads import keep_draft
from web.templating import language


@dataclass(frozen=True)
class EditorRow:
    """One task as the editor shows it."""

    task: DraftTask
    due: str  # the due dates its time gives and the rule, or why it cannot be read
    due_error: bool
    errors: dict[Field, list[str]]
    warnings: list[str]  # about the task as it stands (its reading's are on the task)


@dataclass(frozen=True)
class HeadRow:
    """One field of the plan's head as the editor shows it."""

    field: HeadField
    label: str  # its words' key (web.i18n)
    value: str
    errors: list[str]
    guess: str | None  # the reader's warning, while the value is its guess


HEAD_LABELS = {
    HeadField.NUMBER: "plan_number",
    HeadField.DATE: "issue_date",
    HeadField.YEAR: "year",
    HeadField.ISSUER: "issuer",
    HeadField.COMMUNE: "commune",
    HeadField.TITLE: "plan_title",
}


def head_rows(head: DraftHead, check: DraftCheck) -> list[HeadRow]:
    return [
        HeadRow(field, label, getattr(head, field), check.head_errors.get(field, []), head.guess(field))
        for field, label in HEAD_LABELS.items()
    ]


def checked(user: User, draft: EditableDraft) -> DraftCheck:
    """The draft read as a plan (`check_draft`), and as the user's: a commune's people store
    only their commune's plans, issued by its committee (the refusal on its field)."""
    check = check_draft(draft)
    refusal = another_commune(user, draft.plan.commune, draft.plan.issuer)
    if refusal is not None:
        check.head_errors.setdefault(refusal.field, []).append(refusal.message)
        check.plan = None
    return check


def keep_new_draft(upload: Path, result: ImportResult) -> EditableDraft:
    """The draft of a plan just read, kept beside its upload."""
    draft = editable_draft(result)
    keep_draft(upload, draft_yaml(draft))
    return draft


@dataclass(frozen=True)
class DraftPlace:
    """Which upload the draft is of, and the year and commune typed with it."""

    token: str
    year: str
    commune: str


def editor_context(
    request: Request,
    user: User,
    place: DraftPlace,
    draft: EditableDraft,
    check: DraftCheck | None = None,
    problem: str | None = None,
) -> dict:
    """What the editor shows of `draft`: each task's fields, due dates, errors and warnings;
    `problem`, an operation refused."""
    lang = language(request)
    check = check or checked(user, draft)
    rows = []
    for task in draft.tasks:
        reading = due_dates(draft, task.period)
        rows.append(
            EditorRow(
                task=task,
                due=due_text(reading, draft, lang),
                due_error=reading.error is not None,
                errors=check.errors.get(task.key, {}),
                warnings=check.warnings.get(task.key, []),
            )
        )
    return {
        "user": user,
        "place": place,
        "draft": draft,
        "head": head_rows(draft.plan, check),
        "rows": rows,
        "general": check.general,
        "notes": [*draft.notes, *check.notes],
        "problem": problem,
    }


def due_text(reading: DueReading, draft: EditableDraft, lang: str) -> str:
    """ "31/03/2023 · hạn là ngày cuối kỳ; trùng ngày nghỉ ..." or the reason it cannot be read."""
    if reading.error is not None:
        return reading.error
    t = translator(lang)
    dates = ", ".join(
        f"{day:%d/%m/%Y}" + (f" ({t('past_due_at_issue')})" if past else "")
        for day, past in zip(reading.dates, reading.past_due, strict=True)
    )
    rules = "; ".join(due_rule_words(rule, draft.settings, lang) for rule in reading.rules)
    return f"{dates} · {rules}"
