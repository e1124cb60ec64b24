"""The plan's identity from its document text: number, date, issuer, commune, title, year.

Read from the standard header of an administrative document:

    ỦY BAN NHÂN DÂN                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    XÃ QUẢNG VINH                   Độc lập - Tự do - Hạnh phúc
    Số: 136/KH-UBND                 Quảng Điền, ngày 20 tháng 4 năm 2020
                          KẾ HOẠCH
          Nâng cao chỉ số Cải cách hành chính năm 2020

and, when the header is not there (an annex, a table pasted alone), from the annex line
"(Kèm theo Kế hoạch số 10/KH-UBND ngày 15/01/2024 của UBND xã Vĩnh Khê)", the title
("... xã Vĩnh Khê năm 2024") or the first "UBND xã ..." of the text.

What is still missing after that, `complete_head` fills from the caller's arguments and
the file: the year from `--year` (else the title's "năm 2024", else the date's year); the
issuer "UBND xã <commune>" from `--commune`; the number from the file's name; the date as
1 January of the year. Each such fill is a warning; a year or an issuer that cannot be
known is an error asking for `--year` or `--commune`. `GivenHead` (`--number`, `--date`,
`--issuer`) wins over what the document says.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date

from importers.errors import Findings
from importers.table import fold

_MARKUP = re.compile(r"</?[a-z]+>|[*#]+")
_NUMBER = re.compile(r"Số\s*:?\s*(?P<number>\d+\s*/\s*[^\s,;]+(?:\s*[-–]\s*[^\s,;]+)*)", re.IGNORECASE)
_DAY_MONTH_YEAR = (
    r"(?P<day>\d{1,2})\s*(?:tháng\s*(?P<month>\d{1,2})\s*năm\s*|[/.-]\s*(?P<month2>\d{1,2})\s*[/.-]\s*)(?P<year>\d{4})"
)
_DATE_LINE = re.compile(rf"(?P<place>[^\d,]{{2,40}}?)\s*,\s*ngày\s*{_DAY_MONTH_YEAR}", re.IGNORECASE)
_ANNEX = re.compile(
    rf"Kèm theo\s+(?:Kế hoạch|KH)\s+số\s*(?P<number>\S+)\s+ngày\s*{_DAY_MONTH_YEAR}\s+của\s+(?P<issuer>[^)]+)",
    re.IGNORECASE,
)
_COMMITTEE = re.compile(r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)(?:\s*\(UBND\))?\s+", re.IGNORECASE)
_LEVEL = re.compile(r"\b(?P<level>xã|phường|thị trấn)\s+", re.IGNORECASE)
_TITLE_YEAR = re.compile(r"năm\s+(\d{4})", re.IGNORECASE)


@dataclass(frozen=True)
class FoundHead:
    """What the document says about itself; None where it says nothing."""

    number: str | None = None
    date: date | None = None
    place: str | None = None  # before ", ngày ...": a commune or a district
    level: str | None = None  # "xã", "phường", "thị trấn"
    commune: str | None = None  # "Vĩnh Khê"
    title: str | None = None

    @property
    def issuer(self) -> str | None:
        return f"UBND {self.level} {self.commune}" if self.commune else None

    @property
    def title_year(self) -> int | None:
        years = _TITLE_YEAR.findall(self.title or "")
        return int(years[-1]) if years else None


@dataclass(frozen=True)
class GivenHead:
    """What the user gives for the header (`--number`, `--date`, `--issuer`)."""

    number: str | None = None
    date: date | None = None
    issuer: str | None = None  # "UBND xã Long Điền A"

    def over(self, found: FoundHead) -> FoundHead:
        level, commune = _issuer_in(self.issuer) if self.issuer else (None, None)
        return replace(
            found,
            number=self.number or found.number,
            date=self.date or found.date,
            level=level or found.level,
            commune=commune or found.commune,
        )


def find_head(text: str) -> FoundHead:
    """Number, date, place, issuer and title, each from the first place that gives it."""
    lines = [line for line in (_plain(line) for line in text.splitlines()) if line]
    number, issued, place = _number(lines), None, None
    for line in lines:
        if match := _DATE_LINE.match(line):
            issued, place = _date(match), " ".join(match["place"].split())
            break
    level, commune = _header_block_issuer(lines)
    title = _title(lines)
    annex = _ANNEX.search(" ".join(lines))
    if annex:
        number = number or annex["number"].rstrip(",;")
        issued = issued or _date(annex)
        if commune is None:
            level, commune = _issuer_in(annex["issuer"])
    if commune is None and title:
        level, commune = _issuer_in(title)
    if commune is None:
        level, commune = _issuer_in(" ".join(lines), after_committee=True)
    return FoundHead(number=number, date=issued, place=place, level=level, commune=commune, title=title)


def complete_head(
    found: FoundHead, *, stem: str, year: int | None, commune: str | None, report: Findings
) -> dict | None:
    """The plan's head for `assemble_plan`, or None (with an error) when its year is unknown."""
    plan_year = year or found.title_year or (found.date.year if found.date else None)
    issuer = found.issuer or (f"UBND xã {commune}" if commune else None)
    if issuer is None:
        report.error("không xác định được cơ quan ban hành (“ỦY BAN NHÂN DÂN XÃ …”); hãy ghi tên xã (--commune)")
    if found.issuer is None and commune:
        report.warning(f"kế hoạch không ghi cơ quan ban hành; dùng “{issuer}” theo tên xã đã cho")
    if plan_year is None:
        report.error(
            "không xác định được năm của kế hoạch (không có ngày ban hành hay “năm …” trong tên); hãy ghi năm (--year)"
        )
        return None
    issued = found.date
    if issued is None:
        issued = date(plan_year, 1, 1)
        report.warning(f"kế hoạch không ghi ngày ban hành (“…, ngày … tháng … năm …”); dùng ngày {issued:%d/%m/%Y}")
    number = found.number
    if number is None:
        number = stem
        report.warning(f"kế hoạch không ghi số (“Số: …/KH-UBND”); dùng tên tệp “{stem}”")
    return {
        "number": number,
        "date": issued,
        "issuer": issuer,
        "commune": commune or found.commune or found.place,
        "year": plan_year,
        "title": found.title or f"Kế hoạch {number}",
    }


