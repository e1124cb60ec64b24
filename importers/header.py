"""The plan's identity from its document text: number, date, issuer, commune, title, year.

Read from the standard header of an administrative document:

    ỦY BAN NHÂN DÂN                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    XÃ QUẢNG VINH                   Độc lập - Tự do - Hạnh phúc
    Số: 136/KH-UBND                 Quảng Điền, ngày 20 tháng 4 năm 2020
                          KẾ HOẠCH
          Nâng cao chỉ số Cải cách hành chính năm 2020

and, when the header is not there (an annex, a table pasted alone, a plan typed without
one), from, in this order: the annex line "(Kèm theo Kế hoạch số 10/KH-UBND ngày 15/01/2024
của UBND xã Vĩnh Khê)"; the sentence by which the committee says it makes the plan ("UBND xã
Vĩnh Khê xây dựng kế hoạch …", "Ủy ban nhân dân (UBND) xã Long Điền A ban hành Kế hoạch …"),
which wins over the district's and province's committees the plan cites before it; the title
("… xã Vĩnh Khê năm 2024"); the first "UBND xã …" of the text.

The issuer keeps its level: a commune is a xã, phường, thị trấn or (since the 2025 reform)
đặc khu; plans of earlier years may be a district's (huyện, quận, thị xã), whose name is then
the plan's commune. The level gives the commune's kind (`commune_kind_of`: xã, phường, đặc khu;
none for a thị trấn or a district). Where a text names both (a title "… của huyện Chợ Mới trên địa bàn xã
Long Điền A"), the commune is the issuer; a district is read from the header block, the
annex line, the issuer's sentence or the title, never from a mere mention in the body.

What is still missing after that, `complete_head` fills from the caller's arguments and
the file: the year from `--year` (else the title's "năm 2024", else the date's year); the
number from the file's name; the date as 1 January of the year. Each such fill is a warning;
a year or an issuer that cannot be known is an error asking for `--year` or `--commune`.
`--commune` wins over the document: the plan's commune is the given one, its issuer
"UBND <level> <commune>" with the level the document gives (xã when it gives none), and a
warning names both when the document names another. `GivenHead` (`--number`, `--date`,
`--issuer`) wins over what the document says.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import NamedTuple

from domain.models import CommuneKind
from domain.units import unit_key
from importers.drafts import HeadField, HeadGuess
from importers.errors import Findings
from importers.prose_fields import time_candidates
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
_COMMITTEE = re.compile(r"(?:UBND|(?:Ủy|Uỷ)\s+ban\s+nhân\s+dân)(?:\s*\(UBND\))?\s+", re.IGNORECASE)
COMMUNE_LEVELS = ("xã", "phường", "thị trấn", "đặc khu")
DISTRICT_LEVELS = ("huyện", "quận", "thị xã")  # plans of the years before districts were abolished (7/2025)
# "thị xã Quảng Trị" is matched whole, from "thị": never the commune "xã Quảng Trị".
_LEVEL = re.compile(
    r"\b(?P<level>" + "|".join(level.replace(" ", r"\s+") for level in COMMUNE_LEVELS + DISTRICT_LEVELS) + r")\s+",
    re.IGNORECASE,
)
# The issuer saying that it makes the plan, right after its name.
_MAKES_PLAN = re.compile(
    r"\s*(?:xây\s+dựng|ban\s+hành)(?:\s+và\s+(?:xây\s+dựng|ban\s+hành|triển\s+khai))?\s+(?:kế\s+hoạch|KH)\b",
    re.IGNORECASE,
)
# The national motto beside the header block, on the same lines in a text export.
_MOTTO = re.compile(
    r"cộng\s+h(?:òa|oà)\s+xã\s+hội\s+chủ\s+nghĩa\s+việt\s+nam|độc\s+lập\s*[-–]\s*tự\s+do\s*[-–]\s*hạnh\s+phúc",
    re.IGNORECASE,
)
# Capitalised words that start what follows a name, not the name: "xã Vĩnh Khê Kế hoạch …",
# "XÃ VĨNH KHÊ NĂM 2024" (while "huyện Năm Căn", "thị trấn Kế Sách" are names).
_AFTER_NAME = re.compile(
    r"(?:kế\s+hoạch|quyết\s+định|nghị\s+quyết|công\s+văn|báo\s+cáo|chương\s+trình|về\s+việc|giai\s+đoạn"
    r"|cộng\s+h(?:òa|oà)|độc\s+lập)\b|năm\s+\d",
    re.IGNORECASE,
)
# A committee cited as the author of another document: "Kế hoạch số 471/KH-UBND … của UBND huyện …".
_CITED = re.compile(r"\bcủa(?:\s+Chủ\s+tịch)?\s*$", re.IGNORECASE)
_NAME_WORD = re.compile(r"\s*(?P<word>[^\s,.;:()]+)(?P<stop>[,.;:()]?)")
_NOT_NAMES = ("hội", "hội chủ nghĩa", "hội hóa", "hội hoá")  # "KINH TẾ - XÃ HỘI", "XÃ HỘI HÓA" in capitals
_TITLE_YEAR = re.compile(r"năm\s+(\d{4})", re.IGNORECASE)
_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
_HEADER_LINES = 20
DEFAULT_LEVEL = "xã"
# The kinds of commune since the 2025 reform; a "thị trấn" (of old) has none of them.
_KINDS = {"xã": CommuneKind.XA, "phường": CommuneKind.PHUONG, "đặc khu": CommuneKind.DAC_KHU}


class Place(NamedTuple):
    """A level and a name as a text writes them: ("xã", "Vĩnh Khê"), from `start` (the
    committee's name, when written) to `end`."""

    level: str
    name: str
    start: int
    end: int

    @property
    def is_commune(self) -> bool:
        return self.level in COMMUNE_LEVELS


@dataclass(frozen=True)
class FoundHead:
    """What the document says about itself; None where it says nothing."""

    number: str | None = None
    date: date | None = None
    place: str | None = None  # before ", ngày ...": a commune or a district
    level: str | None = None  # "xã", "phường", "thị trấn", "đặc khu"; "huyện", "quận", "thị xã"
    commune: str | None = None  # "Vĩnh Khê" (a district's name for a district's plan)
    title: str | None = None
    given_issuer: str | None = None  # `--issuer`: "UBND xã Long Điền A" (as given when it names no level we know)
    times_year: int | None = None  # the year the plan's time expressions name most ("Quý I/2023", "năm 2023")

    @property
    def issuer(self) -> str | None:
        if self.given_issuer:
            return self.given_issuer
        return issuer_of(self.level, self.commune) if self.commune else None

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
        place = _preferred(_places_in(_plain(self.issuer))) if self.issuer else None
        return replace(
            found,
            number=self.number or found.number,
            date=self.date or found.date,
            level=place.level if place else found.level,
            commune=place.name if place else found.commune,
            given_issuer=_given_issuer(self.issuer, place) if self.issuer else found.given_issuer,
        )


def _given_issuer(issuer: str, place: Place | None) -> str:
    """`--issuer` as the plan's issuer: "UBND <level> <name>" when it names them, else as written."""
    return issuer_of(place.level, place.name) if place else _plain(issuer)


def issuing_commune(issuer: str) -> str | None:
    """The commune whose committee `issuer` is ("UBND xã Vĩnh Khê": "Vĩnh Khê"); None for a
    district's committee, or an issuer naming no place."""
    place = _preferred(_places_in(_plain(issuer)))
    return place.name if place and place.is_commune else None


def issuer_of(level: str | None, name: str) -> str:
    """ "UBND phường Bến Nghé": the committee of the level (xã when none is known) and name."""
    return f"UBND {level or DEFAULT_LEVEL} {name}"


def commune_kind_of(issuer: str) -> CommuneKind | None:
    """The kind of commune an issuer is: "UBND phường Bến Nghé" → phường; None for a district
    or a "thị trấn"."""
    place = _preferred(_places_in(_plain(issuer)))
    return _KINDS.get(place.level) if place else None


def find_head(text: str) -> FoundHead:
    """Number, date, place, issuer and title, each from the first place that gives it."""
    lines = [line for line in (_plain(line) for line in text.splitlines()) if line]
    number, issued, place = _number(lines), None, None
    for line in lines:
        if match := _DATE_LINE.match(line):
            issued, place = _date(match), " ".join(match["place"].split())
            break
    title = _title(lines)
    body = " ".join(lines)
    annex = _ANNEX.search(body)
    if annex:
        number = number or annex["number"].rstrip(",;")
        issued = issued or _date(annex)
    issuer = (
        _header_block_issuer(lines)
        or (_preferred(_places_in(annex["issuer"])) if annex else None)
        or _issuer_sentence(body)
        or (_preferred(_places_in(title)) if title else None)
        or next((p for p in _committees_in(body) if p.is_commune), None)
    )
    level, commune = (issuer.level, issuer.name) if issuer else (None, None)
    times_year = _times_year(body)
    return FoundHead(number, issued, place, level, commune, title, times_year=times_year)


def _times_year(text: str) -> int | None:
    """The year the text's time expressions name most often (cited documents' dates are no
    time expressions), the later one on a tie."""
    years = Counter(int(y) for phrase in time_candidates(text) for y in _YEAR.findall(phrase))
    return max(years, key=lambda y: (years[y], y)) if years else None


def complete_head(
    found: FoundHead, *, stem: str, year: int | None, commune: str | None, report: Findings, drafting: bool = False
) -> dict | None:
    """The plan's head for `assemble_plan`, or None (with an error) when its year is unknown;
    under "guessed", the `HeadGuess` of each field filled in by a guess (each also a warning).
    A draft (`drafting`) of a plan that states no year takes the year its time expressions
    name, with a warning for the office to check."""
    guesses: list[HeadGuess] = []

    def guess(field: HeadField, message: str) -> None:
        report.warning(message)
        guesses.append(HeadGuess(field, message))

    plan_year = year or found.title_year or (found.date.year if found.date else None)
    if plan_year is None and drafting and found.times_year:
        plan_year = found.times_year
        guess(
            HeadField.YEAR,
            f"kế hoạch không ghi năm (ngày ban hành, “năm …” trong tên); bản nháp dùng năm {plan_year}, "
            "năm mà các thời hạn trong kế hoạch nêu nhiều nhất: hãy kiểm tra",
        )
    given = _plain(commune) if commune else None
    issuer, plan_commune = _issuer_and_commune(found, given, report, guess)
    if plan_year is None:
        report.error(
            "không xác định được năm của kế hoạch (không có ngày ban hành hay “năm …” trong tên); hãy ghi năm (--year)"
        )
        return None
    issued = found.date
    if issued is None:
        issued = date(plan_year, 1, 1)
        guess(
            HeadField.DATE, f"kế hoạch không ghi ngày ban hành (“…, ngày … tháng … năm …”); dùng ngày {issued:%d/%m/%Y}"
        )
    number = found.number
    if number is None:
        number = stem
        guess(HeadField.NUMBER, f"kế hoạch không ghi số (“Số: …/KH-UBND”); dùng tên tệp “{stem}”")
    title = found.title
    if title is None:
        title = f"Kế hoạch {number}"
        guesses.append(
            HeadGuess(HeadField.TITLE, "kế hoạch không ghi tên; để trống thì tên là “Kế hoạch” kèm số kế hoạch")
        )
    return {
        "number": number,
        "date": issued,
        "issuer": issuer,
        "commune": plan_commune,
        "commune_kind": commune_kind_of(issuer) if issuer else None,
        "year": plan_year,
        "title": title,
        "guessed": tuple(guesses),
    }


def _issuer_and_commune(
    found: FoundHead, given: str | None, report: Findings, guess: Callable[[HeadField, str], None]
) -> tuple[str | None, str | None]:
    """The plan's issuer and commune: the given commune (`--commune`) over the document's."""
    if given is None:
        if found.issuer is None:
            report.error("không xác định được cơ quan ban hành (“ỦY BAN NHÂN DÂN XÃ …”); hãy ghi tên xã (--commune)")
        return found.issuer, found.commune or found.place
    issuer = found.given_issuer or issuer_of(found.level, given)
    if found.commune is None and found.given_issuer is None:
        guess(HeadField.ISSUER, f"kế hoạch không ghi cơ quan ban hành; dùng “{issuer}” theo tên xã đã cho")
    elif found.commune is not None and not same_name(found.commune, given):
        named = "cơ quan ban hành đã cho (--issuer)" if found.given_issuer else "kế hoạch ghi cơ quan ban hành"
        report.warning(
            f"{named} là “{issuer_of(found.level, found.commune)}”, khác với xã đã cho “{given}”; "
            f"dùng xã “{given}”, cơ quan ban hành “{issuer}”"
        )
    return issuer, given


def same_name(a: str, b: str) -> bool:
    """Whether two spellings name one place: Unicode form, case, spaces and tone placement
    ("Vĩnh Thuỷ", "VĨNH THỦY") aside."""
    return unit_key(a) == unit_key(b)


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


# --- the issuer ------------------------------------------------------------------------------


def _header_block_issuer(lines: list[str]) -> Place | None:
    """ "ỦY BAN NHÂN DÂN" then "XÃ QUẢNG VINH" (or both on one line, or "UBND XÃ ...", or the
    same in title case on lines of their own), among the first lines; the national motto beside
    it left out. A commune's committee over a district's when the block names both."""
    block = [_MOTTO.sub(" ", line).strip() for line in lines[:_HEADER_LINES]]
    return _preferred(place for i, line in enumerate(block) if (place := _header_line_place(block, i)))


def _header_line_place(block: list[str], i: int) -> Place | None:
    """The committee a header line starts with, its level and name on it or on the next line."""
    line = block[i]
    committee = _COMMITTEE.match(line + " ")
    if committee is None:
        return None
    rest = line[committee.end() :] or (block[i + 1] if i + 1 < len(block) else "")
    place = _place_at(rest, 0)
    if place is None or not (rest.isupper() or place.end == len(rest)):  # a sentence of the body, not a header
        return None
    return place


def _issuer_sentence(text: str) -> Place | None:
    """The committee that says it makes the plan: "UBND xã Vĩnh Khê xây dựng kế hoạch …"; not
    one cited as another document's author ("… của UBND huyện Chợ Mới ban hành Kế hoạch …")."""
    return next((place for place in _committees_in(text) if _makes_the_plan(text, place)), None)


def _makes_the_plan(text: str, place: Place) -> bool:
    cited = _CITED.search(text, max(0, place.start - 20), place.start)
    return cited is None and _MAKES_PLAN.match(text, place.end) is not None


def _committees_in(text: str) -> Iterator[Place]:
    """Each level and name written right after a committee: "UBND xã Vĩnh Khê", "Ủy ban nhân
    dân (UBND) phường …"; not "UBND cấp xã", "UBND các huyện, thị xã"."""
    for committee in _COMMITTEE.finditer(text):
        if place := _place_at(text, committee.end()):
            yield place._replace(start=committee.start())


def _places_in(text: str) -> Iterator[Place]:
    """Each level and name in the text: "xã Vĩnh Khê năm 2024", "XÃ QUẢNG VINH"."""
    for level in _LEVEL.finditer(text):
        if place := _place_at(text, level.start()):
            yield place


def _preferred(places: Iterable[Place]) -> Place | None:
    """The first commune among the places, else the first of them (a district)."""
    first = None
    for place in places:
        if place.is_commune:
            return place
        first = first or place
    return first


def _place_at(text: str, start: int) -> Place | None:
    """The level and name that start at `start`, the name in title case when written in capitals."""
    level = _LEVEL.match(text, start)
    if level is None:
        return None
    name, end = _name_at(text, level.end())
    if not name or name.casefold() in _NOT_NAMES:
        return None
    written = " ".join(level["level"].lower().split())
    return Place(written, name.title() if name.isupper() else name, start, end)


def _name_at(text: str, start: int) -> tuple[str, int]:
    """The capitalised words from `start` ("Vĩnh Khê năm 2024" → "Vĩnh Khê"; "Long Điền A." →
    "Long Điền A"), a number as a name of its own ("Phường 1"), and where the name ends."""
    words: list[str] = []
    end = start
    while (word := _NAME_WORD.match(text, end)) and _is_name_word(text, word, first=not words):
        words.append(word["word"])
        end = word.end("word")
        if word["stop"] or word["word"].isdigit():  # "Vĩnh Khê, huyện …", "Phường 1 …"
            break
    return " ".join(words), end


def _is_name_word(text: str, word: re.Match, *, first: bool) -> bool:
    token, start = word["word"], word.start("word")
    if first and token.isdigit():
        return True
    if not token[0].isupper() or _AFTER_NAME.match(text, start):
        return False
    # Not the next place or committee either: "XÃ HỘI THỊ XÃ QUẢNG TRỊ", "UBND XÃ VĨNH KHÊ ỦY BAN NHÂN DÂN …".
    return not _LEVEL.match(text, start) and not _COMMITTEE.match(text, start)


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
