"""An Office file (.docx, .xlsx) checked as a package before any reader opens it.

Such a file is a ZIP archive of XML parts. A hostile one inflates to gigabytes from a few
kilobytes (a zip bomb), or declares entities that expand without end (billion laughs) or
reach outside the file (XXE). Before python-docx or openpyxl read it, the archive's declared
sizes are checked (Python's zipfile never inflates a part past its declared size, so the
declared total bounds what the readers can inflate), and every XML part is opened with
`defusedxml`, which refuses any document type declaration, up to its first element.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from importers.errors import fail

MAX_INFLATED_BYTES = 200 * 2**20  # all parts together, once inflated
MAX_RATIO = 200  # a part inflating to more than this many times its stored size is a bomb
RATIO_FROM_BYTES = 2**20  # small parts compress as they like (a part of spaces compresses 1000:1)
MAX_PARTS = 10_000
XML_SUFFIXES = (".xml", ".rels", ".vml")


def check_package(path: Path, kind: str) -> None:
    """Refuse the file unless it is an archive of reasonable size whose XML declares no entities.
    `kind` names the format for the person ("tài liệu Word (.docx)")."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            _check_sizes(name, parts)
            for part in parts:
                if part.filename.lower().endswith(XML_SUFFIXES):
                    _check_xml(name, archive, part)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise fail(name, f"tệp {name} không phải là {kind}") from None


def _check_sizes(name: str, parts: list[zipfile.ZipInfo]) -> None:
    if len(parts) > MAX_PARTS:
        raise fail(name, f"tệp {name} chứa quá nhiều phần ({len(parts)}; tối đa {MAX_PARTS})")
    inflated = sum(part.file_size for part in parts)
    if inflated > MAX_INFLATED_BYTES:
        raise fail(name, f"tệp {name} khi giải nén quá lớn ({_mb(inflated)} MB; tối đa {_mb(MAX_INFLATED_BYTES)} MB)")
    for part in parts:
        if part.file_size > RATIO_FROM_BYTES and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            ratio = part.file_size // max(part.compress_size, 1)
            raise fail(
                name,
                f"tệp {name}: phần {part.filename} nén bất thường ({ratio}:1; tối đa {MAX_RATIO}:1), "
                "có thể là tệp độc hại",
            )


def _check_xml(name: str, archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    """The part up to its first element: a document type declaration comes before it."""
    try:
        with archive.open(part) as source:
            next(iter(iterparse(source, events=("start",), forbid_dtd=True)), None)
    except DefusedXmlException:
        raise fail(name, f"tệp {name}: phần {part.filename} khai báo thực thể XML (không được phép)") from None
    except SyntaxError:
        raise fail(name, f"tệp {name}: phần {part.filename} không phải XML hợp lệ") from None


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f}"
