"""A province's PAR criteria set read from its canonical YAML, or from its table (.xlsx, .docx).

The canonical form (format `cchc-criteria/1`, see `importers/samples/sample-criteria-2025.yaml`):

```yaml
format: cchc-criteria/1
name: Bộ tiêu chí xác định Chỉ số CCHC cấp xã năm 2025
province: Tỉnh mẫu
year: 2025
decision: {number: 3241/QĐ-UBND, issued: 14/10/2025, issuer: UBND Tỉnh mẫu}
areas:
  - code: "1"
    name: Công tác chỉ đạo, điều hành CCHC
    max_points: 10
    criteria:
      - code: "1.1"
        name: Kế hoạch CCHC năm
        max_points: 3
        subcriteria:
          - {code: "1.1.1", name: ..., max_points: 1, rule: {kind: fixed, deadline: 31/01/2025}, evidence_expected: ...}
          - {code: "1.1.3", name: ..., max_points: 1, rule: {kind: fixed, deadline: task}, evidence_expected: ...}
  - code: "8"
    ...
      - {code: "8.1", name: Sự hài lòng ..., max_points: 10, rule: {kind: manual}, scored_by: province}
adjustments:
  - {code: T1, name: ..., cap: 2, rule: {kind: bonus, per_item: 0.5}}
bands:  # optional; the classification of the published result, from so many % of the maximum
  - {name: Tốt, min_percent: 90}
  - {name: Khá, min_percent: 80}
  - {name: Trung bình, min_percent: 70}
  - {name: Yếu, min_percent: 0}
```

A fixed item's `deadline` is a date (dd/mm/yyyy) or `task`, the issued plan's deadline of each
task mapped to it: a document dated after it scores 0. An item with `scored_by: province` is
shown on the sheet but scored by the appraiser only.

A province's table is read by its column headers ("STT"/"Mã", "Nội dung", "Điểm tối đa",
"Cách chấm", "Tài liệu kiểm chứng", optionally a merged "Lĩnh vực" column on the left); a
row's level follows from its code ("I"/"1" an area, "1.1" a criterion, "1.1.1" a
sub-criterion) and its rule from the scoring text (threshold, met/not met, else entered by
an officer). Province, year and decision come from the arguments or the title lines.
Every error names the file, the row (the YAML line) and the column; nothing is returned then.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from domain.criteria import Catalogue, CatalogueError, Decision
from domain.scoring import TASK_DEADLINE, Bonus, Fixed, Manual, Penalty, Rule, Threshold
from importers.canonical import parse_date
from importers.docx import read_docx
from importers.errors import Findings, PlanInputError, fail
from importers.grid import Document, Grid, Row
from importers.table import fold
from importers.xlsx import read_xlsx
from importers.yaml_lines import LinedMapping, LineLoader

FORMAT = "cchc-criteria/1"


def read_catalogue(
    path: Path, *, province: str | None = None, year: int | None = None, decision: Decision | None = None
) -> Catalogue:
    """The catalogue in `path`; the arguments, when given, replace what the file says."""
    if not path.is_file():
        raise fail(path.name, f"không tìm thấy tệp {path.name}")
    given = {key: value for key, value in (("province", province), ("year", year), ("decision", decision)) if value}
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return _from_yaml(path, given)
    if suffix == ".xlsx":
        return _from_table(read_xlsx(path), path.name, given)
    if suffix == ".docx":
        return _from_table(read_docx(path), path.name, given)
    raise fail(path.name, f"không đọc được bộ tiêu chí từ tệp “{suffix}”: cần .yaml, .xlsx hoặc .docx")


# --------------------------------------------------------------------------- building


def _build(data: Mapping[str, Any], report: Findings, rows: dict[str, int], columns: Mapping[str, str]) -> Catalogue:
    """The validated catalogue, or every problem as a finding at its row and column."""
    report.raise_errors()
    try:
        return Catalogue.model_validate(data)
    except ValidationError as exc:
        for problem in _causes(exc.errors()):
            cause = (problem.get("ctx") or {}).get("error")
            if isinstance(cause, CatalogueError):
                report.error(str(cause), rows.get(cause.code), columns.get(cause.field, cause.field))
            else:
                name = next((str(key) for key in reversed(problem["loc"]) if isinstance(key, str)), None)
                row = _locate(data, problem["loc"], rows)
                report.error(_message(problem, name), row, columns.get(name or "", name))
        raise PlanInputError(sorted(report.errors, key=lambda finding: finding.row or 0)) from None


def _causes(problems: list[Any]) -> list[Any]:
    """The problems without their echoes: a list left too short because its items failed."""
    return [
        problem
        for problem in problems
        if problem["type"] != "too_short"
        or not any(other["loc"][: len(problem["loc"])] == problem["loc"] for other in problems if other is not problem)
    ]


_MESSAGES = {
    "missing": "thiếu trường “{name}”",
    "extra_forbidden": "trường “{name}” không có trong định dạng bộ tiêu chí",
    "union_tag_invalid": "cách chấm không hợp lệ (cần fixed, threshold, parts, manual, bonus hoặc penalty)",
    "union_tag_not_found": "cách chấm thiếu “kind” (fixed, threshold, parts, manual, bonus hoặc penalty)",
    "decimal_parsing": "“{name}” phải là một số",
    "greater_than": "“{name}” phải lớn hơn 0",
    "greater_than_equal": "“{name}” không được âm",
}


def _message(problem: Mapping[str, Any], name: str | None) -> str:
    template = _MESSAGES.get(problem["type"])
    return template.format(name=name) if template else f"“{name}” không hợp lệ: {problem['msg']}"


def _locate(data: Any, loc: tuple[Any, ...], rows: dict[str, int]) -> int | None:
    """The row of the deepest item on the error's path: a YAML line, or the row of its code."""
    found: int | None = None
    node = data
    for key in loc:
        if isinstance(node, Mapping):
            found = _row_of(node, rows) or found
            if isinstance(node, LinedMapping) and str(key) in node.lines:
                found = node.lines[str(key)]
            if key not in node:
                continue
            node = node[key]
        elif isinstance(node, list | tuple) and isinstance(key, int) and key < len(node):
            node = node[key]
    return (_row_of(node, rows) if isinstance(node, Mapping) else None) or found


