"""A document cited in full, as Nghị định 30/2020/NĐ-CP writes a reference to another:
"Quyết định số 15/QĐ-UBND ngày 15/01/2024 của UBND xã Vĩnh Khê về việc …".

The type is read from the number's abbreviation (Phụ lục III: QĐ, KH, BC, …) where it is not
recorded; a number without one ("12/UBND-VP") is a letter, a công văn.
"""

from __future__ import annotations

import re
from datetime import date

from domain.formatting import dmy

# A document's number as written after "Số:": "15/QĐ-UBND", "10/KH-UBND", "123/2024/NĐ-CP", "05/BC-VP".
DOCUMENT_NUMBER = re.compile(r"^\d+(/\d{4})?/[A-ZĐ]+(-[A-ZĐ0-9]+)*$")

# The abbreviations of Phụ lục III, Nghị định 30/2020/NĐ-CP, that commune documents use.
TYPE_NAMES = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "GM": "Giấy mời",
    "GXN": "Giấy xác nhận",
}
LETTER = "Công văn"
ANY = "Văn bản"
_ABOUT = ("về việc", "v/v", "về ")  # how a summary may start: "Kế hoạch về việc: Ban hành …"


def document_type(number: str) -> str:
    """ "Quyết định" for "15/QĐ-UBND", "Công văn" for "12/UBND-VP", "Văn bản" for a bare "15"."""
    _, slash, code = number.partition("/")
    if not slash:
        return ANY
    return TYPE_NAMES.get(code.split("-")[0].strip(), LETTER)


def citation(number: str, day: date, issuer: str | None, summary: str, kind: str | None = None) -> str:
    """ "Quyết định số 15/QĐ-UBND ngày 15/01/2024 của UBND xã Vĩnh Khê về việc ban hành …"."""
    named = kind or document_type(number)
    about = _without(summary.strip(), (named.casefold() + " ",)).lstrip(": ")
    about = _without(about, _ABOUT).lstrip(": ")
    by = f" của {issuer}" if issuer else ""
    tail = f" về việc {about}" if about else ""
    return f"{named} số {number} ngày {dmy(day)}{by}{tail}"


def _without(text: str, leads: tuple[str, ...]) -> str:
    """`text` without the first of `leads` it starts with (in any case)."""
    for lead in leads:
        if text.casefold().startswith(lead):
            return text[len(lead) :]
    return text
