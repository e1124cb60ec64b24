"""Building the email of a rendered notification, safely, with the standard library.

The message is multipart/alternative (text/plain, then text/html), UTF-8 bodies in
quoted-printable or base64 (7-bit clean), under the SMTP policy: the library RFC 2047-encodes
subjects and display names. Text that came from people (task titles in subjects, names,
header values) cannot add a header: line breaks and other control characters become spaces.
Addresses are never repaired: one that is not a single valid ASCII addr-spec is refused with
a ValueError.

The email package of this Python (3.11; fixed upstream in gh-144156) folds encoded words
wrongly: a long Vietnamese subject loses the spaces between some of its words, and a long
display name gains spaces, its address too. So the subject is encoded by `email.header`,
whose encoded words are folded right, and `raw_bytes` writes every other header unfolded
(RFC 5322 allows 998 characters a line).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime
from email import policy
from email.errors import HeaderParseError
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from domain.calendar import TZ
from notifications.render import Rendered, one_line

POLICY = policy.SMTP.clone(cte_type="7bit")  # bodies in quoted-printable or base64, 76-column lines
WIRE_POLICY = POLICY.clone(max_line_length=998)  # headers unfolded: see the module's docstring
# Cc: control characters, Cf: invisible formatting (bidi overrides), Zl/Zp: line and
# paragraph separators, Cs: lone surrogates that no charset can encode.
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
HEADER_NAME = re.compile(r"^[A-Za-z0-9-]+$")
DOMAIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")
MESSAGE_ID_HASH_LENGTH = 32  # hex digits of SHA-256: 128 bits


def build_message(
    rendered: Rendered,
    *,
    sender: str,
    to: Sequence[tuple[str, str]],
    message_id: str,
    date: datetime,
    headers: Mapping[str, str] = {},
) -> EmailMessage:
    """The email of `rendered` from `sender` ("Name <address>") to `to` ((name, address) pairs)."""
    if date.tzinfo is None:
        raise ValueError(f"the message date needs a UTC offset: {date!r}")
    if not to:
        raise ValueError("a message needs at least one recipient")
    message = EmailMessage(policy=POLICY)
    message["From"] = _sender(sender)
    message["To"] = [mailbox(name, address) for name, address in to]
    _set_subject(message, rendered.subject)
    message["Date"] = format_datetime(date.astimezone(TZ))
    message["Message-ID"] = header_text(message_id)
    message["Auto-Submitted"] = "auto-generated"
    for name, value in headers.items():
        message[_header_name(name)] = header_text(value)
    message.set_content(rendered.text, charset="utf-8")
    message.add_alternative(rendered.html, subtype="html", charset="utf-8")
    return message


def raw_bytes(message: EmailMessage) -> bytes:
    """The message as sent: CRLF line ends, headers in ASCII."""
    return message.as_bytes(policy=WIRE_POLICY)


def message_id_for(dedup_key: str, domain: str) -> str:
    """A Message-ID that is the same every time for `dedup_key`: `<hex@domain>`."""
    if not DOMAIN.match(domain):
        raise ValueError(f"not a domain for a Message-ID: {domain!r}")
    digest = hashlib.sha256(dedup_key.encode("utf-8")).hexdigest()[:MESSAGE_ID_HASH_LENGTH]
    return f"<{digest}@{domain}>"


def header_text(value: str) -> str:
    """`value` on one line, in NFC, with every control character replaced by a space."""
    visible = "".join(" " if unicodedata.category(char) in UNSAFE_CATEGORIES else char for char in value)
    return one_line(unicodedata.normalize("NFC", visible))


def mailbox(name: str, address: str) -> Address:
    """The mailbox `name <address>`; `name` stays a display name whatever it holds."""
    if not address.isascii():
        raise ValueError(f"not a single valid email address (non-ASCII): {address!r}")
    try:
        result = Address(display_name=header_text(name), addr_spec=address)
    except (ValueError, IndexError, HeaderParseError) as exc:  # IndexError: the parser on ""
        raise ValueError(f"not a single valid email address: {address!r}") from exc
    if not result.domain:
        raise ValueError(f"not a single valid email address (no domain): {address!r}")
    return result


def _set_subject(message: EmailMessage, subject: str) -> None:
    """The subject as `email.header` encodes it: encoded words of at most 75 characters."""
    text = header_text(subject)
    charset = "us-ascii" if text.isascii() else "utf-8"
    message.set_raw("Subject", Header(text, charset, header_name="Subject").encode(linesep=POLICY.linesep))


def _sender(sender: str) -> Address:
    """The one mailbox of a "Name <address>" setting, parsed as a From header would be."""
    parsed = POLICY.header_factory("From", header_text(sender))
    if len(parsed.addresses) != 1 or parsed.defects:
        raise ValueError(f'not a single valid sender ("Name <address>"): {sender!r}')
    (address,) = parsed.addresses
    return mailbox(address.display_name, address.addr_spec)


def _header_name(name: str) -> str:
    if not HEADER_NAME.match(name):
        raise ValueError(f"not a header name: {name!r}")
    return name
