"""Sign-in rate limit: a growing wait, per username and per client address, that nobody can
turn into a lock-out.

Every try is counted against its username before the password is checked: its row is
committed first, then the tries counted, so of any number of tries at one account made at once
no more than the free ones pass (each sees every try committed before its own). It counts
against its address once it failed, so that colleagues signing in at once behind one address
never hold each other up. A try refused by the limit is taken back at once,
unchecked (the argon2 cost is paid only by a try the limit lets through), and so never
lengthens the wait; a successful sign-in takes back its own try and forgives the username's
failures. The rows live in the database, so the limit survives a restart and holds across
every process serving the site.

After `free` failures within 15 minutes each try waits `base` seconds after the last failure,
twice as long after each further one, up to `most`: a username at most one minute, so whoever
fails on purpose keeps its owner out for a minute at the very most; an address up to 15
minutes. An address is the client's as the trusted proxies pass it on (`CCHC_TRUSTED_PROXIES`),
an IPv6 one counted by its /64 (a single host usually holds the whole of it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from ipaddress import IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker

from persistence.users import (
    address_failed,
    drop_failure,
    drop_failures_before,
    failures_since,
    forget_failures,
    record_try,
)

WINDOW = timedelta(minutes=15)
KEEP = timedelta(days=1)  # older failures are deleted

Network = IPv4Network | IPv6Network


@dataclass(frozen=True)
class Wait:
    """How failures of one kind slow the next try down."""

    free: int  # failures within the window that cost no wait
    base: timedelta  # the wait after the first failure past them, doubled after each further one
    most: timedelta

    def until(self, failures: Sequence[datetime]) -> datetime | None:
        """When the next try may come after `failures` (oldest first), or None at once."""
        past = len(failures) - self.free
        if past < 0:
            return None
        return failures[-1] + min(self.base * 2 ** min(past, 20), self.most)


USERNAME_WAIT = Wait(free=5, base=timedelta(seconds=10), most=timedelta(minutes=1))
ADDRESS_WAIT = Wait(free=20, base=timedelta(seconds=10), most=timedelta(minutes=15))


@dataclass(frozen=True)
class Admission:
    """A try the limit let through (`attempt`: its counted row) or refused (`until` then)."""

    attempt: int | None
    until: datetime | None = None


def admit(sessions: sessionmaker[Session], now: datetime, *, username: str, address: str) -> Admission:
    """Count a try, then let it through unless a wait is running for `username` or `address`."""
    with sessions.begin() as session:
        attempt = record_try(session, username, now)
    with sessions.begin() as session:
        failures = failures_since(session, now - WINDOW, username=username, address=address, excluding=attempt)
        ends = [USERNAME_WAIT.until(failures.username), ADDRESS_WAIT.until(failures.address)]
        until = max((end for end in ends if end is not None), default=None)
        if until is None or until <= now:
            return Admission(attempt)
        drop_failure(session, attempt)
        return Admission(None, until)


def succeeded(session: Session, attempt: int, username: str) -> None:
    """The try was right: it and the username's failures no longer count (the address's do)."""
    drop_failure(session, attempt)
    forget_failures(session, username)


def failed(session: Session, now: datetime, attempt: int, address: str) -> None:
    """The try was wrong: it stays counted against its username, and now its address too;
    failures older than a day go."""
    address_failed(session, attempt, address)
    drop_failures_before(session, now - KEEP)


def client_address(request: Request, trusted: Sequence[Network]) -> str:
    """The address failures are counted on: the peer's, or when the peer is a trusted proxy the
    last address in X-Forwarded-For that is not; an IPv6 address as its /64."""
    address = request.client.host if request.client else "?"
    if _within(address, trusted):
        hops = [hop.strip() for header in request.headers.getlist("x-forwarded-for") for hop in header.split(",")]
        untrusted = [hop for hop in hops if hop and not _within(hop, trusted)]
        address = untrusted[-1] if untrusted else address
    return counted(address)


def counted(address: str) -> str:
    """An IPv6 address as its /64 network, any other as it is."""
    try:
        parsed = ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(parsed, IPv6Address) and parsed.ipv4_mapped is None:
        return str(ip_network(f"{parsed}/64", strict=False))
    return str(parsed.ipv4_mapped if isinstance(parsed, IPv6Address) else parsed)


def _within(address: str, networks: Sequence[Network]) -> bool:
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in networks)
