"""People directory files (.yaml/.yml, .csv) to the domain's Person: who receives the emails.

YAML (format `cchc-people/1`), one commune a file:

```yaml
format: cchc-people/1
commune: Vĩnh Khê
people:
  - name: Nguyễn Thị Lan
    email: lan.vp@vinhkhe.example.vn
    unit: Văn phòng
    roles: [officer, reviewer]
    language: vi            # optional: vi (default) or en
  - name: Trần Văn Bình
    email: binh.pct@vinhkhe.example.vn
    roles: [vice_chairman]
    in_charge: [Tư pháp, Văn hóa - Xã hội]   # the units (fields) a Phó Chủ tịch is in charge of
```

CSV (UTF-8 with or without BOM, comma or semicolon) or .xlsx (its first sheet): a header row,
then one person a row.
Headers in Vietnamese or English: `Họ tên|name`, `Email|Thư điện tử`, `Đơn vị|unit`,
`Vai trò|roles`, `Ngôn ngữ|language`, `Xã|commune`, `Đơn vị phụ trách|in_charge`; the first
three with `Vai trò` are required, `Xã` is needed unless `commune` is given. Roles, several
separated by `;` or `,`, in English or Vietnamese, with or without diacritics: `công chức`
(officer), `trưởng bộ phận`/`phụ trách` (head), `chủ tịch` (chairman), `phó chủ tịch`
(vice_chairman), `xác nhận hoàn thành`/`kiểm tra` (reviewer; older files' `thẩm định` too).
`domain/vocabulary.py` holds these words. A Phó Chủ tịch, and only he, has the units in his
charge (`Đơn vị phụ trách`, several separated by `;`).

A file that names several communes needs `commune` to choose one; rows of the other
communes are left out. Every error names the file, the row (the YAML line) and the column
(the CSV header as written, the YAML key), and nothing is read when there is one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from domain.language import Language
from domain.people import UNIT_ROLES, Person, PersonRole, email_address
from domain.vocabulary import WRITTEN_LANGUAGES, WRITTEN_PERSON_ROLES, label
from importers.delimited import read_delimited
from importers.errors import Findings, fail
from importers.grid import Document, Grid, Row
from importers.read import DEFAULT_MAX_BYTES
from importers.xlsx import read_xlsx
from importers.yaml_lines import LinedMapping, LineLoader

FORMAT = "cchc-people/1"
SUFFIXES = (".yaml", ".yml", ".csv", ".xlsx")
FIELDS = ("name", "email", "unit", "roles", "language", "commune", "in_charge")
REQUIRED = {"name": "Họ tên", "email": "Email", "roles": "Vai trò"}  # field -> its Vietnamese header
HEADERS = {  # each field's headers as people write them, folded (see `_fold`)
    "name": ("ho ten", "ho va ten", "name"),
    "email": ("email", "e-mail", "thu dien tu"),
    "unit": ("don vi", "unit"),
    "roles": ("vai tro", "roles", "role"),
    "language": ("ngon ngu", "language"),
    "commune": ("xa", "commune"),
    "in_charge": ("don vi phu trach", "linh vuc phu trach", "in charge", "in_charge"),
}
FORM_FIELDS = {  # field -> its header, as a form labels it
    "name": "Họ tên",
    "email": "Email",
    "unit": "Đơn vị",
    "roles": "Vai trò",
    "language": "Ngôn ngữ",
    "in_charge": "Đơn vị phụ trách",
}
TABLES: dict[str, Callable[[Path], Document]] = {".csv": read_delimited, ".xlsx": read_xlsx}
_ROLE_SEPARATORS = re.compile(r"[;,]")
_UNIT_SEPARATORS = re.compile(r";")  # unit names may hold a comma


@dataclass
class _Entry:
    """One person as written: each field's value, and where it is (CSV line and header as
    written; YAML line and key)."""

    row: int
    values: dict[str, Any]
    columns: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    def text(self, name: str) -> str:
        value = self.values.get(name)
        return "" if value is None else " ".join(str(value).split())

    def line(self, name: str) -> int:
        return self.lines.get(name, self.row)

    def error(self, findings: Findings, name: str, message: str) -> None:
        """An error about field `name` of this person."""
        findings.error(message, self.line(name), self.columns.get(name, name))


def read_people(path: Path, *, commune: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Person]:
    """The people of one commune a directory file lists; `commune` chooses among several or
    names the commune of a file that does not say."""
    path = Path(path)
    _check_file(path, max_bytes)
    findings = Findings(path.name)
    if path.suffix.lower() in TABLES:
        entries, default = _table_entries(TABLES[path.suffix.lower()](path).grids()[0], findings), None
    else:
        entries, default = _yaml_entries(path, findings)
    if not entries:  # unreadable, or nobody in it
        findings.raise_errors()
    chosen = _communes(entries, default=default, choice=commune, findings=findings)
    people = _people(chosen, findings)
    findings.raise_errors()
    return people


def typed_person(values: dict[str, str | list[str]], *, commune: str) -> Person:
    """One person typed in a form, checked as a directory row is: each error names the field
    by its Vietnamese header (FORM_FIELDS), nothing else is stored."""
    findings = Findings("biểu mẫu")
    entry = _Entry(0, {**values, "commune": commune}, columns=dict(FORM_FIELDS))
    people = _people([entry], findings)
    findings.raise_errors()
    return people[0]


def _check_file(path: Path, max_bytes: int) -> None:
    name = path.name
    if not path.is_file():
        raise fail(name, f"không tìm thấy tệp {path}")
    if path.suffix.lower() not in SUFFIXES:
        raise fail(name, "danh bạ phải là tệp .yaml, .yml, .csv hoặc .xlsx")
    size = path.stat().st_size
    if size == 0:
        raise fail(name, f"tệp {name} trống")
    if size > max_bytes:
        raise fail(name, f"tệp {name} quá lớn (tối đa {max_bytes // 2**20} MB)")


# --- reading ---------------------------------------------------------------------------------


def _table_entries(grid: Grid, findings: Findings) -> list[_Entry]:
    rows = [row for row in grid.rows if not row.is_empty()]
    if not rows:
        findings.error("tệp không có hàng tiêu đề (Họ tên, Email, Đơn vị, Vai trò)")
        return []
    header, body = rows[0], rows[1:]
    columns = _header_columns(header, findings)
    if findings.errors:  # a required column is missing: its rows say nothing more
        return []
    written = {name: header.text(index) for name, index in columns.items()}
    return [_Entry(row.number, {name: row.text(index) for name, index in columns.items()}, written) for row in body]


def _header_columns(header: Row, findings: Findings) -> dict[str, int]:
    """Each field's column index, from the header row; a missing required column is an error."""
    columns: dict[str, int] = {}
    for index, text in enumerate(header.texts()):
        for name, spellings in HEADERS.items():
            if _fold(text) in spellings:
                columns.setdefault(name, index)
    for name, vietnamese in REQUIRED.items():
        if name not in columns:
            findings.error(f"thiếu cột “{vietnamese}” (hoặc “{name}”)", header.number)
    return columns


