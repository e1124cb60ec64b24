"""On-time rates and the monthly trend from real rows the record activity wrote, on SQLite and
PostgreSQL; the charts as parsed XML; the worker check against the real dev server."""

from __future__ import annotations

import asyncio
import time as clock
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime, time

import pytest
from temporalio.testing import ActivityEnvironment

from activities.events import TaskActivities
from domain.calendar import TZ
from domain.lifecycle import TaskState
from domain.roles import Role
from observability.health import worker_alive
from persistence.db import make_engine, make_session_factory
from services.outcomes import Measure
from tests.workflows.rig import start_environment
from web.insight import MonthRate, UnitRate, monthly_trend, rates_svg, trend_svg, unit_rates
from worker import build_worker
from workflows.contracts import RecordedEvent, TimelineEntry, task_workflow_id

TODAY = date(2024, 4, 15)
SVG = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class Occurrence:
    """One task occurrence and what happened to it: (kind, state, day, due after it) events."""

    code: str
    lead: tuple[str, ...]
    due: date
    events: tuple[tuple[str, TaskState, date, date], ...]
    commune: str = "Vĩnh Khê"
    plan_id: int = 1


def approved(code: str, lead: tuple[str, ...], due: date, on: date, **where) -> Occurrence:
    return Occurrence(code, lead, due, (("approve", TaskState.APPROVED, on, due),), **where)


def still_open(code: str, lead: tuple[str, ...], due: date) -> Occurrence:
    return Occurrence(code, lead, due, (("acknowledge", TaskState.IN_PROGRESS, date(2024, 1, 16), due),))


OCCURRENCES = (
    approved("I.1", ("Văn phòng",), date(2024, 1, 31), date(2024, 1, 30)),
    approved("I.3", ("Văn hoá",), date(2024, 2, 29), date(2024, 2, 28)),
    approved("I.4", ("Văn hóa",), date(2024, 3, 8), date(2024, 3, 20)),  # late; another spelling
    Occurrence(  # extended to 29/03, then approved before the new deadline: on time
        "I.5",
        ("Văn phòng",),
        date(2024, 3, 8),
        (
            ("extend_deadline", TaskState.IN_PROGRESS, date(2024, 3, 5), date(2024, 3, 29)),
            ("approve", TaskState.APPROVED, date(2024, 3, 25), date(2024, 3, 29)),
        ),
    ),
    still_open("I.6", ("Văn phòng",), date(2024, 3, 29)),  # overdue
    still_open("I.7", ("Văn phòng", "Tư pháp"), date(2024, 12, 9)),  # not due until December
    approved("II.1", ("Tư pháp",), date(2024, 4, 30), date(2024, 4, 10)),  # approved early
    still_open("II.2", ("Tư pháp",), date(2024, 4, 12)),  # overdue, in a month not over yet
    Occurrence(
        "II.3", ("Tư pháp",), date(2024, 3, 29), (("waive", TaskState.WAIVED, date(2024, 3, 1), date(2024, 3, 29)),)
    ),
    still_open("II.4", ("Tư pháp",), date(2023, 12, 29)),  # past due when the plan was issued
    approved("I.1", ("VĂN PHÒNG",), date(2024, 3, 29), date(2024, 3, 28), commune="Long Điền A", plan_id=2),
)


async def record(session_factory, occurrence: Occurrence) -> None:
    activity = TaskActivities(session_factory).record_event
    workflow_id = task_workflow_id(occurrence.plan_id, occurrence.code, str(occurrence.due))
    for seq, (kind, state, day, due) in enumerate(occurrence.events, start=1):
        event = RecordedEvent(
            workflow_id=workflow_id,
            commune=occurrence.commune,
            plan_id=occurrence.plan_id,
            task_code=occurrence.code,
            occurrence_key=str(occurrence.due),
            entry=TimelineEntry(
                seq=seq,
                at=datetime.combine(day, time(9, 0), tzinfo=TZ),
                kind=kind,
                state=state,
                actor="nguoi-dung",
                role=Role.CHAIRMAN,
                data={"old_due": str(occurrence.due), "new_due": str(due)} if kind == "extend_deadline" else {},
            ),
            due=due,
            lead=occurrence.lead,
        )
        assert await ActivityEnvironment().run(activity, event)


