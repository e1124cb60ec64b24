"""The key that signs session cookies: the setting, or one generated once per data directory.

Every process on the same data directory (`cchc up`, several `cchc web`) reads the same file,
so a session signed by one is valid in the others. The key is written to a private temporary
file (mode 0600) and then linked into place, which fails if another process got there first:
nobody ever reads a half-written key, and two processes starting at once agree on one.
"""

from __future__ import annotations

import os
import secrets
import tempfile

from config import Settings

FILENAME = "secret_key"


def session_secret(settings: Settings) -> str:
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    path = settings.data_dir / FILENAME
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-")  # mode 0600
        try:
            with os.fdopen(descriptor, "w", encoding="ascii") as file:
                file.write(secrets.token_urlsafe(48))
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return path.read_text(encoding="ascii").strip()