def _yaml_entries(path: Path, findings: Findings) -> tuple[list[_Entry], str | None]:
    document = _load_yaml(path, findings)
    if document is None:
        return [], None
    people = document.get("people")
    if not isinstance(people, list) or not people:
        findings.error("danh bạ không có ai (“people”)", document.lines.get("people", document.line), "people")
        return [], None
    entries = []
    for raw in people:
        if not isinstance(raw, LinedMapping):
            findings.error("mỗi người phải có “name”, “email” và “roles”", document.lines["people"], "people")
            continue
        for key in sorted(raw.keys() - set(FIELDS), key=lambda key: raw.lines[key]):
            findings.error(f"không có trường “{key}” (dùng: {', '.join(FIELDS)})", raw.lines[key], key)
        entries.append(_Entry(raw.line, {name: raw.get(name) for name in FIELDS}, lines=raw.lines))
    commune = document.get("commune")
    return entries, None if commune is None else str(commune)


def _load_yaml(path: Path, findings: Findings) -> LinedMapping | None:
    try:
        document = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=LineLoader)
    except UnicodeDecodeError:
        findings.error("tệp không phải văn bản UTF-8")
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        findings.error(f"YAML không hợp lệ: {getattr(exc, 'problem', None) or exc}", mark.line + 1 if mark else None)
        return None
    if not isinstance(document, LinedMapping) or document.get("format") != FORMAT:
        findings.error(f"không phải một danh bạ (cần dòng “format: {FORMAT}”)", 1)
        return None
    return document


# --- checking --------------------------------------------------------------------------------


