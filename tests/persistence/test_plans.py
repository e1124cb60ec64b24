from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from domain.models import CommuneKind, Unit
from domain.units import unit_key
from persistence.communes import commune_profile
from persistence.plans import PlanAmbiguous, PlanNotFound, find_plan_id, list_plans, load_plan, save_plan
from persistence.tables import CommuneRow, OccurrenceRow, PlanRow, TaskRow, TaskUnitRow, UnitRow

SHA = "0" * 64


def save(session_factory, plan, source_file="vinh-khe.txt"):
    with session_factory.begin() as session:
        return save_plan(session, plan, source_file=source_file, source_sha256=SHA)


def count(session_factory, table) -> int:
    with session_factory() as session:
        return session.scalar(select(func.count()).select_from(table))


def test_a_saved_plan_loads_back_equal_to_what_was_saved(session_factory, vinh_khe_plan):
    result = save(session_factory, vinh_khe_plan)

    with session_factory() as session:
        loaded = load_plan(session, str(result.plan_id))

    assert result.created
    assert loaded == vinh_khe_plan
    assert [t.code for t in loaded.tasks] == ["I.3", "I.6", "II.4"]
    assert [o.key for o in loaded.tasks[1].occurrences] == ["2024-Q1", "2024-H1", "2024-M9", "2024"]


def test_due_instants_read_back_aware_in_vietnam_time(session_factory, vinh_khe_plan):
    save(session_factory, vinh_khe_plan)

    with session_factory() as session:
        due = load_plan(session, "10/KH-UBND").tasks[0].occurrences[0].due

    assert due.utcoffset() == timedelta(hours=7)
    assert due.isoformat() == "2024-02-29T23:59:59+07:00"


def test_a_plan_is_found_by_id_or_by_number_in_any_case(session_factory, vinh_khe_plan):
    plan_id = save(session_factory, vinh_khe_plan).plan_id

    with session_factory() as session:
        assert find_plan_id(session, plan_id) == plan_id
        assert find_plan_id(session, " 10/kh-ubnd ") == plan_id
        assert find_plan_id(session, "10/KH-UBND", year=2024) == plan_id


def test_an_unknown_plan_raises_plan_not_found(session_factory, vinh_khe_plan):
    save(session_factory, vinh_khe_plan)

    with session_factory() as session:
        with pytest.raises(PlanNotFound):
            load_plan(session, "99/KH-UBND")
        with pytest.raises(PlanNotFound):
            load_plan(session, "10/KH-UBND", year=2023)
        with pytest.raises(PlanNotFound):
            load_plan(session, "4242")


def test_a_number_shared_by_two_years_needs_the_year(session_factory, vinh_khe_plan):
    save(session_factory, vinh_khe_plan)
    next_year = vinh_khe_plan.model_copy(update={"year": 2025, "date": date(2025, 1, 10)})
    save(session_factory, next_year)

    with session_factory() as session:
        with pytest.raises(PlanAmbiguous) as raised:
            load_plan(session, "10/KH-UBND")
        assert [c.year for c in raised.value.candidates] == [2024, 2025]
        assert load_plan(session, "10/KH-UBND", year=2025) == next_year


def test_saving_the_same_plan_twice_stores_it_once(session_factory, vinh_khe_plan):
    first = save(session_factory, vinh_khe_plan)
    second = save(session_factory, vinh_khe_plan, source_file="renamed.txt")

    assert first.created and not second.created
    assert second.plan_id == first.plan_id
    assert count(session_factory, PlanRow) == 1
    assert count(session_factory, TaskRow) == 3
    assert count(session_factory, OccurrenceRow) == 6


def test_another_commune_plan_with_the_same_issuer_number_and_year_is_stored_as_its_own(session_factory, vinh_khe_plan):
    """A plan's identity holds its commune: a commune's import never lands on another's plan."""
    ours = save(session_factory, vinh_khe_plan)
    theirs = save(session_factory, vinh_khe_plan.model_copy(update={"commune": "Long Điền A"}))

    assert theirs.created and theirs.plan_id != ours.plan_id
    with session_factory() as session:
        assert {plan.commune for plan in list_plans(session)} == {"Vĩnh Khê", "Long Điền A"}


