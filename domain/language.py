"""The languages the product speaks: Vietnamese first, English on request."""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    VI = "vi"
    EN = "en"
