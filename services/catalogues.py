"""Storing and reading criteria catalogues. The caller owns the transaction: nothing here commits.

A catalogue version is immutable: it is the set a provincial decision issued for a year.
Importing it again is a no-op; importing different content under the same decision is
refused, since a revised set comes with a new decision.

with session_factory.begin() as session:
    imported = import_catalogue(session, catalogue, source_file="bo-tieu-chi.xlsx",
                                source_sha256=digest, actor="lan", now=now)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.criteria import Catalogue
from domain.errors import CchcError, ErrorCategory
from persistence.catalogue_tables import CatalogueRow


@dataclass(frozen=True)
class CatalogueImport:
    catalogue_id: int
    created: bool  # False: this very catalogue was already stored ("đã có")


@dataclass(frozen=True)
class CatalogueSummary:
    id: int
    province: str
    year: int
    decision_number: str
    decision_issued: date
    name: str
    sample: bool
    fingerprint: str
    source_file: str
    imported_by: str
    imported_at: datetime


class CatalogueConflict(CchcError, ValueError):
    """The decision is stored with other content: a published criteria set does not change."""

    category = ErrorCategory.CONFLICT

    def __init__(self, catalogue: Catalogue, stored_id: int) -> None:
        decision = catalogue.decision
        super().__init__(
            f"Quyết định số {decision.number} ({catalogue.province}, năm {catalogue.year}) đã được nhập "
            f"với nội dung khác (bộ tiêu chí id {stored_id}); bộ tiêu chí đã ban hành không được sửa, "
            "bộ tiêu chí sửa đổi phải theo một quyết định mới"
        )
        self.decision_number = decision.number
        self.stored_id = stored_id


class CatalogueNotFound(CchcError, LookupError):
    category = ErrorCategory.NOT_FOUND
    closing = "."

    def __init__(self, ref: str) -> None:
        super().__init__(f"không tìm thấy bộ tiêu chí {ref}")
        self.ref = ref


def import_catalogue(
    session: Session, catalogue: Catalogue, *, source_file: str, source_sha256: str, actor: str, now: datetime
) -> CatalogueImport:
    """Store `catalogue` as a new version, or find it already stored; refuse a changed one."""
    fingerprint = catalogue.fingerprint()
    stored = session.scalars(
        select(CatalogueRow).where(
            CatalogueRow.province == catalogue.province,
            CatalogueRow.year == catalogue.year,
            CatalogueRow.decision_number == catalogue.decision.number,
        )
    ).one_or_none()
    if stored is not None:
        if stored.fingerprint != fingerprint:
            raise CatalogueConflict(catalogue, stored.id)
        return CatalogueImport(stored.id, created=False)
    row = CatalogueRow(
        province=catalogue.province,
        year=catalogue.year,
        decision_number=catalogue.decision.number,
        decision_issued=catalogue.decision.issued,
        decision_issuer=catalogue.decision.issuer,
        name=catalogue.name,
        sample=catalogue.sample,
        fingerprint=fingerprint,
        content=catalogue.model_dump(mode="json"),
        source_file=source_file,
        source_sha256=source_sha256,
        imported_by=actor,
        imported_at=now,
    )
    session.add(row)
    session.flush()
    return CatalogueImport(row.id, created=True)


def load_catalogue(session: Session, catalogue_id: int) -> Catalogue:
    row = session.get(CatalogueRow, catalogue_id)
    if row is None:
        raise CatalogueNotFound(f"id {catalogue_id}")
    return Catalogue.model_validate(row.content)


def find_catalogue(session: Session, province: str, year: int) -> int | None:
    """The catalogue in force for a province and year: the one of the newest decision."""
    return session.scalars(
        select(CatalogueRow.id)
        .where(CatalogueRow.province == province, CatalogueRow.year == year)
        .order_by(CatalogueRow.decision_issued.desc(), CatalogueRow.id.desc())
        .limit(1)
    ).first()


def list_catalogues(session: Session) -> list[CatalogueSummary]:
    """Every stored version: by province, newest year first, newest decision first."""
    rows = session.scalars(
        select(CatalogueRow).order_by(
            CatalogueRow.province, CatalogueRow.year.desc(), CatalogueRow.decision_issued.desc(), CatalogueRow.id
        )
    )
    return [
        CatalogueSummary(
            id=row.id,
            province=row.province,
            year=row.year,
            decision_number=row.decision_number,
            decision_issued=row.decision_issued,
            name=row.name,
            sample=row.sample,
            fingerprint=row.fingerprint,
            source_file=row.source_file,
            imported_by=row.imported_by,
            imported_at=row.imported_at,
        )
        for row in rows
    ]
