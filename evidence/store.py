"""The evidence store: every submitted file, kept once under the SHA-256 of its content.

A file lives at `<root>/<aa>/<sha256>`, `aa` the digest's first two hex characters, so no
directory grows past a few thousand entries. Nothing a user typed (a file name, a path) ever
becomes part of a path here: the only name is the digest, checked to be 64 lowercase hex
digits. An upload is streamed into `<root>/.incoming`, hashed on the way, then moved into
place in one rename, so a reader never sees half a file; an upload over the limit leaves
nothing behind. Files stored before the fan-out, flat as `<root>/<sha256>`, are still found.

Two uploads of the same new content at the same instant may both report `created`: the
second rename replaces identical bytes, so nothing is lost or altered.

What a commune may submit is `ACCEPTED_TYPES`, decided from the content by `sniff_type`.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from domain.errors import CchcError, ErrorCategory

DIGEST = re.compile(r"[0-9a-f]{64}")
INCOMING = ".incoming"

# How much of a file's beginning `sniff_type` needs to tell every accepted type apart.
SNIFF_BYTES = 64 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
JPEG = "image/jpeg"
PNG = "image/png"

# What a commune submits as evidence: the signed, scanned document (PDF or a photo), or its
# Word/Excel/OpenDocument original. Not ZIP (its contents cannot be checked, and the year-end
# package needs each document on its own), nor anything a browser or a desktop runs or
# renders as a page: executables, scripts, HTML, SVG, macro-enabled Office files.
ACCEPTED_TYPES: dict[str, str] = {
    PDF: "Tệp PDF (văn bản ký số hoặc bản quét)",
    DOCX: "Văn bản Word (.docx)",
    XLSX: "Bảng tính Excel (.xlsx)",
    DOC: "Văn bản Word 97–2003 (.doc)",
    XLS: "Bảng tính Excel 97–2003 (.xls)",
    ODT: "Văn bản OpenDocument (.odt)",
    ODS: "Bảng tính OpenDocument (.ods)",
    JPEG: "Ảnh chụp/quét JPEG",
    PNG: "Ảnh chụp/quét PNG",
}


class TooLarge(CchcError, ValueError):
    """The upload went past `limit_bytes`; nothing of it was kept."""

    category = ErrorCategory.BAD_INPUT
    closing = "."

    def __init__(self, limit_bytes: int) -> None:
        self.limit_bytes = limit_bytes
        super().__init__(f"tệp sản phẩm lớn hơn giới hạn {limit_bytes / 2**20:g} MB (CCHC_MAX_EVIDENCE_MB)")


class NotAccepted(CchcError, ValueError):
    """A file whose content is none of `ACCEPTED_TYPES`."""

    category = ErrorCategory.BAD_INPUT

    def __init__(self, filename: str) -> None:
        self.filename = filename
        super().__init__(
            f"tệp “{filename}” không thuộc loại được nhận làm sản phẩm.\nChỉ nhận: {'; '.join(ACCEPTED_TYPES.values())}."
        )


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    created: bool  # False: the store already had this content


class EvidenceStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def put(self, chunks: Iterable[bytes], *, max_bytes: int) -> StoredFile:
        """Store the bytes `chunks` yields, unless there are more than `max_bytes` of them."""
        incoming = self.root / INCOMING
        incoming.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=incoming)
        try:
            with os.fdopen(handle, "wb") as target:
                digest, size = _copy_hashing(chunks, target, max_bytes)
            return self._settle(Path(temporary), digest, size)
        finally:
            Path(temporary).unlink(missing_ok=True)

    def path_of(self, sha256: str) -> Path:
        """Where the content with this digest is (or would be) kept."""
        if not DIGEST.fullmatch(sha256):
            raise ValueError(f"not a SHA-256 digest: {sha256!r}")
        fanned = self.root / sha256[:2] / sha256
        flat = self.root / sha256  # stored before the fan-out
        return flat if not fanned.exists() and flat.is_file() else fanned

    def open(self, sha256: str) -> BinaryIO:
        return self.path_of(sha256).open("rb")

    def exists(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def _settle(self, temporary: Path, digest: str, size: int) -> StoredFile:
        """Move the finished upload into place, unless the store already has its content."""
        if self.exists(digest):
            return StoredFile(digest, size, created=False)
        target = self.root / digest[:2] / digest
        target.parent.mkdir(exist_ok=True)
        os.replace(temporary, target)
        return StoredFile(digest, size, created=True)


def _copy_hashing(chunks: Iterable[bytes], target: BinaryIO, max_bytes: int) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in chunks:
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(max_bytes)
        digest.update(chunk)
        target.write(chunk)
    target.flush()
    os.fsync(target.fileno())
    return digest.hexdigest(), size


# --- what a file is --------------------------------------------------------------------------

ZIP_ENTRY = b"PK\x03\x04"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OOXML_PACKAGE = ("[Content_Types].xml", "_rels/.rels", "docProps/")
ODF_TYPES = frozenset({ODT, ODS})
OLE2_BY_EXTENSION = {".doc": DOC, ".xls": XLS}
OLE2_MARKERS = 0xFFFFFFFB  # sector numbers from here up mean end of chain, free, FAT...
OLE2_ENTRY_TYPES = (1, 2, 5)  # storage, stream, root


def sniff_type(head: bytes, filename: str) -> str | None:
    """The accepted media type of a file whose first bytes are `head`, or None.

    Pass the first `SNIFF_BYTES` bytes (all of a shorter file). The content decides:
    - PDF, JPEG, PNG by their signatures;
    - OOXML by the ZIP entries whose local headers lie in `head` (the whole central directory
      is at the end of the file, out of reach): a package part (`[Content_Types].xml`,
      `_rels/.rels` or `docProps/`; writers differ in which comes first) and `word/` parts
      make a .docx, `xl/` parts a .xlsx; a `vbaProject.bin` (macros) refuses it;
    - ODF by its first entry, `mimetype`, stored uncompressed as the standard requires;
    - legacy Word/Excel (OLE2) by the `WordDocument` or `Workbook`/`Book` stream in its
      directory (so an .msi installer or a .ppt is refused). Only when that directory lies
      beyond `head`, as in a large file, does `filename`'s extension (.doc or .xls) decide
      between the two: the extension never accepts anything else.
    """
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(ZIP_ENTRY):
        return _zip_type(head)
    if head.startswith(OLE2):
        return _ole2_type(head, filename)
    return None


def _zip_type(head: bytes) -> str | None:
    entries = _zip_entries(head)
    if entries and entries[0][0] == "mimetype":
        mimetype = entries[0][1].decode("ascii", "replace").strip()
        return mimetype if mimetype in ODF_TYPES else None
    names = [name for name, _ in entries]
    if not any(name.startswith(OOXML_PACKAGE) for name in names):
        return None
    if any(PurePosixPath(name).name == "vbaProject.bin" for name in names):
        return None
    if any(name.startswith("word/") for name in names):
        return DOCX
    if any(name.startswith("xl/") for name in names):
        return XLSX
    return None


def _zip_entries(head: bytes) -> list[tuple[str, bytes]]:
    """(name, stored data within `head`) of every ZIP local header in `head`, in order.

    Headers are found by their signature rather than by skipping each entry's data: a
    streaming writer leaves the sizes out of the header (general-purpose flag bit 3).
    """
    entries = []
    for match in re.finditer(re.escape(ZIP_ENTRY), head):
        start = match.start()
        if start + 30 > len(head):
            break
        flags, method, size, name_length, extra_length = struct.unpack_from("<2xHH8xI4xHH", head, start + 4)
        name = head[start + 30 : start + 30 + name_length]
        data = start + 30 + name_length + extra_length
        stored = head[data : data + size] if method == 0 else b""
        entries.append((name.decode("utf-8" if flags & 0x800 else "cp437", "replace"), stored))
    return entries


def _ole2_type(head: bytes, filename: str) -> str | None:
    streams = _ole2_streams(head)
    if streams is None:  # the directory lies beyond `head`
        return OLE2_BY_EXTENSION.get(PurePosixPath(filename.lower()).suffix)
    if "WordDocument" in streams:
        return DOC
    if streams & {"Workbook", "Book"}:
        return XLS
    return None


def _ole2_streams(head: bytes) -> set[str] | None:
    """The names in an OLE2 file's directory, followed along its FAT chain; None when a
    sector of that chain (or the FAT sector describing it) lies beyond `head`."""
    sector_size = 1 << int.from_bytes(head[0x1E:0x20], "little")
    if len(head) < 512 or sector_size not in (512, 4096):  # not a compound file: nothing in it
        return set()
    whole = range(sector_size, len(head) - sector_size + 1, sector_size)  # sector n starts at (n + 1) * size
    sectors = [head[start : start + sector_size] for start in whole]
    fat: list[int] = []
    for number in struct.unpack_from("<109I", head, 0x4C):
        if number >= OLE2_MARKERS:
            break
        if number >= len(sectors):
            return None
        fat.extend(struct.unpack(f"<{sector_size // 4}I", sectors[number]))
    names, seen, number = set(), set(), int.from_bytes(head[0x30:0x34], "little")
    while number < OLE2_MARKERS:
        if number in seen:  # a chain that loops: not a sound file, nothing in it
            return set()
        if number >= min(len(sectors), len(fat)):
            return None
        seen.add(number)
        names |= _ole2_entry_names(sectors[number])
        number = fat[number]
    return names


def _ole2_entry_names(sector: bytes) -> set[str]:
    """The names of a directory sector's 128-byte entries: UTF-16LE, padded to 64 bytes,
    then the name's byte length (terminator included) and the entry's type."""
    names = set()
    for start in range(0, len(sector), 128):
        length, kind = struct.unpack_from("<HB", sector, start + 64)
        if kind in OLE2_ENTRY_TYPES and 2 <= length <= 64:
            names.add(sector[start : start + length - 2].decode("utf-16-le", "replace"))
    return names