def _communes(entries: list[_Entry], *, default: str | None, choice: str | None, findings: Findings) -> list[_Entry]:
    """The entries of the one commune the file (or `choice`) is about; each gets its commune."""
    if not entries:
        findings.error("danh bạ không có ai")
        return []
    fallback = default or choice
    for entry in entries:
        if not entry.text("commune"):
            entry.values["commune"] = fallback
    unnamed = [entry for entry in entries if not entry.text("commune")]
    if unnamed:
        findings.error("không rõ danh bạ của xã nào: thêm cột “Xã” hoặc chọn --commune", unnamed[0].row)
        return []
    communes: dict[str, str] = {}
    for entry in entries:
        communes.setdefault(_fold(entry.text("commune")), entry.text("commune"))
    if choice is None and len(communes) > 1:
        findings.error(
            f"tệp có danh bạ của {len(communes)} xã ({', '.join(communes.values())}): chọn một xã bằng --commune"
        )
        return []
    wanted = _fold(choice) if choice is not None else next(iter(communes), "")
    chosen = [entry for entry in entries if _fold(entry.text("commune")) == wanted]
    if not chosen:
        findings.error(f"tệp không có ai thuộc xã {choice}")
    for entry in chosen:
        entry.values["commune"] = communes[wanted]
    return chosen


def _people(entries: list[_Entry], findings: Findings) -> list[Person]:
    people: list[Person] = []
    first_row: dict[str, int] = {}  # email, casefolded -> the line naming it first
    for entry in entries:
        errors = len(findings.errors)
        email = _email(entry, findings)
        if email is not None:
            seen = first_row.setdefault(email.casefold(), entry.line("email"))
            if seen != entry.line("email"):
                entry.error(findings, "email", f"email {email} đã có ở hàng {seen}")
        roles = _roles(entry, findings)
        if not entry.text("name"):
            entry.error(findings, "name", "thiếu họ tên")
        if roles & UNIT_ROLES and not entry.text("unit"):
            entry.error(findings, "unit", "công chức và trưởng bộ phận phải ghi đơn vị")
        language = _language(entry, findings)
        in_charge = _in_charge(entry, roles, findings)
        if len(findings.errors) == errors:
            person = Person(
                commune=entry.text("commune"),
                name=entry.text("name"),
                email=email,
                unit=entry.text("unit") or None,
                roles=roles,
                language=language,
                in_charge=in_charge,
            )
            people.append(person)
    return people


def _email(entry: _Entry, findings: Findings) -> str | None:
    text = str(entry.values.get("email") or "")
    if not text.strip():
        entry.error(findings, "email", "thiếu email")
        return None
    try:
        return email_address(text)
    except ValueError:
        entry.error(
            findings,
            "email",
            f"“{text}” không phải một địa chỉ email (một địa chỉ, không kèm tên, ví dụ lan@vinhkhe.gov.vn)",
        )
        return None


def _roles(entry: _Entry, findings: Findings) -> frozenset[PersonRole]:
    value = entry.values.get("roles")
    items = value if isinstance(value, list) else [value or ""]
    words = [word.strip() for item in items for word in _ROLE_SEPARATORS.split(str(item)) if word.strip()]
    if not words:
        entry.error(findings, "roles", "thiếu vai trò")
    unknown = [word for word in words if _fold(word) not in WRITTEN_PERSON_ROLES]
    if unknown:
        known = ", ".join(label(role) for role in PersonRole)
        entry.error(findings, "roles", f"không có vai trò “{'”, “'.join(unknown)}” (dùng: {known})")
    return frozenset(WRITTEN_PERSON_ROLES[_fold(word)] for word in words if _fold(word) in WRITTEN_PERSON_ROLES)


def _in_charge(entry: _Entry, roles: frozenset[PersonRole], findings: Findings) -> tuple[str, ...]:
    """The units a vice chairman is in charge of; anyone else has none."""
    value = entry.values.get("in_charge")
    items = value if isinstance(value, list) else [value or ""]
    units = tuple(unit.strip() for item in items for unit in _UNIT_SEPARATORS.split(str(item)) if unit.strip())
    vice = PersonRole.VICE_CHAIRMAN in roles
    if vice and not units:
        entry.error(findings, "in_charge", "Phó Chủ tịch phải ghi đơn vị phụ trách")
    if units and not vice:
        entry.error(findings, "in_charge", "chỉ Phó Chủ tịch mới ghi đơn vị phụ trách")
    return units


def _language(entry: _Entry, findings: Findings) -> Language:
    text = entry.text("language")
    if not text:
        return Language.VI
    if _fold(text) not in WRITTEN_LANGUAGES:
        entry.error(findings, "language", f"không có ngôn ngữ “{text}” (dùng: vi hoặc en)")
        return Language.VI
    return WRITTEN_LANGUAGES[_fold(text)]


def _fold(text: str) -> str:
    """Lower case, no diacritics, đ as d, single spaces: "Trưởng  Bộ phận" → "truong bo phan"."""
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return " ".join(stripped.casefold().replace("đ", "d").split())
