"""Dashboard: the chairman's page data and the task list of one commune, with N occurrences
in the read model (about 300 a commune, as a commune's year holds), on SQLite and PostgreSQL.

Rows are bulk-loaded with SQL (no workflows): `task_runs`, plus an approval event in
`task_events` for a third of them. Measured: what the dashboard reads for one commune
(its task list, overdue by unit, on-time rates by unit, the monthly trend) and the task-list
page alone, each timed per request.
"""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, make_url, text

from bench.measure import Stopwatch, summary_ms
from domain.calendar import TZ
from observability.heap import startup_frozen
from persistence.db import make_engine, make_session_factory, migrate
from persistence.tables import CommuneRow
from persistence.task_tables import TaskEventRow, TaskRunRow
from services.tasks import list_tasks
from web.insight import monthly_trend, unit_rates
from web.task_views import overdue_by_unit

PER_COMMUNE = 300
UNITS = ("Văn phòng", "Tư pháp", "Văn hoá", "Tài chính", "Địa chính", "Công an xã")
STATES = ("assigned", "in_progress", "evidence_submitted", "approved", "approved", "approved", "waived")
TODAY = date(2024, 9, 16)
CHUNK = 20_000
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def commune_name(index: int) -> str:
    return f"Xã {index:05d}"


def load(session_factory, occurrences: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    communes = max(1, occurrences // PER_COMMUNE)
    with session_factory.begin() as session:
        session.execute(insert(CommuneRow), [{"name": commune_name(i)} for i in range(communes)])
    runs, events = [], []
    now = datetime(2024, 9, 16, 8, tzinfo=UTC)
    for n in range(occurrences):
        workflow_id = f"cchc-task/{n // PER_COMMUNE + 1}/T{n % PER_COMMUNE}/2024"
        due = date(2024, 1, 1) + timedelta(days=rng.randrange(366))
        state = rng.choice(STATES)
        runs.append(
            {
                "workflow_id": workflow_id,
                "commune": commune_name(n // PER_COMMUNE),
                "plan_id": n // PER_COMMUNE + 1,
                "task_code": f"T{n % PER_COMMUNE}",
                "occurrence_key": "2024",
                "title": f"Nhiệm vụ {n}",
                "state": state,
                "due_date": due,
                "lead": [rng.choice(UNITS)],
                "escalation_level": 0,
                "last_seq": 1,
                "updated_at": now,
            }
        )
        if state == "approved":
            at = datetime.combine(due, datetime.min.time(), tzinfo=TZ) - timedelta(days=rng.randrange(-5, 10))
            events.append(
                {
                    "workflow_id": workflow_id,
                    "seq": 5,
                    "at": at,
                    "kind": "approve",
                    "state": "approved",
                    "actor": "van-phong",
                    "role": "reviewer",
                    "detail": "",
                    "payload": {},
                    "chain_hash": None,
                }
            )
        if len(runs) >= CHUNK:
            _flush(session_factory, runs, events)
    _flush(session_factory, runs, events)


def _flush(session_factory, runs: list, events: list) -> None:
    with session_factory.begin() as session:
        if runs:
            session.execute(insert(TaskRunRow), runs)
        if events:
            session.execute(insert(TaskEventRow), events)
    runs.clear()
    events.clear()


def dashboard_of(session, commune: str, today: date = TODAY) -> int:
    """What the chairman's dashboard reads for one commune; the number of tasks shown."""
    tasks = list_tasks(session, today=today, commune=commune)
    overdue_by_unit(tasks)
    unit_rates(session, today, communes=[commune])
    monthly_trend(session, today.year, communes=[commune], today=today)
    return len(tasks)


def time_requests(session_factory, occurrences: int, requests: int, seed: int = 11) -> dict:
    rng = random.Random(seed)
    communes = max(1, occurrences // PER_COMMUNE)
    dashboard, task_list = [], []
    for _ in range(requests):
        commune = commune_name(rng.randrange(communes))
        with session_factory() as session, Stopwatch() as watch:
            assert dashboard_of(session, commune) == PER_COMMUNE or occurrences < PER_COMMUNE
        dashboard.append(watch.seconds)
        with session_factory() as session, Stopwatch() as watch:
            list_tasks(session, today=TODAY, commune=commune, overdue=True)
        task_list.append(watch.seconds)
    return {"dashboard": summary_ms(dashboard), "task_list": summary_ms(task_list)}


@contextmanager
def database(store: str, folder: Path, prefix: str = "cchc_bench") -> Iterator[str]:
    """A fresh, migrated database URL: a SQLite file, or a PostgreSQL database created and
    dropped, on the server of CCHC_TEST_POSTGRES_URL (default: the local one)."""
    if store == "sqlite":
        url = f"sqlite:///{folder / f'{prefix}-{uuid.uuid4().hex[:8]}.db'}"
        migrate(url)
        yield url
        return
    server = make_url(os.environ.get("CCHC_TEST_POSTGRES_URL", POSTGRES))
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        migrate(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def bench_dashboard(store: str, occurrences: int, requests: int, folder: Path) -> dict:
    with database(store, folder) as url:
        engine = make_engine(url)
        try:
            sessions = make_session_factory(engine)
            with Stopwatch() as loading:
                load(sessions, occurrences)
            if store == "postgresql":
                with engine.connect() as connection:
                    connection.execute(text("ANALYZE"))
                    connection.commit()
            with startup_frozen():  # as the web serves (observability.heap)
                result = time_requests(sessions, occurrences, requests)
        finally:
            engine.dispose()
    return {"occurrences": occurrences, "load_s": round(loading.seconds, 1), **result}
