"""`read_plan`: any supported plan file to a Plan, or every error found.

The file is checked before it is read (exists, not empty, not too large: by its size on
disk, nothing is read), then read by the reader of its extension into text and grids; the
task table, the plan's header and reporting calendar are found in those the same way for
every format, and `assemble_plan` builds the plan. A text or Word document without a task
table is read as prose (`importers.prose`): a draft for the office to confirm. With an
annex (`--annex TABLE`), the header and reporting calendar come from the body and the tasks
from the annex's table. Canonical YAML plans go to `importers.canonical`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from domain.models import PlanSettings, RowFate
from domain.reporting import default_calendar, find_reporting_calendar
from importers.assembly import assemble_plan
from importers.delimited import read_delimited
from importers.docx import read_docx
from importers.errors import Findings, ImportResult, fail
from importers.grid import Document, Grid
from importers.header import GivenHead, complete_head, find_head
from importers.prose import read_prose
from importers.rows import RowAccount, line_accounts, with_codes
from importers.table import NO_TASK_TABLE
from importers.task_rows import TaskTable, other_grid_accounts, read_task_table
from importers.text import read_text
from importers.xlsx import read_xlsx

DEFAULT_MAX_BYTES = 20 * 2**20
READERS: dict[str, Callable[[Path], Document]] = {
    ".txt": read_text,
    ".md": read_text,
    ".docx": read_docx,
    ".xlsx": read_xlsx,
    ".csv": read_delimited,
    ".tsv": read_delimited,
}
YAML = (".yaml", ".yml")
# Formats people have that we do not read, and what to save them as.
CONVERT = {".doc": ".docx", ".xls": ".xlsx", ".pdf": ".docx hoặc .txt", ".odt": ".docx", ".ods": ".xlsx"}


def read_plan(
    path: Path,
    *,
    year: int | None = None,
    commune: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    given: GivenHead = GivenHead(),
    annex: Path | None = None,
    drafting: bool = False,
) -> ImportResult:
    """`drafting`: a draft for the office to correct, written for anything readable: a task
    row's problem (an unreadable time, number or unit) is a warning beside it, not an error."""
    path = Path(path)
    suffix = path.suffix.lower()
    _check_file(path, max_bytes, known_format=suffix in READERS or suffix in YAML)
    if annex is not None:
        return _with_annex(
            path, Path(annex), year=year, commune=commune, max_bytes=max_bytes, given=given, drafting=drafting
        )
    if suffix in YAML:
        from importers.canonical import read_yaml

        return read_yaml(path, year=year, commune=commune)
    return plan_from_document(
        READERS[suffix](path),
        file=path.name,
        stem=path.stem,
        year=year,
        commune=commune,
        given=given,
        drafting=drafting,
    )


def _with_annex(
    body: Path,
    annex: Path,
    *,
    year: int | None,
    commune: str | None,
    max_bytes: int,
    given: GivenHead,
    drafting: bool,
) -> ImportResult:
    """Header and reporting calendar from the body, tasks from the annex's table."""
    suffix = annex.suffix.lower()
    _check_file(annex, max_bytes, known_format=suffix in READERS)
    if body.suffix.lower() in YAML:
        raise fail(body.name, f"tệp {body.name}: thân kế hoạch kèm phụ lục phải là văn bản (.txt, .md, .docx)")
    report = Findings(annex.name)
    table = read_task_table(READERS[suffix](annex), report, drafting=drafting)
    if table is None:
        report.raise_errors()
    assert table is not None  # read_task_table reported why it has none: raised above
    text = READERS[body.suffix.lower()](body).text_without(None)
    return _table_plan(
        table, text, report, table.accounts, stem=body.stem, year=year, commune=commune, given=given, drafting=drafting
    )


