"""The demo's emails: a directory to send them to, then every message routed and delivered.

The Vĩnh Khê sample comes with its directory (`importers/samples/vinh-khe-people.yaml`); any
other plan whose commune has no directory yet gets a made-up one (a chairman, a reviewer, an
officer and a head for each lead unit, at the reserved domain `example.invalid`), so the demo
shows the emails of any plan. A commune that has a directory keeps it. Messages go to the
data directory's mail folder as .eml files, or with `--smtp HOST:PORT` to that SMTP server
(plain SMTP: a local test server such as MailHog, Mailpit or aiosmtpd).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import importers.samples
from config import Settings
from domain.calendar import TZ
from domain.models import Plan
from domain.people import Person, PersonRole
from domain.units import unit_key
from importers.people import read_people
from notifications.mailer import FolderMailer, Mailer, SmtpMailer
from notifications.relay import make_relay
from persistence.mail_tables import EmailRow
from persistence.people import commune_people, replace_directory

SAMPLE_PEOPLE = Path(importers.samples.__file__).parent / "vinh-khe-people.yaml"
DEMO_DOMAIN = "example.invalid"


@dataclass
class DemoMail:
    delivery: str  # where the messages went, for people
    by_kind: dict[str, int] = field(default_factory=dict)  # sent, by kind
    not_sent: int = 0  # still waiting (the SMTP server did not take them) or refused
    unroutable: int = 0  # notifications nobody in the directory could receive
    directory: str = ""  # "sample", "made up" or "existing"


def demo_mailer(settings: Settings, smtp: str | None) -> Mailer:
    if smtp is None:
        return FolderMailer(settings.mail_dir)
    host, _, port = smtp.rpartition(":")
    return SmtpMailer(host or "127.0.0.1", int(port), security="none", timeout=10)


async def send_demo_mail(
    settings: Settings, sessions: sessionmaker[Session], workflow_ids: list[str], mailer: Mailer, directory: str
) -> DemoMail:
    """Route and deliver everything pending, to the commune's `directory` (`ensure_directory`)."""
    relay = make_relay(settings, sessions, mailer)
    unroutable = 0
    while True:
        routing, delivery = await relay.run_once(datetime.now(TZ))
        unroutable += routing.unroutable
        if not (routing.emails or routing.unroutable or delivery.sent):
            break
    with sessions() as session:
        rows = session.execute(
            select(EmailRow.kind, EmailRow.status).where(EmailRow.workflow_id.in_(workflow_ids))
        ).all()
    return DemoMail(
        delivery=mailer.describe(),
        by_kind=dict(Counter(kind for kind, status in rows if status == "sent")),
        not_sent=sum(1 for _, status in rows if status != "sent"),
        unroutable=unroutable,
        directory=directory,
    )


def ensure_directory(session: Session, plan: Plan) -> str:
    """The commune's directory: kept if it exists, else the sample's or a made-up one."""
    if commune_people(session, plan.commune):
        return "existing"
    sample = read_people(SAMPLE_PEOPLE)
    if sample[0].commune == plan.commune:
        replace_directory(session, plan.commune, sample, datetime.now(TZ))
        return "sample"
    replace_directory(session, plan.commune, made_up_directory(plan), datetime.now(TZ))
    return "made up"


def made_up_directory(plan: Plan) -> list[Person]:
    units = {unit_key(u): u for task in plan.tasks for u in task.lead}
    people = [
        _person(plan, "Chủ tịch UBND xã", "chu-tich", None, PersonRole.CHAIRMAN),
        _person(plan, "Đầu mối CCHC Văn phòng", "van-phong", None, PersonRole.REVIEWER),
    ]
    for index, unit in enumerate(units.values(), start=1):
        people.append(_person(plan, f"Công chức {unit}", f"cong-chuc-{index}", unit, PersonRole.OFFICER))
        people.append(_person(plan, f"Phụ trách {unit}", f"phu-trach-{index}", unit, PersonRole.HEAD))
    return people


def _person(plan: Plan, name: str, local: str, unit: str | None, role: PersonRole) -> Person:
    return Person(commune=plan.commune, name=name, email=f"{local}@{DEMO_DOMAIN}", unit=unit, roles=frozenset({role}))
