"""ZIP files whose bytes depend only on their entries: every entry dated 1980-01-01 00:00,
permissions rw-r--r--, made on Unix, deflated, with no extra fields. The same entries in the
same order always give the same bytes (the year-end package, its index.xlsx, the demo's
documents)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644  # a regular file, rw-r--r--
UNIX = 3
LEVEL = 6


def write_zip(target: BinaryIO, entries: Iterable[tuple[str, bytes | Path]]) -> None:
    """Write `entries` (path, content: bytes, or a file read when its turn comes), in the
    order given, as a ZIP file to `target`."""
    with ZipFile(target, "w") as archive:
        for path, content in entries:
            data = content.read_bytes() if isinstance(content, Path) else content
            archive.writestr(_fixed_info(path), data, compress_type=ZIP_DEFLATED, compresslevel=LEVEL)


def zip_bytes(entries: Iterable[tuple[str, bytes | Path]]) -> bytes:
    buffer = io.BytesIO()
    write_zip(buffer, entries)
    return buffer.getvalue()


def repack(data: bytes) -> bytes:
    """The ZIP file `data` with its entries, in their order, written the fixed way."""
    with ZipFile(io.BytesIO(data)) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
    return zip_bytes(entries)


def _fixed_info(path: str) -> ZipInfo:
    info = ZipInfo(path, date_time=FIXED_TIME)
    info.external_attr = FILE_MODE << 16
    info.create_system = UNIX
    return info
