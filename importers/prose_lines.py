"""A prose plan as a tree of paragraphs: headings, numbered and lettered items, bullets.

Lines are read as an issued document's text rendering has them: a paragraph starts at a
marker (`I.`, `1.`, `1.2.`, `a)`, `-`, `+`, `•`, a markdown `#` heading) or after a finished
sentence (a line ending with `.`, `:`, `;`, `!` or `?`, an all-capital heading, or an item's
short first line, followed by a line starting with a capital); any other line continues the
paragraph above it (the renderer broke it mid-sentence). Blank lines do not end a paragraph. `**`, `__` and `<b>`
markup is taken off. A Word document gives one paragraph per line (`wrapped=False`).

Paragraphs nest by their markers, in the order the document introduces them: a marker of a
kind already open closes everything opened after it and becomes its sibling; a new kind
opens a level below; a markdown heading closes everything down to a heading of a higher
level; a paragraph without a marker is content of the nearest item (not of a bullet or of
the paragraph before it), and one ending with ":" holds the bullets after it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from domain.periods import roman_value

_MARKUP = re.compile(r"\*\*|__|</?(?:b|i|u|strong|em)>", re.IGNORECASE)
_HEADING = re.compile(r"(?P<hashes>#{1,6})\s+(?P<rest>.*)")
_MARKERS = (
    ("roman", re.compile(r"(?P<marker>[IVXL]{1,5})\s*[.)]\s*(?P<text>\S.*)")),
    ("number", re.compile(r"(?P<marker>\d{1,2}(?:\.\d{1,2})*)\s*[.)]\s*(?P<text>[^\d\s/].*)")),
    ("letter", re.compile(r"(?P<marker>[a-zđ])\s*(?:\)\s*|\.\s+)(?P<text>\S.*)")),
    ("part", re.compile(r"(?P<marker>[A-ZĐ])\s*[.)]\s+(?P<text>\S.*)")),
    ("dash", re.compile(r"(?P<marker>[-–—])\s*(?P<text>[^\d\s].*)")),
    ("plus", re.compile(r"(?P<marker>\+)\s*(?P<text>\S.*)")),
    ("dot", re.compile(r"(?P<marker>[•·●▪*])\s*(?P<text>\S.*)")),
)
BULLETS = frozenset({"dash", "plus", "dot"})
_SENTENCE_END = tuple(".:;!?")
SHORT_LINE = 55  # an item's first line shorter than this is a heading: the renderer did not break it


@dataclass
class Node:
    """A paragraph and what it holds. `kind` is "root", "heading<N>", "text" or a marker kind."""

    kind: str
    marker: str
    text: str
    line_start: int
    line_end: int
    children: list[Node] = field(default_factory=list)
    parent: Node | None = field(default=None, repr=False)

    @property
    def is_bullet(self) -> bool:
        return self.kind in BULLETS

    @property
    def is_numbered(self) -> bool:
        """ "1.", "1.2.", "a)": an item of a numbered list."""
        return self.kind.startswith("number") or self.kind == "letter"

    @property
    def is_item(self) -> bool:
        """A heading or a numbered or lettered item: something that can hold a task."""
        return self.kind not in BULLETS and self.kind not in ("text", "root")

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def last_line(self) -> int:
        return max(node.line_end for node in self.walk())

    def ancestors(self) -> list[Node]:
        """From the root's child down to this node's parent."""
        chain, node = [], self.parent
        while node is not None and node.kind != "root":
            chain.append(node)
            node = node.parent
        return chain[::-1]


def plain(line: str) -> str:
    return " ".join(_MARKUP.sub("", unicodedata.normalize("NFC", line)).split())


def _parse(line: str) -> tuple[str, str, str]:
    """(kind, marker, text) of a line that starts a paragraph, or ("", "", line)."""
    if heading := _HEADING.fullmatch(line):
        kind, marker, text = _parse(heading["rest"])
        return f"heading{len(heading['hashes'])}", marker if kind == "roman" or kind.startswith("number") else "", text
    for kind, pattern in _MARKERS:
        if match := pattern.fullmatch(line):
            depth = match["marker"].count(".")  # "1.2." is an item inside "1."
            return f"{kind}{depth + 1}" if kind == "number" and depth else kind, match["marker"], match["text"].strip()
    return "", "", line


def _continues(previous: Node, line: str) -> bool:
    """Whether `line` (without a marker) goes on with the paragraph above it."""
    if previous.kind.startswith("heading"):
        return False
    if previous.text.isupper():
        ended = not line.isupper()
    else:
        short_item = previous.line_start == previous.line_end and previous.is_item and len(previous.text) < SHORT_LINE
        ended = previous.text.endswith(_SENTENCE_END) or short_item
    return not (ended and line[:1].isupper())


def paragraphs(lines: list[str], *, wrapped: bool = True) -> list[Node]:
    """The document's paragraphs, each with its first and last line (1-based)."""
    found: list[Node] = []
    for number, raw in enumerate(lines, start=1):
        line = plain(raw)
        if not line:
            continue
        kind, marker, text = _parse(line)
        if not kind and wrapped and found and _continues(found[-1], line):
            found[-1].text = f"{found[-1].text} {line}"
            found[-1].line_end = number
            continue
        found.append(Node(kind or "text", marker, text, number, number))
    return found


