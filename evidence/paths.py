"""File and folder names built from task ids and document numbers: safe on every system."""

from __future__ import annotations

import re
import unicodedata

from services.tasks import short_id

UNSAFE = re.compile(r"[^\w.-]+")


def safe_name(text: str) -> str:
    """`text` as one path segment: letters (Vietnamese included), digits, '.', '-' and '_' only,
    "/" and anything else as '-'; never empty, never '.' or '..'."""
    name = UNSAFE.sub("-", unicodedata.normalize("NFC", text.strip())).strip("-")
    return name.lstrip(".") or "_"


def task_folder(workflow_id: str) -> str:
    """A task occurrence's folder: "cchc-task/1/I.3/2024-02" → "1/I.3/2024-02"."""
    return "/".join(safe_name(part) for part in short_id(workflow_id).split("/"))
