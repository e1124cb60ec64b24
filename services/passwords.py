"""Password hashes: argon2id through argon2-cffi, with its current recommended parameters."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from services.common_passwords import is_common

MIN_LENGTH = 8
MAX_LENGTH = 1024  # hashing is deliberately slow: a megabyte "password" is refused unread


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@cache
def _decoy() -> str:
    """A hash to verify against when the username is unknown, so that it takes as long."""
    return _hasher().hash("no such user")


def password_problem(password: str) -> str | None:
    if len(password) < MIN_LENGTH:
        return f"mật khẩu phải có ít nhất {MIN_LENGTH} ký tự"
    if len(password) > MAX_LENGTH:
        return f"mật khẩu dài quá {MAX_LENGTH} ký tự"
    if is_common(password):
        return "mật khẩu này quá phổ biến, dễ bị đoán: hãy chọn mật khẩu khác"
    return None


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; an unknown user (None) costs the same time and fails."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher().verify(password_hash or _decoy(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
