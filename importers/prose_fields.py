"""What one paragraph of a prose plan says: a field line, an assignment, a unit, a time.

- Field lines name the task's units and time: "Cơ quan chủ trì: ...", "Đơn vị thực hiện:
  ...", "Phối hợp: ...", "Thời gian thực hiện: ..." (also "Thời hạn", "Tiến độ").
- An assignment names who does the duties that follow: an officer ("Đ/c Nguyễn Văn A –
  Công chức Tư pháp - Hộ tịch: ...", "Đồng chí ...") or a unit alone ("Công an xã: ...").
- A unit heading is an item whose whole text is a unit's name ("a) Bộ phận Văn phòng"): a
  few words starting with a word that names a body of the commune.
- A time expression in free text is a phrase the period grammar reads completely: a month,
  a quarter, a "before"/"by" day, or a recurring word; dates that cite a document ("ngày
  17/11/2017 của UBND tỉnh") are not deadlines and are not looked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class FieldKind(StrEnum):
    LEAD = "chủ trì"
    PERFORMER = "thực hiện"
    COORDINATING = "phối hợp"
    TIME = "thời gian"


_LABEL_WORDS = (
    r"(?:(?:cơ quan|đơn vị|bộ phận|cá nhân|người)\s+)?"
    r"(?:chủ trì(?:\s+thực hiện)?|thực hiện|phối hợp(?:\s+thực hiện)?"
    r"|(?:thời gian|thời hạn|tiến độ)(?:\s+(?:thực hiện|hoàn thành))?)"
)
_LABEL = re.compile(rf"(?P<written>{_LABEL_WORDS})\s*:\s*", re.IGNORECASE)
_NEXT_LABEL = re.compile(rf"[;.]\s*(?={_LABEL_WORDS}\s*:)", re.IGNORECASE)


@dataclass(frozen=True)
class FieldLine:
    kind: FieldKind
    label: str  # as written, for findings: "Cơ quan chủ trì"
    value: str


def field_lines(text: str) -> list[FieldLine]:
    """The fields a paragraph starting with a label holds: one, or several on one line
    ("Chủ trì: Văn phòng; Phối hợp: Tư pháp; Thời gian: Quý I/2024")."""
    if _LABEL.match(text) is None:
        return []
    return [_field(part) for part in _NEXT_LABEL.split(text)]


def _field(part: str) -> FieldLine:
    match = _LABEL.match(part)
    assert match is not None  # field_lines splits a text that starts with a label before each label
    label = match["written"].casefold()
    if any(word in label for word in ("thời", "tiến")):
        kind = FieldKind.TIME
    else:
        kind = next(k for k in (FieldKind.LEAD, FieldKind.COORDINATING, FieldKind.PERFORMER) if k.value in label)
    return FieldLine(kind, match["written"], part[match.end() :].strip())


# ---------------------------------------------------------------- units and officers

# Words that open the name of a body of the commune (or of a district, for district plans).
# A word that is also a verb is kept only when the verb does not follow ("ban hành", "tổ chức").
_BODY_WORDS = (
    "bộ phận",
    "công chức",
    "cán bộ",
    "cc",
    "văn phòng",
    r"phòng(?!\s+(?:chống|ngừa))",
    r"ban(?!\s+hành)",
    "công an",
    "quân sự",
    r"tổ(?!\s+chức)",
    "trạm",
    "đài",
    "trung tâm",
    "ủy ban",
    "uỷ ban",
    "ubnd",
    r"hội(?!\s+(?:nghị|thi|họp|thảo))",
    "đoàn",
    "mặt trận",
    "trường",
    "phụ trách",
    "ngành",
)
_BODY = re.compile(rf"(?:{'|'.join(_BODY_WORDS)})\b", re.IGNORECASE)
MAX_UNIT_WORDS = 8
# Titles before a unit in an officer's position: "Trưởng Công an xã" works in "Công an xã".
_TITLES = re.compile(r"(?:phó\s+)?(?:chủ tịch|chỉ huy trưởng|trưởng|bí thư)\s+(?=\S)|phó\s+(?=\S)", re.IGNORECASE)


def unit_heading(text: str) -> str | None:
    """The unit an item names when its whole text is a unit's name."""
    name = text.rstrip(" .:;")
    if len(name.split()) > MAX_UNIT_WORDS or any(c in name for c in ",;:") or not _BODY.match(name):
        return None
    return name


@dataclass(frozen=True)
class Assignment:
    unit: str
    duties: str  # the text after ":", may be empty when "+" duties follow
    officer: str | None = None
    position: str | None = None


_OFFICER = re.compile(
    r"(?:đ/c|đồng chí)\s+(?P<name>[^\s–—:-][^–—:]*?)\s*[–—-]\s*(?P<position>[^:]+?)\s*:\s*(?P<duties>.*)",
    re.IGNORECASE | re.DOTALL,
)
_UNIT_ALONE = re.compile(r"(?P<unit>[^:]{2,80}?)\s*:\s*(?P<duties>.*)", re.DOTALL)


def officer_assignment(text: str) -> Assignment | None:
    """ "Đ/c Nguyễn Văn An – Công chức Tư pháp - Hộ tịch: phụ trách ..."."""
    match = _OFFICER.fullmatch(text)
    if match is None:
        return None
    position = match["position"].strip()
    return Assignment(_unit_of(position), match["duties"].strip(), " ".join(match["name"].split()), position)


def unit_assignment(text: str) -> Assignment | None:
    """ "Công an xã: đảm bảo an ninh ..."; not a field line."""
    match = _UNIT_ALONE.fullmatch(text)
    if match is None or field_lines(text):
        return None
    unit = unit_heading(match["unit"])
    return Assignment(unit, match["duties"].strip()) if unit else None


def _unit_of(position: str) -> str:
    """The unit an officer's position names: "Trưởng Công an xã" → "Công an xã"; a position
    that is only a title ("Chủ tịch") is its own unit."""
    rest = _TITLES.sub("", position, count=1).strip() if _TITLES.match(position) else position
    return rest or position


# ---------------------------------------------------------------- time in free text

_TIME = re.compile(
    r"(?:trước|chậm nhất(?:\s+(?:là|vào))?|hạn chót)\s+(?:ngày\s+)?\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?"
    r"|(?:(?:trong|vào)\s+)?(?:tháng\s+\d{1,2}|quý\s+[IVX]{1,3})(?:\s*/\s*\d{4}|\s+năm\s+\d{4})?"
    r"(?:\s+và\s+(?:những|các)\s+năm\s+(?:tiếp theo|sau))?"
    r"|(?:thường xuyên|liên tục|định kỳ|hàng năm|hằng năm|hàng quý|hằng quý|hàng tháng|hằng tháng)"
    r"(?:\s+(?:hàng|hằng)\s+(?:tháng|quý|năm))?",
    re.IGNORECASE,
)
_CITED_DATE = re.compile(r"ngày\s+\d{1,2}\s*$", re.IGNORECASE)


def time_candidates(text: str) -> list[str]:
    """Phrases of `text` that may be its time, in reading order; "tháng 11 năm 2011" after
    "ngày 08" is the date of a cited document, not a time."""
    return [m.group() for m in _TIME.finditer(text) if not _CITED_DATE.search(text[: m.start()])]