@pytest.fixture
def recorded(session_factory):
    async def fill():
        for occurrence in OCCURRENCES:
            await record(session_factory, occurrence)

    asyncio.run(fill())
    return session_factory


# --- rates -----------------------------------------------------------------------------------


def test_each_lead_unit_has_its_on_time_rate_out_of_what_was_due_by_today(recorded):
    with recorded() as session:
        rates = unit_rates(session, TODAY, communes=["Vĩnh Khê"])

    assert rates == [
        # (unit, occurrences, stopped, by the plan, as directed)
        # II.1 on time; II.2 and II.4 overdue; II.3 stopped without an amending document:
        # not done by the plan, not counted as directed; I.7 not due yet
        UnitRate("Tư pháp", 5, 1, Measure(1, 0, 2, 1, 1), Measure(1, 0, 2, 0, 1)),
        # both spellings are one unit, named as first spelled (by due date)
        UnitRate("Văn hoá", 2, 0, Measure(1, 1), Measure(1, 1)),
        # I.1 on time; I.5 done after the plan's deadline, within the chairman's extension;
        # I.6 overdue; I.7 not due yet
        UnitRate("Văn phòng", 4, 0, Measure(1, 1, 1, 0, 1), Measure(2, 0, 1, 0, 1)),
    ]
    assert [(r.on_time_rate, r.on_time_rate_directed) for r in rates] == [(0.25, 0.333), (0.5, 0.5), (0.333, 0.667)]


def test_rates_take_every_commune_unless_one_is_named_and_can_be_narrowed_to_one_plan(recorded):
    with recorded() as session:
        everywhere = {rate.unit: rate for rate in unit_rates(session, TODAY)}
        one_plan = unit_rates(session, TODAY, plan_id=2)

    office = everywhere["Văn phòng"]
    assert (office.occurrences, office.on_time_rate, office.on_time_rate_directed) == (5, 0.5, 0.75)
    assert one_plan == [UnitRate("VĂN PHÒNG", 1, 0, Measure(on_time=1), Measure(on_time=1))]


def test_a_unit_with_nothing_due_yet_has_no_rate_rather_than_zero(session_factory):
    asyncio.run(record(session_factory, still_open("I.7", ("Văn phòng",), date(2024, 12, 9))))

    with session_factory() as session:
        rates = unit_rates(session, TODAY)

    assert rates == [UnitRate("Văn phòng", 1, 0, Measure(not_yet_due=1), Measure(not_yet_due=1))]
    assert (rates[0].on_time_rate, rates[0].on_time_rate_directed) == (None, None)


def test_each_month_counts_its_approved_occurrences_and_its_open_ones_once_it_has_passed(recorded):
    with recorded() as session:
        april = monthly_trend(session, 2024, communes=["Vĩnh Khê"], today=TODAY)
        may = monthly_trend(session, 2024, communes=["Vĩnh Khê"], today=date(2024, 5, 2))

    assert [m.month for m in april] == list(range(1, 13))
    assert [(m.month, m.due, m.on_time, m.rate, m.rate_directed) for m in april if m.due] == [
        (1, 1, 1, 1.0, 1.0),
        (2, 1, 1, 1.0, 1.0),
        # I.4 late; I.5 late by the plan, on time as extended into March; I.6 open;
        # II.3 stopped without an amending document: not done by the plan, not counted as directed
        (3, 4, 0, 0.0, 0.333),
        (4, 1, 1, 1.0, 1.0),  # II.1 approved early; II.2 is open and April is not over
    ]
    assert all(m.rate is None for m in april if m.month > 4)  # I.7 is due in December
    assert (may[3].due, may[3].on_time, may[3].rate) == (2, 1, 0.5)


