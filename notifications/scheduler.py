"""The digests' calendar: APScheduler 3.x in the asyncio loop, its jobs stored in our database.

- the chairman's daily digest, every day at `digest_daily_at` (07:30 Asia/Ho_Chi_Minh);
- each unit's weekly digest, on `digest_weekly_day` at `digest_weekly_at` (Monday 07:30).

Coalesced (a scheduler that was down runs a missed digest once, not once per missed day)
with a grace time: a scheduler back within `MISFIRE_GRACE` of 07:30 still sends that
morning's digest; later, it waits for tomorrow's.

Several scheduler processes may share one database (APScheduler 3 does not coordinate
them: each may run the same job). A digest is one email per person keyed by kind, commune
or unit, and day (`notifications.digests`): whoever writes the key first writes the email,
the others write nothing, and the outbox sender claims each email once. Deadlines are not
here: reminders and escalations are the task workflows' durable timers.
"""

from __future__ import annotations

from datetime import timedelta

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine

from config import Settings
from domain.calendar import TZ
from persistence.scheduler_tables import JOBS_TABLE

MISFIRE_GRACE = timedelta(hours=2)
DAILY_JOB = "digest-daily"
WEEKLY_JOB = "digest-weekly"


def build_scheduler(settings: Settings, engine: Engine) -> AsyncIOScheduler:
    """A scheduler (not started) with both digest jobs, their store in `engine`'s database."""
    scheduler = AsyncIOScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE)},
        job_defaults={
            "coalesce": True,
            "misfire_grace_time": int(MISFIRE_GRACE.total_seconds()),
            "max_instances": 1,
        },
        timezone=TZ,
    )
    daily, weekly = settings.digest_daily_at, settings.digest_weekly_at
    scheduler.add_job(
        "notifications.digests:daily_digest_job",
        CronTrigger(hour=daily.hour, minute=daily.minute, second=daily.second, timezone=TZ),
        id=DAILY_JOB,
        name="Tổng hợp hằng ngày gửi Chủ tịch",
        replace_existing=True,
    )
    scheduler.add_job(
        "notifications.digests:weekly_digest_job",
        CronTrigger(
            day_of_week=settings.digest_weekly_day,
            hour=weekly.hour,
            minute=weekly.minute,
            second=weekly.second,
            timezone=TZ,
        ),
        id=WEEKLY_JOB,
        name="Tổng hợp hằng tuần gửi các bộ phận",
        replace_existing=True,
    )
    return scheduler
