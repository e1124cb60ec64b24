"""Settings from the environment (prefix CCHC_) or a `.env` file.

Read them through `get_settings()`; nothing is built at import time.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CCHC_", env_file=".env", extra="ignore")

    data_dir: Path = Path(".cchc")  # holds the SQLite database by default
    database_url: str | None = None  # e.g. postgresql+psycopg://user@host/db
    max_import_mb: int = 20  # plan files larger than this are refused before reading
    timezone: str = "Asia/Ho_Chi_Minh"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir}/cchc.db"


@lru_cache
def get_settings() -> Settings:
    return Settings()
