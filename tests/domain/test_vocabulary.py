"""One vocabulary: every member of every labelled enum has its words in Vietnamese and English,
and no two members of one enum read the same in Vietnamese."""

from __future__ import annotations

from collections import Counter
from typing import get_args

import pytest

from domain.language import Language
from domain.lifecycle import TaskState
from domain.notifications import NotificationKind
from domain.people import Person, PersonRole
from domain.vocabulary import Labelled, introduced, label

LABELLED = get_args(Labelled)


@pytest.mark.parametrize("enum", LABELLED, ids=lambda enum: enum.__name__)
@pytest.mark.parametrize("lang", list(Language))
def test_every_member_of_a_labelled_enum_has_a_label_in_each_language(enum, lang):
    missing = []
    for member in enum:
        try:
            if not label(member, lang).strip():
                missing.append(member)
        except KeyError:
            missing.append(member)
    assert missing == []


@pytest.mark.parametrize("enum", LABELLED, ids=lambda enum: enum.__name__)
def test_no_two_members_of_one_enum_share_a_vietnamese_label(enum):
    shared = Counter(label(member) for member in enum)
    assert [word for word, count in shared.items() if count > 1] == []


def test_a_label_is_vietnamese_unless_english_is_asked_for():
    assert label(TaskState.APPROVED) == "đã hoàn thành"
    assert label(TaskState.APPROVED, "en") == label(TaskState.APPROVED, Language.EN) == "completed"


def test_members_of_two_enums_with_one_value_keep_their_own_words():
    assert TaskState.APPROVED == NotificationKind.APPROVED
    assert label(NotificationKind.ESCALATION) != label(TaskState.APPROVED)
    assert label(NotificationKind.APPROVED, "en") == "completed"


def test_a_language_the_product_does_not_speak_is_refused():
    with pytest.raises(ValueError):
        label(TaskState.APPROVED, "fr")


def test_a_person_is_introduced_by_full_name_and_the_position_of_the_first_role_a_leader_first():
    head = Person(
        commune="Vĩnh Khê",
        name="Phạm Văn Cường",
        email="cuong@vinhkhe.vn",
        unit="Tư pháp",
        roles=frozenset({PersonRole.OFFICER, PersonRole.HEAD}),
    )
    chairman = Person(commune="Vĩnh Khê", name="Lê Văn Bình", email="binh@vinhkhe.vn", roles={PersonRole.CHAIRMAN})
    office = Person(commune="Vĩnh Khê", name="Trần Thị Hoa", email="hoa@vinhkhe.vn", roles={PersonRole.REVIEWER})

    assert introduced(head) == "Phạm Văn Cường, phụ trách Tư pháp"
    assert introduced(head, "en") == "Phạm Văn Cường, head of Tư pháp"
    assert introduced(chairman) == "Lê Văn Bình, Chủ tịch UBND xã"
    assert introduced(office) == "Trần Thị Hoa, Văn phòng (kiểm tra, xác nhận hoàn thành)"