def _row_of(node: Mapping[str, Any], rows: dict[str, int]) -> int | None:
    if isinstance(node, LinedMapping):
        return node.line
    return rows.get(str(node.get("code")))


# --------------------------------------------------------------------------- YAML


def _from_yaml(path: Path, given: dict[str, Any]) -> Catalogue:
    report = Findings(path.name)
    document = _load(path)
    if document.get("format", FORMAT) != FORMAT:
        raise fail(path.name, f"định dạng “{document.get('format')}” không được hỗ trợ (cần {FORMAT})")
    data = LinedMapping({key: value for key, value in document.items() if key != "format"})
    data.line, data.lines = document.line, document.lines
    decision = document.get("decision")
    if isinstance(decision, LinedMapping) and isinstance(decision.get("issued"), str):
        issued = parse_date(decision["issued"])
        if issued is None:
            report.error(f"ngày “{decision['issued']}” không hợp lệ (dd/mm/yyyy)", decision.lines["issued"], "issued")
        decision["issued"] = issued
    _read_deadlines(data, report)
    data.update(given)
    return _build(data, report, _yaml_codes(data), {})


def _read_deadlines(node: Any, report: Findings) -> None:
    """Fixed rules' deadlines written dd/mm/yyyy, as dates; `task` stays as written."""
    if isinstance(node, LinedMapping):
        deadline = node.get("deadline")
        if node.get("kind") == "fixed" and isinstance(deadline, str) and deadline != TASK_DEADLINE:
            day = parse_date(deadline)
            if day is None:
                report.error(
                    f"hạn “{deadline}” không hợp lệ (dd/mm/yyyy, hoặc “{TASK_DEADLINE}”: hạn của nhiệm vụ)",
                    node.lines.get("deadline", node.line),
                    "deadline",
                )
            node["deadline"] = day
        for value in node.values():
            _read_deadlines(value, report)
    elif isinstance(node, list):
        for value in node:
            _read_deadlines(value, report)


