"""Who receives a notification: a unit's officers (else its head), its head, the leader in charge
of it, the chairman, the reviewer."""

import unicodedata

import pytest
from pydantic import ValidationError

from domain.people import Person, PersonRole, addressed, email_address, office_unit, units_without_recipients

OFFICER, HEAD, CHAIRMAN, REVIEWER = PersonRole.OFFICER, PersonRole.HEAD, PersonRole.CHAIRMAN, PersonRole.REVIEWER


def person(name: str, email: str, unit: str | None, *roles: PersonRole, language: str = "vi") -> Person:
    return Person(commune="Vĩnh Khê", name=name, email=email, unit=unit, roles=frozenset(roles), language=language)


CHAIR = person("Trần Văn Hùng", "chutich@vinhkhe.example.vn", None, CHAIRMAN)
LAN = person("Nguyễn Thị Lan", "lan@vinhkhe.example.vn", "Văn phòng", OFFICER, REVIEWER)
TUAN = person("Lê Minh Tuấn", "tuan@vinhkhe.example.vn", "Văn phòng", HEAD)
HA = person("Phạm Thu Hà", "ha@vinhkhe.example.vn", "Văn hóa - Xã hội", OFFICER, language="en")
AN = person("Đặng Văn An", "an@vinhkhe.example.vn", "Văn hóa - Xã hội", OFFICER)
LONG = person("Vũ Đức Long", "long@vinhkhe.example.vn", "Tư pháp", HEAD)
MAI = person("Hoàng Thị Mai", "mai@vinhkhe.example.vn", "Tư pháp", HEAD)
PEOPLE = [CHAIR, LAN, TUAN, HA, AN, LONG, MAI]


def names(people: list[Person]) -> list[str]:
    return [p.name for p in people]


@pytest.mark.parametrize(
    "spelling",
    ["Văn phòng", "văn phòng", "VP", "Văn Phòng", unicodedata.normalize("NFD", "Văn phòng"), "Bộ phận Văn phòng"],
)
def test_the_officers_of_a_unit_are_found_however_the_unit_is_spelled(spelling):
    assert addressed(PEOPLE, "officers", spelling) == [LAN]


@pytest.mark.parametrize("spelling", ["Văn hoá", "Văn hóa", "Văn hoá - Xã hội", "VĂN HÓA – XÃ HỘI"])
def test_a_plans_short_or_old_style_name_reaches_the_directorys_unit(spelling):
    assert names(addressed(PEOPLE, "officers", spelling)) == ["Phạm Thu Hà", "Đặng Văn An"]


def test_recipients_come_by_name_then_email_each_once():
    twice = [AN, HA, AN]

    assert addressed(twice, "officers", "Văn hóa - Xã hội") == [HA, AN]


def test_a_unit_without_officers_falls_back_to_its_heads():
    assert addressed(PEOPLE, "officers", "Tư pháp") == [MAI, LONG]


def test_the_department_head_is_the_units_heads_only():
    assert addressed(PEOPLE, "department_head", "Văn phòng") == [TUAN]
    assert addressed(PEOPLE, "department_head", "Văn hóa") == []


def test_the_chairman_and_the_reviewer_need_no_unit():
    assert addressed(PEOPLE, "chairman", None) == [CHAIR]
    assert addressed(PEOPLE, "reviewer", None) == [LAN]


def test_a_recipients_language_is_kept():
    assert [(p.email, p.language) for p in addressed(PEOPLE, "officers", "Văn hoá")] == [
        ("ha@vinhkhe.example.vn", "en"),
        ("an@vinhkhe.example.vn", "vi"),
    ]


def test_a_unit_nobody_belongs_to_reaches_nobody():
    assert addressed(PEOPLE, "officers", "Công an") == []
    assert addressed(PEOPLE, "officers", None) == []


def test_an_unknown_recipient_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown recipient"):
        addressed(PEOPLE, "everyone", None)


def test_units_without_recipients_are_named_as_given_once_each_in_order():
    units = ["Công an", "Văn hoá", "Địa chính", "CÔNG AN", "Văn phòng", "Tư pháp"]

    assert units_without_recipients(PEOPLE, units) == ["Công an", "Địa chính"]
    assert units_without_recipients([], ["Văn phòng", "VĂN PHÒNG"]) == ["Văn phòng"]


