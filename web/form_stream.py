"""A multipart/form-data body read part by part, straight from the network.

Starlette's `request.form()` reads the whole body first and spools large files to the
system's temporary folder. Uploads here are read as they arrive instead: the form's text
fields come first (the templates put the file input last), are checked, and only then is
the file's data read, chunk by chunk, into whatever stores it, which stops reading at its
size limit. Nothing is written anywhere by this module.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from email.message import Message
from typing import TYPE_CHECKING

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from domain.errors import CchcError, ErrorCategory
from domain.text import is_printable

if TYPE_CHECKING:  # python-multipart declares its callbacks' type for type checkers only
    from python_multipart.multipart import MultipartCallbacks

MAX_TEXT_BYTES = 10_000  # a text field (a document's title, a reason) is never longer
MAX_PARTS = 20


class BadForm(CchcError, ValueError):
    """The body is not a form this application sent; the message is for people (Vietnamese)."""

    category = ErrorCategory.BAD_INPUT
    closing = "."


@dataclass
class Upload:
    """The text fields before the file, and the file's name and data (read on demand)."""

    fields: dict[str, str]
    filename: str | None  # None: the form had no file part
    data: AsyncIterator[bytes]


async def read_upload(request: Request) -> Upload:
    """The form's text fields up to its first file part; the file's data is read later."""
    stream = _PartStream(request)
    fields: dict[str, str] = {}
    for _ in range(MAX_PARTS):
        headers = await stream.next_part()
        if headers is None:
            return Upload(fields, None, _nothing())
        name, filename = _disposition(headers)
        if filename is not None:
            return Upload(fields, filename, stream.data())
        fields[name] = await stream.text()
    raise BadForm("biểu mẫu có quá nhiều trường")


async def _nothing() -> AsyncIterator[bytes]:
    return
    yield


def _disposition(headers: dict[str, str]) -> tuple[str, str | None]:
    message = Message()
    message["content-disposition"] = headers.get("content-disposition", "")
    name = message.get_param("name", header="content-disposition")
    if not isinstance(name, str):
        raise BadForm("biểu mẫu không hợp lệ (thiếu tên trường)")
    filename = message.get_filename()
    return name, filename


class _PartStream:
    """The parser's callbacks turned into a queue of events, filled as the body arrives."""

    def __init__(self, request: Request) -> None:
        content_type, options = parse_options_header(request.headers.get("content-type"))
        boundary = options.get(b"boundary")
        if content_type != b"multipart/form-data" or not boundary:
            raise BadForm("cần gửi biểu mẫu có tệp (multipart/form-data)")
        self._body = request.stream()
        self._events: deque[tuple[str, object]] = deque()
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[str, str] = {}
        self._finished = False
        try:
            self._parser = MultipartParser(boundary, self._callbacks())
        except FormParserError as exc:
            raise BadForm("biểu mẫu không hợp lệ") from exc

    def _callbacks(self) -> MultipartCallbacks:
        def data(kind: str) -> Callable[[bytes, int, int], None]:
            return lambda buffer, start, end: self._events.append((kind, bytes(buffer[start:end])))

        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda buffer, start, end: self._add_header_field(buffer[start:end]),
            "on_header_value": lambda buffer, start, end: self._add_header_value(buffer[start:end]),
            "on_header_end": self._header_end,
            "on_headers_finished": lambda: self._events.append(("part", dict(self._headers))),
            "on_part_data": data("data"),
            "on_part_end": lambda: self._events.append(("end", None)),
            "on_end": lambda: self._events.append(("finish", None)),
        }

    def _part_begin(self) -> None:
        self._headers = {}

    def _add_header_field(self, chunk: bytes) -> None:
        self._header_field += chunk

    def _add_header_value(self, chunk: bytes) -> None:
        self._header_value += chunk

    def _header_end(self) -> None:
        field = self._header_field.decode("latin-1").lower()
        self._headers[field] = self._header_value.decode("utf-8", "replace")
        self._header_field = self._header_value = b""

    async def _event(self) -> tuple[str, object]:
        while not self._events:
            if self._finished:
                raise BadForm("biểu mẫu bị cắt ngang (chưa gửi hết)")
            try:
                chunk = await self._body.__anext__()
            except StopAsyncIteration:
                self._finished = True
                continue
            try:
                self._parser.write(chunk)
            except FormParserError as exc:
                raise BadForm("biểu mẫu không hợp lệ") from exc
        return self._events.popleft()

    async def next_part(self) -> dict[str, str] | None:
        """The headers of the next part (skipping what is left of this one), or None at the end."""
        while True:
            kind, value = await self._event()
            if kind == "part":
                return value  # type: ignore[return-value]
            if kind == "finish":
                return None

    async def text(self) -> str:
        """The rest of this part, as text."""
        collected = bytearray()
        async for chunk in self.data():
            collected += chunk
            if len(collected) > MAX_TEXT_BYTES:
                raise BadForm("một trường của biểu mẫu dài quá mức cho phép")
        if b"\x00" in collected:
            raise BadForm("một trường của biểu mẫu có ký tự NUL (không được phép)")
        text = collected.decode("utf-8", "replace")
        if not is_printable(text):
            raise BadForm("một trường của biểu mẫu có ký tự điều khiển (không in được)")
        return text

    async def data(self) -> AsyncIterator[bytes]:
        """The rest of this part's data, chunk by chunk."""
        while True:
            kind, value = await self._event()
            if kind == "end":
                return
            if kind == "data" and value:
                yield value  # type: ignore[misc]