def _load(path: Path) -> LinedMapping:
    try:
        document = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=LineLoader)
    except UnicodeDecodeError:
        raise fail(path.name, "tệp không phải văn bản UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        report = Findings(path.name)
        report.error(f"YAML không hợp lệ: {getattr(exc, 'problem', None) or 'sai cú pháp'}", mark and mark.line + 1)
        raise PlanInputError(report.errors) from None
    if not isinstance(document, LinedMapping):
        raise fail(path.name, "tệp YAML trống hoặc không phải một bộ tiêu chí")
    return document


def _yaml_codes(node: Any) -> dict[str, int]:
    """Every item's code and line (the last one for a code written twice)."""
    found: dict[str, int] = {}
    if isinstance(node, LinedMapping):
        if "code" in node:
            found[str(node["code"])] = node.line
        for value in node.values():
            found.update(_yaml_codes(value))
    elif isinstance(node, list):
        for value in node:
            found.update(_yaml_codes(value))
    return found


# --------------------------------------------------------------------------- tables


class Column(StrEnum):
    CODE = "code"
    NAME = "name"
    AREA = "area"
    MAX = "max_points"
    RULE = "rule"
    EVIDENCE = "evidence_expected"


_CODE_HEADERS = {"stt", "sott", "sothutu", "ma", "maso", "matieuchi", "matc", "matctp"}
_MAX_HEADERS = {"diem", "thangdiem", "diemchuan", "diemtoida", "sodiemtoida"}
_RULE_NEEDLES = ("cachcham", "phuongphapcham", "cachtinh", "huongdancham", "cachthuccham")


def column_of(header: str) -> Column | None:
    """What a column of a criteria table holds, from its header text."""
    key = fold(header)
    if "tailieu" in key or "kiemchung" in key:
        return Column.EVIDENCE
    if any(needle in key for needle in _RULE_NEEDLES):
        return Column.RULE
    if key in _MAX_HEADERS or "diemtoida" in key:
        return Column.MAX
    if key in _CODE_HEADERS:
        return Column.CODE
    if key == "linhvuc":
        return Column.AREA
    if "noidung" in key or "tieuchi" in key or "linhvuc" in key:
        return Column.NAME
    return None


@dataclass
class _Item:
    """One row of the table as read, and the rows under it."""

    code: str
    name: str
    row: int
    max_points: Decimal | None = None
    rule_text: str = ""
    evidence: str = ""
    adjustment: type[Bonus] | type[Penalty] | None = None
    children: list[_Item] = field(default_factory=list)


@dataclass(frozen=True)
class _Header:
    index: int  # of the header row within the grid
    columns: dict[Column, int]
    titles: dict[Column, str]  # the headers as written, for findings


def _from_table(document: Document, file: str, given: dict[str, Any]) -> Catalogue:
    report = Findings(file)
    found = next(((grid, header) for grid in document.grids() if (header := _find_header(grid))), None)
    if found is None:
        raise fail(file, "không tìm thấy bảng tiêu chí (cần các cột “STT”, “Nội dung”, “Điểm tối đa”)")
    grid, header = found
    items, rows = _read_items(grid.rows[header.index + 1 :], header, report)
    title = [text for row in grid.rows[: header.index] for text in row.texts() if text]
    title += document.text_without(grid).splitlines()
    data = _complete_head({**_head(title), **given}, report)
    year = data.get("year") if isinstance(data.get("year"), int) else None
    data["areas"] = [_area(item, year) for item in items if item.adjustment is None]
    data["adjustments"] = [
        _adjustment(leaf, item.adjustment) for item in items if item.adjustment for leaf in _leaves(item)
    ]
    return _build(data, report, rows, {column.value: title for column, title in header.titles.items()})


def _find_header(grid: Grid) -> _Header | None:
    for index, row in enumerate(grid.rows[:20]):
        columns: dict[Column, int] = {}
        for number, text in enumerate(row.texts()):
            column = column_of(text)
            if column is not None and column not in columns:
                columns[column] = number
        if Column.AREA in columns and Column.NAME not in columns:
            columns[Column.NAME] = columns.pop(Column.AREA)
        if Column.MAX in columns and (Column.CODE in columns or Column.NAME in columns):
            return _Header(index, columns, {column: row.text(number) for column, number in columns.items()})
    return None


_ROMAN = re.compile(r"(?=[IVXL])(XL|L?X{0,3})(IX|IV|V?I{0,3})")
_CODE = re.compile(r"(?P<code>(?=[IVXL])(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})|\d{1,2}(?:\.\d{1,2})*)\.?")
_LEADING_CODE = re.compile(rf"{_CODE.pattern}(?:[.):]\s*|\s+)(?P<rest>\S.*)", re.DOTALL)
_INDEX_CELL = re.compile(r"\(?\d{1,2}\)?")


def _read_items(rows: tuple[Row, ...], header: _Header, report: Findings) -> tuple[list[_Item], dict[str, int]]:
    """The table's top-level items (areas, bonus, penalty) with their rows under them."""
    top: list[_Item] = []
    by_code: dict[str, _Item] = {}
    previous: _Item | None = None
    for row in rows:
        if row.is_empty() or all(_INDEX_CELL.fullmatch(text) for text in row.texts() if text):
            continue
        if previous is not None and _continues(row, header, previous):
            previous.rule_text = _joined(previous.rule_text, _own(row, header, Column.RULE))
            previous.evidence = _joined(previous.evidence, _own(row, header, Column.EVIDENCE))
            continue
        area = _area_cell(row, header, by_code, top)
        code, name = _code_and_name(row, header)
        if code is None:
            if _is_total(name) or (area is not None and fold(name) == fold(area.name)):
                continue
            kind = _adjustment_kind(name)
            if kind is None:
                report.error("hàng không có mã tiêu chí (STT)", row.number, header.titles.get(Column.CODE))
                continue
            code = "T" if kind is Bonus else "TR"
        item = _item(row, header, code, name, report)
        if area is not None and code == area.code:  # the area's own row, beside its merged cell
            area.row, area.max_points = item.row, item.max_points
            continue
        if code in by_code:
            report.error(f"mã {code} trùng với hàng {by_code[code].row}", row.number, header.titles.get(Column.CODE))
            continue
        if "." not in code:
            item.adjustment = _adjustment_kind(name)
            top.append(item)
        else:
            parent = by_code.get(code.rsplit(".", 1)[0])
            if parent is None:
                report.error(
                    f"không tìm thấy mục {code.rsplit('.', 1)[0]} chứa mục {code}",
                    row.number,
                    header.titles.get(Column.CODE),
                )
                continue
            item.adjustment = parent.adjustment
            parent.children.append(item)
        by_code[code] = previous = item
    return top, {code: item.row for code, item in by_code.items()}


def _continues(row: Row, header: _Header, previous: _Item) -> bool:
    """A row whose code and name cells are the item above, merged down (its rule runs on)."""
    cells = [header.columns[column] for column in (Column.CODE, Column.NAME) if column in header.columns]
    merged = all(row.cells[i].merged for i in cells if i < len(row.cells))
    return merged and _code_and_name(row, header)[1] == previous.name


def _own(row: Row, header: _Header, column: Column) -> str:
    index = header.columns.get(column)
    return "" if index is None or index >= len(row.cells) or row.cells[index].merged else row.cells[index].text


def _joined(first: str, more: str) -> str:
    return "\n".join(text for text in (first, more) if text)


def _area_cell(row: Row, header: _Header, by_code: dict[str, _Item], top: list[_Item]) -> _Item | None:
    """The area named in a merged area column on the left, added when first seen."""
    text = row.text(header.columns[Column.AREA]) if Column.AREA in header.columns else ""
    if not text:
        return None
    code, name = _split_code(text)
    code = code or str(len(top) + 1)
    if code not in by_code:
        by_code[code] = _Item(code=code, name=name, row=row.number)
        top.append(by_code[code])
    return by_code[code]


def _code_and_name(row: Row, header: _Header) -> tuple[str | None, str]:
    name = row.text(header.columns[Column.NAME]) if Column.NAME in header.columns else ""
    written = row.text(header.columns[Column.CODE]).strip() if Column.CODE in header.columns else ""
    if written:
        match = _CODE.fullmatch(written)
        return (_arabic(match["code"]) if match else written), name
    return _split_code(name)


def _split_code(text: str) -> tuple[str | None, str]:
    """ "I. CÔNG TÁC CHỈ ĐẠO" → ("1", "CÔNG TÁC CHỈ ĐẠO"); text without a code → (None, text)."""
    match = _LEADING_CODE.fullmatch(text.strip())
    return (_arabic(match["code"]), match["rest"].strip()) if match else (None, text.strip())


def _arabic(code: str) -> str:
    """Areas numbered in roman numerals become "1".."8", as their criteria are numbered."""
    if not _ROMAN.fullmatch(code):
        return code
    values = {"I": 1, "V": 5, "X": 10, "L": 50}
    total = 0
    for letter, after in zip(code, [*code[1:], ""], strict=True):
        value = values[letter]
        total += -value if after and values[after] > value else value
    return str(total)


def _is_total(name: str) -> bool:
    return fold(name).startswith(("tong", "cong"))


def _adjustment_kind(name: str) -> type[Bonus] | type[Penalty] | None:
    key = fold(name)
    if "diemthuong" in key or "diemcong" in key:
        return Bonus
    if "diemtru" in key:
        return Penalty
    return None


def _item(row: Row, header: _Header, code: str, name: str, report: Findings) -> _Item:
    text = row.text(header.columns[Column.MAX]) if Column.MAX in header.columns else ""
    points = _decimal(text)
    if text and points is None:
        report.error(f"điểm tối đa “{text}” không phải là một số", row.number, header.titles[Column.MAX])
    return _Item(
        code=code,
        name=name,
        row=row.number,
        max_points=points,
        rule_text=row.text(header.columns.get(Column.RULE, -1)),
        evidence=row.text(header.columns.get(Column.EVIDENCE, -1)),
    )


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip().replace(",", ".")) if text.strip() else None
    except InvalidOperation:
        return None