def test_names_and_units_are_nfc_and_the_email_domain_lower_case():
    decomposed = Person(
        commune=unicodedata.normalize("NFD", "Vĩnh Khê"),
        name=unicodedata.normalize("NFD", "  Nguyễn   Thị Lan "),
        email="Lan.VP@VinhKhe.Example.VN",
        unit=unicodedata.normalize("NFD", "Văn phòng"),
        roles=frozenset({OFFICER}),
    )

    assert (decomposed.commune, decomposed.name, decomposed.unit) == ("Vĩnh Khê", "Nguyễn Thị Lan", "Văn phòng")
    assert decomposed.email == "Lan.VP@vinhkhe.example.vn"


@pytest.mark.parametrize(
    "written",
    [
        "Nguyễn Thị Lan <lan@vinhkhe.example.vn>",
        "<lan@vinhkhe.example.vn>",
        "lan@vinhkhe.example.vn, mai@vinhkhe.example.vn",
        "lan@vinhkhe.example.vn\r\nBcc: all@example.com",
        "lan@vinhkhe.example.vn\n",
        "lan vp@vinhkhe.example.vn",
        "lan@vinhkhe",
        "lan",
        "",
    ],
)
def test_anything_but_one_plain_address_is_refused(written):
    with pytest.raises(ValueError):
        email_address(written)


def test_officers_and_heads_belong_to_a_unit_but_the_chairman_does_not():
    with pytest.raises(ValidationError, match="belongs to a unit"):
        person("Vũ Đức Long", "long@vinhkhe.example.vn", None, HEAD)

    assert person("Trần Văn Hùng", "ct@vinhkhe.example.vn", "", CHAIRMAN).unit is None


def test_a_person_has_at_least_one_role():
    with pytest.raises(ValidationError):
        person("Vũ Đức Long", "long@vinhkhe.example.vn", "Tư pháp")


BINH = Person(
    commune="Vĩnh Khê",
    name="Trần Văn Bình",
    email="binh@vinhkhe.example.vn",
    roles=frozenset({PersonRole.VICE_CHAIRMAN}),
    in_charge=("Văn phòng", "Tư pháp - Hộ tịch"),
)


@pytest.mark.parametrize("unit", ["Văn phòng", "VP", "Tư pháp", "Bộ phận Tư pháp - Hộ tịch"])
def test_the_leader_in_charge_of_a_unit_is_the_vice_chairman_in_charge_of_it_however_spelled(unit):
    assert addressed([*PEOPLE, BINH], "leader_in_charge", unit) == [BINH]


def test_a_unit_no_vice_chairman_is_in_charge_of_has_the_chairman_as_its_leader():
    assert addressed([*PEOPLE, BINH], "leader_in_charge", "Văn hóa") == [CHAIR]


def test_the_office_confirms_other_units_tasks_and_the_leader_in_charge_the_offices_own():
    assert addressed([*PEOPLE, BINH], "confirmer", "Tư pháp") == [LAN]
    assert addressed([*PEOPLE, BINH], "confirmer", "VP") == [BINH]
    assert addressed(PEOPLE, "confirmer", "Văn phòng") == [CHAIR]


def test_a_coordinating_unit_is_told_through_its_officers():
    assert addressed(PEOPLE, "coordinating", "Văn phòng") == [LAN]


def test_a_vice_chairman_and_only_he_is_in_charge_of_units():
    with pytest.raises(ValidationError, match="only he, is in charge of units"):
        Person(
            commune="Vĩnh Khê",
            name="Bình",
            email="binh@vinhkhe.example.vn",
            roles=frozenset({PersonRole.VICE_CHAIRMAN}),
        )
    with pytest.raises(ValidationError, match="only he, is in charge of units"):
        Person(
            commune="Vĩnh Khê",
            name="Hùng",
            email="chutich@vinhkhe.example.vn",
            roles=frozenset({CHAIRMAN}),
            in_charge=("Tư pháp",),
        )


def test_the_office_is_the_unit_of_the_directorys_reviewers():
    people = [
        person("Trần Văn Hùng", "hung@x.vn", None, PersonRole.CHAIRMAN),
        person("Lê Minh Tuấn", "tuan@x.vn", "Văn phòng HĐND và UBND", PersonRole.HEAD),
        person("Nguyễn Thị Lan", "lan@x.vn", "Văn phòng HĐND và UBND", PersonRole.OFFICER, PersonRole.REVIEWER),
    ]

    assert office_unit(people) == "Văn phòng HĐND và UBND"
    assert office_unit(people[:2]) is None  # no reviewer: the texts use the vocabulary's word
