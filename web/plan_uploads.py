"""Plan files between their preview and their confirmation.

An uploaded plan is kept, under its own name, in `<data_dir>/imports/<user id>-<token>/`:
the importer needs a file (and uses its name when the plan has no number), and the person
who saw the preview confirms exactly that file. Only its uploader can name it again; the
token is random and checked to be only hex. Uploads left unconfirmed for a day are deleted.

The draft the person edits in the browser (importers.draft_edit) is kept beside its upload,
under a name no upload can have (it starts with a dot), replaced whole at every save.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import time
from collections.abc import AsyncIterator
from pathlib import Path, PurePosixPath

from evidence.store import TooLarge

TOKEN = re.compile(r"^[0-9a-f]{32}$")
KEEP_SECONDS = 24 * 3600
MAX_NAME = 120
DRAFT = ".ban-nhap.yaml"


class UploadGone(LookupError):
    """The preview's file is no longer there (confirmed already, or a day old)."""


async def keep_upload(folder: Path, user_id: int, filename: str, data: AsyncIterator[bytes], *, max_bytes: int) -> str:
    """Write the upload to a folder of its own; its token. Over `max_bytes`, nothing is kept."""
    _drop_stale(folder)
    token = secrets.token_hex(16)
    target = folder / f"{user_id}-{token}" / _safe_name(filename)
    target.parent.mkdir(parents=True)
    size = 0
    try:
        with target.open("wb") as file:
            async for chunk in data:
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(max_bytes)
                file.write(chunk)
    except BaseException:
        shutil.rmtree(target.parent, ignore_errors=True)
        raise
    return token


def upload_path(folder: Path, user_id: int, token: str) -> Path:
    """The file the token names, for its uploader only."""
    place = folder / f"{user_id}-{token}" if TOKEN.match(token) else None
    files = (
        [path for path in place.iterdir() if path.is_file() and not path.name.startswith(".")]
        if place is not None and place.is_dir()
        else []
    )
    if len(files) != 1:
        raise UploadGone(token)
    return files[0]


def keep_draft(upload: Path, text: str) -> None:
    """The draft of the upload at `upload`, written whole or not at all."""
    partial = upload.with_name(DRAFT + ".part")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, upload.with_name(DRAFT))


def kept_draft(upload: Path) -> str | None:
    """The draft kept beside the upload at `upload`, if any."""
    try:
        return upload.with_name(DRAFT).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def forget_upload(path: Path) -> None:
    shutil.rmtree(path.parent, ignore_errors=True)


def _safe_name(filename: str) -> str:
    """The browser's file name without any folder, and never one that means something else."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    name = "".join(c for c in name if c.isprintable()).strip().lstrip(".")[-MAX_NAME:]
    return name or "ke-hoach"


def _drop_stale(folder: Path) -> None:
    if not folder.is_dir():
        return
    cutoff = time.time() - KEEP_SECONDS
    for place in folder.iterdir():
        if place.is_dir() and place.stat().st_mtime < cutoff:
            shutil.rmtree(place, ignore_errors=True)
