"""Opening a round checks what it will be scored against before any workflow starts: the
dates in order, a catalogue of the year assessed, plan-completion codes it holds."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from domain.calendar import TZ
from domain.communes import CommuneProfile
from importers.catalogue import read_catalogue
from persistence.communes import update_commune
from services.catalogues import import_catalogue
from services.rounds import BadOpening, check_opening
from tests.services.year import COMMUNE, SAMPLE, store
from workflows.round_contracts import RoundInput


def opening(plan_id: int, **changes) -> RoundInput:
    fields = dict(
        commune=COMMUNE,
        year=2025,
        plan_id=plan_id,
        plan_completion_codes=("1.1.2",),
        opens=date(2025, 12, 1),
        submission_due=date(2026, 1, 15),
        explanation_due=date(2026, 2, 27),
    )
    return RoundInput(**{**fields, **changes})


@pytest.fixture
def stored(session_factory):
    plan_id, catalogue_id = store(session_factory)
    with session_factory.begin() as session:
        update_commune(session, CommuneProfile(name=COMMUNE, province="Tỉnh mẫu"))  # the sample catalogue's
        next_year = read_catalogue(SAMPLE).model_copy(update={"year": 2026})
        later_id = import_catalogue(
            session,
            next_year,
            source_file="2026.yaml",
            source_sha256="ef" * 32,
            actor="lan",
            now=datetime(2026, 11, 1, tzinfo=TZ),
        ).catalogue_id
    return session_factory, plan_id, catalogue_id, later_id


def test_a_round_on_the_catalogue_of_its_year_with_codes_it_holds_may_open(stored):
    sessions, plan_id, catalogue_id, _ = stored
    with sessions() as session:
        check_opening(session, opening(plan_id, catalogue_id=catalogue_id))


@pytest.mark.parametrize(
    "wrong, message",
    [
        ({"catalogue": "later"}, "dùng cho năm 2026, không dùng đánh giá năm 2025"),
        ({"catalogue_id": 999}, "không tìm thấy bộ tiêu chí id 999"),
        ({"plan_completion_codes": ("1.1.2", "9.9")}, "bộ tiêu chí không có tiêu chí chấm điểm 9.9"),
        ({"explanation_due": date(2026, 1, 10)}, "phải theo thứ tự đó"),
    ],
)
def test_a_round_that_could_not_be_scored_is_refused_naming_why(stored, wrong, message):
    sessions, plan_id, catalogue_id, later_id = stored
    changes = {"catalogue_id": later_id} if wrong.get("catalogue") == "later" else wrong
    with sessions() as session, pytest.raises(BadOpening) as refused:
        check_opening(session, opening(plan_id, **{"catalogue_id": catalogue_id, **changes}))
    assert message in str(refused.value)


def test_a_round_is_opened_only_on_a_catalogue_of_the_commune_province(stored):
    sessions, plan_id, catalogue_id, _ = stored
    with sessions.begin() as session:
        update_commune(session, CommuneProfile(name=COMMUNE, province="tỉnh Quảng Trị"))
    with sessions() as session, pytest.raises(BadOpening) as refused:
        check_opening(session, opening(plan_id, catalogue_id=catalogue_id))
    assert "là của Tỉnh mẫu, không dùng đánh giá xã của tỉnh Quảng Trị" in str(refused.value)


def test_a_round_of_a_commune_whose_province_is_not_recorded_is_refused_naming_how_to_record_it(session_factory):
    plan_id, catalogue_id = store(session_factory)
    with session_factory() as session, pytest.raises(BadOpening) as refused:
        check_opening(session, opening(plan_id, catalogue_id=catalogue_id))
    assert f"chưa ghi tỉnh của {COMMUNE} (cchc commune set --province)" in str(refused.value)