def _area(item: _Item, year: int | None) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "max_points": _max(item),
        "criteria": [_criterion(child, year) for child in item.children],
    }


def _criterion(item: _Item, year: int | None) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "code": item.code,
        "name": item.name,
        "max_points": _max(item),
        "evidence_expected": item.evidence,
    }
    if item.children:
        shape["subcriteria"] = [_criterion(child, year) for child in item.children]
    else:
        shape["rule"] = recognise_rule(item.rule_text, item.max_points, year)
    return shape


def _max(item: _Item) -> Decimal | None:
    """As written; a heading without its own maximum has the sum of its rows."""
    if item.max_points is not None or not item.children:
        return item.max_points
    maxima = [_max(child) for child in item.children]
    known = [m for m in maxima if m is not None]
    return None if len(known) < len(maxima) else sum(known, Decimal(0))


def _leaves(item: _Item) -> list[_Item]:
    return [leaf for child in item.children for leaf in _leaves(child)] if item.children else [item]


def _adjustment(item: _Item, kind: type[Bonus] | type[Penalty]) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "cap": item.max_points,
        "evidence_expected": item.evidence,
        "rule": kind(text=item.rule_text, per_item=_per_item(item.rule_text)),
    }


# --------------------------------------------------------------------------- rules


def _words(text: str) -> str:
    """Scoring text as compared: lower case, no diacritics, "100 %" as "100%", decimal points."""
    stripped = "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))
    words = " ".join(stripped.replace("đ", "d").split())
    return re.sub(r"(\d),(\d)", r"\1.\2", re.sub(r"\s+%", "%", words))


