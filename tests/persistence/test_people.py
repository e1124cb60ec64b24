"""The people directory: a file replaces its commune's directory; nobody is ever deleted."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from domain.people import Person, PersonRole
from persistence.people import (
    DirectoryChange,
    DirectoryConflict,
    all_communes,
    commune_people,
    replace_directory,
)
from persistence.people_tables import PersonRow

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime(2024, 1, 15, 8, 0, tzinfo=TZ)


def person(name, email, unit, *roles, commune="Vĩnh Khê", language="vi") -> Person:
    return Person(commune=commune, name=name, email=email, unit=unit, roles=frozenset(roles), language=language)


LAN = person("Nguyễn Thị Lan", "lan@vinhkhe.example.vn", "Văn phòng", PersonRole.OFFICER, PersonRole.REVIEWER)
MAI = person("Hoàng Thị Mai", "mai@vinhkhe.example.vn", "Tư pháp", PersonRole.OFFICER)
HUNG = person("Trần Văn Hùng", "chutich@vinhkhe.example.vn", None, PersonRole.CHAIRMAN)
HANH = person("Lê Thị Hạnh", "hanh@longdiena.example.vn", "Văn phòng", PersonRole.OFFICER, commune="Long Điền A")


def replace(session_factory, people, commune="Vĩnh Khê", now=MONDAY) -> DirectoryChange:
    with session_factory.begin() as session:
        return replace_directory(session, commune, people, now)


def stored(session_factory, commune="Vĩnh Khê") -> list[Person]:
    with session_factory() as session:
        return commune_people(session, commune)


def rows(session_factory) -> dict[str, PersonRow]:
    with session_factory() as session:
        return {row.email: row for row in session.scalars(select(PersonRow))}


def test_a_first_import_adds_everyone_and_reads_back_by_name(session_factory):
    change = replace(session_factory, [LAN, MAI, HUNG])

    assert change == DirectoryChange(
        added=["chutich@vinhkhe.example.vn", "lan@vinhkhe.example.vn", "mai@vinhkhe.example.vn"], changed=[], removed=[]
    )
    assert stored(session_factory) == [MAI, LAN, HUNG]
    lan = rows(session_factory)["lan@vinhkhe.example.vn"]
    assert (lan.unit_key, lan.roles, lan.active) == ("văn phòng", ["officer", "reviewer"], True)
    assert lan.updated_at == MONDAY


def test_a_second_import_changes_keeps_the_departed_inactive_and_brings_them_back(session_factory):
    replace(session_factory, [LAN, MAI, HUNG])
    lan_in_english = LAN.model_copy(update={"language": "en"})
    tuesday, wednesday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)

    second = replace(session_factory, [lan_in_english, HUNG], now=tuesday)

    assert second == DirectoryChange(added=[], changed=["lan@vinhkhe.example.vn"], removed=["mai@vinhkhe.example.vn"])
    assert stored(session_factory) == [lan_in_english, HUNG]
    mai = rows(session_factory)["mai@vinhkhe.example.vn"]
    assert (mai.active, mai.updated_at) == (False, tuesday)

    third = replace(session_factory, [lan_in_english, MAI, HUNG], now=wednesday)

    assert third == DirectoryChange(added=["mai@vinhkhe.example.vn"], changed=[], removed=[])
    assert stored(session_factory) == [MAI, lan_in_english, HUNG]
    assert len(rows(session_factory)) == 3


def test_importing_the_same_directory_again_changes_nothing(session_factory):
    replace(session_factory, [LAN, MAI])

    again = replace(session_factory, [LAN, MAI], now=MONDAY + timedelta(hours=1))

    assert again == DirectoryChange(added=[], changed=[], removed=[])
    assert {row.updated_at for row in rows(session_factory).values()} == {MONDAY}


def test_each_commune_has_its_own_directory(session_factory):
    replace(session_factory, [LAN, MAI])
    replace(session_factory, [HANH], commune="Long Điền A")

    assert stored(session_factory, "Long Điền A") == [HANH]
    assert stored(session_factory) == [MAI, LAN]
    with session_factory() as session:
        assert all_communes(session) == ["Long Điền A", "Vĩnh Khê"]


def test_a_row_changed_by_someone_else_meanwhile_stops_the_import(session_factory):
    replace(session_factory, [LAN, MAI])

    with pytest.raises(DirectoryConflict), session_factory.begin() as session:
        seen = session.scalars(select(PersonRow)).all()  # held, the session keeps these rows as read
        with session_factory.begin() as other:
            other.execute(update(PersonRow).values(updated_at=MONDAY + timedelta(minutes=1)))
        replace_directory(session, "Vĩnh Khê", [LAN], MONDAY + timedelta(hours=1))

    assert len(seen) == 2
    assert stored(session_factory) == [MAI, LAN]  # nothing of the refused import


def test_people_of_another_commune_are_refused(session_factory):
    with pytest.raises(ValueError, match="Long Điền A"):
        replace(session_factory, [LAN, HANH])


def test_the_units_a_vice_chairman_is_in_charge_of_are_stored_and_a_change_of_them_is_a_change(session_factory):
    binh = Person(
        commune="Vĩnh Khê",
        name="Trần Văn Bình",
        email="binh@vinhkhe.example.vn",
        roles=frozenset({PersonRole.VICE_CHAIRMAN}),
        in_charge=("Tư pháp",),
    )
    replace(session_factory, [binh, HUNG])
    more = binh.model_copy(update={"in_charge": ("Tư pháp", "Văn phòng")})

    change = replace(session_factory, [more, HUNG], now=MONDAY + timedelta(days=1))

    assert change == DirectoryChange(added=[], changed=["binh@vinhkhe.example.vn"], removed=[])
    assert stored(session_factory) == [more, HUNG]
