"""What an import gives back: the plan and its warnings, or every error found."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.errors import CchcError, ErrorCategory
from domain.models import Finding, Plan, Severity
from importers.drafts import DraftedTask, HeadGuess, NamedOfficer
from importers.rows import RowAccount


@dataclass(frozen=True)
class ImportResult:
    plan: Plan
    warnings: list[Finding]
    drafted: dict[str, DraftedTask] | None = None  # a prose plan's draft, by task code; None for a table
    officers: tuple[NamedOfficer, ...] = ()
    rows: tuple[RowAccount, ...] = ()  # what became of every source row or line that holds text
    guessed: tuple[HeadGuess, ...] = ()  # the head's fields the document does not give


def describe(finding: Finding) -> str:
    """One line for people: "kh.txt, hàng 57, cột “Thời gian thực hiện”: không đọc được ..."."""
    where = finding.where()
    return f"{where}: {finding.message}" if where else finding.message


class PlanInputError(CchcError):
    """The plan cannot be imported; `findings` holds every error found, in input order."""

    category = ErrorCategory.BAD_INPUT

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = list(findings)
        super().__init__(describe(self.findings[0]) if self.findings else "không đọc được kế hoạch")

    def lines(self, next_step: str = "") -> list[str]:
        """One line per error found."""
        return [f"{self.lead}{describe(finding)}" for finding in self.findings] or super().lines(next_step)


@dataclass
class Findings:
    """Errors and warnings about one input file, collected before giving up."""

    file: str
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)

    def error(self, message: str, row: int | None = None, column: str | None = None) -> None:
        self.errors.append(self._finding(Severity.ERROR, message, row, column))

    def warning(self, message: str, row: int | None = None, column: str | None = None) -> None:
        self.warnings.append(self._finding(Severity.WARNING, message, row, column))

    def extend(self, other: Findings) -> None:
        self.errors.extend(other.errors)
        self.warnings.extend(other.warnings)

    def raise_errors(self) -> None:
        """Raise every error collected so far, file-level ones first, then by row."""
        if self.errors:
            raise PlanInputError(sorted(self.errors, key=lambda f: f.row or 0))

    def _finding(self, severity: Severity, message: str, row: int | None, column: str | None) -> Finding:
        return Finding(severity=severity, message=message, row=row, column=column, file=self.file)


def fail(file: str, message: str) -> PlanInputError:
    """An error about the whole file."""
    return PlanInputError([Finding(severity=Severity.ERROR, message=message, file=file)])
