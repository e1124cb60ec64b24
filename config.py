"""Settings from the environment (prefix CCHC_) or a `.env` file.

Read them through `get_settings()`; nothing is built at import time.
"""

from __future__ import annotations

from datetime import time
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

MIN_SECRET_BYTES = 32  # a session-signing key any shorter is refused


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CCHC_", env_file=".env", extra="ignore")

    data_dir: Path = Path(".cchc")  # holds the SQLite database by default
    database_url: str | None = None  # e.g. postgresql+psycopg://user@host/db
    max_import_mb: int = 20  # plan files larger than this are refused before reading
    # An uploaded plan, directory or criteria file is read in a child process (web/reading_apart.py)
    # with this much memory (its address space) and time at most: a hostile file ends that child,
    # not the web.
    import_memory_mb: int = Field(default=1024, ge=256)
    import_seconds: float = Field(default=60.0, gt=0)
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
    # Workflows a worker keeps in memory between their tasks (the SDK's default); 0 replays
    # each task from its history instead, on whichever worker polls first (no sticky queue):
    # for a server without sticky-queue timeouts, such as the time-skipping test server.
    worker_cached_workflows: int = Field(default=1000, ge=0)

    # Stopping (SIGTERM or Ctrl-C, as systemd and docker stop a service): `cchc worker` stops
    # taking work and lets its running activities finish, `cchc web` stops accepting and lets
    # its open requests finish, each for this long at most (then they are cut short; Temporal
    # retries a cut activity on another worker). `cchc up` drains its web, then its worker, then
    # stops its dev server. The service manager's own stop timeout must be longer.
    graceful_shutdown_seconds: int = Field(default=30, ge=0)

    # Email. Without smtp_host (the embedded default) every message is written as an .eml
    # file in <data_dir>/mail instead of being sent; `cchc mail list` shows them.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"  # tls: implicit TLS (port 465)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout_seconds: float = 30.0
    smtp_ca_file: Path | None = None  # CA of the SMTP server's certificate, PEM (default: the system's roots)
    mail_from: str = "CCHC <cchc@localhost>"  # "Name <address>"
    public_base_url: str = "http://127.0.0.1:8000"  # where the links in emails point (the web app)
    mail_poll_seconds: float = 5.0  # how often the sender looks at the outbox

    # The web application (`cchc web`, and inside `cchc up`).
    web_host: str = "127.0.0.1"
    web_port: int = 8000
    # Signs the session cookies; when unset, one is generated once into <data_dir>/secret_key
    # (web/secret.py), so every process on the same data directory shares it. One set here must
    # be 32 bytes at least: a short or empty one is refused, whatever reads the settings.
    secret_key: SecretStr | None = None
    session_idle_minutes: int = 30  # a session unused this long is signed out
    session_absolute_hours: int = Field(default=12, ge=1)  # a session this old is signed out, used or not
    api_docs: bool = False  # serve Swagger UI at /docs (its script comes from a CDN); /openapi.json always
    # The reverse proxies in front of the web, comma-separated addresses or networks
    # ("10.0.0.5, 10.1.0.0/16"): only from them is X-Forwarded-For believed, so that sign-in
    # failures are counted on the real client's address (web/login_limit.py).
    trusted_proxies: Annotated[tuple[IPv4Network | IPv6Network, ...], NoDecode] = ()
    max_evidence_mb: int = 25  # evidence files larger than this are refused while uploading

    # Digests, at these times in Asia/Ho_Chi_Minh.
    digest_daily_at: time = time(7, 30)  # the chairman's daily digest
    digest_weekly_day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "mon"
    digest_weekly_at: time = time(7, 30)  # each unit's weekly digest

    # Operations (docs/operations.md): metrics, health, logs.
    # Every long-running process (`cchc up`, `worker`, `web`, `scheduler`) serves Prometheus
    # metrics, Temporal's and ours, at http://<this>/metrics; empty: none. Two processes on one
    # machine need two addresses.
    metrics_address: str = "127.0.0.1:9464"
    # How often `cchc up` and `cchc scheduler` read the figures of the database (emails waiting,
    # the outbox's oldest, overdue occurrences per commune) into their metrics.
    metrics_sample_seconds: float = Field(default=30.0, gt=0)
    # `cchc worker`'s /healthz and /readyz (the web serves its own on its port); empty: none.
    worker_health_address: str = "127.0.0.1:9465"
    log_format: Literal["text", "json"] = "text"  # json: one JSON object a line, for a log shipper
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("secret_key")
    @classmethod
    def _long_secret_key(cls, key: SecretStr | None) -> SecretStr | None:
        if key is not None and len(key.get_secret_value().encode()) < MIN_SECRET_BYTES:
            raise PydanticCustomError(
                "secret_key_too_short",
                "khóa ký phiên đăng nhập phải dài ít nhất {least} byte (không đặt biến này thì hệ thống "
                "tự tạo một khóa và lưu trong thư mục dữ liệu)",
                {"least": MIN_SECRET_BYTES},
            )
        return key

    @field_validator("metrics_address", "worker_health_address")
    @classmethod
    def _host_and_port(cls, address: str) -> str:
        host, _, port = address.strip().rpartition(":")
        if address.strip() and not (host and port.isdigit() and 0 < int(port) < 65536):
            raise PydanticCustomError(
                "address_without_port", "cần dạng máy:cổng, ví dụ 127.0.0.1:9464 (để trống thì không mở)"
            )
        return address.strip()

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: Any) -> Any:
        return tuple(part.strip() for part in value.split(",") if part.strip()) if isinstance(value, str) else value

    @property
    def security_log(self) -> Path:
        """Where sign-ins and account changes are appended (services/security_log.py)."""
        return self.data_dir / "security.log"

    @property
    def demo_accounts(self) -> Path:
        """The demo's accounts and passwords (`cchc demo`); the dashboard knows demo data by it."""
        return self.data_dir / "demo-accounts.txt"

    @property
    def mail_dir(self) -> Path:
        """Where messages go as .eml files when no SMTP server is configured."""
        return self.data_dir / "mail"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir}/cchc.db"


@lru_cache
def get_settings() -> Settings:
    return Settings()
