"""Unit (department) names as plans write them, and one directory of units per plan or commune.

Plans spell the same unit many ways: `Văn hoá`/`Văn hóa` (two tone placements), NFC or NFD
Unicode, upper or lower case, `Văn Phòng – Thống kê`/`Văn phòng - Thống kê`, with a role word
in front (`Bộ phận Tư pháp`, `Công chức Tư pháp`, `CC VP - TK`) or as initials (`VP`). `unit_key`
folds the spelling away; `UnitDirectory` also resolves initials and short names against the
units it knows. Nothing here knows any commune's list of departments.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from domain.models import Unit

TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # grave, acute, tilde, hook above, dot below
SHAPE_MARKS = frozenset("\u0302\u0306\u031b")  # circumflex (â ê ô), breve (ă), horn (ơ ư)
VOWELS = frozenset("aeiouy")
# Pairs whose tone sits on the second vowel in the current orthography: hoá, khoẻ, thuỷ.
SECOND_VOWEL_PAIRS = frozenset({"oa", "oe", "uy"})
# Role words in front of a unit's name: "Bộ phận Tư pháp" is the unit "Tư pháp". Not "Phòng":
# a district's "Phòng Tư pháp" is another body than a commune's "Tư pháp".
ROLE_WORDS = ("bộ phận", "công chức", "cán bộ", "cc")
_DASHES = re.compile(r"\s*[-‐‑‒–—−]\s*")


@lru_cache(maxsize=4096)  # a commune names a few dozen units, each on hundreds of rows a page counts
def unit_key(name: str) -> str:
    """The form two spellings of one unit share: NFC, casefolded, one tone placement, single
    spaces, " - " for every dash, no leading role word."""
    text = unicodedata.normalize("NFC", name).casefold()
    text = _DASHES.sub(" - ", " ".join(text.split())).strip(" -")
    key = " ".join(_canonical_tone(word) for word in text.split(" "))
    return _without_role_word(key)


def _without_role_word(key: str) -> str:
    for role in ROLE_WORDS:
        rest = key.removeprefix(role + " ").lstrip(" -")
        if rest != key and rest:
            return rest
    return key


def _canonical_tone(word: str) -> str:
    """The word with its tone mark on the vowel the current orthography puts it on."""
    letters = _letters(word)
    tones = [mark for letter in letters for mark in letter if mark in TONE_MARKS]
    if not tones:
        return unicodedata.normalize("NFC", word)
    letters = [[mark for mark in letter if mark not in TONE_MARKS] for letter in letters]
    position = _tone_position(letters)
    if position is None:
        return unicodedata.normalize("NFC", "".join("".join(letter) for letter in letters) + tones[0])
    letters[position].append(tones[0])
    return unicodedata.normalize("NFC", "".join("".join(letter) for letter in letters))


def _letters(word: str) -> list[list[str]]:
    """NFD letters, each a base character followed by its combining marks."""
    letters: list[list[str]] = []
    for char in unicodedata.normalize("NFD", word):
        if unicodedata.combining(char) and letters:
            letters[-1].append(char)
        else:
            letters.append([char])
    return letters


def _tone_position(letters: list[list[str]]) -> int | None:
    """Index of the letter that carries the tone, in a word whose tone was taken out."""
    vowels = [i for i, letter in enumerate(letters) if letter[0] in VOWELS]
    if not vowels:
        return None
    first = vowels[0]
    # "qu" and "gi" before another vowel are consonants: quý, già.
    if first > 0 and letters[first - 1][0] + letters[first][0] in ("qu", "gi") and first + 1 in vowels:
        first += 1
    cluster = [first]
    while cluster[-1] + 1 in vowels:
        cluster.append(cluster[-1] + 1)
    shaped = [i for i in cluster if SHAPE_MARKS & set(letters[i])]
    if shaped:
        return shaped[-1]
    ends_in_consonant = cluster[-1] + 1 < len(letters)
    pair = "".join(letters[i][0] for i in cluster)
    if len(cluster) == 1 or ends_in_consonant or pair in SECOND_VOWEL_PAIRS:
        return cluster[-1]
    return cluster[1] if len(cluster) == 3 else cluster[0]


def _base_letters(text: str) -> str:
    """Letters without any diacritic: for comparing initials ("VP" and "Văn phòng")."""
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return stripped.replace("đ", "d")


def _initials(key: str) -> str:
    """ "văn phòng - thống kê" → "vp-tk"."""
    return "-".join("".join(word[0] for word in part.split()) for part in key.split(" - "))


def _is_abbreviation(spelling: str) -> bool:
    """Written in capitals with no word longer than five letters: "VP", "VP - TK", "ĐTT-NVH"."""
    key = unit_key(spelling)
    letters = [c for c in spelling if c.isalpha()]
    return (
        bool(letters)
        and all(c.isupper() for c in letters)
        and all(len(part.split()) == 1 and len(part) <= 5 for part in key.split(" - "))
    )


def is_generic(name: str) -> bool:
    """ "các ngành liên quan", "Các bộ phận có liên quan": no particular unit."""
    return name.casefold().startswith(("các ", "những "))


class UnitDirectory:
    """The units of one plan (or one commune), each spelling mapped to one unit.

    A spelling resolves to the unit with the same `unit_key`; else, when it is written as
    initials (`VP`, `VP-TK`), to the one known unit with those initials; else, when it is the
    first part of exactly one known unit's compound name (`Văn hóa` and `Văn hóa - Xã hội`),
    to that unit (`Văn phòng` never joins `Văn phòng Đảng ủy`: no dash, another body); else
    it is a unit of its own. A unit's name is its most common spelling (the first seen on a
    tie); initials and short names never become the name, and names the directory was built
    with stay. Resolution considers every spelling added so far, so add a whole plan's names
    before resolving them.
    """

    def __init__(self, known: Iterable[Unit | str] = ()) -> None:
        self._spellings: dict[str, Counter[str]] = {}  # key -> spelling -> count, first seen first
        self._fixed_names: dict[str, str] = {}  # names the directory was given: they stay
        for unit in known:
            name = unit if isinstance(unit, str) else unit.name
            self._fixed_names.setdefault(unit_key(name), name)
            self.add(name)

    def add(self, raw: str) -> None:
        """Count one spelling of a unit."""
        spelling = " ".join(unicodedata.normalize("NFC", raw).split())
        if spelling:
            self._spellings.setdefault(unit_key(spelling), Counter())[spelling] += 1

    def knows(self, raw: str) -> bool:
        """Whether this spelling's key was added (as written, not through initials)."""
        return unit_key(raw) in self._spellings

    def resolve(self, raw: str) -> Unit:
        """The unit `raw` names, adding it when it is new."""
        key = unit_key(raw)
        if not key:
            raise ValueError("a unit needs a name")
        if key not in self._spellings:
            self.add(raw)
        target = self._target(key)
        return Unit(key=target, name=self._name(target))

    def units(self) -> tuple[Unit, ...]:
        """Every unit, in the order first seen (initials and short names resolved away)."""
        targets = dict.fromkeys(self._target(key) for key in self._spellings)
        return tuple(Unit(key=key, name=self._name(key)) for key in targets)

    def spellings(self, unit: Unit) -> tuple[str, ...]:
        """Every spelling that resolves to `unit`, first seen first."""
        return tuple(
            spelling for key, counts in self._spellings.items() if self._target(key) == unit.key for spelling in counts
        )

    def _target(self, key: str) -> str:
        seen = {key}
        while (longer := self._expansion(key)) is not None and longer not in seen:
            seen.add(longer)
            key = longer
        return key

    def _expansion(self, key: str) -> str | None:
        """The one other key `key` abbreviates or is the first part of, if there is exactly one."""
        others = [other for other in self._spellings if other != key]
        if all(_is_abbreviation(s) for s in self._spellings[key]):
            by_initials = [o for o in others if _base_letters(_initials(o)) == _base_letters(key.replace(" - ", "-"))]
            if len(by_initials) == 1:
                return by_initials[0]
        longer = [o for o in others if o.startswith(key + " - ")]
        return longer[0] if len(longer) == 1 else None

    def _name(self, key: str) -> str:
        if key in self._fixed_names:
            return self._fixed_names[key]
        return self._spellings[key].most_common(1)[0][0]


def same_commune(a: str, b: str) -> bool:
    """Whether two spellings name one commune (Unicode form, case and outer spaces aside)."""
    return unicodedata.normalize("NFC", a).casefold().strip() == unicodedata.normalize("NFC", b).casefold().strip()