_NUMBER = r"(\d+(?:\.\d+)?)"
_FROM_FLOOR = re.compile(rf"tu\s*{_NUMBER}%\s*(?:den|-|–)\s*(?:duoi|<)\s*100%")
_BELOW_FLOOR = re.compile(rf"(?:duoi|<)\s*{_NUMBER}%")
_MET = re.compile(rf"(?:^|[;.\n]\s*)(?:co|dat|hoan thanh|da)\b[^:;\n]*:\s*{_NUMBER}\s*(?:diem)?")
_NOT_MET = re.compile(r"(?:khong|chua)\b[^:;\n]*:\s*0(?:\.0+)?\b")
_PER_ITEM = re.compile(rf"moi\b[^;\n]*?(?:cong|tru)\s*{_NUMBER}\s*diem")
_BY_DATE = re.compile(
    rf"(?P<how>truoc|cham nhat|den het|den) ngay (?P<day>\d{{1,2}})/(?P<month>\d{{1,2}})(?:/(?P<year>\d{{4}}))?"
    rf"[^:;\n]*:\s*{_NUMBER}"
)
_LATE = re.compile(r"(?:sau|qua) (?:thoi )?han[^:;\n]*:\s*0(?:\.0+)?\b")


def recognise_rule(text: str, max_points: Decimal | None, year: int | None = None) -> Rule:
    """The rule a province's scoring text states: a threshold, met by a date ("ban hành trước
    ngày 31/01: 1 điểm; sau thời hạn: 0", in the catalogue's `year`), met/not met, else entered."""
    words = _words(text)
    if "100%" in words and (floor := _FROM_FLOOR.search(words) or _BELOW_FLOOR.search(words)):
        return Threshold(text=text, floor=Decimal(floor[1]) / 100)
    by_date = _BY_DATE.search(words)
    if by_date and _LATE.search(words) and Decimal(by_date[5]) == max_points:
        deadline = _deadline(by_date, year)
        if deadline is not None:
            return Fixed(text=text, deadline=deadline)
    met = _MET.search(words)
    if met and _NOT_MET.search(words) and Decimal(met[1]) == max_points:
        return Fixed(text=text)
    return Manual(text=text)


