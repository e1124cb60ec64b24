"""Settings from the environment (prefix CCHC_) or a `.env` file.

Read them through `get_settings()`; nothing is built at import time.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CCHC_", env_file=".env", extra="ignore")

    data_dir: Path = Path(".cchc")  # holds the SQLite database by default
    database_url: str | None = None  # e.g. postgresql+psycopg://user@host/db
    max_import_mb: int = 20  # plan files larger than this are refused before reading
    timezone: str = "Asia/Ho_Chi_Minh"

    # Temporal. On loopback (the default) `cchc up` runs the embedded dev server there; any
    # other address is a cluster or Temporal Cloud, which `cchc up` and `cchc worker` join.
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    temporal_tls: bool = False  # TLS with the system's roots; implied by any option below
    temporal_tls_cert: Path | None = None  # client certificate (mTLS), PEM
    temporal_tls_key: Path | None = None  # its private key, PEM
    temporal_tls_ca: Path | None = None  # CA of the server's certificate, PEM
    temporal_tls_server_name: str | None = None  # the name the server's certificate carries
    temporal_api_key: SecretStr | None = None  # Temporal Cloud API key (implies TLS)
    temporal_ui_port: int = 8233  # the embedded dev server's web UI
    task_queue: str = "cchc-tasks"  # workflows.contracts.TASK_QUEUE

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir}/cchc.db"


@lru_cache
def get_settings() -> Settings:
    return Settings()
