"""One logging configuration for every process, set once at its start (`configure_logging`).

Lines go to standard error: human-readable by default, one JSON object a line with
`CCHC_LOG_FORMAT=json`, times ISO-8601 with their offset. Each line of a web request or of an
activity names what it works on: the commune, the plan, the task (or workflow) id, the
request id. They come from `LogContext`, one per request (web/request_log.py) or activity
(`observability.activity_context`), read by `ContextFilter` when a line is written; a
workflow's own lines carry its id through the SDK's `temporal_workflow` extra.
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Literal, TextIO
from zoneinfo import ZoneInfo

LogFormat = Literal["text", "json"]
TEMPORAL_CORE_LOGGER = logging.getLogger("temporalio.core")  # the SDK core's lines, forwarded
# Loggers that say at INFO what only a developer needs.
QUIET_BELOW_WARNING = ("alembic", "apscheduler", "httpx", "uvicorn.access")


@dataclass
class LogContext:
    """What a request or an activity works on; filled in as it becomes known (the user's
    commune after sign-in, the plan from the path), by whoever learns it."""

    request_id: str | None = None
    commune: str | None = None
    plan: int | None = None
    task: str | None = None  # a task occurrence's or a PAR round's workflow id

    def fields(self) -> dict[str, Any]:
        return {name: value for name, value in asdict(self).items() if value is not None}


_CONTEXT: ContextVar[LogContext | None] = ContextVar("cchc_log_context", default=None)


def start_context(context: LogContext) -> object:
    """Make `context` the current one (for a request or an activity); pass the token to `end_context`."""
    return _CONTEXT.set(context)


def end_context(token: object) -> None:
    _CONTEXT.reset(token)  # type: ignore[arg-type]


def current_context() -> LogContext | None:
    return _CONTEXT.get()


class ContextFilter(logging.Filter):
    """Puts the current `LogContext`'s fields, and a workflow's or activity's id, on each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _CONTEXT.get()
        fields = context.fields() if context is not None else {}
        for extra in ("temporal_workflow", "temporal_activity"):  # the SDK's loggers add these
            details = getattr(record, extra, None)
            if isinstance(details, dict) and "workflow_id" in details:
                fields.setdefault("task", details["workflow_id"])
        record.cchc = fields
        return True


class TextFormatter(logging.Formatter):
    """`2026-12-05T08:00:00.123+07:00 INFO cchc.web [commune=Vĩnh Khê plan=1 task=…] message`."""

    def __init__(self, zone: ZoneInfo) -> None:
        super().__init__()
        self._zone = zone

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "cchc", {})
        where = " [" + " ".join(f"{name}={value}" for name, value in fields.items()) + "]" if fields else ""
        line = f"{_time(record, self._zone)} {record.levelname} {record.name}{where} {record.getMessage()}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the context's fields, and the
    exception's traceback when there is one."""

    def __init__(self, zone: ZoneInfo) -> None:
        super().__init__()
        self._zone = zone

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": _time(record, self._zone),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "cchc", {}),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(log_format: LogFormat, level: str, timezone: str, stream: TextIO | None = None) -> None:
    """The process's one logging setup: its root logger writes to `stream` (standard error) in `log_format`."""
    zone = ZoneInfo(timezone)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter(zone) if log_format == "json" else TextFormatter(zone))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET_BELOW_WARNING:
        logging.getLogger(name).setLevel(logging.WARNING)


def _time(record: logging.LogRecord, zone: ZoneInfo) -> str:
    return datetime.fromtimestamp(record.created, zone).isoformat(timespec="milliseconds")
