"""What is known of each commune: its kind, administrative code, district and province.

The caller owns the transaction: nothing here commits.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.communes import CommuneProfile
from domain.errors import CchcError, ErrorCategory
from domain.models import CommuneKind
from domain.units import same_commune
from persistence.tables import CommuneRow


class CommuneNotFound(CchcError, LookupError):
    category = ErrorCategory.NOT_FOUND
    closing = "."

    def __init__(self, name: str):
        self.name = name
        super().__init__(f"chưa có xã, phường, đặc khu “{name}” (hãy nhập một kế hoạch của nó trước)")


def commune_profile(session: Session, name: str) -> CommuneProfile:
    """What is known of the commune `name` (however spelt); only its name when it is not stored."""
    row = _row(session, name)
    return _profile(row) if row is not None else CommuneProfile(name=name)


def update_commune(session: Session, profile: CommuneProfile) -> CommuneProfile:
    """Store the kind, code, district and province of `profile` on its commune, each one given
    (not None) replacing what was known; the commune as it now is."""
    row = _row(session, profile.name)
    if row is None:
        raise CommuneNotFound(profile.name)
    row.kind = profile.kind.value if profile.kind else row.kind
    row.code = profile.code or row.code
    row.district = profile.district or row.district
    row.province = profile.province or row.province
    session.flush()
    return _profile(row)


def _row(session: Session, name: str) -> CommuneRow | None:
    """The commune named `name`: as stored, else however spelt."""
    exact = session.scalar(select(CommuneRow).where(CommuneRow.name == name))
    return exact or next((row for row in session.scalars(select(CommuneRow)) if same_commune(row.name, name)), None)


def _profile(row: CommuneRow) -> CommuneProfile:
    return CommuneProfile(
        name=row.name,
        kind=CommuneKind(row.kind) if row.kind else None,
        code=row.code,
        district=row.district,
        province=row.province,
    )
