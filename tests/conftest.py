"""Shared fixtures: a database on each backend, and a small hand-built Vĩnh Khê plan.

PostgreSQL comes from CCHC_TEST_POSTGRES_URL (default: the local test database). Each test
gets its own schema, dropped afterwards. When PostgreSQL cannot be reached the PostgreSQL
variants are skipped, or fail when CI=true.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import uuid
from datetime import date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, make_url, text

from config import get_settings
from domain.models import (
    DueRule,
    Occurrence,
    Period,
    Plan,
    PlanSettings,
    Recurrence,
    ReportDeadline,
    ReportingCalendar,
    Section,
    SourceRef,
    Task,
    Unit,
)
from domain.units import unit_key
from persistence.db import make_engine, make_session_factory, migrate

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def fresh_settings():
    """Settings are cached per process; every test reads its own environment."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


# --- async tests -----------------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run an `async def` test on a fresh event loop (the project does not depend on pytest-asyncio)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


# --- databases -------------------------------------------------------------------------------


def postgres_url() -> str:
    return os.environ.get("CCHC_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


@cache
def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used, or None when it can."""
    engine = create_engine(postgres_url(), connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        return (
            f"PostgreSQL at {make_url(postgres_url()).render_as_string()} is not reachable: {str(exc).splitlines()[0]}"
        )
    finally:
        engine.dispose()
    return None


def require_postgres() -> None:
    problem = postgres_problem()
    if problem is None:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{problem} (CI=true: PostgreSQL tests must run; set CCHC_TEST_POSTGRES_URL)")
    pytest.skip(f"{problem} (set CCHC_TEST_POSTGRES_URL, or CI=true to make this an error)")


@pytest.fixture
def postgres_schema_url():
    """A URL whose connections use a brand-new schema; the schema is dropped afterwards."""
    require_postgres()
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(postgres_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(postgres_url()).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text("SET lock_timeout = '10s'"))
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> str:
    """An empty database on each backend (not migrated)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db' / 'cchc.db'}"
    return request.getfixturevalue("postgres_schema_url")


@pytest.fixture
def engine(database_url):
    """A migrated database's engine."""
    migrate(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine):
    return make_session_factory(engine)


# --- a plan ----------------------------------------------------------------------------------


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=TZ)


def occurrence(key, start, end, label, due, rule, source_text, past_due=False) -> Occurrence:
    return Occurrence(
        key=key,
        period=Period(start=start, end=end, label=label),
        due_date=due,
        due=end_of(due),
        rule=rule,
        source_text=source_text,
        past_due_at_issue=past_due,
    )


VINH_KHE_CALENDAR = ReportingCalendar(
    deadlines=(
        ReportDeadline(key="Q1", label="Báo cáo quý I", period_end_month=3, month=3, day=10, rule=DueRule.BEFORE_DAY),
        ReportDeadline(key="H1", label="Báo cáo 6 tháng", period_end_month=6, month=6, day=10, rule=DueRule.BEFORE_DAY),
        ReportDeadline(key="M9", label="Báo cáo 9 tháng", period_end_month=9, month=9, day=10, rule=DueRule.BEFORE_DAY),
        ReportDeadline(key="Y", label="Báo cáo năm", period_end_month=12, month=12, day=10, rule=DueRule.BEFORE_DAY),
    ),
    source_text=(
        "Báo cáo quý gửi trước ngày 10 tháng cuối cùng của quý; báo cáo 6 tháng trước ngày 10/6, "
        "báo cáo 9 tháng trước ngày 10/9 và báo cáo năm trước ngày 10/12."
    ),
)