def _deadline(found: re.Match[str], year: int | None) -> date | None:
    """The last day a document may carry: "trước ngày D" is the day before D, "chậm nhất ngày
    D" D itself; None without a year or for a day that does not exist."""
    written = found["year"] or year
    if written is None:
        return None
    try:
        day = date(int(written), int(found["month"]), int(found["day"]))
    except ValueError:
        return None
    return day - timedelta(days=1) if found["how"] == "truoc" else day


def _per_item(text: str) -> Decimal | None:
    match = _PER_ITEM.search(_words(text))
    return Decimal(match[1]) if match else None


# --------------------------------------------------------------------------- title lines


_DECISION = re.compile(
    r"(?:quyết định|qđ)\s+số\s*:?\s*(?P<number>\d+[^\s,;()]*)\s+ngày\s+"
    r"(?P<date>\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})"
    r"(?:\s+của\s+(?P<issuer>[^,;()\n]+))?",
    re.IGNORECASE,
)
_PROVINCE = re.compile(
    r"(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+(?P<province>(?:tỉnh|thành phố)\s+.+)", re.IGNORECASE
)
_YEAR = re.compile(r"năm\s+(\d{4})", re.IGNORECASE)


def _head(lines: list[str]) -> dict[str, Any]:
    """Name, province, year and decision from the lines above the table, where written."""
    head: dict[str, Any] = {}
    titles = [line for line in lines if _is_title(line)]
    if titles:
        head["name"] = titles[0].strip()
    year = next((match[1] for line in titles if (match := _YEAR.search(line))), None)
    if year:
        head["year"] = int(year)
    decision = _DECISION.search(unicodedata.normalize("NFC", "\n".join(lines)))
    if decision:
        issuer = (decision["issuer"] or "").strip().rstrip(".")
        if province := _PROVINCE.search(issuer):
            head["province"] = province["province"][:1].upper() + province["province"][1:]
        head["decision"] = {
            "number": decision["number"],
            "issued": parse_date(re.sub(r"\s*(?:tháng|năm|[.-])\s*", "/", decision["date"])),
            "issuer": issuer,
        }
    return head


def _is_title(line: str) -> bool:
    key = fold(line)
    return ("tieuchi" in key or "chiso" in key) and "kemtheo" not in key and not _DECISION.search(line)


_UNKNOWN = {
    "province": "không xác định được tỉnh của bộ tiêu chí: ghi trong dòng tiêu đề hoặc chỉ rõ khi nhập",
    "year": "không xác định được năm của bộ tiêu chí (“... năm 2025” trong tiêu đề) hoặc chỉ rõ khi nhập",
    "decision": "không xác định được quyết định ban hành (“Quyết định số ... ngày ... của UBND tỉnh ...”) "
    "hoặc chỉ rõ khi nhập",
}


def _complete_head(head: dict[str, Any], report: Findings) -> dict[str, Any]:
    """The head with its defaults; what is still unknown is an error about the whole file."""
    for key, message in _UNKNOWN.items():
        if not head.get(key):
            report.error(message)
    decision = head.get("decision")
    if isinstance(decision, dict) and not decision["issuer"] and head.get("province"):
        decision["issuer"] = f"UBND {head['province']}"
    return {"name": f"Bộ tiêu chí xác định Chỉ số CCHC {head.get('province', '')} năm {head.get('year', '')}", **head}
