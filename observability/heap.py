"""The heap of a long-running process (the web, the worker): what it built to start is kept
out of the garbage collector's full passes while it serves."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def startup_frozen() -> Iterator[None]:
    """While the block runs, everything alive at its start (modules, schemas, mappers, the
    application) is out of the collector's reach, so a full collection walks only what was
    made since: a pause of milliseconds instead of the ~100 ms it takes over the whole startup
    heap, every so many requests (a dashboard's p95). At the end it is collected as before."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
