"""The audit chain's format: the worked example of docs/audit.md, recomputed here."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.calendar import TZ
from evidence.chain import GENESIS, canonical_json, event_document, link, links, plan_head, unbroken

WORKFLOW_ID = "cchc-task/1/I.3/2024-02"
ASSIGNED = event_document(
    workflow_id=WORKFLOW_ID,
    seq=1,
    at=datetime(2024, 1, 15, 8, 0, tzinfo=TZ),
    kind="assign",
    state="assigned",
    actor="system",
    role="system",
    detail="",
    data={},
)
ACKNOWLEDGED = event_document(
    workflow_id=WORKFLOW_ID,
    seq=2,
    at=datetime(2024, 2, 1, 2, 0, tzinfo=UTC),
    kind="acknowledge",
    state="in_progress",
    actor="cong-chuc-van-hoa",
    role="officer",
    detail="Đã nhận",
    data={"percent": 10},
)
# docs/audit.md shows these values and how to get them with printf and sha256sum.
FIRST = "dc4aa777b075830f26024fe30722535786608d641ddddb6ba6b47d0d99168df0"
SECOND = "4d9434e2e07807c89e42d0437170e4c9e45c1d9c5eebce5c809ce7c42f5b0b07"
HEAD = "1aa8fbc1454efd3d1e86e5ac968ad13b4aa56c15e34769f2a58034be75a51bb8"


def test_canonical_json_sorts_keys_drops_whitespace_and_keeps_vietnamese_as_utf8():
    value = {"b": [1, {"d": "Đã", "c": None}], "a": ""}

    assert canonical_json(value) == '{"a":"","b":[1,{"c":null,"d":"Đã"}]}'.encode()


def test_an_event_is_hashed_with_its_instant_in_viet_nam_whatever_offset_it_came_with():
    assert canonical_json(ASSIGNED).decode() == (
        '{"actor":"system","at":"2024-01-15T08:00:00+07:00","data":{},"detail":"","kind":"assign",'
        '"role":"system","seq":1,"state":"assigned","workflow_id":"cchc-task/1/I.3/2024-02"}'
    )
    assert ACKNOWLEDGED["at"] == "2024-02-01T09:00:00+07:00"


def test_the_worked_example_of_the_documentation_gives_the_same_hashes():
    assert link(GENESIS, ASSIGNED) == FIRST
    assert list(links([ASSIGNED, ACKNOWLEDGED])) == [FIRST, SECOND]
    assert plan_head([(WORKFLOW_ID, SECOND)]) == HEAD


def test_a_plans_head_does_not_depend_on_the_order_its_tasks_are_given_in():
    heads = [("cchc-task/1/II.1/2024", "b" * 64), ("cchc-task/1/I.1/2024", "a" * 64)]

    assert plan_head(heads) == plan_head(reversed(heads))
    assert plan_head(heads) != plan_head([heads[0]])


def test_a_naive_instant_cannot_be_chained():
    with pytest.raises(ValueError, match="naive"):
        event_document(**{**ASSIGNED, "at": datetime(2024, 1, 15, 8, 0)})


def test_only_the_events_before_the_first_gap_can_be_chained():
    assert unbroken([1, 2, 3, 5, 6], lambda seq: seq) == [1, 2, 3]
    assert unbroken([4, 5, 7], lambda seq: seq, first=4) == [4, 5]
    assert unbroken([2, 3], lambda seq: seq) == []
