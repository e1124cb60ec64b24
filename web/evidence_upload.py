"""An uploaded evidence file into the content-addressed store: its type checked from its first
bytes before anything is stored, its size limited while it is read.

The store's `put` reads a plain iterator in a worker thread; the request's body is an async
stream on the event loop. `_from_the_loop` hands one chunk at a time across, so the body is
read only as fast as it is stored, and never past the limit.

The store keeps each content once for everyone; `keep_upload` makes it the commune's too
(persistence/evidence_files.py): only then may the commune cite it, and whether it is "already
stored" is told about the commune's own files only.
"""

from __future__ import annotations

import mimetypes
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

from anyio import from_thread, to_thread

from domain.calendar import TZ
from evidence.store import ACCEPTED_TYPES, SNIFF_BYTES, EvidenceStore, StoredFile, TooLarge, sniff_type
from persistence.evidence_files import claim_evidence
from web.errors import BadInput, UnsupportedType
from web.runtime import Runtime

MAX_FILENAME = 255


@dataclass(frozen=True)
class StoredEvidence:
    file: StoredFile
    media_type: str


@dataclass(frozen=True)
class CommuneFile:
    """An upload kept as one commune's; `created`: the commune had no such file before."""

    upload: StoredEvidence
    created: bool

    @property
    def sha256(self) -> str:
        return self.upload.file.sha256


async def keep_evidence(
    rt: Runtime, data: AsyncIterator[bytes], filename: str, *, commune: str, uploader: str
) -> CommuneFile:
    """Store the upload (`store_upload`) and make it one of `commune`'s files."""
    stored = await store_upload(rt.evidence, data, filename, max_bytes=rt.max_evidence_bytes)
    created = await to_thread.run_sync(_claim, rt, commune, stored.file.sha256, uploader)
    return CommuneFile(stored, created)


def _claim(rt: Runtime, commune: str, sha256: str, uploader: str) -> bool:
    with rt.sessions.begin() as session:
        return claim_evidence(session, commune, sha256, uploader, datetime.now(TZ))


async def store_upload(
    store: EvidenceStore, data: AsyncIterator[bytes], filename: str, *, max_bytes: int
) -> StoredEvidence:
    """Store the upload if its content is an accepted document type; `BadInput` or `TooLarge` if not."""
    head = await _head(data, max_bytes)
    if not head:
        raise BadInput("Tệp trống: hãy chọn tệp sản phẩm.")
    media_type = sniff_type(head, _base_name(filename))
    if media_type is None:
        accepted = ", ".join(ACCEPTED_TYPES.values())
        raise UnsupportedType(f"Tệp “{_base_name(filename)}” không phải loại văn bản được nhận ({accepted}).")
    chunks = _from_the_loop(head, data)
    stored = await to_thread.run_sync(lambda: store.put(chunks, max_bytes=max_bytes))
    return StoredEvidence(stored, media_type)


async def _head(data: AsyncIterator[bytes], max_bytes: int) -> bytes:
    """The first SNIFF_BYTES of the upload (all of a shorter one)."""
    head = bytearray()
    async for chunk in data:
        head += chunk
        if len(head) > max_bytes:
            raise TooLarge(max_bytes)
        if len(head) >= SNIFF_BYTES:
            break
    return bytes(head)


def _from_the_loop(head: bytes, data: AsyncIterator[bytes]) -> Iterator[bytes]:
    """The upload's chunks, for a worker thread: `head`, then the rest, read on the event loop."""
    yield head
    while (chunk := from_thread.run(_next_chunk, data)) is not None:
        yield chunk


async def _next_chunk(data: AsyncIterator[bytes]) -> bytes | None:
    try:
        return await data.__anext__()
    except StopAsyncIteration:
        return None


def _base_name(filename: str) -> str:
    """The last part of a name a browser sent (never used as a path: only to tell .doc from .xls)."""
    return PurePosixPath(filename.replace("\\", "/")).name[-MAX_FILENAME:] or "tệp"


def download_name(document_number: str, media_type: str | None) -> str:
    """A safe file name for a download: the document's number, "15-QĐ-UBND.pdf"."""
    stem = "".join(c if c.isalnum() or c in "-_." else "-" for c in document_number).strip("-.") or "san-pham"
    return stem[:100] + (mimetypes.guess_extension(media_type or "") or "")
