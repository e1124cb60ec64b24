"""Who an account is when one person is shown to another: the directory's full name and
position, else the account's own name and role (an appraiser's too), else (nobody known) its
username."""

from __future__ import annotations

from datetime import datetime

from domain.calendar import TZ
from domain.people import Person, PersonRole
from domain.roles import Role
from persistence.people import replace_directory
from persistence.users import NewUser, add_user
from services.people import shown_names

COMMUNE = "Vĩnh Khê"


def test_an_account_is_shown_by_the_directorys_name_and_position_else_its_own_name_else_not_at_all(session_factory):
    now = datetime.now(TZ)
    with session_factory.begin() as session:
        accounts = [
            NewUser(
                username="lan.vp", role=Role.OFFICER, commune=COMMUNE, units=("Văn phòng",), email="Lan@vinhkhe.vn"
            ),
            NewUser(username="chu-tich", role=Role.CHAIRMAN, commune=COMMUNE, display_name="Lê Văn Bình"),
            NewUser(username="van-phong", role=Role.REVIEWER, commune=COMMUNE),
            NewUser(username="xa-khac", role=Role.CHAIRMAN, commune="Long Điền A", display_name="Trần Văn Khác"),
            NewUser(username="so-noi-vu", role=Role.APPRAISER, supervises=(COMMUNE,), display_name="Đặng Văn Sở"),
        ]
        for account in accounts:
            add_user(session, account, "hash", now)
        lan = Person(
            commune=COMMUNE,
            name="Nguyễn Thị Lan",
            email="lan@vinhkhe.vn",
            unit="Văn phòng",
            roles=frozenset({PersonRole.OFFICER, PersonRole.REVIEWER}),
        )
        replace_directory(session, COMMUNE, [lan], now)

    with session_factory() as session:
        names = shown_names(session, COMMUNE)

    assert names == {
        "lan.vp": "Nguyễn Thị Lan, công chức Văn phòng",
        "chu-tich": "Lê Văn Bình, Chủ tịch UBND xã",
        "so-noi-vu": "Đặng Văn Sở, thẩm định viên (Sở Nội vụ)",
    }
