"""Text people type that reaches a workflow, an event or the database: printable only.

A control character (a NUL above all) is refused by PostgreSQL when the event is recorded, so
one that got into a workflow's request would stop its recording for good. Tabs and line
breaks are text; every other C0 and C1 control character is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel

PRINTABLE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def is_printable(text: str) -> bool:
    return _UNPRINTABLE.search(text) is None


def unprintable_problem(request: BaseModel) -> str | None:
    """A message naming the first field of `request` (nested ones too) holding a control
    character, or None when every text in it is printable."""
    for name, text in _texts(request, ""):
        if not is_printable(text):
            return f"trường “{name}” chứa ký tự điều khiển (không in được)"
    return None


def _texts(value: object, name: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield name, value
    elif isinstance(value, BaseModel):
        for field in type(value).model_fields:
            yield from _texts(getattr(value, field), f"{name}.{field}" if name else field)
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _texts(item, name)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{name}.{key}")
