"""What a process costs, read from Linux's /proc: resident memory and CPU seconds."""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (which may hold spaces)."""
    text = (PROC / str(pid) / "stat").read_text()
    return text[text.rindex(")") + 2 :].split()


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds the process has used so far."""
    fields = _stat_fields(pid)
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14, 15 of stat)


def memory_mb(pid: int) -> dict[str, float]:
    """Resident memory now (VmRSS) and at its highest (VmHWM), in MB."""
    status = dict(line.split(":", 1) for line in (PROC / str(pid) / "status").read_text().splitlines() if ":" in line)
    return {key: round(int(status[field].split()[0]) / 1024, 1) for key, field in (("rss", "VmRSS"), ("peak", "VmHWM"))}


def children(pid: int) -> list[int]:
    """The processes `pid` started (one level down)."""
    found = []
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                if int(_stat_fields(int(entry.name))[1]) == pid:
                    found.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError):
                continue  # ended while we looked
    return found