# --- charts ----------------------------------------------------------------------------------


def parsed(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    return root


def texts(root: ET.Element, tag: str = "text") -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}{tag}")]


def fills(root: ET.Element) -> list[str | None]:
    return [rect.get("fill") for rect in root.iter(f"{SVG}rect")]


def unit_rate(unit: str, occurrences: int, on_time: int, late: int, overdue: int, stopped: int) -> UnitRate:
    """A unit whose rates by the plan and as directed agree."""
    return UnitRate(unit, occurrences, stopped, Measure(on_time, late, overdue), Measure(on_time, late, overdue))


RATES = [
    unit_rate("Tư pháp", 5, 1, 0, 2, 1),
    unit_rate("Văn hoá", 10, 8, 1, 0, 0),
    unit_rate("Văn phòng", 4, 4, 0, 0, 0),
    unit_rate('Tài chính <Kế toán> & "Ngân sách"', 2, 0, 0, 0, 0),
]


def test_the_rates_chart_writes_each_units_percentage_in_its_colour_and_escapes_names():
    root = parsed(rates_svg(RATES, title="Tỷ lệ đúng hạn <2024>"))

    assert texts(root, "title")[0] == "Tỷ lệ đúng hạn <2024>"
    written = texts(root)
    for expected in ("Tư pháp", "33,3% (1/3)", "88,9% (8/9)", "100% (4/4)", "chưa đến hạn", "70%", "90%"):
        assert expected in written
    for expected in ("chỉ đạo 33,3%", "chỉ đạo 88,9%", "chỉ đạo 100%"):
        assert expected in written
    assert any(text.startswith("Tài chính <Kế toán> &") for text in written)
    assert [fill for fill in fills(root) if fill != "#eceff1"] == ["#c62828", "#b26a00", "#2e7d32"]


def test_the_rates_chart_is_the_same_string_every_time_and_says_when_there_is_nothing():
    assert rates_svg(RATES, title="x") == rates_svg(RATES, title="x")
    assert "Chưa có nhiệm vụ nào." in texts(parsed(rates_svg([], title="Trống")))


def test_the_trend_chart_labels_twelve_months_and_leaves_a_gap_where_nothing_was_due():
    trend = [MonthRate(month, 0, 0, None, None) for month in range(1, 13)]
    trend[0], trend[2] = MonthRate(1, 4, 4, 1.0, 1.0), MonthRate(3, 3, 1, 0.333, 0.5)

    root = parsed(trend_svg(trend, title="Xu hướng năm 2024"))

    written = texts(root)
    assert [f"T{month}" for month in range(1, 13)] == [text for text in written if text.startswith("T")]
    assert "100%" in written and "33,3%" in written and written.count("–") == 10
    assert [fill for fill in fills(root)] == ["#2e7d32", "#c62828"]
    assert "Tháng 2: chưa có nhiệm vụ đến hạn" in texts(root, "title")


# --- the worker ------------------------------------------------------------------------------


async def test_a_queue_is_alive_while_a_worker_polls_it_and_not_when_nobody_does(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'cchc.db'}")
    env = await start_environment(local=True)
    try:
        served = f"cchc-served-{uuid.uuid4().hex[:8]}"
        async with build_worker(env.client, make_session_factory(engine), task_queue=served):
            assert await eventually_alive(env.client, served)
        assert await worker_alive(env.client, f"cchc-nobody-{uuid.uuid4().hex[:8]}") is False
    finally:
        await env.shutdown()
        engine.dispose()
    assert await worker_alive(env.client, served) is None  # the server is gone


async def eventually_alive(client, task_queue: str, seconds: float = 20) -> bool:
    """A worker shows as a poller once its first poll reaches the server."""
    deadline = clock.monotonic() + seconds
    while not await worker_alive(client, task_queue):
        if clock.monotonic() > deadline:
            return False
        await asyncio.sleep(0.2)
    return True
