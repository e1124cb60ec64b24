"""Criteria catalogues: each decision's set stored once, never changed, found by province and year."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from domain.criteria import Catalogue, Decision
from importers.catalogue import read_catalogue
from persistence.catalogue_tables import CatalogueRow
from services.catalogues import (
    CatalogueConflict,
    CatalogueImport,
    CatalogueNotFound,
    find_catalogue,
    import_catalogue,
    list_catalogues,
    load_catalogue,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
OCTOBER = datetime(2025, 10, 20, 9, 0, tzinfo=TZ)
SAMPLE = read_catalogue(Path(__file__).resolve().parents[2] / "importers" / "samples" / "sample-criteria-2025.yaml")


def store(session_factory, catalogue: Catalogue = SAMPLE, now: datetime = OCTOBER) -> CatalogueImport:
    with session_factory.begin() as session:
        return import_catalogue(
            session, catalogue, source_file="sample-2025.yaml", source_sha256="ab" * 32, actor="lan", now=now
        )


def load(session_factory, catalogue_id: int) -> Catalogue:
    with session_factory() as session:
        return load_catalogue(session, catalogue_id)


def renamed(catalogue: Catalogue, name: str) -> Catalogue:
    return catalogue.model_copy(update={"name": name})


def next_year(catalogue: Catalogue) -> Catalogue:
    decision = Decision(number="120/QĐ-UBND", issued=date(2026, 1, 20), issuer=catalogue.decision.issuer)
    return catalogue.model_copy(update={"year": 2026, "decision": decision})


def test_a_stored_catalogue_reads_back_equal_with_its_fingerprint_and_source(session_factory):
    imported = store(session_factory)

    assert imported.created
    assert load(session_factory, imported.catalogue_id) == SAMPLE
    with session_factory() as session:
        row = session.get(CatalogueRow, imported.catalogue_id)
    assert (row.province, row.year, row.decision_number, row.decision_issued) == (
        "Tỉnh mẫu",
        2025,
        "0000/QĐ-UBND (mẫu)",
        date(2025, 10, 1),
    )
    assert (row.sample, row.fingerprint, row.imported_by, row.imported_at) == (
        True,
        SAMPLE.fingerprint(),
        "lan",
        OCTOBER,
    )


def test_importing_the_same_catalogue_again_changes_nothing(session_factory):
    first = store(session_factory)

    again = store(session_factory, now=datetime(2025, 11, 1, 8, 0, tzinfo=TZ))

    assert again == CatalogueImport(first.catalogue_id, created=False)
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(CatalogueRow)) == 1
        assert session.get(CatalogueRow, first.catalogue_id).imported_at == OCTOBER


def test_other_content_under_the_same_decision_is_refused_naming_the_decision(session_factory):
    first = store(session_factory)

    with pytest.raises(CatalogueConflict, match=r"Quyết định số 0000/QĐ-UBND \(mẫu\) .* nội dung khác") as caught:
        store(session_factory, renamed(SAMPLE, "Bộ tiêu chí đã sửa"))

    assert caught.value.stored_id == first.catalogue_id
    assert load(session_factory, first.catalogue_id) == SAMPLE


def test_a_next_years_catalogue_is_a_separate_version_and_leaves_the_first_unchanged(session_factory):
    first = store(session_factory)

    second = store(session_factory, next_year(SAMPLE))

    assert second.created and second.catalogue_id != first.catalogue_id
    assert load(session_factory, first.catalogue_id) == SAMPLE
    assert load(session_factory, second.catalogue_id) == next_year(SAMPLE)
    with session_factory() as session:
        assert find_catalogue(session, "Tỉnh mẫu", 2025) == first.catalogue_id
        assert find_catalogue(session, "Tỉnh mẫu", 2026) == second.catalogue_id
        assert find_catalogue(session, "Tỉnh mẫu", 2024) is None
        assert [(each.id, each.year) for each in list_catalogues(session)] == [
            (second.catalogue_id, 2026),
            (first.catalogue_id, 2025),
        ]


def test_a_newer_decision_for_the_same_year_is_the_one_found(session_factory):
    first = store(session_factory)
    revised = SAMPLE.model_copy(
        update={"decision": Decision(number="0001/QĐ-UBND (mẫu)", issued=date(2025, 12, 1), issuer="UBND Tỉnh mẫu")}
    )

    second = store(session_factory, revised)

    with session_factory() as session:
        assert find_catalogue(session, "Tỉnh mẫu", 2025) == second.catalogue_id
    assert load(session_factory, first.catalogue_id) == SAMPLE


def test_loading_a_catalogue_that_is_not_stored_says_so(session_factory):
    with pytest.raises(CatalogueNotFound, match="không tìm thấy bộ tiêu chí id 42"):
        load(session_factory, 42)
