"""The commune as its texts name it, and who supervises it on a given day.

Since 1 July 2025 Vietnam has no district level: a commune is a xã, a phường or a đặc khu,
supervised directly by the province's Sở Nội vụ; before, the district's Phòng Nội vụ
supervised it. `CommuneProfile` holds what is known of one commune (its kind and its
administrative code, mã đơn vị hành chính, its district and province as written: "huyện Vĩnh
Linh", "tỉnh Quảng Trị"); `supervising_authority` gives the body in charge on a day.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from domain.errors import CchcError, ErrorCategory
from domain.language import Language
from domain.models import CommuneKind
from domain.vocabulary import label

DISTRICTS_ABOLISHED = date(2025, 7, 1)  # two-level local government (Luật Tổ chức chính quyền địa phương 2025)
_LEVELS = ("huyện", "quận", "thị xã", "thành phố", "tỉnh")  # a district's or a province's


class CommuneCodeError(CchcError, ValueError):
    category = ErrorCategory.BAD_INPUT
    closing = "."

    def __init__(self, written: str):
        super().__init__(f"mã đơn vị hành chính “{written}” phải gồm đúng 5 chữ số, ví dụ 19237; không ghi gì")


def commune_code(written: str) -> str:
    """An administrative code (mã đơn vị hành chính) as written by a person: five digits."""
    code = written.strip()
    if not (len(code) == 5 and code.isascii() and code.isdigit()):
        raise CommuneCodeError(written)
    return code


class CommuneProfile(BaseModel):
    """What is known of one commune; None where nobody said."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)  # "Bến Nghé"
    kind: CommuneKind | None = None
    code: str | None = Field(default=None, pattern=r"^\d{5}$")  # mã đơn vị hành chính: five digits
    district: str | None = None  # "huyện Vĩnh Linh": the district it belonged to before 1/7/2025
    province: str | None = None  # "tỉnh Quảng Trị"

    @property
    def word(self) -> str:
        """ "phường"; "xã" when the kind is unknown, the commune-level word of old."""
        return label(self.kind or CommuneKind.XA)

    @property
    def title(self) -> str:
        """ "Phường Bến Nghé", as a heading or a sentence's start writes it."""
        return commune_title(self.kind, self.name)

    @property
    def committee(self) -> str:
        """ "UBND phường Bến Nghé"."""
        return f"UBND {self.word} {self.name}"

    def supervising_authority(self, on: date) -> str:
        return supervising_authority(on, district=self.district, province=self.province)


def commune_title(kind: CommuneKind | None, name: str, lang: str = Language.VI) -> str:
    """ "Phường Bến Nghé" ("Ward Bến Nghé" in English); a commune of unknown kind is a "Xã"."""
    word = label(kind or CommuneKind.XA, lang)
    return f"{word[:1].upper()}{word[1:]} {name}"


def supervising_authority(on: date, *, district: str | None, province: str | None) -> str:
    """Who supervises a commune's administrative reform on `on`: "Phòng Nội vụ huyện Vĩnh Linh"
    before 1 July 2025, "Sở Nội vụ tỉnh Quảng Trị" from then on; without the level's name
    where it is not known."""
    if on < DISTRICTS_ABOLISHED:
        return f"Phòng Nội vụ {place_name(district, 'huyện')}" if district else "Phòng Nội vụ cấp huyện"
    return f"Sở Nội vụ {place_name(province, 'tỉnh')}" if province else "Sở Nội vụ"


def level_above(on: date) -> str:
    """The level right above the commune on `on`: "cấp huyện" before 1 July 2025, "cấp tỉnh" after."""
    return "cấp huyện" if on < DISTRICTS_ABOLISHED else "cấp tỉnh"


def place_name(written: str, level: str) -> str:
    """A district or province inside a sentence: its level in lower case ("Tỉnh Quảng Trị" →
    "tỉnh Quảng Trị"), `level` put in front of a bare name ("Vĩnh Linh" → "huyện Vĩnh Linh")."""
    name = " ".join(unicodedata.normalize("NFC", written).split())
    for known in _LEVELS:
        if name.casefold().startswith(known + " "):
            rest = name[len(known) :]
            return name if rest.strip().isdigit() else known + rest  # "Quận 1" keeps its capital
    return f"{level} {name}"