def test_a_save_that_fails_midway_writes_nothing(session_factory, vinh_khe_plan):
    duplicate_code = vinh_khe_plan.tasks[2].model_copy(update={"code": "I.3"})
    broken = vinh_khe_plan.model_copy(update={"tasks": (*vinh_khe_plan.tasks, duplicate_code)})

    with pytest.raises(IntegrityError):
        save(session_factory, broken)

    for table in (CommuneRow, UnitRow, PlanRow, TaskRow, TaskUnitRow, OccurrenceRow):
        assert count(session_factory, table) == 0, table.__tablename__


def test_units_join_the_communes_directory_once_and_keep_each_plans_spelling(session_factory, vinh_khe_plan):
    save(session_factory, vinh_khe_plan)
    respelled = vinh_khe_plan.model_copy(
        update={
            "number": "25/KH-UBND",
            "units": (
                Unit(key=unit_key("Văn hoá"), name="Văn hoá"),
                Unit(key=unit_key("Công an xã"), name="Công an xã"),
            ),
            "tasks": (
                vinh_khe_plan.tasks[0].model_copy(update={"lead": ("Văn hoá",), "coordinating": ("Công an xã",)}),
            ),
        }
    )
    save(session_factory, respelled)

    with session_factory() as session:
        directory = session.execute(select(UnitRow.key, UnitRow.name).order_by(UnitRow.id)).all()
        loaded = load_plan(session, "25/KH-UBND")

    assert directory == [
        (unit_key("Văn phòng"), "Văn phòng"),
        (unit_key("Văn hóa"), "Văn hóa"),
        (unit_key("Tư pháp"), "Tư pháp"),
        (unit_key("Công an xã"), "Công an xã"),
    ]
    assert loaded == respelled


def test_a_task_naming_a_unit_missing_from_the_plans_directory_still_round_trips(session_factory, vinh_khe_plan):
    task = vinh_khe_plan.tasks[0].model_copy(update={"coordinating": ("Các bộ phận liên quan",)})
    plan = vinh_khe_plan.model_copy(update={"tasks": (task, *vinh_khe_plan.tasks[1:])})
    save(session_factory, plan)

    with session_factory() as session:
        assert load_plan(session, "10/KH-UBND") == plan
        keys = session.scalars(select(UnitRow.key)).all()
    assert "các bộ phận liên quan" in keys


def test_list_plans_summarises_each_plan_with_its_task_count(session_factory, vinh_khe_plan):
    plan_id = save(session_factory, vinh_khe_plan).plan_id

    with session_factory() as session:
        (summary,) = list_plans(session)

    assert (summary.id, summary.number, summary.date, summary.commune, summary.task_count) == (
        plan_id,
        "10/KH-UBND",
        date(2024, 1, 15),
        "Vĩnh Khê",
        3,
    )
    assert summary.imported_at.utcoffset() == timedelta(hours=7)


def test_an_empty_database_lists_no_plans(session_factory):
    with session_factory() as session:
        assert list_plans(session) == []


def test_a_commune_is_of_the_kind_its_newest_plans_issuer_says(session_factory, vinh_khe_plan):
    as_xa = vinh_khe_plan.model_copy(update={"commune_kind": CommuneKind.XA})
    as_phuong_2026 = as_xa.model_copy(
        update={
            "number": "5/KH-UBND",
            "year": 2026,
            "issuer": "UBND phường Vĩnh Khê",
            "commune_kind": CommuneKind.PHUONG,
        }
    )
    older_xa = as_xa.model_copy(update={"number": "9/KH-UBND", "year": 2023})

    first = save(session_factory, as_xa)
    save(session_factory, as_phuong_2026)
    save(session_factory, older_xa)

    with session_factory() as session:
        assert commune_profile(session, "Vĩnh Khê").kind is CommuneKind.PHUONG
        assert load_plan(session, str(first.plan_id)).commune_kind is CommuneKind.PHUONG  # the commune's, as it is now
