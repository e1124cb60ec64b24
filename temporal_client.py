"""The one way to reach Temporal: settings → `Client` with the pydantic data converter.

The same settings serve the embedded dev server (`cchc up`: plain gRPC on 127.0.0.1), a
cluster (address, namespace, mTLS with a client certificate and the server's CA) and
Temporal Cloud (address, namespace, API key, or mTLS):

    CCHC_TEMPORAL_ADDRESS=my-ns.a1b2c.tmprl.cloud:7233
    CCHC_TEMPORAL_NAMESPACE=my-ns.a1b2c
    CCHC_TEMPORAL_API_KEY=...            # or CCHC_TEMPORAL_TLS_CERT / CCHC_TEMPORAL_TLS_KEY
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest, ListSearchAttributesRequest
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.common import SearchAttributeKey
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RPCError, RPCStatusCode, TLSConfig

from config import Settings, get_settings
from domain.errors import CchcError, ErrorCategory
from workflows.search import ALL_KEYS, type_name

# A refused connection fails at once; this bounds an address that does not answer at all.
CONNECT_TIMEOUT_SECONDS = 10.0


class TemporalUnreachable(CchcError, ConnectionError):
    """No Temporal server answers at `address` (or it refused our credentials)."""

    category = ErrorCategory.UNAVAILABLE
    lead = ""

    def __init__(self, address: str, detail: str) -> None:
        self.address = address
        self.detail = detail
        super().__init__(f"{unreachable(address)}\nChi tiết: {detail}")


class MissingSearchAttributes(CchcError, RuntimeError):
    """The namespace lacks our search attributes; the message says how to add them (Vietnamese)."""

    category = ErrorCategory.UNAVAILABLE
    lead = "Lỗi cấu hình Temporal: "

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))


class ConfigurationProblem(CchcError, ValueError):
    """Settings that cannot work together; the message is for people (Vietnamese)."""

    category = ErrorCategory.UNAVAILABLE


def unreachable(address: str) -> str:
    return f"Không kết nối được máy chủ Temporal tại {address}: chạy `cchc up` hoặc kiểm tra CCHC_TEMPORAL_ADDRESS."


def refusal(exc: WorkflowUpdateFailedError) -> str:
    """The workflow's reason for refusing an update, for people."""
    cause = exc.cause
    return f"Bị từ chối: {getattr(cause, 'message', None) or str(cause or exc)}"


def server_failure(exc: RPCError) -> str:
    """What a Temporal server's error means for people: mostly that it cannot be reached."""
    if exc.status == RPCStatusCode.UNAVAILABLE:
        return unreachable(get_settings().temporal_address)
    return f"Lỗi Temporal ({exc.status.name if exc.status else '?'}): {exc.message}"


async def connect(settings: Settings, *, timeout: float = CONNECT_TIMEOUT_SECONDS) -> Client:
    """A client for `settings.temporal_address` / `temporal_namespace`, with the pydantic converter."""
    api_key = settings.temporal_api_key.get_secret_value() if settings.temporal_api_key else None
    try:
        return await asyncio.wait_for(
            Client.connect(
                settings.temporal_address,
                namespace=settings.temporal_namespace,
                data_converter=pydantic_data_converter,
                tls=tls_config(settings),
                api_key=api_key,
            ),
            timeout,
        )
    except (RuntimeError, TimeoutError) as exc:  # the SDK reports a failed connect as RuntimeError
        detail = str(exc) or f"không trả lời sau {timeout:g} giây"
        raise TemporalUnreachable(settings.temporal_address, detail) from exc


def tls_config(settings: Settings) -> TLSConfig | bool:
    """TLS as the settings ask: a `TLSConfig`, True (system roots) or False (plain, the dev server).

    An API key implies TLS, as Temporal Cloud requires.
    """
    cert, key = settings.temporal_tls_cert, settings.temporal_tls_key
    if (cert is None) != (key is None):
        raise ConfigurationProblem(
            "CCHC_TEMPORAL_TLS_CERT và CCHC_TEMPORAL_TLS_KEY phải được đặt cùng nhau (chứng thư và khóa của nó)"
        )
    if cert is None and settings.temporal_tls_ca is None and settings.temporal_tls_server_name is None:
        return settings.temporal_tls or settings.temporal_api_key is not None
    return TLSConfig(
        client_cert=_read(cert),
        client_private_key=_read(key),
        server_root_ca_cert=_read(settings.temporal_tls_ca),
        domain=settings.temporal_tls_server_name,
    )


def _read(path: Path | None) -> bytes | None:
    return path.read_bytes() if path is not None else None


# --- search attributes -----------------------------------------------------------------------


@dataclass(frozen=True)
class SearchAttributeCheck:
    missing: tuple[SearchAttributeKey, ...]
    wrong_type: tuple[tuple[SearchAttributeKey, str], ...]  # (ours, the type the namespace has)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.wrong_type


async def check_search_attributes(client: Client) -> SearchAttributeCheck:
    """Which of our search attributes the client's namespace lacks (or has with another type)."""
    response = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=client.namespace)
    )
    known = dict(response.custom_attributes)
    missing = tuple(key for key in ALL_KEYS if key.name not in known)
    wrong = tuple(
        (key, _index_type_name(known[key.name]))
        for key in ALL_KEYS
        if key.name in known and known[key.name] != int(key.indexed_value_type)
    )
    return SearchAttributeCheck(missing, wrong)


async def ensure_search_attributes(client: Client, settings: Settings) -> str | None:
    """Raise `MissingSearchAttributes` unless the namespace has ours; a warning if it cannot tell."""
    try:
        check = await check_search_attributes(client)
    except RPCError as exc:  # e.g. Temporal Cloud without the permission to list them
        return f"Cảnh báo: không kiểm tra được search attribute của namespace {client.namespace} ({exc.message})."
    if check.ok:
        return None
    lines = []
    if check.missing:
        names = ", ".join(key.name for key in check.missing)
        lines.append(f"Namespace {settings.temporal_namespace} chưa có search attribute: {names}. Thêm bằng:")
        lines += [f"  {command}" for command in create_commands(check.missing, settings)]
        lines.append("  (Temporal Cloud: thêm trong trang Namespace, hoặc `tcld namespace search-attributes add`.)")
    for key, actual in check.wrong_type:
        lines.append(f"Search attribute {key.name} đang có kiểu {actual}, cần kiểu {type_name(key)}.")
    raise MissingSearchAttributes(lines)


async def register_search_attributes(client: Client) -> None:
    """Add ours to a fresh namespace we own: the time-skipping test server's (demo, tests).

    That server cannot list search attributes, so this does not check first. The embedded
    dev server registers them at start; a cluster's operator runs `create_commands`.
    """
    await client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=client.namespace,
            search_attributes={key.name: IndexedValueType.ValueType(int(key.indexed_value_type)) for key in ALL_KEYS},
        )
    )


def create_commands(keys: tuple[SearchAttributeKey, ...], settings: Settings) -> list[str]:
    """The `temporal` commands an operator runs to register `keys` on a cluster's namespace."""
    return [
        f"temporal operator search-attribute create --address {settings.temporal_address}"
        f" --namespace {settings.temporal_namespace} --name {key.name} --type {type_name(key)}"
        for key in keys
    ]


def _index_type_name(value: IndexedValueType.ValueType) -> str:
    return IndexedValueType.Name(value).removeprefix("INDEXED_VALUE_TYPE_").title().replace("_", "")
