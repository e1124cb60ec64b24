"""Passwords of eight characters or more that guessers try first: the top of the public leak
lists (SecLists' most common, NCSC's 100,000 most used) and their Vietnamese favourites. A
password on it, in any case, is refused wherever one is set."""

from __future__ import annotations

COMMON = frozenset(
    """
    12345678 123456789 1234567890 0123456789 11111111 00000000 88888888 66666666 99999999
    12341234 87654321 11223344 12121212 123123123 1234512345 147258369 123456789a 12345678a
    a12345678 1qaz2wsx 1q2w3e4r 1q2w3e4r5t q1w2e3r4 qwertyui qwertyuiop qwerty123 asdfghjk
    zxcvbnm123 abc12345 abcd1234 abcdefgh aa123456 password password1 password123 passw0rd
    p@ssw0rd p@ssword iloveyou iloveyou1 sunshine princess football baseball welcome1
    welcome123 letmein1 trustno1 superman starwars whatever dragon123 monkey123 admin123
    admin@123 administrator root1234 changeme changeme1 default1 secret123 computer internet
    matkhau matkhau1 matkhau123 matkhau@123 anhyeuem emyeuanh yeuemnhieu vietnam1 vietnam123
    vietnam@123 hanoi123 saigon123 ubnd1234 ubndxa123 cchc1234 cchc2024 cchc2025 cchc2026
    cchc@2024 cchc@2025 cchc@2026 admin2024 admin2025 admin2026 12345678910 123456123456
    """.split()
)


def is_common(password: str) -> bool:
    return password.casefold() in COMMON