def _plain(line: str) -> str:
    """A line without markdown or HTML markup, NFC, single spaces."""
    return " ".join(_MARKUP.sub(" ", unicodedata.normalize("NFC", line)).split())


def _number(lines: list[str]) -> str | None:
    for line in lines:
        if match := _NUMBER.match(line):
            return " ".join(match["number"].split())
    return None


def _date(match: re.Match) -> date | None:
    month = match["month"] or match["month2"]
    try:
        return date(int(match["year"]), int(month), int(match["day"]))
    except ValueError:
        return None


def _header_block_issuer(lines: list[str]) -> tuple[str | None, str | None]:
    """ "ỦY BAN NHÂN DÂN" then "XÃ QUẢNG VINH" (or both on one line, or "UBND XÃ ...")."""
    for i, line in enumerate(lines[:20]):
        committee = _COMMITTEE.match(line + " ")
        if committee is None or not line.isupper():
            continue
        rest = line[committee.end() :] or (lines[i + 1] if i + 1 < len(lines) else "")
        level, commune = _issuer_in(rest, after_committee=False)
        if commune:
            return level, commune
    return None, None


def _issuer_in(text: str, *, after_committee: bool = False) -> tuple[str | None, str | None]:
    """The level and the name in "xã Vĩnh Khê năm 2024", "XÃ QUẢNG VINH", or, after_committee,
    only where the committee is named: "UBND xã Vĩnh Khê", "Ủy ban nhân dân (UBND) xã ..."."""
    if after_committee:
        levels = (m for c in _COMMITTEE.finditer(text) if (m := _LEVEL.match(text, c.end())))
    else:
        levels = _LEVEL.finditer(text)
    for level in levels:
        name = _capitalised_words(text[level.end() :])
        if name:
            return level["level"].lower(), name.title() if name.isupper() else name
    return None, None


def _capitalised_words(text: str) -> str:
    """The leading words that start with a capital: "Vĩnh Khê năm 2024" → "Vĩnh Khê"."""
    words = []
    for word in text.split():
        word = word.strip(",.;:()")
        if not word or not word[0].isupper():
            break
        words.append(word)
    return " ".join(words)


def _title(lines: list[str]) -> str | None:
    """The line after the "KẾ HOẠCH" heading, with its continuation lines (lower case start)."""
    for i, line in enumerate(lines):
        if fold(line) == "kehoach" and line.isupper() and i + 1 < len(lines):
            title = [lines[i + 1]]
            for following in lines[i + 2 :]:
                if not following[0].islower():
                    break
                title.append(following)
            return " ".join(title).rstrip(".")
    return None