def _check_file(path: Path, max_bytes: int, *, known_format: bool) -> None:
    """Refuse what cannot be a plan without reading a byte of it."""
    name = path.name
    if not path.exists():
        raise fail(name, f"không tìm thấy tệp {path}")
    if not path.is_file():
        raise fail(name, f"{path} không phải là một tệp")
    if not known_format:
        raise fail(name, _unsupported(name, path.suffix.lower()))
    size = path.stat().st_size
    if size == 0:
        raise fail(name, f"tệp {name} trống")
    if size > max_bytes:
        raise fail(name, f"tệp {name} quá lớn ({_mb(size)} MB; tối đa {_mb(max_bytes)} MB)")


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f}".replace(".", ",").removesuffix(",0")


def _unsupported(name: str, suffix: str) -> str:
    formats = ", ".join([*READERS, *YAML])
    hint = f"; hãy lưu lại thành {CONVERT[suffix]}" if suffix in CONVERT else ""
    return f"tệp {name}: không đọc được định dạng “{suffix or '(không có đuôi)'}” (đọc được: {formats}){hint}"


def plan_from_document(
    document: Document,
    *,
    file: str,
    stem: str,
    year: int | None = None,
    commune: str | None = None,
    given: GivenHead = GivenHead(),
    drafting: bool = False,
) -> ImportResult:
    """The plan a document's task table and text describe; a draft from its prose when it
    has no task table."""
    report = Findings(file)
    table = read_task_table(document, report, drafting=drafting)
    if table is None and document.lines and [e.message for e in report.errors] == [NO_TASK_TABLE]:
        return read_prose(document, file=file, stem=stem, year=year, commune=commune, given=given)
    if table is None:
        report.raise_errors()
    assert table is not None  # read_task_table reported why it has none: raised above
    text = "\n\n".join((table.preamble, document.text_without(table.grid)))
    accounts = [*_text_accounts(document, table.grid), *table.accounts, *other_grid_accounts(document, table.grid)]
    if document.wrapped and document.lines:  # a text file: table rows are its lines, in one order
        accounts.sort(key=lambda account: account.row or account.line or 0)
    return _table_plan(
        table, text, report, accounts, stem=stem, year=year, commune=commune, given=given, drafting=drafting
    )


def _text_accounts(document: Document, table: Grid) -> list[RowAccount]:
    """The document's lines around its tables: in a text file the lines no table row holds
    (a markdown table's separator lines belong to its header), in Word its paragraphs."""
    if not document.wrapped:
        return line_accounts(document.lines, RowFate.DOCUMENT, "văn bản ngoài bảng nhiệm vụ")
    spans = [(grid.rows[0].number, grid.rows[-1].number) for grid in document.grids() if grid.rows]
    held = {line for grid in document.grids() for row in grid.rows for line in (row.number, *row.joined)}
    first, last = table.rows[0].number, table.rows[-1].number
    inside = {n for n in range(first, last + 1) if n not in held}
    others = {n for start, end in spans if start != first for n in range(start, end + 1)}
    return [
        *line_accounts(document.lines, RowFate.DOCUMENT, "văn bản ngoài bảng nhiệm vụ", held | inside | others),
        *(a for a in line_accounts(document.lines, RowFate.HEADER, "đường kẻ của bảng") if a.line in inside),
    ]


def _table_plan(
    table: TaskTable,
    text: str,
    report: Findings,
    accounts: list[RowAccount],
    *,
    stem: str,
    year: int | None,
    commune: str | None,
    given: GivenHead,
    drafting: bool,
) -> ImportResult:
    """The plan of a task table, its header and reporting calendar read from `text`."""
    head = complete_head(
        given.over(find_head(text)), stem=stem, year=year, commune=commune, report=report, drafting=drafting
    )
    if head is None:
        report.raise_errors()
    assert head is not None  # complete_head reported why it has none: raised above
    result = assemble_plan(
        file=report.file,
        head=head,
        settings=PlanSettings(),
        calendar=find_reporting_calendar(text) or default_calendar(),
        sections=table.sections,
        tasks=table.drafts,
        findings=report,
        drafting=drafting,
    )
    rows = with_codes(accounts, (task.code for task in result.plan.tasks))
    return replace(result, rows=rows, guessed=head["guessed"])
