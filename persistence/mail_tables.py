"""The emails the product sends: one row per message, written before it is sent.

A row holds the message exactly as it will go out (`raw`, with its Message-ID), so every
attempt sends the same bytes. `dedup_key` is unique: a task notification's key plus the
recipients' language, or a digest's key (kind, commune or unit, day). Whoever inserts a
key second inserts nothing, so two scheduler processes, or a retried step, never make a
second message. The status moves pending → sending → sent (or failed) only by conditional
updates that check the row count.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from persistence.tables import Base
from persistence.types import AwareDateTime


class EmailRow(Base):
    __tablename__ = "emails"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(700), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)  # reminder, escalation, digest_daily ...
    commune: Mapped[str] = mapped_column(String(200), index=True)
    notification_id: Mapped[int | None] = mapped_column(Integer, index=True)  # None for digests
    workflow_id: Mapped[str | None] = mapped_column(String(300), index=True)
    language: Mapped[str] = mapped_column(String(5))
    recipients: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{"name": ..., "email": ...}]
    subject: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(300))
    raw: Mapped[bytes] = mapped_column(LargeBinary)  # the whole message, RFC 5322 bytes
    status: Mapped[str] = mapped_column(String(20), index=True)  # pending, sending, sent, failed
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime] = mapped_column(AwareDateTime, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(AwareDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