def tree(nodes: list[Node]) -> Node:
    """The paragraphs nested by their markers under one root."""
    root = Node("root", "", "", 0, 0)
    stack = [root]
    for node in nodes:
        if node.kind.startswith("heading"):
            level = int(node.kind.removeprefix("heading"))
            while len(stack) > 1 and not _higher_heading(stack[-1], level):
                stack.pop()
        elif node.kind == "text":
            while stack[-1].is_bullet or stack[-1].kind == "text":
                stack.pop()
        else:
            while not node.is_bullet and (stack[-1].kind == "text" or stack[-1].is_bullet):
                stack.pop()  # an item is never inside a bullet or a paragraph
            same = next((i for i in range(len(stack) - 1, 0, -1) if stack[i].kind == node.kind), None)
            if same is not None:
                del stack[same:]
        node.parent = stack[-1]
        stack[-1].children.append(node)
        if node.kind != "text" or node.text.endswith(":"):
            stack.append(node)
    return root


def _higher_heading(node: Node, level: int) -> bool:
    return node.kind.startswith("heading") and int(node.kind.removeprefix("heading")) < level


_LETTERS = "abcdđeghiklmnopqrstuvxy"  # Vietnamese lettering: "đ" after "d", no "f", "j", "w", "z"


def _ordinal(node: Node) -> int | None:
    """The number an item is written with: "4." → 4, "b)" → 2, "IV." → 4."""
    if node.marker[:1].isdigit():
        return int(node.marker.split(".")[-1])
    if node.kind == "letter":
        return _LETTERS.index(node.marker) + 1 if node.marker in _LETTERS else None
    return roman_value(node.marker.lower()) if node.marker and not node.is_bullet else None


def numbering_gaps(root: Node) -> list[tuple[int, str]]:
    """(line, message) for each item whose number does not follow the one before it."""
    gaps = []
    for parent in root.walk():
        previous: dict[str, Node] = {}
        for child in parent.children:
            number = _ordinal(child)
            if number is None:
                continue
            before = previous.get(child.kind)
            before_number = _ordinal(before) if before else None  # kept only when it has a number
            expected = before_number + 1 if before_number is not None else 1
            if number != expected:
                after = f"sau mục {before.marker} (dòng {before.line_start}) là" if before else "mục đầu tiên là"
                gaps.append((child.line_start, f"số thứ tự không liền nhau: {after} mục {child.marker}"))
            previous[child.kind] = child
    return gaps
