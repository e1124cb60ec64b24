"""The process's logging as `CCHC_LOG_FORMAT=json` sets it up, written to memory for a test."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from observability.logs import QUIET_BELOW_WARNING, configure_logging


class LogLines:
    def __init__(self, stream: io.StringIO) -> None:
        self._stream = stream

    def all(self) -> list[dict[str, Any]]:
        """Every line written so far, each a JSON object (a line that is not one fails here)."""
        return [json.loads(line) for line in self._stream.getvalue().splitlines()]


@contextmanager
def json_logs() -> Iterator[LogLines]:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, {name: logging.getLogger(name).level for name in QUIET_BELOW_WARNING})
    stream = io.StringIO()
    configure_logging("json", "INFO", "Asia/Ho_Chi_Minh", stream)
    try:
        yield LogLines(stream)
    finally:
        handlers, level, quiet = saved
        root.handlers[:] = handlers
        root.setLevel(level)
        for name, old in quiet.items():
            logging.getLogger(name).setLevel(old)