def ongoing_occurrences(period_text: str) -> tuple[Occurrence, ...]:
    """One check-in per report of the Vĩnh Khê calendar: the last working day before the 10th."""
    rule = DueRule.BEFORE_DAY
    return (
        occurrence("2024-Q1", date(2024, 1, 1), date(2024, 3, 31), "Quý I/2024", date(2024, 3, 8), rule, period_text),
        occurrence("2024-H1", date(2024, 1, 1), date(2024, 6, 30), "6 tháng 2024", date(2024, 6, 7), rule, period_text),
        occurrence("2024-M9", date(2024, 1, 1), date(2024, 9, 30), "9 tháng 2024", date(2024, 9, 9), rule, period_text),
        occurrence("2024", date(2024, 1, 1), date(2024, 12, 31), "Năm 2024", date(2024, 12, 9), rule, period_text),
    )


@pytest.fixture
def vinh_khe_plan() -> Plan:
    """Three tasks of Vĩnh Khê's 2024 plan (10/KH-UBND, 15/01/2024), with their real due dates."""
    office, culture, justice = "Văn phòng", "Văn hóa", "Tư pháp"
    return Plan(
        number="10/KH-UBND",
        date=date(2024, 1, 15),
        issuer="UBND xã Vĩnh Khê",
        commune="Vĩnh Khê",
        year=2024,
        title="Cải cách hành chính xã Vĩnh Khê năm 2024",
        reporting_calendar=VINH_KHE_CALENDAR,
        settings=PlanSettings(extra_days_off=(date(2024, 1, 2),), reminder_offsets=(5, 2)),
        sections=(
            Section(code="I", title="CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CCHC"),
            Section(code="II", title="CẢI CÁCH THỂ CHẾ"),
        ),
        units=(
            Unit(key=unit_key(office), name=office),
            Unit(key=unit_key(culture), name=culture),
            Unit(key=unit_key(justice), name=justice),
        ),
        tasks=(
            Task(
                code="I.3",
                section="I",
                number="3",
                title="Ban hành Kế hoạch tuyên truyền công tác CCHC năm 2024",
                product="Kế hoạch của UBND xã",
                lead=(culture,),
                coordinating=(office,),
                period_text="Tháng 2/2024",
                recurrence=Recurrence.ONCE,
                criteria=("1.1", "1.3"),
                budget="Kinh phí hoạt động thường xuyên",
                occurrences=(
                    occurrence(
                        "2024-02",
                        date(2024, 2, 1),
                        date(2024, 2, 29),
                        "Tháng 2/2024",
                        date(2024, 2, 29),
                        DueRule.PERIOD_END,
                        "Tháng 2/2024",
                    ),
                ),
                source=SourceRef(row=236, text="3. Ban hành Kế hoạch tuyên truyền công tác CCHC năm 2024"),
            ),
            Task(
                code="I.6",
                section="I",
                number="6",
                title=(
                    "Triển khai các nội dung về CCHC sau khi Chính phủ ban hành Nghị quyết (mới) "
                    "về chương trình CCHC nhà nước giai đoạn 2021-2030"
                ),
                product="Kế hoạch của UBND xã",
                lead=(office,),
                coordinating=(culture, justice),
                period_text="Thường xuyên",
                recurrence=Recurrence.ONGOING,
                budget="Kinh phí hoạt động thường xuyên",
                occurrences=ongoing_occurrences("Thường xuyên"),
            ),
            Task(
                code="II.4",
                section="II",
                number="4",
                title="Ban hành văn bản công bố danh mục văn bản QPPL hết hiệu lực năm 2023",
                product="Quyết định của UBND xã",
                lead=(justice,),
                period_text="Trước 31/12/2023",
                recurrence=Recurrence.ONCE,
                notes="Đã quá hạn khi ban hành kế hoạch",
                occurrences=(
                    occurrence(
                        "before-2023-12-31",
                        date(2023, 1, 1),
                        date(2023, 12, 30),
                        "Trước 31/12/2023",
                        date(2023, 12, 29),
                        DueRule.BEFORE_DAY,
                        "Trước 31/12/2023",
                        past_due=True,
                    ),
                ),
                source=SourceRef(row=245, line_start=245, line_end=245),
            ),
        ),
    )
